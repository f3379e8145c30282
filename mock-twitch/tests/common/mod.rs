//! Helpers for the integration tests: an in-process server on a free port and a minimal
//! HTTP client over `TcpStream`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use mock_twitch::{Options, RunningServer, Server};
use serde_json::Value;

/// A server started for one test, stopped when dropped.
pub struct TestServer {
    pub server: RunningServer,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
}

/// Starts a server on a free port with request logging off.
pub fn start() -> TestServer {
    start_with(Options::default())
}

/// Starts a server with `options`, forcing port 0 and no request logging.
pub fn start_with(options: Options) -> TestServer {
    let options = Options {
        port: 0,
        log_requests: false,
        ..options
    };
    let server = Server::start(options).expect("server starts on a free port");
    let addr = server.local_addr();
    let origin = server.url().to_string();
    TestServer {
        server,
        addr,
        origin,
    }
}

/// A parsed response.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names lower-case, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// Returns the first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Parses the body as JSON, panicking with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.body))
    }
}

impl TestServer {
    /// Sends raw bytes and reads the response until the server closes the connection.
    pub fn send_raw(&self, raw: &[u8]) -> Result<HttpResponse, String> {
        let mut stream = TcpStream::connect(self.addr).map_err(|error| error.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|error| error.to_string())?;
        stream.write_all(raw).map_err(|error| error.to_string())?;

        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .map_err(|error| error.to_string())?;
        parse_response(&bytes)
    }

    /// Sends a request with `Connection: close` and the given extra headers.
    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> HttpResponse {
        let mut raw = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        raw.push_str("\r\n");
        raw.push_str(body);
        self.send_raw(raw.as_bytes())
            .unwrap_or_else(|error| panic!("{method} {target} failed: {error}"))
    }

    /// Sends a GET request.
    pub fn get(&self, target: &str, headers: &[(&str, &str)]) -> HttpResponse {
        self.request("GET", target, headers, "")
    }

    /// Sends a form POST.
    pub fn post_form(&self, target: &str, body: &str) -> HttpResponse {
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        self.request("POST", target, &headers, body)
    }

    /// Sends a JSON POST to the control API, checks for 200 and returns the parsed body.
    pub fn control(&self, target: &str, body: Value) -> Value {
        let response = self.request(
            "POST",
            target,
            &[("Content-Type", "application/json")],
            &body.to_string(),
        );
        assert_eq!(response.status, 200, "{target} failed: {}", response.body);
        response.json()
    }

    /// Mints a token through the control API.
    pub fn mint(&self, body: Value) -> Value {
        self.control("/_mock/tokens", body)
    }

    /// Mints a token and returns only the access token.
    pub fn mint_access(&self, body: Value) -> String {
        self.mint(body)["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    /// Calls validate with `Authorization: OAuth <token>`.
    pub fn validate(&self, token: &str) -> HttpResponse {
        self.get(
            "/oauth2/validate",
            &[("Authorization", &format!("OAuth {token}"))],
        )
    }

    /// Calls a Helix path with a Bearer token and a client id.
    pub fn helix(&self, target: &str, token: &str, client_id: &str) -> HttpResponse {
        let authorization = format!("Bearer {token}");
        self.get(
            target,
            &[("Authorization", &authorization), ("Client-Id", client_id)],
        )
    }
}

fn parse_response(bytes: &[u8]) -> Result<HttpResponse, String> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Err(format!("no complete response head in {text:?}"));
    };
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("invalid status line {status_line:?}"))?;

    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_string(),
    })
}

/// Percent-encodes a form value the way browsers' URLSearchParams do, except that a space
/// becomes `%20`.
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Returns the value of `name` in a `a=1&b=2` string, without decoding.
pub fn pair<'a>(pairs: &'a str, name: &str) -> Option<&'a str> {
    pairs
        .split('&')
        .filter_map(|part| part.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
