//! Many visitors at once: N concurrent runs through the demo (POST
//! /api/runs, then each run's SSE stream to its terminal event) against the
//! same N runs started and awaited with the official Rust SDK client
//! directly (`start_activity` + `handle.result()`), on the same Temporal dev
//! server and the same Worker, in interleaved bursts. Prints p50/p99 of both,
//! their ratio, runs lost (must be 0), and the CPU time per run of the demo
//! server process and of Temporal. The demo server runs as its own process
//! (the real binary, this bench's optimised profile), so its CPU is its own.
//!
//! With `SA_DEMO_BENCH_REPLICAS=N` (N ≥ 2; default 1, the above alone) the
//! same rounds also measure the demo with web replicas apart: 1, then 2, ...
//! up to N `--role web` processes, visitors spread round-robin over them,
//! and one `--role worker` process, on the same dev server in a namespace of
//! their own (`load/replicas.rs`); per configuration p50/p99, runs lost, p99
//! against the same run's SDK baseline, and each count's p99 against 1 web
//! replica's.
//!
//! `cargo xtask bench` runs it; `SA_DEMO_BENCH_VISITORS` (default 200),
//! `SA_DEMO_BENCH_ROUNDS` (default 3) and `SA_DEMO_BENCH_REPLICAS` change
//! the load.

// A bench is a crate root: its modules are found from `benches/`.
#[path = "load/procs.rs"]
mod procs;
#[path = "load/replicas.rs"]
mod replicas;

use std::time::{Duration, Instant};

use proto::{ActivityConfig, FailureScenario, Language, RunEvent, RunRequest, RunStarted};
use temporalio_client::{ActivityStartOptions, Client, ClientOptions, Connection};
use temporalio_client::{ConnectionOptions, NamespacedClient, Url};
use temporalio_common::data_converters::RawValue;
use temporalio_common::{RetryPolicy, UntypedActivity};

use procs::{DemoServer, proc_cpu};

/// Every run must end within this; a run that does not is lost.
const RUN_DEADLINE: Duration = Duration::from_secs(120);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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

/// What a burst's runs go through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Config {
    /// The all-in-one demo server (Worker and embedded Temporal inside).
    Demo,
    /// The Rust SDK client alone (the Worker: the all-in-one's).
    Sdk,
    /// `k` web replicas and the Worker process apart (`replicas`).
    Apart(usize),
}

#[derive(Default)]
struct Path {
    samples: Vec<Duration>,
    lost: usize,
    runs: usize,
    /// The demo server's CPU; with replicas apart, the web replicas'.
    server_cpu: f64,
    /// The Worker process's CPU (replicas apart only).
    worker_cpu: f64,
    temporal_cpu: f64,
    wall: Duration,
}

impl Path {
    fn per_run(&self, s: f64) -> f64 {
        s * 1000.0 / self.runs.max(1) as f64
    }

    /// Sorts the samples; p50 and p99.
    fn percentiles(&mut self) -> (Duration, Duration) {
        self.samples.sort();
        (
            percentile(&self.samples, 50.0),
            percentile(&self.samples, 99.0),
        )
    }

    fn report(&mut self, name: &str) -> (Duration, Duration) {
        let (p50, p99) = self.percentiles();
        println!(
            "  {name:<34} p50 {p50:>9.2?}  p99 {p99:>9.2?}  lost {}/{}  \
             CPU per run: demo server {:.2} ms, Temporal {:.2} ms  (bursts took {:.1?})",
            self.lost,
            self.runs,
            self.per_run(self.server_cpu),
            self.per_run(self.temporal_cpu),
            self.wall,
        );
        (p50, p99)
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn main() {
    let visitors = env_usize("SA_DEMO_BENCH_VISITORS", 200);
    let rounds = env_usize("SA_DEMO_BENCH_ROUNDS", 3);
    let replicas = env_usize("SA_DEMO_BENCH_REPLICAS", 1).max(1);
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
    // Declared after the demo server, so dropped (killed) before it stops
    // the dev server they use.
    let apart = (replicas >= 2)
        .then(|| rt.block_on(replicas::Apart::start(&client, &info.address, replicas)));

    // Warm up every path (connections, the Worker's first poll).
    rt.block_on(async {
        visit(&http, &base, format!("load-warm-demo-{tag}")).await;
        sdk_run(&client, format!("load-warm-sdk-{tag}")).await;
        for (i, web) in apart.iter().flat_map(|a| &a.web).enumerate() {
            let warm = visit(&http, &web.base, format!("load-warm-web{i}-{tag}"));
            let done = tokio::time::timeout(RUN_DEADLINE, warm).await;
            assert!(
                matches!(done, Ok(Some(_))),
                "a warm-up run through web replica {} did not complete",
                i + 1
            );
        }
    });

    let mut paths: Vec<(Config, Path)> = [Config::Demo, Config::Sdk]
        .into_iter()
        .chain(
            (1..=replicas)
                .filter(|_| apart.is_some())
                .map(Config::Apart),
        )
        .map(|c| (c, Path::default()))
        .collect();
    for round in 0..rounds {
        // Reverse the order every other round, so drift hits every path alike.
        let mut order: Vec<usize> = (0..paths.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let config = paths[i].0;
            // (this path's demo processes, the Worker process, Temporal)
            let cpu = || match (config, &apart) {
                (Config::Apart(k), Some(apart)) => {
                    let (web, worker) = apart.cpu(k);
                    (web, worker, server.cpu().1)
                }
                _ => {
                    let (own, temporal) = server.cpu();
                    (own, 0.0, temporal)
                }
            };
            let before = cpu();
            let t = Instant::now();
            let (samples, lost) = match config {
                Config::Demo => {
                    let (http, base, tag) = (http.clone(), base.clone(), tag.clone());
                    rt.block_on(burst(visitors, move |i| {
                        let (http, base) = (http.clone(), base.clone());
                        let id = format!("load-demo-{tag}-{round}-{i}");
                        async move { visit(&http, &base, id).await }
                    }))
                }
                Config::Sdk => {
                    let (client, tag) = (client.clone(), tag.clone());
                    rt.block_on(burst(visitors, move |i| {
                        let client = client.clone();
                        let id = format!("load-sdk-{tag}-{round}-{i}");
                        async move { sdk_run(&client, id).await }
                    }))
                }
                Config::Apart(k) => {
                    let bases = apart.as_ref().expect("replicas apart").bases(k);
                    let (http, tag) = (http.clone(), tag.clone());
                    // Visitor i goes to web replica i mod k, for its POST and its stream.
                    rt.block_on(burst(visitors, move |i| {
                        let (http, base) = (http.clone(), bases[i % k].clone());
                        let id = format!("load-apart{k}-{tag}-{round}-{i}");
                        async move { visit(&http, &base, id).await }
                    }))
                }
            };
            let wall = t.elapsed();
            let after = cpu();
            let path = &mut paths[i].1;
            path.samples.extend(samples);
            path.lost += lost;
            path.runs += visitors;
            path.server_cpu += after.0 - before.0;
            path.worker_cpu += after.1 - before.1;
            path.temporal_cpu += after.2 - before.2;
            path.wall += wall;
        }
    }

    let [(_, demo), (_, sdk), rest @ ..] = &mut paths[..] else {
        unreachable!("the demo and the SDK are always measured")
    };
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
        ratio(demo_p99, sdk_p99),
        (demo.server_cpu - sdk.server_cpu) * 1000.0 / demo.runs.max(1) as f64,
    );
    let mut lost = demo.lost + sdk.lost;
    lost += replicas::report(rest, sdk_p99);
    assert_eq!(lost, 0, "runs were lost");
}
