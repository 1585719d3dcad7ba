//! Turns successive snapshots of a run, as `DescribeActivityExecution`
//! reports it, into Activity Log events. Long polls can skip intermediate
//! states (attempt 1 may already have failed when the first answer arrives),
//! so the tracker compares each snapshot with what it already reported and
//! emits what is missing, reconstructed from `attempt` and `last_failure`.
//! Pure logic: the gateway maps Temporal's proto into a [`Snapshot`].

use proto::{EventKind, FailureInfo, TimeoutType};

/// Temporal's activity execution status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Open.
    Running,
    /// Returned a result.
    Completed,
    /// Failed.
    Failed,
    /// Canceled.
    Canceled,
    /// Terminated.
    Terminated,
    /// Timed out.
    TimedOut,
}

/// Temporal's run state while the status is Running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Waiting on the task queue (first attempt or after a backoff).
    Scheduled,
    /// A Worker is running the current attempt.
    Started,
    /// Cancel requested; the activity learns it on its next heartbeat.
    CancelRequested,
    /// Anything else (paused, unspecified, closed).
    Other,
}

/// How the run ended, when it has.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The result payload, as JSON text.
    Result(String),
    /// The final failure.
    Failure(FailureInfo),
}

/// What one describe answer says about a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// The activity type name.
    pub activity_type: String,
    /// The task queue.
    pub task_queue: String,
    /// Status.
    pub status: Status,
    /// Run state.
    pub run_state: RunState,
    /// Current (or last) attempt, from 1.
    pub attempt: u32,
    /// When the task was scheduled (unix ms).
    pub schedule_ms: Option<i64>,
    /// When the current attempt started (unix ms).
    pub last_started_ms: Option<i64>,
    /// The Worker that picked up the current attempt.
    pub last_worker_identity: String,
    /// The latest attempt's failure.
    pub last_failure: Option<FailureInfo>,
    /// When the next attempt will be dispatched (unix ms).
    pub next_attempt_ms: Option<i64>,
    /// The backoff before that next attempt.
    pub current_retry_interval_ms: Option<u64>,
    /// Heartbeats recorded in the run.
    pub heartbeat_count: u64,
    /// When the last heartbeat was recorded (unix ms).
    pub last_heartbeat_ms: Option<i64>,
    /// The last heartbeat's details, as JSON text.
    pub heartbeat_details: Option<String>,
    /// When the run closed (unix ms).
    pub close_ms: Option<i64>,
    /// The outcome, once closed.
    pub outcome: Option<Outcome>,
    /// The reason given with a cancel request.
    pub canceled_reason: String,
}

/// What has been reported for one run so far.
#[derive(Debug, Default)]
pub struct Tracker {
    /// Whether the scheduling was reported.
    scheduled: bool,
    /// Highest attempt whose start was reported.
    started: u32,
    /// Highest attempt whose failure was reported.
    failed: u32,
    /// Heartbeats reported.
    heartbeats: u64,
    /// Whether the cancel request was reported.
    cancel_reported: bool,
    /// Whether the terminal event was reported.
    done: bool,
}

impl Tracker {
    /// Whether the terminal event has been emitted.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The events `snap` adds to what was reported, with their times.
    /// `now_ms` stands in for times Temporal does not report.
    pub fn observe(&mut self, snap: &Snapshot, now_ms: i64) -> Vec<(i64, EventKind)> {
        let mut out = Vec::new();
        if self.done {
            return out;
        }
        if !self.scheduled {
            self.scheduled = true;
            out.push((
                snap.schedule_ms.unwrap_or(now_ms),
                EventKind::Scheduled {
                    activity_id: snap.activity_id.clone(),
                    run_id: snap.run_id.clone(),
                    activity_type: snap.activity_type.clone(),
                    task_queue: snap.task_queue.clone(),
                },
            ));
        }
        let attempt = snap.attempt.max(1);
        let closed = snap.status != Status::Running;
        // The current attempt has started if a Worker holds it, or if the run
        // closed after a start (a close before any start has no start time).
        let current_started = match snap.run_state {
            RunState::Started | RunState::CancelRequested => true,
            _ => closed && snap.last_started_ms.is_some(),
        };
        // Times Temporal no longer reports (attempts the long poll skipped)
        // are bounded by the latest start it does report: they came before.
        let earlier = snap.last_started_ms.map_or(now_ms, |t| t.min(now_ms));
        // Every attempt before the current one started and failed.
        for a in (self.failed + 1)..attempt {
            self.report_start(a, snap, earlier, &mut out);
            let is_previous = a + 1 == attempt;
            let failure = if is_previous {
                snap.last_failure.clone()
            } else {
                None
            }
            .unwrap_or_else(|| FailureInfo {
                message: "failed (details superseded by a later attempt)".to_owned(),
                error_type: None,
                non_retryable: false,
                timeout: None,
            });
            let (next, retry) = if is_previous && snap.run_state == RunState::Scheduled {
                (snap.next_attempt_ms, snap.current_retry_interval_ms)
            } else {
                (None, None)
            };
            // The failure happened one backoff before the next dispatch.
            let at = match (next, retry) {
                (Some(n), Some(r)) => n - r as i64,
                _ => earlier,
            };
            out.push((
                at,
                EventKind::AttemptFailed {
                    attempt: a,
                    failure,
                    next_attempt_at_ms: next,
                    retry_in_ms: retry,
                },
            ));
            self.failed = a;
        }
        if current_started {
            self.report_start(attempt, snap, now_ms, &mut out);
        }
        if snap.heartbeat_count > self.heartbeats {
            self.heartbeats = snap.heartbeat_count;
            out.push((
                snap.last_heartbeat_ms.unwrap_or(now_ms),
                EventKind::Heartbeat {
                    attempt,
                    count: snap.heartbeat_count,
                    details: snap.heartbeat_details.clone(),
                },
            ));
        }
        if (snap.run_state == RunState::CancelRequested || snap.status == Status::Canceled)
            && !self.cancel_reported
        {
            self.cancel_reported = true;
            out.push((
                now_ms,
                EventKind::CancelRequested {
                    reason: snap.canceled_reason.clone(),
                },
            ));
        }
        if closed {
            self.done = true;
            let at = snap.close_ms.unwrap_or(now_ms);
            let failure = match &snap.outcome {
                Some(Outcome::Failure(f)) => Some(f.clone()),
                _ => snap.last_failure.clone(),
            }
            .unwrap_or_else(|| FailureInfo {
                message: "no failure details".to_owned(),
                error_type: None,
                non_retryable: false,
                timeout: None,
            });
            let kind = match snap.status {
                Status::Completed => EventKind::Completed {
                    attempt,
                    result: match &snap.outcome {
                        Some(Outcome::Result(r)) => r.clone(),
                        _ => "null".to_owned(),
                    },
                },
                Status::Failed => EventKind::Failed { attempt, failure },
                Status::TimedOut => EventKind::TimedOut { attempt, failure },
                Status::Canceled => EventKind::Canceled { attempt },
                Status::Terminated => EventKind::Terminated {
                    attempt,
                    reason: failure.message,
                },
                Status::Running => unreachable_running(),
            };
            out.push((at, kind));
        }
        out
    }

    fn report_start(
        &mut self,
        attempt: u32,
        snap: &Snapshot,
        fallback_ms: i64,
        out: &mut Vec<(i64, EventKind)>,
    ) {
        if attempt <= self.started {
            return;
        }
        self.started = attempt;
        let at = if attempt == snap.attempt {
            snap.last_started_ms.unwrap_or(fallback_ms)
        } else {
            fallback_ms
        };
        out.push((
            at,
            EventKind::AttemptStarted {
                attempt,
                worker_identity: snap.last_worker_identity.clone(),
            },
        ));
    }
}

/// `closed` is false for Running, so the terminal match never sees it.
fn unreachable_running() -> EventKind {
    EventKind::Lost {
        message: "run reported closed while running".to_owned(),
    }
}

/// Maps Temporal's timeout type number (`TimeoutType` enum) to ours.
pub fn timeout_type(code: i32) -> Option<TimeoutType> {
    match code {
        1 => Some(TimeoutType::StartToClose),
        2 => Some(TimeoutType::ScheduleToStart),
        3 => Some(TimeoutType::ScheduleToClose),
        4 => Some(TimeoutType::Heartbeat),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(status: Status, run_state: RunState, attempt: u32) -> Snapshot {
        Snapshot {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "Activity".into(),
            task_queue: "q".into(),
            status,
            run_state,
            attempt,
            schedule_ms: Some(0),
            last_started_ms: Some(10),
            last_worker_identity: "w1".into(),
            last_failure: None,
            next_attempt_ms: None,
            current_retry_interval_ms: None,
            heartbeat_count: 0,
            last_heartbeat_ms: None,
            heartbeat_details: None,
            close_ms: Some(20),
            outcome: None,
            canceled_reason: String::new(),
        }
    }

    fn failure(msg: &str) -> FailureInfo {
        FailureInfo {
            message: msg.into(),
            error_type: Some("SimulatedFailure".into()),
            non_retryable: false,
            timeout: None,
        }
    }

    fn names(events: &[(i64, EventKind)]) -> Vec<&'static str> {
        events.iter().map(|(_, e)| e.name()).collect()
    }

    #[test]
    fn straight_success_in_one_snapshot() {
        let mut t = Tracker::default();
        let mut s = snap(Status::Completed, RunState::Other, 1);
        s.outcome = Some(Outcome::Result("\"Hello, World!\"".into()));
        let ev = t.observe(&s, 99);
        assert_eq!(names(&ev), ["scheduled", "attempt_started", "completed"]);
        assert_eq!(ev[2].0, 20);
        assert!(t.is_done());
        assert!(t.observe(&s, 100).is_empty());
    }

    #[test]
    fn coalesced_retry_is_reconstructed() {
        let mut t = Tracker::default();
        // First answer: attempt 2 already waiting after attempt 1 failed.
        let mut s = snap(Status::Running, RunState::Scheduled, 2);
        s.last_failure = Some(failure("attempt 1 failed"));
        s.next_attempt_ms = Some(1_500);
        s.current_retry_interval_ms = Some(1_000);
        let ev = t.observe(&s, 600);
        assert_eq!(
            names(&ev),
            ["scheduled", "attempt_started", "attempt_failed"]
        );
        match &ev[2] {
            (at, EventKind::AttemptFailed { retry_in_ms, .. }) => {
                assert_eq!(*at, 500);
                assert_eq!(*retry_in_ms, Some(1_000));
            }
            other => panic!("unexpected {other:?}"),
        }
        // Next: attempt 3 started (attempt 2's failure was skipped).
        let mut s3 = snap(Status::Running, RunState::Started, 3);
        s3.last_failure = Some(failure("attempt 2 failed"));
        let ev = t.observe(&s3, 4_000);
        assert_eq!(
            names(&ev),
            ["attempt_started", "attempt_failed", "attempt_started"]
        );
    }

    #[test]
    fn failure_after_retries() {
        let mut t = Tracker::default();
        let mut s = snap(Status::Failed, RunState::Other, 3);
        s.outcome = Some(Outcome::Failure(failure("attempt 3 failed")));
        s.last_failure = Some(failure("attempt 3 failed"));
        let ev = t.observe(&s, 50);
        assert_eq!(
            names(&ev),
            [
                "scheduled",
                "attempt_started",
                "attempt_failed",
                "attempt_started",
                "attempt_failed",
                "attempt_started",
                "failed"
            ]
        );
    }

    #[test]
    fn heartbeats_and_cancel_are_reported_once() {
        let mut t = Tracker::default();
        let mut s = snap(Status::Running, RunState::CancelRequested, 1);
        s.heartbeat_count = 3;
        let ev = t.observe(&s, 5);
        assert_eq!(
            names(&ev),
            [
                "scheduled",
                "attempt_started",
                "heartbeat",
                "cancel_requested"
            ]
        );
        assert!(t.observe(&s, 6).is_empty());
    }
}
