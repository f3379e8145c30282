//! The token doctor in the browser: [`Client::diagnose`], which adds the live validation and
//! the stored session to [`crate::doctor::diagnose`], and its JavaScript binding.
//!
//! Nothing typed into the doctor is stored or logged. The only request it sends is
//! `GET /oauth2/validate` to the configured id origin, carrying only `Authorization`.

use wasm_bindgen::prelude::*;

use super::Client;
use crate::doctor::{
    self, read_stored_session, Finding, Input, Request, Response, StoredSessionState,
};
use crate::validate::{validate_request, ValidatedToken};

impl Client {
    /// Diagnoses why a token fails: see [`crate::doctor::diagnose`].
    ///
    /// With `use_stored_session`, the token, its stored fingerprint and the client id come from
    /// the session stored in this browser, and the token never leaves this module except to
    /// validate. Unless `input.validation` is already set, the token is validated live at the
    /// configured id origin; a damaged token is not sent.
    pub async fn diagnose(&self, mut input: Input, use_stored_session: bool) -> Vec<Finding> {
        if use_stored_session {
            self.fill_from_stored_session(&mut input);
        }

        if input.validation.is_none() {
            if let Some(token) = doctor::token_to_validate(&input) {
                let request = validate_request(&self.config().id_base, &token);
                let outcome = self
                    .send(&request)
                    .await
                    .and_then(|response| ValidatedToken::from_response(&response));
                input.validation = Some(outcome);
            }
        }

        doctor::diagnose(&input)
    }

    /// Puts the stored session's token, fingerprint and client id into `input`.
    ///
    /// The record is read without [`crate::record::SessionRecord::from_storage`]'s checks, so
    /// a damaged record is diagnosed, and it is left in place.
    fn fill_from_stored_session(&self, input: &mut Input) {
        let key = self.config().session_key();
        let stored_text = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .map(|storage| storage.get_item(&key).ok().flatten());

        let stored = match stored_text {
            Some(Some(text)) => read_stored_session(&text).ok_or(StoredSessionState::Unreadable),
            Some(None) => Err(StoredSessionState::Missing),
            // Storage is unavailable, so the session can only be in the client's memory.
            None => match self.read_record() {
                Ok(Some(record)) => Ok(doctor::StoredSession {
                    fingerprint: Some(crate::token_check::fingerprint(
                        record.access_token.secret(),
                    )),
                    token: record.access_token.secret().to_owned(),
                    client_id: Some(record.client_id),
                }),
                Ok(None) => Err(StoredSessionState::Missing),
                Err(_) => Err(StoredSessionState::Unreadable),
            },
        };

        match stored {
            Ok(session) => {
                input.stored_session = StoredSessionState::Found;
                input.token = Some(session.token);
                input.expected_fingerprint = session.fingerprint;
                let typed_client_id = input
                    .client_id
                    .as_deref()
                    .is_some_and(|id| !id.trim().is_empty());
                if !typed_client_id {
                    input.client_id = session.client_id;
                }
            }
            Err(state) => {
                input.stored_session = state;
                input.token = None;
            }
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const DOCTOR_TYPES: &'static str = r#"
/** Input of TwitchAuth.diagnose(). Every field is optional. */
export interface DoctorInput {
  /** The access token as pasted. Quotes, whitespace and an `OAuth `, `Bearer ` or `oauth:` prefix are reported, then removed before validating. */
  token?: string;
  /** The client id the failing tool uses. */
  clientId?: string;
  /** Method of the failing request; default GET. */
  method?: string;
  /** URL of the failing request. */
  url?: string;
  /** Headers of the failing request: an object, [name, value] pairs, or text with one `Name: value` a line. */
  headers?: Record<string, string> | [string, string][] | string;
  /** Status code of the response; default: the `status` field of the body. */
  status?: number | string;
  /** Body of the response. */
  body?: string;
  /** Length the token had when it was stored, to detect a token cut short. */
  expectedLength?: number;
  /** Take the token, its stored fingerprint and the client id from the session stored in this browser. */
  useStoredSession?: boolean;
}

/** One finding of TwitchAuth.diagnose(). `code` is stable; the texts are for people. */
export interface DoctorFinding {
  severity: "error" | "warning" | "ok";
  code: string;
  title: string;
  evidence: string;
  /** The fix, in one sentence. */
  fix: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// Input of the doctor, passed from JavaScript.
    #[wasm_bindgen(typescript_type = "DoctorInput")]
    pub type JsDoctorInput;
}

/// Converts the JavaScript input. Returns the doctor's input and whether to use the stored
/// session.
///
/// Fields are read one by one rather than through serde, which keeps the module smaller. A
/// method alone is no request, because a page's method menu always has a value.
fn input_from_js(value: &JsValue) -> Result<(Input, bool), crate::Error> {
    if !value.is_object() {
        return Err(crate::Error::Config {
            reason: "diagnose() takes an object such as { token, clientId, url }".to_owned(),
        });
    }
    let text = |name: &str| property(value, name).as_string();

    let headers = headers_from_js(&property(value, "headers"));
    let url = text("url").unwrap_or_default();
    let request = (!url.trim().is_empty() || !headers.is_empty()).then(|| Request {
        method: text("method").unwrap_or_default(),
        url,
        headers,
    });

    let status = status_from_js(&property(value, "status"));
    let body = text("body").unwrap_or_default();
    let response =
        (status.is_some() || !body.trim().is_empty()).then_some(Response { status, body });

    let expected_length = property(value, "expectedLength")
        .as_f64()
        .filter(|length| length.fract() == 0.0 && (1.0..=1e6).contains(length))
        .map(|length| length as usize);

    let input = Input {
        token: text("token"),
        expected_length,
        client_id: text("clientId"),
        request,
        response,
        ..Input::default()
    };
    let use_stored_session = property(value, "useStoredSession").is_truthy();
    Ok((input, use_stored_session))
}

fn property(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads headers given as text, as `[name, value]` pairs or as an object.
fn headers_from_js(value: &JsValue) -> Vec<(String, String)> {
    if let Some(text) = value.as_string() {
        return doctor::parse_header_lines(&text);
    }

    let pairs: Vec<JsValue> = if js_sys::Array::is_array(value) {
        js_sys::Array::from(value).iter().collect()
    } else if value.is_object() {
        js_sys::Object::entries(value.unchecked_ref())
            .iter()
            .collect()
    } else {
        return Vec::new();
    };

    pairs
        .into_iter()
        .filter(js_sys::Array::is_array)
        .map(|pair| js_sys::Array::from(&pair))
        .filter_map(|pair| Some((pair.get(0).as_string()?, pair.get(1).as_string()?)))
        .take(200)
        .collect()
}

/// Reads a status code given as a number or as text.
fn status_from_js(value: &JsValue) -> Option<u16> {
    let status = match (value.as_f64(), value.as_string()) {
        (Some(number), _) if number.fract() == 0.0 && (0.0..=999.0).contains(&number) => {
            number as u16
        }
        (_, Some(text)) => text.trim().parse().ok()?,
        _ => return None,
    };
    (100..=599).contains(&status).then_some(status)
}

/// Converts findings to plain objects `{ severity, code, title, evidence, fix }`.
fn findings_to_js(findings: &[Finding]) -> JsValue {
    let array = js_sys::Array::new();
    for finding in findings {
        let object = js_sys::Object::new();
        for (name, text) in [
            ("severity", finding.severity.as_str()),
            ("code", finding.code.as_str()),
            ("title", finding.title.as_str()),
            ("evidence", finding.evidence.as_str()),
            ("fix", finding.fix.as_str()),
        ] {
            let _ =
                js_sys::Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(text));
        }
        array.push(&object);
    }
    array.into()
}

/// Runs the doctor for a JavaScript caller: converts `input`, diagnoses and resolves to
/// `DoctorFinding[]`, or rejects with a `TwitchAuthError` (code `config`) when `input` is not
/// an object.
pub(crate) fn diagnose_promise(client: Client, input: JsValue) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let (input, use_stored_session) =
            input_from_js(&input).map_err(|error| super::js::error_to_js(&error))?;
        let findings = client.diagnose(input, use_stored_session).await;
        Ok(findings_to_js(&findings))
    })
}

mod binding {
    use wasm_bindgen::prelude::*;

    use super::{diagnose_promise, JsDoctorInput};
    use crate::web::TwitchAuth;

    #[wasm_bindgen]
    impl TwitchAuth {
        /// Diagnoses why a token fails and resolves to `DoctorFinding[]`, most important
        /// first. Rejects with a `TwitchAuthError` (code `config`) only when `input` is not an
        /// object.
        #[wasm_bindgen(unchecked_return_type = "Promise<DoctorFinding[]>")]
        pub fn diagnose(&self, input: JsDoctorInput) -> js_sys::Promise {
            diagnose_promise(self.client.clone(), input.into())
        }
    }
}
