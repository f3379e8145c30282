//! Mutual exclusion across the tabs of an origin, through the Web Locks API.
//!
//! `navigator.locks` is bound here by hand because web-sys marks it unstable. Where the API is
//! missing, the lock only excludes callers within this tab. The refresh code then relies on
//! re-reading storage after a failed refresh to adopt another tab's token pair.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::browser;
use crate::Error;

#[wasm_bindgen]
extern "C" {
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &js_sys::Function) -> js_sys::Promise;
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    Some(locks.unchecked_into())
}

thread_local! {
    /// Names of the locks held in this tab when Web Locks are missing.
    static LOCAL_LOCKS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Runs `task` while holding the lock `name`, shared by every tab of the origin.
///
/// When the browser rejects the lock request, `task` runs under the in-tab lock instead.
pub(crate) async fn with_lock<T, F, Fut>(name: &str, task: F) -> Result<T, Error>
where
    T: 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    let Some(manager) = lock_manager() else {
        return Ok(with_local_lock(name, task).await);
    };

    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let pending_task = Rc::new(Cell::new(Some(task)));
    let callback = {
        let slot = Rc::clone(&result);
        let pending_task = Rc::clone(&pending_task);
        Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
            let task = pending_task.take();
            future_to_promise(async move {
                if let Some(task) = task {
                    *slot.borrow_mut() = Some(task().await);
                }
                Ok(JsValue::UNDEFINED)
            })
        })
    };

    let granted = JsFuture::from(manager.request(name, callback.unchecked_ref())).await;
    if let Some(value) = result.borrow_mut().take() {
        return Ok(value);
    }
    if let Some(task) = pending_task.take() {
        browser::log_warn(&format!(
            "Web Lock {name} was refused; using a lock for this tab only"
        ));
        return Ok(with_local_lock(name, task).await);
    }
    let detail = granted
        .err()
        .and_then(|error| error.dyn_into::<js_sys::Error>().ok())
        .map(|error| String::from(error.message()))
        .unwrap_or_default();
    Err(Error::Browser {
        reason: format!("the Web Lock {name} failed: {detail}"),
    })
}

async fn with_local_lock<T, F, Fut>(name: &str, task: F) -> T
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = T>,
{
    while LOCAL_LOCKS.with(|locks| locks.borrow().iter().any(|held| held == name)) {
        browser::sleep(25).await;
    }
    LOCAL_LOCKS.with(|locks| locks.borrow_mut().push(name.to_owned()));

    let value = task().await;

    LOCAL_LOCKS.with(|locks| locks.borrow_mut().retain(|held| held != name));
    value
}
