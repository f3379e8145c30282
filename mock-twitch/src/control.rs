//! The control API under `/_mock/`, which tests use to set up state and inject faults.
//!
//! Bodies are read as JSON whatever their `Content-Type`, so a browser test can send a
//! plain-text POST, which needs no preflight. Unknown fields are rejected to catch typos.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::now_ms;
use crate::cors::{allow_any_origin, preflight};
use crate::device_codes::{DecideOutcome, DeviceSettings};
use crate::faults::{Fault, FaultKind};
use crate::http::{Request, Response};
use crate::request_log::LoggedRequest;
use crate::seed::{
    user_by_login, DEVICE_TOKEN_LIFETIME_SECS, IMPLICIT_TOKEN_LIFETIME_SECS, PUBLIC_CLIENT_ID,
    USERS,
};
use crate::state::Shared;
use crate::tokens::Grant;

/// Maximum `count` of one fault request.
const MAX_FAULT_COUNT: u32 = 10_000;

/// Maximum `delay_ms` of a fault, one minute.
const MAX_DELAY_MS: u64 = 60_000;

/// Maximum device code lifetime and poll interval that the settings accept, one day.
const MAX_DEVICE_SECS: u64 = 86_400;

/// Handles a request under `/_mock/`. Every response allows any origin.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    if request.method == "OPTIONS" {
        return preflight(&request.path).unwrap_or_else(|| failure(404, "unknown control path"));
    }

    let result = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/_mock/reset") => reset(shared),
        ("POST", "/_mock/tokens") => mint_token(shared, request),
        ("POST", "/_mock/tokens/expire") => expire_token(shared, request),
        ("POST", "/_mock/tokens/revoke") => revoke_token(shared, request),
        ("POST", "/_mock/tokens/set-expiry") => set_token_expiry(shared, request),
        ("POST", "/_mock/device/settings") => device_settings(shared, request),
        ("POST", "/_mock/device/approve") => device_approve(shared, request),
        ("POST", "/_mock/device/deny") => device_deny(shared, request),
        ("POST", "/_mock/faults") => add_faults(shared, request),
        ("POST", "/_mock/faults/clear") => clear_faults(shared),
        ("GET", "/_mock/requests") => list_requests(shared),
        ("POST", "/_mock/requests/clear") => clear_requests(shared),
        ("GET", "/_mock/state") => summary(shared),
        _ => Err(failure(
            404,
            "unknown control path or method; see the mock-twitch README",
        )),
    };
    allow_any_origin(result.unwrap_or_else(|response| response))
}

type Outcome = Result<Response, Response>;

/// Creates a control API error: `{"error":"…"}`.
fn failure(status: u16, message: &str) -> Response {
    Response::json(status, &json!({ "error": message }))
}

fn ok() -> Outcome {
    Ok(Response::json(200, &json!({ "ok": true })))
}

/// Parses the body as JSON. An empty body counts as `{}`, which suits requests whose
/// fields are all optional.
fn parse_body<T: DeserializeOwned>(request: &Request) -> Result<T, Response> {
    let body: &[u8] = if request.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &request.body
    };
    serde_json::from_slice(body)
        .map_err(|error| failure(400, &format!("invalid JSON body: {error}")))
}

fn reset(shared: &Shared) -> Outcome {
    shared.lock().reset();
    ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintRequest {
    client_id: Option<String>,
    login: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    expires_in: Option<u64>,
    #[serde(default)]
    with_refresh: bool,
    #[serde(default)]
    scopes_null: bool,
}

#[derive(Serialize)]
struct Minted {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u64,
    client_id: String,
    user_id: String,
    login: String,
}

/// Mints a token for any client id. The default lifetime is that of a device-flow token
/// with `with_refresh`, else that of an implicit token.
fn mint_token(shared: &Shared, request: &Request) -> Outcome {
    let body: MintRequest = parse_body(request)?;

    let client_id = body
        .client_id
        .unwrap_or_else(|| PUBLIC_CLIENT_ID.to_string());
    if client_id.is_empty()
        || client_id
            .chars()
            .any(|character| character.is_control() || character.is_whitespace())
    {
        return Err(failure(
            400,
            "client_id must be a non-empty string without spaces",
        ));
    }
    let login = body.login.unwrap_or_else(|| USERS[0].login.to_string());
    let Some(user) = user_by_login(&login) else {
        return Err(failure(
            400,
            &format!("unknown login \"{login}\"; use a seeded user"),
        ));
    };

    let default_lifetime = if body.with_refresh {
        DEVICE_TOKEN_LIFETIME_SECS
    } else {
        IMPLICIT_TOKEN_LIFETIME_SECS
    };
    let grant = Grant {
        client_id: client_id.clone(),
        user_id: user.id.to_string(),
        scopes: body.scopes,
        scopes_null: body.scopes_null,
        lifetime_secs: body.expires_in.unwrap_or(default_lifetime),
    };

    let mut guard = shared.lock();
    let state = &mut *guard;
    state.register_foreign_client(&client_id);
    let issued = state
        .tokens
        .issue(grant, body.with_refresh, &mut state.rng, now_ms());

    let minted = Minted {
        access_token: issued.access_token,
        refresh_token: issued.refresh_token,
        expires_in: issued.expires_in,
        client_id,
        user_id: user.id.to_string(),
        login: user.login.to_string(),
    };
    Ok(Response::json(200, &minted))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenReference {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetExpiryRequest {
    token: String,
    expires_in: u64,
}

fn unknown_token() -> Response {
    failure(404, "unknown token")
}

fn expire_token(shared: &Shared, request: &Request) -> Outcome {
    let body: TokenReference = parse_body(request)?;
    if !shared.lock().tokens.expire(&body.token, now_ms()) {
        return Err(unknown_token());
    }
    ok()
}

fn revoke_token(shared: &Shared, request: &Request) -> Outcome {
    let body: TokenReference = parse_body(request)?;
    if !shared.lock().tokens.revoke(&body.token) {
        return Err(unknown_token());
    }
    ok()
}

fn set_token_expiry(shared: &Shared, request: &Request) -> Outcome {
    let body: SetExpiryRequest = parse_body(request)?;
    if !shared
        .lock()
        .tokens
        .set_expiry(&body.token, body.expires_in, now_ms())
    {
        return Err(unknown_token());
    }
    ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceSettingsRequest {
    interval: Option<u64>,
    expires_in: Option<u64>,
}

/// Changes the interval and lifetime of device codes created from now on.
fn device_settings(shared: &Shared, request: &Request) -> Outcome {
    let body: DeviceSettingsRequest = parse_body(request)?;
    if body
        .interval
        .is_some_and(|interval| interval > MAX_DEVICE_SECS)
    {
        return Err(failure(400, "interval must be at most 86400 seconds"));
    }
    if body
        .expires_in
        .is_some_and(|expires_in| expires_in == 0 || expires_in > MAX_DEVICE_SECS)
    {
        return Err(failure(
            400,
            "expires_in must be between 1 and 86400 seconds",
        ));
    }

    let mut state = shared.lock();
    let current = state.devices.settings;
    state.devices.settings = DeviceSettings {
        interval_secs: body.interval.unwrap_or(current.interval_secs),
        expires_in_secs: body.expires_in.unwrap_or(current.expires_in_secs),
    };
    ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveRequest {
    user_code: String,
    login: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DenyRequest {
    user_code: String,
}

fn device_approve(shared: &Shared, request: &Request) -> Outcome {
    let body: ApproveRequest = parse_body(request)?;
    let login = body.login.unwrap_or_else(|| USERS[0].login.to_string());
    let Some(user) = user_by_login(&login) else {
        return Err(failure(
            400,
            &format!("unknown login \"{login}\"; use a seeded user"),
        ));
    };
    let outcome = shared
        .lock()
        .devices
        .decide(&body.user_code, Some(user.id), now_ms());
    decision_result(outcome)
}

fn device_deny(shared: &Shared, request: &Request) -> Outcome {
    let body: DenyRequest = parse_body(request)?;
    let outcome = shared
        .lock()
        .devices
        .decide(&body.user_code, None, now_ms());
    decision_result(outcome)
}

fn decision_result(outcome: DecideOutcome) -> Outcome {
    match outcome {
        DecideOutcome::Approved | DecideOutcome::Denied => ok(),
        DecideOutcome::Unknown => Err(failure(404, "no pending device code has this user_code")),
        DecideOutcome::Expired => Err(failure(409, "the device code has expired")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    path: String,
    kind: String,
    #[serde(default = "one")]
    count: u32,
    delay_ms: Option<u64>,
}

fn one() -> u32 {
    1
}

/// Queues faults. Paths under `/_mock/` cannot be faulted, so tests never lock themselves
/// out of the control API.
fn add_faults(shared: &Shared, request: &Request) -> Outcome {
    let body: FaultRequest = parse_body(request)?;
    let Some(kind) = FaultKind::parse(&body.kind) else {
        let message = format!(
            "unknown fault kind \"{}\"; use 401, 429, 500, 503-no-cors, drop, delay, not-json or empty",
            body.kind
        );
        return Err(failure(400, &message));
    };
    if !body.path.starts_with('/') || body.path.contains('?') {
        return Err(failure(
            400,
            "path must start with / and have no query string",
        ));
    }
    if body.path == "/_mock" || body.path.starts_with("/_mock/") {
        return Err(failure(400, "paths under /_mock/ cannot be faulted"));
    }
    if body.count == 0 || body.count > MAX_FAULT_COUNT {
        return Err(failure(400, "count must be between 1 and 10000"));
    }
    let delay_ms = body.delay_ms.unwrap_or(0);
    if delay_ms > MAX_DELAY_MS {
        return Err(failure(400, "delay_ms must be at most 60000"));
    }
    if kind == FaultKind::Delay && delay_ms == 0 {
        return Err(failure(400, "the delay fault needs a delay_ms above 0"));
    }

    shared
        .lock()
        .faults
        .push(&body.path, Fault { kind, delay_ms }, body.count);
    ok()
}

fn clear_faults(shared: &Shared) -> Outcome {
    shared.lock().faults.clear();
    ok()
}

#[derive(Serialize)]
struct RequestList {
    requests: Vec<LoggedRequest>,
}

fn list_requests(shared: &Shared) -> Outcome {
    let requests = shared.lock().log.entries();
    Ok(Response::json(200, &RequestList { requests }))
}

fn clear_requests(shared: &Shared) -> Outcome {
    shared.lock().log.clear();
    ok()
}

/// Returns counts of live tokens, pending device codes, queued faults and logged requests.
fn summary(shared: &Shared) -> Outcome {
    let now = now_ms();
    let state = shared.lock();
    let (access_tokens, refresh_tokens) = state.tokens.live_counts(now);
    let body = json!({
        "access_tokens": access_tokens,
        "refresh_tokens": refresh_tokens,
        "pending_device_codes": state.devices.pending_count(now),
        "device_settings": {
            "interval": state.devices.settings.interval_secs,
            "expires_in": state.devices.settings.expires_in_secs,
        },
        "queued_faults": state.faults.pending(),
        "logged_requests": state.log.len(),
    });
    Ok(Response::json(200, &body))
}
