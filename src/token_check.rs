//! Checks that tell a damaged token from an opaque one.
//!
//! Twitch tokens are opaque strings. Every recent access token has been 30 characters of
//! `[a-z0-9]`, but that is an observation, so shape alone never rejects a token here. What does
//! reject it is damage no Twitch token has: emptiness, whitespace, quotes, control or non-ASCII
//! characters, or a length over 1 KiB.

/// Largest token accepted, in bytes. Refresh tokens are about 50 characters.
pub const MAX_TOKEN_LEN: usize = 1024;

/// Damage found in a token string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Empty or only whitespace.
    Empty,
    /// Contains whitespace, a quote, a control character or a non-ASCII character.
    BadCharacter,
    /// Longer than [`MAX_TOKEN_LEN`].
    TooLong,
}

/// Checks a token for damage.
pub fn check_token(token: &str) -> Result<(), TokenProblem> {
    if token.trim().is_empty() {
        return Err(TokenProblem::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenProblem::TooLong);
    }
    let damaged = token
        .chars()
        .any(|c| !c.is_ascii_graphic() || matches!(c, '"' | '\'' | '\\'));
    if damaged {
        return Err(TokenProblem::BadCharacter);
    }
    Ok(())
}

/// Tells whether a token has the shape of every recent Twitch access token: 30 characters of
/// lower-case letters and digits. Only for warnings.
pub fn looks_like_access_token(token: &str) -> bool {
    token.len() == 30
        && token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Returns the fingerprint stored beside a token: its length and a 32-bit FNV-1a hash, as
/// `30:1a2b3c4d`. A mismatch on reading means the stored token was cut short or altered.
///
/// The hash detects accidents, not attacks: anyone who can write storage can write both.
pub fn fingerprint(token: &str) -> String {
    let hash = token.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{}:{hash:08x}", token.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_is_detected() {
        assert_eq!(check_token(""), Err(TokenProblem::Empty));
        assert_eq!(check_token("  \t"), Err(TokenProblem::Empty));
        assert_eq!(check_token("abc def"), Err(TokenProblem::BadCharacter));
        assert_eq!(check_token("\"abc\""), Err(TokenProblem::BadCharacter));
        assert_eq!(check_token("abcé"), Err(TokenProblem::BadCharacter));
        assert_eq!(check_token("abc\u{0}"), Err(TokenProblem::BadCharacter));
        assert_eq!(
            check_token(&"a".repeat(MAX_TOKEN_LEN + 1)),
            Err(TokenProblem::TooLong)
        );
    }

    #[test]
    fn opaque_tokens_pass() {
        assert_eq!(check_token("abcdefghijklmnopqrstuvwxyz0123"), Ok(()));
        assert_eq!(check_token("ABC-def_123"), Ok(()));
        assert_eq!(check_token("a1b2c3%2Fd4/e5"), Ok(()));
    }

    #[test]
    fn shape_warning_is_separate_from_damage() {
        assert!(looks_like_access_token("abcdefghijklmnopqrstuvwxyz0123"));
        assert!(!looks_like_access_token("abcdefghijklmnopqrstu"));
        assert!(!looks_like_access_token("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"));
    }

    #[test]
    fn fingerprint_changes_when_token_is_cut() {
        let full = fingerprint("abcdefghijklmnopqrstuvwxyz0123");

        assert!(full.starts_with("30:"));
        assert_ne!(fingerprint("abcdefghijklmnopqrstu"), full);
        assert_ne!(fingerprint("abcdefghijklmnopqrstuvwxyz0124"), full);
        assert_eq!(fingerprint("abcdefghijklmnopqrstuvwxyz0123"), full);
    }
}
