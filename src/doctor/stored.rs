//! Reading the session stored in this browser without trusting it, so a damaged record can be
//! diagnosed instead of only removed.

use serde::Deserialize;

use super::finding::{Code, Report};
use super::{Input, StoredSessionState, MAX_FIELD_LEN};
use crate::json;

/// The parts of a stored session record the doctor needs.
///
/// There is deliberately no `Debug`, so the token cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// The stored access token, exactly as stored.
    pub token: String,
    /// The fingerprint stored beside it, such as `30:1a2b3c4d`.
    pub fingerprint: Option<String>,
    /// The client id stored with the session.
    pub client_id: Option<String>,
}

#[derive(Deserialize)]
struct StoredFields {
    access_token: String,
    #[serde(default)]
    access_token_check: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
}

/// Reads the token, its fingerprint and the client id from the text of a stored session
/// record, or returns `None` when the text is not such a record.
///
/// Unlike [`crate::record::SessionRecord::from_storage`] this accepts a damaged token, so the
/// doctor can report how it is damaged.
pub fn read_stored_session(text: &str) -> Option<StoredSession> {
    if text.len() > MAX_FIELD_LEN {
        return None;
    }
    let fields: StoredFields = json::from_str(text).ok()?;

    Some(StoredSession {
        token: fields.access_token,
        fingerprint: fields.access_token_check,
        client_id: fields.client_id,
    })
}

/// Adds the findings about the stored session lookup.
pub(super) fn check(input: &Input, report: &mut Report) {
    match input.stored_session {
        StoredSessionState::NotUsed | StoredSessionState::Found => {}
        StoredSessionState::Missing => report.add(
            Code::SessionMissing,
            "The doctor was asked to use the stored session, but none is stored.",
        ),
        StoredSessionState::Unreadable => report.add(
            Code::SessionUnreadable,
            "Something is stored under the session key, but it is not a session record.",
        ),
    }
}
