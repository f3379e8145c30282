//! Browser glue: fetch, storage, timers and the address bar, plus the JavaScript API.
//!
//! Everything here is a thin layer over `web-sys`; the decisions live in the pure modules.

mod browser;
mod client;
mod fetch;
mod js;
mod storage;

pub use client::{Client, Listener, StartOutcome};
pub use js::TwitchAuth;
