//! The Runs list in a real headless Chromium against the real app: a run
//! started with the `temporal` CLI while the page is open shows up in the
//! list (Temporal's own record, refreshed live), opens with its log rebuilt
//! from Temporal, and "Start like this one" fills the form with the options
//! Temporal recorded, which then start a run like it; and the list is not
//! asked for while the tab is hidden.

mod cli;
mod common;
mod ui;

use cli::{run_id_of, temporal_activity};
use proto::ActivityConfig;
use ui::{browser, driver, open_page, testid, value, wait_css};

#[tokio::test]
async fn a_cli_run_is_listed_and_started_again_like_itself() {
    let app = common::app();
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    testid(&c, "runs-list").await;

    // Started behind the page's back, while it is open.
    let id = common::unique("cli-browser");
    let queue = ActivityConfig::default().task_queue;
    let out = temporal_activity(
        &app.info.address,
        &app.info.namespace,
        &[
            "execute",
            "-a",
            &id,
            "--type",
            "compose_greeting",
            "-t",
            &queue,
            "--start-to-close-timeout",
            "12s",
            "--retry-maximum-attempts",
            "2",
            "--retry-initial-interval",
            "3s",
            "--retry-maximum-interval",
            "20s",
            "-i",
            "\"Ada\"",
            "-o",
            "json",
        ],
    );
    let run_id = run_id_of(&out);
    let item = format!(
        "[data-testid=runs-list] [data-testid=runs-item][data-run-id='{run_id}'][data-status=completed]"
    );
    let listed = wait_css(&c, &item).await;
    assert_eq!(
        listed
            .attr("data-activity-id")
            .await
            .expect("attr")
            .as_deref(),
        Some(id.as_str())
    );

    // Opened from the list: its log, rebuilt from Temporal, to the result.
    wait_css(&c, &format!("{item} .runs-button"))
        .await
        .click()
        .await
        .expect("open the run");
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    assert!(result.text().await.expect("text").contains("Hello, Ada!"));

    // Start like this one: the form holds what Temporal recorded.
    wait_css(&c, &format!("{item} [data-testid=runs-like]"))
        .await
        .click()
        .await
        .expect("Start like this one");
    testid(&c, "runs-like-note").await;
    assert_eq!(value(&c, "input-activity-id").await, id);
    assert_eq!(value(&c, "input-task-queue").await, queue);
    assert_eq!(value(&c, "input-name").await, "Ada");
    assert_eq!(value(&c, "input-timeout").await, "12");
    assert_eq!(value(&c, "input-initial-interval").await, "3");
    assert_eq!(value(&c, "input-max-interval").await, "20");
    assert_eq!(value(&c, "max-retries").await, "1");
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(cli.contains("--type compose_greeting"), "{cli}");
    assert!(cli.contains(&id), "{cli}");

    // ...and starts a run like it: a new run of the same id, listed too.
    // Keyboard focus sits on the first run meanwhile (Execute is clicked
    // from script, which leaves focus where it is): the refresh that lists
    // the new run above it keeps that very element, and the focus in it.
    wait_css(&c, "[data-testid=execute]:not([disabled])").await;
    c.execute(
        "const b = document.querySelector(arguments[0]); b.focus(); b.keptByTheList = true; \
         document.querySelector('[data-testid=execute]').click();",
        vec![serde_json::json!(format!("{item} .runs-button"))],
    )
    .await
    .expect("focus a run, then Execute");
    wait_css(
        &c,
        &format!("[data-testid=runs-item][data-activity-id='{id}']:not([data-run-id='{run_id}'])"),
    )
    .await;
    let focused = c
        .execute(
            "const e = document.activeElement; \
             return [e.keptByTheList === true, e.closest('[data-testid=runs-item]')?.dataset.runId];",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(focused, serde_json::json!([true, run_id]));
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    assert!(result.text().await.expect("text").contains("Hello, Ada!"));
    c.close().await.expect("close session");
}

/// How many times the page has asked for the Runs list so far.
async fn list_requests(c: &fantoccini::Client) -> u64 {
    let js = "return performance.getEntriesByType('resource')\
              .filter(e => new URL(e.name).pathname === '/api/runs').length;";
    c.execute(js, vec![])
        .await
        .expect("script")
        .as_u64()
        .expect("a count")
}

/// Sets what `document.hidden` says and tells the page, as the browser
/// does when a tab goes to the background or comes back (a headless
/// browser has no background to send a tab to).
async fn set_hidden(c: &fantoccini::Client, hidden: bool) {
    let js = format!(
        "Object.defineProperty(document, 'hidden', {{configurable: true, get: () => {hidden}}});\
         document.dispatchEvent(new Event('visibilitychange', {{bubbles: true}}));"
    );
    c.execute(&js, vec![]).await.expect("script");
}

#[tokio::test]
async fn the_list_is_not_asked_for_while_the_tab_is_hidden() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    testid(&c, "runs-list").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while list_requests(&c).await < 2 {
        // The page asks once at load, then every 5 s.
        assert!(std::time::Instant::now() < deadline, "no live refresh");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await; // sleep-ok: polls a browser counter under the deadline
    }
    set_hidden(&c, true).await;
    let hidden_at = list_requests(&c).await;
    // Absence takes waiting to show: two refresh periods and a bit.
    tokio::time::sleep(std::time::Duration::from_secs(11)).await; // sleep-ok: proving no request is made while hidden
    assert_eq!(list_requests(&c).await, hidden_at, "asked while hidden");
    set_hidden(&c, false).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while list_requests(&c).await == hidden_at {
        // Visible again: asked at once, not at the next period.
        assert!(std::time::Instant::now() < deadline, "not asked on return");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await; // sleep-ok: polls a browser counter under the deadline
    }
    c.close().await.expect("close session");
}
