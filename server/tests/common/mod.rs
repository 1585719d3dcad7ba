//! The test harness: one real app per test binary (embedded Temporal dev
//! server, in-process Worker, Axum on a real loopback socket), shared by
//! every test in the binary; more apps on the same Temporal where a test
//! needs a second server process or a restart. Tests use unique activity ids
//! and talk to the apps over HTTP exactly as the browser does.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use proto::{
    ActivityConfig, FailureScenario, Language, RunEvent, RunRequest, RunStarted, ServerInfo,
};
use sa_demo_server::config::{Config, TemporalTarget};
use sa_demo_server::devserver::DevServerOptions;
use sa_demo_server::gateway::Gateway;
use sa_demo_server::hosting::Hosting;
use sa_demo_server::tracker::Snapshot;
use sa_demo_server::{App, serve};

/// One running app.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// What the app is connected to.
    pub info: ServerInfo,
    /// The embedded dev server's guard process, if the app started one.
    pub temporal_pid: Option<u32>,
    /// Asks the app to shut down.
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The app's thread; it ends once `serve` returned.
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Starts an app on `temporal`, on a runtime and thread of its own.
    pub fn start(temporal: TemporalTarget) -> TestApp {
        TestApp::start_with(temporal, Hosting::default())
    }

    /// Starts an app on `temporal` hosted as `hosting` says.
    pub fn start_with(temporal: TemporalTarget, hosting: Hosting) -> TestApp {
        let (tx, rx) = std::sync::mpsc::channel::<(String, ServerInfo, Option<u32>)>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("test runtime");
            rt.block_on(async move {
                let config = Config {
                    listen: "127.0.0.1:0".parse().expect("addr"),
                    static_dir: std::env::var_os("SA_DEMO_STATIC_DIR")
                        .map(PathBuf::from)
                        .unwrap_or_else(|| PathBuf::from("dist")),
                    temporal,
                    follow: Default::default(),
                    hosting,
                    role: Default::default(),
                };
                let app = App::start(&config).await.expect("the app starts");
                let listener = tokio::net::TcpListener::bind(config.listen)
                    .await
                    .expect("bind");
                let base = format!("http://{}", listener.local_addr().expect("addr"));
                tx.send((base, app.state.info.clone(), app.embedded_temporal_pid()))
                    .expect("send");
                serve(app, listener, async {
                    let _ = stopped.await;
                })
                .await
            })
        });
        let (base, info, temporal_pid) = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the app started within 120 s");
        TestApp {
            base,
            info,
            temporal_pid,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Another app on the same Temporal: a second server process, as far
    /// as Temporal and the browser can tell.
    pub fn another(&self) -> TestApp {
        TestApp::start(TemporalTarget::Plain {
            address: self.info.address.clone(),
            namespace: self.info.namespace.clone(),
        })
    }

    /// Another app on the same Temporal, hosted as `hosting` says.
    pub fn another_with(&self, hosting: Hosting) -> TestApp {
        TestApp::start_with(
            TemporalTarget::Plain {
                address: self.info.address.clone(),
                namespace: self.info.namespace.clone(),
            },
            hosting,
        )
    }

    /// Shuts the app down the way `main` does, and waits until it stopped.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread
                .join()
                .expect("the app's thread")
                .expect("serve ended cleanly");
        }
    }
}

static APP: OnceLock<TestApp> = OnceLock::new();

/// The longest any run in these tests may take to reach its terminal event.
pub const RUN_DEADLINE: Duration = Duration::from_secs(60);

/// The dev server options the tests use.
pub fn dev_server_options() -> DevServerOptions {
    DevServerOptions {
        cli: std::env::var_os("SA_DEMO_TEMPORAL_CLI")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("temporal")),
        db_file: None,
        headless: true,
        port: None,
    }
}

/// The shared app, started on first use.
pub fn app() -> &'static TestApp {
    APP.get_or_init(|| TestApp::start(TemporalTarget::Embedded(dev_server_options())))
}

/// A name unique to this test run.
pub fn unique(name: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{name}-{}", &id[..8])
}

/// A request with defaults, a unique activity id and `scenario`.
pub fn request(name: &str, scenario: FailureScenario, max_attempts: u32) -> RunRequest {
    let mut config = ActivityConfig {
        activity_id: unique(name),
        ..ActivityConfig::default()
    };
    config.retry.maximum_attempts = max_attempts;
    RunRequest {
        config,
        scenario,
        language: Language::Python,
        run_as: Default::default(),
    }
}

/// POSTs `req` to the app at `base` and returns the response.
pub async fn post_run_to(base: &str, req: &RunRequest) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/runs"))
        .json(req)
        .send()
        .await
        .expect("POST /api/runs")
}

/// POSTs `req` to the shared app and returns the response.
pub async fn post_run(req: &RunRequest) -> reqwest::Response {
    post_run_to(&app().base, req).await
}

/// Starts `req` on the app at `base`; it must succeed.
pub async fn start_on(base: &str, req: &RunRequest) -> RunStarted {
    let resp = post_run_to(base, req).await;
    assert_eq!(
        resp.status(),
        201,
        "start failed: {}",
        resp.text().await.unwrap_or_default()
    );
    resp.json().await.expect("RunStarted")
}

/// Starts `req` on the shared app; it must succeed.
pub async fn start(req: &RunRequest) -> RunStarted {
    start_on(&app().base, req).await
}

/// One parsed SSE message.
#[derive(Debug, Clone)]
pub struct SseMessage {
    /// `id:`.
    pub id: Option<String>,
    /// `event:`.
    pub event: Option<String>,
    /// `data:` (joined).
    pub data: String,
}

/// Reads a run's SSE stream from the app at `base` over a real socket until
/// it ends or `stop` says so, within [`RUN_DEADLINE`].
pub async fn read_from(
    base: &str,
    started: &RunStarted,
    last_event_id: Option<&str>,
    stop: impl Fn(&[(SseMessage, RunEvent)]) -> bool,
) -> Vec<(SseMessage, RunEvent)> {
    let url = format!(
        "{base}/api/runs/{}/{}/events",
        started.activity_id, started.run_id
    );
    read_url(&url, last_event_id, stop).await
}

/// Reads the SSE stream at `url` until it ends or `stop` says so, within
/// [`RUN_DEADLINE`].
pub async fn read_url(
    url: &str,
    last_event_id: Option<&str>,
    stop: impl Fn(&[(SseMessage, RunEvent)]) -> bool,
) -> Vec<(SseMessage, RunEvent)> {
    let mut req = reqwest::Client::new().get(url);
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id);
    }
    let read = async {
        let mut resp = req.send().await.expect("GET events");
        assert_eq!(resp.status(), 200);
        assert_eq!(
            resp.headers()["content-type"].to_str().expect("ascii"),
            "text/event-stream"
        );
        let mut buf = String::new();
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.expect("SSE chunk") {
            buf.push_str(std::str::from_utf8(&chunk).expect("utf-8"));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let Some(msg) = parse_sse_block(&block) else {
                    continue;
                };
                let ev: RunEvent = serde_json::from_str(&msg.data).expect("RunEvent JSON");
                out.push((msg, ev));
                if stop(&out) {
                    return out;
                }
            }
        }
        out
    };
    tokio::time::timeout(RUN_DEADLINE, read)
        .await
        .expect("the stream ended within the deadline")
}

/// One SSE message from its block of lines; `None` for a keep-alive comment.
pub fn parse_sse_block(block: &str) -> Option<SseMessage> {
    let mut msg = SseMessage {
        id: None,
        event: None,
        data: String::new(),
    };
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("id:") {
            msg.id = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("event:") {
            msg.event = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            msg.data.push_str(v.trim_start());
        }
    }
    (!msg.data.is_empty()).then_some(msg)
}

/// Reads a run's stream from the shared app until it ends (or `limit`
/// messages arrived).
pub async fn read_events(
    started: &RunStarted,
    last_event_id: Option<&str>,
    limit: Option<usize>,
) -> Vec<(SseMessage, RunEvent)> {
    read_from(&app().base, started, last_event_id, |seen| {
        limit.is_some_and(|l| seen.len() >= l)
    })
    .await
}

/// Reads a run's stream from the shared app until it ends or `stop` says so.
pub async fn read_until(
    started: &RunStarted,
    last_event_id: Option<&str>,
    stop: impl Fn(&[(SseMessage, RunEvent)]) -> bool,
) -> Vec<(SseMessage, RunEvent)> {
    read_from(&app().base, started, last_event_id, stop).await
}

/// Just the events, from the shared app.
pub async fn run_events(started: &RunStarted) -> Vec<RunEvent> {
    read_events(started, None, None)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

/// Waits until the Temporal at `address` answers a real call. A dev server
/// accepts connections on its port a moment before it serves them (and,
/// just started, may still drop them), so a test that starts one of its own
/// waits for this before pointing an app at it, as the app itself does for
/// the dev server it embeds.
pub async fn temporal_answers(address: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Ok(g) = Gateway::connect_plain(address, "default", "sa-demo-tests").await
            && g.check().await.is_ok()
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Temporal at {address} did not answer within 60 s"
        );
        // A server still starting has no event to wait on; it is asked
        // again, within the deadline above.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await; // sleep-ok: polls a starting server
    }
}

/// A client of the test's own, to ask Temporal directly.
pub async fn temporal() -> Gateway {
    Gateway::connect_plain(&app().info.address, &app().info.namespace, "sa-demo-tests")
        .await
        .expect("test client connects")
}

/// Temporal's own current description of a run.
pub async fn describe(started: &RunStarted) -> Snapshot {
    temporal()
        .await
        .describe(&started.activity_id, &started.run_id, Vec::new())
        .await
        .expect("describe")
        .expect("a description")
        .0
}

/// POSTs `/api/runs/{id}/{run}/{action}` (cancel, terminate); returns the status.
pub async fn act(started: &RunStarted, action: &str) -> u16 {
    reqwest::Client::new()
        .post(format!(
            "{}/api/runs/{}/{}/{action}",
            app().base,
            started.activity_id,
            started.run_id
        ))
        .send()
        .await
        .expect("POST action")
        .status()
        .as_u16()
}

/// Event names, in order.
pub fn names(events: &[RunEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

/// Fact ids, in order.
pub fn ids(events: &[RunEvent]) -> Vec<String> {
    events.iter().map(|e| e.id.clone()).collect()
}

/// Checks what every stream must satisfy, and returns the log as the page
/// shows it: one line per fact (nothing sent twice), the final word last,
/// inferred lines untimed, and, once folded in the page's order (events
/// arrive on two paths, so a line may arrive after a later one), timed
/// lines in time order, the final word aside: it stays last even when the
/// Worker's clock puts a line of its own after it (an attempt that returns
/// a few ms after Temporal recorded a terminate).
pub fn assert_well_formed(events: &[RunEvent]) -> Vec<RunEvent> {
    let mut log = Vec::new();
    for ev in events {
        let id = ev.id.clone();
        assert!(
            proto::cursor::insert_in_order(&mut log, ev.clone()),
            "{id} twice in {:?}",
            ids(events)
        );
    }
    let before_final = &log[..log.len().saturating_sub(1)];
    let times: Vec<i64> = before_final.iter().filter_map(|e| e.at_ms).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "times out of order: {:?}",
        log.iter().map(|e| (&e.id, e.at_ms)).collect::<Vec<_>>()
    );
    assert!(events.iter().all(|e| !e.inferred || e.at_ms.is_none()));
    assert!(
        events.last().is_some_and(|e| e.kind.is_terminal()),
        "{:?}",
        ids(events)
    );
    log
}
