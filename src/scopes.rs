//! The scopes each Helix endpoint needs, and the guard that stops a call the token cannot make.
//!
//! The table lives in `scopes.tsv`, one endpoint a line: method, path under `/helix`, and the
//! scopes separated by `|`, any one of which suffices (`-` for none). The first scope listed
//! is the one to ask for. Endpoints missing from the table are unknown: the guard lets them
//! through and Twitch decides.
//!
//! Source: Twitch's API reference (<https://dev.twitch.tv/docs/api/reference>) and scope list
//! (<https://dev.twitch.tv/docs/authentication/scopes/>), cross-checked against the endpoint
//! definitions of twitchdev/twitch-cli and twitch-rs/twitch_api. Where those list different
//! scopes for an endpoint, the row lists all of them, so the guard never stops a call that
//! Twitch would accept. Endpoints whose scope is optional or could not be confirmed are left
//! out.

use crate::Error;

/// The endpoint table, embedded at build time.
const TABLE: &str = include_str!("scopes.tsv");

/// One endpoint of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    method: &'static str,
    path: &'static str,
    /// Scopes separated by `|`, or `-` for none.
    scopes: &'static str,
}

impl Row {
    fn scope_list(&self) -> Vec<&'static str> {
        if self.scopes == "-" {
            return Vec::new();
        }
        self.scopes.split('|').collect()
    }
}

/// Parses one data line: three tab-separated, non-empty columns.
fn parse_row(line: &'static str) -> Result<Row, String> {
    let columns: Vec<&'static str> = line.split('\t').collect();
    let [method, path, scopes] = columns.as_slice() else {
        return Err(format!("expected 3 tab-separated columns in {line:?}"));
    };
    if method.is_empty() || !path.starts_with('/') || scopes.is_empty() {
        return Err(format!("empty method, path or scopes in {line:?}"));
    }
    Ok(Row {
        method,
        path,
        scopes,
    })
}

/// Iterates over the data lines of the table, skipping comments and blank lines.
fn data_lines() -> impl Iterator<Item = &'static str> {
    TABLE
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

fn rows() -> impl Iterator<Item = Row> {
    data_lines().filter_map(|line| parse_row(line).ok())
}

/// Returns the endpoint path under `/helix`, without slashes at either end, from a path
/// (`users`, `/helix/users`) or a whole URL (`https://api.twitch.tv/helix/users?id=1`).
///
/// Query and fragment are dropped. Without a `helix` segment the path is taken as it is.
pub fn helix_path(path_or_url: &str) -> &str {
    let mut path = path_or_url.trim();

    if let Some(scheme_end) = path.find("://") {
        let after_scheme = &path[scheme_end + 3..];
        path = after_scheme
            .find('/')
            .map_or("", |slash| &after_scheme[slash..]);
    }
    if let Some(end) = path.find(['?', '#']) {
        path = &path[..end];
    }
    path = path.trim_matches('/');

    let mut offset = 0;
    for segment in path.split('/') {
        offset += segment.len() + 1;
        if segment.eq_ignore_ascii_case("helix") {
            return path.get(offset.min(path.len())..).unwrap_or("");
        }
    }
    path
}

/// Returns the scopes that `method` on `path` accepts, any one of which suffices, or `None`
/// when the endpoint is not in the table.
///
/// `path` may be a path or a whole URL, as [`helix_path`] takes it. An empty list means the
/// endpoint needs no scope.
pub fn required_scopes(method: &str, path: &str) -> Option<Vec<&'static str>> {
    let requested = helix_path(path);
    let method = method.trim();

    rows()
        .find(|row| {
            row.method.eq_ignore_ascii_case(method)
                && row
                    .path
                    .trim_start_matches('/')
                    .eq_ignore_ascii_case(requested)
        })
        .map(|row| row.scope_list())
}

/// Returns the scope to name in an error when `granted` contains none of the scopes that
/// `method` on `path` accepts: the first one the table lists.
///
/// Returns `None` when a granted scope suffices, the endpoint needs no scope, or the endpoint
/// is not in the table.
pub fn missing_scope(method: &str, path: &str, granted: &[String]) -> Option<String> {
    let accepted = required_scopes(method, path)?;
    let satisfied = accepted.is_empty()
        || accepted
            .iter()
            .any(|scope| granted.iter().any(|have| have == scope));
    if satisfied {
        return None;
    }
    accepted.first().map(|scope| (*scope).to_owned())
}

/// Checks, before sending, that a session with `granted` scopes may call `method` on `path`.
///
/// Fails with [`Error::MissingScope`] naming the scope to ask for, so the caller can offer a
/// sign-in with that scope instead of spending a request on a sure 401. Unknown endpoints pass.
pub fn check_scopes(method: &str, path: &str, granted: &[String]) -> Result<(), Error> {
    match missing_scope(method, path, granted) {
        Some(scope) => Err(Error::MissingScope { scope }),
        None => Ok(()),
    }
}

/// Tells whether `scope` is written like a Twitch scope: two or three lower-case words joined
/// by `:` (`moderator:read:chatters`), or one of the forms older scopes took (`openid`, and the
/// v5 names such as `channel_read`).
pub fn is_scope_name(scope: &str) -> bool {
    let word_ok = |word: &str| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };

    let words: Vec<&str> = scope.split(':').collect();
    if (2..=3).contains(&words.len()) {
        return words.iter().all(|word| word_ok(word));
    }
    scope == "openid" || (word_ok(scope) && scope.contains('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(scopes: &[&str]) -> Vec<String> {
        scopes.iter().map(|scope| (*scope).to_owned()).collect()
    }

    #[test]
    fn table_parses_completely() {
        let mut count = 0;
        for line in data_lines() {
            let row = parse_row(line).unwrap_or_else(|error| panic!("{error}"));
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&row.method),
                "method {} in {line:?}",
                row.method
            );
            assert!(
                !row.path.ends_with('/') && !row.path.contains('?'),
                "path {} in {line:?}",
                row.path
            );
            count += 1;
        }

        assert!(count >= 40, "only {count} endpoints");
    }

    #[test]
    fn table_has_no_duplicate_rows() {
        let mut seen = std::collections::HashSet::new();

        for row in rows() {
            let key = (row.method, row.path.to_ascii_lowercase());
            assert!(seen.insert(key), "duplicate {} {}", row.method, row.path);
        }
    }

    #[test]
    fn table_scope_names_are_well_formed() {
        for row in rows() {
            for scope in row.scope_list() {
                assert!(
                    is_scope_name(scope),
                    "scope {scope:?} of {} {}",
                    row.method,
                    row.path
                );
            }
            let list = row.scope_list();
            let unique: std::collections::HashSet<_> = list.iter().collect();
            assert_eq!(unique.len(), list.len(), "repeated scope in {}", row.path);
        }
    }

    #[test]
    fn table_covers_required_families() {
        for family in [
            "users",
            "channels",
            "chat",
            "moderation",
            "subscriptions",
            "streams",
        ] {
            assert!(
                rows().any(|row| row.path.trim_start_matches('/').starts_with(family)),
                "no endpoint of {family}"
            );
        }
    }

    #[test]
    fn scope_name_check() {
        for good in [
            "user:read:email",
            "moderation:read",
            "chat:edit",
            "moderator:manage:banned_users",
            "openid",
            "channel_read",
            "user_subscriptions",
        ] {
            assert!(is_scope_name(good), "{good}");
        }
        for bad in [
            "",
            "User:Read:Email",
            "user:read:",
            "a:b:c:d",
            "user read",
            "email",
            "user:réad",
        ] {
            assert!(!is_scope_name(bad), "{bad}");
        }
    }

    #[test]
    fn helix_path_accepts_paths_and_urls() {
        let cases = [
            ("users", "users"),
            ("/users/", "users"),
            ("/helix/users", "users"),
            ("helix/moderation/moderators", "moderation/moderators"),
            (
                "https://api.twitch.tv/helix/moderation/moderators?broadcaster_id=1",
                "moderation/moderators",
            ),
            ("http://127.0.0.1:8080/helix/users#top", "users"),
            ("https://api.twitch.tv/helix", ""),
            ("https://api.twitch.tv", ""),
            ("/HELIX/Users", "Users"),
            ("", ""),
        ];

        for (input, expected) in cases {
            assert_eq!(helix_path(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn required_scopes_models_any_of() {
        assert_eq!(
            required_scopes("GET", "/moderation/moderators"),
            Some(vec!["moderation:read", "channel:manage:moderators"])
        );
        assert_eq!(
            required_scopes("post", "moderation/moderators"),
            Some(vec!["channel:manage:moderators"])
        );
        assert_eq!(required_scopes("GET", "users"), Some(Vec::new()));
        assert_eq!(required_scopes("GET", "games/top"), None);
        assert_eq!(required_scopes("PURGE", "users"), None);
        assert_eq!(
            required_scopes(
                "GET",
                "https://api.twitch.tv/helix/subscriptions?broadcaster_id=1"
            ),
            Some(vec!["channel:read:subscriptions"])
        );
    }

    #[test]
    fn missing_scope_names_first_accepted_scope() {
        let path = "moderation/moderators";

        assert_eq!(
            missing_scope("GET", path, &granted(&["user:read:email"])),
            Some("moderation:read".to_owned())
        );
        assert_eq!(
            missing_scope("GET", path, &granted(&[])),
            Some("moderation:read".to_owned())
        );
        assert_eq!(
            missing_scope("GET", path, &granted(&["moderation:read"])),
            None
        );
        assert_eq!(
            missing_scope("GET", path, &granted(&["channel:manage:moderators"])),
            None
        );
        assert_eq!(missing_scope("GET", "users", &granted(&[])), None);
        assert_eq!(missing_scope("GET", "games/top", &granted(&[])), None);
    }

    #[test]
    fn guard_fails_with_missing_scope() {
        assert_eq!(
            check_scopes("GET", "/subscriptions", &granted(&["user:read:email"])),
            Err(Error::MissingScope {
                scope: "channel:read:subscriptions".to_owned()
            })
        );
        assert_eq!(
            check_scopes(
                "GET",
                "/subscriptions",
                &granted(&["channel:read:subscriptions"])
            ),
            Ok(())
        );
        assert_eq!(check_scopes("GET", "users", &granted(&[])), Ok(()));
    }

    #[test]
    fn hostile_paths_do_not_panic() {
        let long = "a/".repeat(50_000);
        for input in [
            "://",
            "https://",
            "https:///helix/",
            "/helix/helix/helix",
            "é/helix/ü?ß#",
            long.as_str(),
            "\u{0}\t\n",
        ] {
            let _ = helix_path(input);
            assert_eq!(missing_scope("GET", input, &[]), None, "input {input:?}");
        }
    }
}
