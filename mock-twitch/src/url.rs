//! Percent-encoding and `application/x-www-form-urlencoded` parsing.

/// Decoded name-value pairs of a query string or form body, in their original order.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `a=1&b=two+words`. `+` decodes to a space, and a pair without `=` has an empty
    /// value.
    pub fn parse(input: &str) -> Self {
        let mut pairs = Vec::new();
        for part in input.split('&').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((percent_decode(name, true), percent_decode(value, true)));
        }
        Self(pairs)
    }

    /// Parses a form body, replacing invalid UTF-8 with U+FFFD.
    pub fn parse_bytes(body: &[u8]) -> Self {
        Self::parse(&String::from_utf8_lossy(body))
    }

    /// Returns the first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns the first value of `name` unless it is missing or empty.
    pub fn get_non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.is_empty())
    }

    /// Returns every value of `name`, in order.
    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_is_space` is set.
///
/// A `%` that does not start a valid escape stays as it is, as in the WHATWG URL standard.
/// Invalid UTF-8 in the result becomes U+FFFD.
pub fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;

    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let high = bytes.get(index + 1).and_then(|digit| hex_value(*digit));
            let low = bytes.get(index + 2).and_then(|digit| hex_value(*digit));
            if let (Some(high), Some(low)) = (high, low) {
                decoded.push(high * 16 + low);
                index += 3;
                continue;
            }
        }

        if byte == b'+' && plus_is_space {
            decoded.push(b' ');
        } else {
            decoded.push(byte);
        }
        index += 1;
    }

    String::from_utf8_lossy(&decoded).into_owned()
}

/// Percent-encodes every byte except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), as JavaScript's `encodeURIComponent` does for ASCII. A space
/// becomes `%20` and `:` becomes `%3A`.
pub fn encode_component(input: &str) -> String {
    let mut encoded = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_handles_plus_and_escapes() {
        let params = Params::parse("a=one+two&token=ab%2Fc%25d%2&empty&b=%zz");
        assert_eq!(params.get("a"), Some("one two"));
        assert_eq!(params.get("token"), Some("ab/c%d%2"));
        assert_eq!(params.get("empty"), Some(""));
        assert_eq!(params.get("b"), Some("%zz"));
        assert_eq!(params.get("missing"), None);
    }

    #[test]
    fn repeated_names_keep_their_order() {
        let params = Params::parse("id=1&login=x&id=2");
        assert_eq!(params.get_all("id"), vec!["1", "2"]);
    }

    #[test]
    fn component_encoding_escapes_reserved_bytes() {
        assert_eq!(
            encode_component("user:read:email chat:read"),
            "user%3Aread%3Aemail%20chat%3Aread"
        );
        assert_eq!(encode_component("a+b/c%d~e"), "a%2Bb%2Fc%25d~e");
        assert_eq!(encode_component("é"), "%C3%A9");
    }
}
