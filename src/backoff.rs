//! Retry delays: capped exponential backoff with jitter.
//!
//! Browsers cannot read Helix's `Ratelimit-Reset` header (Twitch does not expose it to page
//! scripts), so a 429 is retried on this schedule too.

/// Maximum single delay, in milliseconds.
pub const MAX_DELAY_MS: u32 = 30_000;

/// Returns the delay before retry number `attempt` (0 for the first retry).
///
/// The delay is `base_ms * 2^attempt`, capped at [`MAX_DELAY_MS`], then scaled by a factor
/// between 0.5 and 1.0 taken from `jitter` (a random number in `[0, 1)`), so tabs that failed
/// together do not retry together. A `jitter` outside that range, NaN included, counts as 0.5.
pub fn retry_delay_ms(attempt: u32, base_ms: u32, jitter: f64) -> u32 {
    let exponential = u64::from(base_ms).saturating_mul(1u64 << attempt.min(30));
    let capped = exponential.min(u64::from(MAX_DELAY_MS)) as f64;

    let jitter = if (0.0..1.0).contains(&jitter) {
        jitter
    } else {
        0.5
    };
    (capped * (0.5 + jitter / 2.0)) as u32
}

/// Returns the delay before retrying a 429: until `ratelimit_reset` (Unix seconds) when the
/// browser could read that header, else the backoff of [`retry_delay_ms`]. Either way the
/// delay is capped at [`MAX_DELAY_MS`], and a reset in the past or not finite falls back to
/// the backoff.
pub fn rate_limit_delay_ms(
    ratelimit_reset: Option<f64>,
    now_ms: f64,
    attempt: u32,
    base_ms: u32,
    jitter: f64,
) -> u32 {
    let until_reset = ratelimit_reset
        .map(|reset| reset * 1000.0 - now_ms)
        .filter(|delay| delay.is_finite() && *delay > 0.0);

    match until_reset {
        Some(delay) => delay.min(f64::from(MAX_DELAY_MS)) as u32,
        None => retry_delay_ms(attempt, base_ms, jitter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_then_cap() {
        assert_eq!(retry_delay_ms(0, 1000, 0.0), 500);
        assert_eq!(retry_delay_ms(1, 1000, 0.0), 1000);
        assert_eq!(retry_delay_ms(2, 1000, 0.999_999), 3999);
        assert_eq!(retry_delay_ms(10, 1000, 0.0), MAX_DELAY_MS / 2);
        assert_eq!(
            retry_delay_ms(u32::MAX, u32::MAX, 0.999_999),
            MAX_DELAY_MS - 1
        );
    }

    #[test]
    fn rate_limit_waits_for_reset_when_readable() {
        let now = 1_700_000_000_000.0;

        assert_eq!(
            rate_limit_delay_ms(Some(1_700_000_002.0), now, 0, 1000, 0.0),
            2000
        );
        assert_eq!(
            rate_limit_delay_ms(Some(1_700_000_100.0), now, 0, 1000, 0.0),
            MAX_DELAY_MS
        );
        assert_eq!(
            rate_limit_delay_ms(Some(1_600_000_000.0), now, 0, 1000, 0.0),
            500
        );
        assert_eq!(rate_limit_delay_ms(Some(f64::NAN), now, 1, 1000, 0.0), 1000);
        assert_eq!(rate_limit_delay_ms(None, now, 2, 1000, 0.0), 2000);
    }

    #[test]
    fn bad_jitter_is_tamed() {
        for jitter in [f64::NAN, f64::INFINITY, -1.0, 1.0, 7.0] {
            assert_eq!(retry_delay_ms(0, 1000, jitter), 750, "jitter {jitter}");
        }
        assert_eq!(retry_delay_ms(0, 0, 0.3), 0);
    }
}
