//! Implicit sign-in, restore, logout and Helix calls against mock-twitch in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use serde::de::IgnoredAny;
use twitch_wasm_auth::error::Damage;
use twitch_wasm_auth::record::SessionRecord;
use twitch_wasm_auth::session::SessionState;
use twitch_wasm_auth::Error;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn login_of(state: &SessionState) -> Option<String> {
    match state {
        SessionState::SignedIn(info) => info.login.clone(),
        other => panic!("expected signed in, got {other:?}"),
    }
}

fn stored(prefix: &str) -> Option<String> {
    local_storage()
        .get_item(&config(prefix).session_key())
        .unwrap()
}

async fn redirect_with_token(
    prefix: &str,
    state: Option<&str>,
) -> (twitch_wasm_auth::Client, Minted) {
    let client = client(prefix);
    let url = client.authorize_url(&[]).unwrap();
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    let state = state.map_or_else(|| state_of(&url), str::to_owned);
    set_address(&format!(
        "#access_token={}&scope=user%3Aread%3Aemail&state={state}&token_type=bearer",
        minted.access_token
    ));
    (client, minted)
}

#[wasm_bindgen_test]
async fn redirect_token_signs_in_and_cleans_address() {
    reset().await;
    let (client, minted) = redirect_with_token("redirect", None).await;

    let outcome = client.start().await;

    assert_eq!(outcome.redirect_error, None);
    assert_eq!(login_of(&outcome.state).as_deref(), Some("twitchdev"));
    assert_eq!(address(), page_address());
    let record = SessionRecord::from_storage(&stored("redirect").unwrap()).unwrap();
    assert_eq!(record.access_token.secret(), minted.access_token);
    assert_eq!(record.scopes, vec!["user:read:email"]);
    assert!(record.expires_at.is_some(), "expiry comes from validate");
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
}

#[wasm_bindgen_test]
async fn validate_sends_only_authorization() {
    reset().await;
    let (client, _) = redirect_with_token("validate-headers", None).await;

    client.start().await;

    let validate: Vec<Logged> = requests()
        .await
        .into_iter()
        .filter(|request| request.path == "/oauth2/validate")
        .collect();
    assert_eq!(validate.len(), 1);
    assert_eq!(validate[0].auth_scheme.as_deref(), Some("OAuth"));
    assert_eq!(validate[0].client_id, None);
    assert!(!validate[0].headers.iter().any(|name| name == "client-id"));
}

#[wasm_bindgen_test]
async fn mismatched_state_discards_token() {
    reset().await;
    let (client, _) = redirect_with_token("state-mismatch", Some("forged")).await;

    let outcome = client.start().await;

    assert_eq!(outcome.redirect_error, Some(Error::StateMismatch));
    assert_eq!(outcome.state, SessionState::SignedOut { reason: None });
    assert_eq!(stored("state-mismatch"), None);
    assert_eq!(address(), page_address());
    assert_eq!(count("GET", "/oauth2/validate").await, 0);
}

#[wasm_bindgen_test]
async fn missing_state_discards_token() {
    reset().await;
    let client = client("state-missing");
    let minted = mint("{}").await;
    set_address(&format!(
        "#access_token={}&scope=&token_type=bearer",
        minted.access_token
    ));

    let outcome = client.start().await;

    assert_eq!(outcome.redirect_error, Some(Error::StateMissing));
    assert_eq!(stored("state-missing"), None);
    assert_eq!(address(), page_address());
}

#[wasm_bindgen_test]
async fn state_is_single_use() {
    reset().await;
    let (client, minted) = redirect_with_token("state-replay", None).await;
    let state = {
        client.start().await;
        client.logout().await.unwrap();
        "replayed"
    };
    set_address(&format!(
        "#access_token={}&state={state}",
        minted.access_token
    ));

    let outcome = client.start().await;

    assert_eq!(outcome.redirect_error, Some(Error::StateMismatch));
}

#[wasm_bindgen_test]
async fn cancel_keeps_existing_session() {
    reset().await;
    let client = client("cancel");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let before = stored("cancel");
    let url = client
        .authorize_url(&["moderation:read".to_owned()])
        .unwrap();
    set_address(&format!(
        "?error=access_denied&error_description=The+user+denied+you+access&state={}",
        state_of(&url)
    ));

    let outcome = client.start().await;

    assert_eq!(outcome.redirect_error, Some(Error::Cancelled));
    assert_eq!(login_of(&outcome.state).as_deref(), Some("twitchdev"));
    assert_eq!(address(), page_address());
    assert_eq!(
        SessionRecord::from_storage(&stored("cancel").unwrap())
            .unwrap()
            .access_token,
        SessionRecord::from_storage(&before.unwrap())
            .unwrap()
            .access_token
    );
}

#[wasm_bindgen_test]
async fn redirect_mismatch_and_oidc_errors_are_typed() {
    reset().await;
    let cases = [
        (
            "?error=redirect_mismatch&error_description=Parameter+redirect_uri+does+not+match+registered+URI",
            Error::RedirectMismatch,
        ),
        (
            "?error=unsupported_response_type&error_description=Response+type+is+not+supported",
            Error::ResponseTypeUnsupported,
        ),
    ];

    for (suffix, expected) in cases {
        let client = client("authorize-errors");
        set_address(suffix);

        let outcome = client.start().await;

        assert_eq!(outcome.redirect_error, Some(expected));
        assert_eq!(outcome.state, SessionState::SignedOut { reason: None });
        assert_eq!(address(), page_address());
    }
}

#[wasm_bindgen_test]
async fn restore_validates_stored_session() {
    reset().await;
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    client("restore")
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    clear_requests().await;
    let reloaded = twitch_wasm_auth::Client::new(config("restore")).unwrap();

    let state = reloaded.restore().await;

    assert_eq!(login_of(&state).as_deref(), Some("twitchdev"));
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
}

#[wasm_bindgen_test]
async fn revoked_token_signs_out_at_load() {
    reset().await;
    let minted = mint("{}").await;
    client("revoked")
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    control(
        "POST",
        "/_mock/tokens/revoke",
        &format!(r#"{{"token":"{}"}}"#, minted.access_token),
    )
    .await;
    clear_requests().await;
    let reloaded = twitch_wasm_auth::Client::new(config("revoked")).unwrap();

    let state = reloaded.restore().await;

    assert_eq!(
        state,
        SessionState::SignedOut {
            reason: Some(Error::TokenInvalid)
        }
    );
    assert_eq!(stored("revoked"), None);
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
    assert_eq!(count("GET", "/helix/users").await, 0);
}

#[wasm_bindgen_test]
async fn token_cut_short_in_storage_is_damage() {
    reset().await;
    let minted = mint("{}").await;
    client("cut-short")
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let cut = stored("cut-short")
        .unwrap()
        .replace(&minted.access_token, &minted.access_token[..21]);
    local_storage()
        .set_item(&config("cut-short").session_key(), &cut)
        .unwrap();
    clear_requests().await;
    let reloaded = twitch_wasm_auth::Client::new(config("cut-short")).unwrap();

    let state = reloaded.restore().await;

    assert_eq!(
        state,
        SessionState::SignedOut {
            reason: Some(Error::StorageDamaged(Damage::Token))
        }
    );
    assert_eq!(stored("cut-short"), None);
    assert!(requests().await.is_empty(), "a damaged token is never sent");
}

#[wasm_bindgen_test]
async fn raw_token_in_storage_is_damage() {
    reset().await;
    let client = client("raw-token");
    local_storage()
        .set_item(&config("raw-token").session_key(), "abcdefghijklmnopqrstu")
        .unwrap();

    let state = client.restore().await;

    assert_eq!(
        state,
        SessionState::SignedOut {
            reason: Some(Error::StorageDamaged(Damage::Unreadable))
        }
    );
    assert_eq!(stored("raw-token"), None);
}

#[wasm_bindgen_test]
async fn transient_validate_failures_keep_session() {
    let cases = [
        ("drop", Error::Network),
        ("503-no-cors", Error::Network),
        ("500", Error::Server { status: 500 }),
        ("429", Error::RateLimited),
        ("not-json", Error::UnexpectedBody { status: 200 }),
    ];

    for (kind, expected) in cases {
        reset().await;
        let minted = mint("{}").await;
        client("transient")
            .sign_in_with_token(&minted.access_token)
            .await
            .unwrap();
        let before = stored("transient").unwrap();
        fault("/oauth2/validate", kind, 1).await;
        let reloaded = twitch_wasm_auth::Client::new(config("transient")).unwrap();

        let state = reloaded.restore().await;

        let SessionState::Unverified { info, reason } = state else {
            panic!("fault {kind}: expected unverified, got {state:?}");
        };
        assert_eq!(reason, expected, "fault {kind}");
        assert_eq!(info.login.as_deref(), Some("twitchdev"), "fault {kind}");
        assert_eq!(
            stored("transient"),
            Some(before),
            "fault {kind}: session kept unchanged"
        );
    }
}

#[wasm_bindgen_test]
async fn foreign_client_id_is_rejected() {
    reset().await;
    let client = client("foreign");
    let minted = mint(r#"{"client_id":"otherclientid000000000000000001"}"#).await;

    let result = client.sign_in_with_token(&minted.access_token).await;

    assert_eq!(
        result,
        Err(Error::ClientIdMismatch {
            expected: PUBLIC_CLIENT.to_owned(),
            actual: "otherclientid000000000000000001".to_owned(),
        })
    );
    assert_eq!(stored("foreign"), None);
    assert_eq!(count("GET", "/helix/users").await, 0);
}

#[wasm_bindgen_test]
async fn pasted_oauth_prefix_becomes_bearer() {
    reset().await;
    let client = client("prefix");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&format!("OAuth {}", minted.access_token))
        .await
        .unwrap();

    let users = client.get_users(&[], &[]).await.unwrap();

    assert_eq!(users.len(), 1);
    assert_eq!(users[0].login, "twitchdev");
    let helix: Vec<Logged> = requests()
        .await
        .into_iter()
        .filter(|request| request.path == "/helix/users")
        .collect();
    assert_eq!(helix.len(), 1);
    assert_eq!(helix[0].auth_scheme.as_deref(), Some("Bearer"));
    assert_eq!(helix[0].client_id.as_deref(), Some(PUBLIC_CLIENT));
    let mut headers = helix[0].headers.clone();
    headers.sort();
    assert_eq!(
        headers
            .iter()
            .filter(|name| *name == "authorization" || *name == "client-id")
            .count(),
        2
    );
}

#[wasm_bindgen_test]
async fn email_needs_scope() {
    reset().await;
    let with_scope = client("email");
    let minted = mint(r#"{"scopes":["user:read:email"]}"#).await;
    with_scope
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let without_scope = client("no-email");
    let minted = mint("{}").await;
    without_scope
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();

    let with_email = with_scope.get_users(&[], &[]).await.unwrap();
    let without_email = without_scope.get_users(&[], &[]).await.unwrap();

    assert_eq!(
        with_email[0].email.as_deref(),
        Some("twitchdev@example.com")
    );
    assert_eq!(without_email[0].email, None);
}

#[wasm_bindgen_test]
async fn helix_invalid_token_confirmed_by_validate_ends_session() {
    reset().await;
    let client = client("helix-revoked");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    control(
        "POST",
        "/_mock/tokens/revoke",
        &format!(r#"{{"token":"{}"}}"#, minted.access_token),
    )
    .await;
    clear_requests().await;

    let result = client.get_users(&[], &[]).await;

    assert_eq!(result, Err(Error::TokenInvalid));
    assert_eq!(
        client.state(),
        SessionState::SignedOut {
            reason: Some(Error::TokenInvalid)
        }
    );
    assert_eq!(stored("helix-revoked"), None);
    assert_eq!(count("GET", "/helix/users").await, 1);
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
}

#[wasm_bindgen_test]
async fn helix_401_with_valid_token_keeps_session() {
    reset().await;
    let client = client("helix-401");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    fault("/helix/users", "401", 1).await;
    clear_requests().await;

    let result = client.get_users(&[], &[]).await;

    assert_eq!(result, Err(Error::TokenInvalid));
    assert_eq!(login_of(&client.state()).as_deref(), Some("twitchdev"));
    assert!(stored("helix-401").is_some());
    assert_eq!(count("GET", "/oauth2/validate").await, 1);
}

#[wasm_bindgen_test]
async fn helix_client_id_token_mismatch_is_typed() {
    reset().await;
    let client = client("helix-mismatch");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let key = config("helix-mismatch").session_key();
    let tampered = stored("helix-mismatch")
        .unwrap()
        .replace(PUBLIC_CLIENT, CONFIDENTIAL_CLIENT);
    local_storage().set_item(&key, &tampered).unwrap();

    let result = client.get_users(&[], &[]).await;

    assert_eq!(result, Err(Error::ClientIdTokenMismatch));
}

#[wasm_bindgen_test]
async fn missing_scope_names_scope() {
    reset().await;
    let client = client("scope");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    let query = vec![("broadcaster_id".to_owned(), minted.user_id.clone())];

    let result: Result<IgnoredAny, Error> = client.helix_get("moderation/moderators", &query).await;

    assert_eq!(
        result.map(|_| ()),
        Err(Error::MissingScope {
            scope: "moderation:read".to_owned()
        })
    );
    assert_eq!(
        count("GET", "/helix/moderation/moderators").await,
        0,
        "checked before sending"
    );
}

#[wasm_bindgen_test]
async fn users_split_into_batches_of_100() {
    reset().await;
    let client = client("batches");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    clear_requests().await;
    let ids: Vec<String> = (0..150).map(|i| format!("9{i:08}")).collect();
    let logins = vec!["twitchdev".to_owned()];

    let users = client.get_users(&ids, &logins).await.unwrap();

    assert_eq!(users.len(), 1);
    assert_eq!(users[0].login, "twitchdev");
    assert_eq!(count("GET", "/helix/users").await, 2);
}

#[wasm_bindgen_test]
async fn pagination_follows_cursor() {
    reset().await;
    let client = client("pages");
    let minted = mint(r#"{"scopes":["moderation:read"]}"#).await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    clear_requests().await;
    let query = vec![
        ("broadcaster_id".to_owned(), minted.user_id.clone()),
        ("first".to_owned(), "3".to_owned()),
    ];

    let moderators: Vec<IgnoredAny> = client
        .helix_get_all("moderation/moderators", &query, 10)
        .await
        .unwrap();
    let first_page: Vec<IgnoredAny> = client
        .helix_get_all("moderation/moderators", &query, 1)
        .await
        .unwrap();

    assert_eq!(moderators.len(), 7);
    assert_eq!(first_page.len(), 3);
    assert_eq!(count("GET", "/helix/moderation/moderators").await, 4);
}

#[wasm_bindgen_test]
async fn helix_retries_transient_faults() {
    reset().await;
    let client = client("retries");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    fault("/helix/users", "500", 2).await;
    clear_requests().await;

    let users = client.get_users(&[], &[]).await.unwrap();

    assert_eq!(users[0].login, "twitchdev");
    assert_eq!(count("GET", "/helix/users").await, 3);
}

#[wasm_bindgen_test]
async fn logout_revokes_token() {
    reset().await;
    let client = client("logout");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();

    client.logout().await.unwrap();

    assert_eq!(client.state(), SessionState::SignedOut { reason: None });
    assert_eq!(stored("logout"), None);
    assert_eq!(count("POST", "/oauth2/revoke").await, 1);
    assert_eq!(
        client.sign_in_with_token(&minted.access_token).await,
        Err(Error::TokenInvalid)
    );
}

#[wasm_bindgen_test]
async fn failed_revoke_still_clears_session() {
    reset().await;
    let client = client("logout-fault");
    let minted = mint("{}").await;
    client
        .sign_in_with_token(&minted.access_token)
        .await
        .unwrap();
    fault("/oauth2/revoke", "500", 1).await;

    let result = client.logout().await;

    assert_eq!(result, Err(Error::Server { status: 500 }));
    assert_eq!(client.state(), SessionState::SignedOut { reason: None });
    assert_eq!(stored("logout-fault"), None);
}
