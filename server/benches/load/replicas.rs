//! The load bench's web replicas apart (`SA_DEMO_BENCH_REPLICAS` >= 2): the
//! processes and their report. Real `sa-demo-server --role web` processes
//! and one `--role worker` process, on the all-in-one demo server's embedded
//! dev server but in a namespace of their own: the all-in-one's Worker polls
//! the same queue names in `default`, and a Worker process there would take
//! its tasks and the SDK baseline's, so here the only Worker their runs meet
//! is the Worker process. Each process is killed when dropped (also on a
//! panic) and when the bench dies without unwinding ([`GUARD`]).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use temporalio_client::grpc::WorkflowService;
use temporalio_client::{Client, RegisterNamespaceOptions, tonic};
use temporalio_common::protos::temporal::api::workflowservice::v1::RegisterNamespaceRequest;

use super::{Config, Path, proc_cpu, ratio};

/// The namespace the processes apart use, on the same dev server.
pub const NAMESPACE: &str = "sa-demo-bench-apart";

/// How long a process may take to serve and then to answer 200 on `/readyz`.
const START_DEADLINE: Duration = Duration::from_secs(120);

/// Runs the server under a `sh` guard, as `devserver` runs Temporal: the
/// guard says the server's pid, then SIGKILLs it as soon as its stdin
/// closes: when the [`Replica`] is dropped (also on a panic) and when this
/// bench dies without unwinding (SIGKILL, a Ctrl-C: the guard has a process
/// group of its own, the terminal's signal reaches only the bench).
const GUARD: &str = r#""$0" "$@" <&- & echo "pid $!"; read -r _; kill -KILL "$!" 2>/dev/null; wait "$!" 2>/dev/null"#;

/// One `sa-demo-server --role {web,worker}` process, under its guard.
pub struct Replica {
    guard: Child,
    /// Closed on drop: the guard then kills the server.
    stdin: Option<ChildStdin>,
    /// The server's own pid (the guard's child).
    pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Replica {
    /// Spawns the process on the Temporal at `address`, in [`NAMESPACE`];
    /// its pid and URL arrive on the channel returned.
    fn spawn(role: &str, name: &str, address: &str) -> (Replica, mpsc::Receiver<(u32, String)>) {
        use std::os::unix::process::CommandExt;
        let mut guard = Command::new("sh")
            .args([
                "-c",
                GUARD,
                env!("CARGO_BIN_EXE_sa-demo-server"),
                "--role",
                role,
            ])
            .env("SA_DEMO_LISTEN", "127.0.0.1:0")
            .env("TEMPORAL_ADDRESS", address)
            .env("TEMPORAL_NAMESPACE", NAMESPACE)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("start sa-demo-server under its guard");
        let stdin = guard.stdin.take();
        let lines = BufReader::new(guard.stdout.take().expect("stdout")).lines();
        let (tx, rx) = mpsc::channel();
        let tag = name.to_owned();
        // Reads what it prints to the end (its warnings: tracing writes to
        // stdout), so it never blocks on a full pipe, and passes it on.
        std::thread::spawn(move || {
            let mut pid = None;
            for line in lines.map_while(Result::ok) {
                if let Some(p) = line.strip_prefix("pid ")
                    && pid.is_none()
                {
                    pid = p.trim().parse().ok();
                } else if let Some((_, url)) = line.rsplit_once(": ")
                    && url.starts_with("http://")
                    && let Some(pid) = pid
                {
                    let _ = tx.send((pid, url.trim().to_owned()));
                } else if !line.trim().is_empty() {
                    eprintln!("[{tag}] {line}");
                }
            }
        });
        let replica = Replica {
            guard,
            stdin,
            pid: 0,
            base: String::new(),
        };
        (replica, rx)
    }

    /// Waits until the process printed its URL and its `/readyz` answered 200.
    async fn ready(&mut self, name: &str, said: mpsc::Receiver<(u32, String)>) {
        let deadline = Instant::now() + START_DEADLINE;
        let (pid, base) = tokio::task::spawn_blocking(move || said.recv_timeout(START_DEADLINE))
            .await
            .expect("the reader")
            .unwrap_or_else(|e| match e {
                mpsc::RecvTimeoutError::Timeout => {
                    panic!("{name} did not serve within {START_DEADLINE:?}")
                }
                mpsc::RecvTimeoutError::Disconnected => panic!("{name} ended before serving"),
            });
        (self.pid, self.base) = (pid, base);
        let http = reqwest::Client::new();
        let ready = format!("{}/readyz", self.base);
        // Asked again until it says ready: a probe has no event to wait on.
        let mut every = tokio::time::interval(Duration::from_millis(100));
        loop {
            every.tick().await;
            let ok = http
                .get(&ready)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ok {
                return;
            }
            assert!(Instant::now() < deadline, "{name}: {ready} not 200 in time");
        }
    }

    /// Spawns the process and waits until it is ready.
    async fn start(role: &str, name: String, address: &str) -> Replica {
        let (mut replica, said) = Replica::spawn(role, &name, address);
        replica.ready(&name, said).await;
        replica
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            // A line or the end of the pipe: either makes the guard kill it.
            let _ = stdin.write_all(b"\n");
        }
        let _ = self.guard.wait();
    }
}

/// The web replicas and the Worker process, all in [`NAMESPACE`].
pub struct Apart {
    pub web: Vec<Replica>,
    pub worker: Replica,
}

impl Apart {
    /// Registers [`NAMESPACE`] on the dev server at `address` through
    /// `client` (a namespace left by an earlier run is reused), then starts
    /// one Worker process and `webs` web replicas, each ready.
    pub async fn start(client: &Client, address: &str, webs: usize) -> Apart {
        let req: RegisterNamespaceRequest = RegisterNamespaceOptions::builder()
            .namespace(NAMESPACE)
            .description("the load bench's web replicas apart")
            .build()
            .into();
        match client
            .clone()
            .register_namespace(tonic::Request::new(req))
            .await
        {
            Ok(_) => {}
            Err(s) if s.code() == tonic::Code::AlreadyExists => {}
            Err(s) => panic!("register namespace {NAMESPACE}: {s}"),
        }
        let worker = Replica::start("worker", "worker".to_owned(), address);
        let web = (1..=webs).map(|i| Replica::start("web", format!("web {i}"), address));
        let (worker, web) = tokio::join!(worker, futures::future::join_all(web));
        let http = reqwest::Client::new();
        for replica in &web {
            let info: proto::ServerInfo = http
                .get(format!("{}/api/info", replica.base))
                .send()
                .await
                .expect("GET /api/info")
                .json()
                .await
                .expect("ServerInfo");
            assert!(info.worker_apart, "a web replica runs no Worker");
            assert_eq!(info.namespace, NAMESPACE);
        }
        Apart { web, worker }
    }

    /// The first `k` web replicas' URLs, which a burst of `k` uses.
    pub fn bases(&self, k: usize) -> Vec<String> {
        self.web[..k].iter().map(|r| r.base.clone()).collect()
    }

    /// CPU seconds used so far by the first `k` web replicas together and
    /// by the Worker process.
    pub fn cpu(&self, k: usize) -> (f64, f64) {
        let web = self.web[..k].iter().map(|r| proc_cpu(r.pid)).sum();
        (web, proc_cpu(self.worker.pid))
    }
}

impl Path {
    fn report_apart(&mut self, name: &str) -> (Duration, Duration) {
        let (p50, p99) = self.percentiles();
        println!(
            "  {name:<34} p50 {p50:>9.2?}  p99 {p99:>9.2?}  lost {}/{}  \
             CPU per run: web replicas {:.2} ms, Worker process {:.2} ms, Temporal {:.2} ms  \
             (bursts took {:.1?})",
            self.lost,
            self.runs,
            self.per_run(self.server_cpu),
            self.per_run(self.worker_cpu),
            self.per_run(self.temporal_cpu),
            self.wall,
        );
        (p50, p99)
    }
}

/// Prints the configurations apart in `paths` (none: nothing), each
/// against the same run's SDK p99 and against 1 web replica's; their runs lost.
pub fn report(paths: &mut [(Config, Path)], sdk_p99: Duration) -> usize {
    if paths.is_empty() {
        return 0;
    }
    println!(
        "Web replicas apart, in the same rounds (interleaved with the bursts above): \
         `--role web` processes, visitors spread round-robin over them, and one \
         `--role worker` process, on the same dev server in namespace {NAMESPACE}:"
    );
    let mut lost = 0;
    let mut p99s = Vec::new();
    for (config, path) in paths.iter_mut() {
        let Config::Apart(k) = *config else {
            continue;
        };
        let name = match k {
            1 => "apart: 1 web replica + 1 Worker".to_owned(),
            k => format!("apart: {k} web replicas + 1 Worker"),
        };
        let (_, p99) = path.report_apart(&name);
        p99s.push((k, p99));
        lost += path.lost;
    }
    let against_sdk: Vec<String> = p99s
        .iter()
        .map(|&(k, p99)| format!("{k} web: {:.2}", ratio(p99, sdk_p99)))
        .collect();
    println!(
        "  p99 / SDK p99 of the same run: {}",
        against_sdk.join(", ")
    );
    if let Some(&(_, one)) = p99s.first() {
        for &(k, p99) in &p99s[1..] {
            println!(
                "  {k} web replicas p99 / 1 web replica p99 = {:.2}",
                ratio(p99, one)
            );
        }
    }
    lost
}
