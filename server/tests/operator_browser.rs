//! Operator commands from the page, in a real headless Chromium against the
//! real app and its dev server: Pause during a backoff (the log, the Runs
//! list and Temporal's own record say PAUSED), Reset (the timeline adds a
//! round of lanes below the old ones, which stay as they were), Update
//! options (Temporal records the new timeout, the log says so), Terminate,
//! then Delete (Temporal no longer knows the run).

mod cli;
mod common;
mod ui;

use std::time::{Duration, Instant};

use cli::temporal_activity;
use ui::{
    browser, choose_scenario, driver, execute, open_advanced, open_page, set_field, testid,
    wait_css, wait_xpath,
};

/// Temporal's status of a run, from `temporal activity describe`.
fn status(activity_id: &str, run_id: &str) -> String {
    let app = common::app();
    let out = temporal_activity(
        &app.info.address,
        &app.info.namespace,
        &["describe", "-a", activity_id, "-r", run_id, "-o", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("describe JSON");
    v["info"]["status"].as_str().unwrap_or_default().to_owned()
}

/// Waits until Temporal's record of the run says `want`.
async fn wait_status(activity_id: &str, run_id: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = status(activity_id, run_id);
        if now == want {
            return;
        }
        assert!(Instant::now() < deadline, "status {now}, expected {want}");
        // Temporal's record is read by running its CLI; it has no change to
        // wait on, so it is asked again, within the deadline above.
        tokio::time::sleep(Duration::from_millis(100)).await; // sleep-ok: polls the CLI's record
    }
}

async fn click(c: &fantoccini::Client, id: &str) {
    wait_css(c, &format!("[data-testid={id}]:not([disabled])"))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {id}: {e}"));
}

#[tokio::test]
async fn pause_reset_and_delete_from_the_page_do_what_temporal_records() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    let activity_id = common::unique("operator-ui");
    set_field(&c, "input-activity-id", &activity_id).await;
    // Every attempt fails, with a long backoff to pause in.
    choose_scenario(&c, "fail_first").await;
    set_field(&c, "fail-attempts", "5").await;
    set_field(&c, "max-retries", "4").await;
    open_advanced(&c).await;
    set_field(&c, "input-initial-interval", "8").await;
    execute(&c).await;
    let run_id = testid(&c, "run-id").await.text().await.expect("run id");
    wait_css(&c, "[data-testid=timeline-backoff]").await;

    // Pause in the backoff: Temporal's record, the log and the Runs list agree.
    click(&c, "pause").await;
    wait_xpath(
        &c,
        "//*[@data-testid='operator-answer'][contains(., 'accepted pause')]",
    )
    .await;
    wait_status(&activity_id, &run_id, "ACTIVITY_EXECUTION_STATUS_PAUSED").await;
    wait_css(&c, "[data-testid=log-line][data-type=paused]").await;
    wait_css(&c, "[data-testid=timeline-paused]").await;
    wait_css(
        &c,
        &format!("[data-testid=runs-item][data-run-id='{run_id}'][data-status=paused]"),
    )
    .await;

    // Reset: attempt 1 again, in a new round of lanes below round 0's.
    click(&c, "reset").await;
    wait_css(&c, "[data-testid=log-line][data-type=attempts_reset]").await;
    wait_css(&c, "[data-testid=timeline-reset]").await;
    let lane = "[data-testid=timeline-attempt][data-round='1'][data-attempt='1']";
    wait_css(&c, lane).await;
    let old = wait_css(
        &c,
        "[data-testid=timeline-attempt][data-round='0'][data-attempt='1']",
    )
    .await;
    assert_eq!(
        old.attr("data-outcome").await.expect("attr").as_deref(),
        Some("failed"),
        "round 0's first attempt stays as it ended"
    );

    // New options: Temporal records them and the log says so.
    set_field(&c, "update-stc", "25").await;
    click(&c, "update-options").await;
    wait_xpath(
        &c,
        "//*[@data-testid='operator-answer'][contains(., 'accepted update-options')]",
    )
    .await;
    wait_css(&c, "[data-testid=log-line][data-type=options_changed]").await;
    let out = temporal_activity(
        &common::app().info.address,
        &common::app().info.namespace,
        &["describe", "-a", &activity_id, "-r", &run_id, "-o", "json"],
    );
    assert!(out.contains("\"startToCloseTimeout\": \"25s\""), "{out}");

    // Terminate, then Delete: Temporal no longer knows the run.
    click(&c, "terminate").await;
    wait_css(&c, "[data-testid=result][data-status=terminated]").await;
    click(&c, "delete").await;
    wait_xpath(
        &c,
        "//*[@data-testid='operator-answer'][contains(., 'accepted delete')]",
    )
    .await;
    let app = common::app();
    let gone = std::process::Command::new(
        std::env::var_os("SA_DEMO_TEMPORAL_CLI").unwrap_or_else(|| "temporal".into()),
    )
    .args(["activity", "describe", "-a", &activity_id, "-r", &run_id])
    .args([
        "--address",
        &app.info.address,
        "--namespace",
        &app.info.namespace,
    ])
    .output()
    .expect("the temporal CLI runs");
    assert!(
        !gone.status.success(),
        "Temporal still describes a deleted run"
    );
    c.close().await.expect("close session");
}
