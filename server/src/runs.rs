//! The runs this process follows: each run's log (one event per fact, in
//! the order things happened; the SSE stream replays what a client's cursor
//! lacks) and the routing of Worker events to their run.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use proto::cursor::insert_in_order;
use proto::{Command, Cursor, EventKind, Fact, RunEvent, Source};
use tokio::sync::watch;

/// Identifies one run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunKey {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
}

#[derive(Debug, Default)]
struct Log {
    events: Vec<RunEvent>,
    closed: bool,
    /// The round of attempts the run is in (raised by `AttemptsReset`).
    round: u32,
    /// Operator commands this process sent for the run.
    commands: u32,
    /// The round each attempt the Worker began belongs to.
    worker_rounds: HashMap<u32, u32>,
}

impl Log {
    /// `ev`, a Worker line, in its round. The Worker does not know of
    /// resets: an attempt belongs to the round the run was in when its code
    /// began, or to the next one when the Worker begins an attempt number
    /// twice (a reset of a running attempt, before Temporal's record showed
    /// it); its return belongs where its beginning did.
    fn worker_round(&mut self, ev: RunEvent) -> RunEvent {
        let round = match ev.kind {
            EventKind::WorkerExecuting { attempt } => {
                let again = self
                    .events
                    .iter()
                    .any(|e| e.identity() == (self.round, Fact::Executing(attempt)));
                let round = if again { self.round + 1 } else { self.round };
                self.worker_rounds.insert(attempt, round);
                round
            }
            EventKind::WorkerReturned { attempt, .. } => self
                .worker_rounds
                .get(&attempt)
                .copied()
                .unwrap_or(self.round),
            _ => self.round,
        };
        ev.in_round(round)
    }
}

/// One followed run.
#[derive(Debug)]
pub struct Run {
    /// Which run.
    pub key: RunKey,
    /// Its task queue: a Worker must poll it while the run is open.
    pub task_queue: String,
    log: Mutex<Log>,
    /// Bumped on every change; subscribers wait on it.
    changed: watch::Sender<u64>,
}

/// Most events one run may hold; a bounded run never comes close.
const MAX_EVENTS: usize = 2_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the data consistent (one insert, one
    // remove), so a poisoned lock is still safe to use.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Run {
    fn new(key: RunKey, task_queue: String) -> Run {
        Run {
            key,
            task_queue,
            log: Mutex::default(),
            changed: watch::channel(0).0,
        }
    }

    /// Adds an event unless the run is closed or already reports its fact.
    /// A terminal event closes it.
    pub fn push(&self, ev: RunEvent) {
        let mut log = lock(&self.log);
        // The terminal event is always kept, so every stream ends.
        if log.closed || (log.events.len() >= MAX_EVENTS && !ev.kind.is_terminal()) {
            return;
        }
        let terminal = ev.kind.is_terminal();
        if let EventKind::AttemptsReset { round, .. } = ev.kind {
            log.round = log.round.max(round);
        }
        let ev = if ev.source == Source::Worker {
            log.worker_round(ev)
        } else {
            ev
        };
        if insert_in_order(&mut log.events, ev) {
            log.closed = terminal;
            drop(log);
            self.changed.send_modify(|v| *v += 1);
        }
    }

    /// Logs an operator command this process sent, accepted by Temporal at
    /// `at_ms` (a fact of this process: numbered by it).
    pub fn record_command(&self, command: Command, at_ms: i64) {
        let seq = {
            let mut log = lock(&self.log);
            log.commands += 1;
            log.commands
        };
        self.push(RunEvent::reported(
            Source::Client,
            Some(at_ms),
            EventKind::CommandSent { seq, command },
        ));
    }

    /// The events a client at `cursor` lacks, in log order, and whether the
    /// log is closed.
    pub fn missing(&self, cursor: &Cursor) -> (Vec<RunEvent>, bool) {
        let log = lock(&self.log);
        let events = log
            .events
            .iter()
            .filter(|e| !cursor.covers_event(e))
            .cloned()
            .collect();
        (events, log.closed)
    }

    /// The final event, once the log is closed.
    pub fn terminal(&self) -> Option<RunEvent> {
        let log = lock(&self.log);
        log.events.last().filter(|e| e.kind.is_terminal()).cloned()
    }

    /// Whether the log ended because the run was lost from view.
    pub fn ended_lost(&self) -> bool {
        self.terminal()
            .is_some_and(|e| matches!(e.kind, proto::EventKind::Lost { .. }))
    }

    /// Whether a terminal event was recorded.
    pub fn is_closed(&self) -> bool {
        lock(&self.log).closed
    }

    /// A receiver that changes whenever the log does.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

#[derive(Debug, Default)]
struct Registry {
    runs: HashMap<RunKey, Arc<Run>>,
    /// Start tokens (sent in the activity header) to their run.
    by_token: HashMap<String, Arc<Run>>,
    /// Insertion order, to forget the oldest closed runs.
    order: VecDeque<RunKey>,
    /// Worker events that arrived before their run was registered.
    early: HashMap<String, Vec<RunEvent>>,
}

impl Registry {
    fn remove(&mut self, key: &RunKey) {
        self.runs.remove(key);
        self.order.retain(|k| k != key);
        self.by_token.retain(|_, r| r.key != *key);
    }
}

/// Every run this process follows.
#[derive(Debug, Default)]
pub struct Runs {
    inner: Mutex<Registry>,
}

/// How many runs are kept in memory; older closed ones are forgotten (the
/// log of a forgotten run is rebuilt from Temporal when asked for again).
const MAX_RUNS: usize = 500;
/// How many start tokens may wait for their run.
const MAX_EARLY: usize = 100;

impl Runs {
    /// The run for `key`, if followed.
    pub fn get(&self, key: &RunKey) -> Option<Arc<Run>> {
        lock(&self.inner).runs.get(key).cloned()
    }

    /// How many followed runs are still open.
    pub fn open_count(&self) -> usize {
        lock(&self.inner)
            .runs
            .values()
            .filter(|r| !r.is_closed())
            .count()
    }

    /// The task queues of the runs still open: their Workers must stay.
    pub fn open_queues(&self) -> HashSet<String> {
        lock(&self.inner)
            .runs
            .values()
            .filter(|r| !r.is_closed())
            .map(|r| r.task_queue.clone())
            .collect()
    }

    /// Forgets a run, so the next subscriber rebuilds it from Temporal.
    pub fn forget(&self, key: &RunKey) {
        lock(&self.inner).remove(key);
    }

    /// Registers `key` on `task_queue` (or returns it if already there),
    /// linking `token` to it. A new run's log opens with `first`, and
    /// receives the Worker events that arrived before it. The bool says
    /// whether the run is new (so needs a follower).
    pub fn register(
        &self,
        key: RunKey,
        task_queue: &str,
        token: Option<&str>,
        first: Option<RunEvent>,
    ) -> (Arc<Run>, bool) {
        let mut reg = lock(&self.inner);
        let (run, fresh) = match reg.runs.get(&key) {
            Some(run) => (Arc::clone(run), false),
            None => {
                let run = Arc::new(Run::new(key.clone(), task_queue.to_owned()));
                if let Some(ev) = first {
                    run.push(ev);
                }
                reg.runs.insert(key.clone(), Arc::clone(&run));
                reg.order.push_back(key);
                (run, true)
            }
        };
        if let Some(token) = token {
            reg.by_token.insert(token.to_owned(), Arc::clone(&run));
            for ev in reg.early.remove(token).unwrap_or_default() {
                run.push(ev);
            }
        }
        // Forget the oldest closed runs beyond the cap (open ones are bounded
        // by the server's limit on runs in flight).
        let excess = reg.order.len().saturating_sub(MAX_RUNS);
        if excess > 0 {
            let closed: Vec<RunKey> = reg
                .order
                .iter()
                .filter(|k| reg.runs.get(*k).is_none_or(|r| r.is_closed()))
                .take(excess)
                .cloned()
                .collect();
            for key in closed {
                reg.remove(&key);
            }
        }
        (run, fresh)
    }

    /// Routes an event observed by the Worker. `token` comes from the
    /// activity's header; events of runs not started by this process (from
    /// the CLI, say) go to the newest open run with that activity id, if any.
    pub fn worker_event(&self, token: Option<&str>, activity_id: &str, ev: RunEvent) {
        let mut reg = lock(&self.inner);
        let run = match token {
            Some(t) => match reg.by_token.get(t) {
                Some(run) => Some(Arc::clone(run)),
                None => {
                    // Tokens whose run never registers (a start that failed
                    // late, a run from before a restart) must not pile up.
                    if reg.early.len() >= MAX_EARLY && !reg.early.contains_key(t) {
                        reg.early.clear();
                    }
                    let events = reg.early.entry(t.to_owned()).or_default();
                    if events.len() < MAX_EVENTS {
                        events.push(ev);
                    }
                    return;
                }
            },
            None => reg
                .order
                .iter()
                .rev()
                .filter(|k| k.activity_id == activity_id)
                .find_map(|k| reg.runs.get(k).filter(|r| !r.is_closed()).cloned()),
        };
        drop(reg);
        if let Some(run) = run {
            run.push(ev);
        }
    }

    /// Forgets a token whose start failed.
    pub fn forget_token(&self, token: &str) {
        let mut reg = lock(&self.inner);
        reg.early.remove(token);
        reg.by_token.remove(token);
    }
}

#[cfg(test)]
mod tests;
