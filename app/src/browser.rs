//! Thin wrappers over the browser platform the app needs besides the network:
//! `localStorage`, the page URL's query string, the clipboard, the clock,
//! the page's visibility and a random source. Failures that cannot hurt the
//! demo (storage full or disabled) are logged to the console, never silently
//! dropped.

use leptos::logging::warn;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ScrollIntoViewOptions, ScrollLogicalPosition, Storage};

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a `localStorage` item.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes a `localStorage` item; logs when the browser refuses.
pub fn save(key: &str, value: &str) {
    match storage() {
        Some(s) => {
            if let Err(e) = s.set_item(key, value) {
                warn!("could not save {key} to localStorage: {e:?}");
            }
        }
        None => warn!("localStorage is not available; {key} is not remembered"),
    }
}

/// Reads a JSON value from `localStorage`; a corrupt item is logged and ignored.
pub fn load_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = load(key)?;
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            warn!("ignoring unreadable {key} in localStorage: {e}");
            None
        }
    }
}

/// Writes a JSON value to `localStorage`.
pub fn save_json<T: serde::Serialize>(key: &str, value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => save(key, &text),
        Err(e) => warn!("could not write {key} for localStorage: {e}"),
    }
}

/// The page URL's query string, `?` included (empty when there is none).
pub fn search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's full URL.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Replaces the page URL's query string with `query` (no `?`) in place
/// (`history.replaceState`, so typing does not flood the back button),
/// keeping the path and the hash. Does nothing when it is already that.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    let wanted = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if search == wanted {
        return;
    }
    let url = format!("{path}{wanted}{hash}");
    let result = window
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
    if let Err(e) = result {
        warn!("could not update the page URL: {e:?}");
    }
}

/// Copies `text` to the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Whether the page is hidden (a background tab, a minimised window):
/// `document.hidden`, the boolean form of `visibilityState`.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// The browser's clock, in unix milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A short random lowercase suffix (base 36), to keep visitors' ids apart.
pub fn random_suffix(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| {
            let i = (js_sys::Math::random() * ALPHABET.len() as f64) as usize;
            char::from(ALPHABET[i.min(ALPHABET.len() - 1)])
        })
        .collect()
}

/// A unix-ms timestamp as the browser's local time of day.
pub fn local_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    String::from(date.to_locale_time_string("default"))
}

/// A unix-ms timestamp as local date and time, for tooltips.
pub fn local_date_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    String::from(date.to_locale_string("default", &JsValue::UNDEFINED))
}

/// Scrolls the element `id` to the top of the viewport unless some of it is
/// already in view (on a narrow screen the run is far below the form).
pub fn reveal(id: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(element) = window.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let rect = element.get_bounding_client_rect();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if rect.bottom() > 0.0 && rect.top() < height {
        return;
    }
    let options = ScrollIntoViewOptions::new();
    options.set_block(ScrollLogicalPosition::Start);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Runs `then` once, when the page is hidden on its way out (`pagehide`).
/// A page the browser keeps for Back (`persisted`) is reloaded when shown
/// again, since what `then` tore down is gone.
pub fn on_page_hide(then: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let hide = Closure::once_into_js(then);
    let show =
        Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(|e: web_sys::PageTransitionEvent| {
            if e.persisted()
                && let Some(w) = web_sys::window()
            {
                let _ = w.location().reload();
            }
        });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let listened = window
        .add_event_listener_with_callback_and_add_event_listener_options(
            "pagehide",
            hide.unchecked_ref(),
            &options,
        )
        .and_then(|()| {
            window.add_event_listener_with_callback("pageshow", show.as_ref().unchecked_ref())
        });
    if let Err(e) = listened {
        warn!("page teardown not registered: {e:?}");
    }
    // Lives as long as the page.
    show.forget();
}
