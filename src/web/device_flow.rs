//! Device code sign-in and the single-flight refresh of rotating refresh tokens.

use std::cell::Cell;
use std::rc::Rc;

use super::lock::with_lock;
use super::{browser, Client};
use crate::device::{
    device_request, device_token_request, poll_from_response, refresh_request, DeviceCode, Poll,
    TokenPair,
};
use crate::record::{Flow, SessionRecord};
use crate::revoke::revoke_request;
use crate::session::{SessionInfo, SessionState};
use crate::{Error, RefreshToken};

/// Seconds added to the poll interval after a `slow_down` response (RFC 8628, section 3.5).
const SLOW_DOWN_STEP_S: u32 = 5;

/// A device sign-in waiting for the user to enter the code on Twitch.
#[derive(Debug, Clone)]
pub struct DeviceLogin {
    code: DeviceCode,
    scopes: Vec<String>,
    expires_at: f64,
    cancelled: Rc<Cell<bool>>,
}

impl DeviceLogin {
    /// Returns the code the user enters on the activation page.
    pub fn user_code(&self) -> &str {
        &self.code.user_code
    }

    /// Returns the activation page address, which already carries the code.
    pub fn verification_uri(&self) -> &str {
        &self.code.verification_uri
    }

    /// Returns when the code expires, in milliseconds since the Unix epoch.
    pub fn expires_at(&self) -> f64 {
        self.expires_at
    }

    /// Returns the poll interval in seconds.
    pub fn interval(&self) -> u32 {
        self.code.interval
    }

    /// Stops the polling; [`Client::finish_device_login`] then returns [`Error::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }
}

impl Client {
    /// Starts a device sign-in for `scopes` (the configured scopes when empty). Show the user
    /// code and the verification address, then call [`Client::finish_device_login`].
    ///
    /// Needs an app registered as Public, so that refreshing works without a client secret.
    pub async fn start_device_login(&self, scopes: &[String]) -> Result<DeviceLogin, Error> {
        let config = self.config();
        let scopes = if scopes.is_empty() {
            config.scopes.clone()
        } else {
            scopes.to_vec()
        };

        let response = self
            .send(&device_request(&config.id_base, &config.client_id, &scopes))
            .await?;
        let code = DeviceCode::from_response(&response)?;
        browser::log_info(&format!("device sign-in started, code {}", code.user_code));

        Ok(DeviceLogin {
            expires_at: browser::now_ms() + f64::from(code.expires_in) * 1000.0,
            code,
            scopes,
            cancelled: Rc::new(Cell::new(false)),
        })
    }

    /// Polls Twitch until the user approves or denies the device sign-in, the code expires, or
    /// the page cancels. On approval the tokens are validated and stored.
    ///
    /// Network errors and 5xx responses while polling are tolerated until the code expires.
    pub async fn finish_device_login(&self, login: &DeviceLogin) -> Result<SessionState, Error> {
        let config = self.config().clone();
        let mut interval_s = login.code.interval;

        loop {
            self.wait_or_cancel(login, interval_s).await?;
            if browser::now_ms() >= login.expires_at {
                return Err(Error::DeviceCodeExpired);
            }

            let request = device_token_request(
                &config.id_base,
                &config.client_id,
                &login.code.device_code,
                &login.scopes,
            );
            let outcome = match self.send(&request).await {
                Ok(response) => poll_from_response(&response),
                Err(error) => Err(error),
            };

            match outcome {
                Ok(Poll::Pending) => {}
                Ok(Poll::SlowDown) => interval_s += SLOW_DOWN_STEP_S,
                Ok(Poll::Granted(pair)) => {
                    return self
                        .sign_in(pair.access_token, Some(pair.refresh_token), Flow::Device)
                        .await;
                }
                Err(error) if error.is_transient() => {
                    browser::log_warn(&format!("device sign-in poll failed, polling on: {error}"));
                }
                Err(error) => {
                    browser::log_warn(&format!("device sign-in ended: {error}"));
                    return Err(error);
                }
            }
        }
    }

    /// Sleeps `seconds` in short steps so a cancel takes effect quickly.
    async fn wait_or_cancel(&self, login: &DeviceLogin, seconds: u32) -> Result<(), Error> {
        let deadline = browser::now_ms() + f64::from(seconds) * 1000.0;
        loop {
            if login.cancelled.get() {
                return Err(Error::Cancelled);
            }
            let left = deadline - browser::now_ms();
            if left <= 0.0 {
                return Ok(());
            }
            browser::sleep(left.min(200.0) as u32).await;
        }
    }

    /// Exchanges the refresh token for a new token pair, once across all tabs.
    ///
    /// Callers in this tab and in other tabs queue on one Web Lock. The caller holding the
    /// lock re-reads storage first: if the refresh token changed since the caller read it, another
    /// caller refreshed already and the stored pair is used without a request. The new pair
    /// is stored before the new access token is used, because the old refresh token is dead
    /// from the moment Twitch responds.
    pub async fn refresh(&self) -> Result<SessionState, Error> {
        let record = self.read_record()?.ok_or(Error::NotSignedIn)?;
        let seen = record
            .refresh_token
            .clone()
            .ok_or(Error::RefreshTokenInvalid)?;
        let lock_name = format!("{}refresh", self.config().storage_prefix);

        let client = self.clone();
        with_lock(&lock_name, move || async move {
            client.refresh_locked(seen).await
        })
        .await?
    }

    async fn refresh_locked(&self, seen: RefreshToken) -> Result<SessionState, Error> {
        let record = self.read_record()?.ok_or(Error::NotSignedIn)?;
        if let Some(state) = self.adopt_if_refreshed(&record, &seen) {
            return Ok(state);
        }

        let config = self.config().clone();
        let result = self
            .send(&refresh_request(&config.id_base, &record.client_id, &seen))
            .await
            .and_then(|response| TokenPair::from_response(&response));

        match result {
            Ok(pair) if matches!(self.read_record(), Ok(None)) => {
                // Another tab logged out meanwhile. Keep it that way, and revoke the new pair.
                let request = revoke_request(
                    &config.id_base,
                    &record.client_id,
                    pair.access_token.secret(),
                );
                let _ = self.send(&request).await;
                browser::log_info("signed out in another tab during a refresh");
                self.set_state(SessionState::SignedOut { reason: None });
                Err(Error::NotSignedIn)
            }
            Ok(pair) => {
                let updated = refreshed_record(&record, pair, browser::now_ms());
                self.write_record(&updated);
                browser::log_info("tokens refreshed");
                let state = SessionState::SignedIn(SessionInfo::from(&updated));
                self.set_state(state.clone());
                Ok(state)
            }
            Err(error @ (Error::RefreshTokenInvalid | Error::ClientSecretRequired)) => {
                // Without Web Locks another tab may have won the race: its pair is in storage.
                if let Ok(Some(current)) = self.read_record() {
                    if let Some(state) = self.adopt_if_refreshed(&current, &seen) {
                        return Ok(state);
                    }
                }
                self.end_session(error.clone());
                Err(error)
            }
            Err(error) => {
                browser::log_warn(&format!("refresh failed, session kept: {error}"));
                self.set_state(SessionState::Unverified {
                    info: SessionInfo::from(&record),
                    reason: error.clone(),
                });
                Err(error)
            }
        }
    }

    /// Returns the stored session's state when its refresh token differs from `seen`.
    fn adopt_if_refreshed(
        &self,
        record: &SessionRecord,
        seen: &RefreshToken,
    ) -> Option<SessionState> {
        if record.refresh_token.as_ref() == Some(seen) {
            return None;
        }
        let state = SessionState::SignedIn(SessionInfo::from(record));
        self.set_state(state.clone());
        Some(state)
    }
}

/// Builds the record that follows a successful refresh.
///
/// The token endpoint just issued the access token, which counts as a validation.
fn refreshed_record(record: &SessionRecord, pair: TokenPair, now_ms: f64) -> SessionRecord {
    let mut updated = record.clone();
    updated.access_token = pair.access_token;
    updated.refresh_token = Some(pair.refresh_token);
    updated.expires_at = Some(now_ms + pair.expires_in as f64 * 1000.0);
    if !pair.scopes.is_empty() {
        updated.scopes = pair.scopes;
    }
    updated.validated_at = now_ms;
    updated
}
