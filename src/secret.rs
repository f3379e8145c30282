//! Secret strings: access tokens and refresh tokens.
//!
//! Both types print as `[redacted]` through `Debug` and `Display`, so a token cannot reach a
//! log line, a panic message or an error by accident. Code that must send the token reads it
//! with `secret()`.

use std::fmt;

/// Prefixes that people paste in front of a token by mistake, compared case-insensitively.
///
/// `OAuth ` is the header scheme of `/oauth2/validate` and of the removed Kraken API, `Bearer `
/// the Helix scheme, and `oauth:` the form Twitch chat (IRC) takes as a password. Helix and
/// validate want the bare token.
const PASTED_PREFIXES: [&str; 3] = ["oauth ", "bearer ", "oauth:"];

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a token exactly as given.
            pub fn new(token: impl Into<String>) -> Self {
                Self(token.into())
            }

            /// Returns the token itself, for the one place that sends it.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}([redacted])", stringify!($name))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }
    };
}

secret_type!(
    /// An OAuth access token, sent to Twitch as `Authorization: Bearer <token>` (Helix) or
    /// `Authorization: OAuth <token>` (validate).
    AccessToken
);

secret_type!(
    /// A refresh token from the device code flow. Twitch rotates it: each one works once.
    RefreshToken
);

impl AccessToken {
    /// Builds an access token from text a person or another library supplied, removing
    /// surrounding whitespace and quotes and a leading `OAuth `, `Bearer ` or `oauth:`.
    pub fn from_pasted(text: &str) -> Self {
        Self(strip_pasted(text).to_owned())
    }
}

/// Removes whitespace, quotes and one scheme prefix that a pasted token may carry.
pub(crate) fn strip_pasted(text: &str) -> &str {
    let mut token = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();

    for prefix in PASTED_PREFIXES {
        let starts_with_prefix = token
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix));
        if starts_with_prefix {
            token = token[prefix.len()..].trim();
            break;
        }
    }

    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let token = AccessToken::new("abcdefghijklmnopqrstuvwxyz0123");

        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(
            format!("{:?}", RefreshToken::new("x%2F/y")),
            "RefreshToken([redacted])"
        );
    }

    #[test]
    fn pasted_prefixes_are_removed() {
        let bare = "abcdefghijklmnopqrstuvwxyz0123";

        for pasted in [
            "OAuth abcdefghijklmnopqrstuvwxyz0123",
            "oauth abcdefghijklmnopqrstuvwxyz0123",
            "Bearer abcdefghijklmnopqrstuvwxyz0123",
            "oauth:abcdefghijklmnopqrstuvwxyz0123",
            "  \"abcdefghijklmnopqrstuvwxyz0123\"\n",
            "abcdefghijklmnopqrstuvwxyz0123",
        ] {
            assert_eq!(
                AccessToken::from_pasted(pasted).secret(),
                bare,
                "input {pasted:?}"
            );
        }
    }

    #[test]
    fn non_ascii_input_does_not_panic() {
        assert_eq!(AccessToken::from_pasted("é").secret(), "é");
        assert_eq!(AccessToken::from_pasted("OAuth").secret(), "OAuth");
        assert_eq!(AccessToken::from_pasted("").secret(), "");
    }
}
