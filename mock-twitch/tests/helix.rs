//! Helix: authentication errors in Twitch's order, users, moderators and pagination.

mod common;

use common::start;
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use serde_json::{json, Value};

const FOREIGN_CLIENT_ID: &str = "otherclientid000000000000000001";

fn unauthorized(message: &str) -> String {
    format!(r#"{{"error":"Unauthorized","status":401,"message":"{message}"}}"#)
}

#[test]
fn helix_auth_errors_in_order() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    let bearer = format!("Bearer {token}");
    let oauth = format!("OAuth {token}");

    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("Client-Id", PUBLIC_CLIENT_ID)], "OAuth token is missing"),
        (
            &[("Authorization", &oauth), ("Client-Id", PUBLIC_CLIENT_ID)],
            "OAuth token is missing",
        ),
        (
            &[
                ("Authorization", "Bearer "),
                ("Client-Id", PUBLIC_CLIENT_ID),
            ],
            "OAuth token is missing",
        ),
        (&[("Authorization", &bearer)], "Client ID is missing"),
        (
            &[
                ("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz0123"),
                ("Client-Id", PUBLIC_CLIENT_ID),
            ],
            "Invalid OAuth token",
        ),
        (
            &[("Authorization", &bearer), ("Client-Id", FOREIGN_CLIENT_ID)],
            "Client ID and OAuth token do not match",
        ),
    ];
    for (headers, message) in cases {
        let response = mock.get("/helix/users", headers);
        assert_eq!(response.status, 401, "{message}");
        assert_eq!(response.body, unauthorized(message));
        assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    }

    // The OAuth prefix fails on Helix while validate accepts the same token.
    assert_eq!(mock.validate(&token).status, 200);
}

#[test]
fn helix_rejects_dead_tokens() {
    let mock = start();
    let expired = mock.mint_access(json!({}));
    mock.control("/_mock/tokens/expire", json!({"token": expired}));
    let revoked = mock.mint_access(json!({}));
    mock.control("/_mock/tokens/revoke", json!({"token": revoked}));

    for token in [expired, revoked] {
        let response = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);
        assert_eq!(response.body, unauthorized("Invalid OAuth token"));
    }
}

#[test]
fn users_returns_own_user_without_parameters() {
    let mock = start();
    let token = mock.mint_access(json!({"login": "twitchdev", "scopes": ["user:read:email"]}));
    let response = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);

    assert_eq!(response.status, 200);
    assert_eq!(response.header("ratelimit-limit"), Some("800"));
    assert_eq!(response.header("ratelimit-remaining"), Some("799"));
    assert!(
        response
            .header("ratelimit-reset")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 1_700_000_000
    );
    let expected = json!({"data": [{
        "id": "141981764",
        "login": "twitchdev",
        "display_name": "TwitchDev",
        "type": "",
        "broadcaster_type": "partner",
        "description": "Supporting third-party developers building Twitch integrations from chatbots to game integrations.",
        "profile_image_url": format!("{}/avatars/twitchdev.svg", mock.origin),
        "offline_image_url": "",
        "view_count": 0,
        "email": "twitchdev@example.com",
        "created_at": "2016-12-14T20:32:28Z"
    }]});
    assert_eq!(response.json(), expected);
}

#[test]
fn users_by_ids_and_logins() {
    let mock = start();
    let token = mock.mint_access(json!({"scopes": ["user:read:email"]}));
    let target = "/helix/users?id=100000001&id=999&login=MockMod&login=nobody&login=mockviewer";
    let body = mock.helix(target, &token, PUBLIC_CLIENT_ID).json();

    let logins: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, vec!["mockviewer", "mockmod"]);
    for user in body["data"].as_array().unwrap() {
        assert!(user.get("email").is_none(), "email of another user: {user}");
    }
}

#[test]
fn email_needs_scope_and_own_user() {
    let mock = start();
    let without_scope = mock.mint_access(json!({"login": "mockviewer"}));
    let body = mock
        .helix("/helix/users", &without_scope, PUBLIC_CLIENT_ID)
        .json();
    assert!(body["data"][0].get("email").is_none());

    let with_scope =
        mock.mint_access(json!({"login": "mockviewer", "scopes": ["user:read:email"]}));
    let body = mock
        .helix(
            "/helix/users?login=mockviewer&login=twitchdev",
            &with_scope,
            PUBLIC_CLIENT_ID,
        )
        .json();
    assert_eq!(body["data"][0]["email"], "mockviewer@example.com");
    assert!(body["data"][1].get("email").is_none());
}

#[test]
fn users_rejects_more_than_100_lookups() {
    let mock = start();
    let token = mock.mint_access(json!({}));

    let ids: Vec<String> = (0..101).map(|index| format!("id={index}")).collect();
    let response = mock.helix(
        &format!("/helix/users?{}", ids.join("&")),
        &token,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 400);
    assert_eq!(
        response.body,
        r#"{"error":"Bad Request","status":400,"message":"The parameter \"id\" was malformed: the value must be less than or equal to 100"}"#
    );

    let mixed: Vec<String> = (0..60)
        .map(|index| format!("id={index}&login=user{index}"))
        .collect();
    let response = mock.helix(
        &format!("/helix/users?{}", mixed.join("&")),
        &token,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 400);

    let hundred: Vec<String> = (0..100).map(|index| format!("id={index}")).collect();
    let response = mock.helix(
        &format!("/helix/users?{}", hundred.join("&")),
        &token,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 200);
}

#[test]
fn unknown_helix_path_is_404_after_auth() {
    let mock = start();
    let token = mock.mint_access(json!({}));

    let response = mock.helix("/helix/streams", &token, PUBLIC_CLIENT_ID);
    assert_eq!(response.status, 404);
    assert_eq!(
        response.body,
        r#"{"error":"Not Found","status":404,"message":""}"#
    );

    let anonymous = mock.get("/helix/streams", &[]);
    assert_eq!(anonymous.body, unauthorized("OAuth token is missing"));
}

fn moderators_page(mock: &common::TestServer, token: &str, query: &str) -> Value {
    let response = mock.helix(
        &format!("/helix/moderation/moderators?broadcaster_id=141981764{query}"),
        token,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

#[test]
fn moderators_need_scope_and_own_channel() {
    let mock = start();
    let no_scope = mock.mint_access(json!({}));
    let response = mock.helix(
        "/helix/moderation/moderators?broadcaster_id=141981764",
        &no_scope,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 401);
    assert_eq!(
        response.body,
        unauthorized("Missing scope: moderation:read")
    );

    let token = mock.mint_access(json!({"scopes": ["moderation:read"]}));
    let response = mock.helix(
        "/helix/moderation/moderators?broadcaster_id=100000001",
        &token,
        PUBLIC_CLIENT_ID,
    );
    assert_eq!(response.status, 403);
    assert_eq!(
        response.body,
        r#"{"error":"Forbidden","status":403,"message":"The ID in broadcaster_id must match the user ID found in the request's OAuth token."}"#
    );
}

#[test]
fn moderators_paginate_with_cursor() {
    let mock = start();
    let token = mock.mint_access(json!({"scopes": ["moderation:read"]}));

    let all = moderators_page(&mock, &token, "");
    assert_eq!(all["data"].as_array().unwrap().len(), 7);
    assert_eq!(all["pagination"], json!({}));
    assert_eq!(
        all["data"][0],
        json!({"user_id": "100000002", "user_login": "mockmod", "user_name": "MockMod"})
    );

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut query = "&first=3".to_string();
    loop {
        let page = moderators_page(&mock, &token, &query);
        let data = page["data"].as_array().unwrap();
        sizes.push(data.len());
        seen.extend(
            data.iter()
                .map(|moderator| moderator["user_id"].as_str().unwrap().to_string()),
        );
        match page["pagination"]["cursor"].as_str() {
            Some(cursor) => query = format!("&first=3&after={cursor}"),
            None => {
                assert_eq!(page["pagination"], json!({}));
                break;
            }
        }
    }
    assert_eq!(sizes, vec![3, 3, 1]);
    let expected: Vec<String> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|moderator| moderator["user_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn moderators_reject_bad_page_parameters() {
    let mock = start();
    let token = mock.mint_access(json!({"scopes": ["moderation:read"]}));
    for query in [
        "&first=0",
        "&first=101",
        "&first=abc",
        "&after=not-a-cursor",
    ] {
        let target = format!("/helix/moderation/moderators?broadcaster_id=141981764{query}");
        let response = mock.helix(&target, &token, PUBLIC_CLIENT_ID);
        assert_eq!(response.status, 400, "{query}");
        assert_eq!(response.json()["error"], "Bad Request");
    }
}
