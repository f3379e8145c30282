//! Helix rate limiting: a bucket of 800 points a minute per client id and user, one point
//! per request, reported in `Ratelimit-*` headers.

use std::collections::HashMap;

use crate::http::Response;

/// Points in a full bucket, as Twitch gives user tokens.
pub const LIMIT: u32 = 800;

/// Length of one bucket window in milliseconds.
const WINDOW_MS: u64 = 60_000;

/// The bucket state after one request.
#[derive(Debug, Clone, Copy)]
pub struct RateStatus {
    /// Whether the request may proceed.
    pub allowed: bool,
    pub remaining: u32,
    /// When the bucket refills, in Unix seconds.
    pub reset_unix_secs: u64,
}

impl RateStatus {
    /// Adds `Ratelimit-Limit`, `Ratelimit-Remaining` and `Ratelimit-Reset`. Twitch does not
    /// list them in `Access-Control-Expose-Headers`, so page scripts cannot read them.
    pub fn apply(&self, response: Response) -> Response {
        response
            .with_header("Ratelimit-Limit", &LIMIT.to_string())
            .with_header("Ratelimit-Remaining", &self.remaining.to_string())
            .with_header("Ratelimit-Reset", &self.reset_unix_secs.to_string())
    }
}

#[derive(Debug)]
struct Bucket {
    window_start_ms: u64,
    used: u32,
}

/// Buckets keyed by client id and user id.
#[derive(Debug, Default)]
pub struct RateLimits {
    buckets: HashMap<(String, String), Bucket>,
}

impl RateLimits {
    /// Takes one point from the bucket of this client and user.
    pub fn take(&mut self, client_id: &str, user_id: &str, now_ms: u64) -> RateStatus {
        let key = (client_id.to_string(), user_id.to_string());
        let bucket = self.buckets.entry(key).or_insert(Bucket {
            window_start_ms: now_ms,
            used: 0,
        });
        if now_ms >= bucket.window_start_ms + WINDOW_MS {
            bucket.window_start_ms = now_ms;
            bucket.used = 0;
        }

        let allowed = bucket.used < LIMIT;
        if allowed {
            bucket.used += 1;
        }
        RateStatus {
            allowed,
            remaining: LIMIT - bucket.used,
            reset_unix_secs: (bucket.window_start_ms + WINDOW_MS) / 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_and_refills() {
        let mut limits = RateLimits::default();
        for expected in (0..LIMIT).rev() {
            let status = limits.take("c", "u", 1_000);
            assert!(status.allowed);
            assert_eq!(status.remaining, expected);
            assert_eq!(status.reset_unix_secs, 61);
        }
        assert!(!limits.take("c", "u", 2_000).allowed);
        assert!(limits.take("c", "other", 2_000).allowed);
        assert!(limits.take("c", "u", 61_000).allowed);
    }
}
