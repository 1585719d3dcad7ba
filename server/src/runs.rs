//! The runs this process follows: each run's log of events (the SSE stream
//! replays it, so a reconnect with `Last-Event-ID` resumes without gaps or
//! duplicates) and the routing of Worker events to their run.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use proto::{EventKind, RunEvent, Source};
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
}

/// One followed run.
#[derive(Debug)]
pub struct Run {
    /// Which run.
    pub key: RunKey,
    log: Mutex<Log>,
    /// Carries the seq of the newest event; subscribers wait on it.
    latest: watch::Sender<u64>,
}

/// Most events one run may hold; a bounded run never comes close.
const MAX_EVENTS: usize = 2_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves a log that is still consistent
    // (every push is one Vec::push), so poisoning is ignored.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Run {
    fn new(key: RunKey) -> Run {
        Run {
            key,
            log: Mutex::default(),
            latest: watch::channel(0).0,
        }
    }

    /// Appends an event unless the run is closed. A terminal event closes it.
    pub fn push(&self, source: Source, at_ms: i64, kind: EventKind) {
        let mut log = lock(&self.log);
        // The terminal event is always kept, so every stream ends.
        if log.closed || (log.events.len() >= MAX_EVENTS && !kind.is_terminal()) {
            return;
        }
        let seq = log.events.len() as u64 + 1;
        log.closed = kind.is_terminal();
        log.events.push(RunEvent {
            seq,
            at_ms,
            source,
            kind,
        });
        drop(log);
        self.latest.send_replace(seq);
    }

    /// Events with `seq > after`, and whether the log is closed.
    pub fn events_after(&self, after: u64) -> (Vec<RunEvent>, bool) {
        let log = lock(&self.log);
        let start = (after as usize).min(log.events.len());
        (log.events[start..].to_vec(), log.closed)
    }

    /// Whether the log ended because the run was lost from view.
    pub fn ended_lost(&self) -> bool {
        lock(&self.log)
            .events
            .last()
            .is_some_and(|e| matches!(e.kind, EventKind::Lost { .. }))
    }

    /// Whether a terminal event was recorded.
    pub fn is_closed(&self) -> bool {
        lock(&self.log).closed
    }

    /// A receiver that changes whenever an event is appended.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.latest.subscribe()
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
    early: HashMap<String, Vec<(i64, EventKind)>>,
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

    /// Forgets a run, so the next subscriber rebuilds it from Temporal.
    pub fn forget(&self, key: &RunKey) {
        let mut reg = lock(&self.inner);
        reg.runs.remove(key);
        reg.order.retain(|k| k != key);
        reg.by_token.retain(|_, r| r.key != *key);
    }

    /// Registers `key` (or returns it if already there), linking `token` to
    /// it. A new run's log opens with `first`, before any Worker event that
    /// arrived early. The bool says whether the run is new (so needs a follower).
    pub fn register(
        &self,
        key: RunKey,
        token: Option<&str>,
        first: Option<(Source, i64, EventKind)>,
    ) -> (Arc<Run>, bool) {
        let mut reg = lock(&self.inner);
        let (run, fresh) = match reg.runs.get(&key) {
            Some(run) => (Arc::clone(run), false),
            None => {
                let run = Arc::new(Run::new(key.clone()));
                if let Some((source, at, kind)) = first {
                    run.push(source, at, kind);
                }
                reg.runs.insert(key.clone(), Arc::clone(&run));
                reg.order.push_back(key);
                (run, true)
            }
        };
        if let Some(token) = token {
            reg.by_token.insert(token.to_owned(), Arc::clone(&run));
            for (at, kind) in reg.early.remove(token).unwrap_or_default() {
                run.push(Source::Worker, at, kind);
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
                reg.runs.remove(&key);
                reg.order.retain(|k| *k != key);
                reg.by_token.retain(|_, r| r.key != key);
            }
        }
        (run, fresh)
    }

    /// Routes an event observed by the Worker. `token` comes from the
    /// activity's header; events of runs not started by this process (from
    /// the CLI, say) go to the newest open run with that activity id, if any.
    pub fn worker_event(&self, token: Option<&str>, activity_id: &str, at: i64, kind: EventKind) {
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
                        events.push((at, kind));
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
            run.push(Source::Worker, at, kind);
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
mod tests {
    use super::*;

    fn key(run: &str) -> RunKey {
        RunKey {
            activity_id: "a".into(),
            run_id: run.into(),
        }
    }

    #[test]
    fn log_closes_on_terminal_event() {
        let runs = Runs::default();
        let (run, fresh) = runs.register(key("r1"), None, None);
        assert!(fresh);
        run.push(Source::Server, 1, EventKind::Canceled { attempt: 1 });
        run.push(Source::Server, 2, EventKind::Canceled { attempt: 1 });
        let (events, closed) = run.events_after(0);
        assert_eq!(events.len(), 1);
        assert!(closed);
        assert!(run.events_after(1).0.is_empty());
    }

    #[test]
    fn early_worker_events_wait_for_their_run() {
        let runs = Runs::default();
        runs.worker_event(Some("t"), "a", 5, EventKind::WorkerExecuting { attempt: 1 });
        let (run, _) = runs.register(key("r1"), Some("t"), None);
        let (events, _) = run.events_after(0);
        assert_eq!(events[0].kind, EventKind::WorkerExecuting { attempt: 1 });
        assert_eq!(events[0].seq, 1);
    }

    #[test]
    fn untagged_events_go_to_the_open_run() {
        let runs = Runs::default();
        let (old, _) = runs.register(key("r1"), None, None);
        old.push(Source::Server, 1, EventKind::Canceled { attempt: 1 });
        let (new, _) = runs.register(key("r2"), None, None);
        runs.worker_event(None, "a", 3, EventKind::WorkerExecuting { attempt: 1 });
        assert_eq!(new.events_after(0).0.len(), 1);
        assert_eq!(old.events_after(0).0.len(), 1);
    }
}
