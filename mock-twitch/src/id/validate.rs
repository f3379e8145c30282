//! `GET /oauth2/validate`.

use serde::Serialize;

use super::{error, INVALID_ACCESS_TOKEN};
use crate::auth_header::{parse_credential, Credential};
use crate::clock::now_ms;
use crate::http::{Request, Response};
use crate::seed::user_by_id;
use crate::state::Shared;

/// Body of a successful validation, with Twitch's field order.
#[derive(Serialize)]
struct Validation<'a> {
    client_id: &'a str,
    login: &'a str,
    /// `None` serializes as `null`, which Twitch sends for some tokens without scopes.
    scopes: Option<&'a [String]>,
    user_id: &'a str,
    expires_in: u64,
}

/// Validates the token of an `OAuth` or `Bearer` `Authorization` header.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    let token = match parse_credential(request.header("authorization")) {
        Credential::Missing => return error(401, "missing authorization token"),
        Credential::Other => return error(401, INVALID_ACCESS_TOKEN),
        Credential::OAuth(token) | Credential::Bearer(token) => token,
    };

    let now = now_ms();
    let state = shared.lock();
    let Some(record) = state.tokens.access(token, now) else {
        return error(401, INVALID_ACCESS_TOKEN);
    };

    let grant = &record.grant;
    let login = user_by_id(&grant.user_id).map_or("", |user| user.login);
    let validation = Validation {
        client_id: &grant.client_id,
        login,
        scopes: (!grant.scopes_null).then_some(grant.scopes.as_slice()),
        user_id: &grant.user_id,
        expires_in: record.expires_in(now),
    };
    Response::json(200, &validation)
}
