//! Requests and responses as plain data.
//!
//! Every network step is a pure `*_request()` builder returning [`HttpRequest`] and a pure
//! `from_response()` parser taking [`HttpResponse`]; only `web::fetch` performs I/O. The same
//! data lets native tests feed real Twitch bodies to the parsers.

/// HTTP method of a request this crate sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// Returns the method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request ready to send.
///
/// The headers may contain a token, so `Debug` prints header names only.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Header names and values. Only `Authorization` and `Client-Id` are ever set, because
    /// Twitch's CORS preflight rejects any other custom header.
    pub headers: Vec<(&'static str, String)>,
    /// Form-encoded body for `POST` requests. It is sent as
    /// `application/x-www-form-urlencoded`, which needs no preflight.
    pub form_body: Option<String>,
}

impl HttpRequest {
    /// Returns the value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &header_names)
            .field("form_body", &self.form_body.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A response as the browser exposed it to the page.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body text, possibly empty.
    pub body: String,
    /// Helix's `Ratelimit-Reset` header (Unix seconds), when the browser exposes it. Twitch
    /// does not list it in `Access-Control-Expose-Headers`, so in a page it is usually absent.
    pub ratelimit_reset: Option<f64>,
}

impl HttpResponse {
    /// Builds a response, mostly for tests.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            ratelimit_reset: None,
        }
    }
}

/// A request that produced no response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportError {
    /// The browser reported a network failure. This includes a response without CORS headers,
    /// which Twitch has sent with some 5xx responses.
    Network,
    /// No response arrived within the configured timeout.
    Timeout,
}

/// Joins a base URL and a path with exactly one slash between them.
pub fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}
