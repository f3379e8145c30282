//! HTTP/1.1 responses and their writing over blocking streams.

use std::io::{self, Write};

use serde::Serialize;

/// Content-Security-Policy of the HTML pages: no script at all, inline styles allowed.
/// It sets no `form-action`, because Chromium applies that directive to the redirect after a
/// form POST, and redirect URIs may point to another origin.
const PAGE_CSP: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'";

/// A response to write. `Content-Length` and `Connection` are added when it is written.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// Creates a response with no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header. Control characters are removed from the value, because some values
    /// (redirect URIs, client ids) come from requests and must not end the header line.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        let clean: String = value
            .chars()
            .filter(|character| !character.is_control())
            .collect();
        self.headers.push((name.to_string(), clean));
        self
    }

    /// Sets the body and its `Content-Type`.
    pub fn with_body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut response = self.with_header("Content-Type", content_type);
        response.body = body.into();
        response
    }

    /// Creates an `application/json` response.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::new(status).with_body("application/json", body),
            Err(error) => Self::text(
                500,
                &format!("Internal error: cannot serialize the response: {error}\n"),
            ),
        }
    }

    /// Creates a `text/plain` response.
    pub fn text(status: u16, text: &str) -> Self {
        Self::new(status).with_body("text/plain; charset=utf-8", text)
    }

    /// Creates an HTML page response that forbids scripts and is never cached.
    pub fn html(status: u16, html: String) -> Self {
        Self::new(status)
            .with_header("Content-Security-Policy", PAGE_CSP)
            .with_header("Cache-Control", "no-store")
            .with_body("text/html; charset=utf-8", html)
    }

    /// Creates a `302 Found` redirect.
    pub fn redirect(location: &str) -> Self {
        Self::new(302)
            .with_header("Location", location)
            .with_header("Cache-Control", "no-store")
    }

    /// Returns the value of the first header called `name`, ignoring case.
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The router's decision for one request.
#[derive(Debug)]
pub enum Reply {
    /// Write this response.
    Send(Response),
    /// Close the connection without writing anything, as a fault.
    Drop,
}

/// Writes `response` with `Content-Length` and `Connection` headers. `include_body` is
/// false for HEAD requests, which get the headers of the full response.
pub fn write_response<W: Write>(
    writer: &mut W,
    response: &Response,
    include_body: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason_phrase(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });

    let mut bytes = head.into_bytes();
    if include_body {
        bytes.extend_from_slice(&response.body);
    }
    writer.write_all(&bytes)?;
    writer.flush()
}

/// Returns the standard reason phrase of `status`, which Helix also uses as its `error` field.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_lose_control_characters() {
        let response = Response::redirect("http://a/\r\nSet-Cookie: x=1");
        assert_eq!(
            response.header("location"),
            Some("http://a/Set-Cookie: x=1")
        );
    }
}
