//! The run service: starts runs (capacity, the outage scenario, Worker
//! pool, the start call), follows any run a client asks for (rebuilding a
//! run this process never saw from Temporal's record), and stops them.
//! Handlers call it; it calls the gateway, the Worker pool and the run
//! registry. The operator commands are in `commands`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proto::api::WORKFLOW_TASK_QUEUE;
use proto::{
    EventKind, FailureScenario, Field, FieldError, Language, RunAs, RunEvent, RunRequest,
    RunStarted, ServerInfo, Source,
};

use crate::error::AppError;
use crate::follower;
use crate::gateway::{Gateway, GatewayError, HistoryFact, NO_START_DELAY, Stop, request_id};
use crate::runs::{Run, RunKey, Runs};
use crate::unix_ms;
use crate::worker::Workers;

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
    pub static_dir: std::path::PathBuf,
    /// How followers behave while Temporal is away.
    pub follow: follower::Follow,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

fn now_ms() -> i64 {
    unix_ms(SystemTime::now())
}

impl AppState {
    /// Wraps what every handler shares.
    pub fn new(inner: Inner) -> AppState {
        AppState {
            inner: Arc::new(inner),
        }
    }

    /// Starts the run `req` describes and begins following it.
    pub async fn start(&self, req: &RunRequest) -> Result<RunStarted, AppError> {
        let c = &req.config;
        if c.start_delay_ms.is_some() && !self.info.capabilities.start_delay {
            return Err(AppError::Validation(vec![FieldError {
                field: Field::StartDelay,
                message: NO_START_DELAY.to_owned(),
            }]));
        }
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
            Some(_) => {
                self.workers.begin_outage(&c.task_queue)?;
                self.refuse_polled_outage(&c.task_queue).await?;
            }
            None => self.workers.ensure(&c.task_queue).await?,
        }
        let workflow = req.run_as == RunAs::Workflow;
        if workflow {
            self.workers.ensure(WORKFLOW_TASK_QUEUE).await?;
        }
        let token = request_id();
        let requested = now_ms();
        let answer = if workflow {
            self.gateway.start_workflow(req, &token).await
        } else {
            self.gateway.start(req, &token).await
        };
        let started = match answer {
            Ok(started) => started,
            Err(e) => {
                self.runs.forget_token(&token);
                if outage.is_some() {
                    let _ = self.workers.end_outage(&c.task_queue, false).await;
                }
                return Err(e.into());
            }
        };
        let key = RunKey {
            activity_id: c.activity_id.clone(),
            run_id: started.run_id.clone(),
        };
        let (address, namespace) = (self.info.address.clone(), self.info.namespace.clone());
        let kind = if workflow {
            EventKind::WorkflowStartRequested {
                address,
                namespace,
                workflow_type: Language::DEMO_WORKFLOW_TYPE.to_owned(),
                started: started.started,
            }
        } else {
            EventKind::StartRequested {
                address,
                namespace,
                started: started.started,
            }
        };
        let first = RunEvent::reported(Source::Client, Some(requested), kind);
        // A run handed back by UseExisting carries its own starter's token.
        let own_token = started.started.then_some(token.as_str());
        let (run, fresh) = self
            .runs
            .register(key, &c.task_queue, own_token, Some(first));
        if fresh {
            self.spawn_follower(Arc::clone(&run), workflow);
        }
        if let Some(seconds) = outage.filter(|_| started.started) {
            self.run_outage(&run, seconds);
        }
        let web_ui_url = if workflow {
            self.workflow_link(&c.activity_id, &started.run_id)
        } else {
            self.web_ui_link(&c.activity_id, &started.run_id)
        };
        Ok(RunStarted {
            activity_id: c.activity_id.clone(),
            activity_type: req.language.activity_type().to_owned(),
            web_ui_url,
            run_id: started.run_id,
            started: started.started,
            // Signed by the route, which holds the hosting policy.
            control_token: None,
            run_as: req.run_as,
            workflow_type: workflow.then(|| Language::DEMO_WORKFLOW_TYPE.to_owned()),
        })
    }

    /// With the Workers apart, an outage needs a queue no Worker polls now,
    /// as Temporal reports its pollers; the Worker role then keeps off it
    /// until the outage ends, as the run's record says (`discovery`).
    async fn refuse_polled_outage(&self, task_queue: &str) -> Result<(), AppError> {
        if self.workers.local() {
            return Ok(());
        }
        let pollers = self.gateway.pollers(task_queue).await?;
        if pollers.is_empty() {
            return Ok(());
        }
        Err(crate::worker::WorkerError::Busy(task_queue.to_owned()).into())
    }

    /// The outage scenario: the queue has no Worker for `seconds` (from
    /// before the start call), then gets one back. With the
    /// Workers apart, the Worker role ends the outage on its own, and only
    /// its process sees when: this log then has no `worker_online` line
    /// (the attempt's start, from Temporal's record, names the Worker).
    fn run_outage(&self, run: &Arc<Run>, seconds: u32) {
        // The `worker_offline` line is the tracker's, from the run's Header.
        let queue = run.task_queue.clone();
        if !self.workers.local() {
            return;
        }
        let state = self.clone();
        let run = Arc::clone(run);
        tokio::spawn(async move {
            // The outage itself: the scenario's length, not a synchronisation.
            tokio::time::sleep(Duration::from_secs(u64::from(seconds))).await;
            match state.workers.end_outage(&queue, true).await {
                Ok(()) => run.push(RunEvent::reported(
                    Source::Worker,
                    Some(now_ms()),
                    EventKind::WorkerOnline { task_queue: queue },
                )),
                Err(e) => tracing::warn!(error = %e, "Worker did not come back"),
            }
        });
    }

    /// The run `key`, following it first if this process does not yet (the
    /// server restarted, another replica started it, or the CLI did).
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
        let snapshot = match self
            .gateway
            .describe(&key.activity_id, &key.run_id, Vec::new())
            .await
        {
            Ok(Some((snapshot, _))) => snapshot,
            Ok(None) => {
                return Err(AppError::Unavailable(
                    "Temporal described the run without its state; retry in a few seconds"
                        .to_owned(),
                ));
            }
            Err(GatewayError::NotFound(_)) => {
                return Err(AppError::NotFound(format!(
                    "no activity {} with run {}",
                    key.activity_id, key.run_id
                )));
            }
            Err(e) => return Err(e.into()),
        };
        let (run, fresh) = self.runs.register(key, &snapshot.task_queue, None, None);
        if !snapshot.is_closed() {
            // After a restart, the run's queue needs its Worker back.
            if let Err(e) = self.workers.ensure(&snapshot.task_queue).await {
                tracing::warn!(error = %e, "no Worker for a re-attached run");
            }
        }
        if fresh {
            self.spawn_follower(Arc::clone(&run), false);
        }
        Ok(run)
    }

    /// The Workflow run `key` (Workflow id, run id), following it first if
    /// this process does not yet: its log is rebuilt from its history.
    pub async fn follow_workflow(&self, key: RunKey) -> Result<Arc<Run>, AppError> {
        if let Some(run) = self.runs.get(&key) {
            return Ok(run);
        }
        if key.activity_id.is_empty() || key.run_id.is_empty() {
            return Err(AppError::NotFound(
                "a Workflow run needs both a Workflow id and a run id".to_owned(),
            ));
        }
        // Make sure Temporal knows the Workflow before promising a stream of it.
        let page = match self
            .gateway
            .history(&key.activity_id, &key.run_id, Vec::new(), false)
            .await
        {
            Ok(page) => page.unwrap_or_default(),
            Err(GatewayError::NotFound(_)) => {
                return Err(AppError::NotFound(format!(
                    "no Workflow {} with run {}",
                    key.activity_id, key.run_id
                )));
            }
            Err(e) => return Err(e.into()),
        };
        let task_queue = page.events.iter().find_map(|e| match &e.fact {
            HistoryFact::WorkflowStarted { task_queue, .. } => Some(task_queue.clone()),
            _ => None,
        });
        let closed = page
            .events
            .iter()
            .any(|e| matches!(e.fact, HistoryFact::WorkflowClosed { .. }));
        let task_queue = task_queue.unwrap_or_default();
        let (run, fresh) = self.runs.register(key, &task_queue, None, None);
        // The Workflow's queue, and the activity's once it is scheduled.
        let activity_queue = page.events.iter().find_map(|e| match &e.fact {
            HistoryFact::ActivityScheduled { task_queue, .. } => Some(task_queue.clone()),
            _ => None,
        });
        let queues = std::iter::once(task_queue.clone()).chain(activity_queue);
        for queue in queues.filter(|q| !closed && !q.is_empty()) {
            if let Err(e) = self.workers.ensure(&queue).await {
                tracing::warn!(error = %e, "no Worker for a re-attached Workflow");
            }
        }
        if fresh {
            self.spawn_follower(Arc::clone(&run), true);
        }
        Ok(run)
    }

    /// Cancels or terminates a run.
    pub async fn stop(&self, key: &RunKey, how: Stop, reason: &str) -> Result<(), AppError> {
        self.gateway
            .stop(&key.activity_id, &key.run_id, how, reason)
            .await
            .map_err(AppError::from)
    }

    /// Cancels or terminates a Workflow run.
    pub async fn stop_workflow(
        &self,
        key: &RunKey,
        how: Stop,
        reason: &str,
    ) -> Result<(), AppError> {
        self.gateway
            .stop_workflow(&key.activity_id, &key.run_id, how, reason)
            .await
            .map_err(AppError::from)
    }

    fn spawn_follower(&self, run: Arc<Run>, workflow: bool) {
        let state = self.clone();
        tokio::spawn(async move {
            // After an outage the run's Worker may have given up polling.
            let reattach = || async {
                if let Err(e) = state.workers.ensure(&run.task_queue).await {
                    tracing::warn!(error = %e, "no Worker for a run after an outage");
                }
            };
            if workflow {
                follower::workflow::follow(&state.gateway, &run, state.follow, reattach).await;
            } else {
                follower::follow(&state.gateway, &run, state.follow, reattach).await;
            }
            if run.ended_lost() {
                // Let the next subscriber rebuild it once Temporal answers again.
                state.runs.forget(&run.key);
            }
        });
    }

    /// The Workflow run's page in the Temporal Web UI (its Event History).
    pub(crate) fn workflow_link(&self, workflow_id: &str, run_id: &str) -> Option<String> {
        self.info.web_ui_url.as_ref().map(|ui| {
            format!(
                "{ui}/namespaces/{}/workflows/{}/{}/history",
                encode(&self.info.namespace),
                encode(workflow_id),
                encode(run_id)
            )
        })
    }

    /// The standalone run's page in the Temporal Web UI.
    pub(crate) fn web_ui_link(&self, activity_id: &str, run_id: &str) -> Option<String> {
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

/// What stays as it is in a path segment: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a URL path segment.
fn encode(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_segment_keeps_only_unreserved_characters() {
        assert_eq!(super::encode("greet-1_a.b~"), "greet-1_a.b~");
        assert_eq!(super::encode("a b/c?d#e%f@g"), "a%20b%2Fc%3Fd%23e%25f%40g");
        assert_eq!(super::encode("grüß"), "gr%C3%BC%C3%9F");
    }
}
