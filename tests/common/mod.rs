//! Helpers shared by the browser suites: the mock-twitch control API and client set-up.
//!
//! The suites run in headless Chromium against a mock-twitch server whose address
//! `cargo xtask test` passes at compile time in `MOCK_TWITCH_URL`.
#![allow(dead_code)]

use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use twitch_wasm_auth::{json, Client, Config};

/// Client id of the mock's app registered as Public.
pub const PUBLIC_CLIENT: &str = "mockpublicclient00000000000001";
/// Client id of the mock's app registered as Confidential.
pub const CONFIDENTIAL_CLIENT: &str = "mockconfidentialclient00000001";

/// Returns the mock's base URL, such as `http://127.0.0.1:40123`.
///
/// `env!` would break `cargo clippy --all-targets`, which builds the suites without a mock.
#[allow(clippy::option_env_unwrap)]
pub fn mock_url() -> &'static str {
    option_env!("MOCK_TWITCH_URL").expect(
        "MOCK_TWITCH_URL was not set at compile time; run the suites with `cargo xtask test`",
    )
}

/// Returns a configuration for the mock with short retry delays and a storage prefix of its own.
pub fn config(prefix: &str) -> Config {
    let mut config = Config::new(PUBLIC_CLIENT);
    config.id_base = format!("{}/oauth2", mock_url());
    config.helix_base = format!("{}/helix", mock_url());
    config.storage_prefix = format!("test-{prefix}:");
    config.timeout_ms = 2_000;
    config.retry_base_ms = 20;
    config
}

/// Creates a client for the mock after clearing its storage keys.
pub fn client(prefix: &str) -> Client {
    let config = config(prefix);
    local_storage().remove_item(&config.session_key()).unwrap();
    session_storage().remove_item(&config.state_key()).unwrap();
    Client::new(config).unwrap()
}

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

pub fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

/// Sends `body` to a control endpoint and returns the response text.
///
/// The body goes as `text/plain`, a simple request, so no preflight is involved.
pub async fn control(method: &str, path: &str, body: &str) -> String {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if method != "GET" {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let url = format!("{}{path}", mock_url());
    let window = web_sys::window().unwrap();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .unwrap_or_else(|error| panic!("control request {path} failed: {error:?}"))
        .dyn_into()
        .unwrap();
    let status = response.status();
    let text = JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        (200..300).contains(&status),
        "control request {path} answered {status}: {text}"
    );
    text
}

/// Resets the mock to its seed state.
pub async fn reset() {
    control("POST", "/_mock/reset", "").await;
}

/// Tokens minted by the control API.
#[derive(Debug, Deserialize)]
pub struct Minted {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub user_id: String,
    pub login: String,
}

/// Mints a token through the control API; `spec` is the JSON request body.
pub async fn mint(spec: &str) -> Minted {
    json::from_str(&control("POST", "/_mock/tokens", spec).await).unwrap()
}

/// Times a browser may resend a request whose connection closed without a response, before
/// the page gets a network error: Firefox resends up to 10 times
/// (`network.http.request.max-attempts`), Chromium once on a reused connection.
pub const DROP_RESENDS: u32 = 10;

/// Queues faults of `kind` for requests to `path`, enough for `count` failed fetches. A
/// `drop` is queued [`DROP_RESENDS`] times per fetch, so the browser's own resends fail too.
/// A `delay` fault waits 3 s, longer than the 2 s timeout of [`config`].
pub async fn fault(path: &str, kind: &str, count: u32) {
    let delay = if kind == "delay" {
        r#","delay_ms":3000"#
    } else {
        ""
    };
    let count = if kind == "drop" {
        count * DROP_RESENDS
    } else {
        count
    };
    let body = format!(r#"{{"path":"{path}","kind":"{kind}","count":{count}{delay}}}"#);
    control("POST", "/_mock/faults", &body).await;
}

/// One request as the mock logged it.
#[derive(Debug, Clone, Deserialize)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub auth_scheme: Option<String>,
    pub client_id: Option<String>,
    pub headers: Vec<String>,
    /// Status sent, absent when the connection was dropped.
    pub status: Option<u16>,
}

#[derive(Deserialize)]
struct RequestLog {
    requests: Vec<Logged>,
}

/// Returns the requests the mock received, preflights excluded.
pub async fn requests() -> Vec<Logged> {
    let log: RequestLog = json::from_str(&control("GET", "/_mock/requests", "").await).unwrap();
    log.requests
        .into_iter()
        .filter(|request| request.method != "OPTIONS")
        .collect()
}

/// Counts the logged requests of `method` to `path`.
pub async fn count(method: &str, path: &str) -> usize {
    requests()
        .await
        .iter()
        .filter(|request| request.method == method && request.path == path)
        .count()
}

/// Clears the mock's request log.
pub async fn clear_requests() {
    control("POST", "/_mock/requests/clear", "").await;
}

/// Returns the page address the tests run on, without query and fragment.
pub fn page_address() -> String {
    let href = web_sys::window().unwrap().location().href().unwrap();
    twitch_wasm_auth::implicit::page_address(&href).to_owned()
}

/// Puts `suffix` (a query and/or fragment) into the address bar without navigating.
pub fn set_address(suffix: &str) {
    let url = format!("{}{suffix}", page_address());
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        .unwrap();
}

/// Returns the current address.
pub fn address() -> String {
    web_sys::window().unwrap().location().href().unwrap()
}

/// Returns the `state` parameter of an authorize URL.
pub fn state_of(authorize_url: &str) -> String {
    let query = authorize_url.split_once('?').unwrap().1;
    twitch_wasm_auth::encoding::decode_pairs(query)
        .unwrap()
        .into_iter()
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value)
        .expect("authorize URL has a state")
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Posts a form body to the mock without this crate's client, and returns status and body.
pub async fn form_post(path: &str, body: &str) -> (u16, String) {
    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .unwrap();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let url = format!("{}{path}", mock_url());
    let response: web_sys::Response = JsFuture::from(
        web_sys::window()
            .unwrap()
            .fetch_with_str_and_init(&url, &init),
    )
    .await
    .unwrap()
    .dyn_into()
    .unwrap();
    let text = JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    (response.status(), text)
}

/// Runs a snippet of JavaScript in the test page.
pub fn run_js(code: &str) -> wasm_bindgen::JsValue {
    js_sys::Function::new_no_args(code)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap()
}

/// Starts recording every console message of the page.
pub fn record_console() {
    run_js(
        r#"
        if (!window.__consoleRecord) {
            window.__consoleRecord = [];
            for (const level of ["log", "info", "warn", "error", "debug"]) {
                const original = console[level];
                console[level] = function (...args) {
                    window.__consoleRecord.push(args.map(String).join(" "));
                    return original.apply(console, args);
                };
            }
        }
        window.__consoleRecord.length = 0;
        "#,
    );
}

/// Returns the console messages recorded since [`record_console`].
pub fn recorded_console() -> Vec<String> {
    let record = run_js("return window.__consoleRecord || [];");
    js_sys::Array::from(&record)
        .iter()
        .filter_map(|value| value.as_string())
        .collect()
}
