//! The token doctor against mock-twitch in a real browser: live validation, revoked and
//! foreign tokens, and the stored-session option.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use twitch_wasm_auth::doctor::{Code, Finding, Input, Request, Severity};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .map(|finding| finding.code.as_str())
        .collect()
}

fn token_input(token: &str) -> Input {
    Input {
        token: Some(token.to_owned()),
        client_id: Some(PUBLIC_CLIENT.to_owned()),
        ..Input::default()
    }
}

fn stored(prefix: &str) -> Option<String> {
    local_storage()
        .get_item(&config(prefix).session_key())
        .unwrap()
}

/// Asserts that the only validate request carried `Authorization: OAuth` and nothing else.
async fn assert_one_clean_validate() {
    let validate: Vec<Logged> = requests()
        .await
        .into_iter()
        .filter(|request| request.path == "/oauth2/validate")
        .collect();
    assert_eq!(validate.len(), 1, "validate requests {validate:?}");
    assert_eq!(validate[0].auth_scheme.as_deref(), Some("OAuth"));
    assert_eq!(validate[0].client_id, None);
}

#[wasm_bindgen_test]
async fn live_token_gets_clean_bill() {
    reset().await;
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    let client = client("doctor-live");
    clear_requests().await;

    let findings = client
        .diagnose(token_input(&minted.access_token), false)
        .await;

    assert_eq!(codes(&findings), vec!["token_valid"]);
    assert_eq!(findings[0].severity, Severity::Ok);
    assert!(
        findings[0].evidence.contains("twitchdev"),
        "{}",
        findings[0].evidence
    );
    assert!(findings[0].evidence.contains("user:read:email"));
    assert_one_clean_validate().await;
    assert!(
        requests()
            .await
            .iter()
            .all(|request| request.path == "/oauth2/validate"),
        "the doctor sends nothing but validate"
    );
}

#[wasm_bindgen_test]
async fn live_token_with_wrong_request_names_cause() {
    reset().await;
    let minted = mint("{}").await;
    let client = client("doctor-oauth-scheme");
    let input = Input {
        request: Some(Request {
            method: "GET".to_owned(),
            url: format!("{}/helix/users", mock_url()),
            headers: vec![
                (
                    "Authorization".to_owned(),
                    format!("OAuth {}", minted.access_token),
                ),
                ("Client-Id".to_owned(), PUBLIC_CLIENT.to_owned()),
            ],
        }),
        ..token_input(&minted.access_token)
    };

    let findings = client.diagnose(input, false).await;

    assert_eq!(codes(&findings), vec!["oauth_scheme", "token_valid"]);
}

#[wasm_bindgen_test]
async fn revoked_token_is_named() {
    reset().await;
    let minted = mint("{}").await;
    control(
        "POST",
        "/_mock/tokens/revoke",
        &format!(r#"{{"token":"{}"}}"#, minted.access_token),
    )
    .await;
    let client = client("doctor-revoked");
    clear_requests().await;

    let findings = client
        .diagnose(token_input(&minted.access_token), false)
        .await;

    assert_eq!(
        findings[0].code,
        Code::TokenInvalid,
        "{:?}",
        codes(&findings)
    );
    assert_eq!(findings[0].severity, Severity::Error);
    assert_one_clean_validate().await;
}

#[wasm_bindgen_test]
async fn foreign_client_token_is_named() {
    reset().await;
    let minted = mint(r#"{"client_id":"otherclientid000000000000000001"}"#).await;
    let client = client("doctor-foreign");

    let findings = client
        .diagnose(token_input(&minted.access_token), false)
        .await;

    assert_eq!(
        findings[0].code,
        Code::ClientIdMismatch,
        "{:?}",
        codes(&findings)
    );
    assert!(findings[0]
        .evidence
        .contains("otherclientid000000000000000001"));
    assert!(findings[0].evidence.contains(PUBLIC_CLIENT));
}

#[wasm_bindgen_test]
async fn pasted_prefix_is_reported_and_token_still_checked() {
    reset().await;
    let minted = mint("{}").await;
    let client = client("doctor-prefix");

    let findings = client
        .diagnose(
            token_input(&format!("oauth:{}", minted.access_token)),
            false,
        )
        .await;

    assert_eq!(codes(&findings), vec!["token_prefix", "token_valid"]);
}

#[wasm_bindgen_test]
async fn unreachable_validate_only_warns() {
    reset().await;
    let minted = mint("{}").await;
    let client = client("doctor-offline");
    fault("/oauth2/validate", "drop", 1).await;

    let findings = client
        .diagnose(token_input(&minted.access_token), false)
        .await;

    assert_eq!(codes(&findings), vec!["validation_unavailable"]);
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[wasm_bindgen_test]
async fn stored_session_is_used() {
    reset().await;
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    let client = client("doctor-session");
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    clear_requests().await;

    let findings = client.diagnose(Input::default(), true).await;

    assert_eq!(codes(&findings), vec!["token_valid"]);
    assert!(findings[0].evidence.contains("twitchdev"));
    assert_one_clean_validate().await;
}

#[wasm_bindgen_test]
async fn stored_session_cut_short_is_not_sent() {
    reset().await;
    let minted = mint("{}").await;
    let client = client("doctor-cut");
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let cut = stored("doctor-cut")
        .unwrap()
        .replace(&minted.access_token, &minted.access_token[..21]);
    local_storage()
        .set_item(&config("doctor-cut").session_key(), &cut)
        .unwrap();
    clear_requests().await;

    let findings = client.diagnose(Input::default(), true).await;

    assert_eq!(
        findings[0].code,
        Code::TokenTruncated,
        "{:?}",
        codes(&findings)
    );
    assert!(findings[0].evidence.contains("21 characters, but 30"));
    assert_eq!(
        count("GET", "/oauth2/validate").await,
        0,
        "a damaged token is never sent"
    );
    assert_eq!(
        stored("doctor-cut"),
        Some(cut),
        "the doctor leaves the record in place"
    );
}

#[wasm_bindgen_test]
async fn stored_session_of_another_client_is_named() {
    reset().await;
    let minted = mint("{}").await;
    let client = client("doctor-tampered");
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let tampered = stored("doctor-tampered")
        .unwrap()
        .replace(PUBLIC_CLIENT, CONFIDENTIAL_CLIENT);
    local_storage()
        .set_item(&config("doctor-tampered").session_key(), &tampered)
        .unwrap();

    let findings = client.diagnose(Input::default(), true).await;

    assert_eq!(
        findings[0].code,
        Code::ClientIdMismatch,
        "{:?}",
        codes(&findings)
    );
    assert!(findings[0].evidence.contains(CONFIDENTIAL_CLIENT));
}

#[wasm_bindgen_test]
async fn missing_stored_session_is_reported() {
    reset().await;
    let client = client("doctor-none");
    clear_requests().await;

    let findings = client.diagnose(Input::default(), true).await;

    assert_eq!(codes(&findings), vec!["session_missing"]);
    assert!(requests().await.is_empty());
}
