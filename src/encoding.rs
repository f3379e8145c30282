//! Percent-encoding for URLs and `application/x-www-form-urlencoded` bodies.
//!
//! Twitch's redirects use both `+` and `%20` for spaces and both `:` and `%3A` in scopes, and
//! refresh tokens may contain `%` and `/`, so every value crosses this module.

/// Encodes `value` for a query string or form body: unreserved characters stay, a space becomes
/// `%20`, every other byte becomes `%XX`.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());

    for byte in value.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }

    out
}

/// Builds `a=1&b=2` from pairs, encoding names and values.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A percent sequence that is cut short or not hexadecimal, or bytes that are not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError;

/// Decodes one form-encoded component: `+` is a space and `%XX` a byte.
pub fn decode_component(value: &str) -> Result<String, DecodeError> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;

    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(DecodeError)?;
                let hex = std::str::from_utf8(hex).map_err(|_| DecodeError)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| DecodeError)?);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }

    String::from_utf8(out).map_err(|_| DecodeError)
}

/// Splits `a=1&b=2` into decoded pairs. An empty segment is skipped and a name without `=` gets
/// an empty value.
pub fn decode_pairs(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
    text.split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            Ok((decode_component(name)?, decode_component(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_keeps_unreserved_and_escapes_rest() {
        assert_eq!(
            encode_component("user:read:email chat"),
            "user%3Aread%3Aemail%20chat"
        );
        assert_eq!(encode_component("a%b/c"), "a%25b%2Fc");
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn decode_accepts_plus_and_percent() {
        assert_eq!(
            decode_component("The+user+denied").unwrap(),
            "The user denied"
        );
        assert_eq!(
            decode_component("user%3Aread%3Achat").unwrap(),
            "user:read:chat"
        );
        assert_eq!(
            decode_component("user:read:chat").unwrap(),
            "user:read:chat"
        );
    }

    #[test]
    fn decode_rejects_bad_sequences() {
        for bad in ["%", "%4", "%zz", "%C3", "abc%"] {
            assert_eq!(decode_component(bad), Err(DecodeError), "input {bad:?}");
        }
    }

    #[test]
    fn round_trip_of_refresh_token_characters() {
        let token = "ab%2Fcd/ef%%/gh+ij";

        assert_eq!(decode_component(&encode_component(token)).unwrap(), token);
    }

    #[test]
    fn pairs_decode_with_missing_values() {
        let pairs = decode_pairs("a=1&&b&c=x%20y").unwrap();

        assert_eq!(
            pairs,
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), String::new()),
                ("c".to_owned(), "x y".to_owned()),
            ]
        );
    }
}
