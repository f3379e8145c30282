//! Session states and the pure decisions that move between them.

use crate::record::{Flow, SessionRecord};
use crate::validate::ValidatedToken;
use crate::Error;

/// Twitch requires a validation at start-up and then every hour, in milliseconds. This is the
/// default and the maximum of `Config::validate_interval_ms`.
pub const VALIDATE_INTERVAL_MS: f64 = 3600.0 * 1000.0;

/// Session facts a page may show: everything but the tokens.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionInfo {
    /// Flow that produced the tokens.
    pub flow: Flow,
    /// Client id the token was issued to.
    pub client_id: String,
    /// User login.
    pub login: Option<String>,
    /// User id.
    pub user_id: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Expiry instant in milliseconds since the Unix epoch, `None` when the token never expires.
    pub expires_at: Option<f64>,
    /// Last successful validation, in milliseconds since the Unix epoch.
    pub validated_at: f64,
}

impl From<&SessionRecord> for SessionInfo {
    fn from(record: &SessionRecord) -> Self {
        Self {
            flow: record.flow,
            client_id: record.client_id.clone(),
            login: record.login.clone(),
            user_id: record.user_id.clone(),
            scopes: record.scopes.clone(),
            expires_at: record.expires_at,
            validated_at: record.validated_at,
        }
    }
}

/// State of a session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// No session. `reason` is why one ended, when it did.
    SignedOut {
        /// Reason the session ended, `None` when there never was one.
        reason: Option<Error>,
    },
    /// Validated within the last hour.
    SignedIn(SessionInfo),
    /// Kept, but the last validation failed for a transient reason.
    Unverified {
        /// The kept session.
        info: SessionInfo,
        /// Reason the validation failed.
        reason: Error,
    },
}

impl SessionState {
    /// Returns the stable name of the state: `signed_out`, `signed_in` or `unverified`.
    pub fn name(&self) -> &'static str {
        match self {
            SessionState::SignedOut { .. } => "signed_out",
            SessionState::SignedIn(_) => "signed_in",
            SessionState::Unverified { .. } => "unverified",
        }
    }
}

/// Action on a stored session after a validation attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum ValidationOutcome {
    /// Validated: store the updated record.
    Valid(SessionRecord),
    /// The token is dead or belongs to another app: remove the record.
    Ended(Error),
    /// Validation failed for a transient reason: keep the record unchanged.
    Unverified(Error),
}

/// Decides what a validation result means for `record`.
///
/// Only a 401 (expired or revoked token) or a token issued to another client id ends the
/// session. A network error, timeout, 429, 5xx or unreadable body keeps it.
pub fn apply_validation(
    record: &SessionRecord,
    result: Result<ValidatedToken, Error>,
    client_id: &str,
    now_ms: f64,
) -> ValidationOutcome {
    let validated = match result {
        Ok(validated) => validated,
        Err(error @ (Error::TokenInvalid | Error::TokenMissing)) => {
            return ValidationOutcome::Ended(error);
        }
        Err(error) => return ValidationOutcome::Unverified(error),
    };

    if let Err(error) = validated.check_client_id(client_id) {
        return ValidationOutcome::Ended(error);
    }

    let mut updated = record.clone();
    updated.client_id = validated.client_id;
    updated.login = validated.login.or(updated.login);
    updated.user_id = validated.user_id.or(updated.user_id);
    updated.scopes = validated.scopes;
    updated.expires_at = validated
        .expires_in
        .map(|seconds| now_ms + seconds as f64 * 1000.0);
    updated.validated_at = now_ms;
    ValidationOutcome::Valid(updated)
}

/// Tells whether the periodic validation is due, `interval_ms` after the last one.
pub fn validation_due(record: &SessionRecord, interval_ms: f64, now_ms: f64) -> bool {
    now_ms - record.validated_at >= interval_ms || now_ms < record.validated_at
}

/// How long before expiry a device session refreshes, in milliseconds (5 minutes).
pub const REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Tells whether a session with a refresh token should refresh now.
pub fn refresh_due(record: &SessionRecord, now_ms: f64) -> bool {
    record.refresh_token.is_some()
        && record
            .expires_at
            .is_some_and(|expires_at| now_ms >= expires_at - REFRESH_MARGIN_MS)
}

/// Returns the delay until the next check of a kept session, in milliseconds: the periodic
/// validation, the refresh before expiry (device sessions), the expiry itself (implicit
/// sessions), or a retry with backoff after `failures` failed validations, whichever is first.
pub fn next_check_delay_ms(
    record: &SessionRecord,
    interval_ms: f64,
    failures: u32,
    retry_base_ms: u32,
    jitter: f64,
    now_ms: f64,
) -> u32 {
    let mut due = record.validated_at + interval_ms;

    if let Some(expires_at) = record.expires_at {
        let deadline = if record.refresh_token.is_some() {
            expires_at - REFRESH_MARGIN_MS
        } else {
            expires_at
        };
        due = due.min(deadline);
    }
    if failures > 0 {
        let retry = crate::backoff::retry_delay_ms(failures - 1, retry_base_ms, jitter);
        due = due.min(now_ms + f64::from(retry));
    }

    (due - now_ms).clamp(0.0, interval_ms) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AccessToken;

    const CLIENT: &str = "ourclientid0000000000000000001";

    fn record() -> SessionRecord {
        SessionRecord {
            flow: Flow::Implicit,
            access_token: AccessToken::new("abcdefghijklmnopqrstuvwxyz0123"),
            refresh_token: None,
            client_id: CLIENT.to_owned(),
            login: Some("twitchdev".to_owned()),
            user_id: Some("141981764".to_owned()),
            scopes: vec!["user:read:chat".to_owned()],
            expires_at: Some(2_000.0),
            validated_at: 1_000.0,
        }
    }

    fn validated(client_id: &str, expires_in: Option<u64>) -> ValidatedToken {
        ValidatedToken {
            client_id: client_id.to_owned(),
            login: Some("twitchdev".to_owned()),
            user_id: Some("141981764".to_owned()),
            scopes: vec!["user:read:chat".to_owned(), "user:read:email".to_owned()],
            expires_in,
        }
    }

    #[test]
    fn success_updates_scopes_and_expiry() {
        let outcome =
            apply_validation(&record(), Ok(validated(CLIENT, Some(100))), CLIENT, 5_000.0);
        let ValidationOutcome::Valid(updated) = outcome else {
            panic!("expected Valid, got {outcome:?}");
        };

        assert_eq!(updated.scopes, vec!["user:read:chat", "user:read:email"]);
        assert_eq!(updated.expires_at, Some(105_000.0));
        assert_eq!(updated.validated_at, 5_000.0);
    }

    #[test]
    fn never_expiring_token_has_no_expiry() {
        let outcome = apply_validation(&record(), Ok(validated(CLIENT, None)), CLIENT, 5_000.0);

        assert!(matches!(outcome, ValidationOutcome::Valid(ref r) if r.expires_at.is_none()));
    }

    #[test]
    fn only_401_and_foreign_client_end_the_session() {
        let ended = [
            (Err(Error::TokenInvalid), Error::TokenInvalid),
            (
                Ok(validated("otherclientid000000000000000001", Some(5))),
                Error::ClientIdMismatch {
                    expected: CLIENT.to_owned(),
                    actual: "otherclientid000000000000000001".to_owned(),
                },
            ),
        ];
        for (result, expected) in ended {
            assert_eq!(
                apply_validation(&record(), result, CLIENT, 5_000.0),
                ValidationOutcome::Ended(expected)
            );
        }

        let kept = [
            Error::Network,
            Error::Timeout,
            Error::RateLimited,
            Error::Server { status: 503 },
            Error::UnexpectedBody { status: 200 },
        ];
        for error in kept {
            assert_eq!(
                apply_validation(&record(), Err(error.clone()), CLIENT, 5_000.0),
                ValidationOutcome::Unverified(error)
            );
        }
    }

    #[test]
    fn next_check_is_the_earliest_deadline() {
        let mut implicit = record();
        implicit.expires_at = Some(1_000.0 + 10.0 * VALIDATE_INTERVAL_MS);
        let mut device = implicit.clone();
        device.refresh_token = Some(crate::RefreshToken::new("r"));
        device.expires_at = Some(1_000.0 + REFRESH_MARGIN_MS + 60_000.0);
        let mut expiring = implicit.clone();
        expiring.expires_at = Some(1_000.0 + 5_000.0);

        assert_eq!(
            next_check_delay_ms(&implicit, VALIDATE_INTERVAL_MS, 0, 1000, 0.0, 1_000.0),
            VALIDATE_INTERVAL_MS as u32
        );
        assert_eq!(
            next_check_delay_ms(&device, VALIDATE_INTERVAL_MS, 0, 1000, 0.0, 1_000.0),
            60_000
        );
        assert_eq!(
            next_check_delay_ms(&expiring, VALIDATE_INTERVAL_MS, 0, 1000, 0.0, 1_000.0),
            5_000
        );
        assert_eq!(
            next_check_delay_ms(&implicit, VALIDATE_INTERVAL_MS, 1, 1000, 0.0, 1_000.0),
            500
        );
        assert_eq!(
            next_check_delay_ms(&implicit, VALIDATE_INTERVAL_MS, 3, 1000, 0.0, 1_000.0),
            2_000
        );
        assert_eq!(
            next_check_delay_ms(
                &implicit,
                VALIDATE_INTERVAL_MS,
                0,
                1000,
                0.0,
                1_000.0 + 2.0 * VALIDATE_INTERVAL_MS
            ),
            0
        );
    }

    #[test]
    fn refresh_is_due_five_minutes_early() {
        let mut device = record();
        device.refresh_token = Some(crate::RefreshToken::new("r"));
        device.expires_at = Some(1_000_000.0);

        assert!(!refresh_due(&device, 1_000_000.0 - REFRESH_MARGIN_MS - 1.0));
        assert!(refresh_due(&device, 1_000_000.0 - REFRESH_MARGIN_MS));
        assert!(
            !refresh_due(&record(), 1_000_000.0),
            "implicit sessions never refresh"
        );
    }

    #[test]
    fn hourly_validation_is_due_after_an_hour() {
        let record = record();

        assert!(!validation_due(
            &record,
            VALIDATE_INTERVAL_MS,
            1_000.0 + VALIDATE_INTERVAL_MS - 1.0
        ));
        assert!(validation_due(
            &record,
            VALIDATE_INTERVAL_MS,
            1_000.0 + VALIDATE_INTERVAL_MS
        ));
        assert!(validation_due(&record, VALIDATE_INTERVAL_MS, 0.0));
    }
}
