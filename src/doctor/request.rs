//! Checks of the request: where it goes, its Authorization and Client-Id headers, and headers
//! that the browser's CORS preflight to Twitch rejects.

use super::finding::{Code, Report};
use super::{clip, shorten, Input, Request};
use crate::secret::strip_pasted;

/// Destination of a request, judged by its path, so mock servers and proxies are recognised too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// No URL was given: taken as a Helix call to an unnamed endpoint.
    Unnamed,
    /// A Helix endpoint; the path under `/helix`, without slashes at either end.
    Helix(String),
    /// The removed v5 API; the path under `/kraken`.
    Kraken(String),
    /// `GET /oauth2/validate` on id.twitch.tv.
    Validate,
    /// Another endpoint of id.twitch.tv.
    Id,
    /// Something else.
    Other,
}

impl Target {
    /// Classifies the request's URL.
    pub(super) fn of(request: &Request) -> Self {
        let url = clip(request.url.trim());
        if url.is_empty() {
            return Target::Unnamed;
        }

        let (host, path) = split_url(url);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let position = |name: &str| {
            segments
                .iter()
                .position(|segment| segment.eq_ignore_ascii_case(name))
        };

        if let Some(index) = position("kraken") {
            return Target::Kraken(segments[index + 1..].join("/"));
        }
        if let Some(index) = position("helix") {
            return Target::Helix(segments[index + 1..].join("/"));
        }
        let ends_with_validate = segments.len() >= 2
            && segments[segments.len() - 2].eq_ignore_ascii_case("oauth2")
            && segments[segments.len() - 1].eq_ignore_ascii_case("validate");
        if ends_with_validate {
            return Target::Validate;
        }
        if host.eq_ignore_ascii_case("id.twitch.tv") || position("oauth2").is_some() {
            return Target::Id;
        }
        Target::Other
    }

    fn is_helix(&self) -> bool {
        matches!(self, Target::Helix(_) | Target::Unnamed)
    }

    fn is_id(&self) -> bool {
        matches!(self, Target::Validate | Target::Id)
    }
}

/// Splits an absolute URL into host and path, without query and fragment. A URL without a
/// scheme is taken as a path.
fn split_url(url: &str) -> (&str, &str) {
    let (host_and_path, has_host) = match url.find("://") {
        Some(scheme_end) => (&url[scheme_end + 3..], true),
        None => (url, false),
    };
    let without_query = host_and_path
        .find(['?', '#'])
        .map_or(host_and_path, |end| &host_and_path[..end]);

    if !has_host {
        return ("", without_query);
    }
    match without_query.find('/') {
        Some(slash) => (&without_query[..slash], &without_query[slash..]),
        None => (without_query, ""),
    }
}

/// Returns the method in upper case, `GET` when none was given.
pub(super) fn method_of(request: &Request) -> String {
    let method = request.method.trim();
    if method.is_empty() {
        return "GET".to_owned();
    }
    shorten(method, 16).to_ascii_uppercase()
}

/// Returns the value of the first header called `name`, compared case-insensitively.
fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .take(super::MAX_HEADERS)
        .find(|(header, _)| header.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

/// Returns the Authorization header's value.
pub(super) fn authorization(request: &Request) -> Option<&str> {
    header(request, "authorization")
}

/// Returns the Client-Id header's value.
pub(super) fn client_id(request: &Request) -> Option<&str> {
    header(request, "client-id")
}

/// Adds the findings about the request.
pub(super) fn check(request: &Request, target: &Target, input: &Input, report: &mut Report) {
    if let Target::Kraken(path) = target {
        check_kraken(request, path, report);
    }

    check_authorization(request, target, report);
    check_client_id(request, target, report);
    check_other_headers(request, target, report);
    check_token_differs(request, input, report);
}

fn check_kraken(request: &Request, path: &str, report: &mut Report) {
    let method = method_of(request);
    let shown = shorten(&format!("/kraken/{path}"), 80);
    let evidence = format!(
        "{method} {shown}: Twitch shut down the v5 API (Kraken) on 2022-02-28, so every Kraken call fails."
    );

    match helix_replacement(path) {
        Some(replacement) => report.add_with_fix(
            Code::KrakenRemoved,
            evidence,
            format!(
                "Call {replacement} instead, with `Authorization: Bearer <token>` and `Client-Id`."
            ),
        ),
        None => report.add(Code::KrakenRemoved, evidence),
    }
}

/// Kraken endpoints and the Helix calls that replace them; `*` matches one path segment.
const KRAKEN_TO_HELIX: [(&str, &str); 15] = [
    (
        "user",
        "GET /helix/users (no parameters: the token's own user)",
    ),
    ("users", "GET /helix/users?login=<login>"),
    ("users/*", "GET /helix/users?id=<user id>"),
    (
        "users/*/follows/channels",
        "GET /helix/channels/followed?user_id=<user id>",
    ),
    (
        "channel",
        "GET /helix/channels?broadcaster_id=<your user id>",
    ),
    ("channels/*", "GET /helix/channels?broadcaster_id=<user id>"),
    (
        "channels/*/follows",
        "GET /helix/channels/followers?broadcaster_id=<user id>",
    ),
    (
        "channels/*/subscriptions",
        "GET /helix/subscriptions?broadcaster_id=<user id>",
    ),
    (
        "channels/*/editors",
        "GET /helix/channels/editors?broadcaster_id=<user id>",
    ),
    ("streams", "GET /helix/streams"),
    (
        "streams/followed",
        "GET /helix/streams/followed?user_id=<your user id>",
    ),
    ("streams/*", "GET /helix/streams?user_id=<user id>"),
    ("games/top", "GET /helix/games/top"),
    ("clips/top", "GET /helix/clips"),
    ("videos/*", "GET /helix/videos?id=<video id>"),
];

/// Returns the Helix call that replaces the Kraken endpoint at `path`.
fn helix_replacement(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();

    KRAKEN_TO_HELIX
        .iter()
        .find(|(pattern, _)| {
            let parts: Vec<&str> = pattern.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| *part == "*" || part.eq_ignore_ascii_case(segment))
        })
        .map(|(_, replacement)| *replacement)
}

fn check_authorization(request: &Request, target: &Target, report: &mut Report) {
    let Some(value) = authorization(request) else {
        if request.headers.is_empty() {
            // No headers given means they are unknown, not absent.
            return;
        }
        if target.is_helix() {
            report.add(
                Code::TokenMissing,
                "The request has no Authorization header.",
            );
        } else if *target == Target::Validate {
            report.add(
                Code::TokenMissing,
                "The request has no Authorization header, which validate rejects with `missing authorization token`.",
            );
        }
        return;
    };

    let (scheme, credentials) = value.split_once(' ').unwrap_or(("", value));
    if credentials.to_ascii_lowercase().contains("oauth:") {
        report.add(
            Code::ChatPrefix,
            format!(
                "The header is `Authorization: {} oauth:[token]`.",
                shorten(scheme, 16)
            ),
        );
    }
    if !target.is_helix() {
        return;
    }

    if scheme.eq_ignore_ascii_case("oauth") {
        report.add(
            Code::OauthScheme,
            "The header is `Authorization: OAuth [token]`; Helix wants Bearer and rejects it with `OAuth token is missing`.",
        );
    } else if scheme.is_empty() {
        report.add(
            Code::TokenMissing,
            "The Authorization header has the token but no scheme; Helix wants `Bearer <token>`.",
        );
    } else if !scheme.eq_ignore_ascii_case("bearer") {
        report.add(
            Code::TokenMissing,
            format!(
                "The Authorization header uses the scheme {}; Helix wants `Bearer <token>`.",
                shorten(scheme, 16)
            ),
        );
    }
}

fn check_client_id(request: &Request, target: &Target, report: &mut Report) {
    let value = client_id(request);

    let headers_known = !request.headers.is_empty();
    if target.is_helix() && headers_known && value.is_none_or(str::is_empty) {
        report.add(
            Code::ClientIdMissing,
            "The request has no Client-Id header, which Helix rejects with `Client ID is missing`.",
        );
    }
    if target.is_id() && value.is_some() {
        report.add(
            Code::ClientIdOnValidate,
            "The request to id.twitch.tv carries Client-Id. Its CORS preflight does not allow that header, so the browser blocks the call before Twitch sees it.",
        );
    }
}

/// Headers that the browser sets itself. Developer tools show them among the request
/// headers, but a script cannot send them, so they never cause a preflight.
const BROWSER_HEADERS: [&str; 22] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "cache-control",
    "connection",
    "content-length",
    "cookie",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "pragma",
    "priority",
    "referer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
];

/// Headers a page may send without a preflight (CORS-safelisted), apart from Content-Type.
const SAFELISTED_HEADERS: [&str; 3] = ["accept", "accept-language", "content-language"];

fn check_other_headers(request: &Request, target: &Target, report: &mut Report) {
    if !target.is_helix() && !target.is_id() {
        return;
    }
    let method = method_of(request);
    let has_body = !matches!(method.as_str(), "GET" | "HEAD" | "DELETE");

    let mut rejected = Vec::new();
    for (name, value) in request.headers.iter().take(super::MAX_HEADERS) {
        let lower = name.trim().to_ascii_lowercase();
        let browser_set = BROWSER_HEADERS.contains(&lower.as_str())
            || lower.starts_with("sec-")
            || lower.starts_with("proxy-");
        if browser_set || lower == "authorization" || lower == "client-id" {
            continue;
        }

        if lower == "accept" && value.to_ascii_lowercase().contains("vnd.twitchtv") {
            report.add(
                Code::KrakenHeader,
                format!("The request sends `Accept: {}`.", shorten(value.trim(), 60)),
            );
        } else if lower == "content-type" {
            if !has_body {
                report.add(
                    Code::ContentTypeOnGet,
                    format!(
                        "The {method} request sends `Content-Type: {}`, which makes the browser send a preflight first.",
                        shorten(value.trim(), 60)
                    ),
                );
            }
        } else if !SAFELISTED_HEADERS.contains(&lower.as_str()) {
            rejected.push(shorten(name.trim(), 40));
        }
    }

    if !rejected.is_empty() {
        let host = if target.is_id() {
            "id.twitch.tv"
        } else {
            "Helix"
        };
        report.add(
            Code::CorsHeader,
            format!(
                "The request sends {}; the preflight to {host} allows only Authorization and Client-Id, so the browser blocks the call.",
                rejected.join(", ")
            ),
        );
    }
}

fn check_token_differs(request: &Request, input: &Input, report: &mut Report) {
    let Some(typed) = input
        .token
        .as_deref()
        .filter(|token| !token.trim().is_empty())
    else {
        return;
    };
    let Some(value) = authorization(request) else {
        return;
    };
    let sent = value
        .split_once(' ')
        .map_or(value, |(_, credentials)| credentials);

    if strip_pasted(sent) != strip_pasted(clip(typed)) {
        report.add(
            Code::TokenDiffers,
            "The token in the Authorization header is not the one in the token field.",
        );
    }
}
