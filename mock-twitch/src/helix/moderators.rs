//! `GET /helix/moderation/moderators`, a paginated endpoint that needs a scope.

use serde::Serialize;

use super::{error, Caller};
use crate::http::{Request, Response};
use crate::seed::{SeedModerator, MODERATORS};
use crate::url::Params;

/// Default and maximum page sizes.
const DEFAULT_PAGE_SIZE: usize = 20;
const MAX_PAGE_SIZE: usize = 100;

/// Prefix of the text that a cursor encodes as hex. Clients must treat cursors as opaque.
const CURSOR_PREFIX: &str = "moderators-offset:";

#[derive(Serialize)]
struct Moderator {
    user_id: &'static str,
    user_login: &'static str,
    user_name: &'static str,
}

/// `{"cursor":"…"}`, or `{}` on the last page.
#[derive(Serialize)]
struct Pagination {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[derive(Serialize)]
struct ModeratorsPage {
    data: Vec<Moderator>,
    pagination: Pagination,
}

/// Returns one page of the seeded moderators of the caller's own channel. Twitch accepts
/// either `moderation:read` or `channel:manage:moderators`.
pub fn handle(request: &Request, caller: &Caller) -> Response {
    let params = Params::parse(&request.query);

    let Some(broadcaster_id) = params.get_non_empty("broadcaster_id") else {
        return error(400, "Missing required parameter \"broadcaster_id\"");
    };
    if !caller.has_scope("moderation:read") && !caller.has_scope("channel:manage:moderators") {
        return error(401, "Missing scope: moderation:read");
    }
    if broadcaster_id != caller.user_id {
        return error(
            403,
            "The ID in broadcaster_id must match the user ID found in the request's OAuth token.",
        );
    }

    let page_size = match params.get("first").map(parse_page_size) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(size)) => size,
        Some(Err(message)) => return error(400, message),
    };
    let offset = match params.get_non_empty("after").map(decode_cursor) {
        None => 0,
        Some(Some(offset)) => offset,
        Some(None) => return error(400, "The parameter \"after\" was malformed: invalid cursor"),
    };

    let user_ids = params.get_all("user_id");
    if user_ids.len() > MAX_PAGE_SIZE {
        return error(
            400,
            "The parameter \"user_id\" was malformed: the value must be less than or equal to 100",
        );
    }
    let selected: Vec<&SeedModerator> = MODERATORS
        .iter()
        .filter(|moderator| user_ids.is_empty() || user_ids.contains(&moderator.user_id))
        .collect();

    let end = offset.saturating_add(page_size).min(selected.len());
    let data = selected
        .get(offset.min(end)..end)
        .unwrap_or_default()
        .iter()
        .map(|moderator| Moderator {
            user_id: moderator.user_id,
            user_login: moderator.user_login,
            user_name: moderator.user_name,
        })
        .collect();
    let cursor = (end < selected.len()).then(|| encode_cursor(end));

    Response::json(
        200,
        &ModeratorsPage {
            data,
            pagination: Pagination { cursor },
        },
    )
}

fn parse_page_size(text: &str) -> Result<usize, &'static str> {
    let Ok(size) = text.parse::<i64>() else {
        return Err("The parameter \"first\" was malformed: the value must be an integer");
    };
    if size < 1 {
        return Err(
            "The parameter \"first\" was malformed: the value must be greater than or equal to 1",
        );
    }
    if size > MAX_PAGE_SIZE as i64 {
        return Err(
            "The parameter \"first\" was malformed: the value must be less than or equal to 100",
        );
    }
    Ok(size as usize)
}

fn encode_cursor(offset: usize) -> String {
    format!("{CURSOR_PREFIX}{offset}")
        .bytes()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 128 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(cursor.get(index..index + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    text.strip_prefix(CURSOR_PREFIX)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        assert_eq!(decode_cursor(&encode_cursor(7)), Some(7));
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor(&"41".repeat(10)), None);
    }
}
