//! A local stand-in for Twitch's `id.twitch.tv` OAuth endpoints and part of the Helix API,
//! for the twitch-wasm-auth demo page and its browser tests.
//!
//! It implements the implicit grant with a consent page, the device code grant with an
//! activation page, validate, revoke, refresh with rotating refresh tokens,
//! `GET /helix/users` and `GET /helix/moderation/moderators`. Response bodies, error messages
//! and CORS headers follow what Twitch sends, so that browser tests meet the same failures
//! as on twitch.tv. A control API under `/_mock/` mints tokens, approves device codes and
//! injects faults. The README lists every endpoint.
//!
//! # Seed data
//!
//! | what | value |
//! |---|---|
//! | Public client | [`seed::PUBLIC_CLIENT_ID`] |
//! | Confidential client | [`seed::CONFIDENTIAL_CLIENT_ID`], secret [`seed::CONFIDENTIAL_CLIENT_SECRET`] |
//! | redirect URIs of both clients | `{origin}/` (the first), any URL on the server's origin, each `--redirect-uri` |
//! | users | [`seed::USERS`]: `twitchdev` (141981764, the default), `mockviewer`, `mockmod`, `mockstreamer` |
//! | moderators of every channel | [`seed::MODERATORS`], 7 entries |
//! | token lifetimes | implicit 5,400,000 s, device flow and refresh 14,400 s, refresh tokens 30 days |
//! | device codes | 1800 s lifetime, 5 s poll interval, both changeable through the control API |
//!
//! Access tokens are 30 characters of `[a-z0-9]`. Refresh tokens are 50 characters and
//! always contain `%` and `/`, so that a client that forgets to form-encode them fails.
//!
//! # Example
//!
//! ```no_run
//! use mock_twitch::{Options, Server};
//!
//! let server = Server::start(Options { port: 0, log_requests: false, ..Options::default() })?;
//! println!("validate at {}/oauth2/validate", server.url());
//! # Ok::<(), std::io::Error>(())
//! ```

#![deny(missing_docs)]

mod activate;
mod auth_header;
mod clock;
mod control;
mod cors;
mod device_codes;
mod faults;
mod helix;
mod http;
mod id;
mod pages;
mod random;
mod rate_limit;
mod request_log;
mod router;
pub mod seed;
mod server;
mod site;
mod state;
mod tokens;
mod url;

pub use server::{Options, RunningServer, Server};
