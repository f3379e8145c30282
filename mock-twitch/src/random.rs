//! A small xorshift64* generator for tokens and codes.
//!
//! The values only need to be unpredictable enough that two test runs do not collide, so the
//! generator is seeded from the clock, the process id and a process-wide counter. It is not
//! cryptographically secure, which is fine for a mock that never guards real accounts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Lower-case letters and digits, the alphabet of Twitch access tokens.
pub const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Letters of both cases and digits.
pub const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Upper-case letters, the alphabet of device-flow user codes.
pub const UPPER_LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Upper-case hexadecimal digits.
pub const HEX_DIGITS: &[u8] = b"0123456789ABCDEF";

static SEED_COUNTER: AtomicU64 = AtomicU64::new(0);

/// xorshift64* state.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeds a generator from the clock, the process id and a counter, so that generators
    /// created in the same nanosecond still differ.
    pub fn from_clock() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos() as u64)
            .unwrap_or(0);
        let count = SEED_COUNTER.fetch_add(1, Ordering::Relaxed);
        let seed = nanos
            ^ (u64::from(std::process::id()) << 32)
            ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15);

        // xorshift never leaves the all-zero state, so avoid it.
        Self(if seed == 0 {
            0x2545_F491_4F6C_DD1D
        } else {
            seed
        })
    }

    /// Returns the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Returns a number in `0..bound`. `bound` must not be 0.
    pub fn below(&mut self, bound: usize) -> usize {
        // The modulo bias is below 2^-50 for the small bounds used here.
        (self.next_u64() % bound as u64) as usize
    }

    /// Returns `length` characters drawn from `alphabet`, which must be ASCII and not empty.
    pub fn string(&mut self, alphabet: &[u8], length: usize) -> String {
        (0..length)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_use_only_the_alphabet() {
        let mut rng = Rng::from_clock();
        let token = rng.string(LOWER_ALPHANUMERIC, 30);
        assert_eq!(token.len(), 30);
        assert!(token.bytes().all(|byte| LOWER_ALPHANUMERIC.contains(&byte)));
    }

    #[test]
    fn two_generators_differ() {
        let mut first = Rng::from_clock();
        let mut second = Rng::from_clock();
        assert_ne!(
            first.string(ALPHANUMERIC, 20),
            second.string(ALPHANUMERIC, 20)
        );
    }
}
