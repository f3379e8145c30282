//! [`Client`]: sign-in, the stored session and its validation in the browser. Helix calls are
//! in `helix_calls`, device sign-in and refresh in `device_flow`, session keeping in `keeper`.

use std::cell::RefCell;
use std::rc::Rc;

use super::keeper::{refresh_due, Keeper};
use super::storage::{Area, Store};
use super::{browser, fetch};
use crate::http::{HttpRequest, HttpResponse};
use crate::implicit::{
    authorize_url, clean_address, page_address, parse_redirect, PendingState, Redirect,
};
use crate::record::{Flow, SessionRecord};
use crate::revoke::{revoke_from_response, revoke_request};
use crate::session::{apply_validation, SessionInfo, SessionState, ValidationOutcome};
use crate::token_check::check_token;
use crate::validate::{validate_request, ValidatedToken};
use crate::{AccessToken, Config, Error};

/// A callback run after every state change.
pub type Listener = Rc<dyn Fn(&SessionState)>;

/// Result of [`Client::start`].
#[derive(Debug, Clone, PartialEq)]
pub struct StartOutcome {
    /// The session after the redirect was handled and the stored session validated.
    pub state: SessionState,
    /// The error of a failed or cancelled sign-in redirect. The stored session, if any, is
    /// untouched by it.
    pub redirect_error: Option<Error>,
}

pub(super) struct Inner {
    pub(super) config: Config,
    pub(super) local: Store,
    pub(super) session: Store,
    pub(super) state: RefCell<SessionState>,
    pub(super) listeners: RefCell<Vec<Listener>>,
    pub(super) keeper: Keeper,
}

/// The browser client. Cloning is cheap and clones share one session.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Rc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("state", &self.inner.state.borrow().name())
            .finish()
    }
}

impl Client {
    /// Creates a client. Call [`Client::start`] next.
    pub fn new(config: Config) -> Result<Self, Error> {
        config.check()?;
        Ok(Self {
            inner: Rc::new(Inner {
                config,
                local: Store::new(Area::Local),
                session: Store::new(Area::Session),
                state: RefCell::new(SessionState::SignedOut { reason: None }),
                listeners: RefCell::new(Vec::new()),
                keeper: Keeper::default(),
            }),
        })
    }

    /// Returns the configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Returns the current state.
    pub fn state(&self) -> SessionState {
        self.inner.state.borrow().clone()
    }

    /// Registers `listener` to run after every state change.
    pub fn on_change(&self, listener: Listener) {
        self.inner.listeners.borrow_mut().push(listener);
    }

    /// Handles a sign-in redirect in the address bar, if any, validates the stored session,
    /// and from then on keeps it: validation every hour and when the tab becomes visible,
    /// refresh before expiry for device sessions, and changes from other tabs. Call it once
    /// at page load.
    pub async fn start(&self) -> StartOutcome {
        // Listen first, so a change another tab makes during the first validation is seen.
        self.listen();
        let redirect = self.handle_redirect().await;
        let (state, redirect_error) = match redirect {
            Ok(Some(state)) => (state, None),
            Ok(None) => (self.restore().await, None),
            Err(error) => (self.restore().await, Some(error)),
        };

        self.keep();
        StartOutcome {
            state,
            redirect_error,
        }
    }

    /// Builds the authorize URL and records a pending sign-in in `sessionStorage`.
    ///
    /// `extra_scopes` are asked for in addition to the configured ones.
    pub fn authorize_url(&self, extra_scopes: &[String]) -> Result<String, Error> {
        let config = &self.inner.config;
        let pending = PendingState::new(browser::random_bytes()?, browser::now_ms());
        let stored = crate::json::to_string(&pending).map_err(|_| Error::Browser {
            reason: "the pending sign-in could not be serialised".to_owned(),
        })?;
        self.inner.session.set(&config.state_key(), &stored);

        let href = browser::location_href()?;
        let redirect_uri = config
            .redirect_uri
            .clone()
            .unwrap_or_else(|| page_address(&href).to_owned());
        let mut scopes = config.scopes.clone();
        for scope in extra_scopes {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }

        Ok(authorize_url(
            &config.id_base,
            &config.client_id,
            &redirect_uri,
            &scopes,
            &pending.value,
            config.force_verify,
        ))
    }

    /// Starts the implicit grant: navigates to Twitch's consent page.
    pub fn login(&self, extra_scopes: &[String]) -> Result<(), Error> {
        let url = self.authorize_url(extra_scopes)?;
        browser::log_info("redirecting to Twitch for sign-in");
        browser::navigate(&url)
    }

    /// Reads a sign-in result from the address bar and removes it from there before anything
    /// else happens. Returns `Ok(None)` on an ordinary page load.
    pub async fn handle_redirect(&self) -> Result<Option<SessionState>, Error> {
        let href = browser::location_href()?;
        let redirect = parse_redirect(&href);
        if redirect == Redirect::None {
            return Ok(None);
        }

        // The token must leave the address bar before the first await.
        browser::replace_address(&clean_address(&href))?;
        let pending = self.take_pending_state();

        let result = match redirect {
            Redirect::None => return Ok(None),
            Redirect::Error { error, .. } => Err(error),
            Redirect::Token {
                access_token,
                state,
                ..
            } => match check_redirect_state(pending.as_ref(), state.as_deref()) {
                Ok(()) => self
                    .sign_in(access_token, None, Flow::Implicit)
                    .await
                    .map(Some),
                Err(error) => Err(error),
            },
        };

        if let Err(error) = &result {
            browser::log_warn(&format!("sign-in redirect rejected: {error}"));
        }
        result
    }

    /// Signs in with a token obtained elsewhere, after validating it.
    ///
    /// The text may carry a pasted `OAuth `, `Bearer ` or `oauth:` prefix, which is removed.
    pub async fn sign_in_with_token(&self, token: &str) -> Result<SessionState, Error> {
        self.sign_in(AccessToken::from_pasted(token), None, Flow::Implicit)
            .await
    }

    /// Validates a new token, stores the session and announces it.
    pub(crate) async fn sign_in(
        &self,
        access_token: AccessToken,
        refresh_token: Option<crate::RefreshToken>,
        flow: Flow,
    ) -> Result<SessionState, Error> {
        check_token(access_token.secret()).map_err(|_| Error::RedirectMalformed)?;

        let config = &self.inner.config;
        let response = self
            .send(&validate_request(&config.id_base, &access_token))
            .await?;
        let validated = ValidatedToken::from_response(&response)?;
        validated.check_client_id(&config.client_id)?;

        let now = browser::now_ms();
        let record = SessionRecord {
            flow,
            access_token,
            refresh_token,
            client_id: validated.client_id,
            login: validated.login,
            user_id: validated.user_id,
            scopes: validated.scopes,
            expires_at: validated
                .expires_in
                .map(|seconds| now + seconds as f64 * 1000.0),
            validated_at: now,
        };
        self.write_record(&record);

        let state = SessionState::SignedIn(SessionInfo::from(&record));
        self.set_state(state.clone());
        Ok(state)
    }

    /// Loads the stored session and validates it.
    pub async fn restore(&self) -> SessionState {
        match self.read_record() {
            Ok(Some(_)) => self.validate_stored().await,
            Ok(None) => {
                self.set_state(SessionState::SignedOut { reason: None });
                self.state()
            }
            Err(error) => {
                self.set_state(SessionState::SignedOut {
                    reason: Some(error),
                });
                self.state()
            }
        }
    }

    /// Validates the stored session now and applies the outcome: a 401 ends the session, a
    /// transient failure marks it unverified and keeps it.
    pub async fn validate_stored(&self) -> SessionState {
        let record = match self.read_record() {
            Ok(Some(record)) => record,
            Ok(None) => {
                self.set_state(SessionState::SignedOut { reason: None });
                return self.state();
            }
            Err(error) => {
                self.set_state(SessionState::SignedOut {
                    reason: Some(error),
                });
                return self.state();
            }
        };

        let now = browser::now_ms();
        if record.refresh_token.is_some() && refresh_due(&record, now) {
            return self.refresh().await.unwrap_or_else(|_| self.state());
        }
        if record.is_expired(now) {
            self.end_session(Error::TokenInvalid);
            return self.state();
        }

        let config = &self.inner.config;
        let result = self
            .send(&validate_request(&config.id_base, &record.access_token))
            .await
            .and_then(|response| ValidatedToken::from_response(&response));

        // Another tab may have refreshed or ended the session while the request was in
        // flight. Its record is newer than this result, so writing here would bring back a
        // spent refresh token.
        if let Some(state) = self.adopt_if_replaced(&record) {
            return state;
        }

        match apply_validation(&record, result, &config.client_id, browser::now_ms()) {
            ValidationOutcome::Valid(updated) => {
                self.write_record(&updated);
                self.inner.keeper.failures.set(0);
                self.set_state(SessionState::SignedIn(SessionInfo::from(&updated)));
                if refresh_due(&updated, browser::now_ms()) {
                    return self.refresh().await.unwrap_or_else(|_| self.state());
                }
            }
            ValidationOutcome::Ended(error) => self.end_session(error),
            ValidationOutcome::Unverified(error) => {
                self.inner
                    .keeper
                    .failures
                    .set(self.inner.keeper.failures.get() + 1);
                browser::log_warn(&format!("validation failed, session kept: {error}"));
                self.set_state(SessionState::Unverified {
                    info: SessionInfo::from(&record),
                    reason: error,
                });
            }
        }
        self.state()
    }

    /// Adopts the stored session when it no longer contains `read`'s access token, because
    /// another tab refreshed, signed out or signed in again since `read` was read. Returns the
    /// adopted state, or `None` when the stored session is still `read`'s.
    pub(crate) fn adopt_if_replaced(&self, read: &SessionRecord) -> Option<SessionState> {
        let state = match self.read_record() {
            Ok(Some(current)) if current.access_token == read.access_token => return None,
            Ok(Some(current)) => SessionState::SignedIn(SessionInfo::from(&current)),
            Ok(None) => SessionState::SignedOut { reason: None },
            Err(error) => SessionState::SignedOut {
                reason: Some(error),
            },
        };
        self.set_state(state.clone());
        Some(state)
    }

    /// Revokes the token at Twitch and removes the session.
    ///
    /// The session is removed locally even when revoking fails; the failure is returned.
    pub async fn logout(&self) -> Result<(), Error> {
        let record = self.read_record().ok().flatten();
        self.inner.local.remove(&self.inner.config.session_key());
        self.set_state(SessionState::SignedOut { reason: None });

        let Some(record) = record else {
            return Ok(());
        };
        let config = &self.inner.config;
        let request = revoke_request(
            &config.id_base,
            &record.client_id,
            record.access_token.secret(),
        );
        let result = self
            .send(&request)
            .await
            .and_then(|response| revoke_from_response(&response));
        if let Err(error) = &result {
            browser::log_warn(&format!("revoke failed, session removed locally: {error}"));
        }
        result
    }

    /// Sends a request, rejecting any URL outside the configured Twitch origins so a token
    /// cannot leak elsewhere.
    pub(crate) async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        if !self.inner.config.is_twitch_url(&request.url) {
            return Err(Error::Config {
                reason: "request outside the configured Twitch origins".to_owned(),
            });
        }
        fetch::send(request, self.inner.config.timeout_ms)
            .await
            .map_err(Error::from)
    }

    /// Reads the stored record. A damaged record is removed and reported.
    pub(crate) fn read_record(&self) -> Result<Option<SessionRecord>, Error> {
        let key = self.inner.config.session_key();
        let Some(text) = self.inner.local.get(&key) else {
            return Ok(None);
        };

        match SessionRecord::from_storage(&text) {
            Ok(record) => Ok(Some(record)),
            Err(damage) => {
                self.inner.local.remove(&key);
                browser::log_warn(&format!("stored session removed: {damage}"));
                Err(Error::StorageDamaged(damage))
            }
        }
    }

    pub(crate) fn write_record(&self, record: &SessionRecord) {
        self.inner
            .local
            .set(&self.inner.config.session_key(), &record.to_storage());
    }

    fn take_pending_state(&self) -> Option<PendingState> {
        let key = self.inner.config.state_key();
        let text = self.inner.session.get(&key)?;
        self.inner.session.remove(&key);
        crate::json::from_str(&text).ok()
    }

    pub(crate) fn end_session(&self, reason: Error) {
        self.inner.local.remove(&self.inner.config.session_key());
        self.set_state(SessionState::SignedOut {
            reason: Some(reason),
        });
    }

    pub(crate) fn set_state(&self, state: SessionState) {
        let previous = self.inner.state.replace(state.clone());
        if previous == state {
            return;
        }

        browser::log_info(&describe(&previous, &state));
        let listeners = self.inner.listeners.borrow().clone();
        for listener in listeners {
            listener(&state);
        }
        self.schedule();
    }
}

/// Checks the `state` Twitch echoed against the pending sign-in of this tab.
fn check_redirect_state(
    pending: Option<&PendingState>,
    returned: Option<&str>,
) -> Result<(), Error> {
    let returned = returned.ok_or(Error::StateMissing)?;
    let pending = pending.ok_or(Error::StateMismatch)?;
    pending.check(returned, browser::now_ms())
}

/// Describes a state change for the console, without tokens.
fn describe(previous: &SessionState, state: &SessionState) -> String {
    match state {
        SessionState::SignedIn(_) if matches!(previous, SessionState::SignedIn(_)) => {
            "session validated".to_owned()
        }
        SessionState::SignedIn(info) => format!(
            "signed in as {}",
            info.login.as_deref().unwrap_or("(app token)")
        ),
        SessionState::Unverified { reason, .. } => format!("session unverified: {reason}"),
        SessionState::SignedOut {
            reason: Some(reason),
        } => format!("signed out: {reason}"),
        SessionState::SignedOut { reason: None } => "signed out".to_owned(),
    }
}
