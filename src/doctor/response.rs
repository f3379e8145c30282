//! Reading the response the user got: which of Twitch's error messages it is and what it
//! means.

use super::finding::{Code, Report};
use super::request::Target;
use super::{clip, shorten, Response};
use crate::helix::helix_error;
use crate::http::HttpResponse;
use crate::twitch_error::message_of;
use crate::validate::ValidatedToken;
use crate::Error;

/// Validate's 401 messages. Helix never sends them, so they identify a validate response
/// even when no URL was given.
const VALIDATE_MESSAGES: [&str; 2] = ["invalid access token", "missing authorization token"];

/// Returns the response as the crate's parsers take it, with the status from the JSON body
/// when none was given, or `None` when there is no status at all.
fn as_http_response(received: &Response) -> Option<HttpResponse> {
    let body = clip(&received.body);
    let status = received
        .status
        .filter(|status| *status != 0)
        .or_else(|| status_in_body(body))?;
    Some(HttpResponse::new(status, body))
}

/// Reads the `"status":401` member that every Twitch error body carries.
///
/// A scan rather than a JSON parse, which keeps another deserializer out of the wasm module.
/// It only runs when no status was given.
fn status_in_body(body: &str) -> Option<u16> {
    let after_key = &body[body.find("\"status\"")? + "\"status\"".len()..];
    let after_colon = after_key.trim_start().strip_prefix(':')?.trim_start();
    let digits = after_colon
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_colon.len());
    after_colon[..digits].parse().ok()
}

fn is_validate_response(response: &HttpResponse, target: Option<&Target>) -> bool {
    if target == Some(&Target::Validate) {
        return true;
    }
    let message = message_of(response).to_ascii_lowercase();
    VALIDATE_MESSAGES.contains(&message.as_str())
}

/// Returns the validation outcome that a pasted validate response carries, so a pasted
/// `200` body can stand in for a live validation.
pub(super) fn validation_in(
    received: &Response,
    target: Option<&Target>,
) -> Option<Result<ValidatedToken, Error>> {
    let response = as_http_response(received)?;
    let looks_like_validate = is_validate_response(&response, target)
        || (response.status == 200 && response.body.contains("\"client_id\""));
    if !looks_like_validate {
        return None;
    }
    Some(ValidatedToken::from_response(&response))
}

/// Adds the findings about the response.
pub(super) fn check(received: &Response, target: Option<&Target>, report: &mut Report) {
    let Some(response) = as_http_response(received) else {
        return;
    };
    if (200..300).contains(&response.status) {
        return;
    }

    if is_validate_response(&response, target) {
        check_validate(&response, report);
    } else {
        check_helix(&response, report);
    }
}

fn check_validate(response: &HttpResponse, report: &mut Report) {
    let message = shorten(&message_of(response), 120);

    match ValidatedToken::from_response(response) {
        Err(Error::TokenInvalid) => report.add(
            Code::TokenInvalid,
            format!("Validate returned 401 `{message}`."),
        ),
        Err(Error::TokenMissing) => report.add(
            Code::TokenMissing,
            format!("Validate returned 401 `{message}`: the request carried no token."),
        ),
        Err(error) => add_common(&error, report),
        Ok(_) => {}
    }
}

fn check_helix(response: &HttpResponse, report: &mut Report) {
    match helix_error(response) {
        Error::TokenMissing => report.add(
            Code::TokenMissing,
            "Helix returned 401 `OAuth token is missing`. It returns this when the Authorization header is missing, and also when it uses the OAuth scheme instead of Bearer.",
        ),
        Error::ClientIdMissing => report.add(
            Code::ClientIdMissing,
            "Helix returned 401 `Client ID is missing`.",
        ),
        Error::ClientIdTokenMismatch => report.add(
            Code::ClientIdMismatch,
            "Helix returned 401 `Client ID and OAuth token do not match`.",
        ),
        Error::TokenInvalid => report.add(
            Code::TokenInvalid,
            "Helix returned 401 `Invalid OAuth token`.",
        ),
        Error::MissingScope { scope } => {
            let scope = shorten(&scope, 60);
            report.add_with_fix(
                Code::ScopeMissing,
                format!("Helix returned 401 `Missing scope: {scope}`."),
                format!("Sign in again and grant the scope {scope}."),
            );
        }
        error => add_common(&error, report),
    }
}

/// Adds the finding for an error that any Twitch endpoint may return.
fn add_common(error: &Error, report: &mut Report) {
    match error {
        Error::RateLimited => {
            report.add(Code::RateLimited, "Twitch returned 429 Too Many Requests.")
        }
        Error::Server { status } => {
            report.add(Code::ServerError, format!("Twitch returned {status}."))
        }
        Error::Http {
            status: 401,
            message,
        } => report.add(
            Code::Unauthorized,
            format!("Twitch returned 401 `{}`.", shorten(message, 120)),
        ),
        Error::Http { status, message } if message.is_empty() => {
            report.add(Code::HttpError, format!("Twitch returned {status}."))
        }
        Error::Http { status, message } => report.add(
            Code::HttpError,
            format!("Twitch returned {status} `{}`.", shorten(message, 120)),
        ),
        other => report.add(Code::HttpError, format!("Twitch returned: {other}.")),
    }
}
