//! Device codes of the device authorization flow and the user's decision on each.

use std::collections::HashMap;

use crate::clock::after_secs;
use crate::random::{Rng, ALPHANUMERIC, UPPER_LETTERS};
use crate::seed::{DEVICE_CODE_LIFETIME_SECS, DEVICE_POLL_INTERVAL_SECS};

/// Settings for new device codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceSettings {
    /// Minimum seconds between two polls. A faster poll gets `slow_down`, and 0 disables the check.
    pub interval_secs: u64,
    /// Lifetime of a device code in seconds.
    pub expires_in_secs: u64,
}

impl Default for DeviceSettings {
    fn default() -> Self {
        Self {
            interval_secs: DEVICE_POLL_INTERVAL_SECS,
            expires_in_secs: DEVICE_CODE_LIFETIME_SECS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Decision {
    Pending,
    Approved { user_id: String },
    Denied,
}

#[derive(Debug)]
struct DeviceCode {
    user_code: String,
    client_id: String,
    scopes: Vec<String>,
    expires_at_ms: u64,
    interval_secs: u64,
    last_poll_ms: Option<u64>,
    decision: Decision,
}

/// A new device code, as `POST /oauth2/device` returns it.
#[derive(Debug)]
pub struct Started {
    pub device_code: String,
    pub user_code: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// Result of one poll of the token endpoint.
#[derive(Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// Unknown, already used, or issued to another client.
    Unknown,
    Expired,
    SlowDown,
    Pending,
    Denied,
    /// The user approved: the code is now used up.
    Approved {
        user_id: String,
        scopes: Vec<String>,
    },
}

/// Result of the user's approval or denial on the activation page or the control API.
#[derive(Debug, PartialEq, Eq)]
pub enum DecideOutcome {
    Approved,
    Denied,
    /// No pending code has this user code: unknown, used, or already decided.
    Unknown,
    Expired,
}

/// All device codes of the server, keyed by device code.
#[derive(Debug, Default)]
pub struct DeviceStore {
    codes: HashMap<String, DeviceCode>,
    pub settings: DeviceSettings,
}

/// Returns the user code in canonical form: upper-case, without spaces or dashes, so that
/// `abcd-efgh` matches `ABCDEFGH`.
pub fn normalize_user_code(input: &str) -> String {
    input
        .chars()
        .filter(|character| !matches!(character, ' ' | '-'))
        .map(|character| character.to_ascii_uppercase())
        .collect()
}

impl DeviceStore {
    /// Creates a device code for `client_id` with the current settings.
    pub fn start(
        &mut self,
        client_id: &str,
        scopes: Vec<String>,
        rng: &mut Rng,
        now_ms: u64,
    ) -> Started {
        self.prune(now_ms);

        let device_code = loop {
            let candidate = rng.string(ALPHANUMERIC, 40);
            if !self.codes.contains_key(&candidate) {
                break candidate;
            }
        };
        let user_code = loop {
            let candidate = rng.string(UPPER_LETTERS, 8);
            if !self.codes.values().any(|code| code.user_code == candidate) {
                break candidate;
            }
        };

        let settings = self.settings;
        let record = DeviceCode {
            user_code: user_code.clone(),
            client_id: client_id.to_string(),
            scopes,
            expires_at_ms: after_secs(now_ms, settings.expires_in_secs),
            interval_secs: settings.interval_secs,
            last_poll_ms: None,
            decision: Decision::Pending,
        };
        self.codes.insert(device_code.clone(), record);

        Started {
            device_code,
            user_code,
            expires_in: settings.expires_in_secs,
            interval: settings.interval_secs,
        }
    }

    /// Returns the outcome of one poll. Every poll counts for the interval check, including
    /// those that get `slow_down`, so a client that keeps polling too fast keeps getting it.
    pub fn poll(&mut self, device_code: &str, client_id: &str, now_ms: u64) -> PollOutcome {
        let Some(code) = self.codes.get_mut(device_code) else {
            return PollOutcome::Unknown;
        };
        if code.client_id != client_id {
            return PollOutcome::Unknown;
        }
        if now_ms >= code.expires_at_ms {
            return PollOutcome::Expired;
        }

        let too_soon = code
            .last_poll_ms
            .is_some_and(|last| now_ms < after_secs(last, code.interval_secs));
        code.last_poll_ms = Some(now_ms);
        if too_soon {
            return PollOutcome::SlowDown;
        }

        match code.decision.clone() {
            Decision::Pending => PollOutcome::Pending,
            Decision::Denied => PollOutcome::Denied,
            Decision::Approved { user_id } => {
                let scopes = std::mem::take(&mut code.scopes);
                self.codes.remove(device_code);
                PollOutcome::Approved { user_id, scopes }
            }
        }
    }

    /// Records the user's decision on a pending code: approval for `Some(user_id)`, denial
    /// for `None`.
    pub fn decide(
        &mut self,
        user_code: &str,
        approver: Option<&str>,
        now_ms: u64,
    ) -> DecideOutcome {
        let user_code = normalize_user_code(user_code);
        let Some(code) = self
            .codes
            .values_mut()
            .find(|code| code.user_code == user_code)
        else {
            return DecideOutcome::Unknown;
        };
        if now_ms >= code.expires_at_ms {
            return DecideOutcome::Expired;
        }
        if code.decision != Decision::Pending {
            return DecideOutcome::Unknown;
        }

        match approver {
            Some(user_id) => {
                code.decision = Decision::Approved {
                    user_id: user_id.to_string(),
                };
                DecideOutcome::Approved
            }
            None => {
                code.decision = Decision::Denied;
                DecideOutcome::Denied
            }
        }
    }

    /// Returns the number of codes that are neither expired nor decided.
    pub fn pending_count(&self, now_ms: u64) -> usize {
        self.codes
            .values()
            .filter(|code| now_ms < code.expires_at_ms && code.decision == Decision::Pending)
            .count()
    }

    /// Forgets codes that expired more than an hour ago. Until then a poll still gets
    /// `expired_token` rather than `invalid device code`.
    fn prune(&mut self, now_ms: u64) {
        self.codes
            .retain(|_, code| now_ms < after_secs(code.expires_at_ms, 3600));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_sequence_until_approval() {
        let mut rng = Rng::from_clock();
        let mut store = DeviceStore::default();
        store.settings.interval_secs = 1;
        let started = store.start("client", vec!["a".into()], &mut rng, 0);

        assert_eq!(
            store.poll(&started.device_code, "client", 0),
            PollOutcome::Pending
        );
        assert_eq!(
            store.poll(&started.device_code, "client", 500),
            PollOutcome::SlowDown
        );
        assert_eq!(
            store.poll(&started.device_code, "other", 2_000),
            PollOutcome::Unknown
        );

        let lower = started.user_code.to_ascii_lowercase();
        assert_eq!(
            store.decide(&lower, Some("7"), 2_000),
            DecideOutcome::Approved
        );
        assert_eq!(
            store.decide(&started.user_code, None, 2_000),
            DecideOutcome::Unknown
        );

        let approved = store.poll(&started.device_code, "client", 2_000);
        assert_eq!(
            approved,
            PollOutcome::Approved {
                user_id: "7".into(),
                scopes: vec!["a".into()]
            }
        );
        assert_eq!(
            store.poll(&started.device_code, "client", 4_000),
            PollOutcome::Unknown
        );
    }

    #[test]
    fn expired_code_reports_expiry() {
        let mut rng = Rng::from_clock();
        let mut store = DeviceStore::default();
        store.settings.expires_in_secs = 2;
        let started = store.start("client", Vec::new(), &mut rng, 0);

        assert_eq!(
            store.poll(&started.device_code, "client", 2_000),
            PollOutcome::Expired
        );
        assert_eq!(
            store.decide(&started.user_code, None, 2_000),
            DecideOutcome::Expired
        );
    }
}
