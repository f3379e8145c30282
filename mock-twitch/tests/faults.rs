//! Faults queued through the control API, and the request log.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::start;
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use serde_json::json;

#[test]
fn fault_401_uses_each_api_shape() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "401"}),
    );
    mock.control(
        "/_mock/faults",
        json!({"path": "/helix/users", "kind": "401"}),
    );

    let validate = mock.validate(&token);
    assert_eq!(
        (validate.status, validate.body.as_str()),
        (401, r#"{"status":401,"message":"invalid access token"}"#)
    );
    let helix = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);
    assert_eq!(
        (helix.status, helix.body.as_str()),
        (
            401,
            r#"{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}"#
        )
    );

    assert_eq!(mock.validate(&token).status, 200);
    assert_eq!(
        mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID).status,
        200
    );
}

#[test]
fn fault_429_and_500_bodies() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    mock.control(
        "/_mock/faults",
        json!({"path": "/helix/users", "kind": "429"}),
    );
    mock.control(
        "/_mock/faults",
        json!({"path": "/helix/users", "kind": "500"}),
    );

    let limited = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.body,
        r#"{"error":"Too Many Requests","status":429,"message":"Too Many Requests"}"#
    );
    assert!(limited
        .header("ratelimit-reset")
        .unwrap()
        .parse::<u64>()
        .is_ok());
    assert_eq!(limited.header("access-control-allow-origin"), Some("*"));

    let failed = mock.helix("/helix/users", &token, PUBLIC_CLIENT_ID);
    assert_eq!(failed.status, 500);
    assert_eq!(
        failed.body,
        r#"{"error":"Internal Server Error","status":500,"message":""}"#
    );
    assert_eq!(failed.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn fault_503_has_no_cors() {
    let mock = start();
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "503-no-cors"}),
    );
    let response = mock.validate("whatever");

    assert_eq!(response.status, 503);
    assert_eq!(response.header("content-type"), Some("text/html"));
    assert_eq!(response.header("access-control-allow-origin"), None);
}

#[test]
fn fault_drop_closes_without_response() {
    let mock = start();
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "drop", "count": 2}),
    );
    let raw = b"GET /oauth2/validate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    for _ in 0..2 {
        let error = mock
            .send_raw(raw)
            .expect_err("a dropped request has no response");
        assert!(
            error.contains("no complete response head in \"\""),
            "{error}"
        );
    }
    assert_eq!(mock.validate("x").status, 401);
}

#[test]
fn fault_drop_counts_only_new_connections() {
    let mock = start();
    let mut stream = TcpStream::connect(mock.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = b"GET /oauth2/validate HTTP/1.1\r\nHost: x\r\n\r\n";

    // The first request opens the connection, and the drop fault is queued after it.
    stream.write_all(request).unwrap();
    let mut first = [0u8; 512];
    let read = stream.read(&mut first).unwrap();
    assert!(first[..read].starts_with(b"HTTP/1.1 401"));
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "drop", "count": 1}),
    );

    // On the reused connection the drop closes it but stays queued, as a browser would
    // resend the request on a new connection.
    stream.write_all(request).unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    assert_eq!(mock.get("/_mock/state", &[]).json()["queued_faults"], 1);

    let raw = b"GET /oauth2/validate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert!(
        mock.send_raw(raw).is_err(),
        "the new connection is dropped too"
    );
    assert_eq!(mock.get("/_mock/state", &[]).json()["queued_faults"], 0);
    assert_eq!(mock.validate("x").status, 401);
}

#[test]
fn fault_not_json_and_empty() {
    let mock = start();
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "not-json"}),
    );
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "empty"}),
    );

    let html = mock.validate("x");
    assert_eq!(html.status, 200);
    assert_eq!(html.body, "<html><body>Bad gateway</body></html>");
    assert_eq!(html.header("content-type"), Some("text/html"));
    assert_eq!(html.header("access-control-allow-origin"), Some("*"));

    let empty = mock.validate("x");
    assert_eq!(empty.status, 200);
    assert_eq!(empty.body, "");
    assert_eq!(empty.header("content-length"), Some("0"));
    assert_eq!(empty.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn fault_delay_then_normal_answer() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "delay", "delay_ms": 300}),
    );

    let started = Instant::now();
    let response = mock.validate(&token);
    assert!(
        started.elapsed().as_millis() >= 300,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.status, 200);
}

#[test]
fn preflights_do_not_consume_faults() {
    let mock = start();
    mock.control(
        "/_mock/faults",
        json!({"path": "/helix/users", "kind": "500", "count": 1}),
    );
    let headers = [
        ("Origin", "http://a"),
        ("Access-Control-Request-Method", "GET"),
    ];

    for _ in 0..3 {
        assert_eq!(
            mock.request("OPTIONS", "/helix/users", &headers, "").status,
            200
        );
    }
    assert_eq!(mock.get("/helix/users", &[]).status, 500);
    assert_eq!(mock.get("/helix/users", &[]).status, 401);
}

#[test]
fn faults_clear_and_reset() {
    let mock = start();
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "500", "count": 5}),
    );
    assert_eq!(mock.get("/_mock/state", &[]).json()["queued_faults"], 5);
    mock.control("/_mock/faults/clear", json!({}));
    assert_eq!(mock.validate("x").status, 401);

    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "500"}),
    );
    let token = mock.mint_access(json!({}));
    mock.control("/_mock/reset", json!({}));
    assert_eq!(
        mock.validate(&token).status,
        401,
        "reset must drop tokens and faults"
    );
}

#[test]
fn fault_requests_are_validated() {
    let mock = start();
    let bad = [
        json!({"path": "/oauth2/validate", "kind": "teapot"}),
        json!({"path": "/_mock/reset", "kind": "500"}),
        json!({"path": "oauth2/validate", "kind": "500"}),
        json!({"path": "/oauth2/validate", "kind": "delay"}),
        json!({"path": "/oauth2/validate", "kind": "500", "count": 0}),
        json!({"path": "/oauth2/validate", "kind": "500", "typo": 1}),
    ];
    for body in bad {
        let response = mock.request("POST", "/_mock/faults", &[], &body.to_string());
        assert_eq!(response.status, 400, "{body}");
        assert!(response.json()["error"].is_string());
    }
}

#[test]
fn request_log_keeps_no_secrets() {
    let mock = start();
    let token = mock.mint_access(json!({}));
    mock.control(
        "/_mock/faults",
        json!({"path": "/oauth2/validate", "kind": "drop"}),
    );
    let _ = mock.send_raw(
        b"GET /oauth2/validate?secret=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );

    mock.request(
        "OPTIONS",
        "/helix/users",
        &[
            ("Origin", "http://page.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        "",
    );
    mock.helix(
        &format!("/helix/users?login=twitchdev&token={token}"),
        &token,
        PUBLIC_CLIENT_ID,
    );
    mock.get("/oauth2/validate", &[("Authorization", &token)]);

    let log = mock.get("/_mock/requests", &[]);
    assert!(!log.body.contains(&token), "the log contains a token");
    assert!(
        !log.body.contains("secret"),
        "the log contains a query string"
    );

    let requests = log.json()["requests"].as_array().unwrap().clone();
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert_eq!(requests[0]["path"], "/oauth2/validate");
    assert_eq!(requests[0]["status"], serde_json::Value::Null);
    assert_eq!(requests[1]["method"], "OPTIONS");
    assert_eq!(requests[1]["origin"], "http://page.example");
    assert_eq!(requests[1]["status"], 200);
    assert_eq!(requests[2]["auth_scheme"], "Bearer");
    assert_eq!(requests[2]["client_id"], PUBLIC_CLIENT_ID);
    assert_eq!(
        requests[2]["headers"],
        json!(["host", "connection", "authorization", "client-id"])
    );
    assert_eq!(requests[2]["status"], 200);
    assert_eq!(requests[3]["auth_scheme"], serde_json::Value::Null);
    assert_eq!(requests[3]["status"], 401);

    mock.control("/_mock/requests/clear", json!({}));
    assert_eq!(
        mock.get("/_mock/requests", &[]).json(),
        json!({"requests": []})
    );
}
