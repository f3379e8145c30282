//! Helix requests, error mapping, `GET /users` batching and pagination.
//!
//! Every request carries `Authorization: Bearer <token>` and `Client-Id` set to the client id
//! that issued the token, and no other header, because Helix's CORS preflight allows only
//! those two.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::encoding::encode_pairs;
use crate::http::{join_url, HttpRequest, HttpResponse, Method};
use crate::twitch_error::{common_error, message_of};
use crate::{json, AccessToken, Error};

/// Most `id` plus `login` values one `GET /users` request takes.
pub const USERS_PER_REQUEST: usize = 100;

/// Builds a Helix GET request for `path` (for example `users` or `/moderation/moderators`).
pub fn helix_get_request(
    helix_base: &str,
    client_id: &str,
    token: &AccessToken,
    path: &str,
    query: &[(String, String)],
) -> HttpRequest {
    let mut url = join_url(helix_base, path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&encode_pairs(
            query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
    }

    HttpRequest {
        method: Method::Get,
        url,
        headers: vec![
            ("Authorization", format!("Bearer {}", token.secret())),
            ("Client-Id", client_id.to_owned()),
        ],
        form_body: None,
    }
}

/// Checks that `path` names a Helix endpoint: segments of letters, digits, `_` and `-` only.
///
/// This keeps a caller's path from leaving Helix through `..`, a scheme, `//`, a query or a
/// fragment. Query parameters go in the separate list, where they are encoded.
pub fn check_path(path: &str) -> Result<(), Error> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let valid = segments.iter().all(|segment| {
        !segment.is_empty()
            && segment
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
    });
    if valid && path.len() <= 200 {
        return Ok(());
    }
    Err(Error::Config {
        reason: format!(
            "{:?} is not a Helix endpoint path such as \"users\"",
            path.chars().take(200).collect::<String>()
        ),
    })
}

/// Maps a Helix error response to an [`Error`].
///
/// Helix returns 401 for five different faults, and only the `message` distinguishes them.
pub fn helix_error(response: &HttpResponse) -> Error {
    if let Some(error) = common_error(response) {
        return error;
    }

    let message = message_of(response);
    if response.status != 401 {
        return Error::Http {
            status: response.status,
            message,
        };
    }

    let lower = message.to_ascii_lowercase();
    if lower == "oauth token is missing" {
        Error::TokenMissing
    } else if lower == "client id is missing" {
        Error::ClientIdMissing
    } else if lower == "client id and oauth token do not match" {
        Error::ClientIdTokenMismatch
    } else if lower == "invalid oauth token" {
        Error::TokenInvalid
    } else if let Some(scope) = lower.strip_prefix("missing scope:") {
        Error::MissingScope {
            scope: scope.trim().to_owned(),
        }
    } else {
        Error::Http {
            status: 401,
            message,
        }
    }
}

/// Parses a successful Helix response body as `T`, or maps the error.
pub fn helix_from_response<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    if !(200..300).contains(&response.status) {
        return Err(helix_error(response));
    }
    json::from_str(&response.body).map_err(|_| Error::UnexpectedBody {
        status: response.status,
    })
}

/// The common Helix envelope: `data` plus an optional pagination cursor.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Pagination block; `cursor` is absent on the last page.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// Helix's pagination block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Pagination {
    /// Cursor to pass back as `after` for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

impl<T> Page<T> {
    /// Returns the cursor of the next page, if there is one.
    pub fn next_cursor(&self) -> Option<&str> {
        self.pagination
            .as_ref()
            .and_then(|pagination| pagination.cursor.as_deref())
            .filter(|cursor| !cursor.is_empty())
    }
}

/// A user from `GET /helix/users`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct User {
    /// User id.
    pub id: String,
    /// Login name (lower case).
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// `admin`, `global_mod`, `staff` or empty.
    #[serde(default, rename = "type")]
    pub user_type: String,
    /// `affiliate`, `partner` or empty.
    #[serde(default)]
    pub broadcaster_type: String,
    /// Channel description.
    #[serde(default)]
    pub description: String,
    /// Avatar URL.
    #[serde(default)]
    pub profile_image_url: String,
    /// Offline banner URL.
    #[serde(default)]
    pub offline_image_url: String,
    /// E-mail address: only for the token's own user, and only with `user:read:email`.
    #[serde(default)]
    pub email: Option<String>,
    /// Account creation time, RFC 3339.
    #[serde(default)]
    pub created_at: String,
}

/// Splits user ids and logins into query lists of at most [`USERS_PER_REQUEST`] values each.
///
/// No ids and no logins gives one empty query, for which Helix returns the token's own user.
pub fn users_queries(ids: &[String], logins: &[String]) -> Vec<Vec<(String, String)>> {
    let values: Vec<(String, String)> = ids
        .iter()
        .map(|id| ("id".to_owned(), id.clone()))
        .chain(
            logins
                .iter()
                .map(|login| ("login".to_owned(), login.clone())),
        )
        .collect();

    if values.is_empty() {
        return vec![Vec::new()];
    }
    values
        .chunks(USERS_PER_REQUEST)
        .map(<[_]>::to_vec)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unauthorized(message: &str) -> HttpResponse {
        HttpResponse::new(
            401,
            format!(r#"{{"error":"Unauthorized","status":401,"message":"{message}"}}"#),
        )
    }

    #[test]
    fn request_carries_bearer_and_client_id_only() {
        let token = AccessToken::from_pasted("OAuth abcdefghijklmnopqrstuvwxyz0123");
        let query = vec![("login".to_owned(), "twitch dev".to_owned())];
        let request = helix_get_request(
            "https://api.twitch.tv/helix",
            "cid",
            &token,
            "/users",
            &query,
        );

        assert_eq!(
            request.url,
            "https://api.twitch.tv/helix/users?login=twitch%20dev"
        );
        assert_eq!(
            request.header("Authorization"),
            Some("Bearer abcdefghijklmnopqrstuvwxyz0123")
        );
        assert_eq!(request.header("Client-Id"), Some("cid"));
        assert_eq!(request.headers.len(), 2);
    }

    #[test]
    fn paths_outside_helix_are_rejected() {
        for good in [
            "users",
            "/users",
            "moderation/moderators",
            "channels/followers",
            "eventsub/subscriptions",
        ] {
            assert_eq!(check_path(good), Ok(()), "path {good}");
        }
        for bad in [
            "",
            "/",
            "../oauth2/validate",
            "users/../../x",
            "https://evil.example/users",
            "//evil.example/users",
            "users?login=x",
            "users#x",
            "users/",
            "us ers",
            "usérs",
        ] {
            assert_eq!(check_path(bad).unwrap_err().code(), "config", "path {bad}");
        }
    }

    #[test]
    fn each_401_message_maps_to_its_variant() {
        let cases = [
            ("OAuth token is missing", Error::TokenMissing),
            ("Client ID is missing", Error::ClientIdMissing),
            (
                "Client ID and OAuth token do not match",
                Error::ClientIdTokenMismatch,
            ),
            ("Invalid OAuth token", Error::TokenInvalid),
            (
                "Missing scope: moderation:read",
                Error::MissingScope {
                    scope: "moderation:read".to_owned(),
                },
            ),
            (
                "Something new",
                Error::Http {
                    status: 401,
                    message: "Something new".to_owned(),
                },
            ),
        ];

        for (message, expected) in cases {
            assert_eq!(
                helix_error(&unauthorized(message)),
                expected,
                "message {message}"
            );
        }
    }

    #[test]
    fn other_statuses_map() {
        let too_many =
            r#"{"error":"Too Many Requests","status":429,"message":"Too Many Requests"}"#;
        let bad_request = r#"{"error":"Bad Request","status":400,"message":"Invalid login names, emails or IDs in request"}"#;

        assert_eq!(
            helix_error(&HttpResponse::new(429, too_many)),
            Error::RateLimited
        );
        assert_eq!(
            helix_error(&HttpResponse::new(502, "<html>")),
            Error::Server { status: 502 }
        );
        assert_eq!(
            helix_error(&HttpResponse::new(400, bad_request)),
            Error::Http {
                status: 400,
                message: "Invalid login names, emails or IDs in request".to_owned()
            }
        );
        assert_eq!(
            helix_error(&HttpResponse::new(404, "")),
            Error::Http {
                status: 404,
                message: String::new()
            }
        );
    }

    #[test]
    fn users_body_parses() {
        let body = r#"{"data":[{"id":"141981764","login":"twitchdev","display_name":"TwitchDev","type":"","broadcaster_type":"partner","description":"Supporting third-party developers building Twitch integrations from chatbots to game integrations.","profile_image_url":"https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png","offline_image_url":"https://static-cdn.jtvnw.net/jtv_user_pictures/3f13ab61-ec78-4fe6-8481-8682cb3b0ac2-channel_offline_image-1920x1080.png","view_count":5980557,"email":"not-real@email.com","created_at":"2016-12-14T20:32:28Z"}]}"#;
        let page: Page<User> = helix_from_response(&HttpResponse::new(200, body)).unwrap();

        assert_eq!(page.data.len(), 1);
        assert_eq!(page.data[0].login, "twitchdev");
        assert_eq!(page.data[0].display_name, "TwitchDev");
        assert_eq!(page.data[0].broadcaster_type, "partner");
        assert_eq!(page.data[0].email.as_deref(), Some("not-real@email.com"));
        assert_eq!(page.next_cursor(), None);
    }

    #[test]
    fn broken_success_bodies_are_unexpected() {
        for body in [
            "",
            "<html><body>Bad gateway</body></html>",
            r#"{"data":"x"}"#,
        ] {
            let result: Result<Page<User>, Error> =
                helix_from_response(&HttpResponse::new(200, body));

            assert_eq!(
                result,
                Err(Error::UnexpectedBody { status: 200 }),
                "body {body}"
            );
        }
    }

    #[test]
    fn cursor_is_read_and_empty_pagination_ends() {
        let more: Page<User> =
            json::from_str(r#"{"data":[],"pagination":{"cursor":"eyJiIjpudWxsfQ"}}"#).unwrap();
        let last: Page<User> = json::from_str(r#"{"data":[],"pagination":{}}"#).unwrap();

        assert_eq!(more.next_cursor(), Some("eyJiIjpudWxsfQ"));
        assert_eq!(last.next_cursor(), None);
    }

    #[test]
    fn users_queries_split_at_one_hundred() {
        let ids: Vec<String> = (0..150).map(|i| i.to_string()).collect();
        let logins = vec!["a".to_owned(), "b".to_owned()];
        let queries = users_queries(&ids, &logins);

        assert_eq!(queries.len(), 2);
        assert_eq!(queries[0].len(), 100);
        assert_eq!(queries[1].len(), 52);
        assert_eq!(queries[1][51], ("login".to_owned(), "b".to_owned()));
        assert_eq!(users_queries(&[], &[]), vec![Vec::new()]);
    }
}
