//! `localStorage` and `sessionStorage` with an in-memory fallback.
//!
//! Storage can be missing or failing: disabled by the user, blocked in a sandboxed iframe, full
//! (`QuotaExceededError`) or refused (`SecurityError`). Then the session lives in memory for this
//! page only, the console warns once, and everything else keeps working.

use std::cell::{Cell, RefCell};

use super::browser;

/// Browser storage area wrapped by a [`Store`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Area {
    /// `localStorage`: shared by the tabs of an origin, kept across restarts.
    Local,
    /// `sessionStorage`: one tab only.
    Session,
}

/// A key-value store over one browser storage area.
pub(crate) struct Store {
    area: Area,
    /// Fallback entries. A few keys at most, so a list is smaller in the bundle than a map.
    memory: RefCell<Vec<(String, String)>>,
    /// Set after the first failure: from then on only `memory` is used.
    degraded: Cell<bool>,
}

impl Store {
    pub(crate) fn new(area: Area) -> Self {
        let store = Self {
            area,
            memory: RefCell::new(Vec::new()),
            degraded: Cell::new(false),
        };
        if store.storage().is_none() {
            store.degrade();
        }
        store
    }

    pub(crate) fn get(&self, key: &str) -> Option<String> {
        if !self.degraded.get() {
            match self.storage().map(|storage| storage.get_item(key)) {
                Some(Ok(value)) => return value,
                _ => self.degrade(),
            }
        }
        self.memory
            .borrow()
            .iter()
            .find(|(stored_key, _)| stored_key == key)
            .map(|(_, value)| value.clone())
    }

    /// Writes a whole value in one `setItem` call, so a reader never sees part of it.
    pub(crate) fn set(&self, key: &str, value: &str) {
        if !self.degraded.get() {
            match self.storage().map(|storage| storage.set_item(key, value)) {
                Some(Ok(())) => return,
                _ => self.degrade(),
            }
        }
        let mut memory = self.memory.borrow_mut();
        memory.retain(|(stored_key, _)| stored_key != key);
        memory.push((key.to_owned(), value.to_owned()));
    }

    pub(crate) fn remove(&self, key: &str) {
        if !self.degraded.get() {
            match self.storage().map(|storage| storage.remove_item(key)) {
                Some(Ok(())) => return,
                _ => self.degrade(),
            }
        }
        self.memory
            .borrow_mut()
            .retain(|(stored_key, _)| stored_key != key);
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        let storage = match self.area {
            Area::Local => window.local_storage(),
            Area::Session => window.session_storage(),
        };
        storage.ok().flatten()
    }

    fn degrade(&self) {
        if !self.degraded.replace(true) {
            let name = match self.area {
                Area::Local => "localStorage",
                Area::Session => "sessionStorage",
            };
            browser::log_warn(&format!(
                "{name} is unavailable; the session is kept in memory for this page only"
            ));
        }
    }
}
