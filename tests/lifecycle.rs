//! The session under faults: a fault matrix, failing storage, the shared validation schedule,
//! events, and where tokens go, against mock-twitch in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use serde::de::IgnoredAny;
use twitch_wasm_auth::record::SessionRecord;
use twitch_wasm_auth::session::SessionState;
use twitch_wasm_auth::{Client, Error};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FAULT_KINDS: [&str; 8] = [
    "401",
    "429",
    "500",
    "503-no-cors",
    "drop",
    "delay",
    "not-json",
    "empty",
];

fn stored_record(prefix: &str) -> Option<SessionRecord> {
    let text = local_storage()
        .get_item(&config(prefix).session_key())
        .unwrap()?;
    SessionRecord::from_storage(&text).ok()
}

async fn signed_in(prefix: &str) -> (Client, Minted) {
    let client = client(prefix);
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    clear_requests().await;
    (client, minted)
}

/// Returns the error a transient fault surfaces as, once retries are used up.
fn transient_error(kind: &str) -> Error {
    match kind {
        "429" => Error::RateLimited,
        "500" => Error::Server { status: 500 },
        "503-no-cors" | "drop" => Error::Network,
        "delay" => Error::Timeout,
        "not-json" | "empty" => Error::UnexpectedBody { status: 200 },
        other => panic!("no transient error for {other}"),
    }
}

/// Checks the number of requests the mock saw for `fetches` fetches of the page. After a
/// `drop` the browser may resend each fetch on its own, up to [`DROP_RESENDS`] times.
fn assert_requests(seen: usize, fetches: usize, kind: &str, target: &str) {
    if kind == "drop" {
        let max = fetches * DROP_RESENDS as usize;
        assert!(
            (fetches..=max).contains(&seen),
            "{target} drop: {seen} requests, expected {fetches} to {max}"
        );
    } else {
        assert_eq!(seen, fetches, "{target} {kind}: requests");
    }
}

#[derive(Default)]
struct Tally {
    tried: u32,
    kept: u32,
    ended_by_validate: u32,
    logged_out: u32,
    lost: u32,
}

#[wasm_bindgen_test]
async fn fault_matrix() {
    let mut tally = Tally::default();

    for kind in FAULT_KINDS {
        // Validate at load: only a 401 ends the session.
        reset().await;
        let (_, minted) = signed_in("matrix").await;
        fault("/oauth2/validate", kind, 1).await;
        let state = Client::new(config("matrix")).unwrap().restore().await;
        tally.tried += 1;
        assert_requests(count("GET", "/oauth2/validate").await, 1, kind, "validate");
        if kind == "401" {
            assert_eq!(
                state,
                SessionState::SignedOut {
                    reason: Some(Error::TokenInvalid)
                },
                "validate 401"
            );
            assert!(
                stored_record("matrix").is_none(),
                "validate 401 removes the session"
            );
            tally.ended_by_validate += 1;
        } else {
            let SessionState::Unverified { reason, .. } = &state else {
                panic!("validate {kind}: expected unverified, got {state:?}");
            };
            assert_eq!(reason, &transient_error(kind), "validate {kind}: reason");
            match stored_record("matrix") {
                Some(record) => {
                    assert_eq!(
                        record.access_token.secret(),
                        minted.access_token,
                        "validate {kind}"
                    );
                    tally.kept += 1;
                }
                None => tally.lost += 1,
            }
        }

        // Helix users: transient faults are retried, a 401 is checked with one validation.
        reset().await;
        let (client, minted) = signed_in("matrix").await;
        fault("/helix/users", kind, 4).await;
        let result = client.get_users(&[], &[]).await;
        tally.tried += 1;
        let (expected_error, helix_requests, validate_requests) = match kind {
            "401" => (Error::TokenInvalid, 1, 1),
            "not-json" | "empty" => (transient_error(kind), 1, 0),
            _ => (transient_error(kind), 4, 0),
        };
        assert_eq!(result, Err(expected_error), "helix {kind}: result");
        assert_requests(
            count("GET", "/helix/users").await,
            helix_requests,
            kind,
            "helix",
        );
        assert_eq!(
            count("GET", "/oauth2/validate").await,
            validate_requests,
            "helix {kind}: validations"
        );
        match stored_record("matrix") {
            Some(record) if record.access_token.secret() == minted.access_token => tally.kept += 1,
            _ => tally.lost += 1,
        }

        // Revoke at logout: the session is removed locally whatever Twitch returns.
        reset().await;
        let (client, _) = signed_in("matrix").await;
        fault("/oauth2/revoke", kind, 1).await;
        let result = client.logout().await;
        tally.tried += 1;
        let expected = match kind {
            "401" => Err(Error::Http {
                status: 401,
                message: "invalid access token".to_owned(),
            }),
            "not-json" | "empty" => Ok(()),
            _ => Err(transient_error(kind)),
        };
        assert_eq!(result, expected, "revoke {kind}: result");
        assert_requests(count("POST", "/oauth2/revoke").await, 1, kind, "revoke");
        assert!(
            stored_record("matrix").is_none(),
            "revoke {kind}: removed locally"
        );
        assert_eq!(client.state(), SessionState::SignedOut { reason: None });
        tally.logged_out += 1;
    }

    console_log!(
        "fault matrix: {} faults tried, {} sessions kept, {} ended by a 401 from validate, {} logouts, {} sessions lost",
        tally.tried,
        tally.kept,
        tally.ended_by_validate,
        tally.logged_out,
        tally.lost
    );
    assert_eq!(tally.tried, 24);
    assert_eq!(tally.kept, 15);
    assert_eq!(tally.ended_by_validate, 1);
    assert_eq!(tally.lost, 0);
}

#[wasm_bindgen_test]
async fn expired_session_ends_without_request() {
    reset().await;
    let (_, _) = signed_in("expired").await;
    let mut record = stored_record("expired").unwrap();
    record.expires_at = Some(js_sys::Date::now() - 1.0);
    local_storage()
        .set_item(&config("expired").session_key(), &record.to_storage())
        .unwrap();

    let state = Client::new(config("expired")).unwrap().restore().await;

    assert_eq!(
        state,
        SessionState::SignedOut {
            reason: Some(Error::TokenInvalid)
        }
    );
    assert!(requests().await.is_empty());
}

#[wasm_bindgen_test]
async fn events_follow_state_changes() {
    reset().await;
    let client = client("events");
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&seen);
    client.on_change(Rc::new(move |state| {
        sink.borrow_mut().push(state.name().to_owned())
    }));
    let minted = mint("{}").await;

    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    fault("/oauth2/validate", "500", 1).await;
    client.validate_stored().await;
    client.validate_stored().await;
    control(
        "POST",
        "/_mock/tokens/revoke",
        &format!(r#"{{"token":"{}"}}"#, minted.access_token),
    )
    .await;
    client.validate_stored().await;

    assert_eq!(
        *seen.borrow(),
        vec!["signed_in", "unverified", "signed_in", "signed_out"]
    );
}

#[wasm_bindgen_test]
async fn tabs_share_one_validation_per_interval() {
    reset().await;
    let (_, _) = signed_in("schedule").await;
    let mut config = config("schedule");
    config.validate_interval_ms = 1_000;
    let tabs: Vec<Client> = (0..3)
        .map(|_| Client::new(config.clone()).unwrap())
        .collect();
    for tab in &tabs {
        tab.start().await;
    }
    assert_eq!(
        count("GET", "/oauth2/validate").await,
        3,
        "each tab validates at start-up"
    );
    clear_requests().await;

    sleep(2_500).await;
    for tab in &tabs {
        tab.stop();
    }

    assert_eq!(
        count("GET", "/oauth2/validate").await,
        2,
        "two intervals passed, shared by three tabs"
    );
    for tab in &tabs {
        assert!(
            matches!(tab.state(), SessionState::SignedIn(_)),
            "{:?}",
            tab.state()
        );
    }
}

#[wasm_bindgen_test]
async fn failing_storage_keeps_session_in_memory() {
    reset().await;
    record_console();
    run_js(
        r#"
        window.__savedSetItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function () {
            throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        };
        "#,
    );
    let client = Client::new(config("no-storage")).unwrap();
    let minted = mint("{}").await;

    let state = client.sign_in_with_token(&minted.access_token).await;
    let users = client.get_users(&[], &[]).await;
    let restored = client.restore().await;
    run_js("Storage.prototype.setItem = window.__savedSetItem;");

    assert!(matches!(state, Ok(SessionState::SignedIn(_))), "{state:?}");
    assert_eq!(users.unwrap()[0].login, "twitchdev");
    assert!(
        matches!(restored, SessionState::SignedIn(_)),
        "{restored:?}"
    );
    assert_eq!(
        local_storage()
            .get_item(&config("no-storage").session_key())
            .unwrap(),
        None
    );
    let warnings = recorded_console()
        .into_iter()
        .filter(|line| line.contains("localStorage is unavailable"))
        .count();
    assert_eq!(warnings, 1, "said once");
}

#[wasm_bindgen_test]
async fn tokens_never_reach_console() {
    reset().await;
    record_console();
    let (client, minted) = signed_in("console").await;
    client.get_users(&[], &[]).await.unwrap();
    fault("/helix/users", "500", 10).await;
    let _ = client.get_users(&[], &[]).await;
    fault("/oauth2/validate", "drop", 1).await;
    client.validate_stored().await;
    let _: Result<IgnoredAny, Error> = client.helix_get("../oauth2/validate", &[]).await;
    client.logout().await.unwrap();

    let lines = recorded_console();

    assert!(
        lines.len() >= 5,
        "the flow logged its state changes: {lines:?}"
    );
    for line in &lines {
        assert!(
            !line.contains(&minted.access_token),
            "token in console: {line}"
        );
    }
}

#[wasm_bindgen_test]
async fn requests_stay_on_configured_origins() {
    reset().await;
    let (client, _) = signed_in("origins").await;
    run_js("performance.clearResourceTimings();");

    for path in [
        "https://evil.example/users",
        "//evil.example/users",
        "../oauth2/validate",
        "users?x=1",
    ] {
        let result: Result<IgnoredAny, Error> = client.helix_get(path, &[]).await;
        assert_eq!(result.unwrap_err().code(), "config", "path {path}");
    }
    client
        .get_users(&[], &["a/../b?c#d".to_owned()])
        .await
        .unwrap();

    let urls = run_js(
        r#"return performance.getEntriesByType("resource")
            .filter((entry) => entry.initiatorType === "fetch")
            .map((entry) => entry.name);"#,
    );
    let urls: Vec<String> = js_sys::Array::from(&urls)
        .iter()
        .filter_map(|url| url.as_string())
        .collect();
    assert!(!urls.is_empty());
    for url in &urls {
        assert!(
            url.starts_with(&format!("{}/", mock_url())),
            "request left the mock: {url}"
        );
    }
    assert_eq!(count("GET", "/helix/users").await, 1);
}
