//! The Helix API under `/helix/`: authentication, rate limiting and the endpoints.

mod moderators;
mod users;

use serde::Serialize;

use crate::auth_header::{parse_credential, Credential};
use crate::clock::now_ms;
use crate::cors::allow_any_origin;
use crate::http::{reason_phrase, Request, Response};
use crate::state::Shared;

/// Message of the 401 for an unknown, expired or revoked token.
pub const INVALID_TOKEN: &str = "Invalid OAuth token";

/// Body of a Helix error: `{"error":"Unauthorized","status":401,"message":"…"}`.
#[derive(Serialize)]
struct HelixError<'a> {
    error: &'static str,
    status: u16,
    message: &'a str,
}

/// Creates a Helix error response whose `error` field is the status's reason phrase.
pub fn error(status: u16, message: &str) -> Response {
    let body = HelixError {
        error: reason_phrase(status),
        status,
        message,
    };
    Response::json(status, &body)
}

/// The authenticated caller of a Helix request.
pub struct Caller {
    pub user_id: String,
    pub scopes: Vec<String>,
}

impl Caller {
    /// Returns whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }
}

/// Handles a request under `/helix`. Every response allows any origin.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    let response = match authenticate(shared, request) {
        Ok((caller, client_id)) => handle_authenticated(shared, request, &caller, &client_id),
        Err(response) => response,
    };
    allow_any_origin(response)
}

fn handle_authenticated(
    shared: &Shared,
    request: &Request,
    caller: &Caller,
    client_id: &str,
) -> Response {
    let status = shared
        .lock()
        .rate_limits
        .take(client_id, &caller.user_id, now_ms());
    if !status.allowed {
        return status.apply(error(429, "Too Many Requests"));
    }

    let response = match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/helix/users") => users::handle(shared, request, caller),
        ("GET", "/helix/moderation/moderators") => moderators::handle(request, caller),
        _ => error(404, ""),
    };
    status.apply(response)
}

/// Checks the token and client id in Twitch's order. Returns the caller and client id.
fn authenticate(shared: &Shared, request: &Request) -> Result<(Caller, String), Response> {
    // The `OAuth` scheme, which validate accepts, is treated as no token at all.
    let Credential::Bearer(token) = parse_credential(request.header("authorization")) else {
        return Err(error(401, "OAuth token is missing"));
    };
    let Some(client_id) = request
        .header("client-id")
        .filter(|value| !value.is_empty())
    else {
        return Err(error(401, "Client ID is missing"));
    };

    let state = shared.lock();
    let Some(record) = state.tokens.access(token, now_ms()) else {
        return Err(error(401, INVALID_TOKEN));
    };
    if record.grant.client_id != client_id {
        return Err(error(401, "Client ID and OAuth token do not match"));
    }

    let caller = Caller {
        user_id: record.grant.user_id.clone(),
        scopes: record.grant.scopes.clone(),
    };
    Ok((caller, client_id.to_string()))
}
