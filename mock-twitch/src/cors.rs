//! CORS headers, as Twitch sends them (observed behaviour, not documented by Twitch).
//!
//! Every API response allows any origin and never credentials. Preflights name their allowed
//! request headers explicitly: under the Fetch standard `*` does not cover `Authorization`,
//! and a server that sends `*` would hide client bugs that Twitch exposes.

use crate::http::Response;

/// Methods allowed by the preflight of `/oauth2/*`.
pub const ID_ALLOW_METHODS: &str = "GET, POST, OPTIONS";

/// Request headers allowed by the preflight of `/oauth2/*`. `Client-Id` is missing on
/// purpose: browsers reject a validate request that carries it, as on id.twitch.tv.
pub const ID_ALLOW_HEADERS: &str = "Authorization";

/// Methods allowed by the preflight of `/helix/*`.
pub const HELIX_ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

/// Request headers allowed by the preflight of `/helix/*`. Any other request header,
/// `Content-Type` included, fails the preflight.
pub const HELIX_ALLOW_HEADERS: &str = "Authorization, Client-Id";

/// Methods allowed by the preflight of the control API.
pub const CONTROL_ALLOW_METHODS: &str = "GET, POST, OPTIONS";

/// Request headers allowed by the preflight of the control API.
pub const CONTROL_ALLOW_HEADERS: &str = "Content-Type";

/// Adds `Access-Control-Allow-Origin: *`.
pub fn allow_any_origin(response: Response) -> Response {
    response.with_header("Access-Control-Allow-Origin", "*")
}

/// Returns the preflight response for an API path, or `None` for paths outside the APIs.
pub fn preflight(path: &str) -> Option<Response> {
    let (methods, headers) = if path.starts_with("/oauth2/") {
        (ID_ALLOW_METHODS, ID_ALLOW_HEADERS)
    } else if path == "/helix" || path.starts_with("/helix/") {
        (HELIX_ALLOW_METHODS, HELIX_ALLOW_HEADERS)
    } else if path == "/_mock" || path.starts_with("/_mock/") {
        (CONTROL_ALLOW_METHODS, CONTROL_ALLOW_HEADERS)
    } else {
        return None;
    };

    let response = Response::new(200)
        .with_header("Access-Control-Allow-Methods", methods)
        .with_header("Access-Control-Allow-Headers", headers);
    Some(allow_any_origin(response))
}
