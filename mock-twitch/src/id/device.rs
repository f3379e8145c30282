//! `POST /oauth2/device`, the start of the device authorization flow.

use serde::Serialize;

use super::{error, form, split_scopes};
use crate::clock::now_ms;
use crate::http::{Request, Response};
use crate::state::Shared;
use crate::url::encode_component;

#[derive(Serialize)]
struct DeviceStart {
    device_code: String,
    expires_in: u64,
    interval: u64,
    user_code: String,
    verification_uri: String,
}

/// Creates a device code for the form's `client_id` and space-separated `scopes`.
pub fn start(shared: &Shared, request: &Request) -> Response {
    let form = form(request);
    let client_id = form.get("client_id").unwrap_or("");
    let scopes = split_scopes(form.get("scopes").unwrap_or(""));

    let now = now_ms();
    let mut guard = shared.lock();
    let state = &mut *guard;
    if !state.clients.contains_key(client_id) {
        return error(400, "invalid client");
    }

    let started = state.devices.start(client_id, scopes, &mut state.rng, now);
    let verification_uri = format!(
        "{}/activate?public=true&device-code={}",
        shared.origin,
        encode_component(&started.user_code)
    );
    let body = DeviceStart {
        device_code: started.device_code,
        expires_in: started.expires_in,
        interval: started.interval,
        user_code: started.user_code,
        verification_uri,
    };
    Response::json(200, &body)
}
