//! Device code sign-in and rotating refresh tokens against mock-twitch in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use twitch_wasm_auth::encoding::encode_component;
use twitch_wasm_auth::record::{Flow, SessionRecord};
use twitch_wasm_auth::session::SessionState;
use twitch_wasm_auth::{Client, Error};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn stored_record(prefix: &str) -> Option<SessionRecord> {
    let text = local_storage()
        .get_item(&config(prefix).session_key())
        .unwrap()?;
    Some(SessionRecord::from_storage(&text).unwrap())
}

async fn device_settings(interval: u32, expires_in: u32) {
    let body = format!(r#"{{"interval":{interval},"expires_in":{expires_in}}}"#);
    control("POST", "/_mock/device/settings", &body).await;
}

/// Approves `user_code` on the mock after `delay_ms`, while the client polls.
fn approve_later(user_code: &str, delay_ms: i32) {
    let body = format!(r#"{{"user_code":"{user_code}"}}"#);
    spawn_local(async move {
        sleep(delay_ms).await;
        control("POST", "/_mock/device/approve", &body).await;
    });
}

/// Signs in through the device flow and returns the client.
async fn device_session(prefix: &str, client_id: &str) -> Client {
    device_settings(1, 60).await;
    let mut config = config(prefix);
    config.client_id = client_id.to_owned();
    local_storage().remove_item(&config.session_key()).unwrap();
    let client = Client::new(config).unwrap();
    let login = client
        .start_device_login(&["chat:read".to_owned()])
        .await
        .unwrap();
    approve_later(login.user_code(), 0);
    client.finish_device_login(&login).await.unwrap();
    client
}

async fn set_expiry(token: &str, seconds: u32) {
    let body = format!(r#"{{"token":"{token}","expires_in":{seconds}}}"#);
    control("POST", "/_mock/tokens/set-expiry", &body).await;
}

#[wasm_bindgen_test]
async fn device_sign_in_after_approval() {
    reset().await;
    device_settings(1, 60).await;
    let client = client("device");
    let login = client
        .start_device_login(&["chat:read".to_owned()])
        .await
        .unwrap();
    assert_eq!(login.user_code().len(), 8);
    assert!(login.verification_uri().contains(login.user_code()));
    approve_later(login.user_code(), 2_500);

    let state = client.finish_device_login(&login).await.unwrap();

    let SessionState::SignedIn(info) = state else {
        panic!("expected signed in, got {state:?}");
    };
    assert_eq!(info.flow, Flow::Device);
    assert_eq!(info.login.as_deref(), Some("twitchdev"));
    assert_eq!(info.scopes, vec!["chat:read"]);
    let record = stored_record("device").unwrap();
    assert!(record.refresh_token.is_some());
    assert!(
        count("POST", "/oauth2/token").await >= 2,
        "polled while pending"
    );
}

#[wasm_bindgen_test]
async fn device_denial_ends_sign_in() {
    reset().await;
    device_settings(1, 60).await;
    let client = client("device-deny");
    let login = client.start_device_login(&[]).await.unwrap();
    let body = format!(r#"{{"user_code":"{}"}}"#, login.user_code());
    control("POST", "/_mock/device/deny", &body).await;

    let result = client.finish_device_login(&login).await;

    assert_eq!(result, Err(Error::DeviceDenied));
    assert_eq!(stored_record("device-deny"), None);
}

#[wasm_bindgen_test]
async fn device_code_expiry_ends_sign_in() {
    reset().await;
    device_settings(1, 2).await;
    let client = client("device-expiry");
    let login = client.start_device_login(&[]).await.unwrap();

    let result = client.finish_device_login(&login).await;

    assert_eq!(result, Err(Error::DeviceCodeExpired));
    assert_eq!(stored_record("device-expiry"), None);
}

#[wasm_bindgen_test]
async fn device_sign_in_can_be_cancelled() {
    reset().await;
    device_settings(1, 60).await;
    let client = client("device-cancel");
    let login = client.start_device_login(&[]).await.unwrap();
    let handle = login.clone();
    spawn_local(async move {
        sleep(300).await;
        handle.cancel();
    });

    let result = client.finish_device_login(&login).await;

    assert_eq!(result, Err(Error::Cancelled));
}

#[wasm_bindgen_test]
async fn refresh_before_expiry() {
    reset().await;
    let client = device_session("refresh-early", PUBLIC_CLIENT).await;
    let mut before = stored_record("refresh-early").unwrap();
    before.expires_at = Some(js_sys::Date::now() + 200_000.0);
    local_storage()
        .set_item(&config("refresh-early").session_key(), &before.to_storage())
        .unwrap();
    clear_requests().await;

    let state = client.validate_stored().await;

    let after = stored_record("refresh-early").unwrap();
    assert!(matches!(state, SessionState::SignedIn(_)), "got {state:?}");
    assert_ne!(after.access_token, before.access_token);
    assert_ne!(after.refresh_token, before.refresh_token);
    assert!(after.expires_at.unwrap() > before.expires_at.unwrap() + 3_600_000.0);
    assert_eq!(count("POST", "/oauth2/token").await, 1);
    assert_eq!(
        count("GET", "/oauth2/validate").await,
        0,
        "refresh replaces the validation"
    );
}

#[wasm_bindgen_test]
async fn validation_revealing_near_expiry_refreshes() {
    reset().await;
    let client = device_session("refresh-after-validate", PUBLIC_CLIENT).await;
    let before = stored_record("refresh-after-validate").unwrap();
    set_expiry(before.access_token.secret(), 200).await;
    clear_requests().await;

    let state = client.validate_stored().await;

    assert!(matches!(state, SessionState::SignedIn(_)), "got {state:?}");
    assert_ne!(
        stored_record("refresh-after-validate")
            .unwrap()
            .access_token,
        before.access_token
    );
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
    assert_eq!(count("POST", "/oauth2/token").await, 1);
}

#[wasm_bindgen_test]
async fn refresh_after_helix_401() {
    reset().await;
    let client = device_session("refresh-401", PUBLIC_CLIENT).await;
    let before = stored_record("refresh-401").unwrap();
    control(
        "POST",
        "/_mock/tokens/expire",
        &format!(r#"{{"token":"{}"}}"#, before.access_token.secret()),
    )
    .await;
    clear_requests().await;

    let users = client.get_users(&[], &[]).await.unwrap();

    assert_eq!(users[0].login, "twitchdev");
    assert_eq!(count("POST", "/oauth2/token").await, 1);
    assert_eq!(count("GET", "/helix/users").await, 2);
    assert_ne!(
        stored_record("refresh-401").unwrap().access_token,
        before.access_token
    );
}

#[wasm_bindgen_test]
async fn concurrent_refreshes_make_one_request() {
    reset().await;
    device_session("refresh-once", PUBLIC_CLIENT).await;
    // Two clients on one storage key behave like two tabs: shared storage, shared Web Locks.
    let first = Client::new(config("refresh-once")).unwrap();
    let second = Client::new(config("refresh-once")).unwrap();
    let third = first.clone();
    clear_requests().await;

    let promises = js_sys::Array::new();
    for client in [first, second, third] {
        promises.push(&future_to_promise(async move {
            client
                .refresh()
                .await
                .map(|_| JsValue::NULL)
                .map_err(|error| JsValue::from_str(&error.to_string()))
        }));
    }
    JsFuture::from(js_sys::Promise::all(&promises))
        .await
        .unwrap();

    assert_eq!(count("POST", "/oauth2/token").await, 1);
    let record = stored_record("refresh-once").unwrap();
    let users = Client::new(config("refresh-once"))
        .unwrap()
        .get_users(&[], &[])
        .await
        .unwrap();
    assert_eq!(users[0].login, "twitchdev");
    assert!(record.refresh_token.is_some());
}

#[wasm_bindgen_test]
async fn reused_refresh_token_is_rejected() {
    reset().await;
    let client = device_session("refresh-reuse", PUBLIC_CLIENT).await;
    let old = stored_record("refresh-reuse")
        .unwrap()
        .refresh_token
        .unwrap();
    client.refresh().await.unwrap();

    let body = format!(
        "grant_type=refresh_token&refresh_token={}&client_id={PUBLIC_CLIENT}",
        encode_component(old.secret())
    );
    let (status, text) = form_post("/oauth2/token", &body).await;

    assert_eq!(status, 400);
    assert_eq!(text, r#"{"status":400,"message":"Invalid refresh token"}"#);
}

#[wasm_bindgen_test]
async fn refresh_token_percent_and_slash_survive() {
    reset().await;
    let client = device_session("refresh-encoding", PUBLIC_CLIENT).await;
    let first = stored_record("refresh-encoding")
        .unwrap()
        .refresh_token
        .unwrap();
    assert!(
        first.secret().contains('%'),
        "the mock's refresh tokens contain %"
    );
    assert!(
        first.secret().contains('/'),
        "the mock's refresh tokens contain /"
    );

    client.refresh().await.unwrap();
    client.refresh().await.unwrap();

    assert!(count("POST", "/oauth2/token").await >= 2);
    assert!(matches!(client.state(), SessionState::SignedIn(_)));
}

#[wasm_bindgen_test]
async fn dead_refresh_token_ends_session() {
    reset().await;
    let client = device_session("refresh-dead", PUBLIC_CLIENT).await;
    let refresh_token = stored_record("refresh-dead")
        .unwrap()
        .refresh_token
        .unwrap();
    control(
        "POST",
        "/_mock/tokens/revoke",
        &format!(r#"{{"token":"{}"}}"#, refresh_token.secret()),
    )
    .await;

    let result = client.refresh().await;

    assert_eq!(result, Err(Error::RefreshTokenInvalid));
    assert_eq!(
        client.state(),
        SessionState::SignedOut {
            reason: Some(Error::RefreshTokenInvalid)
        }
    );
    assert_eq!(stored_record("refresh-dead"), None);
}

#[wasm_bindgen_test]
async fn confidential_app_cannot_refresh() {
    reset().await;
    let client = device_session("refresh-confidential", CONFIDENTIAL_CLIENT).await;

    let result = client.refresh().await;

    assert_eq!(result, Err(Error::ClientSecretRequired));
    assert!(result.unwrap_err().to_string().contains("Confidential"));
    assert_eq!(stored_record("refresh-confidential"), None);
}

#[wasm_bindgen_test]
async fn transient_refresh_failure_keeps_session() {
    reset().await;
    let client = device_session("refresh-transient", PUBLIC_CLIENT).await;
    let before = stored_record("refresh-transient").unwrap();
    fault("/oauth2/token", "500", 1).await;

    let result = client.refresh().await;

    assert_eq!(result, Err(Error::Server { status: 500 }));
    assert!(matches!(client.state(), SessionState::Unverified { .. }));
    assert_eq!(stored_record("refresh-transient"), Some(before));
}
