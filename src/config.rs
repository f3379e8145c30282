//! Settings of a [`Client`](crate::Client).

use crate::Error;

/// Base URL of Twitch's OAuth endpoints.
pub const TWITCH_ID_BASE: &str = "https://id.twitch.tv/oauth2";
/// Base URL of the Helix API.
pub const TWITCH_HELIX_BASE: &str = "https://api.twitch.tv/helix";

/// Settings for sign-in, storage and Helix calls.
///
/// Tokens are sent only to the origins of `id_base` and `helix_base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Client id of the app registered in the Twitch developer console.
    pub client_id: String,
    /// Redirect URI registered for the app. `None` means the current page address without
    /// query and fragment.
    pub redirect_uri: Option<String>,
    /// Scopes to request at sign-in.
    pub scopes: Vec<String>,
    /// Show Twitch's consent screen even when the user approved the app before.
    pub force_verify: bool,
    /// Base URL of the OAuth endpoints, `https://id.twitch.tv/oauth2` by default.
    pub id_base: String,
    /// Base URL of Helix, `https://api.twitch.tv/helix` by default.
    pub helix_base: String,
    /// Prefix of the `localStorage` and `sessionStorage` keys.
    pub storage_prefix: String,
    /// Timeout of each request, in milliseconds.
    pub timeout_ms: u32,
    /// How many times a Helix GET is retried after a 429, a 5xx or a network error.
    pub max_retries: u32,
    /// First retry delay in milliseconds; later delays double, up to 30 s, with jitter.
    pub retry_base_ms: u32,
    /// Time between validations of a kept session, in milliseconds. Twitch requires at least
    /// one an hour, so this is at most 3,600,000 (the default). Tests shorten it.
    pub validate_interval_ms: u32,
}

impl Config {
    /// Creates a configuration for real Twitch with the defaults.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            redirect_uri: None,
            scopes: Vec::new(),
            force_verify: false,
            id_base: TWITCH_ID_BASE.to_owned(),
            helix_base: TWITCH_HELIX_BASE.to_owned(),
            storage_prefix: "twitch-wasm-auth:".to_owned(),
            timeout_ms: 10_000,
            max_retries: 3,
            retry_base_ms: 1_000,
            validate_interval_ms: 3_600_000,
        }
    }

    /// Checks the settings that would otherwise fail later with a confusing error.
    pub fn check(&self) -> Result<(), Error> {
        let client_id_ok =
            !self.client_id.is_empty() && self.client_id.chars().all(|c| c.is_ascii_alphanumeric());
        if !client_id_ok {
            return Err(Error::Config {
                reason: format!(
                    "client id {:?} is empty or not alphanumeric",
                    self.client_id
                ),
            });
        }

        if self.validate_interval_ms == 0 || self.validate_interval_ms > 3_600_000 {
            return Err(Error::Config {
                reason: format!(
                    "validate interval {} ms is outside 1 to 3600000 ms; Twitch requires a validation at least every hour",
                    self.validate_interval_ms
                ),
            });
        }

        for base in [&self.id_base, &self.helix_base] {
            if origin_of(base).is_none() {
                return Err(Error::Config {
                    reason: format!("{base:?} is not an absolute http(s) URL"),
                });
            }
        }

        Ok(())
    }

    /// Tells whether `url` belongs to one of the two origins a token may be sent to.
    pub fn is_twitch_url(&self, url: &str) -> bool {
        let Some(origin) = origin_of(url) else {
            return false;
        };
        [&self.id_base, &self.helix_base]
            .into_iter()
            .any(|base| origin_of(base) == Some(origin))
    }

    /// Returns the key under which the session record is stored.
    pub fn session_key(&self) -> String {
        format!("{}session", self.storage_prefix)
    }

    /// Returns the key under which a pending sign-in's state is stored.
    pub fn state_key(&self) -> String {
        format!("{}state", self.storage_prefix)
    }
}

/// Returns `scheme://host[:port]` of an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_len == 0 || rest[..host_len].contains('@') {
        return None;
    }
    Some(&url[..url.len() - rest.len() + host_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_of_cuts_path_query_and_fragment() {
        assert_eq!(
            origin_of("https://id.twitch.tv/oauth2"),
            Some("https://id.twitch.tv")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080?x"),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("https://user@evil.example/"), None);
        assert_eq!(origin_of("ftp://id.twitch.tv/"), None);
        assert_eq!(origin_of("https:///path"), None);
    }

    #[test]
    fn twitch_url_matches_only_configured_origins() {
        let config = Config::new("ourclientid0000000000000000001");

        assert!(config.is_twitch_url("https://api.twitch.tv/helix/users"));
        assert!(config.is_twitch_url("https://id.twitch.tv/oauth2/validate"));
        assert!(!config.is_twitch_url("https://api.twitch.tv.evil.example/helix/users"));
        assert!(!config.is_twitch_url("http://api.twitch.tv/helix/users"));
    }

    #[test]
    fn check_rejects_bad_client_id_and_bases() {
        assert!(Config::new("ourclientid0000000000000000001")
            .check()
            .is_ok());
        assert_eq!(Config::new("").check().unwrap_err().code(), "config");
        assert_eq!(
            Config::new("has space").check().unwrap_err().code(),
            "config"
        );

        let mut config = Config::new("abc");
        config.helix_base = "/helix".to_owned();
        assert_eq!(config.check().unwrap_err().code(), "config");

        let mut config = Config::new("abc");
        config.validate_interval_ms = 3_600_001;
        assert_eq!(config.check().unwrap_err().code(), "config");
    }
}
