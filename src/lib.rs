//! Twitch sign-in, session keeping and Helix calls for pages without a server.
//!
//! The crate covers the two flows Twitch allows a page: the implicit grant and, for apps
//! registered as Public, the device code grant with rotating refresh tokens. Twitch has no PKCE,
//! so the authorization code flow needs a client secret and is not offered.
//!
//! Pure logic (URL building, redirect parsing, response parsing, error mapping, the stored
//! record, backoff) lives in plain modules and is tested natively. The browser glue in `web`
//! performs the I/O and is compiled for `wasm32` only.
#![deny(missing_docs)]

pub mod backoff;
pub mod config;
pub mod device;
#[cfg(feature = "doctor")]
pub mod doctor;
pub mod encoding;
pub mod error;
pub mod helix;
#[cfg(test)]
mod hostile_input;
pub mod http;
pub mod implicit;
pub mod json;
pub mod record;
pub mod revoke;
pub mod scopes;
mod secret;
pub mod session;
pub mod token_check;
mod twitch_error;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[doc(inline)]
pub use config::Config;
#[doc(inline)]
pub use error::Error;
pub use secret::{AccessToken, RefreshToken};

#[cfg(target_arch = "wasm32")]
#[doc(inline)]
pub use web::Client;
