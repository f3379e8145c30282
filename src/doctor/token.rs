//! Checks of the token string itself: emptiness, padding, prefixes, damage, storage and shape.

use super::finding::{Code, Report};
use super::{clip, Input};
use crate::secret::strip_pasted;
use crate::token_check::MAX_TOKEN_LEN;
use crate::token_check::{check_token, fingerprint, looks_like_access_token, TokenProblem};

/// The token being examined and where it came from.
pub(super) struct Subject {
    /// The value as given: the token field, or the credentials of the Authorization header.
    pub raw: String,
    /// Whether it came from the request's Authorization header because the token field was
    /// empty.
    pub from_header: bool,
}

/// Returns the token to examine: the token field, or else the one in the request's
/// Authorization header.
pub(super) fn subject(input: &Input) -> Option<Subject> {
    if let Some(token) = input.token.as_deref().filter(|token| !token.is_empty()) {
        return Some(Subject {
            raw: clip(token).to_owned(),
            from_header: false,
        });
    }

    let header = super::request::authorization(input.request.as_ref()?)?;
    let credentials = header
        .split_once(' ')
        .map_or(header, |(_, credentials)| credentials);
    Some(Subject {
        raw: clip(credentials).to_owned(),
        from_header: true,
    })
}

/// Returns the finding code and evidence when `bare` differs from the length or fingerprint
/// stored beside it.
pub(super) fn storage_damage(bare: &str, input: &Input) -> Option<(Code, String)> {
    let stored_fingerprint = input.expected_fingerprint.as_deref().map(str::trim);
    let expected_length = input
        .expected_length
        .or_else(|| stored_fingerprint.and_then(length_of_fingerprint))?;

    let length = bare.chars().count();
    if length < expected_length {
        return Some((
            Code::TokenTruncated,
            format!("The token has {length} characters, but {expected_length} were stored."),
        ));
    }
    if length > expected_length {
        return Some((
            Code::TokenAltered,
            format!("The token has {length} characters, but {expected_length} were stored."),
        ));
    }

    let altered = stored_fingerprint.is_some_and(|stored| {
        stored.contains(':') && !stored.eq_ignore_ascii_case(&fingerprint(bare))
    });
    altered.then(|| {
        (
            Code::TokenAltered,
            format!(
                "The token has the stored length, {expected_length} characters, but not the stored checksum."
            ),
        )
    })
}

/// Reads the length part of a fingerprint such as `30:1a2b3c4d`.
fn length_of_fingerprint(stored: &str) -> Option<usize> {
    stored.split(':').next()?.trim().parse().ok()
}

/// Adds the findings about the token string.
pub(super) fn check(subject: &Subject, input: &Input, report: &mut Report) {
    let raw = subject.raw.as_str();
    if raw.trim().is_empty() {
        report.add(Code::TokenEmpty, "The token is empty or only whitespace.");
        return;
    }

    check_padding(raw, report);
    if !subject.from_header {
        check_prefix(raw, report);
    }

    let bare = strip_pasted(raw);
    match check_token(bare) {
        Err(TokenProblem::Empty) => {
            report.add(
                Code::TokenEmpty,
                "Only a prefix was given, no token after it.",
            );
            return;
        }
        Err(TokenProblem::TooLong) => {
            report.add(
                Code::TokenDamaged,
                format!(
                    "It is {} bytes long, but no Twitch token is longer than {MAX_TOKEN_LEN}.",
                    bare.len()
                ),
            );
            return;
        }
        Err(TokenProblem::BadCharacter) => {
            report.add(
                Code::TokenDamaged,
                "It contains whitespace, a quote, a control character or a non-ASCII character.",
            );
            return;
        }
        Ok(()) => {}
    }

    if let Some((code, evidence)) = storage_damage(bare, input) {
        report.add(code, evidence);
        return;
    }

    let validated = matches!(input.validation, Some(Ok(_)));
    if !validated && !looks_like_access_token(bare) {
        report.add(Code::TokenShape, describe_shape(bare, input));
    }
}

fn check_padding(raw: &str, report: &mut Report) {
    let unquoted = raw.trim().trim_matches(|c| c == '"' || c == '\'');

    if unquoted.len() != raw.trim().len() {
        report.add(Code::TokenPadding, "The value is wrapped in quotes.");
    }
    if raw.trim().len() != raw.len() {
        report.add(
            Code::TokenPadding,
            "The value has whitespace or a line break around it.",
        );
    }
}

fn check_prefix(raw: &str, report: &mut Report) {
    let value = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let head: String = value
        .chars()
        .take(7)
        .collect::<String>()
        .to_ascii_lowercase();

    let evidence = if head.starts_with("oauth:") {
        "The value starts with `oauth:`, the form Twitch chat (IRC) takes as a password."
    } else if head.starts_with("oauth ") {
        "The value starts with `OAuth `, the header scheme of validate and of the removed Kraken API."
    } else if head.starts_with("bearer ") {
        "The value starts with `Bearer `, the header scheme, not part of the token."
    } else {
        return;
    };
    report.add(Code::TokenPrefix, evidence);
}

/// Says how the token differs from the shape of recent Twitch access tokens.
fn describe_shape(bare: &str, input: &Input) -> String {
    let length = bare.chars().count();
    let mut evidence = format!(
        "It has {length} characters; every recent Twitch access token has 30 lower-case letters and digits."
    );

    let is_client_id = input
        .client_id
        .as_deref()
        .is_some_and(|client_id| client_id.trim() == bare);
    if is_client_id {
        evidence.push_str(" It equals the client id.");
    } else if length > 30 && (bare.contains('%') || bare.contains('/')) {
        evidence.push_str(" With `%` or `/` in it, it looks like a refresh token.");
    } else if bare.bytes().any(|b| b.is_ascii_uppercase()) {
        evidence.push_str(" It contains capital letters.");
    }
    evidence.push_str(" Tokens are opaque, so this alone does not make it invalid.");
    evidence
}
