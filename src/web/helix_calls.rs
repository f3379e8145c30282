//! Helix calls of a [`Client`]: scope guard, retries with backoff, and the one validation or
//! refresh after a 401.

use serde::de::DeserializeOwned;

use super::{browser, Client};
use crate::backoff::{rate_limit_delay_ms, retry_delay_ms};
use crate::helix::{
    helix_error, helix_from_response, helix_get_request, users_queries, Page, User,
};
use crate::http::HttpResponse;
use crate::Error;

impl Client {
    /// Sends a Helix GET and parses the body as `T`.
    ///
    /// A call whose endpoint needs a scope the session lacks fails before sending, with
    /// [`Error::MissingScope`]. 429, 5xx, network errors and timeouts are retried with backoff
    /// up to `Config::max_retries` times. A 401 `Invalid OAuth token` leads to one refresh and
    /// one more try for a device session. Otherwise it leads to one validation: if validate
    /// also returns 401 the session ends, else Helix's error is returned.
    pub async fn helix_get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<T, Error> {
        let response = self.helix_send(path, query).await?;
        helix_from_response(&response)
    }

    /// Fetches users by id and login, 100 per request; none means the token's own user.
    pub async fn get_users(&self, ids: &[String], logins: &[String]) -> Result<Vec<User>, Error> {
        let mut users = Vec::new();
        for query in users_queries(ids, logins) {
            let page: Page<User> = self.helix_get("users", &query).await?;
            users.extend(page.data);
        }
        Ok(users)
    }

    /// Fetches up to `max_pages` pages of a paginated Helix endpoint, following
    /// `pagination.cursor` through the `after` parameter.
    pub async fn helix_get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
        max_pages: u32,
    ) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;

        for _ in 0..max_pages.max(1) {
            let mut page_query: Vec<(String, String)> = query
                .iter()
                .filter(|(name, _)| name != "after")
                .cloned()
                .collect();
            if let Some(cursor) = &cursor {
                page_query.push(("after".to_owned(), cursor.clone()));
            }

            let page: Page<T> = self.helix_get(path, &page_query).await?;
            cursor = page.next_cursor().map(str::to_owned);
            items.extend(page.data);
            if cursor.is_none() {
                break;
            }
        }
        Ok(items)
    }

    async fn helix_send(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<HttpResponse, Error> {
        crate::helix::check_path(path)?;
        let config = &self.inner.config;
        let mut attempt = 0;
        let mut refreshed = false;

        loop {
            let record = self.read_record()?.ok_or(Error::NotSignedIn)?;
            crate::scopes::check_scopes("GET", path, &record.scopes)?;
            let request = helix_get_request(
                &config.helix_base,
                &record.client_id,
                &record.access_token,
                path,
                query,
            );

            let mut ratelimit_reset = None;
            let error = match self.send(&request).await {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => {
                    ratelimit_reset = response.ratelimit_reset;
                    helix_error(&response)
                }
                Err(error) => error,
            };

            // A device session gets one refresh and one more try. Otherwise one validation
            // decides: a 401 there ends the session, a 200 leaves Helix's error as it is.
            if error == Error::TokenInvalid && record.refresh_token.is_some() && !refreshed {
                refreshed = true;
                self.refresh().await?;
                continue;
            }
            if error == Error::TokenInvalid {
                if !refreshed {
                    self.validate_stored().await;
                }
                return Err(error);
            }
            let retryable = matches!(
                error,
                Error::RateLimited | Error::Server { .. } | Error::Network | Error::Timeout
            );
            if !retryable || attempt >= config.max_retries {
                return Err(error);
            }

            let jitter = browser::random_unit();
            let delay = if error == Error::RateLimited {
                rate_limit_delay_ms(
                    ratelimit_reset,
                    browser::now_ms(),
                    attempt,
                    config.retry_base_ms,
                    jitter,
                )
            } else {
                retry_delay_ms(attempt, config.retry_base_ms, jitter)
            };
            browser::log_warn(&format!(
                "Helix {path} failed ({error}); retry {} in {delay} ms",
                attempt + 1
            ));
            browser::sleep(delay).await;
            attempt += 1;
        }
    }
}
