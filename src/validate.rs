//! `GET /oauth2/validate`: who a token belongs to, its scopes and its remaining lifetime.
//!
//! Twitch requires apps that keep a session to validate at start-up and then every hour.
//! See <https://dev.twitch.tv/docs/authentication/validate-tokens/>.

use serde::Deserialize;

use crate::http::{join_url, HttpRequest, HttpResponse, Method};
use crate::twitch_error::{common_error, message_of};
use crate::{json, AccessToken, Error};

/// Builds the validate request.
///
/// It carries only `Authorization: OAuth <token>`: a `Client-Id` header here fails the
/// browser's CORS preflight, because id.twitch.tv does not allow that header.
pub fn validate_request(id_base: &str, token: &AccessToken) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: join_url(id_base, "validate"),
        headers: vec![("Authorization", format!("OAuth {}", token.secret()))],
        form_body: None,
    }
}

/// Token facts reported by validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedToken {
    /// Client id of the app that the token was issued to.
    pub client_id: String,
    /// Login of the user, absent for app access tokens.
    pub login: Option<String>,
    /// Id of the user, absent for app access tokens.
    pub user_id: Option<String>,
    /// Granted scopes. Twitch sends `null` for none, and omits scopes of the removed v5 API.
    pub scopes: Vec<String>,
    /// Seconds left, or `None` for a legacy token that never expires (`expires_in: 0`).
    pub expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct ValidateBody {
    client_id: String,
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    expires_in: f64,
}

/// Maximum lifetime accepted from validate: ten years, in seconds. Twitch's implicit tokens last
/// about 60 days, so a larger number is a broken body, not a token.
const MAX_EXPIRES_IN: f64 = 10.0 * 365.0 * 24.0 * 3600.0;

impl ValidatedToken {
    /// Parses validate's response.
    ///
    /// A 401 means the token expired or was revoked, and only that ends a session. Every other
    /// failure is transient or unexpected and keeps it.
    pub fn from_response(response: &HttpResponse) -> Result<Self, Error> {
        if response.status == 401 {
            let message = message_of(response);
            if message.eq_ignore_ascii_case("missing authorization token") {
                return Err(Error::TokenMissing);
            }
            return Err(Error::TokenInvalid);
        }
        if let Some(error) = common_error(response) {
            return Err(error);
        }
        if response.status != 200 {
            return Err(Error::Http {
                status: response.status,
                message: message_of(response),
            });
        }

        let unexpected = Error::UnexpectedBody { status: 200 };
        let body: ValidateBody = json::from_str(&response.body).map_err(|_| unexpected.clone())?;

        let seconds = body.expires_in;
        let whole_seconds = (0.0..=MAX_EXPIRES_IN).contains(&seconds) && seconds.fract() == 0.0;
        if !whole_seconds {
            return Err(unexpected);
        }
        if body.client_id.is_empty() {
            return Err(unexpected);
        }

        Ok(Self {
            client_id: body.client_id,
            login: body.login.filter(|login| !login.is_empty()),
            user_id: body.user_id.filter(|id| !id.is_empty()),
            scopes: body.scopes.unwrap_or_default(),
            expires_in: (seconds > 0.0).then_some(seconds as u64),
        })
    }

    /// Checks that the token belongs to the configured app.
    pub fn check_client_id(&self, expected: &str) -> Result<(), Error> {
        if self.client_id == expected {
            return Ok(());
        }
        Err(Error::ClientIdMismatch {
            expected: expected.to_owned(),
            actual: self.client_id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER_TOKEN_BODY: &str = r#"{"client_id":"wbmytr93xzw8zbg0p1izqyzzc5mbiz","login":"twitchdev","scopes":["channel:read:subscriptions"],"user_id":"141981764","expires_in":5520838}"#;

    fn parse(status: u16, body: &str) -> Result<ValidatedToken, Error> {
        ValidatedToken::from_response(&HttpResponse::new(status, body))
    }

    #[test]
    fn request_sends_oauth_scheme_and_no_client_id() {
        let request = validate_request("https://id.twitch.tv/oauth2/", &AccessToken::new("tok"));

        assert_eq!(request.url, "https://id.twitch.tv/oauth2/validate");
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.header("Authorization"), Some("OAuth tok"));
        assert_eq!(request.header("Client-Id"), None);
        assert_eq!(request.headers.len(), 1);
    }

    #[test]
    fn user_token_body_parses() {
        let token = parse(200, USER_TOKEN_BODY).unwrap();

        assert_eq!(token.client_id, "wbmytr93xzw8zbg0p1izqyzzc5mbiz");
        assert_eq!(token.login.as_deref(), Some("twitchdev"));
        assert_eq!(token.user_id.as_deref(), Some("141981764"));
        assert_eq!(token.scopes, vec!["channel:read:subscriptions"]);
        assert_eq!(token.expires_in, Some(5_520_838));
    }

    #[test]
    fn app_token_with_null_scopes_parses() {
        let body =
            r#"{"client_id":"wbmytr93xzw8zbg0p1izqyzzc5mbiz","scopes":null,"expires_in":5011271}"#;
        let token = parse(200, body).unwrap();

        assert_eq!(token.login, None);
        assert_eq!(token.user_id, None);
        assert!(token.scopes.is_empty());
    }

    #[test]
    fn zero_expires_in_means_never() {
        let body = r#"{"client_id":"abc","login":"a","user_id":"1","scopes":[],"expires_in":0}"#;

        assert_eq!(parse(200, body).unwrap().expires_in, None);
    }

    #[test]
    fn invalid_token_401_is_token_invalid() {
        let result = parse(401, r#"{"status":401,"message":"invalid access token"}"#);

        assert_eq!(result, Err(Error::TokenInvalid));
    }

    #[test]
    fn empty_header_401_is_token_missing() {
        let result = parse(
            401,
            r#"{"status":401,"message":"missing authorization token"}"#,
        );

        assert_eq!(result, Err(Error::TokenMissing));
    }

    #[test]
    fn transient_statuses_keep_the_session() {
        assert_eq!(parse(429, ""), Err(Error::RateLimited));
        assert_eq!(parse(500, "{}"), Err(Error::Server { status: 500 }));
        assert_eq!(parse(503, "<html>"), Err(Error::Server { status: 503 }));
        assert!(parse(503, "").unwrap_err().is_transient());
    }

    #[test]
    fn broken_bodies_are_unexpected() {
        let cases = [
            "",
            "<html><body>Bad gateway</body></html>",
            r#"{"client_id":"abc"}"#,
            r#"{"client_id":"abc","expires_in":-5}"#,
            r#"{"client_id":"abc","expires_in":1e300}"#,
            r#"{"client_id":"abc","expires_in":"5520838"}"#,
            r#"{"client_id":"abc","expires_in":1.5}"#,
            r#"{"client_id":"","expires_in":5}"#,
            r#"{"client_id":12,"expires_in":5}"#,
            r#"{"client_id":"abc","scopes":"chat:read","expires_in":5}"#,
            "[]",
            "null",
        ];

        for body in cases {
            assert_eq!(
                parse(200, body),
                Err(Error::UnexpectedBody { status: 200 }),
                "body {body}"
            );
        }
    }

    #[test]
    fn other_client_id_is_rejected_with_both_ids() {
        let body = r#"{"client_id":"otherclientid000000000000000001","login":"a","user_id":"1","scopes":[],"expires_in":100}"#;
        let token = parse(200, body).unwrap();
        let error = token
            .check_client_id("ourclientid0000000000000000001")
            .unwrap_err();

        assert_eq!(
            error,
            Error::ClientIdMismatch {
                expected: "ourclientid0000000000000000001".to_owned(),
                actual: "otherclientid000000000000000001".to_owned(),
            }
        );
        assert_eq!(
            error.to_string(),
            "the token was issued to another application (client id otherclientid000000000000000001, expected ourclientid0000000000000000001)"
        );
    }
}
