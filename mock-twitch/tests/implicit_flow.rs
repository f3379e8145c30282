//! The implicit grant: consent page, redirects with a token or an error, and the checks
//! Twitch runs before it.

mod common;

use common::{form_encode, pair, start, start_with};
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use mock_twitch::Options;

fn authorize_query(origin: &str, response_type: &str, scope: &str, state: &str) -> String {
    format!(
        "/oauth2/authorize?response_type={}&client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&scope={}&state={}",
        form_encode(response_type),
        form_encode(&format!("{origin}/callback")),
        form_encode(scope),
        form_encode(state)
    )
}

#[test]
fn consent_page_has_stable_controls() {
    let mock = start();
    let target = authorize_query(
        &mock.origin,
        "token",
        "user:read:email moderation:read",
        "xyz",
    );
    let page = mock.get(&format!("{target}&force_verify=true"), &[]);

    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-security-policy"),
        Some("default-src 'self'; style-src 'self' 'unsafe-inline'")
    );
    assert!(
        !page.body.contains("<script"),
        "the consent page must not contain a script"
    );
    assert!(page.body.contains("data-testid=\"authorize-button\""));
    assert!(page.body.contains("data-testid=\"cancel-button\""));
    assert!(page.body.contains("data-testid=\"user-select\""));
    assert!(page.body.contains("Mock Public App"));
    assert!(page.body.contains("<code>user:read:email</code>"));
    assert!(page.body.contains("<code>moderation:read</code>"));
    assert!(page.body.contains("<option value=\"twitchdev\" selected>"));
    assert!(page.body.contains("name=\"state\" value=\"xyz\""));
    assert!(page.body.contains("action=\"/oauth2/authorize\""));
}

#[test]
fn authorize_redirects_with_token_fragment() {
    let mock = start();
    let redirect_uri = format!("{}/callback", mock.origin);
    let state = "st ate/+&=%";
    let body = format!(
        "client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&response_type=token&scope=user%3Aread%3Aemail+moderation%3Aread&state={}&login=mockviewer&decision=authorize",
        form_encode(&redirect_uri),
        form_encode(state)
    );
    let response = mock.post_form("/oauth2/authorize", &body);

    assert_eq!(response.status, 302);
    let location = response.header("location").expect("Location header");
    let (base, fragment) = location.split_once('#').expect("fragment");
    assert_eq!(base, redirect_uri);

    let token = pair(fragment, "access_token").expect("access_token");
    assert_eq!(token.len(), 30);
    assert!(token
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit()));
    let expected = format!(
        "access_token={token}&scope=user%3Aread%3Aemail%20moderation%3Aread&state=st%20ate%2F%2B%26%3D%25&token_type=bearer"
    );
    assert_eq!(fragment, expected);
    assert!(!fragment.contains("expires_in"));

    let validation = mock.validate(token).json();
    assert_eq!(validation["login"], "mockviewer");
    assert_eq!(validation["user_id"], "100000001");
    assert_eq!(validation["client_id"], PUBLIC_CLIENT_ID);
    assert_eq!(
        validation["scopes"],
        serde_json::json!(["user:read:email", "moderation:read"])
    );
    let expires_in = validation["expires_in"].as_u64().unwrap();
    assert!(
        (5_399_990..=5_400_000).contains(&expires_in),
        "expires_in {expires_in}"
    );
}

#[test]
fn authorize_without_state_omits_it() {
    let mock = start();
    let body = format!(
        "client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&response_type=token&scope=&login=twitchdev&decision=authorize",
        form_encode(&format!("{}/", mock.origin))
    );
    let location = mock
        .post_form("/oauth2/authorize", &body)
        .header("location")
        .unwrap()
        .to_string();
    let fragment = location.split_once('#').unwrap().1;

    assert!(fragment.starts_with("access_token="));
    assert!(
        fragment.ends_with("&scope=&token_type=bearer"),
        "{fragment}"
    );
    assert!(!fragment.contains("state="));
}

#[test]
fn cancel_redirects_with_access_denied() {
    let mock = start();
    let redirect_uri = format!("{}/callback", mock.origin);
    let body = format!(
        "client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&response_type=token&scope=chat%3Aread&state=S+1&login=twitchdev&decision=cancel",
        form_encode(&redirect_uri)
    );
    let response = mock.post_form("/oauth2/authorize", &body);

    assert_eq!(response.status, 302);
    assert_eq!(
        response.header("location"),
        Some(format!("{redirect_uri}?error=access_denied&error_description=The+user+denied+you+access&state=S%201").as_str())
    );
}

#[test]
fn unregistered_redirect_goes_to_first_uri() {
    let mock = start();
    let look_alikes = [
        "http://evil.example/callback".to_string(),
        format!("{}0/callback", mock.origin),
        format!("{}.evil.example/", mock.origin),
        mock.origin.clone(),
        format!("{}/cb#frag", mock.origin),
    ];
    for redirect_uri in look_alikes {
        let target = format!(
            "/oauth2/authorize?response_type=token&client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&scope=&state=abc",
            form_encode(&redirect_uri)
        );
        let response = mock.get(&target, &[]);
        assert_eq!(response.status, 302, "{redirect_uri}");
        assert_eq!(
            response.header("location"),
            Some(
                format!(
                    "{}/?error=redirect_mismatch&error_description=Parameter+redirect_uri+does+not+match+registered+URI&state=abc",
                    mock.origin
                )
                .as_str()
            ),
            "{redirect_uri}"
        );
    }
}

#[test]
fn extra_redirect_uri_matches_exactly() {
    let mock = start_with(Options {
        redirect_uris: vec!["http://localhost:9999/app/".to_string()],
        ..Options::default()
    });
    let registered = format!(
        "/oauth2/authorize?response_type=token&client_id={PUBLIC_CLIENT_ID}&redirect_uri={}",
        form_encode("http://localhost:9999/app/")
    );
    assert_eq!(mock.get(&registered, &[]).status, 200);

    let without_slash = format!(
        "/oauth2/authorize?response_type=token&client_id={PUBLIC_CLIENT_ID}&redirect_uri={}",
        form_encode("http://localhost:9999/app")
    );
    let response = mock.get(&without_slash, &[]);
    assert_eq!(response.status, 302);
    assert!(response
        .header("location")
        .unwrap()
        .contains("error=redirect_mismatch"));
}

#[test]
fn other_response_types_are_unsupported() {
    let mock = start();
    for response_type in ["code", "token id_token", ""] {
        let target = authorize_query(&mock.origin, response_type, "user:read:email", "s");
        let response = mock.get(&target, &[]);
        assert_eq!(response.status, 302, "{response_type:?}");
        assert_eq!(
            response.header("location"),
            Some(
                format!(
                    "{}/callback?error=unsupported_response_type&error_description=Response+type+is+not+supported&state=s",
                    mock.origin
                )
                .as_str()
            ),
            "{response_type:?}"
        );
    }
}

#[test]
fn unknown_client_gets_error_page() {
    let mock = start();
    let target = format!(
        "/oauth2/authorize?response_type=token&client_id=unknownclient&redirect_uri={}",
        form_encode(&format!("{}/", mock.origin))
    );
    let response = mock.get(&target, &[]);

    assert_eq!(response.status, 400);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(response.body.contains("unknownclient"));
    assert!(response.header("location").is_none());
}

#[test]
fn consent_post_redoes_the_checks() {
    let mock = start();
    let forged = "client_id=mockpublicclient00000000000001&redirect_uri=http%3A%2F%2Fevil.example%2F&response_type=token&scope=&login=twitchdev&decision=authorize";
    let response = mock.post_form("/oauth2/authorize", forged);
    assert_eq!(response.status, 302);
    assert!(response
        .header("location")
        .unwrap()
        .starts_with(&format!("{}/?error=redirect_mismatch", mock.origin)));

    let bad_user = format!(
        "client_id={PUBLIC_CLIENT_ID}&redirect_uri={}&response_type=token&scope=&login=nobody&decision=authorize",
        form_encode(&format!("{}/", mock.origin))
    );
    assert_eq!(mock.post_form("/oauth2/authorize", &bad_user).status, 400);
}
