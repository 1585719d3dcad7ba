//! The demo's Worker: one greeting activity registered under every type name
//! a generated snippet uses, really misbehaving as the run's failure scenario
//! (read from the activity Header) says, plus an interceptor that reports what
//! only the Worker sees (an attempt began, how long it ran, its exact error).
//!
//! `Worker::run()` is `!Send`, so each Worker runs on a blocking thread of its
//! own. One Worker polls each task queue a run names (created on demand,
//! capped), so renaming the queue in the form still works.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use futures_util::FutureExt;
use proto::scenario::{NON_RETRYABLE_ERROR_TYPE, PROGRESS_STEPS, RETRYABLE_ERROR_TYPE};
use proto::{EventKind, FailureScenario, SCENARIO_HEADER};
use serde_json::Value;
use temporalio_client::Client;
use temporalio_common::error::ApplicationFailure;
use temporalio_common::protos::temporal::api::common::v1::Payload;
use temporalio_sdk::activities::{ActivityContext, ActivityError, activities};
use temporalio_sdk::interceptors::{
    ActivityInboundInterceptor, ExecuteActivityInput, ExecuteActivityOutput, Next,
};
use temporalio_sdk::runtime::RuntimeOptions;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

use crate::runs::Runs;
use crate::unix_ms;

/// Header key of the token linking Worker events to the run the server started.
pub const TOKEN_HEADER: &str = "demo-run-token";

/// The most task queues polled at once; a bound on threads and pollers.
pub const MAX_QUEUES: usize = 16;

/// Error type of a crashed attempt that finally unwinds at its deadline;
/// never reported, as a dead process could not report it.
const CRASH_ERROR_TYPE: &str = "SimulatedCrash";

/// Longest a misbehaving attempt may stall, whatever the timeouts say.
const MAX_STALL: Duration = Duration::from_secs(130);

/// Decodes a `json/plain` payload.
pub fn payload_json(p: &Payload) -> Option<Value> {
    match p.metadata.get("encoding").map(Vec::as_slice) {
        Some(b"json/plain") => serde_json::from_slice(&p.data).ok(),
        _ => None,
    }
}

fn header_json<T: serde::de::DeserializeOwned>(
    headers: &HashMap<String, Payload>,
    key: &str,
) -> Option<T> {
    headers
        .get(key)
        .and_then(payload_json)
        .and_then(|v| serde_json::from_value(v).ok())
}

/// The greeting activity.
pub struct Greeter;

impl Greeter {
    async fn greet(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
        let name = match &input {
            Value::String(s) => s.clone(),
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => s.clone(),
                _ => input.to_string(),
            },
            other => other.to_string(),
        };
        let scenario: FailureScenario =
            header_json(ctx.headers(), SCENARIO_HEADER).unwrap_or_default();
        let info = ctx.info();
        let attempt = info.attempt;
        match scenario {
            FailureScenario::LongRunning { seconds } => {
                // Five heartbeated steps a second.
                let steps = seconds.saturating_mul(5);
                Greeter::work(&ctx, 0, steps, None).await?;
                return Ok(format!("Hello, {name}!"));
            }
            FailureScenario::Crash { .. } => {
                // Resume from the progress the last attempt heartbeated.
                let from = ctx
                    .heartbeat_details()
                    .raw()
                    .first()
                    .and_then(payload_json)
                    .and_then(|v| v.get("step").and_then(Value::as_u64))
                    .map_or(0, |s| s as u32);
                let crash_at = scenario.misbehaves_on(attempt).then_some(from + 3);
                Greeter::work(&ctx, from, PROGRESS_STEPS, crash_at).await?;
                return Ok(format!("Hello, {name}!"));
            }
            _ => {}
        }
        if !scenario.misbehaves_on(attempt) {
            return Ok(format!("Hello, {name}!"));
        }
        match scenario {
            FailureScenario::None
            | FailureScenario::LongRunning { .. }
            | FailureScenario::Crash { .. }
            | FailureScenario::Outage { .. } => Ok(format!("Hello, {name}!")),
            FailureScenario::FailFirst { attempts } => Err(ActivityError::application(
                ApplicationFailure::builder(format!(
                    "simulated failure on attempt {attempt} (the first {attempts} attempts fail)"
                ))
                .type_name(RETRYABLE_ERROR_TYPE.to_owned())
                .build(),
            )),
            FailureScenario::NonRetryable => Err(ActivityError::application(
                ApplicationFailure::builder(format!("the name {name:?} is not accepted"))
                    .type_name(NON_RETRYABLE_ERROR_TYPE.to_owned())
                    .non_retryable(true)
                    .build(),
            )),
            FailureScenario::TooSlow { .. } => {
                // Run past the start-to-close deadline, but stop there instead of
                // running on: the server has already timed this attempt out.
                let stall = info
                    .deadline
                    .and_then(|d| d.duration_since(SystemTime::now()).ok())
                    .map(|d| d + Duration::from_millis(200))
                    .unwrap_or(MAX_STALL)
                    .min(MAX_STALL);
                tokio::select! {
                    () = tokio::time::sleep(stall) => {}
                    _ = ctx.cancelled() => return Err(ActivityError::cancelled()),
                }
                Err(ActivityError::application(
                    ApplicationFailure::builder("ran past the start-to-close timeout")
                        .type_name("TooSlow".to_owned())
                        .build(),
                ))
            }
        }
    }
}

impl Greeter {
    /// Works through steps `from..to`, one every 200 ms, heartbeating each
    /// one's number; honours cancellation. At step `crash_at` it goes silent
    /// as a dead process would: no heartbeat, no result, until its deadline.
    async fn work(
        ctx: &ActivityContext,
        from: u32,
        to: u32,
        crash_at: Option<u32>,
    ) -> Result<(), ActivityError> {
        for step in from..to {
            if crash_at == Some(step) {
                let silence = ctx
                    .info()
                    .deadline
                    .and_then(|d| d.duration_since(SystemTime::now()).ok())
                    .unwrap_or(MAX_STALL)
                    .min(MAX_STALL);
                tokio::select! {
                    () = tokio::time::sleep(silence) => {}
                    () = ctx.cancelled() => {}
                }
                return Err(ActivityError::application(
                    ApplicationFailure::builder(
                        "simulated crash: this attempt never reported back",
                    )
                    .type_name("SimulatedCrash".to_owned())
                    .build(),
                ));
            }
            ctx.record_heartbeat(serde_json::json!({ "step": step + 1, "of": to }))
                .await?;
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(200)) => {}
                () = ctx.cancelled() => return Err(ActivityError::cancelled()),
            }
        }
        Ok(())
    }
}

mod registered {
    //! The type names the Worker serves.
    #![expect(
        dead_code,
        reason = "the macro emits an associated const per activity that nothing reads"
    )]
    use super::{ActivityContext, ActivityError, Greeter, Value, activities};

    // Every name is explicit: the macro's default would be "Greeter::method".
    #[activities]
    impl Greeter {
        /// Go's `helloworld.Activity`.
        #[activity(name = "Activity")]
        async fn go(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// Python's `compose_greeting`.
        #[activity(name = "compose_greeting")]
        async fn python(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// .NET's `ComposeGreetingAsync`, Java's `composeGreeting`, Ruby's `ComposeGreeting`.
        #[activity(name = "ComposeGreeting")]
        async fn pascal(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// TypeScript's `greet`.
        #[activity(name = "greet")]
        async fn typescript(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }
    }
}

/// Reports each attempt's start and end to the run it belongs to.
struct Tap {
    runs: Arc<Runs>,
    /// Attempts this Worker is running now; a busy Worker is never evicted.
    in_flight: Arc<AtomicUsize>,
}

/// Decrements the in-flight count however the attempt ends.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ActivityInboundInterceptor for Tap {
    fn execute_activity<'a>(
        &'a self,
        input: ExecuteActivityInput,
        next: Next<'a, ExecuteActivityInput, ExecuteActivityOutput<'a>>,
    ) -> ExecuteActivityOutput<'a> {
        async move {
            let info = input.activity_info();
            let (activity_id, attempt) = (info.activity_id.clone(), info.attempt);
            let token: Option<String> = header_json(input.headers(), TOKEN_HEADER);
            self.runs.worker_event(
                token.as_deref(),
                &activity_id,
                unix_ms(SystemTime::now()),
                EventKind::WorkerExecuting { attempt },
            );
            self.in_flight.fetch_add(1, Ordering::AcqRel);
            let _running = InFlight(Arc::clone(&self.in_flight));
            let began = Instant::now();
            let result = next.run(input).await;
            let error = match &result {
                Ok(_) => None,
                Err(ActivityError::Application(f)) => Some(match f.type_name() {
                    Some(t) if !t.is_empty() => format!("{t}: {f}"),
                    _ => f.to_string(),
                }),
                Err(ActivityError::Cancelled { .. }) => Some("canceled".to_owned()),
                Err(other) => Some(format!("{other:?}")),
            };
            // A crashed attempt's process would be gone: it reports nothing.
            let crashed = matches!(&result, Err(ActivityError::Application(f))
                if f.type_name() == Some(CRASH_ERROR_TYPE));
            if crashed {
                return result;
            }
            self.runs.worker_event(
                token.as_deref(),
                &activity_id,
                unix_ms(SystemTime::now()),
                EventKind::WorkerReturned {
                    attempt,
                    duration_ms: began.elapsed().as_millis() as u64,
                    error,
                },
            );
            result
        }
        .boxed()
    }
}

struct Polling {
    /// Attempts running on this Worker now.
    in_flight: Arc<AtomicUsize>,
    /// When a run last needed this Worker; the least recently needed one
    /// makes room when [`MAX_QUEUES`] are polled.
    last_needed: Instant,
    /// Stops the Worker gracefully.
    shutdown: Box<dyn Fn() + Send + Sync>,
    /// True while `Worker::run()` has not returned.
    alive: Arc<AtomicBool>,
    /// The Worker's thread.
    thread: tokio::task::JoinHandle<()>,
}

/// The Workers of this process, one per task queue.
pub struct Workers {
    client: Client,
    runs: Arc<Runs>,
    identity: String,
    /// The queue every visitor shares; never evicted.
    default_queue: String,
    queues: Mutex<HashMap<String, Polling>>,
    /// Queues in a simulated outage: no Worker may poll them.
    offline: Mutex<std::collections::HashSet<String>>,
}

/// Why a Worker could not be started.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// Every Worker slot is busy running attempts.
    #[error("all {MAX_QUEUES} task queues this demo polls are busy; try the default task queue")]
    Full,
    /// The queue is in a simulated outage.
    #[error("task queue {0} is in a simulated Worker outage; try again when it ends")]
    Offline(String),
    /// An outage was asked for on a queue a Worker already polls.
    #[error(
        "the outage scenario stops the Worker of its task queue, and {0} is in use: \
         pick a task queue no other run uses"
    )]
    Busy(String),
    /// The SDK refused to build the Worker.
    #[error("cannot start a Worker: {0}")]
    Sdk(String),
}

impl Workers {
    /// No Workers yet; `identity` names this process's Workers in Temporal.
    pub fn new(
        client: Client,
        runs: Arc<Runs>,
        identity: String,
        default_queue: String,
    ) -> Workers {
        Workers {
            client,
            runs,
            identity,
            default_queue,
            queues: Mutex::default(),
            offline: Mutex::default(),
        }
    }

    fn offline(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
        self.offline.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a simulated outage of `task_queue`: no Worker polls it until
    /// [`Workers::end_outage`]. Refused for a queue a Worker polls now.
    pub fn begin_outage(&self, task_queue: &str) -> Result<(), WorkerError> {
        let queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        let polled = queues
            .get(task_queue)
            .is_some_and(|p| p.alive.load(Ordering::Acquire));
        if polled
            || task_queue == self.default_queue
            || !self.offline().insert(task_queue.to_owned())
        {
            return Err(WorkerError::Busy(task_queue.to_owned()));
        }
        Ok(())
    }

    /// Ends the outage of `task_queue`; `resume` starts its Worker.
    pub fn end_outage(&self, task_queue: &str, resume: bool) -> Result<(), WorkerError> {
        self.offline().remove(task_queue);
        if resume {
            self.ensure(task_queue)?;
        }
        Ok(())
    }

    /// Makes sure a Worker polls `task_queue`.
    pub fn ensure(&self, task_queue: &str) -> Result<(), WorkerError> {
        if self.offline().contains(task_queue) {
            return Err(WorkerError::Offline(task_queue.to_owned()));
        }
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = queues.get_mut(task_queue)
            && p.alive.load(Ordering::Acquire)
        {
            p.last_needed = Instant::now();
            return Ok(());
        }
        queues.retain(|_, p| p.alive.load(Ordering::Acquire));
        if queues.len() >= MAX_QUEUES {
            // Make room: stop the idle Worker no run has needed for longest.
            let oldest = queues
                .iter()
                .filter(|(q, p)| {
                    **q != self.default_queue && p.in_flight.load(Ordering::Acquire) == 0
                })
                .min_by_key(|(_, p)| p.last_needed)
                .map(|(q, _)| q.clone());
            match oldest.and_then(|q| queues.remove(&q)) {
                Some(p) => (p.shutdown)(),
                None => return Err(WorkerError::Full),
            }
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let alive = Arc::new(AtomicBool::new(true));
        let client = self.client.clone();
        let runs = Arc::clone(&self.runs);
        let identity = self.identity.clone();
        let queue = task_queue.to_owned();
        let thread_alive = Arc::clone(&alive);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let tap_in_flight = Arc::clone(&in_flight);
        let thread = tokio::task::spawn_blocking(move || {
            let handle = tokio::runtime::Handle::current();
            let built = Runtime::from_current_tokio(RuntimeOptions::default())
                .map_err(|e| e.to_string())
                .and_then(|runtime| {
                    let opts = WorkerOptions::new(queue.as_str())
                        .register_activities(Greeter)
                        .activity_inbound_interceptor(Tap {
                            runs,
                            in_flight: tap_in_flight,
                        })
                        .graceful_shutdown_period(Duration::from_secs(2))
                        // Heartbeats reach the server quickly, so a cancel reaches
                        // the activity in well under a second.
                        .max_heartbeat_throttle_interval(Duration::from_millis(500))
                        .default_heartbeat_throttle_interval(Duration::from_millis(200))
                        .client_identity_override(identity)
                        .build();
                    Worker::new(&runtime, client, opts)
                        .map(|w| (runtime, w))
                        .map_err(|e| e.to_string())
                });
            match built {
                Ok((_runtime, mut worker)) => {
                    let _ = tx.send(Ok(worker.shutdown_handle()));
                    if let Err(e) = handle.block_on(worker.run()) {
                        tracing::error!(task_queue = %queue, error = %e, "Worker stopped");
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
            thread_alive.store(false, Ordering::Release);
        });
        let shutdown = tokio::task::block_in_place(|| rx.recv_timeout(Duration::from_secs(30)))
            .map_err(|e| WorkerError::Sdk(e.to_string()))?
            .map_err(WorkerError::Sdk)?;
        tracing::info!(task_queue, "Worker polling");
        queues.insert(
            task_queue.to_owned(),
            Polling {
                in_flight,
                last_needed: Instant::now(),
                shutdown: Box::new(shutdown),
                alive,
                thread,
            },
        );
        Ok(())
    }

    /// Whether every Worker is still running.
    pub fn polling(&self) -> bool {
        let queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        !queues.is_empty() && queues.values().all(|p| p.alive.load(Ordering::Acquire))
    }

    /// Stops every Worker, letting running attempts finish within the grace period.
    pub async fn shutdown(&self) {
        let all: Vec<Polling> = {
            let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
            queues.drain().map(|(_, p)| p).collect()
        };
        for p in &all {
            (p.shutdown)();
        }
        for p in all {
            let _ = p.thread.await;
        }
    }
}
