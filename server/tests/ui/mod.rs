//! Shared by the browser test binaries (`browser.rs`, `timeline.rs`): a
//! chromedriver with its own headless Chromium, helpers that wait for
//! expected DOM states with a deadline (never a sleep), and a way to speak
//! the DevTools protocol to the browser (`weight.rs` emulates a slow phone).

#![allow(
    dead_code,
    reason = "each browser test binary uses a different part of the helpers"
)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::{Method, Url};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::common;

/// How long the page may take to show an expected state.
pub const UI_DEADLINE: Duration = Duration::from_secs(45);

/// chromedriver in its own process group, killed with its browsers on drop.
pub struct Driver {
    child: Child,
    pub url: String,
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

pub async fn driver() -> Driver {
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

pub async fn browser(driver: &Driver) -> Client {
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

pub async fn testid(c: &Client, id: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css(&format!("[data-testid={id}]")))
        .await
        .unwrap_or_else(|e| panic!("no [data-testid={id}]: {e}"))
}

pub async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {UI_DEADLINE:?}: {e}"))
}

pub async fn wait_xpath(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(UI_DEADLINE)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath} did not appear within {UI_DEADLINE:?}: {e}"))
}

pub async fn execute(c: &Client) {
    wait_css(c, "[data-testid=execute]:not([disabled])")
        .await
        .click()
        .await
        .expect("click Execute");
}

/// Ticks "Simulate failures" and picks a scenario by its option value.
pub async fn choose_scenario(c: &Client, slug: &str) {
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
pub async fn open_advanced(c: &Client) {
    let details = testid(c, "advanced").await;
    if details.attr("open").await.expect("open").is_none() {
        wait_css(c, "[data-testid=advanced] > summary")
            .await
            .click()
            .await
            .expect("open Advanced options");
    }
}

pub async fn value(c: &Client, id: &str) -> String {
    testid(c, id)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

pub async fn open_page(c: &Client) {
    c.goto(&format!("{}/?lang=go", common::app().base))
        .await
        .expect("open page");
    testid(c, "sdk-code").await;
}

pub async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.expect("find_all").len()
}

pub async fn set_field(c: &Client, id: &str, value: &str) {
    let field = testid(c, id).await;
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

/// One Chrome DevTools Protocol command, sent through chromedriver's own
/// endpoint for it (WebDriver has no word for network or CPU emulation).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

/// `url::ParseError`, named through the `Url` reqwest re-exports.
type UrlError = <Url as std::str::FromStr>::Err;

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &Url, session: Option<&str>) -> Result<Url, UrlError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &Url) -> (Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.cmd, "params": self.params});
        (Method::POST, Some(body.to_string()))
    }
}

/// Sends the DevTools command `cmd` to the page's tab and returns its result.
pub async fn cdp(c: &Client, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
    c.issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
}
