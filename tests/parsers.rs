//! The pure parsers run in the browser, where JSON goes through `JSON.parse` and the crate's own
//! deserializer instead of `serde_json`. The cases repeat the native unit tests, so both
//! paths give the same typed results.
#![cfg(target_arch = "wasm32")]

use serde::de::IgnoredAny;
use twitch_wasm_auth::device::{poll_from_response, Poll, TokenPair};
use twitch_wasm_auth::error::Damage;
use twitch_wasm_auth::helix::{helix_error, helix_from_response, Page, User};
use twitch_wasm_auth::http::HttpResponse;
use twitch_wasm_auth::record::{Flow, SessionRecord};
use twitch_wasm_auth::validate::ValidatedToken;
use twitch_wasm_auth::{json, AccessToken, Error, RefreshToken};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn validate(status: u16, body: &str) -> Result<ValidatedToken, Error> {
    ValidatedToken::from_response(&HttpResponse::new(status, body))
}

#[wasm_bindgen_test]
fn validate_bodies_parse_as_natively() {
    let token = validate(
        200,
        r#"{"client_id":"wbmytr93xzw8zbg0p1izqyzzc5mbiz","login":"twitchdev","scopes":["channel:read:subscriptions"],"user_id":"141981764","expires_in":5520838}"#,
    )
    .unwrap();
    assert_eq!(token.login.as_deref(), Some("twitchdev"));
    assert_eq!(token.scopes, vec!["channel:read:subscriptions"]);
    assert_eq!(token.expires_in, Some(5_520_838));

    let app = validate(200, r#"{"client_id":"abc","scopes":null,"expires_in":0}"#).unwrap();
    assert!(app.scopes.is_empty());
    assert_eq!(app.login, None);
    assert_eq!(app.expires_in, None);
}

#[wasm_bindgen_test]
fn broken_validate_bodies_are_unexpected() {
    let cases = [
        "",
        "<html><body>Bad gateway</body></html>",
        r#"{"client_id":"abc"}"#,
        r#"{"client_id":"abc","expires_in":-5}"#,
        r#"{"client_id":"abc","expires_in":1e300}"#,
        r#"{"client_id":"abc","expires_in":"5520838"}"#,
        r#"{"client_id":"abc","expires_in":1.5}"#,
        r#"{"client_id":12,"expires_in":5}"#,
        r#"{"client_id":"abc","scopes":"chat:read","expires_in":5}"#,
        r#"{"client_id":"abc","scopes":[1,2],"expires_in":5}"#,
        "[]",
        "null",
        "true",
    ];

    for body in cases {
        assert_eq!(
            validate(200, body),
            Err(Error::UnexpectedBody { status: 200 }),
            "body {body}"
        );
    }
}

fn sample() -> SessionRecord {
    SessionRecord {
        flow: Flow::Device,
        access_token: AccessToken::new("abcdefghijklmnopqrstuvwxyz0123"),
        refresh_token: Some(RefreshToken::new(
            "x%2Fy/z0123456789abcdefghijklmnopqrstuvwxyz01234",
        )),
        client_id: "ourclientid0000000000000000001".to_owned(),
        login: Some("twitchdev".to_owned()),
        user_id: Some("141981764".to_owned()),
        scopes: vec!["user:read:email".to_owned()],
        expires_at: Some(1_800_000_000_000.0),
        validated_at: 1_700_000_000_000.5,
    }
}

#[wasm_bindgen_test]
fn records_round_trip_and_damage_is_typed() {
    let stored = sample().to_storage();
    assert_eq!(SessionRecord::from_storage(&stored), Ok(sample()));

    let cases = [
        (stored[..stored.len() / 2].to_owned(), Damage::Unreadable),
        ("abcdefghijklmnopqrstu".to_owned(), Damage::Unreadable),
        (
            stored.replace("\"version\":1", "\"version\":2"),
            Damage::UnknownVersion(2),
        ),
        (
            stored.replace("\"flow\":\"device\"", "\"flow\":\"other\""),
            Damage::Unreadable,
        ),
        (
            stored.replace("\"flow\":\"device\"", "\"flow\":7"),
            Damage::Unreadable,
        ),
        (
            stored.replace("abcdefghijklmnopqrstuvwxyz0123", "abcdefghijklmnopqrstu"),
            Damage::Token,
        ),
    ];
    for (text, expected) in cases {
        let shown: String = text.chars().take(60).collect();
        assert_eq!(
            SessionRecord::from_storage(&text),
            Err(expected),
            "input {shown}"
        );
    }

    let with_extra = stored.replacen('{', "{\"future\":{\"a\":[1,null]},", 1);
    assert_eq!(SessionRecord::from_storage(&with_extra), Ok(sample()));
}

#[wasm_bindgen_test]
fn helix_and_token_bodies_parse() {
    let users = r#"{"data":[{"id":"141981764","login":"twitchdev","display_name":"TwitchDev","type":"","broadcaster_type":"partner","description":"d","profile_image_url":"p","offline_image_url":"o","view_count":5980557,"created_at":"2016-12-14T20:32:28Z"}],"pagination":{"cursor":"abc"}}"#;
    let page: Page<User> = helix_from_response(&HttpResponse::new(200, users)).unwrap();
    assert_eq!(page.data[0].display_name, "TwitchDev");
    assert_eq!(page.data[0].email, None);
    assert_eq!(page.next_cursor(), Some("abc"));

    let missing_scope =
        r#"{"error":"Unauthorized","status":401,"message":"Missing scope: moderation:read"}"#;
    assert_eq!(
        helix_error(&HttpResponse::new(401, missing_scope)),
        Error::MissingScope {
            scope: "moderation:read".to_owned()
        }
    );

    let pending = r#"{"status":400,"message":"authorization_pending"}"#;
    assert_eq!(
        poll_from_response(&HttpResponse::new(400, pending)),
        Ok(Poll::Pending)
    );
    let token =
        r#"{"access_token":"a","expires_in":14124,"refresh_token":"b%2F/c","token_type":"bearer"}"#;
    let pair = TokenPair::from_response(&HttpResponse::new(200, token)).unwrap();
    assert_eq!(pair.refresh_token.secret(), "b%2F/c");
    assert!(pair.scopes.is_empty());

    let anything: Result<IgnoredAny, _> = json::from_str(r#"{"a":[1,{"b":null}],"c":"d"}"#);
    assert!(anything.is_ok());
}
