//! Hostile-input corpus for the pure parsers: random mixes of the fragments that break parsers
//! (percent signs, repeated keys, huge and non-ASCII values, wrong JSON types). Every input must
//! give a value or a typed error, never a panic. The generator is seeded, so a failure repeats.

use crate::device::{poll_from_response, DeviceCode, TokenPair};
use crate::helix::{check_path, helix_error, helix_from_response, Page, User};
use crate::http::HttpResponse;
use crate::implicit::{clean_address, parse_redirect, PendingState};
use crate::record::SessionRecord;
use crate::revoke::revoke_from_response;
use crate::validate::ValidatedToken;

/// A xorshift64* generator: enough randomness for a corpus, no dependency.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Joins 0 to 11 random pieces.
    fn text(&mut self, pieces: &[&str]) -> String {
        let count = self.below(12);
        (0..count).map(|_| self.pick(pieces)).collect()
    }
}

const URL_PIECES: &[&str] = &[
    "https://example.github.io/app/",
    "?",
    "#",
    "&",
    "=",
    "access_token",
    "state",
    "scope",
    "error",
    "error_description",
    "token_type=bearer",
    "abcdefghijklmnopqrstuvwxyz0123",
    "%",
    "%2",
    "%zz",
    "%E0%A4",
    "%C3%A9",
    "+",
    "%20",
    "é",
    "🙂",
    "access_token=",
    "state=S",
    "error=access_denied",
    "\u{0}",
    " ",
    "\"",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-1",
    "0",
    "1e308",
    "-0.5",
    "18446744073709551616",
    "\"client_id\"",
    "\"login\"",
    "\"scopes\"",
    "\"expires_in\"",
    "\"version\"",
    "\"data\"",
    "\"message\"",
    "\"status\"",
    "\"access_token\"",
    "\"refresh_token\"",
    "\"pagination\"",
    "\"cursor\"",
    "\"device_code\"",
    "\"user_code\"",
    "\"verification_uri\"",
    "\"interval\"",
    "\"abc\"",
    "\"é\"",
    "\"\\u0000\"",
    "\\",
    "\"Invalid OAuth token\"",
    "\"Missing scope: x\"",
    "\"authorization_pending\"",
];

const STATUSES: [u16; 10] = [0, 200, 204, 301, 400, 401, 404, 429, 500, 999];

fn response(generator: &mut Generator) -> HttpResponse {
    let status = STATUSES[generator.below(STATUSES.len())];
    HttpResponse::new(status, generator.text(JSON_PIECES))
}

#[test]
fn hostile_inputs_never_panic() {
    let mut generator = Generator(0x9e37_79b9_7f4a_7c15);
    let rounds = 20_000;
    let mut typed_errors = 0u32;

    for _ in 0..rounds {
        let href = generator.text(URL_PIECES);
        let _ = parse_redirect(&href);
        let _ = clean_address(&href);
        let _ = check_path(&href);
        let _ = PendingState::new([7; 16], 0.0).check(&href, f64::NAN);

        let stored = generator.text(JSON_PIECES);
        typed_errors += u32::from(SessionRecord::from_storage(&stored).is_err());

        let answer = response(&mut generator);
        typed_errors += u32::from(ValidatedToken::from_response(&answer).is_err());
        let _ = helix_error(&answer);
        let _: Result<Page<User>, _> = helix_from_response(&answer);
        let _ = revoke_from_response(&answer);
        let _ = DeviceCode::from_response(&answer);
        let _ = TokenPair::from_response(&answer);
        let _ = poll_from_response(&answer);
    }

    println!("hostile input: {rounds} rounds of 12 parsers, {typed_errors} typed errors, 0 panics");
    assert!(typed_errors > rounds, "the corpus reaches the error paths");
}

#[test]
fn huge_values_are_rejected_or_parsed() {
    let megabyte = "a".repeat(1 << 20);
    let href = format!("https://example.github.io/#access_token={megabyte}&state=S");
    let stored = format!(r#"{{"version":1,"flow":"implicit","access_token":"{megabyte}"}}"#);
    let body = format!(r#"{{"client_id":"{megabyte}","expires_in":5}}"#);

    assert!(matches!(
        parse_redirect(&href),
        crate::implicit::Redirect::Error { .. }
    ));
    assert_eq!(
        SessionRecord::from_storage(&stored),
        Err(crate::error::Damage::Oversized)
    );
    assert!(ValidatedToken::from_response(&HttpResponse::new(200, body)).is_ok());
}
