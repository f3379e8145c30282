//! Browser glue: fetch, storage, timers and the address bar, plus the JavaScript API.
//!
//! Everything here is a thin layer over `web-sys`; the decisions live in the pure modules.

mod browser;
mod client;
mod device_flow;
#[cfg(feature = "doctor")]
mod doctor_js;
mod fetch;
pub(crate) mod from_js;
mod helix_calls;
mod js;
mod keeper;
mod lock;
mod storage;

pub use client::{Client, Listener, StartOutcome};
pub use device_flow::DeviceLogin;
pub use js::TwitchAuth;
