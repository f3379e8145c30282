//! Each cause gets a realistic input whose top finding names it. Bodies are Twitch's own.

use super::*;
use crate::http::HttpResponse;
use crate::token_check::fingerprint;

const TOKEN: &str = "abcdefghijklmnopqrstuvwxyz0123";
const OUR_CLIENT: &str = "ourclientid0000000000000000001";
const OTHER_CLIENT: &str = "otherclientid000000000000000001";
const HELIX_USERS: &str = "https://api.twitch.tv/helix/users";
const MODERATORS: &str =
    "https://api.twitch.tv/helix/moderation/moderators?broadcaster_id=141981764";

fn validate_body(client_id: &str, scopes: &str) -> String {
    format!(
        r#"{{"client_id":"{client_id}","login":"twitchdev","scopes":{scopes},"user_id":"141981764","expires_in":5520838}}"#
    )
}

fn validated(client_id: &str, scopes: &str) -> Option<Result<ValidatedToken, Error>> {
    let response = HttpResponse::new(200, validate_body(client_id, scopes));
    Some(ValidatedToken::from_response(&response))
}

fn validate_failed(status: u16, body: &str) -> Option<Result<ValidatedToken, Error>> {
    Some(ValidatedToken::from_response(&HttpResponse::new(
        status, body,
    )))
}

fn helix_401(message: &str) -> Response {
    Response {
        status: Some(401),
        body: format!(r#"{{"error":"Unauthorized","status":401,"message":"{message}"}}"#),
    }
}

fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> Request {
    Request {
        method: method.to_owned(),
        url: url.to_owned(),
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
    }
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

fn healthy_input() -> Input {
    let authorization = bearer();
    Input {
        token: Some(TOKEN.to_owned()),
        client_id: Some(OUR_CLIENT.to_owned()),
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[
                ("Authorization", authorization.as_str()),
                ("Client-Id", OUR_CLIENT),
            ],
        )),
        validation: validated(OUR_CLIENT, r#"["user:read:email"]"#),
        ..Input::default()
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .map(|finding| finding.code.as_str())
        .collect()
}

/// Asserts the top finding's code and severity, and that no finding shows the token.
#[track_caller]
fn assert_top(input: &Input, code: Code, severity: Severity) -> Vec<Finding> {
    let findings = diagnose(input);

    assert!(!findings.is_empty(), "no findings");
    assert_eq!(findings[0].code, code, "findings {:?}", codes(&findings));
    assert_eq!(findings[0].severity, severity, "severity of {code:?}");
    for finding in &findings {
        for text in [&finding.title, &finding.evidence, &finding.fix] {
            assert!(!text.contains(TOKEN), "{:?} shows the token", finding.code);
            assert!(!text.is_empty(), "{:?} has an empty text", finding.code);
        }
    }
    findings
}

#[test]
fn healthy_token_and_request_get_clean_bill() {
    let findings = assert_top(&healthy_input(), Code::TokenValid, Severity::Ok);

    assert_eq!(findings.len(), 1, "findings {:?}", codes(&findings));
    let summary = &findings[0].evidence;
    assert!(summary.contains("twitchdev"), "{summary}");
    assert!(summary.contains("user:read:email"), "{summary}");
    assert!(summary.contains("63 days"), "{summary}");
    assert_eq!(findings[0].fix, "Nothing to fix.");
}

#[test]
fn healthy_token_alone_gets_clean_bill() {
    let input = Input {
        token: Some(TOKEN.to_owned()),
        validation: validated(OUR_CLIENT, "null"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenValid, Severity::Ok);

    assert_eq!(findings.len(), 1, "findings {:?}", codes(&findings));
    assert!(findings[0].evidence.contains("no scopes"));
}

#[test]
fn empty_token_is_reported() {
    for token in ["", "   ", "\n\t"] {
        let input = Input {
            token: Some(token.to_owned()),
            client_id: Some(OUR_CLIENT.to_owned()),
            ..Input::default()
        };
        if token.is_empty() {
            // An empty field counts as no token at all.
            assert_top(&input, Code::NothingFound, Severity::Ok);
            continue;
        }

        assert_top(&input, Code::TokenEmpty, Severity::Error);
        assert!(token_to_validate(&input).is_none());
    }
}

#[test]
fn quotes_and_whitespace_around_token() {
    let input = Input {
        token: Some(format!("\"{TOKEN}\"\n")),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenPadding, Severity::Error);

    assert!(findings[0].evidence.contains("quotes"));
    assert!(findings[0].evidence.contains("whitespace"));
    assert_eq!(token_to_validate(&input).unwrap().secret(), TOKEN);
}

#[test]
fn chat_prefix_in_token_value() {
    let input = Input {
        token: Some(format!("oauth:{TOKEN}")),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenPrefix, Severity::Error);

    assert!(findings[0].evidence.contains("oauth:"));
    assert_eq!(token_to_validate(&input).unwrap().secret(), TOKEN);
    assert!(codes(&findings).contains(&"token_valid"));
}

#[test]
fn scheme_prefixes_in_token_value() {
    for (pasted, named) in [("Bearer ", "Bearer"), ("OAuth ", "OAuth")] {
        let input = Input {
            token: Some(format!("{pasted}{TOKEN}")),
            ..Input::default()
        };

        let findings = assert_top(&input, Code::TokenPrefix, Severity::Error);

        assert!(findings[0].evidence.contains(named), "{pasted}");
        assert_eq!(token_to_validate(&input).unwrap().secret(), TOKEN);
    }
}

#[test]
fn unusual_shape_only_warns() {
    let input = Input {
        token: Some("ABCDEF-ghijk_123".to_owned()),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenShape, Severity::Warning);

    assert_eq!(findings.len(), 1);
    assert!(findings[0].evidence.contains("16 characters"));
    assert!(
        token_to_validate(&input).is_some(),
        "shape alone never stops validation"
    );
}

#[test]
fn refresh_token_and_client_id_are_recognised() {
    let refresh = Input {
        token: Some("x%2Fy/z0123456789abcdefghijklmnopqrstuvwxyz01234".to_owned()),
        ..Input::default()
    };
    let client_id = Input {
        token: Some(OUR_CLIENT.to_owned()),
        client_id: Some(OUR_CLIENT.to_owned()),
        ..Input::default()
    };

    let refresh_findings = assert_top(&refresh, Code::TokenShape, Severity::Warning);
    assert!(refresh_findings[0].evidence.contains("refresh token"));
    // A client id has the shape of a token, so only a live check can tell them apart.
    assert_top(&client_id, Code::NothingFound, Severity::Ok);
}

#[test]
fn shape_warning_is_dropped_when_validate_confirms() {
    let input = Input {
        token: Some("ABCDEF-ghijk_123".to_owned()),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenValid, Severity::Ok);

    assert_eq!(findings.len(), 1);
}

#[test]
fn token_cut_short_in_storage() {
    let cut = &TOKEN[..21];
    let by_fingerprint = Input {
        token: Some(cut.to_owned()),
        expected_fingerprint: Some(fingerprint(TOKEN)),
        stored_session: StoredSessionState::Found,
        ..Input::default()
    };
    let by_length = Input {
        token: Some(cut.to_owned()),
        expected_length: Some(30),
        validation: validate_failed(401, r#"{"status":401,"message":"invalid access token"}"#),
        ..Input::default()
    };

    let findings = assert_top(&by_fingerprint, Code::TokenTruncated, Severity::Error);
    assert!(findings[0].evidence.contains("21 characters, but 30"));
    assert!(
        token_to_validate(&by_fingerprint).is_none(),
        "never sent to Twitch"
    );
    assert!(!codes(&findings).contains(&"token_shape"));

    let findings = assert_top(&by_length, Code::TokenTruncated, Severity::Error);
    assert_eq!(findings[1].code, Code::TokenInvalid);
}

#[test]
fn token_altered_in_storage() {
    let altered = "abcdefghijklmnopqrstuvwxyz0124";
    let same_length = Input {
        token: Some(altered.to_owned()),
        expected_fingerprint: Some(fingerprint(TOKEN)),
        ..Input::default()
    };
    let longer = Input {
        token: Some(format!("{TOKEN}xy")),
        expected_length: Some(30),
        ..Input::default()
    };

    let findings = assert_top(&same_length, Code::TokenAltered, Severity::Error);
    assert!(findings[0].evidence.contains("checksum"));
    assert!(token_to_validate(&same_length).is_none());
    assert_top(&longer, Code::TokenAltered, Severity::Error);
}

#[test]
fn damaged_characters_are_reported() {
    let inner_space = Input {
        token: Some("abcdefghijklmno pqrstuvwxyz0123".to_owned()),
        ..Input::default()
    };
    let non_ascii = Input {
        token: Some("abcdefghijklmnopqrstuvwxyz012é".to_owned()),
        ..Input::default()
    };

    assert_top(&inner_space, Code::TokenDamaged, Severity::Error);
    assert_top(&non_ascii, Code::TokenDamaged, Severity::Error);
    assert!(token_to_validate(&non_ascii).is_none());
}

#[test]
fn expired_or_revoked_token_from_validate() {
    let input = Input {
        token: Some(TOKEN.to_owned()),
        client_id: Some(OUR_CLIENT.to_owned()),
        validation: validate_failed(401, r#"{"status":401,"message":"invalid access token"}"#),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenInvalid, Severity::Error);

    assert_eq!(findings.len(), 1, "findings {:?}", codes(&findings));
    assert!(findings[0].evidence.contains("invalid access token"));
}

#[test]
fn invalid_token_from_helix_response() {
    let input = Input {
        response: Some(helix_401("Invalid OAuth token")),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenInvalid, Severity::Error);

    assert!(findings[0].evidence.contains("Invalid OAuth token"));
}

#[test]
fn helix_and_validate_evidence_merge_into_one_finding() {
    let mut input = healthy_input();
    input.validation = validate_failed(401, r#"{"status":401,"message":"invalid access token"}"#);
    input.response = Some(helix_401("Invalid OAuth token"));

    let findings = assert_top(&input, Code::TokenInvalid, Severity::Error);

    assert_eq!(findings.len(), 1, "findings {:?}", codes(&findings));
    assert!(findings[0].evidence.contains("Helix returned 401"));
    assert!(findings[0].evidence.contains("Validate returned 401"));
}

#[test]
fn network_failure_of_validate_only_warns() {
    for error in [
        Error::Network,
        Error::Timeout,
        Error::Server { status: 503 },
    ] {
        let input = Input {
            token: Some(TOKEN.to_owned()),
            validation: Some(Err(error.clone())),
            ..Input::default()
        };

        let findings = assert_top(&input, Code::ValidationUnavailable, Severity::Warning);

        assert_eq!(findings.len(), 1, "error {error:?}");
    }
}

#[test]
fn token_of_another_application() {
    let mut input = healthy_input();
    input.validation = validated(OTHER_CLIENT, "[]");

    let findings = assert_top(&input, Code::ClientIdMismatch, Severity::Error);

    assert!(findings[0].evidence.contains(OTHER_CLIENT));
    assert!(findings[0].evidence.contains(OUR_CLIENT));
    assert_eq!(findings.last().unwrap().code, Code::TokenValid);
}

#[test]
fn configured_client_id_is_compared_without_request() {
    let input = Input {
        token: Some(TOKEN.to_owned()),
        client_id: Some(OUR_CLIENT.to_owned()),
        validation: validated(OTHER_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ClientIdMismatch, Severity::Error);

    assert!(findings[0].evidence.contains("the configured one"));
}

#[test]
fn helix_client_id_mismatch_response() {
    let input = Input {
        response: Some(helix_401("Client ID and OAuth token do not match")),
        ..Input::default()
    };

    assert_top(&input, Code::ClientIdMismatch, Severity::Error);
}

#[test]
fn oauth_scheme_sent_to_helix() {
    let authorization = format!("OAuth {TOKEN}");
    let input = Input {
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        response: Some(helix_401("OAuth token is missing")),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::OauthScheme, Severity::Error);

    assert_eq!(
        codes(&findings),
        vec!["oauth_scheme", "token_missing", "token_valid"]
    );
}

#[test]
fn token_missing_response_alone() {
    let input = Input {
        response: Some(helix_401("OAuth token is missing")),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenMissing, Severity::Error);

    assert!(findings[0].evidence.contains("OAuth scheme"));
}

#[test]
fn client_id_missing_from_helix_request() {
    let authorization = bearer();
    let input = Input {
        token: Some(TOKEN.to_owned()),
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[("Authorization", &authorization)],
        )),
        response: Some(helix_401("Client ID is missing")),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ClientIdMissing, Severity::Error);

    assert_eq!(findings.len(), 1, "findings {:?}", codes(&findings));
    assert!(findings[0].evidence.contains("no Client-Id header"));
    assert!(findings[0].evidence.contains("Client ID is missing"));
}

#[test]
fn chat_prefix_inside_authorization_header() {
    let authorization = format!("Bearer oauth:{TOKEN}");
    let input = Input {
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        response: Some(helix_401("Invalid OAuth token")),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ChatPrefix, Severity::Error);

    assert!(findings[0].evidence.contains("oauth:[token]"));
    assert_eq!(token_to_validate(&input).unwrap().secret(), TOKEN);
}

#[test]
fn kraken_request_names_helix_replacement() {
    let authorization = format!("OAuth {TOKEN}");
    let input = Input {
        token: Some(TOKEN.to_owned()),
        request: Some(request(
            "GET",
            "https://api.twitch.tv/kraken/user",
            &[
                ("Accept", "application/vnd.twitchtv.v5+json"),
                ("Client-ID", OUR_CLIENT),
                ("Authorization", &authorization),
            ],
        )),
        validation: validated(OUR_CLIENT, r#"["user:read:email"]"#),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::KrakenRemoved, Severity::Error);

    assert!(findings[0].evidence.contains("2022-02-28"));
    assert!(
        findings[0].fix.contains("GET /helix/users"),
        "{}",
        findings[0].fix
    );
    assert_eq!(codes(&findings), vec!["kraken_removed", "token_valid"]);
}

#[test]
fn kraken_paths_map_to_helix() {
    let cases = [
        (
            "https://api.twitch.tv/kraken/channels/44322889/subscriptions",
            "/helix/subscriptions",
        ),
        (
            "https://api.twitch.tv/kraken/streams/followed",
            "/helix/streams/followed",
        ),
        (
            "https://api.twitch.tv/kraken/streams/44322889",
            "/helix/streams?user_id",
        ),
        (
            "https://api.twitch.tv/kraken/users?login=dallas",
            "/helix/users?login",
        ),
    ];

    for (url, expected) in cases {
        let input = Input {
            request: Some(request("GET", url, &[])),
            ..Input::default()
        };

        let findings = assert_top(&input, Code::KrakenRemoved, Severity::Error);

        assert!(
            findings[0].fix.contains(expected),
            "{url}: {}",
            findings[0].fix
        );
    }

    let unknown = Input {
        request: Some(request("GET", "https://api.twitch.tv/kraken/teams", &[])),
        ..Input::default()
    };
    let findings = assert_top(&unknown, Code::KrakenRemoved, Severity::Error);
    assert_eq!(findings[0].fix, Code::KrakenRemoved.fix());
}

#[test]
fn custom_header_breaks_preflight() {
    let authorization = bearer();
    let input = Input {
        token: Some(TOKEN.to_owned()),
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[
                ("Authorization", &authorization),
                ("Client-Id", OUR_CLIENT),
                ("X-Requested-With", "XMLHttpRequest"),
                ("Accept", "application/json"),
                ("User-Agent", "Mozilla/5.0"),
                ("sec-fetch-mode", "cors"),
            ],
        )),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::CorsHeader, Severity::Error);

    assert!(findings[0].evidence.contains("X-Requested-With"));
    assert!(
        !findings[0].evidence.contains("User-Agent"),
        "browser headers are ignored"
    );
    assert!(
        !findings[0].evidence.contains("Accept"),
        "safelisted headers are fine"
    );
}

#[test]
fn content_type_on_get_warns() {
    let authorization = bearer();
    let mut input = healthy_input();
    input.request = Some(request(
        "GET",
        HELIX_USERS,
        &[
            ("Authorization", &authorization),
            ("Client-Id", OUR_CLIENT),
            ("Content-Type", "application/json"),
        ],
    ));

    let findings = assert_top(&input, Code::ContentTypeOnGet, Severity::Warning);
    assert_eq!(codes(&findings), vec!["content_type_on_get", "token_valid"]);

    input.request.as_mut().unwrap().method = "POST".to_owned();
    input.request.as_mut().unwrap().url = "https://api.twitch.tv/helix/chat/messages".to_owned();
    input.validation = validated(OUR_CLIENT, r#"["user:write:chat"]"#);
    assert_top(&input, Code::TokenValid, Severity::Ok);
}

#[test]
fn kraken_accept_header_on_helix_warns() {
    let authorization = bearer();
    let mut input = healthy_input();
    input.request = Some(request(
        "GET",
        HELIX_USERS,
        &[
            ("Authorization", &authorization),
            ("Client-Id", OUR_CLIENT),
            ("Accept", "application/vnd.twitchtv.v5+json"),
        ],
    ));

    assert_top(&input, Code::KrakenHeader, Severity::Warning);
}

#[test]
fn client_id_sent_to_validate() {
    let authorization = format!("OAuth {TOKEN}");
    let input = Input {
        request: Some(request(
            "GET",
            "https://id.twitch.tv/oauth2/validate",
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ClientIdOnValidate, Severity::Error);

    assert_eq!(
        findings.len(),
        1,
        "OAuth is right for validate: {:?}",
        codes(&findings)
    );
}

#[test]
fn scope_missing_from_validated_scopes() {
    let authorization = bearer();
    let input = Input {
        token: Some(TOKEN.to_owned()),
        request: Some(request(
            "GET",
            MODERATORS,
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        validation: validated(OUR_CLIENT, r#"["user:read:email"]"#),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ScopeMissing, Severity::Error);

    assert!(findings[0]
        .evidence
        .contains("moderation:read or channel:manage:moderators"));
    assert!(findings[0].evidence.contains("user:read:email"));
    assert!(findings[0].fix.contains("moderation:read"));
}

#[test]
fn any_listed_scope_satisfies_endpoint() {
    let authorization = bearer();
    let input = Input {
        request: Some(request(
            "GET",
            MODERATORS,
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        validation: validated(OUR_CLIENT, r#"["channel:manage:moderators"]"#),
        ..Input::default()
    };

    assert_top(&input, Code::TokenValid, Severity::Ok);
}

#[test]
fn scope_missing_from_helix_response() {
    let input = Input {
        response: Some(helix_401("Missing scope: moderation:read")),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ScopeMissing, Severity::Error);

    assert!(findings[0].fix.contains("moderation:read"));
}

#[test]
fn validate_messages_are_recognised_without_url() {
    let missing = Input {
        response: Some(Response {
            status: Some(401),
            body: r#"{"status":401,"message":"missing authorization token"}"#.to_owned(),
        }),
        ..Input::default()
    };
    let invalid_without_status = Input {
        response: Some(Response {
            status: None,
            body: r#"{"status":401,"message":"invalid access token"}"#.to_owned(),
        }),
        ..Input::default()
    };

    assert_top(&missing, Code::TokenMissing, Severity::Error);
    assert_top(&invalid_without_status, Code::TokenInvalid, Severity::Error);
}

#[test]
fn other_responses_are_named() {
    let cases = [
        (
            Response {
                status: Some(401),
                body: r#"{"error":"Unauthorized","status":401,"message":"Something new"}"#.to_owned(),
            },
            Code::Unauthorized,
            Severity::Error,
        ),
        (
            Response {
                status: Some(429),
                body: r#"{"error":"Too Many Requests","status":429,"message":"Too Many Requests"}"#.to_owned(),
            },
            Code::RateLimited,
            Severity::Warning,
        ),
        (
            Response {
                status: Some(502),
                body: "<html><body>Bad gateway</body></html>".to_owned(),
            },
            Code::ServerError,
            Severity::Warning,
        ),
        (
            Response {
                status: Some(400),
                body: r#"{"error":"Bad Request","status":400,"message":"Invalid login names, emails or IDs in request"}"#.to_owned(),
            },
            Code::HttpError,
            Severity::Warning,
        ),
    ];

    for (response, code, severity) in cases {
        let input = Input {
            response: Some(response),
            ..Input::default()
        };

        assert_top(&input, code, severity);
    }
}

#[test]
fn pasted_validate_body_stands_in_for_live_check() {
    let input = Input {
        client_id: Some(OUR_CLIENT.to_owned()),
        response: Some(Response {
            status: Some(200),
            body: validate_body(OTHER_CLIENT, "[]"),
        }),
        ..Input::default()
    };

    assert_top(&input, Code::ClientIdMismatch, Severity::Error);
}

#[test]
fn token_is_taken_from_authorization_header() {
    let authorization = bearer();
    let input = Input {
        request: Some(request(
            "GET",
            HELIX_USERS,
            &[("Authorization", &authorization), ("Client-Id", OUR_CLIENT)],
        )),
        validation: validated(OUR_CLIENT, "[]"),
        ..Input::default()
    };

    assert_eq!(token_to_validate(&input).unwrap().secret(), TOKEN);
    assert_top(&input, Code::TokenValid, Severity::Ok);
}

#[test]
fn header_without_authorization_is_token_missing() {
    let input = Input {
        request: Some(request("GET", HELIX_USERS, &[("Client-Id", OUR_CLIENT)])),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::TokenMissing, Severity::Error);

    assert!(findings[0].evidence.contains("no Authorization header"));
}

#[test]
fn url_without_headers_checks_only_scopes() {
    let input = Input {
        token: Some(TOKEN.to_owned()),
        request: Some(request("GET", MODERATORS, &[])),
        validation: validated(OUR_CLIENT, r#"["user:read:email"]"#),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::ScopeMissing, Severity::Error);

    assert_eq!(codes(&findings), vec!["scope_missing", "token_valid"]);
}

#[test]
fn other_token_in_request_warns() {
    let mut input = healthy_input();
    input.token = Some("zyxwvutsrqponmlkjihgfedcba3210".to_owned());

    assert_top(&input, Code::TokenDiffers, Severity::Warning);
}

#[test]
fn stored_session_states() {
    let missing = Input {
        stored_session: StoredSessionState::Missing,
        ..Input::default()
    };
    let unreadable = Input {
        stored_session: StoredSessionState::Unreadable,
        ..Input::default()
    };

    assert_top(&missing, Code::SessionMissing, Severity::Warning);
    assert_top(&unreadable, Code::SessionUnreadable, Severity::Error);
}

#[test]
fn stored_record_is_read_even_when_damaged() {
    let record = crate::record::SessionRecord {
        flow: crate::record::Flow::Implicit,
        access_token: AccessToken::new(TOKEN),
        refresh_token: None,
        client_id: OUR_CLIENT.to_owned(),
        login: Some("twitchdev".to_owned()),
        user_id: Some("141981764".to_owned()),
        scopes: vec!["user:read:email".to_owned()],
        expires_at: None,
        validated_at: 1_700_000_000_000.0,
    };
    let text = record.to_storage();
    let cut = text.replace(TOKEN, &TOKEN[..21]);

    let stored = read_stored_session(&text).unwrap();
    assert_eq!(stored.token, TOKEN);
    assert_eq!(stored.fingerprint, Some(fingerprint(TOKEN)));
    assert_eq!(stored.client_id.as_deref(), Some(OUR_CLIENT));

    let damaged = read_stored_session(&cut).unwrap();
    assert_eq!(damaged.token, &TOKEN[..21]);
    assert!(read_stored_session("abcdefghijklmnopqrstu").is_none());
    assert!(read_stored_session("").is_none());
    assert!(read_stored_session("{\"access_token\":5}").is_none());
}

#[test]
fn empty_input_asks_for_something() {
    assert_top(&Input::default(), Code::InputEmpty, Severity::Warning);
}

#[test]
fn findings_are_ordered_by_severity() {
    let authorization = format!("OAuth oauth:{TOKEN}");
    let input = Input {
        token: Some(format!(" {TOKEN}")),
        request: Some(request(
            "GET",
            MODERATORS,
            &[
                ("Authorization", &authorization),
                ("Content-Type", "application/json"),
                ("X-Custom", "1"),
            ],
        )),
        response: Some(helix_401("OAuth token is missing")),
        validation: validated(OTHER_CLIENT, "[]"),
        client_id: Some(OUR_CLIENT.to_owned()),
        ..Input::default()
    };

    let findings = diagnose(&input);

    let severities: Vec<Severity> = findings.iter().map(|finding| finding.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted, "findings {:?}", codes(&findings));
    let mut unique = codes(&findings);
    unique.dedup();
    assert_eq!(unique.len(), findings.len(), "one finding per code");
    assert!(findings.len() >= 6, "findings {:?}", codes(&findings));
}

#[test]
fn header_lines_parse_like_developer_tools() {
    let text = ":authority: api.twitch.tv\n:method: GET\nAuthorization: Bearer abc\n\n  client-id:  xyz  \nnot a header\naccept: */*\r\nBad Name: x\n";

    let headers = parse_header_lines(text);

    assert_eq!(
        headers,
        vec![
            ("Authorization".to_owned(), "Bearer abc".to_owned()),
            ("client-id".to_owned(), "xyz".to_owned()),
            ("accept".to_owned(), "*/*".to_owned()),
        ]
    );
}

#[test]
fn durations_use_largest_unit() {
    assert_eq!(live::duration(5_520_838), "63 days");
    assert_eq!(live::duration(14_542), "4 hours");
    assert_eq!(live::duration(600), "10 minutes");
    assert_eq!(live::duration(1), "1 second");
    assert_eq!(live::duration(0), "0 seconds");
}

#[test]
fn hostile_input_does_not_panic() {
    let huge = "a".repeat(2_000_000);
    let wide = "é".repeat(100_000);
    let many_headers: Vec<(String, String)> = (0..10_000)
        .map(|i| (format!("X-{i}"), "v".repeat(100)))
        .collect();
    let tokens = [
        huge.clone(),
        wide.clone(),
        "\u{0}\u{1}".to_owned(),
        "oauth:".to_owned(),
        "\"".to_owned(),
        "Bearer ".to_owned(),
        "🦀".repeat(40),
    ];
    let urls = [
        "://",
        "https://",
        "kraken",
        "/helix/",
        "é://ü/helix/ß?",
        huge.as_str(),
    ];

    for token in &tokens {
        for url in urls {
            let input = Input {
                token: Some(token.clone()),
                expected_length: Some(usize::MAX),
                expected_fingerprint: Some("é:é".to_owned()),
                client_id: Some(wide.clone()),
                request: Some(Request {
                    method: wide.clone(),
                    url: url.to_owned(),
                    headers: many_headers.clone(),
                }),
                response: Some(Response {
                    status: Some(0),
                    body: huge.clone(),
                }),
                validation: validated(&"c".repeat(500), r#"["é:é"]"#),
                stored_session: StoredSessionState::Found,
            };

            let findings = diagnose(&input);

            assert!(!findings.is_empty());
            let _ = token_to_validate(&input);
            for finding in &findings {
                assert!(
                    finding.evidence.len() < 20_000,
                    "{:?} is too long",
                    finding.code
                );
            }
        }
    }
}

#[test]
fn readme_example_holds() {
    let authorization = format!("OAuth {TOKEN}");
    let input = Input {
        token: Some(format!("oauth:{TOKEN}")),
        request: Some(request(
            "GET",
            "https://api.twitch.tv/kraken/user",
            &[
                ("Accept", "application/vnd.twitchtv.v5+json"),
                ("Authorization", &authorization),
            ],
        )),
        validation: validated(OUR_CLIENT, r#"["user:read:email"]"#),
        ..Input::default()
    };

    let findings = assert_top(&input, Code::KrakenRemoved, Severity::Error);

    assert_eq!(
        codes(&findings),
        vec!["kraken_removed", "token_prefix", "token_valid"]
    );
}
