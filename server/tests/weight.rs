//! What the page must reach (issue 21; `docs/page-weight.md` says how it is
//! measured and today's figures). The weight: a real headless Chromium opens
//! the page and says, through Resource Timing, every file the page loaded
//! (API calls and streams aside); each is fetched again over a real socket as
//! a browser asking for brotli gets it, and the total must stay within the
//! budget; the breakdown is printed, largest first, like `size-limit` does.
//! What a visitor feels: the same browser, slowed through the DevTools
//! protocol to a slow phone on Slow 4G, times how long the page takes until
//! it can be used, against the floor of the HTML and CSS alone.

mod common;
mod ui;

use serde_json::json;
use ui::{browser, cdp, driver, open_page};

/// The ceiling the page may not exceed, in brotli bytes over the wire: a
/// ratchet at today's page plus a little, so it can only shrink. Issue 22's
/// operator commands moved it from 252 KB to 280 KB (275.2 KB measured),
/// issue 23's Workflow programs and Compare panel to 294 KB (289.7 KB);
/// what each part weighs is in `docs/page-weight.md`.
const BUDGET: u64 = 294 * 1024;

/// Issue 21's goal for the weight, printed beside the figure: not met by the
/// page on Leptos views, serde and gloo-net (`docs/page-weight.md` says what
/// was measured and why).
const GOAL: u64 = 200 * 1024;

/// The two tests one at a time: the weight test's browser would steal CPU
/// from the one being timed.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What the browser loaded for the page: same-origin paths, API aside.
async fn loaded_paths(c: &fantoccini::Client) -> Vec<String> {
    let js = "return [location.pathname].concat(performance.getEntriesByType('resource')\
              .map(e => new URL(e.name)).filter(u => u.origin === location.origin)\
              .map(u => u.pathname))";
    let value = c.execute(js, vec![]).await.expect("resource timing");
    let mut paths: Vec<String> = serde_json::from_value(value).expect("a list of paths");
    paths.retain(|p| !p.starts_with("/api/"));
    paths.sort();
    paths.dedup();
    paths
}

/// The body bytes of `path` as the server sends it to a browser that
/// accepts brotli (the client does not decompress it), and the encoding.
async fn wire_size(base: &str, path: &str) -> (u64, String) {
    let resp = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .expect("GET asset");
    assert_eq!(resp.status(), 200, "{path}");
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    let body = resp.bytes().await.expect("body");
    (body.len() as u64, encoding)
}

#[tokio::test]
async fn the_page_stays_within_its_weight_budget() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    let paths = loaded_paths(&c).await;
    assert!(
        paths.iter().any(|p| p.ends_with(".wasm")),
        "the page's WebAssembly is among what it loaded: {paths:?}"
    );
    let mut sizes = Vec::new();
    for path in paths {
        let (bytes, encoding) = wire_size(&common::app().base, &path).await;
        sizes.push((bytes, encoding, path));
    }
    sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
    let total: u64 = sizes.iter().map(|s| s.0).sum();
    let mut report = String::from("page weight over the wire:\n");
    for (bytes, encoding, path) in &sizes {
        report.push_str(&format!(
            "  {:>8.1} KB  {encoding:<8} {path}\n",
            *bytes as f64 / 1024.0
        ));
    }
    report.push_str(&format!(
        "  {:>8.1} KB  total (budget {:.1} KB; issue 21's goal {:.1} KB: {})\n",
        total as f64 / 1024.0,
        BUDGET as f64 / 1024.0,
        GOAL as f64 / 1024.0,
        if total <= GOAL { "met" } else { "not met" }
    ));
    eprintln!("{report}");
    for (_, encoding, path) in &sizes {
        assert!(
            encoding == "br" || path.ends_with(".png"),
            "{path} is sent as {encoding}, not brotli\n{report}"
        );
    }
    assert!(total <= BUDGET, "over the page-weight budget\n{report}");
}

/// Slow 4G as issue 21 names it: the round trip DevTools adds to every request.
const RTT_MS: u32 = 400;

/// Slow 4G as issue 21 names it: the bandwidth, down and up alike.
const KBIT_PER_S: u32 = 400;

/// How many times slower the page's CPU runs: a mid-range phone.
const CPU_SLOWDOWN: u32 = 4;

/// Navigation → the Execute button enabled and the SDK code shown, at most:
/// a ratchet at today's figure (7.3–7.7 s after issue 23's Workflow code,
/// 7.0 s after issue 22's operator commands, 6.2 s before; most of it the
/// WebAssembly arriving at 400 kbit/s) plus the spread seen between runs and
/// machines.
const INTERACTIVE_BUDGET_MS: f64 = 8200.0;

/// Issue 21's goal for that time, printed beside the figure: not met (at
/// 400 kbit/s, 3.0 s leaves room for about 120 KB in all).
const INTERACTIVE_GOAL_MS: f64 = 3000.0;

/// Fresh navigations per figure; the median is the figure.
const RUNS: usize = 3;

/// Runs in every new document before its own scripts: each promise resolves
/// with `performance.now()` (ms since navigation start) at the first frame
/// in which its condition holds, polled on every `requestAnimationFrame`
/// (the frame that paints it, so the clock stops when a visitor sees it).
const WATCH: &str = r#"(() => {
  const firstFrame = (holds) => new Promise((resolve) => {
    const tick = () => holds() ? resolve(performance.now()) : requestAnimationFrame(tick);
    requestAnimationFrame(tick);
  });
  window.__saStyled = firstFrame(() => document.readyState === 'complete');
  window.__saReady = firstFrame(() => {
    const execute = document.querySelector('[data-testid=execute]');
    const code = document.querySelector('[data-testid=sdk-code]');
    return execute !== null && !execute.matches('[disabled]')
      && code !== null && code.textContent.trim() !== '';
  });
})();"#;

/// Makes the browser's tab a slow phone on Slow 4G, through the DevTools
/// protocol, for every navigation from now on: no HTTP cache, the network
/// and the CPU slowed, and the page's clock (`WATCH`) in every new document.
async fn slow_phone(c: &fantoccini::Client) {
    cdp(c, "Network.enable", json!({})).await;
    cdp(
        c,
        "Network.setCacheDisabled",
        json!({"cacheDisabled": true}),
    )
    .await;
    let bytes_per_s = KBIT_PER_S * 1000 / 8;
    let network = json!({"offline": false, "latency": RTT_MS,
                         "downloadThroughput": bytes_per_s, "uploadThroughput": bytes_per_s});
    cdp(c, "Network.emulateNetworkConditions", network).await;
    let cpu = json!({"rate": CPU_SLOWDOWN});
    cdp(c, "Emulation.setCPUThrottlingRate", cpu).await;
    let watch = json!({"source": WATCH});
    cdp(c, "Page.addScriptToEvaluateOnNewDocument", watch).await;
}

/// What the browser fetched for one navigation, from Resource Timing: the
/// path, when the request started and when its last byte arrived (ms since
/// navigation start), and the bytes received (headers included).
type Fetched = (String, f64, f64, u64);

/// One fresh navigation to the page on the slowed browser: the cache
/// cleared, `blocked` URL patterns refused. Returns the milestone's time in
/// ms, and what the browser fetched until then.
async fn visit(c: &fantoccini::Client, blocked: &[&str], milestone: &str) -> (f64, Vec<Fetched>) {
    cdp(c, "Network.setBlockedURLs", json!({"urls": blocked})).await;
    // The cache is off; emptied as well, so nothing of the last visit is reused.
    cdp(c, "Network.clearBrowserCache", json!({})).await;
    c.goto("about:blank").await.expect("blank page");
    c.goto(&format!("{}/", common::app().base))
        .await
        .expect("open page");
    // WebDriver waits for the promise the page's watcher made.
    let at = c
        .execute(&format!("return window.{milestone}"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{milestone} within the script timeout: {e}"))
        .as_f64()
        .unwrap_or_else(|| panic!("{milestone}: the watcher did not run"));
    let js = "return performance.getEntriesByType('navigation')\
              .concat(performance.getEntriesByType('resource'))\
              .map(e => [new URL(e.name).pathname, e.startTime, e.responseEnd, e.transferSize])";
    let fetched = c.execute(js, vec![]).await.expect("resource timing");
    let fetched = serde_json::from_value(fetched).expect("[path, start, end, bytes] each");
    (at, fetched)
}

/// The middle of `runs`.
fn median(runs: &mut [f64]) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

#[tokio::test]
async fn a_visitor_on_slow_4g_can_use_the_page_within_three_seconds() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let driver = driver().await;
    let c = browser(&driver).await;
    // The app is up and the page works before any clock runs.
    open_page(&c).await;
    slow_phone(&c).await;

    // Interleaved, so a busy moment on the machine falls on both figures.
    let (mut ready, mut floor, mut last) = (Vec::new(), Vec::new(), Vec::new());
    // Received, not only asked for: the HTML preloads it, and a blocked
    // preload still leaves an entry, with nothing transferred.
    let wasm = |fetched: &[Fetched]| fetched.iter().any(|f| f.0.ends_with(".wasm") && f.3 > 0);
    for _ in 0..RUNS {
        // The floor: no script of the page runs (the watcher is DevTools').
        let (at, fetched) = visit(&c, &["*.js", "*.wasm"], "__saStyled").await;
        assert!(!wasm(&fetched), "the floor received the WebAssembly");
        floor.push(at);
        let (at, fetched) = visit(&c, &[], "__saReady").await;
        assert!(wasm(&fetched), "the page was ready without its WebAssembly");
        ready.push(at);
        last = fetched;
    }
    let runs = |r: &[f64]| {
        r.iter()
            .map(|ms| format!("{ms:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (ready_runs, floor_runs) = (runs(&ready), runs(&floor));
    let (ready, floor) = (median(&mut ready), median(&mut floor));
    let mut report = format!(
        "a visitor on Slow 4G ({RTT_MS} ms RTT, {KBIT_PER_S} kbit/s each way) and a CPU \
         {CPU_SLOWDOWN}x slower, median of {RUNS} fresh navigations (cache off):\n  \
         {ready:>6.0} ms  navigation -> Execute enabled and SDK code shown \
         (runs {ready_runs}; budget {INTERACTIVE_BUDGET_MS:.0} ms, issue 21's goal {INTERACTIVE_GOAL_MS:.0} ms: {})\n  \
         {floor:>6.0} ms  floor: the HTML + CSS alone (.js, .wasm blocked), \
         navigation -> loaded and painted (runs {floor_runs})\n  \
         {:>6.0} ms  what the app's scripts and WebAssembly add\n\
         the last run, file by file (ms since navigation start, KB received):\n",
        if ready <= INTERACTIVE_GOAL_MS {
            "met"
        } else {
            "not met"
        },
        ready - floor,
    );
    last.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (path, start, end, bytes) in &last {
        report.push_str(&format!(
            "  {start:>6.0} -> {end:>6.0} ms  {:>6.1} KB  {path}\n",
            *bytes as f64 / 1024.0
        ));
    }
    let received: u64 = last.iter().map(|f| f.3).sum();
    report.push_str(&format!(
        "  {:>6.1} KB received in all\n",
        received as f64 / 1024.0
    ));
    eprintln!("{report}");
    assert!(
        ready <= INTERACTIVE_BUDGET_MS,
        "slower than the budget for a visitor\n{report}"
    );
}
