//! Turns successive snapshots of a run, as `DescribeActivityExecution`
//! reports them, into Activity Log events: what each snapshot adds to what
//! was already reported.
//!
//! Long polls skip states, and a run followed after the fact (a restarted
//! server, a run started elsewhere) is seen first when it is well along, so
//! the tracker also says what the snapshot implies: every attempt before the
//! current one started and failed. Those lines are *inferred* and untimed
//! unless Temporal still reports them: it keeps only the latest start, the
//! latest completion and the latest failure.
//!
//! The rule that keeps attempts honest: Temporal raises `attempt` as soon as
//! it schedules a retry, so the current attempt has started only if the
//! latest start is later than the latest completion, or the run closed by
//! that attempt's own end (completed, failed, timed out start-to-close or
//! heartbeat). See `ARCHITECTURE.md`, "The tracker". A run from a
//! Workflow is read from its Event History instead (`history`).

pub mod history;
mod operator;
mod snapshot;
#[cfg(test)]
mod tests;

use proto::cursor::insert_in_order;
use proto::{AttemptPhase, EventKind, FailureScenario, RunEvent, Source, TimeoutType};
pub use snapshot::{Outcome, RunState, Snapshot, Status, retry_state, timeout_type};

/// What has been reported for one run so far.
#[derive(Debug, Default)]
pub struct Tracker {
    /// Whether the scheduling was reported.
    scheduled: bool,
    /// Highest attempt whose start was reported (or inferred).
    started: u32,
    /// Highest attempt whose failure was reported (or inferred).
    failed: u32,
    /// Heartbeats reported.
    heartbeats: u64,
    /// Whether the cancel request was reported.
    cancel_reported: bool,
    /// Whether the terminal event was reported.
    done: bool,
    /// The round of attempts (0 until a reset).
    round: u32,
    /// The highest attempt number seen in this round.
    highest: u32,
    /// The latest attempt start seen before the latest reset: a start no
    /// later than it belongs to an earlier round.
    round_floor: Option<i64>,
    /// The latest attempt start seen (Temporal's, unfiltered).
    latest_start: Option<i64>,
    /// The attempt that was running when a reset came and has not been
    /// seen to end: it ends in the round before.
    orphan: Option<u32>,
    /// Whether the run is paused (or a pause waits for its attempt).
    paused: bool,
    /// Pauses seen.
    pauses: u32,
    /// The options first seen, then the latest.
    options: Option<proto::RunOptionsNow>,
    /// Changes of options seen.
    changes: u32,
}

/// Whether the current attempt of `s` has started.
pub fn current_phase(s: &Snapshot) -> AttemptPhase {
    if !s.is_closed() {
        match s.run_state {
            RunState::Started | RunState::PauseRequested => return AttemptPhase::Running,
            RunState::Scheduled | RunState::Paused => return AttemptPhase::Waiting,
            RunState::CancelRequested | RunState::Other => {}
        }
    }
    match (s.last_started_ms, s.last_attempt_complete_ms) {
        (None, _) => AttemptPhase::Waiting,
        (Some(_), None) => AttemptPhase::Running,
        (Some(started), Some(ended)) if started > ended => AttemptPhase::Running,
        // The latest attempt that started also ended: it is the current one
        // only if the run closed by that attempt's own end.
        _ if ended_itself(s) => AttemptPhase::Running,
        _ => AttemptPhase::Waiting,
    }
}

/// Whether `s` closed because its current attempt ended (as opposed to a
/// cancel, a terminate, or a timeout while it waited).
fn ended_itself(s: &Snapshot) -> bool {
    match s.status {
        Status::Completed | Status::Failed => true,
        Status::TimedOut => matches!(
            s.outcome_timeout(),
            Some(TimeoutType::StartToClose | TimeoutType::Heartbeat)
        ),
        Status::Running | Status::Paused | Status::Canceled | Status::Terminated => false,
    }
}

/// What Temporal still reports about attempt `attempt - 1`, the one before
/// the current one.
struct Previous {
    started_ms: Option<i64>,
    worker: Option<String>,
    failure: Option<proto::FailureInfo>,
    ended_ms: Option<i64>,
}

fn previous(s: &Snapshot, phase: AttemptPhase) -> Previous {
    let waiting = phase == AttemptPhase::Waiting;
    // Once the current attempt ended on its own, the completion time is its
    // own, and so is the failure unless it completed (a success does not
    // replace `last_failure`).
    let own_end = s.is_closed() && phase == AttemptPhase::Running && ended_itself(s);
    let own_failure = own_end && s.status != Status::Completed;
    Previous {
        started_ms: s.last_started_ms.filter(|_| waiting),
        worker: (waiting && !s.last_worker_identity.is_empty())
            .then(|| s.last_worker_identity.clone()),
        failure: s.last_failure.clone().filter(|_| !own_failure),
        ended_ms: s.last_attempt_complete_ms.filter(|_| !own_end),
    }
}

impl Tracker {
    /// Whether the terminal event has been emitted.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The events `s` adds to what was reported, in the order they happened.
    pub fn observe(&mut self, s: &Snapshot) -> Vec<RunEvent> {
        let mut out = Vec::new();
        if self.done {
            return out;
        }
        let server = |at: Option<i64>, kind| RunEvent::reported(Source::Server, at, kind);
        let inferred = |kind| RunEvent::inferred(Source::Server, kind);
        if !self.scheduled {
            self.scheduled = true;
            out.push(server(
                s.schedule_ms,
                EventKind::Scheduled {
                    activity_id: s.activity_id.clone(),
                    run_id: s.run_id.clone(),
                    activity_type: s.activity_type.clone(),
                    task_queue: s.task_queue.clone(),
                    start_delay_ms: s.start_delay_ms,
                    first_attempt_at_ms: s.execution_ms.filter(|_| s.start_delay_ms.is_some()),
                },
            ));
            // The outage scenario is in the run's record (its Header): any
            // process tells it the same way, from the schedule on.
            if let Some(FailureScenario::Outage { seconds }) = s.scenario {
                out.push(RunEvent::reported(
                    Source::Worker,
                    s.schedule_ms,
                    EventKind::WorkerOffline {
                        task_queue: s.task_queue.clone(),
                        seconds,
                    },
                ));
            }
        }
        self.options_change(s, &mut out);
        let mut prior = self.reset(s, &mut out);
        prior.extend(self.orphan_end(s));
        self.latest_start = s.last_started_ms.max(self.latest_start);
        self.highest = self.highest.max(s.attempt.max(1));
        let this_round = self.in_this_round(s);
        let s = &this_round;
        let n = s.attempt.max(1);
        // An unpause comes before the attempt it lets start.
        if !s.is_pausing() {
            self.pause_change(s, n, &mut out);
        }
        let phase = current_phase(s);
        let prev = previous(s, phase);
        let heartbeat = self.heartbeat(s, phase, n);
        let heartbeat_attempt = match &heartbeat {
            Some(RunEvent {
                kind: EventKind::Heartbeat { attempt, .. },
                ..
            }) => *attempt,
            _ => None,
        };
        let mut heartbeat = heartbeat;
        // Every attempt before the current one started and failed.
        for a in (self.started.min(self.failed) + 1)..n {
            let is_prev = a + 1 == n;
            if self.started < a {
                self.started = a;
                out.push(match prev.started_ms.filter(|_| is_prev) {
                    Some(at) => server(
                        Some(at),
                        EventKind::AttemptStarted {
                            attempt: a,
                            worker_identity: prev.worker.clone(),
                        },
                    ),
                    None => inferred(EventKind::AttemptStarted {
                        attempt: a,
                        worker_identity: None,
                    }),
                });
            }
            if heartbeat_attempt == Some(a) {
                out.extend(heartbeat.take());
            }
            if self.failed < a {
                self.failed = a;
                let in_backoff = !s.is_closed() && s.run_state == RunState::Scheduled;
                out.push(match prev.failure.clone().filter(|_| is_prev) {
                    Some(failure) => server(
                        prev.ended_ms,
                        EventKind::AttemptFailed {
                            attempt: a,
                            failure: Some(failure),
                            next_attempt_at_ms: s.next_attempt_ms.filter(|_| in_backoff),
                            retry_in_ms: s.current_retry_interval_ms.filter(|_| in_backoff),
                        },
                    ),
                    None => inferred(EventKind::AttemptFailed {
                        attempt: a,
                        failure: None,
                        next_attempt_at_ms: None,
                        retry_in_ms: None,
                    }),
                });
            }
        }
        if phase == AttemptPhase::Running && self.started < n {
            self.started = n;
            out.push(server(
                s.last_started_ms,
                EventKind::AttemptStarted {
                    attempt: n,
                    worker_identity: (!s.last_worker_identity.is_empty())
                        .then(|| s.last_worker_identity.clone()),
                },
            ));
        }
        if let Some(h) = heartbeat {
            // Where its time puts it (a heartbeat seen late may predate the
            // lines above it).
            insert_in_order(&mut out, h);
        }
        let cancel_seen = s.run_state == RunState::CancelRequested
            || s.status == Status::Canceled
            || !s.canceled_reason.is_empty();
        if cancel_seen && !self.cancel_reported {
            self.cancel_reported = true;
            // Temporal does not report when the cancel was requested.
            out.push(server(
                None,
                EventKind::CancelRequested {
                    reason: s.canceled_reason.clone(),
                },
            ));
        }
        if s.is_pausing() {
            self.pause_change(s, n, &mut out);
        }
        if s.is_closed() {
            self.done = true;
            out.push(server(s.close_ms, terminal(s, n, phase)));
        }
        let round = self.round;
        prior
            .into_iter()
            .chain(out.into_iter().map(|e| e.in_round(round)))
            .collect()
    }

    /// The heartbeat line `s` adds, attributed to the attempt that was
    /// running when it was recorded, when the record tells which.
    fn heartbeat(&mut self, s: &Snapshot, phase: AttemptPhase, n: u32) -> Option<RunEvent> {
        if s.heartbeat_count <= self.heartbeats {
            return None;
        }
        self.heartbeats = s.heartbeat_count;
        let after_latest_start = match (s.last_heartbeat_ms, s.last_started_ms) {
            (Some(h), Some(st)) => h >= st,
            _ => false,
        };
        let before_first_end = match (s.last_heartbeat_ms, s.last_attempt_complete_ms) {
            (Some(h), Some(end)) => h <= end,
            _ => false,
        };
        let attempt = match phase {
            AttemptPhase::Running if after_latest_start => Some(n),
            // The latest start is the previous attempt's.
            AttemptPhase::Waiting if after_latest_start && n > 1 => Some(n - 1),
            // Before attempt 1 ended, only attempt 1 was running.
            AttemptPhase::Running if n == 2 && before_first_end => Some(1),
            _ => None,
        };
        Some(RunEvent::reported(
            Source::Server,
            s.last_heartbeat_ms,
            EventKind::Heartbeat {
                attempt,
                count: s.heartbeat_count,
                details: s.heartbeat_details.clone(),
            },
        ))
    }
}

/// The final event of a closed snapshot.
fn terminal(s: &Snapshot, attempt: u32, phase: AttemptPhase) -> EventKind {
    match s.status {
        Status::Completed => EventKind::Completed {
            attempt,
            result: match &s.outcome {
                Some(Outcome::Result(r)) => r.clone(),
                _ => None,
            },
        },
        Status::Failed => EventKind::Failed {
            attempt,
            failure: s.outcome_failure(),
            retry_state: s.retry_state,
        },
        Status::TimedOut => EventKind::TimedOut {
            attempt,
            phase,
            failure: s.outcome_failure(),
            retry_state: s.retry_state,
        },
        Status::Canceled => EventKind::Canceled { attempt, phase },
        Status::Terminated => EventKind::Terminated {
            attempt,
            phase,
            reason: s.outcome_failure().map(|f| f.message),
        },
        // `terminal` is only called for closed snapshots.
        Status::Running | Status::Paused => EventKind::Lost {
            message: "Temporal reported the run closed and running at once".to_owned(),
        },
    }
}
