//! The page-weight budget: a real headless Chromium opens the page and
//! says, through Resource Timing, every file the page loaded (API calls and
//! streams aside); each is fetched again over a real socket as a browser
//! asking for brotli gets it, and the total must stay within the budget.
//! Prints the breakdown, largest first, like `size-limit` does.

mod common;
mod ui;

use ui::{browser, driver, open_page};

/// The ceiling the page may not exceed, in brotli bytes over the wire: issue
/// 12's goal (the README says what the page holds).
const BUDGET: u64 = 150 * 1024;

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
        "  {:>8.1} KB  total (budget {:.1} KB)\n",
        total as f64 / 1024.0,
        BUDGET as f64 / 1024.0
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
