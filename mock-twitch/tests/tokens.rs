//! Validate, revoke and refresh: exact bodies, expiry, and refresh token rotation.

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::{form_encode, start};
use mock_twitch::seed::CONFIDENTIAL_CLIENT_SECRET;
use mock_twitch::seed::{CONFIDENTIAL_CLIENT_ID, PUBLIC_CLIENT_ID};
use serde_json::json;

const FOREIGN_CLIENT_ID: &str = "otherclientid000000000000000001";

#[test]
fn validate_accepts_oauth_and_bearer() {
    let mock = start();
    let token =
        mock.mint_access(json!({"scopes": ["chat:read", "user:read:email"], "expires_in": 3600}));

    for scheme in ["OAuth", "Bearer"] {
        let response = mock.get(
            "/oauth2/validate",
            &[("Authorization", &format!("{scheme} {token}"))],
        );
        assert_eq!(response.status, 200, "{scheme}");
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(
            response.body,
            format!(
                r#"{{"client_id":"{PUBLIC_CLIENT_ID}","login":"twitchdev","scopes":["chat:read","user:read:email"],"user_id":"141981764","expires_in":3600}}"#
            )
        );
    }
}

#[test]
fn validate_rejects_missing_and_invalid_tokens() {
    let mock = start();
    let missing = r#"{"status":401,"message":"missing authorization token"}"#;
    let invalid = r#"{"status":401,"message":"invalid access token"}"#;

    let no_header = mock.get("/oauth2/validate", &[]);
    assert_eq!((no_header.status, no_header.body.as_str()), (401, missing));
    let empty_token = mock.get("/oauth2/validate", &[("Authorization", "OAuth ")]);
    assert_eq!(
        (empty_token.status, empty_token.body.as_str()),
        (401, missing)
    );

    let unknown = mock.validate("abcdefghijklmnopqrstuvwxyz0123");
    assert_eq!((unknown.status, unknown.body.as_str()), (401, invalid));

    let expired = mock.mint_access(json!({}));
    mock.control("/_mock/tokens/expire", json!({"token": expired}));
    let response = mock.validate(&expired);
    assert_eq!((response.status, response.body.as_str()), (401, invalid));

    let revoked = mock.mint_access(json!({}));
    mock.control("/_mock/tokens/revoke", json!({"token": revoked}));
    let response = mock.validate(&revoked);
    assert_eq!((response.status, response.body.as_str()), (401, invalid));
}

#[test]
fn validate_reports_null_scopes_and_never_expiring() {
    let mock = start();
    let token = mock.mint_access(json!({"scopes_null": true, "expires_in": 0, "login": "mockmod"}));

    let body = mock.validate(&token).json();
    assert_eq!(body["scopes"], serde_json::Value::Null);
    assert_eq!(body["expires_in"], 0);
    assert_eq!(body["login"], "mockmod");

    let empty = mock.mint_access(json!({}));
    assert_eq!(mock.validate(&empty).json()["scopes"], json!([]));
}

#[test]
fn validate_counts_down_and_expires() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    mock.control(
        "/_mock/tokens/set-expiry",
        json!({"token": token, "expires_in": 2}),
    );

    assert_eq!(mock.validate(&token).json()["expires_in"], 2);
    sleep(Duration::from_millis(1100));
    assert_eq!(mock.validate(&token).json()["expires_in"], 1);
    sleep(Duration::from_millis(1000));
    assert_eq!(mock.validate(&token).status, 401);
}

#[test]
fn revoke_answers_like_twitch() {
    let mock = start();
    let token = mock.mint_access(json!({}));

    let ok = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id={PUBLIC_CLIENT_ID}&token={token}"),
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, "");
    assert_eq!(ok.header("access-control-allow-origin"), Some("*"));
    assert_eq!(mock.validate(&token).status, 401);

    let again = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id={PUBLIC_CLIENT_ID}&token={token}"),
    );
    assert_eq!(
        (again.status, again.body.as_str()),
        (400, r#"{"status":400,"message":"Invalid token"}"#)
    );

    let unknown_client = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id=nosuchclient&token={token}"),
    );
    assert_eq!(
        (unknown_client.status, unknown_client.body.as_str()),
        (404, r#"{"status":404,"message":"client does not exist"}"#)
    );
}

#[test]
fn revoke_with_another_client_fails() {
    let mock = start();
    let token = mock.mint_access(json!({"client_id": FOREIGN_CLIENT_ID}));

    let response = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id={PUBLIC_CLIENT_ID}&token={token}"),
    );
    assert_eq!(
        (response.status, response.body.as_str()),
        (400, r#"{"status":400,"message":"Invalid token"}"#)
    );
    assert_eq!(mock.validate(&token).status, 200);

    let own = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id={FOREIGN_CLIENT_ID}&token={token}"),
    );
    assert_eq!(own.status, 200);
}

#[test]
fn revoke_kills_the_token_pair() {
    let mock = start();

    let pair = mock.mint(json!({"with_refresh": true}));
    let access = pair["access_token"].as_str().unwrap();
    let refresh = pair["refresh_token"].as_str().unwrap();
    let response = mock.post_form(
        "/oauth2/revoke",
        &format!("client_id={PUBLIC_CLIENT_ID}&token={access}"),
    );
    assert_eq!(response.status, 200);
    assert_eq!(refresh_with(&mock, PUBLIC_CLIENT_ID, refresh).status, 400);

    let pair = mock.mint(json!({"with_refresh": true}));
    let access = pair["access_token"].as_str().unwrap();
    let refresh = pair["refresh_token"].as_str().unwrap();
    let body = format!(
        "client_id={PUBLIC_CLIENT_ID}&token={}",
        form_encode(refresh)
    );
    assert_eq!(mock.post_form("/oauth2/revoke", &body).status, 200);
    assert_eq!(mock.validate(access).status, 401);
}

fn refresh_with(
    mock: &common::TestServer,
    client_id: &str,
    refresh_token: &str,
) -> common::HttpResponse {
    let body = format!(
        "grant_type=refresh_token&refresh_token={}&client_id={client_id}",
        form_encode(refresh_token)
    );
    mock.post_form("/oauth2/token", &body)
}

#[test]
fn refresh_rotates_the_pair() {
    let mock = start();
    let first = mock.mint(json!({"with_refresh": true, "scopes": ["chat:read"]}));
    let old_refresh = first["refresh_token"].as_str().unwrap();
    assert_eq!(first["expires_in"], 14_400);
    assert_eq!(old_refresh.len(), 50);
    assert!(
        old_refresh.contains('%') && old_refresh.contains('/'),
        "{old_refresh}"
    );

    let response = refresh_with(&mock, PUBLIC_CLIENT_ID, old_refresh);
    assert_eq!(response.status, 200, "{}", response.body);
    let body = response.json();
    let new_access = body["access_token"].as_str().unwrap();
    let new_refresh = body["refresh_token"].as_str().unwrap();
    assert_eq!(new_access.len(), 30);
    assert_ne!(new_access, first["access_token"].as_str().unwrap());
    assert_ne!(new_refresh, old_refresh);
    assert_eq!(body["expires_in"], 14_400);
    assert_eq!(body["scope"], json!(["chat:read"]));
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(
        mock.validate(new_access).json()["scopes"],
        json!(["chat:read"])
    );

    let reused = refresh_with(&mock, PUBLIC_CLIENT_ID, old_refresh);
    assert_eq!(
        (reused.status, reused.body.as_str()),
        (400, r#"{"status":400,"message":"Invalid refresh token"}"#)
    );
    assert_eq!(
        refresh_with(&mock, PUBLIC_CLIENT_ID, new_refresh).status,
        200
    );
}

#[test]
fn refresh_token_needs_form_encoding() {
    let mock = start();
    let pair = mock.mint(json!({"with_refresh": true}));
    let refresh = pair["refresh_token"].as_str().unwrap();

    // Sent raw, the `%2X` escape inside the token decodes to another byte.
    let raw =
        format!("grant_type=refresh_token&refresh_token={refresh}&client_id={PUBLIC_CLIENT_ID}");
    let response = mock.post_form("/oauth2/token", &raw);
    assert_eq!(response.status, 400);
    assert_eq!(response.json()["message"], "Invalid refresh token");

    // With `+` for spaces and `%2F`, `%25` escapes, the same token works.
    assert_eq!(refresh_with(&mock, PUBLIC_CLIENT_ID, refresh).status, 200);
}

#[test]
fn refresh_rejects_unknown_and_foreign_tokens() {
    let mock = start();
    let unknown = refresh_with(&mock, PUBLIC_CLIENT_ID, "a%2Fb/c");
    assert_eq!(
        unknown.body,
        r#"{"status":400,"message":"Invalid refresh token"}"#
    );

    let pair = mock.mint(json!({"with_refresh": true, "client_id": FOREIGN_CLIENT_ID}));
    let refresh = pair["refresh_token"].as_str().unwrap();
    let foreign = refresh_with(&mock, PUBLIC_CLIENT_ID, refresh);
    assert_eq!(
        foreign.body,
        r#"{"status":400,"message":"Invalid refresh token"}"#
    );
    assert_eq!(refresh_with(&mock, FOREIGN_CLIENT_ID, refresh).status, 200);

    let expired = mock.mint(json!({"with_refresh": true}));
    let expired_refresh = expired["refresh_token"].as_str().unwrap();
    mock.control("/_mock/tokens/expire", json!({"token": expired_refresh}));
    assert_eq!(
        refresh_with(&mock, PUBLIC_CLIENT_ID, expired_refresh).status,
        400
    );
}

#[test]
fn confidential_refresh_needs_secret() {
    let mock = start();
    let pair = mock.mint(json!({"with_refresh": true, "client_id": CONFIDENTIAL_CLIENT_ID}));
    let refresh = pair["refresh_token"].as_str().unwrap();

    let response = refresh_with(&mock, CONFIDENTIAL_CLIENT_ID, refresh);
    assert_eq!(
        (response.status, response.body.as_str()),
        (400, r#"{"status":400,"message":"missing client secret"}"#)
    );

    let body = format!(
        "grant_type=refresh_token&refresh_token={}&client_id={CONFIDENTIAL_CLIENT_ID}&client_secret={CONFIDENTIAL_CLIENT_SECRET}",
        form_encode(refresh)
    );
    assert_eq!(mock.post_form("/oauth2/token", &body).status, 200);
}

#[test]
fn code_grant_and_unknown_grants_fail() {
    let mock = start();
    let code = mock.post_form(
        "/oauth2/token",
        &format!("grant_type=authorization_code&code=abc&client_id={PUBLIC_CLIENT_ID}&code_verifier=xyz&redirect_uri=http%3A%2F%2Fa%2F"),
    );
    assert_eq!(
        (code.status, code.body.as_str()),
        (400, r#"{"status":400,"message":"missing client secret"}"#)
    );

    for grant in ["client_credentials", "password", ""] {
        let response = mock.post_form(
            "/oauth2/token",
            &format!("grant_type={grant}&client_id={PUBLIC_CLIENT_ID}"),
        );
        assert_eq!(
            (response.status, response.body.as_str()),
            (400, r#"{"status":400,"message":"unsupported grant type"}"#),
            "{grant:?}"
        );
    }
}
