//! Keeping a session alive: the hourly validation Twitch requires, refresh before expiry, a
//! check when the tab becomes visible again, and changes made by other tabs.
//!
//! Browsers throttle timers in background tabs, so the `visibilitychange` and `focus` checks
//! catch up on a validation the timer missed. The schedule is shared through the stored
//! record's `validated_at`: a tab whose timer fires after another tab validated only adopts
//! that tab's result, so several open tabs still make one validate call an hour.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::lock::with_lock;
use super::{browser, Client};
use crate::session::{next_check_delay_ms, validation_due, SessionInfo, SessionState};

pub(crate) use crate::session::refresh_due;

/// Timer and event listeners of one client.
#[derive(Default)]
pub(crate) struct Keeper {
    /// Validations that failed in a row, for the retry backoff.
    pub(crate) failures: Cell<u32>,
    started: Cell<bool>,
    timer: Cell<Option<i32>>,
    timer_callback: RefCell<Option<Closure<dyn FnMut()>>>,
    event_callbacks: RefCell<Vec<Registration>>,
}

/// A listener of the keeper: where it is registered, for which event, and the callback.
type Registration = (
    EventTarget,
    &'static str,
    Rc<Closure<dyn FnMut(web_sys::Event)>>,
);

/// Target on which a listener of the keeper is registered.
#[derive(Clone, Copy)]
enum EventTarget {
    Window,
    Document,
}

impl Client {
    /// Starts keeping the session: timers and listeners. Calling it again only reschedules.
    pub(crate) fn keep(&self) {
        self.listen();
        self.schedule();
    }

    /// Stops keeping the session in this client: clears the timer and removes the listeners.
    /// The stored session stays. [`Client::start`] resumes.
    pub fn stop(&self) {
        let keeper = &self.inner.keeper;
        keeper.started.set(false);
        let Ok(window) = browser::window() else {
            return;
        };
        if let Some(timer) = keeper.timer.take() {
            window.clear_timeout_with_handle(timer);
        }
        keeper.timer_callback.replace(None);

        for (target, event, callback) in keeper.event_callbacks.borrow_mut().drain(..) {
            let function = callback.as_ref().as_ref().unchecked_ref();
            match target {
                EventTarget::Window => {
                    let _ = window.remove_event_listener_with_callback(event, function);
                }
                EventTarget::Document => {
                    if let Some(document) = window.document() {
                        let _ = document.remove_event_listener_with_callback(event, function);
                    }
                }
            }
        }
    }

    /// Sets the timer for the next check of the stored session, replacing any earlier one.
    pub(crate) fn schedule(&self) {
        let keeper = &self.inner.keeper;
        if !keeper.started.get() {
            return;
        }
        let Ok(window) = browser::window() else {
            return;
        };
        if let Some(timer) = keeper.timer.take() {
            window.clear_timeout_with_handle(timer);
        }

        let Ok(Some(record)) = self.read_record() else {
            return;
        };
        let config = self.config();
        let delay = next_check_delay_ms(
            &record,
            f64::from(config.validate_interval_ms),
            keeper.failures.get(),
            config.retry_base_ms,
            browser::random_unit(),
            browser::now_ms(),
        );

        let weak = Rc::downgrade(&self.inner);
        let callback = Closure::once(move || {
            if let Some(inner) = weak.upgrade() {
                let client = Client { inner };
                spawn_local(async move { client.check().await });
            }
        });
        let timer = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            delay as i32,
        );
        keeper.timer.set(timer.ok());
        keeper.timer_callback.replace(Some(callback));
    }

    /// Validates or refreshes the stored session if that is due, then reschedules.
    ///
    /// Tabs take turns through a Web Lock and re-read the record inside it, so a check that
    /// another tab just did is not repeated.
    pub(crate) async fn check(&self) {
        let lock_name = format!("{}validate", self.config().storage_prefix);
        let client = self.clone();
        let _ = with_lock(
            &lock_name,
            move || async move { client.check_locked().await },
        )
        .await;
        self.schedule();
    }

    async fn check_locked(&self) {
        let record = match self.read_record() {
            Ok(Some(record)) => record,
            Ok(None) => {
                self.set_state(SessionState::SignedOut { reason: None });
                return;
            }
            Err(error) => {
                self.set_state(SessionState::SignedOut {
                    reason: Some(error),
                });
                return;
            }
        };

        let now = browser::now_ms();
        let retry_unverified = match self.state() {
            SessionState::Unverified { info, .. } => record.validated_at <= info.validated_at,
            _ => false,
        };
        let due = validation_due(&record, f64::from(self.config().validate_interval_ms), now)
            || refresh_due(&record, now)
            || record.is_expired(now);

        if due || retry_unverified {
            self.validate_stored().await;
        } else {
            self.set_state(SessionState::SignedIn(SessionInfo::from(&record)));
        }
    }

    /// Applies a change that another tab made to the stored session, without a request.
    fn sync_from_storage(&self) {
        match self.read_record() {
            Ok(Some(record)) => {
                self.set_state(SessionState::SignedIn(SessionInfo::from(&record)));
            }
            Ok(None) => {
                if !matches!(self.state(), SessionState::SignedOut { .. }) {
                    self.set_state(SessionState::SignedOut { reason: None });
                }
            }
            Err(error) => self.set_state(SessionState::SignedOut {
                reason: Some(error),
            }),
        }
        self.schedule();
    }

    /// Registers the storage, focus and visibility listeners, once until [`Client::stop`].
    pub(crate) fn listen(&self) {
        if self.inner.keeper.started.replace(true) {
            return;
        }
        let Ok(window) = browser::window() else {
            return;
        };
        let session_key = self.config().session_key();

        let weak = Rc::downgrade(&self.inner);
        let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let key = event
                .dyn_ref::<web_sys::StorageEvent>()
                .and_then(web_sys::StorageEvent::key);
            // A `null` key means another tab called `localStorage.clear()`.
            if key.is_none() || key.as_deref() == Some(session_key.as_str()) {
                Client { inner }.sync_from_storage();
            }
        });

        let weak = Rc::downgrade(&self.inner);
        let on_visible =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
                let hidden = web_sys::window()
                    .and_then(|window| window.document())
                    .is_some_and(|document| document.hidden());
                if let (false, Some(inner)) = (hidden, weak.upgrade()) {
                    let client = Client { inner };
                    spawn_local(async move { client.check().await });
                }
            });

        let on_storage = Rc::new(on_storage);
        let on_visible = Rc::new(on_visible);
        let registrations = [
            (EventTarget::Window, "storage", on_storage),
            (EventTarget::Window, "focus", Rc::clone(&on_visible)),
            (EventTarget::Document, "visibilitychange", on_visible),
        ];

        let mut callbacks = self.inner.keeper.event_callbacks.borrow_mut();
        for (target, event, callback) in registrations {
            let function = callback.as_ref().as_ref().unchecked_ref();
            match target {
                EventTarget::Window => {
                    let _ = window.add_event_listener_with_callback(event, function);
                }
                EventTarget::Document => {
                    if let Some(document) = window.document() {
                        let _ = document.add_event_listener_with_callback(event, function);
                    }
                }
            }
            callbacks.push((target, event, callback));
        }
    }
}
