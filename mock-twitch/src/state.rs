//! Server state shared by all connection threads.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::device_codes::DeviceStore;
use crate::faults::FaultQueue;
use crate::random::Rng;
use crate::rate_limit::RateLimits;
use crate::request_log::RequestLog;
use crate::seed::{ClientType, CLIENTS};
use crate::tokens::TokenStore;

/// A registered OAuth client.
#[derive(Debug, Clone)]
pub struct Client {
    pub name: String,
    pub client_type: ClientType,
    pub secret: Option<String>,
}

/// Mutable state, reset by `POST /_mock/reset`.
#[derive(Debug)]
pub struct State {
    /// Seeded clients plus the foreign client ids that the control API minted tokens for.
    pub clients: HashMap<String, Client>,
    pub tokens: TokenStore,
    pub devices: DeviceStore,
    pub faults: FaultQueue,
    pub log: RequestLog,
    pub rate_limits: RateLimits,
    pub rng: Rng,
}

impl State {
    /// Creates the seed state.
    pub fn new() -> Self {
        Self::with_rng(Rng::from_clock())
    }

    fn with_rng(rng: Rng) -> Self {
        let clients = CLIENTS
            .iter()
            .map(|seed| {
                let client = Client {
                    name: seed.name.to_string(),
                    client_type: seed.client_type,
                    secret: seed.secret.map(str::to_string),
                };
                (seed.id.to_string(), client)
            })
            .collect();

        Self {
            clients,
            tokens: TokenStore::default(),
            devices: DeviceStore::default(),
            faults: FaultQueue::default(),
            log: RequestLog::default(),
            rate_limits: RateLimits::default(),
            rng,
        }
    }

    /// Returns to the seed state. The random generator keeps running, so tokens minted
    /// after a reset differ from those before it.
    pub fn reset(&mut self) {
        let rng = std::mem::replace(&mut self.rng, Rng::from_clock());
        *self = Self::with_rng(rng);
    }

    /// Registers a client id that the control API mints tokens for, as a Public app, so
    /// that revoking and refreshing its tokens works.
    pub fn register_foreign_client(&mut self, client_id: &str) {
        self.clients
            .entry(client_id.to_string())
            .or_insert_with(|| Client {
                name: format!("App {client_id}"),
                client_type: ClientType::Public,
                secret: None,
            });
    }
}

/// Configuration and state of one running server.
#[derive(Debug)]
pub struct Shared {
    /// Scheme, host and port, such as `http://127.0.0.1:8080`, without a trailing slash.
    pub origin: String,
    /// Canonical path of the static site directory.
    pub site: Option<PathBuf>,
    /// Redirect URIs registered with `--redirect-uri`, besides the server's own origin.
    pub extra_redirect_uris: Vec<String>,
    /// Whether one line per request goes to stderr.
    pub log_requests: bool,
    state: Mutex<State>,
    stopping: AtomicBool,
}

impl Shared {
    /// Creates the shared state in its seed form.
    pub fn new(
        origin: String,
        site: Option<PathBuf>,
        extra_redirect_uris: Vec<String>,
        log_requests: bool,
    ) -> Self {
        Self {
            origin,
            site,
            extra_redirect_uris,
            log_requests,
            state: Mutex::new(State::new()),
            stopping: AtomicBool::new(false),
        }
    }

    /// Locks the state. A panic in another thread does not make the state unusable, so a
    /// poisoned lock is taken over.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the first registered redirect URI of every client: `{origin}/`.
    pub fn first_redirect_uri(&self) -> String {
        format!("{}/", self.origin)
    }

    /// Returns whether `uri` is a registered redirect URI: any URL on the server's own
    /// origin, or exactly one of the `--redirect-uri` values. URIs with a fragment,
    /// whitespace or control characters never match.
    pub fn is_registered_redirect_uri(&self, uri: &str) -> bool {
        if uri.contains('#')
            || uri
                .chars()
                .any(|character| character.is_whitespace() || character.is_control())
        {
            return false;
        }
        let own_origin = uri
            .strip_prefix(self.origin.as_str())
            .is_some_and(|rest| rest.starts_with('/'));
        own_origin
            || self
                .extra_redirect_uris
                .iter()
                .any(|registered| registered == uri)
    }

    /// Marks the server as stopping, so connections close after their current request.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Returns whether the server is stopping.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Writes one line to stderr when request logging is on.
    pub fn log(&self, line: &str) {
        if self.log_requests {
            eprintln!("{line}");
        }
    }
}
