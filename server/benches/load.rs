//! Many visitors at once: N concurrent runs through the demo (POST
//! /api/runs, then each run's SSE stream to its terminal event) against the
//! same N runs started and awaited with the official Rust SDK client
//! directly (`start_activity` + `handle.result()`), on the same Temporal dev
//! server and the same Worker, in interleaved bursts. Prints p50/p99 of both,
//! their ratio, runs lost (must be 0), and the CPU time per run of the demo
//! server process and of Temporal. The demo server runs as its own process
//! (the real binary, this bench's optimised profile), so its CPU is its own.
//!
//! `cargo xtask bench` runs it; `SA_DEMO_BENCH_VISITORS` (default 200) and
//! `SA_DEMO_BENCH_ROUNDS` (default 3) change the load.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use proto::{ActivityConfig, FailureScenario, Language, RunEvent, RunRequest, RunStarted};
use temporalio_client::{ActivityStartOptions, Client, ClientOptions, Connection};
use temporalio_client::{ConnectionOptions, NamespacedClient, Url};
use temporalio_common::data_converters::RawValue;
use temporalio_common::{RetryPolicy, UntypedActivity};

/// Every run must end within this; a run that does not is lost.
const RUN_DEADLINE: Duration = Duration::from_secs(120);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The demo server, as a child process in a process group of its own (its
/// embedded Temporal dev server is a child of it).
struct DemoServer {
    child: Child,
    base: String,
}

impl DemoServer {
    fn start() -> DemoServer {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sa-demo-server"))
            .env("SA_DEMO_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .process_group(0)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the demo server");
        let stdout = child.stdout.take().expect("stdout");
        let mut base = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("server stdout");
            if let Some(url) = line.split("demo: ").nth(1) {
                base = Some(url.trim().to_owned());
                break;
            }
        }
        let base = base.expect("the demo server printed its URL");
        DemoServer { child, base }
    }

    /// CPU seconds used so far by the demo server process and by its
    /// descendants (the embedded Temporal), from `/proc`.
    fn cpu(&self) -> (f64, f64) {
        let own = proc_cpu(self.child.id());
        let temporal = descendants(self.child.id()).into_iter().map(proc_cpu).sum();
        (own, temporal)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        // SIGTERM: the server stops its Workers and the embedded dev server.
        let _ = Command::new("kill")
            .args(["-s", "TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// utime + stime of `pid` in seconds (0 when it is gone).
fn proc_cpu(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the `(comm)`, which may contain spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after `)`.
    (ticks(11).unwrap_or(0.0) + ticks(12).unwrap_or(0.0)) / 100.0
}

fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let children = std::fs::read_dir(format!("/proc/{p}/task"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|s| {
                s.split_whitespace()
                    .filter_map(|c| c.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect::<Vec<_>>();
        out.extend(&children);
        todo.extend(children);
    }
    out
}

fn request(id: String) -> RunRequest {
    RunRequest {
        config: ActivityConfig {
            activity_id: id,
            ..ActivityConfig::default()
        },
        scenario: FailureScenario::None,
        language: Language::Python,
        run_as: Default::default(),
    }
}

/// One visitor: POST, then the run's stream to its terminal event. `None`
/// when the run was lost (no start, no terminal event, not completed).
async fn visit(http: &reqwest::Client, base: &str, id: String) -> Option<Duration> {
    let t = Instant::now();
    let resp = http
        .post(format!("{base}/api/runs"))
        .json(&request(id))
        .send()
        .await
        .ok()?;
    if resp.status() != 201 {
        eprintln!("start refused: {}", resp.text().await.unwrap_or_default());
        return None;
    }
    let started: RunStarted = resp.json().await.ok()?;
    let url = format!(
        "{base}/api/runs/{}/{}/events",
        started.activity_id, started.run_id
    );
    let mut stream = http.get(url).send().await.ok()?;
    let mut buf = String::new();
    while let Some(chunk) = stream.chunk().await.ok()? {
        buf.push_str(std::str::from_utf8(&chunk).ok()?);
        while let Some(end) = buf.find('\n') {
            let line: String = buf.drain(..=end).collect();
            let Some(data) = line.strip_prefix("data:") else {
                continue;
            };
            let event: RunEvent = serde_json::from_str(data.trim()).ok()?;
            if event.kind.is_terminal() {
                return matches!(event.kind, proto::EventKind::Completed { .. })
                    .then(|| t.elapsed());
            }
        }
    }
    None
}

/// The same run through the SDK alone, as a user's program would do it, with
/// the options the demo sends for the same form.
async fn sdk_run(client: &Client, id: String) -> Option<Duration> {
    let t = Instant::now();
    let req = request(id);
    let (config, retry) = (&req.config, &req.config.retry);
    let options = ActivityStartOptions::with_start_to_close_timeout(
        config.task_queue.clone(),
        config.activity_id.clone(),
        Duration::from_millis(config.timeout_ms),
    )
    .retry_policy(
        RetryPolicy::builder()
            .initial_interval(Duration::from_millis(retry.initial_interval_ms))
            .backoff_coefficient(retry.backoff_coefficient)
            .maximum_interval(Duration::from_millis(retry.maximum_interval_ms))
            .maximum_attempts(retry.maximum_attempts)
            .build(),
    )
    .build();
    let input = RawValue::from_value(&config.input, client.data_converter().payload_converter());
    let activity = UntypedActivity::new(req.language.activity_type());
    let handle = client
        .start_activity(activity, input, options)
        .await
        .map_err(|e| eprintln!("SDK start failed: {e}"))
        .ok()?;
    handle
        .result()
        .await
        .map_err(|e| eprintln!("SDK result failed: {e}"))
        .ok()?;
    Some(t.elapsed())
}

/// One burst of `n` concurrent runs; latencies of the runs that completed.
async fn burst<F, Fut>(n: usize, one: F) -> (Vec<Duration>, usize)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Option<Duration>> + Send + 'static,
{
    let tasks: Vec<_> = (0..n)
        .map(|i| tokio::spawn(tokio::time::timeout(RUN_DEADLINE, one(i))))
        .collect();
    let mut done = Vec::new();
    let mut lost = 0;
    for task in tasks {
        match task.await {
            Ok(Ok(Some(d))) => done.push(d),
            _ => lost += 1,
        }
    }
    (done, lost)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Default)]
struct Path {
    samples: Vec<Duration>,
    lost: usize,
    runs: usize,
    server_cpu: f64,
    temporal_cpu: f64,
    wall: Duration,
}

impl Path {
    fn report(&mut self, name: &str) -> (Duration, Duration) {
        self.samples.sort();
        let (p50, p99) = (
            percentile(&self.samples, 50.0),
            percentile(&self.samples, 99.0),
        );
        let per_run = |s: f64| s * 1000.0 / self.runs.max(1) as f64;
        println!(
            "  {name:<34} p50 {p50:>9.2?}  p99 {p99:>9.2?}  lost {}/{}  \
             CPU per run: demo server {:.2} ms, Temporal {:.2} ms  (bursts took {:.1?})",
            self.lost,
            self.runs,
            per_run(self.server_cpu),
            per_run(self.temporal_cpu),
            self.wall,
        );
        (p50, p99)
    }
}

fn main() {
    let visitors = env_usize("SA_DEMO_BENCH_VISITORS", 200);
    let rounds = env_usize("SA_DEMO_BENCH_ROUNDS", 3);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DemoServer::start();
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let info: proto::ServerInfo = rt.block_on(async {
        http.get(format!("{base}/api/info"))
            .send()
            .await
            .expect("GET /api/info")
            .json()
            .await
            .expect("ServerInfo")
    });
    let client = rt.block_on(async {
        let url = Url::parse(&format!("http://{}", info.address)).expect("address");
        let conn = Connection::connect(
            ConnectionOptions::new(url)
                .identity("bench".to_owned())
                .build(),
        )
        .await
        .expect("connect");
        Client::new(conn, ClientOptions::new(info.namespace.clone()).build()).expect("client")
    });
    let tag = format!("{:x}", std::process::id());

    // Warm up both paths (connections, the Worker's first poll).
    rt.block_on(async {
        visit(&http, &base, format!("load-warm-demo-{tag}")).await;
        sdk_run(&client, format!("load-warm-sdk-{tag}")).await;
    });

    let mut demo = Path::default();
    let mut sdk = Path::default();
    for round in 0..rounds {
        // Alternate which path goes first, so drift hits both alike.
        let order = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for through_demo in order {
            let before = server.cpu();
            let t = Instant::now();
            let (samples, lost) = if through_demo {
                let (http, base, tag) = (http.clone(), base.clone(), tag.clone());
                rt.block_on(burst(visitors, move |i| {
                    let (http, base) = (http.clone(), base.clone());
                    let id = format!("load-demo-{tag}-{round}-{i}");
                    async move { visit(&http, &base, id).await }
                }))
            } else {
                let (client, tag) = (client.clone(), tag.clone());
                rt.block_on(burst(visitors, move |i| {
                    let client = client.clone();
                    let id = format!("load-sdk-{tag}-{round}-{i}");
                    async move { sdk_run(&client, id).await }
                }))
            };
            let wall = t.elapsed();
            let after = server.cpu();
            let path = if through_demo { &mut demo } else { &mut sdk };
            path.samples.extend(samples);
            path.lost += lost;
            path.runs += visitors;
            path.server_cpu += after.0 - before.0;
            path.temporal_cpu += after.1 - before.1;
            path.wall += wall;
        }
    }

    println!(
        "{visitors} concurrent runs, {rounds} interleaved bursts per path (this binary and the \
         demo server: the optimised bench profile; one Temporal dev server, one Worker, in the \
         demo server's process):"
    );
    let (_, sdk_p99) = sdk.report("Rust SDK: start + handle.result()");
    let (_, demo_p99) = demo.report("demo: POST + SSE to terminal");
    println!(
        "  demo p99 / SDK p99 = {:.2}  (goal ≤ 1.10); the demo server's own CPU per run = \
         {:.2} ms (its CPU in demo bursts minus in SDK bursts, where it only runs the Worker)",
        demo_p99.as_secs_f64() / sdk_p99.as_secs_f64().max(f64::MIN_POSITIVE),
        (demo.server_cpu - sdk.server_cpu) * 1000.0 / demo.runs.max(1) as f64,
    );
    assert_eq!(demo.lost + sdk.lost, 0, "runs were lost");
}
