//! Device code grant and refresh: the only way a page without a server keeps a user signed in
//! for weeks.
//!
//! It works for apps registered as **Public** in the Twitch developer console. Access tokens
//! last about 4 hours. Refresh tokens need no client secret for Public apps, rotate (each works
//! once) and expire after 30 days unused. See
//! <https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#device-code-grant-flow>.

use serde::Deserialize;

use crate::encoding::encode_pairs;
use crate::http::{join_url, HttpRequest, HttpResponse, Method};
use crate::twitch_error::{common_error, message_of};
use crate::{json, AccessToken, Error, RefreshToken};

/// Grant type of the device code poll.
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Builds `POST /oauth2/device`, which starts a device sign-in.
///
/// The form field is `scopes` (plural), space-separated.
pub fn device_request(id_base: &str, client_id: &str, scopes: &[String]) -> HttpRequest {
    let scopes = scopes.join(" ");
    form_post(
        id_base,
        "device",
        &[("client_id", client_id), ("scopes", &scopes)],
    )
}

/// A started device sign-in.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCode {
    /// The code the client polls with; a credential, so `Debug` hides it.
    pub device_code: String,
    /// The code the user types on the activation page.
    pub user_code: String,
    /// Activation page, already carrying the code as a parameter.
    pub verification_uri: String,
    /// Seconds until the codes expire.
    pub expires_in: u32,
    /// Seconds to wait between polls.
    pub interval: u32,
}

impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCode")
            .field("device_code", &"[redacted]")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish()
    }
}

#[derive(Deserialize)]
struct DeviceBody {
    device_code: String,
    user_code: String,
    verification_uri: String,
    expires_in: f64,
    interval: f64,
}

impl DeviceCode {
    /// Parses the response of `POST /oauth2/device`.
    pub fn from_response(response: &HttpResponse) -> Result<Self, Error> {
        if response.status != 200 {
            return Err(id_error(response));
        }
        let unexpected = Error::UnexpectedBody { status: 200 };
        let body: DeviceBody = json::from_str(&response.body).map_err(|_| unexpected.clone())?;

        let verification_ok = body.verification_uri.starts_with("https://")
            || body.verification_uri.starts_with("http://");
        if body.device_code.is_empty() || body.user_code.is_empty() || !verification_ok {
            return Err(unexpected);
        }

        Ok(Self {
            device_code: body.device_code,
            user_code: body.user_code,
            verification_uri: body.verification_uri,
            expires_in: seconds(body.expires_in, 1800),
            interval: seconds(body.interval, 5).max(1),
        })
    }
}

/// Builds one poll of `POST /oauth2/token` with the device code grant.
pub fn device_token_request(
    id_base: &str,
    client_id: &str,
    device_code: &str,
    scopes: &[String],
) -> HttpRequest {
    let scopes = scopes.join(" ");
    form_post(
        id_base,
        "token",
        &[
            ("client_id", client_id),
            ("device_code", device_code),
            ("scopes", &scopes),
            ("grant_type", DEVICE_GRANT),
        ],
    )
}

/// Builds `POST /oauth2/token` with the refresh token grant, without a client secret.
///
/// The refresh token is form-encoded: it can contain `%` and `/`.
pub fn refresh_request(
    id_base: &str,
    client_id: &str,
    refresh_token: &RefreshToken,
) -> HttpRequest {
    form_post(
        id_base,
        "token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.secret()),
            ("client_id", client_id),
        ],
    )
}

/// Tokens from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPair {
    /// New access token.
    pub access_token: AccessToken,
    /// New refresh token. The one used to get it is now dead.
    pub refresh_token: RefreshToken,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Granted scopes; Twitch may omit them.
    pub scopes: Vec<String>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    refresh_token: String,
    expires_in: f64,
    #[serde(default)]
    scope: Option<Vec<String>>,
}

impl TokenPair {
    /// Parses a token response. Errors map as for a refresh.
    pub fn from_response(response: &HttpResponse) -> Result<Self, Error> {
        if response.status != 200 {
            return Err(id_error(response));
        }
        let unexpected = Error::UnexpectedBody { status: 200 };
        let body: TokenBody = json::from_str(&response.body).map_err(|_| unexpected.clone())?;
        if body.access_token.is_empty() || body.refresh_token.is_empty() {
            return Err(unexpected);
        }

        Ok(Self {
            access_token: AccessToken::new(body.access_token),
            refresh_token: RefreshToken::new(body.refresh_token),
            expires_in: u64::from(seconds(body.expires_in, 0)),
            scopes: body.scope.unwrap_or_default(),
        })
    }
}

/// Result of one device code poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    /// The user has not approved yet: poll again after the interval.
    Pending,
    /// Polled too fast: add 5 seconds to the interval.
    SlowDown,
    /// Approved.
    Granted(TokenPair),
}

/// Parses the response to a device code poll.
///
/// Twitch documents `authorization_pending` and `invalid device code`. Denial and expiry
/// responses are not documented, so any other 400 ends the sign-in with its message.
pub fn poll_from_response(response: &HttpResponse) -> Result<Poll, Error> {
    if response.status == 200 {
        return TokenPair::from_response(response).map(Poll::Granted);
    }

    let message = message_of(response).to_ascii_lowercase();
    match message.as_str() {
        "authorization_pending" => Ok(Poll::Pending),
        "slow_down" => Ok(Poll::SlowDown),
        "invalid device code" => Err(Error::DeviceCodeInvalid),
        "expired_token" | "expired device code" => Err(Error::DeviceCodeExpired),
        "access_denied" | "authorization_denied" => Err(Error::DeviceDenied),
        _ => Err(id_error(response)),
    }
}

/// Maps an id.twitch.tv error response of the token and device endpoints.
fn id_error(response: &HttpResponse) -> Error {
    if let Some(error) = common_error(response) {
        return error;
    }
    let message = message_of(response);
    match message.to_ascii_lowercase().as_str() {
        "invalid refresh token" => Error::RefreshTokenInvalid,
        "missing client secret" | "invalid client secret" => Error::ClientSecretRequired,
        "invalid device code" => Error::DeviceCodeInvalid,
        _ => Error::Http {
            status: response.status,
            message,
        },
    }
}

fn form_post(id_base: &str, path: &str, pairs: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: join_url(id_base, path),
        headers: Vec::new(),
        form_body: Some(encode_pairs(pairs.iter().copied())),
    }
}

/// Converts a JSON number of seconds, using `default` for anything that is not a sane
/// non-negative whole number under a year.
fn seconds(value: f64, default: u32) -> u32 {
    if value.is_finite() && (0.0..=31_536_000.0).contains(&value) {
        value as u32
    } else {
        default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE_BODY: &str = r#"{"device_code":"ike3GM8QIdYZs43KdrWPIO36LofILoCyFEzjlQ91","expires_in":1800,"interval":5,"user_code":"ABCDEFGH","verification_uri":"https://www.twitch.tv/activate?public=true&device-code=ABCDEFGH"}"#;
    const TOKEN_BODY: &str = r#"{"access_token":"rfx2uswqe8l4g1mkagrvg5tv0ks3","expires_in":14124,"refresh_token":"5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01","scope":["channel:moderate","chat:edit","chat:read"],"token_type":"bearer"}"#;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    #[test]
    fn device_request_uses_plural_scopes() {
        let request = device_request(
            "https://id.twitch.tv/oauth2",
            "cid",
            &["chat:read".to_owned(), "chat:edit".to_owned()],
        );

        assert_eq!(request.url, "https://id.twitch.tv/oauth2/device");
        assert_eq!(
            request.form_body.as_deref(),
            Some("client_id=cid&scopes=chat%3Aread%20chat%3Aedit")
        );
        assert!(request.headers.is_empty());
    }

    #[test]
    fn device_body_parses_and_debug_hides_code() {
        let code = DeviceCode::from_response(&response(200, DEVICE_BODY)).unwrap();

        assert_eq!(code.user_code, "ABCDEFGH");
        assert_eq!(code.expires_in, 1800);
        assert_eq!(code.interval, 5);
        assert!(!format!("{code:?}").contains("ike3GM8"));
    }

    #[test]
    fn poll_outcomes_map() {
        let pending = response(400, r#"{"status":400,"message":"authorization_pending"}"#);
        let slow = response(400, r#"{"status":400,"message":"slow_down"}"#);
        let invalid = response(400, r#"{"status":400,"message":"invalid device code"}"#);
        let unknown = response(400, r#"{"status":400,"message":"something else"}"#);

        assert_eq!(poll_from_response(&pending), Ok(Poll::Pending));
        assert_eq!(poll_from_response(&slow), Ok(Poll::SlowDown));
        assert_eq!(poll_from_response(&invalid), Err(Error::DeviceCodeInvalid));
        assert_eq!(
            poll_from_response(&unknown),
            Err(Error::Http {
                status: 400,
                message: "something else".to_owned()
            })
        );
        assert_eq!(
            poll_from_response(&response(503, "")),
            Err(Error::Server { status: 503 })
        );
    }

    #[test]
    fn granted_poll_carries_tokens() {
        let Ok(Poll::Granted(pair)) = poll_from_response(&response(200, TOKEN_BODY)) else {
            panic!("expected granted");
        };

        assert_eq!(pair.access_token.secret(), "rfx2uswqe8l4g1mkagrvg5tv0ks3");
        assert_eq!(
            pair.refresh_token.secret(),
            "5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01"
        );
        assert_eq!(pair.expires_in, 14124);
        assert_eq!(
            pair.scopes,
            vec!["channel:moderate", "chat:edit", "chat:read"]
        );
    }

    #[test]
    fn token_without_scope_parses() {
        let body =
            r#"{"access_token":"a","expires_in":14542,"refresh_token":"b","token_type":"bearer"}"#;

        assert!(TokenPair::from_response(&response(200, body))
            .unwrap()
            .scopes
            .is_empty());
    }

    #[test]
    fn refresh_request_encodes_percent_and_slash() {
        let request = refresh_request(
            "https://id.twitch.tv/oauth2",
            "cid",
            &RefreshToken::new("ab%2F/cd"),
        );

        assert_eq!(
            request.form_body.as_deref(),
            Some("grant_type=refresh_token&refresh_token=ab%252F%2Fcd&client_id=cid")
        );
    }

    #[test]
    fn refresh_failures_are_typed() {
        let dead = response(400, r#"{"status":400,"message":"Invalid refresh token"}"#);
        let secret = response(400, r#"{"status":400,"message":"missing client secret"}"#);

        assert_eq!(
            TokenPair::from_response(&dead),
            Err(Error::RefreshTokenInvalid)
        );
        assert_eq!(
            TokenPair::from_response(&secret),
            Err(Error::ClientSecretRequired)
        );
        assert_eq!(
            TokenPair::from_response(&response(200, "<html>")),
            Err(Error::UnexpectedBody { status: 200 })
        );
        assert_eq!(
            TokenPair::from_response(&response(429, "")),
            Err(Error::RateLimited)
        );
    }

    #[test]
    fn odd_numbers_fall_back_to_defaults() {
        let body = DEVICE_BODY
            .replace("\"interval\":5", "\"interval\":-3")
            .replace("1800", "1e99");
        let code = DeviceCode::from_response(&response(200, &body)).unwrap();

        assert_eq!(code.interval, 5);
        assert_eq!(code.expires_in, 1800);
    }
}
