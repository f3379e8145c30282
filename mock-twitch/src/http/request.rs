//! HTTP/1.1 request parsing over blocking streams.

use std::io::{self, BufRead, Read, Write};

/// Maximum size of the request line and headers together, in bytes.
const MAX_HEAD_BYTES: u64 = 64 * 1024;

/// Maximum number of request headers.
const MAX_HEADERS: usize = 100;

/// Maximum request body size in bytes, after chunked decoding.
const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// A parsed request. Header names are lower-case, and `path` and `query` are still
/// percent-encoded.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub http10: bool,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// Returns the value of the first header called `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns whether the connection stays open after the response: the HTTP/1.1 default
    /// unless the client sent `Connection: close`, and for HTTP/1.0 only with `keep-alive`.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let has_option = |option: &str| connection.split(',').any(|item| item.trim() == option);

        if has_option("close") {
            return false;
        }
        !self.http10 || has_option("keep-alive")
    }
}

/// Reasons why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection before a new request began.
    Closed,
    /// The bytes are not a valid HTTP/1.x request. The text names the problem.
    Malformed(&'static str),
    /// The body is larger than `MAX_BODY_BYTES`.
    BodyTooLarge,
    /// Reading failed, or timed out on an idle connection.
    Io,
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            ReadError::Malformed("connection closed in the middle of a request")
        } else {
            ReadError::Io
        }
    }
}

/// Reads one request. `interim` receives a `100 Continue` when the client sent
/// `Expect: 100-continue`.
pub fn read_request<R: BufRead, W: Write>(
    reader: &mut R,
    interim: &mut W,
) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD_BYTES;

    // RFC 9112 lets a server ignore empty lines before the request line.
    let request_line = loop {
        match read_line(reader, &mut budget)? {
            None => return Err(ReadError::Closed),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };

    let (method, target, http10) = parse_request_line(&request_line)?;
    let headers = read_headers(reader, &mut budget)?;
    let body = read_body(reader, interim, &headers, http10)?;

    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        http10,
        headers,
        body,
    })
}

/// Reads one line without its CRLF or LF. Returns `None` at end of stream before any byte.
fn read_line<R: BufRead>(reader: &mut R, budget: &mut u64) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let read = reader.by_ref().take(*budget).read_until(b'\n', &mut line)?;
    *budget -= read as u64;

    if read == 0 {
        return if *budget == 0 {
            Err(ReadError::Malformed("request head is larger than 64 KiB"))
        } else {
            Ok(None)
        };
    }
    if line.last() != Some(&b'\n') {
        return Err(if *budget == 0 {
            ReadError::Malformed("request head is larger than 64 KiB")
        } else {
            ReadError::Malformed("connection closed in the middle of a request")
        });
    }

    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| ReadError::Malformed("request head is not valid UTF-8"))
}

fn parse_request_line(line: &str) -> Result<(&str, &str, bool), ReadError> {
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("invalid request line"));
    };

    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(ReadError::Malformed("invalid method"));
    }
    if !target.starts_with('/') || target.bytes().any(|byte| byte <= b' ' || byte == 0x7f) {
        return Err(ReadError::Malformed("invalid request target"));
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Malformed("unsupported HTTP version")),
    };
    Ok((method, target, http10))
}

fn read_headers<R: BufRead>(
    reader: &mut R,
    budget: &mut u64,
) -> Result<Vec<(String, String)>, ReadError> {
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(reader, budget)? else {
            return Err(ReadError::Malformed(
                "connection closed in the middle of a request",
            ));
        };
        if line.is_empty() {
            return Ok(headers);
        }

        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Malformed("more than 100 headers"));
        }
        if line.starts_with([' ', '\t']) {
            return Err(ReadError::Malformed("obsolete header line folding"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Malformed("header line without a colon"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(ReadError::Malformed("invalid header name"));
        }
        let value = value.trim_matches([' ', '\t']);
        if value
            .bytes()
            .any(|byte| (byte < b' ' && byte != b'\t') || byte == 0x7f)
        {
            return Err(ReadError::Malformed("invalid header value"));
        }

        headers.push((name.to_ascii_lowercase(), value.to_string()));
    }
}

fn read_body<R: BufRead, W: Write>(
    reader: &mut R,
    interim: &mut W,
    headers: &[(String, String)],
    http10: bool,
) -> Result<Vec<u8>, ReadError> {
    let lengths: Vec<&str> = header_values(headers, "content-length").collect();
    let expects_continue = !http10
        && header_values(headers, "expect").any(|value| value.eq_ignore_ascii_case("100-continue"));

    if let Some(coding) = header_values(headers, "transfer-encoding").next() {
        // A request with both headers is a classic smuggling vector, so reject it.
        if !lengths.is_empty() {
            return Err(ReadError::Malformed(
                "both Transfer-Encoding and Content-Length",
            ));
        }
        if !coding.eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Malformed("unsupported Transfer-Encoding"));
        }
        if expects_continue {
            send_continue(interim)?;
        }
        return read_chunked(reader);
    }

    let length = match lengths.as_slice() {
        [] => 0,
        [first, rest @ ..] => {
            if rest.iter().any(|other| other != first) {
                return Err(ReadError::Malformed("conflicting Content-Length headers"));
            }
            parse_content_length(first)?
        }
    };
    if length > MAX_BODY_BYTES {
        return Err(ReadError::BodyTooLarge);
    }
    if length == 0 {
        return Ok(Vec::new());
    }

    if expects_continue {
        send_continue(interim)?;
    }
    let mut body = vec![0; length as usize];
    reader.read_exact(&mut body)?;
    Ok(body)
}

fn header_values<'a>(
    headers: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn parse_content_length(value: &str) -> Result<u64, ReadError> {
    if value.is_empty() || value.len() > 18 || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ReadError::Malformed("invalid Content-Length"));
    }
    value
        .parse()
        .map_err(|_| ReadError::Malformed("invalid Content-Length"))
}

fn send_continue<W: Write>(interim: &mut W) -> Result<(), ReadError> {
    interim.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    interim.flush()?;
    Ok(())
}

fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    let mut budget = MAX_HEAD_BYTES;

    loop {
        let Some(line) = read_line(reader, &mut budget)? else {
            return Err(ReadError::Malformed(
                "connection closed in the middle of a request",
            ));
        };
        let size_text = line.split(';').next().unwrap_or("").trim();
        if size_text.is_empty()
            || size_text.len() > 15
            || !size_text.bytes().all(|byte| byte.is_ascii_hexdigit())
        {
            return Err(ReadError::Malformed("invalid chunk size"));
        }
        let size = u64::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Malformed("invalid chunk size"))?;

        if size == 0 {
            // Skip trailer fields up to the final empty line.
            loop {
                match read_line(reader, &mut budget)? {
                    None => {
                        return Err(ReadError::Malformed(
                            "connection closed in the middle of a request",
                        ))
                    }
                    Some(trailer) if trailer.is_empty() => return Ok(body),
                    Some(_) => continue,
                }
            }
        }

        if body.len() as u64 + size > MAX_BODY_BYTES {
            return Err(ReadError::BodyTooLarge);
        }
        let start = body.len();
        body.resize(start + size as usize, 0);
        reader.read_exact(&mut body[start..])?;

        match read_line(reader, &mut budget)? {
            Some(end) if end.is_empty() => {}
            _ => return Err(ReadError::Malformed("chunk data not followed by CRLF")),
        }
    }
}

/// Returns whether `byte` may appear in a method or header name (RFC 9110 `tchar`).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn parse(raw: &str) -> Result<Request, ReadError> {
        let mut sink = Vec::new();
        read_request(&mut Cursor::new(raw.as_bytes().to_vec()), &mut sink)
    }

    #[test]
    fn parses_request_with_body() {
        let request =
            parse("POST /oauth2/token?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                .unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/oauth2/token");
        assert_eq!(request.query, "x=1");
        assert_eq!(request.header("host"), Some("a"));
        assert_eq!(request.body, b"abc");
        assert!(request.keep_alive());
    }

    #[test]
    fn decodes_chunked_body() {
        let raw = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nTrailer: 1\r\n\r\n";
        assert_eq!(parse(raw).unwrap().body, b"abcde");
    }

    #[test]
    fn rejects_malformed_requests() {
        let cases = [
            "GET /\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "GET http://x/ HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ];
        for raw in cases {
            assert!(
                matches!(parse(raw), Err(ReadError::Malformed(_))),
                "accepted {raw:?}"
            );
        }
    }

    #[test]
    fn empty_stream_is_closed() {
        assert!(matches!(parse(""), Err(ReadError::Closed)));
    }

    #[test]
    fn rejects_oversized_body() {
        let raw = "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n";
        assert!(matches!(parse(raw), Err(ReadError::BodyTooLarge)));
    }

    #[test]
    fn http10_closes_by_default() {
        assert!(!parse("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive());
        assert!(!parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap()
            .keep_alive());
    }
}
