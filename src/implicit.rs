//! Implicit grant: the authorize URL, the `state` check and the redirect back from Twitch.
//!
//! Twitch has no PKCE, and its authorization code flow needs the client secret, so a page
//! without a server uses this flow (or the device code flow). The token arrives in the URL
//! fragment with no `expires_in`; the lifetime comes from validate. Errors arrive in the query
//! string instead. See <https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/>.

use serde::{Deserialize, Serialize};

use crate::encoding::{decode_pairs, encode_pairs};
use crate::http::join_url;
use crate::token_check::{check_token, TokenProblem};
use crate::{AccessToken, Error};

/// How long a started sign-in stays valid, in milliseconds (10 minutes).
pub const STATE_LIFETIME_MS: f64 = 10.0 * 60.0 * 1000.0;

/// A pending sign-in, kept in `sessionStorage` until Twitch redirects back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingState {
    /// The CSRF value: 128 random bits as 32 hexadecimal characters.
    pub value: String,
    /// When the sign-in started, in milliseconds since the Unix epoch.
    pub created_at: f64,
}

impl PendingState {
    /// Creates a pending sign-in from 16 random bytes.
    pub fn new(random: [u8; 16], now_ms: f64) -> Self {
        let value = random.iter().map(|byte| format!("{byte:02x}")).collect();
        Self {
            value,
            created_at: now_ms,
        }
    }

    /// Checks the `state` Twitch returned against this pending sign-in.
    pub fn check(&self, returned: &str, now_ms: f64) -> Result<(), Error> {
        if !constant_time_eq(self.value.as_bytes(), returned.as_bytes()) {
            return Err(Error::StateMismatch);
        }
        let age = now_ms - self.created_at;
        if !(0.0..=STATE_LIFETIME_MS).contains(&age) {
            return Err(Error::StateExpired);
        }
        Ok(())
    }
}

/// Compares without an early exit, so timing does not reveal how much of a guess matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Builds the authorize URL that starts the implicit grant.
pub fn authorize_url(
    id_base: &str,
    client_id: &str,
    redirect_uri: &str,
    scopes: &[String],
    state: &str,
    force_verify: bool,
) -> String {
    let scope = scopes.join(" ");
    let mut pairs = vec![
        ("response_type", "token"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope.as_str()),
        ("state", state),
    ];
    if force_verify {
        pairs.push(("force_verify", "true"));
    }
    format!("{}?{}", join_url(id_base, "authorize"), encode_pairs(pairs))
}

/// Returns the page address without query and fragment, the default redirect URI.
pub fn page_address(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

/// Sign-in result found in the address bar when the page loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// No sign-in parameters: an ordinary page load.
    None,
    /// Twitch granted a token.
    Token {
        /// The access token from the fragment.
        access_token: AccessToken,
        /// Scopes from the fragment. Validate's list is the one that counts.
        scopes: Vec<String>,
        /// The echoed state, if any.
        state: Option<String>,
    },
    /// Twitch reported an error in the query string.
    Error {
        /// Typed error for the `error` code.
        error: Error,
        /// The echoed state, if any.
        state: Option<String>,
    },
}

/// Query and fragment names that belong to the sign-in and are removed from the address bar.
const SIGN_IN_PARAMS: [&str; 7] = [
    "access_token",
    "error",
    "error_description",
    "scope",
    "state",
    "token_type",
    "id_token",
];

/// Reads the sign-in result from a page address.
///
/// Malformed parameters (bad percent-encoding, a value given twice, an empty or damaged token)
/// give [`Error::RedirectMalformed`] rather than a guess.
pub fn parse_redirect(href: &str) -> Redirect {
    let (query, fragment) = split_query_fragment(href);

    let fragment_pairs = match decode_pairs(fragment) {
        Ok(pairs) => pairs,
        Err(_) if fragment.contains("access_token") => return malformed(),
        Err(_) => Vec::new(),
    };
    if has_name(&fragment_pairs, "access_token") {
        return parse_token(&fragment_pairs);
    }

    let query_pairs = match decode_pairs(query) {
        Ok(pairs) => pairs,
        Err(_) if query.contains("error") => return malformed(),
        Err(_) => Vec::new(),
    };
    if has_name(&query_pairs, "error") {
        return parse_error(&query_pairs);
    }

    Redirect::None
}

/// Returns `href` without the sign-in parameters, keeping any others the page uses.
pub fn clean_address(href: &str) -> String {
    let (query, fragment) = split_query_fragment(href);
    let base = page_address(href);

    let keep = |part: &str| -> String {
        part.split('&')
            .filter(|segment| {
                let name = segment.split('=').next().unwrap_or_default();
                !segment.is_empty() && !SIGN_IN_PARAMS.contains(&name)
            })
            .collect::<Vec<_>>()
            .join("&")
    };

    let mut out = base.to_owned();
    let query = keep(query);
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    let fragment = keep(fragment);
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&fragment);
    }
    out
}

fn split_query_fragment(href: &str) -> (&str, &str) {
    let (before_fragment, fragment) = href.split_once('#').unwrap_or((href, ""));
    let query = before_fragment
        .split_once('?')
        .map_or("", |(_, query)| query);
    (query, fragment)
}

fn malformed() -> Redirect {
    Redirect::Error {
        error: Error::RedirectMalformed,
        state: None,
    }
}

fn has_name(pairs: &[(String, String)], name: &str) -> bool {
    pairs.iter().any(|(key, _)| key == name)
}

/// Returns the single value of `name`; `Err` when it appears more than once.
fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(());
    }
    Ok(first)
}

fn parse_token(pairs: &[(String, String)]) -> Redirect {
    let (Ok(Some(token)), Ok(scope), Ok(state)) = (
        single(pairs, "access_token"),
        single(pairs, "scope"),
        single(pairs, "state"),
    ) else {
        return malformed();
    };
    if check_token(token) != Ok(()) {
        return malformed();
    }

    Redirect::Token {
        access_token: AccessToken::new(token),
        scopes: scope.map(split_scopes).unwrap_or_default(),
        state: state.map(str::to_owned),
    }
}

fn parse_error(pairs: &[(String, String)]) -> Redirect {
    let (Ok(Some(code)), Ok(description), Ok(state)) = (
        single(pairs, "error"),
        single(pairs, "error_description"),
        single(pairs, "state"),
    ) else {
        return malformed();
    };

    let error = match code {
        "access_denied" => Error::Cancelled,
        "redirect_mismatch" => Error::RedirectMismatch,
        "unsupported_response_type" => Error::ResponseTypeUnsupported,
        other => Error::AuthorizeFailed {
            error: other.chars().take(100).collect(),
            description: description.unwrap_or_default().chars().take(300).collect(),
        },
    };
    Redirect::Error {
        error,
        state: state.map(str::to_owned),
    }
}

/// Splits a scope list separated by spaces (`+` and `%20` decode to spaces).
pub fn split_scopes(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

impl From<TokenProblem> for Error {
    fn from(_: TokenProblem) -> Self {
        Error::RedirectMalformed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://example.github.io/overlay/";

    fn token_of(redirect: Redirect) -> (String, Vec<String>, Option<String>) {
        match redirect {
            Redirect::Token {
                access_token,
                scopes,
                state,
            } => (access_token.secret().to_owned(), scopes, state),
            other => panic!("expected a token, got {other:?}"),
        }
    }

    fn error_of(redirect: Redirect) -> Error {
        match redirect {
            Redirect::Error { error, .. } => error,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn authorize_url_encodes_every_parameter() {
        let scopes = vec!["user:read:email".to_owned(), "chat:read".to_owned()];
        let url = authorize_url(
            "https://id.twitch.tv/oauth2",
            "cid",
            PAGE,
            &scopes,
            "s1",
            true,
        );

        assert_eq!(
            url,
            "https://id.twitch.tv/oauth2/authorize?response_type=token&client_id=cid\
             &redirect_uri=https%3A%2F%2Fexample.github.io%2Foverlay%2F\
             &scope=user%3Aread%3Aemail%20chat%3Aread&state=s1&force_verify=true"
        );
    }

    #[test]
    fn fragment_without_expiry_gives_token() {
        let href = format!(
            "{PAGE}#access_token=abcdefghijklmnopqrstuvwxyz0123&scope=user%3Aread%3Achat&state=S&token_type=bearer"
        );
        let (token, scopes, state) = token_of(parse_redirect(&href));

        assert_eq!(token, "abcdefghijklmnopqrstuvwxyz0123");
        assert_eq!(scopes, vec!["user:read:chat"]);
        assert_eq!(state.as_deref(), Some("S"));
    }

    #[test]
    fn scopes_separated_by_plus_or_percent20() {
        for separator in ["+", "%20"] {
            let href = format!(
                "{PAGE}#access_token=abc&scope=chat:read{separator}user%3Aread%3Aemail&state=S"
            );
            let (_, scopes, _) = token_of(parse_redirect(&href));

            assert_eq!(
                scopes,
                vec!["chat:read", "user:read:email"],
                "separator {separator}"
            );
        }
    }

    #[test]
    fn cancel_in_query_is_cancelled() {
        let href = format!(
            "{PAGE}?error=access_denied&error_description=The+user+denied+you+access&state=S"
        );

        assert_eq!(
            parse_redirect(&href),
            Redirect::Error {
                error: Error::Cancelled,
                state: Some("S".to_owned())
            }
        );
    }

    #[test]
    fn oidc_without_openid_names_the_scope() {
        let href = format!("{PAGE}?error=unsupported_response_type&error_description=Response+type+is+not+supported");
        let error = error_of(parse_redirect(&href));

        assert_eq!(error, Error::ResponseTypeUnsupported);
        assert!(error.to_string().contains("openid"));
    }

    #[test]
    fn unknown_error_keeps_code_and_description() {
        let href = format!("{PAGE}?error=server_error&error_description=Try+later");

        assert_eq!(
            error_of(parse_redirect(&href)),
            Error::AuthorizeFailed {
                error: "server_error".to_owned(),
                description: "Try later".to_owned()
            }
        );
    }

    #[test]
    fn plain_page_load_is_none() {
        assert_eq!(parse_redirect(PAGE), Redirect::None);
        assert_eq!(
            parse_redirect(&format!("{PAGE}?tab=chat#top")),
            Redirect::None
        );
        assert_eq!(parse_redirect(&format!("{PAGE}?q=%zz")), Redirect::None);
    }

    #[test]
    fn malformed_redirects_are_rejected() {
        let cases = [
            "#access_token=a&access_token=b&state=S",
            "#access_token=&state=S",
            "#access_token=abc%zz&state=S",
            "#access_token=abc%20def&state=S",
            "#access_token=abc&state=S1&state=S2",
            "?error=access_denied&error=other",
            "?error=access_denied&error_description=%E0%A4",
        ];

        for case in cases {
            let href = format!("{PAGE}{case}");
            assert_eq!(
                error_of(parse_redirect(&href)),
                Error::RedirectMalformed,
                "input {case}"
            );
        }
    }

    #[test]
    fn huge_and_non_ascii_values_do_not_panic() {
        let huge = "a".repeat(1 << 20);
        let huge_token = format!("{PAGE}#access_token={huge}&state=S");
        let non_ascii_state = format!("{PAGE}#access_token=abc&state=é%C3%A9&scope={huge}");
        let (token, scopes, state) = token_of(parse_redirect(&non_ascii_state));

        assert_eq!(
            error_of(parse_redirect(&huge_token)),
            Error::RedirectMalformed
        );
        assert_eq!(token, "abc");
        assert_eq!(scopes.len(), 1);
        assert_eq!(state.as_deref(), Some("éé"));
        assert_eq!(parse_redirect("é#é?é"), Redirect::None);
    }

    #[test]
    fn clean_address_removes_only_sign_in_parameters() {
        let cases = [
            (
                format!("{PAGE}#access_token=x&scope=a&state=S&token_type=bearer"),
                PAGE.to_owned(),
            ),
            (
                format!("{PAGE}?error=access_denied&error_description=The+user&state=S"),
                PAGE.to_owned(),
            ),
            (
                format!("{PAGE}?tab=chat&state=S#access_token=x"),
                format!("{PAGE}?tab=chat"),
            ),
            (
                format!("{PAGE}?tab=chat#top"),
                format!("{PAGE}?tab=chat#top"),
            ),
        ];

        for (href, expected) in cases {
            assert_eq!(clean_address(&href), expected, "input {href}");
        }
    }

    #[test]
    fn state_check_rejects_mismatch_and_age() {
        let pending = PendingState::new([0xab; 16], 1_000_000.0);

        assert_eq!(pending.value, "ab".repeat(16));
        assert_eq!(
            pending.check(&"ab".repeat(16), 1_000_000.0 + 60_000.0),
            Ok(())
        );
        assert_eq!(
            pending.check("abab", 1_000_000.0),
            Err(Error::StateMismatch)
        );
        assert_eq!(
            pending.check(&"ab".repeat(16), 1_000_000.0 + 600_001.0),
            Err(Error::StateExpired)
        );
        assert_eq!(
            pending.check(&"ab".repeat(16), 999_000.0),
            Err(Error::StateExpired)
        );
    }
}
