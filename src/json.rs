//! JSON text to and from serde types.
//!
//! In the browser this goes through `JSON.parse` and the crate's own small deserializer, and
//! `serde-wasm-bindgen` plus `JSON.stringify` for output, which keeps `serde_json` out of the
//! bundle (about half its gzip size). Native builds, used by
//! the unit tests, use `serde_json`. Both report any failure as [`JsonError`].

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Text that is not JSON, or JSON that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

/// Parses JSON text into `T`.
#[cfg(target_arch = "wasm32")]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let value = js_sys::JSON::parse(text).map_err(|_| JsonError("not JSON".to_owned()))?;
    crate::web::from_js::from_value(value).map_err(|_| JsonError("unexpected shape".to_owned()))
}

/// Serialises `value` as JSON text.
#[cfg(target_arch = "wasm32")]
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value
        .serialize(&serializer)
        .map_err(|error| JsonError(error.to_string()))?;
    let text =
        js_sys::JSON::stringify(&value).map_err(|_| JsonError("not serialisable".to_owned()))?;
    Ok(String::from(text))
}

/// Parses JSON text into `T`.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    serde_json::from_str(text).map_err(|error| JsonError(error.to_string()))
}

/// Serialises `value` as JSON text.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string(value).map_err(|error| JsonError(error.to_string()))
}
