//! The token doctor: why a token that worked yesterday gets a 401 today.
//!
//! [`diagnose`] takes whatever the user has (a token, a client id, the request they sent, the
//! response they got, and the outcome of a live validation) and returns findings, most
//! important first. Each finding names one cause, the evidence for it and the fix in one
//! sentence. The function is pure: the browser glue performs the validation and passes its
//! outcome in [`Input::validation`].
//!
//! No finding ever contains the token. Client ids, scopes and URLs are shown as given.

mod finding;
mod live;
mod request;
mod response;
mod stored;
mod token;

#[cfg(test)]
mod tests;

pub use finding::{Code, Finding, Severity};
pub use stored::{read_stored_session, StoredSession};

use crate::validate::ValidatedToken;
use crate::{AccessToken, Error};
use finding::Report;

/// Maximum length the doctor reads from any one field, in bytes. Longer text is cut at a
/// character boundary, so a pasted megabyte costs little and cannot stall the page.
const MAX_FIELD_LEN: usize = 64 * 1024;

/// Most request headers the doctor reads.
const MAX_HEADERS: usize = 200;

/// Everything the user has about a failing call. Every part is optional.
///
/// There is deliberately no `Debug`, so the token cannot reach a log by accident.
#[derive(Clone, Default)]
pub struct Input {
    /// The access token as pasted, possibly with quotes, whitespace or a scheme prefix.
    pub token: Option<String>,
    /// Length the token had when it was stored, to detect a token cut short in storage.
    pub expected_length: Option<usize>,
    /// Fingerprint stored beside the token (see [`crate::token_check::fingerprint`]), to
    /// detect a token altered in storage. Its length part also sets the expected length.
    pub expected_fingerprint: Option<String>,
    /// The client id the page or tool is configured with.
    pub client_id: Option<String>,
    /// The request that failed.
    pub request: Option<Request>,
    /// The response Twitch sent.
    pub response: Option<Response>,
    /// Outcome of `GET /oauth2/validate` for the token that [`token_to_validate`] returns, or
    /// `None` when no validation was made.
    pub validation: Option<Result<ValidatedToken, Error>>,
    /// Whether the token came from the session stored in this browser.
    pub stored_session: StoredSessionState,
}

/// A request as the user sent it.
#[derive(Clone, Default)]
pub struct Request {
    /// HTTP method; empty means `GET`.
    pub method: String,
    /// Absolute URL; empty means an unnamed Helix endpoint.
    pub url: String,
    /// Header names and values, in the order given. An empty list means the headers are
    /// unknown, so their absence is not reported.
    pub headers: Vec<(String, String)>,
}

/// A response as the user received it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// Status code; `None` takes the `status` field of the JSON body.
    pub status: Option<u16>,
    /// Body text.
    pub body: String,
}

/// State of the stored session, when the doctor was asked to use it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StoredSessionState {
    /// The token was typed in, not taken from storage.
    #[default]
    NotUsed,
    /// A stored session was found and its token is in [`Input::token`].
    Found,
    /// No session is stored.
    Missing,
    /// Something is stored, but it is not a readable session record.
    Unreadable,
}

/// Returns the token a live validation should check, with pasted prefixes, quotes and
/// whitespace removed, or `None` when there is no token or it is damaged.
///
/// A token cut short or altered in storage is never sent to Twitch, because its failure
/// would only hide the real cause.
pub fn token_to_validate(input: &Input) -> Option<AccessToken> {
    let subject = token::subject(input)?;
    let bare = crate::secret::strip_pasted(&subject.raw);

    if crate::token_check::check_token(bare).is_err() {
        return None;
    }
    if token::storage_damage(bare, input).is_some() {
        return None;
    }
    Some(AccessToken::new(bare))
}

/// Examines the input and returns its findings, errors first, then warnings, then one
/// summary marked ok.
///
/// Findings about the same cause are merged, so each code appears at most once. A healthy
/// token and request give exactly one finding: [`Code::TokenValid`].
pub fn diagnose(input: &Input) -> Vec<Finding> {
    let mut report = Report::default();

    stored::check(input, &mut report);

    let target = input.request.as_ref().map(request::Target::of);
    if let Some(subject) = token::subject(input) {
        token::check(&subject, input, &mut report);
    }
    if let (Some(sent), Some(target)) = (&input.request, &target) {
        request::check(sent, target, input, &mut report);
    }
    if let Some(received) = &input.response {
        response::check(received, target.as_ref(), &mut report);
    }
    live::check(input, target.as_ref(), &mut report);

    if report.is_empty() {
        summarise_clean_input(input, &mut report);
    }
    report.into_findings()
}

/// Adds the one finding for input that showed no problem and was not validated.
fn summarise_clean_input(input: &Input, report: &mut Report) {
    let nothing_given = token::subject(input).is_none()
        && input
            .client_id
            .as_deref()
            .is_none_or(|id| id.trim().is_empty())
        && input.request.is_none()
        && input.response.is_none();

    if nothing_given {
        report.add(
            Code::InputEmpty,
            "No token, client id, request or response was given.",
        );
    } else {
        report.add(
            Code::NothingFound,
            "The input shows none of the known causes. The token was not checked with Twitch.",
        );
    }
}

/// Parses header lines in the form `Name: value`, one a line, as browsers' developer tools
/// and `curl -v` print them.
///
/// Blank lines, lines without a colon and HTTP/2 pseudo-headers (`:authority: …`) are
/// skipped. At most [`MAX_HEADERS`] headers are read.
pub fn parse_header_lines(text: &str) -> Vec<(String, String)> {
    clip(text)
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with(':'))
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .filter(|(name, _)| !name.is_empty() && !name.contains(' '))
        .take(MAX_HEADERS)
        .collect()
}

/// Cuts `text` to [`MAX_FIELD_LEN`] bytes at a character boundary.
fn clip(text: &str) -> &str {
    if text.len() <= MAX_FIELD_LEN {
        return text;
    }
    let mut end = MAX_FIELD_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Returns `text` for display in a finding: at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let mut shown: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}
