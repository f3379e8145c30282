//! The one error type of the crate.
//!
//! Each variant names a state, its `Display` text states what happened in plain words, and
//! [`Error::hint`] states what to do next. [`Error::code`] is a stable identifier for scripts.
//! No variant carries a token.

use std::fmt;

/// Reason a stored session record could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// The stored text is not JSON or lacks required fields.
    Unreadable,
    /// The record was written by a format version this build does not know.
    UnknownVersion(u64),
    /// The access or refresh token is empty, has whitespace, quotes or control characters, or
    /// differs from the length and checksum stored beside it (cut short or altered).
    Token,
    /// A value is far larger than any Twitch value.
    Oversized,
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Unreadable => f.write_str("the stored record is not readable"),
            Damage::UnknownVersion(version) => {
                write!(f, "the stored record has unknown format version {version}")
            }
            Damage::Token => f.write_str("the stored token was cut short or altered"),
            Damage::Oversized => f.write_str("the stored record has an oversized value"),
        }
    }
}

/// Everything that can go wrong between this module and Twitch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The redirect from Twitch carried no `state`.
    StateMissing,
    /// The redirect's `state` does not match the one this tab sent, or no sign-in was started
    /// in this tab. The token in that redirect is discarded.
    StateMismatch,
    /// The sign-in was started more than 10 minutes before Twitch redirected back.
    StateExpired,
    /// The user pressed Cancel on Twitch's consent page (`error=access_denied`), or the page
    /// cancelled a device sign-in.
    Cancelled,
    /// Twitch rejected the redirect URI because it is not registered for the client id.
    RedirectMismatch,
    /// Twitch rejected the response type. For OIDC it needs the `openid` scope.
    ResponseTypeUnsupported,
    /// Twitch returned another authorization error.
    AuthorizeFailed {
        /// The `error` parameter.
        error: String,
        /// The `error_description` parameter.
        description: String,
    },
    /// The redirect parameters are malformed (bad percent-encoding, repeated or empty values).
    RedirectMalformed,
    /// The access token expired or was revoked (401 from validate, or Helix's
    /// `Invalid OAuth token` confirmed by validate).
    TokenInvalid,
    /// Twitch received no token, or the `OAuth` prefix where Helix needs `Bearer`.
    TokenMissing,
    /// The token was issued to another application's client id.
    ClientIdMismatch {
        /// The client id this page is configured with.
        expected: String,
        /// The client id validate reported for the token.
        actual: String,
    },
    /// Helix received no `Client-Id` header.
    ClientIdMissing,
    /// Helix reports that the `Client-Id` header and the token belong to different
    /// applications.
    ClientIdTokenMismatch,
    /// The token lacks a scope the endpoint needs.
    MissingScope {
        /// The scope, for example `moderation:read`.
        scope: String,
    },
    /// The stored session was damaged and has been removed.
    StorageDamaged(Damage),
    /// No session is signed in.
    NotSignedIn,
    /// Twitch returned 429 and retries did not help.
    RateLimited,
    /// Twitch returned a 5xx status.
    Server {
        /// Status code.
        status: u16,
    },
    /// The request failed before a response arrived (offline, DNS, CORS, dropped connection).
    Network,
    /// No response arrived within the timeout.
    Timeout,
    /// Twitch returned an error status this module does not map to a variant.
    Http {
        /// Status code.
        status: u16,
        /// Twitch's `message`, or empty.
        message: String,
    },
    /// A response body was not the JSON Twitch documents (empty, HTML from a proxy, wrong
    /// shape).
    UnexpectedBody {
        /// Status code of the response.
        status: u16,
    },
    /// The device code was used already or is unknown.
    DeviceCodeInvalid,
    /// The device code expired before the user approved it.
    DeviceCodeExpired,
    /// The user denied the device sign-in.
    DeviceDenied,
    /// The refresh token is dead: used already, revoked or older than 30 days.
    RefreshTokenInvalid,
    /// Twitch wants a client secret to refresh, so the app is registered as Confidential.
    ClientSecretRequired,
    /// The configuration is not usable.
    Config {
        /// Description of the problem.
        reason: String,
    },
    /// A browser API this module needs is missing or failed.
    Browser {
        /// What failed.
        reason: String,
    },
}

impl Error {
    /// Returns a stable snake_case identifier, for scripts that branch on the error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::StateMissing => "state_missing",
            Error::StateMismatch => "state_mismatch",
            Error::StateExpired => "state_expired",
            Error::Cancelled => "cancelled",
            Error::RedirectMismatch => "redirect_mismatch",
            Error::ResponseTypeUnsupported => "response_type_unsupported",
            Error::AuthorizeFailed { .. } => "authorize_failed",
            Error::RedirectMalformed => "redirect_malformed",
            Error::TokenInvalid => "token_invalid",
            Error::TokenMissing => "token_missing",
            Error::ClientIdMismatch { .. } => "client_id_mismatch",
            Error::ClientIdMissing => "client_id_missing",
            Error::ClientIdTokenMismatch => "client_id_token_mismatch",
            Error::MissingScope { .. } => "missing_scope",
            Error::StorageDamaged(_) => "storage_damaged",
            Error::NotSignedIn => "not_signed_in",
            Error::RateLimited => "rate_limited",
            Error::Server { .. } => "server_error",
            Error::Network => "network_error",
            Error::Timeout => "timeout",
            Error::Http { .. } => "http_error",
            Error::UnexpectedBody { .. } => "unexpected_body",
            Error::DeviceCodeInvalid => "device_code_invalid",
            Error::DeviceCodeExpired => "device_code_expired",
            Error::DeviceDenied => "device_denied",
            Error::RefreshTokenInvalid => "refresh_token_invalid",
            Error::ClientSecretRequired => "client_secret_required",
            Error::Config { .. } => "config",
            Error::Browser { .. } => "browser",
        }
    }

    /// Returns one sentence on what to do next.
    pub fn hint(&self) -> &'static str {
        match self {
            Error::StateMissing | Error::StateMismatch | Error::StateExpired => {
                "Start the sign-in again from this page."
            }
            Error::Cancelled | Error::DeviceDenied => "Sign in again when you are ready.",
            Error::RedirectMismatch => {
                "Register this page's exact address as an OAuth Redirect URL in the Twitch developer console."
            }
            Error::ResponseTypeUnsupported => {
                "Use response type `token`, or add the `openid` scope for an OIDC id token."
            }
            Error::AuthorizeFailed { .. } | Error::RedirectMalformed => {
                "Start the sign-in again. If it repeats, check the app settings in the Twitch developer console."
            }
            Error::TokenInvalid
            | Error::StorageDamaged(_)
            | Error::NotSignedIn
            | Error::RefreshTokenInvalid
            | Error::DeviceCodeInvalid
            | Error::DeviceCodeExpired => "Sign in again.",
            Error::TokenMissing => {
                "Send the bare token to Helix as `Authorization: Bearer <token>`, without `OAuth` or `oauth:`."
            }
            Error::ClientIdMismatch { .. } | Error::ClientIdTokenMismatch => {
                "Configure the client id that issued the token, or sign in again with this page's client id."
            }
            Error::ClientIdMissing => "Send `Client-Id: <client id>` with every Helix request.",
            Error::MissingScope { .. } => "Sign in again and grant the missing scope.",
            Error::RateLimited => "Wait a minute before sending more requests.",
            Error::Server { .. } | Error::Network | Error::Timeout | Error::UnexpectedBody { .. } => {
                "Try again later. The session is kept."
            }
            Error::Http { .. } => "Check the request parameters against the Helix reference.",
            Error::ClientSecretRequired => {
                "Register the app as Public in the Twitch developer console to refresh without a client secret."
            }
            Error::Config { .. } => "Fix the configuration and reload the page.",
            Error::Browser { .. } => "Use a current browser with storage and fetch enabled.",
        }
    }

    /// Tells whether the failure may pass on its own, so a retry or a later validation makes
    /// sense and the session is kept.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited
                | Error::Server { .. }
                | Error::Network
                | Error::Timeout
                | Error::UnexpectedBody { .. }
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::StateMissing => f.write_str("the sign-in redirect carried no state value"),
            Error::StateMismatch => f.write_str(
                "the sign-in redirect does not match a sign-in started in this tab, so its token was discarded",
            ),
            Error::StateExpired => f.write_str("the sign-in took longer than 10 minutes"),
            Error::Cancelled => f.write_str("sign-in was cancelled"),
            Error::RedirectMismatch => {
                f.write_str("Twitch rejected the redirect URI because it is not registered for this client id")
            }
            Error::ResponseTypeUnsupported => f.write_str(
                "Twitch rejected the response type; an OIDC id token needs the openid scope",
            ),
            Error::AuthorizeFailed { error, description } => {
                write!(f, "Twitch rejected the sign-in: {error} ({description})")
            }
            Error::RedirectMalformed => f.write_str("the sign-in redirect parameters are malformed"),
            Error::TokenInvalid => f.write_str("the access token expired or was revoked"),
            Error::TokenMissing => {
                f.write_str("Twitch received no usable token (missing, or sent with the OAuth prefix)")
            }
            Error::ClientIdMismatch { expected, actual } => write!(
                f,
                "the token was issued to another application (client id {actual}, expected {expected})"
            ),
            Error::ClientIdMissing => f.write_str("the Helix request had no Client-Id header"),
            Error::ClientIdTokenMismatch => {
                f.write_str("the Client-Id header and the token belong to different applications")
            }
            Error::MissingScope { scope } => write!(f, "the token lacks the scope {scope}"),
            Error::StorageDamaged(damage) => write!(f, "stored session removed: {damage}"),
            Error::NotSignedIn => f.write_str("no user is signed in"),
            Error::RateLimited => f.write_str("Twitch rate limit reached"),
            Error::Server { status } => write!(f, "Twitch server error {status}"),
            Error::Network => f.write_str("network error: Twitch could not be reached"),
            Error::Timeout => f.write_str("Twitch did not respond in time"),
            Error::Http { status, message } if message.is_empty() => write!(f, "Twitch returned {status}"),
            Error::Http { status, message } => write!(f, "Twitch returned {status}: {message}"),
            Error::UnexpectedBody { status } => {
                write!(f, "Twitch returned {status} with a body that is not the expected JSON")
            }
            Error::DeviceCodeInvalid => f.write_str("the device code is invalid or was used already"),
            Error::DeviceCodeExpired => f.write_str("the device code expired before it was approved"),
            Error::DeviceDenied => f.write_str("the device sign-in was denied"),
            Error::RefreshTokenInvalid => f.write_str("the refresh token is invalid, used or expired"),
            Error::ClientSecretRequired => f.write_str(
                "Twitch wants a client secret to refresh this token, so the app is registered as Confidential",
            ),
            Error::Config { reason } => write!(f, "invalid configuration: {reason}"),
            Error::Browser { reason } => write!(f, "browser error: {reason}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::http::TransportError> for Error {
    fn from(error: crate::http::TransportError) -> Self {
        match error {
            crate::http::TransportError::Network => Error::Network,
            crate::http::TransportError::Timeout => Error::Timeout,
        }
    }
}
