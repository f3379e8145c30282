//! Twitch's error bodies and the status codes every endpoint shares.

use serde::Deserialize;

use crate::http::HttpResponse;
use crate::{json, Error};

/// Error body of both id.twitch.tv (`{"status","message"}`) and Helix
/// (`{"error","status","message"}`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub message: Option<String>,
}

/// Returns Twitch's `message` from an error body, or an empty string when the body has none.
pub(crate) fn message_of(response: &HttpResponse) -> String {
    json::from_str::<ErrorBody>(&response.body)
        .ok()
        .and_then(|body| body.message)
        .unwrap_or_default()
}

/// Maps the statuses that mean the same on every endpoint: 429 and 5xx.
pub(crate) fn common_error(response: &HttpResponse) -> Option<Error> {
    match response.status {
        429 => Some(Error::RateLimited),
        500..=599 => Some(Error::Server {
            status: response.status,
        }),
        _ => None,
    }
}
