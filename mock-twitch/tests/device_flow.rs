//! The device code grant: start, poll responses, the activation page and expiry.

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::{form_encode, start, TestServer};
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use serde_json::{json, Value};

const DEVICE_GRANT: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";

fn start_device(mock: &TestServer, scopes: &str) -> Value {
    let response = mock.post_form(
        "/oauth2/device",
        &format!(
            "client_id={PUBLIC_CLIENT_ID}&scopes={}",
            form_encode(scopes)
        ),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

fn poll(mock: &TestServer, device_code: &str) -> common::HttpResponse {
    let body = format!("client_id={PUBLIC_CLIENT_ID}&device_code={device_code}&scopes=chat%3Aread&grant_type={DEVICE_GRANT}");
    mock.post_form("/oauth2/token", &body)
}

fn poll_message(mock: &TestServer, device_code: &str) -> String {
    let response = poll(mock, device_code);
    assert_eq!(response.status, 400, "{}", response.body);
    response.json()["message"].as_str().unwrap().to_string()
}

#[test]
fn device_start_has_twitch_shape() {
    let mock = start();
    let body = start_device(&mock, "chat:read user:read:email");

    let device_code = body["device_code"].as_str().unwrap();
    let user_code = body["user_code"].as_str().unwrap();
    assert_eq!(device_code.len(), 40);
    assert!(device_code.bytes().all(|byte| byte.is_ascii_alphanumeric()));
    assert_eq!(user_code.len(), 8);
    assert!(user_code.bytes().all(|byte| byte.is_ascii_uppercase()));
    assert_eq!(body["expires_in"], 1800);
    assert_eq!(body["interval"], 5);
    assert_eq!(
        body["verification_uri"],
        format!(
            "{}/activate?public=true&device-code={user_code}",
            mock.origin
        )
    );

    let unknown = mock.post_form("/oauth2/device", "client_id=nosuchclient&scopes=");
    assert_eq!(
        (unknown.status, unknown.body.as_str()),
        (400, r#"{"status":400,"message":"invalid client"}"#)
    );
}

#[test]
fn device_flow_through_activation_page() {
    let mock = start();
    mock.control("/_mock/device/settings", json!({"interval": 2}));
    let started = start_device(&mock, "chat:read");
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();

    assert_eq!(poll_message(&mock, device_code), "authorization_pending");
    assert_eq!(poll_message(&mock, device_code), "slow_down");

    let page = mock.get(
        &format!("/activate?public=true&device-code={user_code}"),
        &[],
    );
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script"));
    assert!(page.body.contains(&format!("value=\"{user_code}\"")));
    for test_id in [
        "user-code-input",
        "user-select",
        "approve-button",
        "deny-button",
    ] {
        assert!(
            page.body.contains(&format!("data-testid=\"{test_id}\"")),
            "{test_id}"
        );
    }

    let form = format!(
        "user_code={}&login=mockstreamer&decision=approve",
        user_code.to_ascii_lowercase()
    );
    let result = mock.post_form("/activate", &form);
    assert_eq!(result.status, 200);
    assert!(result
        .body
        .contains("data-testid=\"activate-result\" data-result=\"approved\""));

    // The slow_down poll counts too, so wait a full interval after it.
    sleep(Duration::from_millis(2100));
    let success = poll(&mock, device_code);
    assert_eq!(success.status, 200, "{}", success.body);
    let body = success.json();
    assert_eq!(body["expires_in"], 14_400);
    assert_eq!(body["scope"], json!(["chat:read"]));
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["refresh_token"].as_str().unwrap().len(), 50);
    let access = body["access_token"].as_str().unwrap();
    let validation = mock.validate(access).json();
    assert_eq!(validation["login"], "mockstreamer");
    assert_eq!(validation["expires_in"], 14_400);

    let used = poll(&mock, device_code);
    assert_eq!(
        (used.status, used.body.as_str()),
        (400, r#"{"status":400,"message":"invalid device code"}"#)
    );

    let again = mock.post_form(
        "/activate",
        &format!("user_code={user_code}&login=twitchdev&decision=approve"),
    );
    assert_eq!(again.status, 404);
    assert!(again.body.contains("data-result=\"unknown\""));
}

#[test]
fn denied_device_code_reports_access_denied() {
    let mock = start();
    mock.control("/_mock/device/settings", json!({"interval": 0}));
    let started = start_device(&mock, "");
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();

    let result = mock.post_form("/activate", &format!("user_code={user_code}&decision=deny"));
    assert_eq!(result.status, 200);
    assert!(result.body.contains("data-result=\"denied\""));
    assert_eq!(poll_message(&mock, device_code), "access_denied");
    assert_eq!(poll_message(&mock, device_code), "access_denied");
}

#[test]
fn control_api_approves_and_denies() {
    let mock = start();
    mock.control("/_mock/device/settings", json!({"interval": 0}));

    let approved = start_device(&mock, "");
    mock.control(
        "/_mock/device/approve",
        json!({"user_code": approved["user_code"], "login": "mockviewer"}),
    );
    let response = poll(&mock, approved["device_code"].as_str().unwrap());
    assert_eq!(response.status, 200);
    let access = response.json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(mock.validate(&access).json()["login"], "mockviewer");

    let denied = start_device(&mock, "");
    mock.control(
        "/_mock/device/deny",
        json!({"user_code": denied["user_code"]}),
    );
    assert_eq!(
        poll_message(&mock, denied["device_code"].as_str().unwrap()),
        "access_denied"
    );

    let unknown = mock.request(
        "POST",
        "/_mock/device/approve",
        &[],
        r#"{"user_code":"NOSUCHCD"}"#,
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn device_code_expires() {
    let mock = start();
    mock.control(
        "/_mock/device/settings",
        json!({"interval": 0, "expires_in": 1}),
    );
    let started = start_device(&mock, "");
    assert_eq!(started["expires_in"], 1);
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();

    assert_eq!(poll_message(&mock, device_code), "authorization_pending");
    sleep(Duration::from_millis(1100));
    assert_eq!(poll_message(&mock, device_code), "expired_token");

    let late = mock.post_form(
        "/activate",
        &format!("user_code={user_code}&login=twitchdev&decision=approve"),
    );
    assert!(late.body.contains("data-result=\"expired\""));
}

#[test]
fn poll_with_wrong_inputs() {
    let mock = start();
    assert_eq!(poll_message(&mock, "nosuchcode"), "invalid device code");

    let started = start_device(&mock, "");
    let body = format!(
        "client_id=nosuchclient&device_code={}&grant_type={DEVICE_GRANT}",
        started["device_code"].as_str().unwrap()
    );
    let response = mock.post_form("/oauth2/token", &body);
    assert_eq!(
        (response.status, response.body.as_str()),
        (400, r#"{"status":400,"message":"invalid client"}"#)
    );
}
