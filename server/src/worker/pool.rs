//! The Workers of this process: one per task queue a run uses, created on
//! demand and capped. `Worker::run()` is `!Send`, so each Worker runs on a
//! blocking thread of its own. A web replica (`--role web`) has a pool that
//! runs none: it only remembers the queues its runs used (the Runs list's
//! scope); the Worker role polls them, as Temporal's record says.
//!
//! Invariants: no lock is held across an `.await` and no async thread blocks
//! while a Worker starts (the Worker's thread reports back on a channel); a
//! queue with an open run (running, backing off or waiting) is never
//! stopped; when every slot serves an open run, a new queue is refused with
//! [`WorkerError::Full`] and nothing already going is touched.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use temporalio_client::Client;
use temporalio_sdk::runtime::RuntimeOptions;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use tokio::sync::watch;

use super::activity::Greeter;
use super::tap::Tap;
use super::workflow::{GreetingWorkflow, Propagate};
use crate::runs::Runs;
use proto::api::WORKFLOW_TASK_QUEUE;

/// The most task queues polled at once; a bound on threads and pollers.
pub const MAX_QUEUES: usize = 16;

/// The most task queues remembered as the demo's own (the Runs list's
/// scope), the most recently served kept.
pub const MAX_SERVED: usize = 32;

/// How long a Worker may take to start before the start is refused.
const START_DEADLINE: Duration = Duration::from_secs(30);

/// Why a Worker could not be started.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WorkerError {
    /// Every Worker slot serves an open run.
    #[error(
        "all {MAX_QUEUES} task queues this demo polls have runs open; \
         try again when some end, or use the default task queue"
    )]
    Full,
    /// The queue is in a simulated outage.
    #[error("task queue {0} is in a simulated Worker outage; try again when it ends")]
    Offline(String),
    /// An outage was asked for on a queue a Worker already polls.
    #[error(
        "the outage scenario keeps the Worker off its task queue, and {0} is in use: \
         pick a task queue no other run uses"
    )]
    Busy(String),
    /// The SDK refused to build the Worker, or it did not start in time.
    #[error("cannot start a Worker: {0}")]
    Sdk(String),
}

/// Where a Worker's start stands: `None` while starting.
type StartState = Option<Result<(), WorkerError>>;

/// Stops a started Worker gracefully; `None` until it started.
type ShutdownHandle = Arc<Mutex<Option<Box<dyn Fn() + Send + Sync>>>>;

struct Slot {
    /// Attempts running on this Worker now.
    in_flight: Arc<AtomicUsize>,
    /// When a run last needed this Worker; the least recently needed idle
    /// one makes room when [`MAX_QUEUES`] are polled.
    last_needed: Instant,
    /// Stops the Worker gracefully, once it started.
    shutdown: ShutdownHandle,
    /// True while `Worker::run()` has not returned.
    alive: Arc<AtomicBool>,
    /// Whether the Worker started.
    started: watch::Receiver<StartState>,
    /// The Worker's thread.
    thread: tokio::task::JoinHandle<()>,
}

impl Slot {
    fn stop(&self) {
        if let Some(stop) = lock(&self.shutdown).as_ref() {
            stop();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Each critical section is one map operation: poisoning leaves it whole.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The Workers of this process, one per task queue.
pub struct Workers {
    client: Client,
    runs: Arc<Runs>,
    identity: String,
    /// The queue every visitor shares; never stopped.
    default_queue: String,
    slots: Mutex<HashMap<String, Slot>>,
    /// Queues in a simulated outage: no Worker may poll them.
    offline: Mutex<HashSet<String>>,
    /// Queues a Worker of this process served or was asked to serve,
    /// most recent last, at most [`MAX_SERVED`].
    served: Mutex<Vec<String>>,
    /// Whether this process runs Workers (false: a web replica).
    local: bool,
}

impl Workers {
    /// No Workers yet; `identity` names this process's Workers in Temporal;
    /// `local` false: a pool that runs none (a web replica).
    pub fn new(
        client: Client,
        runs: Arc<Runs>,
        identity: String,
        default_queue: String,
        local: bool,
    ) -> Workers {
        Workers {
            client,
            runs,
            identity,
            default_queue,
            slots: Mutex::default(),
            offline: Mutex::default(),
            served: Mutex::default(),
            local,
        }
    }

    /// Whether this process runs the Workers (false: they run apart).
    pub fn local(&self) -> bool {
        self.local
    }

    /// Starts a simulated outage of `task_queue`: no Worker polls it until
    /// [`Workers::end_outage`]. Refused for a queue a Worker polls now.
    pub fn begin_outage(&self, task_queue: &str) -> Result<(), WorkerError> {
        self.remember(task_queue);
        if !self.local {
            // Whether a Worker apart polls it is Temporal's to say.
            if task_queue == self.default_queue {
                return Err(WorkerError::Busy(task_queue.to_owned()));
            }
            return Ok(());
        }
        let slots = lock(&self.slots);
        let polled = slots
            .get(task_queue)
            .is_some_and(|s| s.alive.load(Ordering::Acquire));
        if polled
            || task_queue == self.default_queue
            || !lock(&self.offline).insert(task_queue.to_owned())
        {
            return Err(WorkerError::Busy(task_queue.to_owned()));
        }
        Ok(())
    }

    /// Ends the outage of `task_queue`; `resume` starts its Worker.
    pub async fn end_outage(&self, task_queue: &str, resume: bool) -> Result<(), WorkerError> {
        lock(&self.offline).remove(task_queue);
        if resume {
            self.ensure(task_queue).await?;
        }
        Ok(())
    }

    /// Makes sure a Worker polls `task_queue`, starting one if needed.
    pub async fn ensure(&self, task_queue: &str) -> Result<(), WorkerError> {
        self.remember(task_queue);
        if !self.local {
            return Ok(());
        }
        let mut started = self.slot(task_queue)?;
        let wait = started.wait_for(Option::is_some);
        match tokio::time::timeout(START_DEADLINE, wait).await {
            Ok(Ok(state)) => state.clone().unwrap_or(Ok(())),
            Ok(Err(_)) => Err(WorkerError::Sdk("the Worker's thread ended".to_owned())),
            Err(_) => Err(WorkerError::Sdk(format!(
                "the Worker did not start within {} s",
                START_DEADLINE.as_secs()
            ))),
        }
    }

    /// The start state of `task_queue`'s Worker, starting one if none is
    /// alive (a short critical section: nothing waits inside it).
    fn slot(&self, task_queue: &str) -> Result<watch::Receiver<StartState>, WorkerError> {
        if lock(&self.offline).contains(task_queue) {
            return Err(WorkerError::Offline(task_queue.to_owned()));
        }
        // Read before taking the slots lock: the registry has its own.
        let open = self.runs.open_queues();
        let mut slots = lock(&self.slots);
        if let Some(s) = slots.get_mut(task_queue)
            && s.alive.load(Ordering::Acquire)
        {
            s.last_needed = Instant::now();
            return Ok(s.started.clone());
        }
        slots.retain(|_, s| s.alive.load(Ordering::Acquire));
        if slots.len() >= MAX_QUEUES {
            // Make room: stop the idle Worker no run has needed for longest.
            let idle = slots
                .iter()
                .filter(|(q, s)| {
                    **q != self.default_queue
                        && !open.contains(*q)
                        && s.in_flight.load(Ordering::Acquire) == 0
                })
                .min_by_key(|(_, s)| s.last_needed)
                .map(|(q, _)| q.clone());
            match idle.and_then(|q| slots.remove(&q)) {
                Some(s) => s.stop(),
                None => return Err(WorkerError::Full),
            }
        }
        let slot = self.spawn(task_queue);
        let started = slot.started.clone();
        slots.insert(task_queue.to_owned(), slot);
        Ok(started)
    }

    /// Starts `task_queue`'s Worker on a thread of its own.
    fn spawn(&self, task_queue: &str) -> Slot {
        let (report, started) = watch::channel(None);
        let alive = Arc::new(AtomicBool::new(true));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let shutdown: ShutdownHandle = Arc::default();
        let (client, identity, queue) = (
            self.client.clone(),
            self.identity.clone(),
            task_queue.to_owned(),
        );
        let tap = Tap {
            runs: Arc::clone(&self.runs),
            in_flight: Arc::clone(&in_flight),
        };
        let (thread_alive, thread_shutdown) = (Arc::clone(&alive), Arc::clone(&shutdown));
        let thread = tokio::task::spawn_blocking(move || {
            let handle = tokio::runtime::Handle::current();
            let built = Runtime::from_current_tokio(RuntimeOptions::default())
                .map_err(|e| e.to_string())
                .and_then(|runtime| {
                    let mut opts = WorkerOptions::new(queue.as_str()).register_activities(Greeter);
                    // Only the Workflow queue's Worker polls Workflow Tasks:
                    // a program's Workflow Worker may share the others.
                    if queue == WORKFLOW_TASK_QUEUE {
                        opts = opts
                            .register_workflow::<GreetingWorkflow>()
                            .map_err(|e| e.to_string())?
                            .workflow_interceptor(Propagate::constructor());
                    }
                    let opts = opts
                        .activity_inbound_interceptor(tap)
                        .graceful_shutdown_period(Duration::from_secs(2))
                        // Heartbeats reach the server quickly, so a cancel
                        // reaches the activity in well under a second.
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
                    let stop = worker.shutdown_handle();
                    *lock(&thread_shutdown) = Some(Box::new(stop));
                    report.send_replace(Some(Ok(())));
                    tracing::info!(task_queue = %queue, "Worker polling");
                    if let Err(e) = handle.block_on(worker.run()) {
                        tracing::error!(task_queue = %queue, error = %e, "Worker stopped");
                    }
                }
                Err(e) => {
                    report.send_replace(Some(Err(WorkerError::Sdk(e))));
                }
            }
            thread_alive.store(false, Ordering::Release);
        });
        Slot {
            in_flight,
            last_needed: Instant::now(),
            shutdown,
            alive,
            started,
            thread,
        }
    }

    /// Whether every Worker is still running.
    pub fn polling(&self) -> bool {
        if !self.local {
            return true;
        }
        let slots = lock(&self.slots);
        !slots.is_empty() && slots.values().all(|s| s.alive.load(Ordering::Acquire))
    }

    fn remember(&self, task_queue: &str) {
        let mut served = lock(&self.served);
        served.retain(|q| q != task_queue);
        served.push(task_queue.to_owned());
        let excess = served.len().saturating_sub(MAX_SERVED);
        served.drain(..excess);
    }

    /// The demo's task queues: the default one, then those this process's
    /// Workers served (or were asked to), most recent first.
    pub fn served(&self) -> Vec<String> {
        let mut out = vec![self.default_queue.clone()];
        out.extend(
            lock(&self.served)
                .iter()
                .rev()
                .filter(|q| **q != self.default_queue)
                .cloned(),
        );
        out
    }

    /// The task queues polled now.
    pub fn queues(&self) -> Vec<String> {
        lock(&self.slots)
            .iter()
            .filter(|(_, s)| s.alive.load(Ordering::Acquire))
            .map(|(q, _)| q.clone())
            .collect()
    }

    /// Stops every Worker, letting running attempts finish within the grace period.
    pub async fn shutdown(&self) {
        let all: Vec<Slot> = lock(&self.slots).drain().map(|(_, s)| s).collect();
        for s in &all {
            s.stop();
        }
        for s in all {
            let _ = s.thread.await;
        }
    }
}
