//! End to end in a real headless Chromium (Debian's, driven by chromedriver
//! through fantoccini) against the real app: the page executes runs on the
//! real Temporal Server and shows what really happened.

mod common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long the page may take to show an expected state.
const UI_DEADLINE: Duration = Duration::from_secs(45);

/// chromedriver in its own process group, killed with its browsers on drop.
struct Driver {
    child: Child,
    url: String,
    _profile: TempDir,
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // The negative pid addresses the whole group: driver and browsers.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
        }
    }
}

async fn driver() -> Driver {
    let binary = std::env::var_os("SA_DEMO_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let profile =
        std::env::temp_dir().join(format!("sa-demo-browser-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&profile).expect("profile dir");
    let mut child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .env("TMPDIR", &profile)
        .env("XDG_CONFIG_HOME", profile.join("config"))
        .env("XDG_CACHE_HOME", profile.join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {} ({e}); `cargo xtask test` installs Chromium and chromedriver",
                binary.display()
            )
        });
    // chromedriver says when it listens.
    let stdout = child.stdout.take().expect("stdout");
    let ready = async {
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next_line().await.expect("driver output") {
            if line.contains("started successfully") {
                return;
            }
        }
        panic!("chromedriver exited before it was ready");
    };
    tokio::time::timeout(Duration::from_secs(30), ready)
        .await
        .expect("chromedriver ready within 30 s");
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: TempDir(profile),
    }
}

async fn browser(driver: &Driver) -> Client {
    let profile = driver._profile.0.join("chromium");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1900",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    // The console, for the Content Security Policy checks.
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({"browser": "ALL"}),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

async fn testid(c: &Client, id: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css(&format!("[data-testid={id}]")))
        .await
        .unwrap_or_else(|e| panic!("no [data-testid={id}]: {e}"))
}

async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {UI_DEADLINE:?}: {e}"))
}

async fn wait_xpath(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath} did not appear within {UI_DEADLINE:?}: {e}"))
}

async fn execute(c: &Client) {
    wait_css(c, "[data-testid=execute]:not([disabled])")
        .await
        .click()
        .await
        .expect("click Execute");
}

/// Ticks "Simulate failures" and picks a scenario by its option value.
async fn choose_scenario(c: &Client, slug: &str) {
    let tick = testid(c, "simulate-failures").await;
    if tick.prop("checked").await.expect("checked").as_deref() != Some("true") {
        tick.click().await.expect("tick");
    }
    testid(c, "scenario-kind")
        .await
        .select_by_value(slug)
        .await
        .unwrap_or_else(|e| panic!("scenario {slug}: {e}"));
}

/// Opens the Advanced options disclosure.
async fn open_advanced(c: &Client) {
    let details = testid(c, "advanced").await;
    if details.attr("open").await.expect("open").is_none() {
        wait_css(c, "[data-testid=advanced] > summary")
            .await
            .click()
            .await
            .expect("open Advanced options");
    }
}

async fn value(c: &Client, id: &str) -> String {
    testid(c, id)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

async fn open_page(c: &Client) {
    c.goto(&format!("{}/?lang=go", common::app().base))
        .await
        .expect("open page");
    testid(c, "sdk-code").await;
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.expect("find_all").len()
}

async fn set_field(c: &Client, id: &str, value: &str) {
    let field = testid(c, id).await;
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
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

    // 4. A reload loses nothing: the history is still there.
    assert_eq!(count(&c, "[data-testid=history-item]").await, 3);
    c.refresh().await.expect("reload");
    testid(&c, "history").await;
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css("[data-testid=history-item]:nth-child(3)"))
        .await
        .expect("three runs in the history after a reload");

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

    choose_scenario(&c, "long_running").await;
    set_field(&c, "scenario-seconds", "30").await;
    set_field(&c, "input-timeout", "60").await;
    open_advanced(&c).await;
    set_field(&c, "input-heartbeat", "10").await;
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(cli.contains("--heartbeat-timeout"), "{cli}");
    execute(&c).await;
    wait_css(&c, "[data-testid=log-line][data-type=heartbeat]").await;

    // Looking at the first run, starting the id again is refused: the
    // long-running run holds it. The page offers to follow that run.
    wait_css(&c, "[data-testid=history-item]:nth-child(2) button")
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
    choose_scenario(&c, "long_running").await;
    set_field(&c, "scenario-seconds", "30").await;
    set_field(&c, "input-timeout", "60").await;
    open_advanced(&c).await;
    set_field(&c, "input-heartbeat", "10").await;
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
