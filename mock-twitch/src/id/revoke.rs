//! `POST /oauth2/revoke`.

use super::{error, form};
use crate::clock::now_ms;
use crate::http::{Request, Response};
use crate::state::Shared;

/// Revokes an access or refresh token and its partner. The form carries `client_id` and
/// `token`. Success is 200 with an empty body.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    let form = form(request);

    // NOTE: the message for a missing client_id is an assumption, because Twitch documents only
    // the unknown-client and invalid-token responses.
    let Some(client_id) = form.get_non_empty("client_id") else {
        return error(400, "missing client id");
    };

    let now = now_ms();
    let mut state = shared.lock();
    if !state.clients.contains_key(client_id) {
        return error(404, "client does not exist");
    }

    let token = form.get("token").unwrap_or("");
    if state.tokens.owner(token, now) != Some(client_id) {
        return error(400, "Invalid token");
    }

    state.tokens.revoke(token);
    Response::new(200)
}
