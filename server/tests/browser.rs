//! End to end in a real headless Chromium (Debian's, driven by chromedriver
//! through fantoccini) against the real app: the page executes runs on the
//! real Temporal Server and shows what really happened.

mod common;
mod ui;

use fantoccini::{Client, Locator};
use ui::{
    Driver, UI_DEADLINE, browser, choose_scenario, count, driver, execute, open_advanced,
    open_page, set_field, testid, value, wait_css, wait_xpath,
};

/// Fills the form for a 30 s long-running run that heartbeats, on a task
/// queue of its own: another test's app may poll the shared default queue
/// and stop (cancelling what it runs) when that test ends.
async fn long_run_form(c: &Client, queue: &str) {
    choose_scenario(c, "long_running").await;
    set_field(c, "input-task-queue", &common::unique(queue)).await;
    set_field(c, "scenario-seconds", "30").await;
    set_field(c, "input-timeout", "60").await;
    open_advanced(c).await;
    set_field(c, "input-heartbeat", "10").await;
}

/// Shows only this browser's runs in the Runs list, and waits until Temporal
/// lists all `n` of them there.
async fn show_mine(c: &Client, n: usize) {
    let mine = testid(c, "runs-mine").await;
    if mine.prop("checked").await.expect("checked").as_deref() != Some("true") {
        mine.click().await.expect("tick Mine");
    }
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css(&format!(
            "[data-testid=runs-list][data-mine=true] [data-testid=runs-item]:nth-child({n})"
        )))
        .await
        .unwrap_or_else(|e| panic!("{n} runs of this browser listed: {e}"));
    assert_eq!(count(c, "[data-testid=runs-item]").await, n);
}

#[tokio::test]
async fn executes_real_runs_from_the_page() {
    let app = common::app();
    let driver = driver().await;
    let c = browser(&driver).await;
    c.goto(&format!("{}/?lang=python", app.base))
        .await
        .expect("open page");

    // The page knows where it runs, and shows that language's code.
    let code = testid(&c, "sdk-code").await.text().await.expect("code");
    assert!(code.contains("compose_greeting"), "{code}");
    assert!(code.contains(&app.info.address), "{code}");
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(cli.contains("--type compose_greeting"), "{cli}");

    // 1. Defaults: Hello, World! and every node of the flow completed.
    execute(&c).await;
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    let text = result.text().await.expect("text");
    assert!(text.contains("Hello, World!"), "{text}");
    for node in ["client", "server", "task-queue", "worker", "activity"] {
        let state = testid(&c, &format!("flow-node-{node}"))
            .await
            .attr("data-state")
            .await
            .expect("attr");
        assert_eq!(state.as_deref(), Some("completed"), "flow node {node}");
    }
    assert!(count(&c, "[data-testid=log-line][data-type=scheduled]").await == 1);
    assert!(count(&c, "[data-testid=log-line][data-type=completed]").await == 1);
    let log_role = testid(&c, "log").await.attr("role").await.expect("attr");
    assert_eq!(log_role.as_deref(), Some("log"));
    if let Some(path) = std::env::var_os("SA_DEMO_SCREENSHOT") {
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    // 2. Two real failures with the server's 1 s and 2 s backoff, then success.
    testid(&c, "simulate-failures")
        .await
        .click()
        .await
        .expect("tick");
    set_field(&c, "fail-attempts", "2").await;
    set_field(&c, "max-retries", "2").await;
    let forecast = testid(&c, "forecast").await.text().await.expect("forecast");
    assert!(forecast.contains("attempt 3 succeeds"), "{forecast}");
    execute(&c).await;
    // The countdown to the next attempt shows while the task waits out its backoff.
    wait_xpath(
        &c,
        "//*[@data-testid='countdown'][contains(., 'next attempt in')]",
    )
    .await;
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    assert!(result.text().await.expect("text").contains("Hello, World!"));
    assert_eq!(
        count(&c, "[data-testid=log-line][data-type=attempt_failed]").await,
        2
    );
    let log = testid(&c, "log").await.text().await.expect("log");
    assert!(
        log.contains("retries in 1 s") && log.contains("retries in 2 s"),
        "{log}"
    );

    // 3. Retries exhausted: the run fails with the last error.
    set_field(&c, "fail-attempts", "3").await;
    execute(&c).await;
    let result = wait_css(&c, "[data-testid=result][data-status=failed]").await;
    let text = result.text().await.expect("text");
    assert!(text.contains("attempt 3"), "{text}");

    // 4. A reload loses nothing: this browser's runs, as Temporal lists them.
    show_mine(&c, 3).await;
    c.refresh().await.expect("reload");
    show_mine(&c, 3).await;

    c.close().await.expect("close session");
}

#[tokio::test]
async fn typing_a_decimal_keeps_every_keystroke() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    open_advanced(&c).await;
    // "0." is not yet a number: the field must keep what was typed, not be
    // reset to the empty value the browser reports for it meanwhile.
    set_field(&c, "input-initial-interval", "0.5").await;
    set_field(&c, "input-backoff", "1.5").await;
    assert_eq!(value(&c, "input-initial-interval").await, "0.5");
    assert_eq!(value(&c, "input-backoff").await, "1.5");
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(
        cli.contains("--retry-initial-interval 500ms")
            && cli.contains("--retry-backoff-coefficient 1.5"),
        "{cli}"
    );
}

/// Issue 12 keeps code generation in the browser so that the code follows
/// the form within a frame: after one keystroke's `input` event, the SDK
/// snippet and the CLI command show it before the next frame is painted
/// (checked from a `requestAnimationFrame` callback, which runs before that
/// paint), on every language tab.
#[tokio::test]
async fn the_code_follows_a_keystroke_within_a_frame() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    let js = "const [id, done] = arguments; \
              const input = document.querySelector('[data-testid=input-activity-id]'); \
              input.value = id; \
              input.dispatchEvent(new Event('input', { bubbles: true })); \
              requestAnimationFrame(() => done([ \
                document.querySelector('[data-testid=sdk-code]').textContent.includes(id), \
                document.querySelector('[data-testid=cli-command]').textContent.includes(id)]));";
    for lang in ["go", "python", "dotnet", "java", "typescript", "ruby"] {
        testid(&c, &format!("lang-tab-{lang}"))
            .await
            .click()
            .await
            .expect("choose the tab");
        let id = format!("frame-check-{lang}");
        let seen = c
            .execute_async(js, vec![serde_json::json!(id)])
            .await
            .expect("script");
        assert_eq!(seen, serde_json::json!([true, true]), "{lang}: {id}");
    }
    c.close().await.expect("close session");
}

#[tokio::test]
async fn cancels_a_long_running_run_from_the_page() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    // A first, quick run of the same activity id, to come back to below.
    execute(&c).await;
    wait_css(&c, "[data-testid=result][data-status=completed]").await;

    long_run_form(&c, "cancel-queue").await;
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(cli.contains("--heartbeat-timeout"), "{cli}");
    execute(&c).await;
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;

    // Looking at the first run, starting the id again is refused: the
    // long-running run holds it. The page offers to follow that run.
    show_mine(&c, 2).await;
    wait_css(&c, "[data-testid=runs-item]:nth-child(2) .runs-button")
        .await
        .click()
        .await
        .expect("show the first run");
    wait_css(&c, "[data-testid=result][data-status=completed]").await;
    execute(&c).await;
    testid(&c, "follow-existing")
        .await
        .click()
        .await
        .expect("follow the running run");

    // Cancel it once it is followed and really working (heartbeating).
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;
    wait_css(&c, "[data-testid=cancel]:not([disabled])")
        .await
        .click()
        .await
        .expect("click cancel");
    wait_css(&c, "[data-testid=result][data-status=canceled]").await;
    wait_css(&c, "[data-testid=flow-node-activity][data-state=failed]").await;
    assert_eq!(
        count(&c, "[data-testid=log-line][data-type=cancel_requested]").await,
        1
    );
    // The run is over: nothing left to cancel or terminate.
    wait_css(&c, "[data-testid=cancel][disabled]").await;
    wait_css(&c, "[data-testid=terminate][disabled]").await;
    c.close().await.expect("close session");
}

#[tokio::test]
async fn an_outage_gets_a_task_queue_of_its_own() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    // The server refuses an outage of the shared queue: the form moves the
    // run to a fresh one, and says why.
    choose_scenario(&c, "outage").await;
    set_field(&c, "scenario-seconds", "3").await;
    let queue = value(&c, "input-task-queue").await;
    assert!(queue.starts_with("outage-"), "{queue}");
    testid(&c, "scenario-note").await;
    execute(&c).await;
    // The task waits on the queue while no Worker polls it.
    wait_css(&c, "[data-testid=flow-node-task-queue][data-state=waiting]").await;
    wait_xpath(
        &c,
        "//*[@data-testid='countdown'][contains(., 'Worker back in')]",
    )
    .await;
    wait_css(&c, "[data-testid=log-line][data-type=worker_online]").await;
    wait_css(&c, "[data-testid=result][data-status=completed]").await;
    // That queue is taken now: the next outage gets another.
    let next = value(&c, "input-task-queue").await;
    assert!(next.starts_with("outage-") && next != queue, "{next}");
    c.close().await.expect("close session");
}

#[tokio::test]
async fn a_worker_crash_is_caught_by_the_heartbeat_timeout() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    choose_scenario(&c, "crash").await;
    // A queue of its own: another test's app may poll the shared default
    // queue and stop (cancelling what it runs) when that test ends.
    set_field(&c, "input-task-queue", &common::unique("crash-queue")).await;
    set_field(&c, "fail-attempts", "1").await;
    // A crash is noticed only through a heartbeat timeout: the form set one,
    // showed it, and said so.
    assert_eq!(value(&c, "input-heartbeat").await, "2");
    let advanced = testid(&c, "advanced").await;
    assert!(advanced.attr("open").await.expect("open").is_some());
    let note = testid(&c, "scenario-note")
        .await
        .text()
        .await
        .expect("note");
    assert!(note.contains("Heartbeat timeout"), "{note}");
    execute(&c).await;

    wait_xpath(
        &c,
        "//*[@data-testid='log-line'][@data-type='attempt_failed'][contains(., 'heartbeat')]",
    )
    .await;
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    let text = result.text().await.expect("text");
    assert!(text.contains("attempt 2"), "{text}");
    c.close().await.expect("close session");
}

/// The browser console's messages since the last call (chromedriver's log
/// endpoint, which fantoccini does not wrap).
async fn console(driver: &Driver, c: &Client) -> Vec<String> {
    let session = c.session_id().await.expect("session").expect("an id");
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/session/{session}/se/log", driver.url))
        .json(&serde_json::json!({"type": "browser"}))
        .send()
        .await
        .expect("browser log")
        .json()
        .await
        .expect("log JSON");
    answer["value"]
        .as_array()
        .expect("log entries")
        .iter()
        .filter_map(|e| e["message"].as_str().map(str::to_owned))
        .collect()
}

fn csp_violations(console: &[String]) -> Vec<&String> {
    console
        .iter()
        .filter(|m| m.contains("Content Security Policy"))
        .collect()
}

#[tokio::test]
async fn the_public_page_runs_under_its_csp_and_cancels_after_a_reload() {
    let public = common::app().another_with(sa_demo_server::hosting::Hosting::public(
        "browser-test-secret",
    ));
    let driver = driver().await;
    let c = browser(&driver).await;
    c.goto(&format!("{}/?lang=go", public.base))
        .await
        .expect("open page");
    testid(&c, "sdk-code").await;
    long_run_form(&c, "csp-queue").await;
    execute(&c).await;
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;

    // After a reload the page re-attaches to the run, and still holds the
    // token that lets it cancel the run on a public server.
    c.refresh().await.expect("reload");
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;
    wait_css(&c, "[data-testid=cancel]:not([disabled])")
        .await
        .click()
        .await
        .expect("click cancel");
    wait_css(&c, "[data-testid=result][data-status=canceled]").await;
    assert_eq!(count(&c, ".inline-error").await, 0);

    // Nothing the page did offended its Content Security Policy...
    let log = console(&driver, &c).await;
    assert!(csp_violations(&log).is_empty(), "{log:#?}");
    // ...which is enforced, and the check sees a violation: an inline
    // script is refused.
    c.execute(
        "const s = document.createElement('script'); \
         s.textContent = 'window.inlineRan = true'; document.head.appendChild(s);",
        vec![],
    )
    .await
    .expect("inject");
    let ran = c
        .execute("return window.inlineRan === true;", vec![])
        .await
        .expect("check");
    assert_eq!(ran, serde_json::json!(false));
    let log = console(&driver, &c).await;
    assert_eq!(csp_violations(&log).len(), 1, "{log:#?}");
    c.close().await.expect("close session");
    public.shutdown();
}
