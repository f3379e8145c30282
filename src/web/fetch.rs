//! Sends an [`HttpRequest`] with the browser's `fetch`, bounded by a timeout.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit,
    RequestMode,
};

use crate::http::{HttpRequest, HttpResponse, TransportError};

/// Sends `request` and reads the whole body as text.
///
/// The request omits cookies, referrer and cache. A response without CORS headers, a dropped
/// connection or an offline browser all surface as [`TransportError::Network`]. No response
/// within `timeout_ms` (headers and body) surfaces as [`TransportError::Timeout`].
pub(crate) async fn send(
    request: &HttpRequest,
    timeout_ms: u32,
) -> Result<HttpResponse, TransportError> {
    let window = web_sys::window().ok_or(TransportError::Network)?;

    let headers = Headers::new().map_err(|_| TransportError::Network)?;
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| TransportError::Network)?;
    }
    if request.form_body.is_some() {
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(|_| TransportError::Network)?;
    }

    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_headers(&headers);
    if let Some(body) = &request.form_body {
        init.set_body(&JsValue::from_str(body));
    }

    // The timer aborts the request, and the flag distinguishes that abort from a network failure.
    let controller = AbortController::new().map_err(|_| TransportError::Network)?;
    init.set_signal(Some(&controller.signal()));
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let timed_out = Rc::clone(&timed_out);
        let controller = controller.clone();
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            timeout_ms.min(i32::MAX as u32) as i32,
        )
        .map_err(|_| TransportError::Network)?;

    let result = read_response(&window, &request.url, &init).await;

    window.clear_timeout_with_handle(timer);
    drop(on_timeout);

    result.map_err(|_| {
        if timed_out.get() {
            TransportError::Timeout
        } else {
            TransportError::Network
        }
    })
}

async fn read_response(
    window: &web_sys::Window,
    url: &str,
    init: &RequestInit,
) -> Result<HttpResponse, JsValue> {
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await?
        .dyn_into()?;
    let body = JsFuture::from(response.text()?).await?;

    let ratelimit_reset = response
        .headers()
        .get("Ratelimit-Reset")
        .ok()
        .flatten()
        // Whole Unix seconds. Parsing as an integer keeps float parsing out of the bundle.
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(|seconds| seconds as f64);

    Ok(HttpResponse {
        status: response.status(),
        body: body.as_string().unwrap_or_default(),
        ratelimit_reset,
    })
}
