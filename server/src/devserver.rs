//! The embedded default: a local `temporal server start-dev`, started on free
//! ports when no Temporal address is configured, and stopped with the demo.
//!
//! The CLI runs under a tiny `sh` guard in its own process group: the guard
//! kills the dev server as soon as its stdin closes, which happens both on a
//! clean [`DevServer::stop`] and when this process dies without cleaning up,
//! so a crashed demo never leaves a Temporal server behind. A supervisor task
//! starts the dev server again, on the same ports and state file, if it
//! exits on its own.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

/// How to start the embedded dev server.
#[derive(Debug, Clone)]
pub struct DevServerOptions {
    /// The `temporal` CLI binary.
    pub cli: PathBuf,
    /// SQLite file keeping state across restarts; in-memory when `None`.
    pub db_file: Option<PathBuf>,
    /// Skip the Web UI (tests do not need it).
    pub headless: bool,
    /// The frontend's port; a free one when `None`.
    pub port: Option<u16>,
}

/// Why the dev server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum DevServerError {
    /// The CLI could not be spawned.
    #[error(
        "cannot run the Temporal CLI at {path}: {source} (run `cargo xtask demo` to install it, or set SA_DEMO_TEMPORAL_CLI)"
    )]
    Spawn {
        /// The CLI path tried.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// No free port could be found.
    #[error("cannot reserve a local port: {0}")]
    Port(std::io::Error),
    /// The dev server exited during startup.
    #[error("temporal server start-dev exited during startup: {0}")]
    Exited(String),
    /// The dev server did not accept connections in time.
    #[error("temporal server start-dev did not accept connections within {0:?}")]
    Timeout(Duration),
}

/// A running dev server, supervised: if it exits on its own, it is
/// started again on the same ports with the same state file.
#[derive(Debug)]
pub struct DevServer {
    /// Where the frontend gRPC service listens.
    grpc: SocketAddr,
    /// Where the Web UI listens, unless headless.
    ui: Option<SocketAddr>,
    /// The current guard's process id (it changes on a restart).
    pid: Arc<Mutex<Option<u32>>>,
    /// Dropping or sending on this stops the supervisor and the dev server.
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The supervisor.
    supervisor: Option<tokio::task::JoinHandle<()>>,
}

/// One `temporal server start-dev` process under its guard.
#[derive(Debug)]
struct Process {
    /// The `sh` guard; the dev server is its child.
    guard: Child,
    /// Closing this makes the guard stop the dev server.
    stdin: Option<ChildStdin>,
}

impl Process {
    /// Stops the dev server and waits for it to exit.
    async fn stop(mut self) {
        drop(self.stdin.take());
        match tokio::time::timeout(Duration::from_secs(15), self.guard.wait()).await {
            Ok(_) => tracing::info!("embedded Temporal dev server stopped"),
            Err(_) => {
                tracing::warn!("embedded Temporal dev server did not stop in time; killing it");
                let _ = self.guard.kill().await;
            }
        }
    }
}

/// The wait before restart number `n` (from 0): 500 ms doubling up to 10 s.
fn restart_backoff(n: u32) -> Duration {
    Duration::from_millis(500u64 << n.min(5)).min(Duration::from_secs(10))
}

fn free_port() -> Result<u16, DevServerError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(DevServerError::Port)?;
    Ok(listener.local_addr().map_err(DevServerError::Port)?.port())
}

/// How long the dev server may take to accept connections.
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);

impl DevServer {
    /// Starts the dev server, waits until its frontend accepts TCP
    /// connections, and supervises it.
    pub async fn start(opts: &DevServerOptions) -> Result<DevServer, DevServerError> {
        // A free port may be taken by another process between our probe and
        // the dev server's bind (or collide with a port the dev server picks
        // for its own services): on ports of our choosing, try fresh ones.
        let mut tries = if opts.port.is_some() { 1 } else { 3 };
        let (grpc, ui, process) = loop {
            let grpc = SocketAddr::from((
                Ipv4Addr::LOCALHOST,
                match opts.port {
                    Some(port) => port,
                    None => free_port()?,
                },
            ));
            let ui = if opts.headless {
                None
            } else {
                Some(SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?)))
            };
            tries -= 1;
            match spawn(opts, grpc, ui).await {
                Ok(process) => break (grpc, ui, process),
                Err(DevServerError::Exited(why)) if tries > 0 => {
                    tracing::warn!(%grpc, "the dev server exited at startup ({why}); trying other ports");
                }
                Err(e) => return Err(e),
            }
        };
        tracing::info!(%grpc, ui = ?ui, "embedded Temporal dev server started");
        let pid = Arc::new(Mutex::new(process.guard.id()));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let supervisor = tokio::spawn(supervise(
            opts.clone(),
            grpc,
            ui,
            process,
            Arc::clone(&pid),
            stopped,
        ));
        Ok(DevServer {
            grpc,
            ui,
            pid,
            stop: Some(stop),
            supervisor: Some(supervisor),
        })
    }

    /// The frontend's gRPC address, `host:port`.
    pub fn address(&self) -> SocketAddr {
        self.grpc
    }

    /// The Web UI's base URL, unless headless.
    pub fn ui_url(&self) -> Option<String> {
        self.ui.map(|ui| format!("http://{ui}"))
    }

    /// The current guard's process id (the dev server is its child, in the
    /// guard's process group).
    pub fn pid(&self) -> Option<u32> {
        *self.pid.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops the dev server and waits for it to exit.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(supervisor) = self.supervisor.take() {
            let _ = supervisor.await;
        }
    }
}

/// Keeps the dev server running until `stopped` fires (or its sender is
/// dropped): a dev server that exits on its own is started again on the
/// same ports, with the same state file, after a growing pause.
async fn supervise(
    opts: DevServerOptions,
    grpc: SocketAddr,
    ui: Option<SocketAddr>,
    mut process: Process,
    pid: Arc<Mutex<Option<u32>>>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let mut restarts = 0;
    loop {
        tokio::select! {
            status = process.guard.wait() => {
                tracing::warn!(?status, %grpc, "the embedded Temporal dev server exited; starting it again");
                loop {
                    tokio::select! {
                        () = tokio::time::sleep(restart_backoff(restarts)) => {}
                        _ = &mut stopped => return,
                    }
                    restarts += 1;
                    match spawn(&opts, grpc, ui).await {
                        Ok(p) => {
                            tracing::info!(%grpc, restarts, "embedded Temporal dev server started again");
                            *pid.lock().unwrap_or_else(|p| p.into_inner()) = p.guard.id();
                            process = p;
                            break;
                        }
                        Err(e) => tracing::warn!(error = %e, restarts, "restarting the embedded Temporal dev server failed"),
                    }
                }
            }
            _ = &mut stopped => {
                process.stop().await;
                return;
            }
        }
    }
}

/// Starts one dev server process on `grpc` (and `ui`) and waits until its
/// frontend accepts TCP connections.
/// Whether `cli` names a file the guard can run (a bare name through
/// `PATH`). Checked before spawning: the guard's shell would only say "not
/// found" on its stderr and then wait on its stdin for ever, so a wrong path
/// would surface as a startup timeout, once per try.
fn check_cli(cli: &Path) -> Result<(), std::io::Error> {
    let found = if cli.components().count() > 1 {
        cli.is_file()
    } else {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(cli).is_file()))
    };
    if found {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        ))
    }
}

async fn spawn(
    opts: &DevServerOptions,
    grpc: SocketAddr,
    ui: Option<SocketAddr>,
) -> Result<Process, DevServerError> {
    check_cli(&opts.cli).map_err(|source| DevServerError::Spawn {
        path: opts.cli.clone(),
        source,
    })?;
    let mut args: Vec<String> = vec![
        "server".into(),
        "start-dev".into(),
        "--ip".into(),
        "127.0.0.1".into(),
        "--port".into(),
        grpc.port().to_string(),
        "--log-level".into(),
        "warn".into(),
    ];
    match ui {
        Some(ui) => {
            args.extend(["--ui-port".into(), ui.port().to_string()]);
            args.push("--ui-disable-news-fetch".into());
        }
        None => args.push("--headless".into()),
    }
    if let Some(db) = &opts.db_file {
        if let Some(dir) = db.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        args.extend(["--db-filename".into(), db.display().to_string()]);
    }
    let mut guard = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" "$@" <&- & pid=$!; read -r _; kill -TERM "$pid" 2>/dev/null; wait "$pid""#)
        .arg(&opts.cli)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        // Not kill_on_drop: killing the guard would orphan the dev server.
        // Dropping the guard's stdin is what stops it (see the module doc).
        .spawn()
        .map_err(|source| DevServerError::Spawn {
            path: opts.cli.clone(),
            source,
        })?;
    let stdin = guard.stdin.take();
    let tail = Arc::new(Mutex::new(Vec::<String>::new()));
    if let Some(stderr) = guard.stderr.take() {
        let tail = Arc::clone(&tail);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::debug!(target: "temporal_dev_server", "{line}");
                if let Ok(mut t) = tail.lock() {
                    if t.len() == 20 {
                        t.remove(0);
                    }
                    t.push(line);
                }
            }
        });
    }
    let ready = async {
        loop {
            if let Ok(Some(status)) = guard.try_wait() {
                let said = tail.lock().map(|t| t.join("\n")).unwrap_or_default();
                return Err(DevServerError::Exited(format!("{status}; {said}")));
            }
            if tokio::net::TcpStream::connect(grpc).await.is_ok() {
                return Ok(());
            }
            // Polling a port that is not open yet: there is no event to wait for.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(STARTUP_DEADLINE, ready)
        .await
        .map_err(|_| DevServerError::Timeout(STARTUP_DEADLINE))??;
    Ok(Process { guard, stdin })
}
