//! One line of the Activity Log: something the Temporal Server or the demo's
//! Worker really did, with the server-side time it happened.

use serde::{Deserialize, Serialize};

use crate::flow::FlowStep;

/// Who observed the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The demo server acting as a Temporal client (connection, start call).
    Client,
    /// The Temporal Server, read from `DescribeActivityExecution`.
    Server,
    /// The demo's in-process Worker, from its activity interceptor.
    Worker,
}

/// Which Temporal timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutType {
    /// One attempt ran too long.
    StartToClose,
    /// The task waited on the queue too long.
    ScheduleToStart,
    /// The whole execution ran too long.
    ScheduleToClose,
    /// The activity stopped heartbeating.
    Heartbeat,
}

impl TimeoutType {
    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            TimeoutType::StartToClose => "start-to-close",
            TimeoutType::ScheduleToStart => "schedule-to-start",
            TimeoutType::ScheduleToClose => "schedule-to-close",
            TimeoutType::Heartbeat => "heartbeat",
        }
    }
}

/// A failure as Temporal recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureInfo {
    /// The failure message.
    pub message: String,
    /// The application error type, when it is an application failure.
    pub error_type: Option<String>,
    /// Whether the failure was marked non-retryable.
    pub non_retryable: bool,
    /// The timeout that fired, when it is a timeout failure.
    pub timeout: Option<TimeoutType>,
}

impl std::fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.timeout, &self.error_type) {
            (Some(t), _) => write!(f, "{} timeout", t.label()),
            (None, Some(ty)) if !ty.is_empty() => write!(f, "{ty}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The demo server's client is connected to Temporal.
    Connected {
        /// gRPC address of the Temporal frontend.
        address: String,
        /// Namespace the run lives in.
        namespace: String,
    },
    /// The server accepted the start and put a task on the queue.
    Scheduled {
        /// The activity id.
        activity_id: String,
        /// The run id the server assigned.
        run_id: String,
        /// The activity type name.
        activity_type: String,
        /// The task queue.
        task_queue: String,
    },
    /// A Worker polled the task: attempt `attempt` started on it.
    AttemptStarted {
        /// Attempt number, from 1.
        attempt: u32,
        /// Identity of the Worker that picked it up.
        worker_identity: String,
    },
    /// The Worker's code began executing the attempt.
    WorkerExecuting {
        /// Attempt number, from 1.
        attempt: u32,
    },
    /// The Worker's code returned for the attempt.
    WorkerReturned {
        /// Attempt number, from 1.
        attempt: u32,
        /// How long the code ran.
        duration_ms: u64,
        /// The error it returned, if any.
        error: Option<String>,
    },
    /// The server recorded a heartbeat.
    Heartbeat {
        /// Attempt number, from 1.
        attempt: u32,
        /// Heartbeats recorded so far in this run.
        count: u64,
        /// The latest heartbeat's details, as JSON text.
        details: Option<String>,
    },
    /// The demo stopped the Worker polling the run's task queue (the outage
    /// scenario): the task waits on the queue.
    WorkerOffline {
        /// The task queue no Worker polls.
        task_queue: String,
        /// For how long.
        seconds: u32,
    },
    /// A Worker polls the run's task queue again.
    WorkerOnline {
        /// The task queue.
        task_queue: String,
    },
    /// An attempt failed and the server scheduled another.
    AttemptFailed {
        /// The attempt that failed.
        attempt: u32,
        /// Why it failed.
        failure: FailureInfo,
        /// When the server will dispatch the next attempt (unix ms).
        next_attempt_at_ms: Option<i64>,
        /// The backoff the server chose before that next attempt.
        retry_in_ms: Option<u64>,
    },
    /// Somebody asked to cancel the run.
    CancelRequested {
        /// The reason given.
        reason: String,
    },
    /// Terminal: the activity returned a result.
    Completed {
        /// The attempt that succeeded.
        attempt: u32,
        /// The result, as JSON text.
        result: String,
    },
    /// Terminal: the run failed (retries exhausted or a non-retryable error).
    Failed {
        /// The last attempt.
        attempt: u32,
        /// The last failure.
        failure: FailureInfo,
    },
    /// Terminal: a timeout ended the run.
    TimedOut {
        /// The last attempt.
        attempt: u32,
        /// The timeout failure.
        failure: FailureInfo,
    },
    /// Terminal: the run was canceled.
    Canceled {
        /// The last attempt.
        attempt: u32,
    },
    /// Terminal: the run was terminated.
    Terminated {
        /// The last attempt.
        attempt: u32,
        /// The reason given.
        reason: String,
    },
    /// Terminal: the demo server lost track of the run (for example Temporal
    /// became unreachable); the run itself may still go on in Temporal.
    Lost {
        /// What went wrong.
        message: String,
    },
}

impl EventKind {
    /// Every SSE event name, so a client can subscribe to all of them.
    pub const NAMES: [&'static str; 16] = [
        "connected",
        "worker_offline",
        "worker_online",
        "scheduled",
        "attempt_started",
        "worker_executing",
        "worker_returned",
        "heartbeat",
        "attempt_failed",
        "cancel_requested",
        "completed",
        "failed",
        "timed_out",
        "canceled",
        "terminated",
        "lost",
    ];

    /// The SSE `event:` name (equal to the serde tag).
    pub const fn name(&self) -> &'static str {
        match self {
            EventKind::Connected { .. } => "connected",
            EventKind::Scheduled { .. } => "scheduled",
            EventKind::AttemptStarted { .. } => "attempt_started",
            EventKind::WorkerExecuting { .. } => "worker_executing",
            EventKind::WorkerReturned { .. } => "worker_returned",
            EventKind::Heartbeat { .. } => "heartbeat",
            EventKind::WorkerOffline { .. } => "worker_offline",
            EventKind::WorkerOnline { .. } => "worker_online",
            EventKind::AttemptFailed { .. } => "attempt_failed",
            EventKind::CancelRequested { .. } => "cancel_requested",
            EventKind::Completed { .. } => "completed",
            EventKind::Failed { .. } => "failed",
            EventKind::TimedOut { .. } => "timed_out",
            EventKind::Canceled { .. } => "canceled",
            EventKind::Terminated { .. } => "terminated",
            EventKind::Lost { .. } => "lost",
        }
    }

    /// Whether this event ends the run's stream.
    pub const fn is_terminal(&self) -> bool {
        matches!(
            self,
            EventKind::Completed { .. }
                | EventKind::Failed { .. }
                | EventKind::TimedOut { .. }
                | EventKind::Canceled { .. }
                | EventKind::Terminated { .. }
                | EventKind::Lost { .. }
        )
    }

    /// The node of the Execution Flow diagram this event is about.
    pub const fn step(&self) -> FlowStep {
        match self {
            EventKind::Connected { .. } => FlowStep::Client,
            EventKind::Scheduled { .. } => FlowStep::TaskQueue,
            EventKind::AttemptStarted { .. }
            | EventKind::WorkerOffline { .. }
            | EventKind::WorkerOnline { .. } => FlowStep::Worker,
            EventKind::WorkerExecuting { .. }
            | EventKind::WorkerReturned { .. }
            | EventKind::Heartbeat { .. }
            | EventKind::AttemptFailed { .. } => FlowStep::Activity,
            EventKind::CancelRequested { .. }
            | EventKind::Completed { .. }
            | EventKind::Failed { .. }
            | EventKind::TimedOut { .. }
            | EventKind::Canceled { .. }
            | EventKind::Terminated { .. }
            | EventKind::Lost { .. } => FlowStep::Server,
        }
    }

    /// One line of text for the log.
    pub fn describe(&self) -> String {
        match self {
            EventKind::Connected { address, namespace } => {
                format!("Client connected to Temporal at {address} (namespace {namespace})")
            }
            EventKind::Scheduled {
                activity_id,
                run_id,
                activity_type,
                task_queue,
            } => format!(
                "Server scheduled {activity_type} as {activity_id} (run {run_id}) on task queue {task_queue}"
            ),
            EventKind::AttemptStarted {
                attempt,
                worker_identity,
            } => format!("Worker {worker_identity} picked up attempt {attempt}"),
            EventKind::WorkerExecuting { attempt } => {
                format!("Activity code started attempt {attempt}")
            }
            EventKind::WorkerReturned {
                attempt,
                duration_ms,
                error: None,
            } => format!("Activity code returned from attempt {attempt} after {duration_ms} ms"),
            EventKind::WorkerReturned {
                attempt,
                duration_ms,
                error: Some(e),
            } => format!("Activity code failed attempt {attempt} after {duration_ms} ms: {e}"),
            EventKind::Heartbeat {
                attempt,
                count,
                details,
            } => match details {
                Some(d) => format!("Heartbeat #{count} recorded (attempt {attempt}): {d}"),
                None => format!("Heartbeat #{count} recorded (attempt {attempt})"),
            },
            EventKind::WorkerOffline {
                task_queue,
                seconds,
            } => format!(
                "Worker stopped polling {task_queue} for {seconds} s: the task waits on the queue"
            ),
            EventKind::WorkerOnline { task_queue } => {
                format!("Worker polling {task_queue} again")
            }
            EventKind::AttemptFailed {
                attempt,
                failure,
                retry_in_ms,
                ..
            } => {
                let what = match failure.timeout {
                    Some(TimeoutType::Heartbeat) => format!(
                        "Attempt {attempt} stopped heartbeating: the server's heartbeat timeout fired"
                    ),
                    Some(t) => format!("Attempt {attempt} hit the {} timeout", t.label()),
                    None => format!("Attempt {attempt} failed ({failure})"),
                };
                match retry_in_ms {
                    Some(ms) => format!("{what}; server retries in {}", format_ms(*ms)),
                    None => format!("{what}; server retries"),
                }
            }
            EventKind::CancelRequested { reason } => format!("Cancel requested: {reason}"),
            EventKind::Completed { attempt, result } => {
                format!("Completed on attempt {attempt}: {result}")
            }
            EventKind::Failed { attempt, failure } => {
                format!("Failed after attempt {attempt}: {failure}")
            }
            EventKind::TimedOut { attempt, failure } => {
                format!("Timed out on attempt {attempt}: {failure}")
            }
            EventKind::Canceled { attempt } => format!("Canceled during attempt {attempt}"),
            EventKind::Terminated { attempt, reason } => {
                format!("Terminated during attempt {attempt}: {reason}")
            }
            EventKind::Lost { message } => format!("Stopped following the run: {message}"),
        }
    }
}

/// Formats a duration in milliseconds as `850 ms`, `2 s` or `1.5 s`.
pub fn format_ms(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1_000) {
        format!("{} s", ms / 1_000)
    } else {
        format!("{:.1} s", ms as f64 / 1_000.0)
    }
}

/// One event of a run, as streamed over SSE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEvent {
    /// Position in the run's log, from 1; the SSE `id:`.
    pub seq: u64,
    /// When it happened (unix ms), from Temporal's timestamps where it has one.
    pub at_ms: i64,
    /// Who observed it.
    pub source: Source,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde_tags() {
        let ev = EventKind::Completed {
            attempt: 3,
            result: "\"Hello, World!\"".into(),
        };
        let json = serde_json::to_value(&ev).unwrap();
        assert_eq!(json["type"], ev.name());
        assert!(EventKind::NAMES.contains(&ev.name()));
        assert!(ev.is_terminal());
    }

    #[test]
    fn run_event_round_trips() {
        let ev = RunEvent {
            seq: 4,
            at_ms: 1_700_000_000_000,
            source: Source::Server,
            kind: EventKind::AttemptFailed {
                attempt: 1,
                failure: FailureInfo {
                    message: "boom".into(),
                    error_type: Some("SimulatedFailure".into()),
                    non_retryable: false,
                    timeout: None,
                },
                next_attempt_at_ms: Some(1_700_000_001_000),
                retry_in_ms: Some(1_000),
            },
        };
        let text = serde_json::to_string(&ev).unwrap();
        assert_eq!(serde_json::from_str::<RunEvent>(&text).unwrap(), ev);
        assert!(ev.kind.describe().contains("retries in 1 s"));
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_ms(850), "850 ms");
        assert_eq!(format_ms(2_000), "2 s");
        assert_eq!(format_ms(1_500), "1.5 s");
    }
}
