//! Test helpers for runs the demo did not start: the real `temporal` CLI
//! pointed at the test's Temporal, and waiting on the demo's Runs list
//! (Temporal's visibility is eventually consistent: a new run or a new
//! status shows there within about a second).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proto::{RunSummary, RunsPage};

/// How long Temporal's visibility may take to show a change.
pub const VISIBILITY_DEADLINE: Duration = Duration::from_secs(20);

/// Runs `temporal activity <args>` against `address`/`namespace`; it must
/// succeed. Returns its standard output.
pub fn temporal_activity(address: &str, namespace: &str, args: &[&str]) -> String {
    let cli = std::env::var_os("SA_DEMO_TEMPORAL_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("temporal"));
    let out = std::process::Command::new(cli)
        .arg("activity")
        .args(args)
        .args(["--address", address, "--namespace", namespace])
        .output()
        .expect("the temporal CLI runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "temporal activity {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The run id in the CLI's `-o json` answer.
pub fn run_id_of(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).expect("CLI JSON");
    v["runId"].as_str().expect("runId").to_owned()
}

/// `GET {base}/api/runs?{query}`; must answer 200.
pub async fn runs_page(base: &str, query: &str) -> RunsPage {
    let resp = reqwest::get(format!("{base}/api/runs?{query}"))
        .await
        .expect("GET /api/runs");
    assert_eq!(
        resp.status(),
        200,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    resp.json().await.expect("RunsPage")
}

/// Asks `GET /api/runs?{query}` until `found` picks something from the
/// page, within [`VISIBILITY_DEADLINE`].
pub async fn wait_page<T>(base: &str, query: &str, found: impl Fn(&RunsPage) -> Option<T>) -> T {
    let deadline = Instant::now() + VISIBILITY_DEADLINE;
    loop {
        let page = runs_page(base, query).await;
        if let Some(t) = found(&page) {
            return t;
        }
        assert!(
            Instant::now() < deadline,
            "not listed within {VISIBILITY_DEADLINE:?} by ?{query}: {page:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await; // sleep-ok: visibility has no long poll; asked again under the deadline
    }
}

/// Waits until `run_id` is listed by `?{query}` in `status`.
pub async fn wait_listed(
    base: &str,
    query: &str,
    run_id: &str,
    status: proto::RunStatus,
) -> RunSummary {
    wait_page(base, query, |p| {
        p.runs
            .iter()
            .find(|r| r.run_id == run_id && r.status == status)
            .cloned()
    })
    .await
}
