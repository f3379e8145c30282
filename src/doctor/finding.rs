//! Findings, their codes and severities, and the report that merges and orders them.

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The call fails because of it.
    Error,
    /// Worth fixing, or the doctor could not check something.
    Warning,
    /// A summary of what is fine.
    Ok,
}

impl Severity {
    /// Returns the stable name: `error`, `warning` or `ok`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Ok => "ok",
        }
    }
}

/// The cause a finding names. Variants are declared in order of importance, so sorting by
/// code puts the most likely root cause first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The stored session record is not readable.
    SessionUnreadable,
    /// The token is empty.
    TokenEmpty,
    /// The token is shorter than when it was stored.
    TokenTruncated,
    /// The token differs from what was stored, in length or checksum.
    TokenAltered,
    /// The token contains characters no Twitch token has, or is far too long.
    TokenDamaged,
    /// The request goes to the removed v5 (Kraken) API.
    KrakenRemoved,
    /// The Authorization header carries the chat form `oauth:<token>`.
    ChatPrefix,
    /// The token expired or was revoked, by validate's or Helix's 401.
    TokenInvalid,
    /// The token belongs to another application's client id.
    ClientIdMismatch,
    /// Helix was sent `Authorization: OAuth`, which it does not accept.
    OauthScheme,
    /// The token value itself carries `oauth:`, `OAuth ` or `Bearer `.
    TokenPrefix,
    /// The token value has quotes or whitespace around it.
    TokenPadding,
    /// A Helix request without `Client-Id`.
    ClientIdMissing,
    /// `Client-Id` sent to id.twitch.tv, which fails the browser's preflight.
    ClientIdOnValidate,
    /// A header that the browser's CORS preflight to Twitch rejects.
    CorsHeader,
    /// The token lacks a scope the endpoint needs.
    ScopeMissing,
    /// Twitch received no usable token.
    TokenMissing,
    /// Another 401 from Twitch.
    Unauthorized,
    /// No session is stored in this browser.
    SessionMissing,
    /// The live validation could not be made.
    ValidationUnavailable,
    /// A 429 response from Twitch.
    RateLimited,
    /// A 5xx response from Twitch.
    ServerError,
    /// Another 4xx response from Twitch.
    HttpError,
    /// The request carries another token than the one examined.
    TokenDiffers,
    /// `Content-Type` on a request without a body, which forces a preflight.
    ContentTypeOnGet,
    /// A header of the removed v5 API.
    KrakenHeader,
    /// The token does not look like a Twitch access token.
    TokenShape,
    /// Nothing was given to examine.
    InputEmpty,
    /// Twitch confirmed the token; the summary of it.
    TokenValid,
    /// No known cause was found in what was given.
    NothingFound,
}

impl Code {
    /// Returns the stable snake_case identifier, for scripts and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SessionUnreadable => "session_unreadable",
            Code::TokenEmpty => "token_empty",
            Code::TokenTruncated => "token_truncated",
            Code::TokenAltered => "token_altered",
            Code::TokenDamaged => "token_damaged",
            Code::TokenInvalid => "token_invalid",
            Code::KrakenRemoved => "kraken_removed",
            Code::ClientIdMismatch => "client_id_mismatch",
            Code::ChatPrefix => "chat_prefix",
            Code::OauthScheme => "oauth_scheme",
            Code::TokenPrefix => "token_prefix",
            Code::TokenPadding => "token_padding",
            Code::ClientIdMissing => "client_id_missing",
            Code::ClientIdOnValidate => "client_id_on_validate",
            Code::CorsHeader => "cors_header",
            Code::ScopeMissing => "scope_missing",
            Code::TokenMissing => "token_missing",
            Code::Unauthorized => "unauthorized",
            Code::SessionMissing => "session_missing",
            Code::ValidationUnavailable => "validation_unavailable",
            Code::RateLimited => "rate_limited",
            Code::ServerError => "server_error",
            Code::HttpError => "http_error",
            Code::TokenDiffers => "token_differs",
            Code::ContentTypeOnGet => "content_type_on_get",
            Code::KrakenHeader => "kraken_header",
            Code::TokenShape => "token_shape",
            Code::InputEmpty => "input_empty",
            Code::TokenValid => "token_valid",
            Code::NothingFound => "nothing_found",
        }
    }

    /// Returns how bad a finding with this code is.
    pub fn severity(self) -> Severity {
        if self >= Code::TokenValid {
            Severity::Ok
        } else if self >= Code::SessionMissing {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Returns the title of a finding with this code.
    pub fn title(self) -> &'static str {
        match self {
            Code::SessionUnreadable => "The stored session is not readable",
            Code::TokenEmpty => "The token is empty",
            Code::TokenTruncated => "The token was cut short in storage",
            Code::TokenAltered => "The token was altered in storage",
            Code::TokenDamaged => "The token contains characters no Twitch token has",
            Code::TokenInvalid => "The token expired or was revoked",
            Code::KrakenRemoved => "The request goes to the removed Kraken API",
            Code::ClientIdMismatch => "The token belongs to another application",
            Code::ChatPrefix => "The Authorization header carries the chat prefix oauth:",
            Code::OauthScheme => "Helix was sent the OAuth scheme",
            Code::TokenPrefix => "The token value carries a prefix",
            Code::TokenPadding => "The token value has quotes or whitespace around it",
            Code::ClientIdMissing => "The request has no Client-Id",
            Code::ClientIdOnValidate => "Client-Id was sent to id.twitch.tv",
            Code::CorsHeader => "A header breaks the browser's CORS preflight",
            Code::ScopeMissing => "The token lacks a scope the endpoint needs",
            Code::TokenMissing => "Twitch received no usable token",
            Code::Unauthorized => "Twitch rejected the request with 401",
            Code::SessionMissing => "No session is stored in this browser",
            Code::ValidationUnavailable => "The token could not be checked with Twitch",
            Code::RateLimited => "Twitch's rate limit was reached",
            Code::ServerError => "Twitch had a server error",
            Code::HttpError => "Twitch rejected the request",
            Code::TokenDiffers => "The request carries another token",
            Code::ContentTypeOnGet => "Content-Type on a request without a body",
            Code::KrakenHeader => "The request carries a header of the removed Kraken API",
            Code::TokenShape => "The token does not look like a Twitch access token",
            Code::InputEmpty => "Nothing to check",
            Code::TokenValid => "The token is valid",
            Code::NothingFound => "No problem found",
        }
    }

    /// Returns the fix for a finding with this code, in one sentence.
    ///
    /// Some findings replace it with a sentence that names the value to use.
    pub fn fix(self) -> &'static str {
        match self {
            Code::SessionUnreadable => "Sign in again; the new session replaces the unreadable record.",
            Code::TokenEmpty => "Paste the access token itself, or sign in again to get one.",
            Code::TokenTruncated => {
                "Sign in again, and store the token in a field that keeps all its characters."
            }
            Code::TokenAltered => "Sign in again, and check what rewrites the stored token.",
            Code::TokenDamaged => "Copy the token again without the text around it, or sign in again.",
            Code::TokenInvalid => "Sign in again to get a new token.",
            Code::KrakenRemoved => {
                "Call the matching Helix endpoint with `Authorization: Bearer <token>` and `Client-Id`."
            }
            Code::ClientIdMismatch => {
                "Send the client id that issued the token, or sign in again with this application's client id."
            }
            Code::ChatPrefix => "Send the bare token; `oauth:<token>` is only the Twitch chat (IRC) password.",
            Code::OauthScheme => {
                "Send `Authorization: Bearer <token>` to Helix; `OAuth` is only for id.twitch.tv/oauth2/validate."
            }
            Code::TokenPrefix => {
                "Store and send the bare token; the scheme belongs in the Authorization header, not in the token."
            }
            Code::TokenPadding => "Remove the quotes and whitespace around the token before storing or sending it.",
            Code::ClientIdMissing => "Send `Client-Id: <client id>` with every Helix request.",
            Code::ClientIdOnValidate => {
                "Send only `Authorization: OAuth <token>` to id.twitch.tv/oauth2/validate."
            }
            Code::CorsHeader => "Remove the header; Twitch's preflight allows only Authorization and Client-Id.",
            Code::ScopeMissing => "Sign in again and grant the missing scope.",
            Code::TokenMissing => {
                "Send `Authorization: Bearer <token>` to Helix, or `Authorization: OAuth <token>` to validate."
            }
            Code::Unauthorized => "Validate the token, and compare the request with the Helix reference.",
            Code::SessionMissing => "Sign in first, or paste the token into the doctor.",
            Code::ValidationUnavailable => {
                "Try again later; a failed check says nothing about whether the token is valid."
            }
            Code::RateLimited => "Wait a minute before sending more requests; the token is not at fault.",
            Code::ServerError => "Try again later; a 5xx response does not mean the token is invalid.",
            Code::HttpError => "Check the request parameters against the Helix reference.",
            Code::TokenDiffers => "Check which token the request sends; the other findings are about the token field.",
            Code::ContentTypeOnGet => "Remove Content-Type from requests that have no body.",
            Code::KrakenHeader => "Remove the v5 Accept header; Helix ignores it.",
            Code::TokenShape => {
                "Check that this is the access token, not a refresh token, client id or client secret."
            }
            Code::InputEmpty => "Paste a token, the request that failed or the response Twitch sent.",
            Code::TokenValid | Code::NothingFound => "Nothing to fix.",
        }
    }
}

/// One diagnosis: a cause, the evidence for it and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// The cause.
    pub code: Code,
    /// Title: the cause in a few words.
    pub title: String,
    /// Evidence: the part of the input that shows the cause.
    pub evidence: String,
    /// The fix, in one sentence.
    pub fix: String,
}

/// Findings collected while examining the input, at most one per code, kept in code order.
#[derive(Debug, Default)]
pub(super) struct Report {
    findings: Vec<Finding>,
}

impl Report {
    /// Adds evidence for `code` with the code's own fix.
    pub(super) fn add(&mut self, code: Code, evidence: impl Into<String>) {
        self.add_with_fix(code, evidence, code.fix());
    }

    /// Adds evidence for `code` with a fix that names the value to use.
    ///
    /// When `code` was found before, the evidence is appended to that finding and its first
    /// fix is kept.
    pub(super) fn add_with_fix(
        &mut self,
        code: Code,
        evidence: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let evidence = evidence.into();

        if let Some(existing) = self.findings.iter_mut().find(|found| found.code == code) {
            if !existing.evidence.contains(&evidence) {
                existing.evidence.push(' ');
                existing.evidence.push_str(&evidence);
            }
            return;
        }

        // Keeping the list in code order as it grows costs less code than sorting it.
        let position = self
            .findings
            .iter()
            .position(|found| found.code > code)
            .unwrap_or(self.findings.len());
        self.findings.insert(
            position,
            Finding {
                severity: code.severity(),
                code,
                title: code.title().to_owned(),
                evidence,
                fix: fix.into(),
            },
        );
    }

    pub(super) fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Returns the findings in order of importance.
    pub(super) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
