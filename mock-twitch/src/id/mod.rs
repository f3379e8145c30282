//! The id.twitch.tv OAuth endpoints under `/oauth2/`.

mod authorize;
mod device;
mod revoke;
mod token;
mod validate;

use serde::Serialize;

use crate::cors::allow_any_origin;
use crate::http::{Request, Response};
use crate::state::Shared;
use crate::url::Params;

/// Message of validate's 401 for an unknown, expired or revoked token.
pub const INVALID_ACCESS_TOKEN: &str = "invalid access token";

/// Body of an id.twitch.tv error: `{"status":400,"message":"…"}`.
#[derive(Serialize)]
struct IdError<'a> {
    status: u16,
    message: &'a str,
}

/// Creates an id.twitch.tv error response.
pub fn error(status: u16, message: &str) -> Response {
    Response::json(status, &IdError { status, message })
}

/// Handles a request under `/oauth2/`. Every response allows any origin.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    let response = match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/oauth2/authorize") => authorize::show_consent(shared, request),
        ("POST", "/oauth2/authorize") => authorize::submit_consent(shared, request),
        ("GET", "/oauth2/validate") => validate::handle(shared, request),
        ("POST", "/oauth2/revoke") => revoke::handle(shared, request),
        ("POST", "/oauth2/device") => device::start(shared, request),
        ("POST", "/oauth2/token") => token::handle(shared, request),
        (
            _,
            "/oauth2/authorize" | "/oauth2/validate" | "/oauth2/revoke" | "/oauth2/device"
            | "/oauth2/token",
        ) => error(405, "method not allowed"),
        _ => error(404, "not found"),
    };
    allow_any_origin(response)
}

/// Parses the request body as a form, whatever its `Content-Type`.
fn form(request: &Request) -> Params {
    Params::parse_bytes(&request.body)
}

/// Splits a space-separated scope list, dropping duplicates and keeping the order.
fn split_scopes(scopes: &str) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for scope in scopes.split_whitespace() {
        if !list.iter().any(|known| known == scope) {
            list.push(scope.to_string());
        }
    }
    list
}
