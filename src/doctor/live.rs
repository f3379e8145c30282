//! Checks that need validate's response: is the token alive, whose app issued it, which scopes
//! it has, and the summary of a healthy token.

use super::finding::{Code, Report};
use super::request::{self, Target};
use super::{response, shorten, Input};
use crate::scopes::required_scopes;
use crate::validate::ValidatedToken;
use crate::Error;

/// Adds the findings that follow from the validation outcome: the live one, or else one read
/// from a pasted validate response.
pub(super) fn check(input: &Input, target: Option<&Target>, report: &mut Report) {
    let pasted = input
        .response
        .as_ref()
        .and_then(|received| response::validation_in(received, target));
    let Some(outcome) = input.validation.as_ref().or(pasted.as_ref()) else {
        return;
    };

    match outcome {
        Ok(validated) => check_valid(validated, input, target, report),
        Err(Error::TokenInvalid) => report.add(
            Code::TokenInvalid,
            "Validate returned 401 `invalid access token`: the token expired, the user disconnected the app or changed their password, or the app revoked it.",
        ),
        Err(Error::TokenMissing) => report.add(
            Code::TokenMissing,
            "Validate returned 401 `missing authorization token`.",
        ),
        Err(error) => report.add(
            Code::ValidationUnavailable,
            format!("Validate failed: {error}."),
        ),
    }
}

fn check_valid(
    validated: &ValidatedToken,
    input: &Input,
    target: Option<&Target>,
    report: &mut Report,
) {
    check_client_id(validated, input, report);
    if let (Some(sent), Some(Target::Helix(path))) = (&input.request, target) {
        check_scopes(validated, &request::method_of(sent), path, report);
    }

    report.add(Code::TokenValid, summary(validated));
}

/// Compares the client id the token was issued to with the one the request sends, or else
/// the one configured.
fn check_client_id(validated: &ValidatedToken, input: &Input, report: &mut Report) {
    let sent = input
        .request
        .as_ref()
        .and_then(request::client_id)
        .filter(|id| !id.is_empty());
    let configured = input
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let (used, source) = match (sent, configured) {
        (Some(id), _) => (id, "the request sends"),
        (None, Some(id)) => (id, "the configured one is"),
        (None, None) => return,
    };

    if used != validated.client_id {
        report.add(
            Code::ClientIdMismatch,
            format!(
                "Validate reports the token was issued to client id {}, but {source} {}.",
                shorten(&validated.client_id, 64),
                shorten(used, 64)
            ),
        );
    }
}

fn check_scopes(validated: &ValidatedToken, method: &str, path: &str, report: &mut Report) {
    let Some(accepted) = required_scopes(method, path) else {
        return;
    };
    let satisfied = accepted.is_empty()
        || accepted
            .iter()
            .any(|scope| validated.scopes.iter().any(|have| have == scope));
    if satisfied {
        return;
    }

    report.add_with_fix(
        Code::ScopeMissing,
        format!(
            "{method} /{path} needs {}; the token has {}.",
            accepted.join(" or "),
            granted_list(&validated.scopes)
        ),
        format!("Sign in again and grant the scope {}.", accepted[0]),
    );
}

fn granted_list(scopes: &[String]) -> String {
    if scopes.is_empty() {
        return "no scopes".to_owned();
    }
    let shown: Vec<String> = scopes
        .iter()
        .take(20)
        .map(|scope| shorten(scope, 60))
        .collect();
    let mut list = shown.join(", ");
    if scopes.len() > shown.len() {
        list.push_str(&format!(" and {} more", scopes.len() - shown.len()));
    }
    list
}

/// Describes a valid token: whose it is, its scopes and its time left.
fn summary(validated: &ValidatedToken) -> String {
    let owner = match (&validated.login, &validated.user_id) {
        (Some(login), Some(id)) => format!("User {} (id {})", shorten(login, 40), shorten(id, 20)),
        (Some(login), None) => format!("User {}", shorten(login, 40)),
        _ => "An app access token, with no user".to_owned(),
    };
    let lifetime = match validated.expires_in {
        Some(seconds) => format!("expires in {}", duration(seconds)),
        None => "never expires (a legacy token)".to_owned(),
    };

    format!(
        "{owner}, client id {}, scopes: {}; {lifetime}.",
        shorten(&validated.client_id, 64),
        granted_list(&validated.scopes)
    )
}

/// Formats seconds as the largest whole unit that fits: days, hours, minutes or seconds.
pub(super) fn duration(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;

    let (count, unit) = if seconds >= 2 * DAY {
        (seconds / DAY, "days")
    } else if seconds >= 2 * HOUR {
        (seconds / HOUR, "hours")
    } else if seconds >= 2 * MINUTE {
        (seconds / MINUTE, "minutes")
    } else {
        (seconds, if seconds == 1 { "second" } else { "seconds" })
    };
    format!("{count} {unit}")
}
