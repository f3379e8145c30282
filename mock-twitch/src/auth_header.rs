//! Parsing of the `Authorization` request header.

/// The credential in an `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
pub enum Credential<'a> {
    /// No header, an empty one, or a scheme without a token.
    Missing,
    /// `OAuth <token>`, the form Twitch documents for validate.
    OAuth(&'a str),
    /// `Bearer <token>`, the form Helix requires.
    Bearer(&'a str),
    /// Any other scheme, or a bare value without a scheme.
    Other,
}

/// Parses an `Authorization` header value. Scheme names match case-insensitively.
pub fn parse_credential(header: Option<&str>) -> Credential<'_> {
    let value = header.unwrap_or("").trim();
    if value.is_empty() {
        return Credential::Missing;
    }

    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    let token = token.trim();
    let is_oauth = scheme.eq_ignore_ascii_case("oauth");
    let is_bearer = scheme.eq_ignore_ascii_case("bearer");

    match (is_oauth, is_bearer, token.is_empty()) {
        (true, _, true) | (_, true, true) => Credential::Missing,
        (true, _, false) => Credential::OAuth(token),
        (_, true, false) => Credential::Bearer(token),
        _ => Credential::Other,
    }
}

/// Returns the scheme word of a header, as sent, when it is `OAuth` or `Bearer` in any
/// case. Any other first word is withheld, because a bare token has no scheme and its first
/// word would be the token itself.
pub fn scheme_for_log(header: Option<&str>) -> Option<String> {
    let scheme = header?.split_whitespace().next()?;
    let known = scheme.eq_ignore_ascii_case("oauth") || scheme.eq_ignore_ascii_case("bearer");
    known.then(|| scheme.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schemes() {
        assert_eq!(parse_credential(None), Credential::Missing);
        assert_eq!(parse_credential(Some("  ")), Credential::Missing);
        assert_eq!(parse_credential(Some("OAuth")), Credential::Missing);
        assert_eq!(parse_credential(Some("Bearer   ")), Credential::Missing);
        assert_eq!(
            parse_credential(Some("OAuth abc")),
            Credential::OAuth("abc")
        );
        assert_eq!(
            parse_credential(Some("bearer abc")),
            Credential::Bearer("abc")
        );
        assert_eq!(parse_credential(Some("Basic abc")), Credential::Other);
        assert_eq!(parse_credential(Some("abc")), Credential::Other);
    }

    #[test]
    fn log_scheme_never_shows_a_bare_token() {
        assert_eq!(
            scheme_for_log(Some("Bearer abc")).as_deref(),
            Some("Bearer")
        );
        assert_eq!(scheme_for_log(Some("oauth abc")).as_deref(), Some("oauth"));
        assert_eq!(scheme_for_log(Some("abcdefghijklmnopqrstuvwxyz0123")), None);
        assert_eq!(scheme_for_log(None), None);
    }
}
