//! The page's event streams in a real headless Chromium: the app listens for
//! every event name the server can send, and when the page goes away
//! (`pagehide`) the app's root owner is dropped, its cleanups run and the
//! run's event stream is closed by the app, not left to the browser.

mod common;
mod ui;

use proto::EventKind;

use ui::{
    browser, choose_scenario, driver, execute, open_advanced, open_page, set_field, wait_css,
};

/// Wraps the page's `EventSource` so the test can see every stream the app
/// opens (the app builds them through wasm-bindgen, which looks the
/// constructor up when it is called).
const WATCH_SOURCES: &str = "window.__sources = []; window.__listened = new Set(); \
    const Base = window.EventSource; \
    window.EventSource = class extends Base { \
      constructor(url, init) { super(url, init); window.__sources.push(this); } \
      addEventListener(type, ...rest) { window.__listened.add(type); \
        return super.addEventListener(type, ...rest); } };";

/// The ready states of the streams the app opened (0 connecting, 1 open,
/// 2 closed), and whether the app's layout is still mounted.
const STATE: &str = "return { states: window.__sources.map(s => s.readyState), \
    mounted: document.querySelector('main.layout') !== null };";

async fn state(c: &fantoccini::Client) -> (Vec<u64>, bool) {
    let v = c.execute(STATE, vec![]).await.expect("page state");
    let states = v["states"]
        .as_array()
        .expect("states")
        .iter()
        .map(|s| s.as_u64().expect("a ready state"))
        .collect();
    (states, v["mounted"].as_bool().expect("mounted"))
}

#[tokio::test]
async fn the_app_hears_every_event_and_closes_its_stream_when_hidden() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    c.execute(WATCH_SOURCES, vec![])
        .await
        .expect("watch EventSource");

    // A run that stays open (long-running, heartbeating) on its own queue.
    choose_scenario(&c, "long_running").await;
    set_field(&c, "input-task-queue", &common::unique("lifecycle")).await;
    set_field(&c, "scenario-seconds", "30").await;
    set_field(&c, "input-timeout", "60").await;
    open_advanced(&c).await;
    set_field(&c, "input-heartbeat", "10").await;
    execute(&c).await;
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;
    let (states, mounted) = state(&c).await;
    assert!(mounted);
    let listened = c
        .execute("return [...window.__listened]", vec![])
        .await
        .expect("listened names");
    let listened: Vec<String> = serde_json::from_value(listened).expect("names");
    let missing: Vec<&str> = EventKind::NAMES
        .iter()
        .copied()
        .filter(|n| !listened.iter().any(|l| l == n))
        .collect();
    assert!(
        missing.is_empty(),
        "the app listens for every event the server sends; not for {missing:?}"
    );
    assert!(
        states.contains(&1),
        "the app follows the run over an open EventSource: {states:?}"
    );

    c.execute(
        "window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))",
        vec![],
    )
    .await
    .expect("pagehide");
    // The teardown runs inside the handler, so it is over when
    // `dispatchEvent` returns: unmounting and `EventSource.close()` are
    // synchronous. Nothing to wait for.
    let (states, mounted) = state(&c).await;
    assert!(
        !mounted && states.iter().all(|s| *s == 2),
        "after pagehide the app is unmounted and every stream closed: \
         mounted {mounted}, ready states {states:?}"
    );
    c.close().await.expect("close session");
}
