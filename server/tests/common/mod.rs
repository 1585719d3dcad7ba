//! The test harness: one real app per test binary (embedded Temporal dev
//! server, in-process Worker, Axum on a real loopback socket), shared by
//! every test in the binary; tests use unique activity ids and talk to it
//! over HTTP exactly as the browser does.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use proto::{
    ActivityConfig, FailureScenario, Language, RunEvent, RunRequest, RunStarted, ServerInfo,
};
use sa_demo_server::App;
use sa_demo_server::config::{Config, TemporalTarget};
use sa_demo_server::devserver::DevServerOptions;
use sa_demo_server::gateway::Gateway;
use sa_demo_server::tracker::Snapshot;

/// The shared app.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// What the app is connected to.
    pub info: ServerInfo,
}

static APP: OnceLock<TestApp> = OnceLock::new();

/// The longest any run in these tests may take to reach its terminal event.
pub const RUN_DEADLINE: Duration = Duration::from_secs(60);

/// Starts the shared app on first use.
pub fn app() -> &'static TestApp {
    APP.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<(SocketAddr, ServerInfo)>();
        std::thread::spawn(move || {
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
                    temporal: TemporalTarget::Embedded(DevServerOptions {
                        cli: std::env::var_os("SA_DEMO_TEMPORAL_CLI")
                            .map(PathBuf::from)
                            .unwrap_or_else(|| PathBuf::from("temporal")),
                        db_file: None,
                        headless: true,
                    }),
                };
                let app = App::start(&config).await.expect("the app starts");
                let listener = tokio::net::TcpListener::bind(config.listen)
                    .await
                    .expect("bind");
                tx.send((listener.local_addr().expect("addr"), app.state.info.clone()))
                    .expect("send");
                axum::serve(listener, app.router()).await.expect("serve");
            });
        });
        let (addr, info) = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the app started within 120 s");
        TestApp {
            base: format!("http://{addr}"),
            info,
        }
    })
}

/// A name unique to this test run.
pub fn unique(name: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write(name.as_bytes());
    format!("{name}-{:08x}", h.finish() as u32)
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
    }
}

/// POSTs `req` and returns the response.
pub async fn post_run(req: &RunRequest) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/runs", app().base))
        .json(req)
        .send()
        .await
        .expect("POST /api/runs")
}

/// Starts `req`, which must succeed.
pub async fn start(req: &RunRequest) -> RunStarted {
    let resp = post_run(req).await;
    assert_eq!(
        resp.status(),
        201,
        "start failed: {}",
        resp.text().await.unwrap_or_default()
    );
    resp.json().await.expect("RunStarted")
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

/// Reads a run's SSE stream over a real socket until it ends (or `limit`
/// messages arrived), within [`RUN_DEADLINE`].
pub async fn read_events(
    started: &RunStarted,
    last_event_id: Option<u64>,
    limit: Option<usize>,
) -> Vec<(SseMessage, RunEvent)> {
    read_until(started, last_event_id, |seen| {
        limit.is_some_and(|l| seen.len() >= l)
    })
    .await
}

/// Reads a run's SSE stream until it ends or `stop` says so, within [`RUN_DEADLINE`].
pub async fn read_until(
    started: &RunStarted,
    last_event_id: Option<u64>,
    stop: impl Fn(&[(SseMessage, RunEvent)]) -> bool,
) -> Vec<(SseMessage, RunEvent)> {
    let url = format!(
        "{}/api/runs/{}/{}/events",
        app().base,
        started.activity_id,
        started.run_id
    );
    let mut req = reqwest::Client::new().get(url);
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id.to_string());
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
                if msg.data.is_empty() {
                    continue; // keep-alive comment
                }
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

/// Just the events.
pub async fn run_events(started: &RunStarted) -> Vec<RunEvent> {
    read_events(started, None, None)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

/// A client of the test's own, to ask Temporal directly.
pub async fn temporal() -> Gateway {
    Gateway::connect_plain(&app().info.address, &app().info.namespace, "sa-demo-tests")
        .await
        .expect("test client connects")
}

/// Temporal's own final description of a run.
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
