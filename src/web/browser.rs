//! Thin wrappers over the browser APIs the client needs: clock, randomness, timers, the address
//! bar and the console.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::Error;

/// Returns the global `window`, or a typed error in a worker or other window-less context.
pub(crate) fn window() -> Result<web_sys::Window, Error> {
    web_sys::window().ok_or_else(|| Error::Browser {
        reason: "no window object (workers are not supported)".to_owned(),
    })
}

/// Returns the current time in milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Returns 16 bytes from `crypto.getRandomValues`.
pub(crate) fn random_bytes() -> Result<[u8; 16], Error> {
    let crypto = window()?.crypto().map_err(|_| Error::Browser {
        reason: "crypto.getRandomValues is not available".to_owned(),
    })?;
    let mut bytes = [0u8; 16];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| Error::Browser {
            reason: "crypto.getRandomValues failed".to_owned(),
        })?;
    Ok(bytes)
}

/// Returns a random number in `[0, 1)` for jitter, where predictability does no harm.
pub(crate) fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Waits `ms` milliseconds on a `setTimeout` timer.
pub(crate) async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().map(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32)
        });
        if !matches!(scheduled, Some(Ok(_))) {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Returns the current page address.
pub(crate) fn location_href() -> Result<String, Error> {
    window()?.location().href().map_err(|_| Error::Browser {
        reason: "location.href is not readable".to_owned(),
    })
}

/// Replaces the address bar entry without a reload, so a token or error in the URL leaves
/// neither the address bar nor the history.
pub(crate) fn replace_address(url: &str) -> Result<(), Error> {
    let history = window()?.history().map_err(|_| Error::Browser {
        reason: "history is not available".to_owned(),
    })?;
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .map_err(|_| Error::Browser {
            reason: "history.replaceState failed".to_owned(),
        })
}

/// Navigates the page to `url`.
pub(crate) fn navigate(url: &str) -> Result<(), Error> {
    window()?
        .location()
        .assign(url)
        .map_err(|_| Error::Browser {
            reason: "navigation to Twitch failed".to_owned(),
        })
}

/// Logs a state change to the console. Callers pass no secrets.
pub(crate) fn log_info(message: &str) {
    web_sys::console::info_1(&JsValue::from_str(&format!("twitch-wasm-auth: {message}")));
}

/// Logs a caught error to the console. Callers pass no secrets.
pub(crate) fn log_warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("twitch-wasm-auth: {message}")));
}
