//! A browser clock that ticks only while something on the page needs it
//! (a countdown, a live timeline), so an idle page runs no timers.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser;

/// The browser's time (unix ms), refreshed every `every` while `active` is
/// true; the timer stops when it turns false and when the owner is cleaned up.
pub fn ticking(active: Memo<bool>, every: Duration) -> RwSignal<f64> {
    let now = RwSignal::new(browser::now_ms());
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    let stop = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        stop();
        if active.get() {
            now.set(browser::now_ms());
            match set_interval_with_handle(move || now.set(browser::now_ms()), every) {
                Ok(handle) => ticker.set_value(Some(handle)),
                Err(e) => leptos::logging::warn!("page clock unavailable: {e:?}"),
            }
        }
    });
    on_cleanup(stop);
    now
}
