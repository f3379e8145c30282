//! CORS headers, checked exactly, because browsers accept `*` where Twitch names headers.

mod common;

use common::start;
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use serde_json::json;

fn preflight(
    mock: &common::TestServer,
    path: &str,
    method: &str,
    request_headers: &str,
) -> common::HttpResponse {
    let headers = [
        ("Origin", "http://127.0.0.1:1"),
        ("Access-Control-Request-Method", method),
        ("Access-Control-Request-Headers", request_headers),
    ];
    mock.request("OPTIONS", path, &headers, "")
}

#[test]
fn id_preflight_allows_only_authorization() {
    let mock = start();
    for path in [
        "/oauth2/validate",
        "/oauth2/token",
        "/oauth2/revoke",
        "/oauth2/device",
    ] {
        let response = preflight(&mock, path, "GET", "authorization,client-id");
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-methods"),
            Some("GET, POST, OPTIONS"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-headers"),
            Some("Authorization"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-credentials"),
            None,
            "{path}"
        );
    }
}

#[test]
fn helix_preflight_allows_two_headers() {
    let mock = start();
    for path in [
        "/helix/users",
        "/helix/moderation/moderators",
        "/helix/anything",
    ] {
        let response = preflight(&mock, path, "GET", "authorization,client-id,content-type");
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-methods"),
            Some("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-headers"),
            Some("Authorization, Client-Id"),
            "{path}"
        );
        assert_eq!(
            response.header("access-control-allow-credentials"),
            None,
            "{path}"
        );
    }
}

#[test]
fn control_preflight_allows_content_type() {
    let mock = start();
    let response = preflight(&mock, "/_mock/tokens", "POST", "content-type");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        response.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
    assert_eq!(
        response.header("access-control-allow-headers"),
        Some("Content-Type")
    );
}

#[test]
fn no_wildcard_in_any_allow_list() {
    let mock = start();
    let token = mock.mint_access(json!({"scopes": ["moderation:read"]}));
    let mut responses = vec![
        preflight(&mock, "/oauth2/validate", "GET", "x-custom"),
        preflight(&mock, "/helix/users", "DELETE", "x-custom"),
        preflight(&mock, "/_mock/reset", "POST", "x-custom"),
        mock.validate(&token),
        mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID),
    ];
    responses.push(mock.post_form("/oauth2/revoke", "client_id=x&token=y"));

    for response in responses {
        for (name, value) in &response.headers {
            if name.starts_with("access-control-allow-") && name != "access-control-allow-origin" {
                assert!(!value.contains('*'), "{name}: {value}");
            }
        }
    }
}

#[test]
fn api_responses_allow_any_origin() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    let responses = [
        mock.validate(&token),
        mock.validate("bad"),
        mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID),
        mock.get("/helix/users", &[]),
        mock.post_form("/oauth2/token", "grant_type=x"),
        mock.post_form("/oauth2/device", "client_id=x"),
        mock.get("/_mock/requests", &[]),
    ];
    for response in responses {
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("*"),
            "{}",
            response.body
        );
        assert_eq!(response.header("access-control-allow-credentials"), None);
    }
}

#[test]
fn ratelimit_headers_are_not_exposed() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    let response = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);

    assert!(response.header("ratelimit-remaining").is_some());
    let exposed = response
        .header("access-control-expose-headers")
        .unwrap_or("");
    assert!(
        !exposed.to_ascii_lowercase().contains("ratelimit"),
        "exposed: {exposed}"
    );
    assert!(!exposed.contains('*'), "exposed: {exposed}");
}
