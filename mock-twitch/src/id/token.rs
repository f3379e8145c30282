//! `POST /oauth2/token`: device code polling, refresh, and the authorization code grant
//! that a page cannot use.

use serde::Serialize;

use super::{error, form};
use crate::clock::now_ms;
use crate::device_codes::PollOutcome;
use crate::http::{Request, Response};
use crate::seed::{ClientType, DEVICE_TOKEN_LIFETIME_SECS};
use crate::state::{Client, Shared};
use crate::tokens::{Grant, Issued};
use crate::url::Params;

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Body of a successful token response.
#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
    scope: Vec<String>,
    token_type: &'static str,
}

impl From<Issued> for TokenResponse {
    fn from(issued: Issued) -> Self {
        Self {
            access_token: issued.access_token,
            expires_in: issued.expires_in,
            refresh_token: issued.refresh_token,
            scope: issued.scopes,
            token_type: "bearer",
        }
    }
}

/// Dispatches on the form's `grant_type`.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    let form = form(request);
    match form.get("grant_type").unwrap_or("") {
        DEVICE_CODE_GRANT => device_code_grant(shared, &form),
        "refresh_token" => refresh_grant(shared, &form),
        "authorization_code" => authorization_code_grant(shared, &form),
        _ => error(400, "unsupported grant type"),
    }
}

/// Polls a device code. Twitch documents only `authorization_pending` and
/// `invalid device code`.
// NOTE: the `slow_down`, `access_denied` and `expired_token` messages are assumptions
// borrowed from RFC 8628, which Twitch does not document for these cases.
fn device_code_grant(shared: &Shared, form: &Params) -> Response {
    let client_id = form.get("client_id").unwrap_or("");
    let device_code = form.get("device_code").unwrap_or("");

    let now = now_ms();
    let mut guard = shared.lock();
    let state = &mut *guard;
    if !state.clients.contains_key(client_id) {
        return error(400, "invalid client");
    }

    let (user_id, scopes) = match state.devices.poll(device_code, client_id, now) {
        PollOutcome::Unknown => return error(400, "invalid device code"),
        PollOutcome::Expired => return error(400, "expired_token"),
        PollOutcome::SlowDown => return error(400, "slow_down"),
        PollOutcome::Pending => return error(400, "authorization_pending"),
        PollOutcome::Denied => return error(400, "access_denied"),
        PollOutcome::Approved { user_id, scopes } => (user_id, scopes),
    };

    let grant = Grant {
        client_id: client_id.to_string(),
        user_id,
        scopes,
        scopes_null: false,
        lifetime_secs: DEVICE_TOKEN_LIFETIME_SECS,
    };
    let issued = state.tokens.issue(grant, true, &mut state.rng, now);
    Response::json(200, &TokenResponse::from(issued))
}

/// Exchanges a refresh token for a new pair. Public clients need no secret, but Confidential
/// clients must send theirs.
fn refresh_grant(shared: &Shared, form: &Params) -> Response {
    let Some(client_id) = form.get_non_empty("client_id") else {
        return error(400, "missing client id");
    };
    let refresh_token = form.get("refresh_token").unwrap_or("");

    let now = now_ms();
    let mut guard = shared.lock();
    let state = &mut *guard;
    let Some(client) = state.clients.get(client_id) else {
        return error(400, "invalid client");
    };
    if let Err(response) = check_secret(client, form.get_non_empty("client_secret")) {
        return response;
    }

    match state
        .tokens
        .rotate(refresh_token, client_id, &mut state.rng, now)
    {
        Ok(issued) => Response::json(200, &TokenResponse::from(issued)),
        Err(_) => error(400, "Invalid refresh token"),
    }
}

/// Rejects every code exchange, because the mock issues no authorization codes. Without a
/// secret this is Twitch's response to a PKCE attempt.
fn authorization_code_grant(shared: &Shared, form: &Params) -> Response {
    let Some(secret) = form.get_non_empty("client_secret") else {
        return error(400, "missing client secret");
    };

    let state = shared.lock();
    let Some(client) = state.clients.get(form.get("client_id").unwrap_or("")) else {
        return error(400, "invalid client");
    };
    if client.client_type == ClientType::Public {
        return error(400, "Invalid client credentials");
    }
    if let Err(response) = check_secret(client, Some(secret)) {
        return response;
    }
    error(400, "Invalid authorization code")
}

/// Checks the secret of a Confidential client. Public clients pass without one.
// NOTE: the 403 "invalid client secret" body for a wrong secret is an assumption.
fn check_secret(client: &Client, secret: Option<&str>) -> Result<(), Response> {
    if client.client_type == ClientType::Public {
        return Ok(());
    }
    match (secret, client.secret.as_deref()) {
        (None, _) => Err(error(400, "missing client secret")),
        (Some(sent), Some(expected)) if sent == expected => Ok(()),
        (Some(_), _) => Err(error(403, "invalid client secret")),
    }
}
