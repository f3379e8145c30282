//! The JavaScript API: the `TwitchAuth` class, its TypeScript types and error objects.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::from_js::JsonValue;
use super::{Client, DeviceLogin};
use crate::session::SessionState;
use crate::{Config, Error};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Settings of a TwitchAuth client. Only `clientId` is required. */
export interface TwitchAuthConfig {
  /** Client id from the Twitch developer console. */
  clientId: string;
  /** Registered redirect URI; default: this page's address without query and fragment. */
  redirectUri?: string;
  /** Scopes to request at sign-in. */
  scopes?: string[];
  /** Show the consent screen even when the user approved the app before. */
  forceVerify?: boolean;
  /** Base URL of the OAuth endpoints; default https://id.twitch.tv/oauth2. */
  idBase?: string;
  /** Base URL of Helix; default https://api.twitch.tv/helix. */
  helixBase?: string;
  /** Prefix of the storage keys; default "twitch-wasm-auth:". */
  storagePrefix?: string;
  /** Timeout of each request in milliseconds; default 10000. */
  timeoutMs?: number;
  /** Retries of a Helix GET after 429, 5xx or a network error; default 3. */
  maxRetries?: number;
  /** First retry delay in milliseconds, doubled each retry; default 1000. */
  retryBaseMs?: number;
  /** Time between validations in milliseconds; default and maximum 3600000 (Twitch's rule). */
  validateIntervalMs?: number;
}

/** An error, as thrown or reported by TwitchAuth. `code` is stable; `message` and `hint` are for people. */
export interface TwitchAuthErrorInfo {
  code: string;
  message: string;
  hint: string;
  status?: number;
  scope?: string;
}

/** State of the session. Tokens are never included. */
export interface TwitchAuthState {
  status: "signed_in" | "signed_out" | "unverified";
  flow: "implicit" | "device" | null;
  clientId: string | null;
  login: string | null;
  userId: string | null;
  scopes: string[];
  /** Expiry instant, ms since the Unix epoch; null when signed out or never expiring. */
  expiresAt: number | null;
  /** Last successful validation, ms since the Unix epoch. */
  validatedAt: number | null;
  /** Reason the session ended or is unverified. */
  reason: TwitchAuthErrorInfo | null;
}

/** Result of start(): the session, plus the error of a failed sign-in redirect. */
export interface TwitchAuthStart {
  state: TwitchAuthState;
  redirectError: TwitchAuthErrorInfo | null;
}

/** A user from GET /helix/users. */
export interface TwitchUser {
  id: string;
  login: string;
  display_name: string;
  type: string;
  broadcaster_type: string;
  description: string;
  profile_image_url: string;
  offline_image_url: string;
  email: string | null;
  created_at: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// Settings passed from JavaScript.
    #[wasm_bindgen(typescript_type = "TwitchAuthConfig")]
    pub type JsConfig;

    /// A listener for state changes.
    #[wasm_bindgen(typescript_type = "(state: TwitchAuthState) => void")]
    pub type JsListener;
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigInput {
    client_id: String,
    redirect_uri: Option<String>,
    scopes: Option<Vec<String>>,
    force_verify: Option<bool>,
    id_base: Option<String>,
    helix_base: Option<String>,
    storage_prefix: Option<String>,
    timeout_ms: Option<u32>,
    max_retries: Option<u32>,
    retry_base_ms: Option<u32>,
    validate_interval_ms: Option<u32>,
}

impl ConfigInput {
    fn into_config(self) -> Config {
        let mut config = Config::new(self.client_id);
        config.redirect_uri = self.redirect_uri.filter(|uri| !uri.is_empty());
        config.scopes = self.scopes.unwrap_or_default();
        config.force_verify = self.force_verify.unwrap_or(false);
        if let Some(base) = self.id_base {
            config.id_base = base;
        }
        if let Some(base) = self.helix_base {
            config.helix_base = base;
        }
        if let Some(prefix) = self.storage_prefix {
            config.storage_prefix = prefix;
        }
        config.timeout_ms = self.timeout_ms.unwrap_or(config.timeout_ms);
        config.max_retries = self.max_retries.unwrap_or(config.max_retries);
        config.retry_base_ms = self.retry_base_ms.unwrap_or(config.retry_base_ms);
        config.validate_interval_ms = self
            .validate_interval_ms
            .unwrap_or(config.validate_interval_ms);
        config
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorInfo {
    code: &'static str,
    message: String,
    hint: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

impl From<&Error> for ErrorInfo {
    fn from(error: &Error) -> Self {
        let status = match error {
            Error::Server { status }
            | Error::Http { status, .. }
            | Error::UnexpectedBody { status } => Some(*status),
            _ => None,
        };
        let scope = match error {
            Error::MissingScope { scope } => Some(scope.clone()),
            _ => None,
        };
        Self {
            code: error.code(),
            message: error.to_string(),
            hint: error.hint(),
            status,
            scope,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StateOutput {
    status: &'static str,
    flow: Option<crate::record::Flow>,
    client_id: Option<String>,
    login: Option<String>,
    user_id: Option<String>,
    scopes: Vec<String>,
    expires_at: Option<f64>,
    validated_at: Option<f64>,
    reason: Option<ErrorInfo>,
}

impl From<&SessionState> for StateOutput {
    fn from(state: &SessionState) -> Self {
        let (info, reason) = match state {
            SessionState::SignedIn(info) => (Some(info), None),
            SessionState::Unverified { info, reason } => (Some(info), Some(reason)),
            SessionState::SignedOut { reason } => (None, reason.as_ref()),
        };
        Self {
            status: state.name(),
            flow: info.map(|info| info.flow),
            client_id: info.map(|info| info.client_id.clone()),
            login: info.and_then(|info| info.login.clone()),
            user_id: info.and_then(|info| info.user_id.clone()),
            scopes: info.map(|info| info.scopes.clone()).unwrap_or_default(),
            expires_at: info.and_then(|info| info.expires_at),
            validated_at: info.map(|info| info.validated_at),
            reason: reason.map(ErrorInfo::from),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartOutput {
    state: StateOutput,
    redirect_error: Option<ErrorInfo>,
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Converts an [`Error`] into a JavaScript `Error` with `code`, `hint` and, where they apply,
/// `status` and `scope` properties.
pub(crate) fn error_to_js(error: &Error) -> JsValue {
    let js_error = js_sys::Error::new(&error.to_string());
    js_error.set_name("TwitchAuthError");
    let info = to_js(&ErrorInfo::from(error));
    for key in ["code", "hint", "status", "scope"] {
        if let Ok(value) = js_sys::Reflect::get(&info, &JsValue::from_str(key)) {
            if !value.is_undefined() {
                let _ = js_sys::Reflect::set(&js_error, &JsValue::from_str(key), &value);
            }
        }
    }
    js_error.into()
}

fn state_to_js(state: &SessionState) -> JsValue {
    to_js(&StateOutput::from(state))
}

fn query_from_js(query: JsValue) -> Result<Vec<(String, String)>, JsValue> {
    if query.is_undefined() || query.is_null() {
        return Ok(Vec::new());
    }
    super::from_js::from_value(query).map_err(|_| {
        error_to_js(&Error::Config {
            reason: "query must be an array of [name, value] string pairs".to_owned(),
        })
    })
}

/// Twitch sign-in, session and Helix calls for a page.
#[wasm_bindgen]
pub struct TwitchAuth {
    pub(super) client: Client,
}

#[wasm_bindgen]
impl TwitchAuth {
    /// Creates a client. Throws a `TwitchAuthError` with code `config` for unusable settings.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsConfig) -> Result<TwitchAuth, JsValue> {
        let input: ConfigInput =
            super::from_js::from_value(config.into()).map_err(|_| {
                error_to_js(&Error::Config {
                    reason: "the settings must be an object with a string clientId, and the optional fields of TwitchAuthConfig with their documented types".to_owned(),
                })
            })?;
        let client = Client::new(input.into_config()).map_err(|error| error_to_js(&error))?;
        Ok(Self { client })
    }

    /// Handles a sign-in redirect, if any, then validates the stored session. Resolves to a
    /// `TwitchAuthStart`.
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchAuthStart>")]
    pub fn start(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let outcome = client.start().await;
            Ok(to_js(&StartOutput {
                state: StateOutput::from(&outcome.state),
                redirect_error: outcome.redirect_error.as_ref().map(ErrorInfo::from),
            }))
        })
    }

    /// Returns the current `TwitchAuthState`.
    #[wasm_bindgen(unchecked_return_type = "TwitchAuthState")]
    pub fn state(&self) -> JsValue {
        state_to_js(&self.client.state())
    }

    /// Starts the sign-in: navigates to Twitch. `extraScopes` are asked for in addition to the
    /// configured scopes.
    pub fn login(
        &self,
        #[wasm_bindgen(js_name = extraScopes)] extra_scopes: Option<Vec<String>>,
    ) -> Result<(), JsValue> {
        self.client
            .login(&extra_scopes.unwrap_or_default())
            .map_err(|error| error_to_js(&error))
    }

    /// Returns the authorize URL and records the pending sign-in, for pages that navigate
    /// themselves.
    #[wasm_bindgen(js_name = authorizeUrl)]
    pub fn authorize_url(
        &self,
        #[wasm_bindgen(js_name = extraScopes)] extra_scopes: Option<Vec<String>>,
    ) -> Result<String, JsValue> {
        self.client
            .authorize_url(&extra_scopes.unwrap_or_default())
            .map_err(|error| error_to_js(&error))
    }

    /// Validates the stored session now. Resolves to a `TwitchAuthState`.
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchAuthState>")]
    pub fn restore(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move { Ok(state_to_js(&client.restore().await)) })
    }

    /// Signs in with an existing token (a pasted `OAuth `, `Bearer ` or `oauth:` prefix is
    /// removed) after validating it. Resolves to a `TwitchAuthState`.
    #[wasm_bindgen(js_name = signInWithToken)]
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchAuthState>")]
    pub fn sign_in_with_token(&self, token: String) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let state = client
                .sign_in_with_token(&token)
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(state_to_js(&state))
        })
    }

    /// Revokes the token and removes the session. The session is removed even when revoking
    /// fails, and then the promise rejects with the revoke error.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn logout(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            client.logout().await.map_err(|error| error_to_js(&error))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Fetches users by id and login (100 per request); with none, the signed-in user.
    /// Resolves to `TwitchUser[]`.
    #[wasm_bindgen(js_name = getUsers)]
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchUser[]>")]
    pub fn get_users(
        &self,
        ids: Option<Vec<String>>,
        logins: Option<Vec<String>>,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let users = client
                .get_users(&ids.unwrap_or_default(), &logins.unwrap_or_default())
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(to_js(&users))
        })
    }

    /// Sends a Helix GET to `path` with `query` as `[name, value]` pairs, and resolves to the
    /// parsed JSON body.
    #[wasm_bindgen(js_name = helixGet)]
    #[wasm_bindgen(unchecked_return_type = "Promise<any>")]
    pub fn helix_get(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_param_type = "Array<[string, string]>")] query: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let query = query_from_js(query)?;
            let body: JsonValue = client
                .helix_get(&path, &query)
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(body.0)
        })
    }

    /// Fetches up to `maxPages` pages of a paginated Helix endpoint and resolves to the
    /// concatenated `data` arrays.
    #[wasm_bindgen(js_name = helixGetAll)]
    #[wasm_bindgen(unchecked_return_type = "Promise<any[]>")]
    pub fn helix_get_all(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_param_type = "Array<[string, string]>")] query: JsValue,
        #[wasm_bindgen(js_name = maxPages)] max_pages: u32,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let query = query_from_js(query)?;
            let items: Vec<JsonValue> = client
                .helix_get_all(&path, &query, max_pages)
                .await
                .map_err(|error| error_to_js(&error))?;
            let array = js_sys::Array::new();
            for item in items {
                array.push(&item.0);
            }
            Ok(array.into())
        })
    }

    /// Starts a device sign-in for `scopes` (the configured scopes when omitted). Resolves to
    /// a `DeviceLoginHandle`: show its `userCode` and `verificationUri`, then await `wait()`.
    #[wasm_bindgen(js_name = startDeviceLogin)]
    #[wasm_bindgen(unchecked_return_type = "Promise<DeviceLoginHandle>")]
    pub fn start_device_login(&self, scopes: Option<Vec<String>>) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let login = client
                .start_device_login(&scopes.unwrap_or_default())
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(DeviceLoginHandle { client, login }.into())
        })
    }

    /// Exchanges the refresh token of a device session for a new pair, once across tabs.
    /// Resolves to a `TwitchAuthState`.
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchAuthState>")]
    pub fn refresh(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let state = client
                .refresh()
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(state_to_js(&state))
        })
    }

    /// Stops the hourly validation, refresh timer and tab listeners that `start()` set up.
    /// The stored session stays; `start()` resumes.
    pub fn stop(&self) {
        self.client.stop();
    }

    /// Registers a listener that runs after every state change.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(&self, listener: JsListener) {
        let function: js_sys::Function = JsValue::from(listener).unchecked_into();
        self.client.on_change(Rc::new(move |state| {
            let _ = function.call1(&JsValue::NULL, &state_to_js(state));
        }));
    }
}

/// A device sign-in waiting for the user to enter the code on Twitch.
#[wasm_bindgen]
pub struct DeviceLoginHandle {
    client: Client,
    login: DeviceLogin,
}

#[wasm_bindgen]
impl DeviceLoginHandle {
    /// Returns the code the user enters on the activation page.
    #[wasm_bindgen(getter, js_name = userCode)]
    pub fn user_code(&self) -> String {
        self.login.user_code().to_owned()
    }

    /// Returns the activation page address, which already carries the code.
    #[wasm_bindgen(getter, js_name = verificationUri)]
    pub fn verification_uri(&self) -> String {
        self.login.verification_uri().to_owned()
    }

    /// Returns when the code expires, in milliseconds since the Unix epoch.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> f64 {
        self.login.expires_at()
    }

    /// Returns the poll interval in seconds.
    #[wasm_bindgen(getter)]
    pub fn interval(&self) -> u32 {
        self.login.interval()
    }

    /// Polls until the user approves (resolves to a `TwitchAuthState`) or denies, the code
    /// expires, or `cancel()` is called (rejects with a `TwitchAuthError`).
    #[wasm_bindgen(unchecked_return_type = "Promise<TwitchAuthState>")]
    pub fn wait(&self) -> js_sys::Promise {
        let client = self.client.clone();
        let login = self.login.clone();
        future_to_promise(async move {
            let state = client
                .finish_device_login(&login)
                .await
                .map_err(|error| error_to_js(&error))?;
            Ok(state_to_js(&state))
        })
    }

    /// Stops the polling.
    pub fn cancel(&self) {
        self.login.cancel();
    }
}
