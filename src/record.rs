//! The session record kept in `localStorage`, versioned and checked for damage.
//!
//! Each token is stored with its fingerprint (length and hash), so a token cut short or altered
//! in storage is caught at load and never sent to Twitch as if it were valid.

use serde::{Deserialize, Serialize};

use crate::error::Damage;
use crate::token_check::{check_token, fingerprint};
use crate::{json, AccessToken, RefreshToken};

/// Format version written by this build.
pub const RECORD_VERSION: u64 = 1;

/// Largest stored record accepted, in bytes. A real one is under 2 KiB.
const MAX_RECORD_LEN: usize = 64 * 1024;

/// Sign-in flow of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    /// Implicit grant: a long-lived access token and no refresh token.
    Implicit,
    /// Device code grant: a 4-hour access token and a rotating refresh token.
    Device,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    /// Flow that produced the tokens.
    pub flow: Flow,
    /// Access token.
    pub access_token: AccessToken,
    /// Refresh token, only for the device flow.
    pub refresh_token: Option<RefreshToken>,
    /// Client id the token was issued to, as validate reported it.
    pub client_id: String,
    /// User login.
    pub login: Option<String>,
    /// User id.
    pub user_id: Option<String>,
    /// Scopes, as validate reported them.
    pub scopes: Vec<String>,
    /// Expiry instant in milliseconds since the Unix epoch, `None` when the token never expires.
    pub expires_at: Option<f64>,
    /// Last successful validation, in milliseconds since the Unix epoch.
    pub validated_at: f64,
}

#[derive(Serialize, Deserialize)]
struct StoredV1 {
    version: u64,
    flow: Flow,
    access_token: String,
    access_token_check: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_token_check: Option<String>,
    client_id: String,
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    scopes: Vec<String>,
    #[serde(default)]
    expires_at: Option<f64>,
    validated_at: f64,
}

#[derive(Deserialize)]
struct VersionProbe {
    version: f64,
}

impl SessionRecord {
    /// Serialises the record for storage.
    pub fn to_storage(&self) -> String {
        let stored = StoredV1 {
            version: RECORD_VERSION,
            flow: self.flow,
            access_token: self.access_token.secret().to_owned(),
            access_token_check: fingerprint(self.access_token.secret()),
            refresh_token: self
                .refresh_token
                .as_ref()
                .map(|token| token.secret().to_owned()),
            refresh_token_check: self
                .refresh_token
                .as_ref()
                .map(|token| fingerprint(token.secret())),
            client_id: self.client_id.clone(),
            login: self.login.clone(),
            user_id: self.user_id.clone(),
            scopes: self.scopes.clone(),
            expires_at: self.expires_at,
            validated_at: self.validated_at,
        };
        // Both JSON backends serialise strings, numbers (NaN as null) and lists without error.
        json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a stored record, or returns how it is damaged.
    ///
    /// Unknown extra fields are ignored, so a newer build may add optional fields without a
    /// version change.
    pub fn from_storage(text: &str) -> Result<Self, Damage> {
        if text.len() > MAX_RECORD_LEN {
            return Err(Damage::Oversized);
        }

        let probe: VersionProbe = json::from_str(text).map_err(|_| Damage::Unreadable)?;
        if probe.version != RECORD_VERSION as f64 {
            let version = if probe.version.is_finite() && probe.version >= 0.0 {
                probe.version as u64
            } else {
                0
            };
            return Err(Damage::UnknownVersion(version));
        }
        let stored: StoredV1 = json::from_str(text).map_err(|_| Damage::Unreadable)?;

        check_stored_token(&stored.access_token, &stored.access_token_check)?;
        let refresh_token = match (&stored.refresh_token, &stored.refresh_token_check) {
            (Some(token), Some(check)) => {
                check_stored_token(token, check)?;
                Some(RefreshToken::new(token.as_str()))
            }
            (None, None) => None,
            _ => return Err(Damage::Token),
        };

        let too_long = |value: &str| value.len() > 200;
        let oversized = too_long(&stored.client_id)
            || stored.login.as_deref().is_some_and(too_long)
            || stored.user_id.as_deref().is_some_and(too_long)
            || stored.scopes.len() > 200
            || stored.scopes.iter().any(|scope| too_long(scope));
        if oversized {
            return Err(Damage::Oversized);
        }
        let numbers_ok =
            stored.validated_at.is_finite() && stored.expires_at.is_none_or(f64::is_finite);
        if stored.client_id.is_empty() || !numbers_ok {
            return Err(Damage::Unreadable);
        }

        Ok(Self {
            flow: stored.flow,
            access_token: AccessToken::new(stored.access_token),
            refresh_token,
            client_id: stored.client_id,
            login: stored.login,
            user_id: stored.user_id,
            scopes: stored.scopes,
            expires_at: stored.expires_at,
            validated_at: stored.validated_at,
        })
    }

    /// Tells whether the expiry instant has passed.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at
            .is_some_and(|expires_at| expires_at <= now_ms)
    }

    /// Tells whether the token has `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }
}

fn check_stored_token(token: &str, check: &str) -> Result<(), Damage> {
    if check_token(token).is_err() || fingerprint(token) != check {
        return Err(Damage::Token);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SessionRecord {
        SessionRecord {
            flow: Flow::Device,
            access_token: AccessToken::new("abcdefghijklmnopqrstuvwxyz0123"),
            refresh_token: Some(RefreshToken::new(
                "x%2Fy/z0123456789abcdefghijklmnopqrstuvwxyz01234",
            )),
            client_id: "ourclientid0000000000000000001".to_owned(),
            login: Some("twitchdev".to_owned()),
            user_id: Some("141981764".to_owned()),
            scopes: vec!["user:read:email".to_owned()],
            expires_at: Some(1_800_000_000_000.0),
            validated_at: 1_700_000_000_000.0,
        }
    }

    #[test]
    fn record_round_trips() {
        let record = sample();

        assert_eq!(
            SessionRecord::from_storage(&record.to_storage()),
            Ok(record)
        );
    }

    #[test]
    fn implicit_record_without_refresh_round_trips() {
        let mut record = sample();
        record.flow = Flow::Implicit;
        record.refresh_token = None;
        record.expires_at = None;

        assert_eq!(
            SessionRecord::from_storage(&record.to_storage()),
            Ok(record)
        );
    }

    #[test]
    fn debug_output_hides_tokens() {
        let debug = format!("{:?}", sample());

        assert!(!debug.contains("abcdefghijklmnopqrstuvwxyz0123"));
        assert!(!debug.contains("x%2Fy"));
    }

    #[test]
    fn token_cut_short_in_storage_is_damage() {
        let text = sample()
            .to_storage()
            .replace("abcdefghijklmnopqrstuvwxyz0123", "abcdefghijklmnopqrstu");

        assert_eq!(SessionRecord::from_storage(&text), Err(Damage::Token));
    }

    #[test]
    fn raw_token_in_storage_is_unreadable() {
        assert_eq!(
            SessionRecord::from_storage("abcdefghijklmnopqrstu"),
            Err(Damage::Unreadable)
        );
    }

    #[test]
    fn altered_or_empty_tokens_are_damage() {
        let stored = sample().to_storage();
        let altered = stored.replace(
            "abcdefghijklmnopqrstuvwxyz0123",
            "abcdefghijklmnopqrstuvwxyz0124",
        );
        let spaced = stored.replace(
            "abcdefghijklmnopqrstuvwxyz0123",
            "abcdefghijklmnopqrstuvwxyz012 ",
        );
        let refresh_without_check = stored.replace("\"refresh_token_check\"", "\"other\"");

        assert_eq!(SessionRecord::from_storage(&altered), Err(Damage::Token));
        assert_eq!(SessionRecord::from_storage(&spaced), Err(Damage::Token));
        assert_eq!(
            SessionRecord::from_storage(&refresh_without_check),
            Err(Damage::Token)
        );
    }

    #[test]
    fn broken_records_give_typed_damage() {
        let stored = sample().to_storage();
        let cases = [
            (stored[..stored.len() / 2].to_owned(), Damage::Unreadable),
            (String::new(), Damage::Unreadable),
            ("null".to_owned(), Damage::Unreadable),
            ("[1]".to_owned(), Damage::Unreadable),
            (
                stored.replace("\"version\":1", "\"version\":2"),
                Damage::UnknownVersion(2),
            ),
            (
                stored.replace("\"version\":1", "\"version\":-1"),
                Damage::UnknownVersion(0),
            ),
            (
                stored.replace("\"version\":1", "\"version\":\"1\""),
                Damage::Unreadable,
            ),
            (
                stored.replace("\"flow\":\"device\"", "\"flow\":7"),
                Damage::Unreadable,
            ),
            (
                stored.replace("\"flow\":\"device\"", "\"flow\":\"other\""),
                Damage::Unreadable,
            ),
            (
                stored.replace("[\"user:read:email\"]", "\"user:read:email\""),
                Damage::Unreadable,
            ),
            (
                stored.replace("\"validated_at\":", "\"validated\":"),
                Damage::Unreadable,
            ),
            (
                stored.replace("\"twitchdev\"", &format!("\"{}\"", "a".repeat(1 << 20))),
                Damage::Oversized,
            ),
            (
                stored.replace("\"twitchdev\"", &format!("\"{}\"", "a".repeat(1000))),
                Damage::Oversized,
            ),
        ];

        for (text, expected) in cases {
            let shown: String = text.chars().take(80).collect();
            assert_eq!(
                SessionRecord::from_storage(&text),
                Err(expected),
                "input {shown}"
            );
        }
    }

    #[test]
    fn extra_fields_are_ignored() {
        let stored = sample()
            .to_storage()
            .replacen('{', "{\"future\":{\"a\":1},", 1);

        assert_eq!(SessionRecord::from_storage(&stored), Ok(sample()));
    }

    #[test]
    fn expiry_checks() {
        let record = sample();

        assert!(!record.is_expired(1_799_999_999_999.0));
        assert!(record.is_expired(1_800_000_000_000.0));
        assert!(record.has_scope("user:read:email"));
        assert!(!record.has_scope("user:read"));
    }
}
