//! Access and refresh tokens: minting, lookup, rotation, revocation and expiry.

use std::collections::HashMap;

use crate::clock::{after_secs, seconds_left};
use crate::random::{Rng, ALPHANUMERIC, HEX_DIGITS, LOWER_ALPHANUMERIC};
use crate::seed::REFRESH_TOKEN_LIFETIME_SECS;

/// Length of an access token, as in every recent Twitch sample.
const ACCESS_TOKEN_LENGTH: usize = 30;

/// Client, user, scopes and lifetime of a new token pair.
#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    /// Makes validate return `"scopes":null` in place of the list.
    pub scopes_null: bool,
    /// Lifetime of each access token in seconds, where 0 means it never expires.
    pub lifetime_secs: u64,
}

/// A freshly minted token pair.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Lifetime of the access token in seconds, where 0 means it never expires.
    pub expires_in: u64,
    pub scopes: Vec<String>,
}

/// A live or expired access token.
#[derive(Debug)]
pub struct AccessToken {
    pub grant: Grant,
    /// `None` for a token that never expires.
    pub expires_at_ms: Option<u64>,
    /// The refresh token minted with it, until that one is used or revoked.
    pub refresh_token: Option<String>,
}

impl AccessToken {
    /// Returns the seconds left, or 0 for a token that never expires.
    pub fn expires_in(&self, now_ms: u64) -> u64 {
        self.expires_at_ms
            .map_or(0, |expires_at| seconds_left(expires_at, now_ms))
    }
}

#[derive(Debug)]
struct RefreshToken {
    grant: Grant,
    access_token: String,
    expires_at_ms: Option<u64>,
}

/// Reason a refresh failed. Twitch returns the same message for each.
#[derive(Debug, PartialEq, Eq)]
pub enum RefreshError {
    /// Unknown, already used, revoked or expired.
    InvalidToken,
    /// Issued to another client.
    ClientMismatch,
}

/// All tokens of the server.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
}

fn is_live(expires_at_ms: Option<u64>, now_ms: u64) -> bool {
    expires_at_ms.is_none_or(|expires_at| now_ms < expires_at)
}

impl TokenStore {
    /// Mints an access token, and a refresh token when `with_refresh` is set.
    pub fn issue(
        &mut self,
        grant: Grant,
        with_refresh: bool,
        rng: &mut Rng,
        now_ms: u64,
    ) -> Issued {
        self.prune(now_ms);

        let access_token = loop {
            let candidate = rng.string(LOWER_ALPHANUMERIC, ACCESS_TOKEN_LENGTH);
            if !self.access.contains_key(&candidate) {
                break candidate;
            }
        };
        let refresh_token = with_refresh.then(|| loop {
            let candidate = new_refresh_token(rng);
            if !self.refresh.contains_key(&candidate) {
                break candidate;
            }
        });

        let expires_at_ms =
            (grant.lifetime_secs > 0).then(|| after_secs(now_ms, grant.lifetime_secs));
        if let Some(refresh) = &refresh_token {
            let record = RefreshToken {
                grant: grant.clone(),
                access_token: access_token.clone(),
                expires_at_ms: Some(after_secs(now_ms, REFRESH_TOKEN_LIFETIME_SECS)),
            };
            self.refresh.insert(refresh.clone(), record);
        }

        let issued = Issued {
            access_token: access_token.clone(),
            refresh_token: refresh_token.clone(),
            expires_in: grant.lifetime_secs,
            scopes: grant.scopes.clone(),
        };
        let record = AccessToken {
            grant,
            expires_at_ms,
            refresh_token,
        };
        self.access.insert(access_token, record);
        issued
    }

    /// Returns a live access token.
    pub fn access(&self, token: &str, now_ms: u64) -> Option<&AccessToken> {
        self.access
            .get(token)
            .filter(|record| is_live(record.expires_at_ms, now_ms))
    }

    /// Returns the client id of a live access or refresh token.
    pub fn owner(&self, token: &str, now_ms: u64) -> Option<&str> {
        if let Some(record) = self.access(token, now_ms) {
            return Some(&record.grant.client_id);
        }
        self.refresh
            .get(token)
            .filter(|record| is_live(record.expires_at_ms, now_ms))
            .map(|record| record.grant.client_id.as_str())
    }

    /// Removes an access or refresh token together with its partner. Returns whether the
    /// token existed.
    pub fn revoke(&mut self, token: &str) -> bool {
        if let Some(record) = self.access.remove(token) {
            if let Some(refresh) = record.refresh_token {
                self.refresh.remove(&refresh);
            }
            return true;
        }
        if let Some(record) = self.refresh.remove(token) {
            self.access.remove(&record.access_token);
            return true;
        }
        false
    }

    /// Uses up `refresh_token` and mints a new pair with the same grant. The old access
    /// token stays valid until it expires, but no longer takes a refresh token with it when
    /// revoked.
    pub fn rotate(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        rng: &mut Rng,
        now_ms: u64,
    ) -> Result<Issued, RefreshError> {
        let Some(record) = self.refresh.get(refresh_token) else {
            return Err(RefreshError::InvalidToken);
        };
        if !is_live(record.expires_at_ms, now_ms) {
            self.refresh.remove(refresh_token);
            return Err(RefreshError::InvalidToken);
        }
        if record.grant.client_id != client_id {
            return Err(RefreshError::ClientMismatch);
        }

        let Some(record) = self.refresh.remove(refresh_token) else {
            return Err(RefreshError::InvalidToken);
        };
        if let Some(old_access) = self.access.get_mut(&record.access_token) {
            old_access.refresh_token = None;
        }
        Ok(self.issue(record.grant, true, rng, now_ms))
    }

    /// Sets the expiry of an access or refresh token to `seconds` from now, where 0 means it never
    /// expires. Returns whether the token exists.
    pub fn set_expiry(&mut self, token: &str, seconds: u64, now_ms: u64) -> bool {
        let expires_at_ms = (seconds > 0).then(|| after_secs(now_ms, seconds));
        self.set_expires_at(token, expires_at_ms)
    }

    /// Makes an access or refresh token expired from now on. Returns whether it exists.
    pub fn expire(&mut self, token: &str, now_ms: u64) -> bool {
        self.set_expires_at(token, Some(now_ms))
    }

    fn set_expires_at(&mut self, token: &str, expires_at_ms: Option<u64>) -> bool {
        if let Some(record) = self.access.get_mut(token) {
            record.expires_at_ms = expires_at_ms;
            return true;
        }
        if let Some(record) = self.refresh.get_mut(token) {
            record.expires_at_ms = expires_at_ms;
            return true;
        }
        false
    }

    /// Returns the numbers of live access tokens and live refresh tokens.
    pub fn live_counts(&self, now_ms: u64) -> (usize, usize) {
        let access = self
            .access
            .values()
            .filter(|record| is_live(record.expires_at_ms, now_ms))
            .count();
        let refresh = self
            .refresh
            .values()
            .filter(|record| is_live(record.expires_at_ms, now_ms))
            .count();
        (access, refresh)
    }

    /// Forgets expired tokens. Lookups treat an expired token like an unknown one, so this
    /// only bounds memory.
    fn prune(&mut self, now_ms: u64) {
        self.access
            .retain(|_, record| is_live(record.expires_at_ms, now_ms));
        self.refresh
            .retain(|_, record| is_live(record.expires_at_ms, now_ms));
    }
}

/// Returns a 50-character refresh token that always contains `/` and a `%2` followed by a
/// hex digit. A client that sends it without form encoding has the escape decoded by the
/// server into another byte, and then gets "Invalid refresh token".
fn new_refresh_token(rng: &mut Rng) -> String {
    let mut token = rng.string(ALPHANUMERIC, 46);

    let slash_at = 1 + rng.below(token.len() - 1);
    token.insert(slash_at, '/');

    let escape = format!("%2{}", rng.string(HEX_DIGITS, 1));
    let escape_at = 1 + rng.below(token.len() - 1);
    token.insert_str(escape_at, &escape);

    token
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(lifetime_secs: u64) -> Grant {
        Grant {
            client_id: "client".into(),
            user_id: "1".into(),
            scopes: vec!["a:b".into()],
            scopes_null: false,
            lifetime_secs,
        }
    }

    #[test]
    fn refresh_tokens_contain_percent_and_slash() {
        let mut rng = Rng::from_clock();
        for _ in 0..200 {
            let token = new_refresh_token(&mut rng);
            assert_eq!(token.len(), 50);
            assert!(token.contains('/'));
            let percent = token.find('%').unwrap();
            assert_eq!(&token[percent + 1..percent + 2], "2");
            assert!(token.as_bytes()[percent + 2].is_ascii_hexdigit());
        }
    }

    #[test]
    fn rotation_uses_up_refresh_token() {
        let mut rng = Rng::from_clock();
        let mut store = TokenStore::default();
        let first = store.issue(grant(100), true, &mut rng, 0);
        let old_refresh = first.refresh_token.unwrap();

        let mismatch = store
            .rotate(&old_refresh, "other", &mut rng, 1)
            .unwrap_err();
        assert_eq!(mismatch, RefreshError::ClientMismatch);
        let second = store.rotate(&old_refresh, "client", &mut rng, 1).unwrap();
        assert_ne!(second.access_token, first.access_token);
        assert!(store.rotate(&old_refresh, "client", &mut rng, 2).is_err());
        assert!(store.access(&first.access_token, 2).is_some());
    }

    #[test]
    fn expiry_and_never_expiring_tokens() {
        let mut rng = Rng::from_clock();
        let mut store = TokenStore::default();
        let issued = store.issue(grant(10), false, &mut rng, 0);
        assert_eq!(
            store.access(&issued.access_token, 0).unwrap().expires_in(0),
            10
        );
        assert!(store.access(&issued.access_token, 10_000).is_none());

        assert!(store.set_expiry(&issued.access_token, 0, 0));
        assert_eq!(
            store
                .access(&issued.access_token, 99_999_999)
                .unwrap()
                .expires_in(5),
            0
        );
    }

    #[test]
    fn revoke_kills_the_pair() {
        let mut rng = Rng::from_clock();
        let mut store = TokenStore::default();
        let issued = store.issue(grant(100), true, &mut rng, 0);
        assert!(store.revoke(&issued.access_token));
        assert!(store
            .owner(issued.refresh_token.as_deref().unwrap(), 0)
            .is_none());
        assert!(!store.revoke(&issued.access_token));
    }
}
