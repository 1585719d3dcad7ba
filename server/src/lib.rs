//! The demo server: serves the UI, starts standalone activities on a real
//! Temporal Server, runs the Worker that executes them, and streams what
//! really happened to the browser over Server-Sent Events.
//!
//! [`App::start`] wires it together (Temporal connection, Worker, router);
//! `main.rs` only parses the configuration and serves.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use proto::config::IdConflictPolicy;
use proto::{
    EventKind, FailureScenario, Field, FieldError, RunRequest, RunStarted, ServerInfo, Source,
};

pub mod config;
pub mod devserver;
pub mod error;
pub mod follower;
pub mod gateway;
pub mod routes;
pub mod runs;
pub mod sse;
pub mod static_files;
pub mod tracker;
pub mod worker;

use config::{Config, TemporalTarget};
use devserver::DevServer;
use error::AppError;
use gateway::Gateway;
use runs::{Run, RunKey, Runs};
use worker::Workers;

/// Milliseconds since the Unix epoch.
pub fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The most runs followed while still open; more are refused with 503, so
/// no visitor can start unbounded work.
pub const MAX_RUNS_IN_FLIGHT: usize = 200;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// What [`AppState`] shares.
pub struct Inner {
    /// The Temporal client.
    pub gateway: Gateway,
    /// Followed runs and their logs.
    pub runs: Arc<Runs>,
    /// The Workers.
    pub workers: Workers,
    /// Served at `/api/info`.
    pub info: ServerInfo,
    /// The UI bundle.
    pub static_dir: PathBuf,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(unix_ms(SystemTime::now()));
    format!("{:016x}", h.finish())
}

impl AppState {
    /// Starts the run `req` describes and begins following it.
    pub async fn start(&self, req: &RunRequest) -> Result<RunStarted, AppError> {
        let c = &req.config;
        if self.runs.open_count() >= MAX_RUNS_IN_FLIGHT {
            return Err(AppError::Busy(format!(
                "{MAX_RUNS_IN_FLIGHT} runs are in flight on this demo; try again when some end"
            )));
        }
        let outage = match req.scenario {
            FailureScenario::Outage { seconds } => Some(seconds),
            _ => None,
        };
        match outage {
            Some(_) => self.workers.begin_outage(&c.task_queue).map_err(|e| {
                AppError::Validation(vec![FieldError {
                    field: Field::TaskQueue,
                    message: e.to_string(),
                }])
            })?,
            None => self
                .workers
                .ensure(&c.task_queue)
                .map_err(|e| AppError::Unavailable(e.to_string()))?,
        }
        // With UseExisting, Temporal may hand back a run already going; the
        // SDK does not say so, so note which run was open before the start.
        let open_before = match c.id_conflict_policy {
            IdConflictPolicy::UseExisting => {
                match self.gateway.describe(&c.activity_id, "", Vec::new()).await {
                    Ok(Some((snap, _))) if snap.status == tracker::Status::Running => {
                        Some(snap.run_id)
                    }
                    _ => None,
                }
            }
            IdConflictPolicy::Fail => None,
        };
        let token = random_token();
        let requested = unix_ms(SystemTime::now());
        let run_id = match self.gateway.start(req, &token).await {
            Ok(run_id) => run_id,
            Err(e) => {
                self.runs.forget_token(&token);
                if outage.is_some() {
                    let _ = self.workers.end_outage(&c.task_queue, false);
                }
                return Err(e);
            }
        };
        let key = RunKey {
            activity_id: c.activity_id.clone(),
            run_id: run_id.clone(),
        };
        let connected = EventKind::Connected {
            address: self.info.address.clone(),
            namespace: self.info.namespace.clone(),
        };
        let attached = open_before.as_deref() == Some(run_id.as_str());
        let (run, fresh) = if attached {
            // Someone else's start: its Worker events carry their token.
            self.runs.register(key, None, None)
        } else {
            self.runs.register(
                key,
                Some(&token),
                Some((Source::Client, requested, connected)),
            )
        };
        if fresh {
            self.spawn_follower(Arc::clone(&run));
        }
        if let Some(seconds) = outage {
            // The outage began before the start call.
            run.push(
                Source::Worker,
                requested,
                EventKind::WorkerOffline {
                    task_queue: c.task_queue.clone(),
                    seconds,
                },
            );
            let state = self.clone();
            let queue = c.task_queue.clone();
            let run = Arc::clone(&run);
            tokio::spawn(async move {
                // The outage itself: the scenario's length, not a synchronisation.
                tokio::time::sleep(std::time::Duration::from_secs(u64::from(seconds))).await;
                match state.workers.end_outage(&queue, true) {
                    Ok(()) => run.push(
                        Source::Worker,
                        unix_ms(SystemTime::now()),
                        EventKind::WorkerOnline { task_queue: queue },
                    ),
                    Err(e) => tracing::warn!(error = %e, "Worker did not come back"),
                }
            });
        }
        Ok(RunStarted {
            activity_id: c.activity_id.clone(),
            activity_type: req.language.activity_type().to_owned(),
            web_ui_url: self.web_ui_link(&c.activity_id, &run_id),
            run_id,
            started: !attached && fresh,
        })
    }

    /// The run `key`, following it first if this process does not yet (the
    /// server restarted, or the run was started elsewhere).
    pub async fn follow(&self, key: RunKey) -> Result<Arc<Run>, AppError> {
        if let Some(run) = self.runs.get(&key) {
            return Ok(run);
        }
        if key.activity_id.is_empty() || key.run_id.is_empty() {
            // An empty run id would mean "the latest run" to Temporal.
            return Err(AppError::NotFound(
                "a run needs both an activity id and a run id".to_owned(),
            ));
        }
        // Make sure Temporal knows the run before promising a stream of it.
        match self
            .gateway
            .describe(&key.activity_id, &key.run_id, Vec::new())
            .await
        {
            Ok(Some((snapshot, _))) => {
                // After a restart, the run's queue needs its Worker back.
                if snapshot.status == tracker::Status::Running
                    && let Err(e) = self.workers.ensure(&snapshot.task_queue)
                {
                    tracing::warn!(error = %e, "no Worker for a re-attached run");
                }
            }
            Ok(None) => {}
            Err(s) if s.code() == temporalio_client::tonic::Code::NotFound => {
                return Err(AppError::NotFound(format!(
                    "no activity {} with run {}",
                    key.activity_id, key.run_id
                )));
            }
            Err(s) if s.code() == temporalio_client::tonic::Code::InvalidArgument => {
                return Err(AppError::Rejected(s.message().to_owned()));
            }
            Err(s) => return Err(AppError::Unavailable(s.message().to_owned())),
        }
        let (run, fresh) = self.runs.register(key, None, None);
        if fresh {
            self.spawn_follower(Arc::clone(&run));
        }
        Ok(run)
    }

    fn spawn_follower(&self, run: Arc<Run>) {
        let state = self.clone();
        tokio::spawn(async move {
            follower::follow(state.gateway.clone(), Arc::clone(&run)).await;
            if run.ended_lost() {
                // Let the next subscriber rebuild it once Temporal answers again.
                state.runs.forget(&run.key);
            }
        });
    }

    fn web_ui_link(&self, activity_id: &str, run_id: &str) -> Option<String> {
        self.info.web_ui_url.as_ref().map(|ui| {
            format!(
                "{ui}/namespaces/{}/activities/{}/{}/details",
                encode(&self.info.namespace),
                encode(activity_id),
                encode(run_id)
            )
        })
    }
}

/// Percent-encodes a URL path segment.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A running application: its state, and the dev server if it started one.
pub struct App {
    /// Shared state (pass to [`routes::router`]).
    pub state: AppState,
    /// The embedded dev server, if any.
    dev_server: Option<DevServer>,
}

/// Identity of this process's client and Workers in Temporal.
fn identity() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    format!("sa-demo-worker-{}@{host}", std::process::id())
}

/// The dev server accepts connections before its frontend is healthy
/// ("Frontend is not healthy yet"): retry until it answers, within a deadline.
pub async fn connect_when_healthy(address: &str, identity: &str) -> anyhow::Result<Gateway> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        match Gateway::connect_plain(address, "default", identity).await {
            Ok(gateway) => return Ok(gateway),
            Err(e) if tokio::time::Instant::now() < deadline => {
                tracing::debug!(error = %e, "Temporal not ready yet");
                // Nothing to wait on but the server's own startup.
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.context("the embedded Temporal never became healthy")),
        }
    }
}

impl App {
    /// Connects to Temporal (starting the embedded dev server if configured)
    /// and starts the Worker for the default task queue.
    pub async fn start(config: &Config) -> anyhow::Result<App> {
        let identity = identity();
        let (gateway, dev_server, web_ui_url) = match &config.temporal {
            TemporalTarget::Embedded(opts) => {
                let dev = DevServer::start(opts).await?;
                let gateway = connect_when_healthy(&dev.address().to_string(), &identity).await?;
                let ui = dev.ui_url();
                (gateway, Some(dev), ui)
            }
            TemporalTarget::External => {
                let gateway = Gateway::connect_envconfig(&identity).await?;
                let ui = std::env::var("SA_DEMO_TEMPORAL_UI_URL").ok();
                (gateway, None, ui)
            }
        };
        let info = ServerInfo {
            address: gateway.address().to_owned(),
            namespace: gateway.namespace(),
            web_ui_url,
        };
        let runs = Arc::new(Runs::default());
        let default_queue = proto::ActivityConfig::default().task_queue;
        let workers = Workers::new(
            gateway.client().clone(),
            Arc::clone(&runs),
            identity,
            default_queue.clone(),
        );
        workers.ensure(&default_queue)?;
        tracing::info!(address = %info.address, namespace = %info.namespace, "connected to Temporal");
        let state = AppState {
            inner: Arc::new(Inner {
                gateway,
                runs,
                workers,
                info,
                static_dir: config.static_dir.clone(),
            }),
        };
        Ok(App { state, dev_server })
    }

    /// The router serving this app.
    pub fn router(&self) -> axum::Router {
        routes::router(self.state.clone())
    }

    /// Stops the Workers, then the embedded dev server.
    pub async fn shutdown(self) {
        self.state.workers.shutdown().await;
        if let Some(dev) = self.dev_server {
            dev.stop().await;
        }
    }
}
