//! Starting and stopping the whole application: the Temporal connection
//! (starting the embedded dev server if configured), the Worker pool (none
//! on a web replica; on the Worker role, kept in step with Temporal's
//! record by `discovery`), the shared state, and [`serve`], which `main.rs`
//! and the tests both use.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{Config, Role, TemporalTarget};
use crate::devserver::DevServer;
use crate::gateway::Gateway;
use crate::hosting::Guard;
use crate::routes;
use crate::runs::Runs;
use crate::service::{AppState, Inner};
use crate::worker::Workers;

/// A running application: its state, and the dev server if it started one.
pub struct App {
    /// Shared state (pass to [`routes::router`]).
    pub state: AppState,
    /// The hosting policy: tokens, limits.
    pub guard: Arc<Guard>,
    /// The CSP `frame-ancestors` sources.
    frame_ancestors: String,
    /// The embedded dev server, if any.
    dev_server: Option<DevServer>,
    /// What this process does.
    role: Role,
    /// The Worker role's reading of Temporal's record, while it runs.
    discovery: Option<tokio::task::JoinHandle<()>>,
}

/// Identity of this app's client and Workers in Temporal: the process,
/// plus a few random digits, since one process may run several apps.
fn identity() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    let nonce = &crate::gateway::request_id()[..4];
    format!("sa-demo-{}-{nonce}@{host}", std::process::id())
}

/// How long startup waits for a Temporal that is still starting.
const STARTUP_WAIT: Duration = Duration::from_secs(60);

/// Connects with `connect`, trying again while Temporal is still starting
/// (its frontend accepts connections before it is healthy: "Frontend is not
/// healthy yet"), or, for a dev server this process just started
/// (`any_error`), while it does not answer at all; within [`STARTUP_WAIT`].
async fn connect_retrying<F, Fut>(any_error: bool, connect: F) -> anyhow::Result<Gateway>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<Gateway>>,
{
    let deadline = tokio::time::Instant::now() + STARTUP_WAIT;
    loop {
        match connect().await {
            Ok(gateway) => return Ok(gateway),
            Err(e)
                if (any_error || crate::gateway::still_starting(&e))
                    && tokio::time::Instant::now() < deadline =>
            {
                tracing::debug!(error = %e, "Temporal not ready yet");
                // Nothing to wait on but the server's own startup.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.context("Temporal did not become ready")),
        }
    }
}

/// Connects to the dev server at `address` once it answers and is healthy.
pub async fn connect_when_healthy(address: &str, identity: &str) -> anyhow::Result<Gateway> {
    connect_retrying(true, || {
        Gateway::connect_plain(address, "default", identity)
    })
    .await
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
                let gateway =
                    connect_retrying(false, || Gateway::connect_envconfig(&identity)).await?;
                (gateway, None, config.hosting.temporal_ui_url.clone())
            }
            TemporalTarget::Plain { address, namespace } => {
                let gateway = connect_retrying(false, || {
                    Gateway::connect_plain(address, namespace, &identity)
                })
                .await?;
                (gateway, None, None)
            }
        };
        // A public page never links to a loopback address: only to the
        // Web UI the operator named.
        let web_ui_url = if config.hosting.public {
            config.hosting.temporal_ui_url.clone()
        } else {
            web_ui_url
        };
        // Read once: a namespace's capabilities change with the server's
        // dynamic config, which a restart of the demo picks up.
        let capabilities = gateway.capabilities().await;
        if let Some(note) = &capabilities.note {
            tracing::warn!(%note, "namespace capabilities");
        }
        let role = config.role;
        let info = proto::ServerInfo {
            address: gateway.address().to_owned(),
            namespace: gateway.namespace(),
            web_ui_url,
            capabilities,
            worker_apart: !role.runs_workers(),
        };
        let runs = Arc::new(Runs::default());
        let default_queue = proto::ActivityConfig::default().task_queue;
        let workers = Workers::new(
            gateway.client().clone(),
            Arc::clone(&runs),
            identity,
            default_queue.clone(),
            role.runs_workers(),
        );
        workers.ensure(&default_queue).await?;
        if role == Role::Worker {
            workers.ensure(proto::api::WORKFLOW_TASK_QUEUE).await?;
        }
        tracing::info!(address = %info.address, namespace = %info.namespace, ?role, "connected to Temporal");
        let state = AppState::new(Inner {
            gateway,
            runs,
            workers,
            info,
            static_dir: config.static_dir.clone(),
            follow: config.follow,
        });
        if config.hosting.public {
            tracing::info!("public mode: control tokens and rate limits on");
        }
        let discovery =
            (role == Role::Worker).then(|| tokio::spawn(crate::discovery::run(state.clone())));
        Ok(App {
            state,
            guard: Guard::new(&config.hosting)
                .map_err(|e| anyhow::anyhow!("no random key for the control tokens: {e}"))?,
            frame_ancestors: config.hosting.frame_ancestors.clone(),
            dev_server,
            role,
            discovery,
        })
    }

    /// The process id of the embedded dev server's guard, if there is one
    /// (its process group holds the dev server).
    pub fn embedded_temporal_pid(&self) -> Option<u32> {
        self.dev_server.as_ref().and_then(DevServer::pid)
    }

    /// What this process does.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The router serving this app, with its security headers and limits:
    /// everything, or on the Worker role only the probes.
    pub fn router(&self) -> axum::Router {
        if !self.role.serves_web() {
            return routes::probes(self.state.clone(), &self.frame_ancestors);
        }
        routes::router(
            self.state.clone(),
            Arc::clone(&self.guard),
            &self.frame_ancestors,
        )
    }

    /// Stops the Workers, then the embedded dev server.
    pub async fn shutdown(self) {
        if let Some(discovery) = &self.discovery {
            discovery.abort();
        }
        self.state.workers.shutdown().await;
        if let Some(dev) = self.dev_server {
            dev.stop().await;
        }
    }
}

/// How long open event streams may go on after a shutdown was asked for
/// (they last as long as their runs; browsers reconnect and resume
/// elsewhere).
pub const STREAM_GRACE: Duration = Duration::from_secs(3);

/// Serves `app` on `listener` until `shutdown` resolves, lets open streams
/// end within [`STREAM_GRACE`], then stops the Workers and the embedded dev
/// server.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stopping, mut stop_requested) = tokio::sync::watch::channel(false);
    // The peer address identifies the client for public mode's limits.
    let service = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopping.send(true);
    });
    let grace = async {
        let _ = stop_requested.wait_for(|stop| *stop).await;
        tokio::time::sleep(STREAM_GRACE).await;
    };
    let served = tokio::select! {
        served = server.into_future() => served,
        () = grace => {
            tracing::info!("closing the event streams still open");
            Ok(())
        }
    };
    app.shutdown().await;
    served
}
