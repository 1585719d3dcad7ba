//! What one `DescribeActivityExecution` answer says about a run, in the
//! demo's terms. The gateway maps Temporal's proto into it; the tracker reads
//! it. Times are unix milliseconds, `None` where Temporal reports none.

use proto::{FailureInfo, RetryState, RunOptionsNow, TimeoutType};

/// Temporal's activity execution status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Open.
    #[default]
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
    /// Paused by an operator command: open, no attempt dispatched.
    Paused,
}

/// Temporal's run state while the status is Running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState {
    /// Waiting on the task queue (first attempt, or after a backoff).
    #[default]
    Scheduled,
    /// A Worker is running the current attempt.
    Started,
    /// Cancel requested; the activity learns it on its next heartbeat.
    CancelRequested,
    /// Pause requested while an attempt runs; it learns it on its next
    /// heartbeat.
    PauseRequested,
    /// Paused: no attempt runs or is dispatched.
    Paused,
    /// Anything else (unspecified, closed).
    Other,
}

/// How the run ended, when it has.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The result payload as JSON text; `None` when it is not JSON.
    Result(Option<String>),
    /// The final failure.
    Failure(FailureInfo),
}

/// One describe answer.
#[derive(Debug, Clone, PartialEq, Default)]
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
    /// Current (or last) attempt, from 1. Temporal raises it as soon as it
    /// schedules a retry, before that attempt starts.
    pub attempt: u32,
    /// When the run was scheduled.
    pub schedule_ms: Option<i64>,
    /// When the latest attempt that started, started.
    pub last_started_ms: Option<i64>,
    /// When the latest attempt that ended, ended.
    pub last_attempt_complete_ms: Option<i64>,
    /// The Worker that picked up the latest attempt that started.
    pub last_worker_identity: String,
    /// The latest failure of an attempt (only the latest is kept).
    pub last_failure: Option<FailureInfo>,
    /// When the next attempt will be dispatched, during a backoff.
    pub next_attempt_ms: Option<i64>,
    /// The backoff before that next attempt.
    pub current_retry_interval_ms: Option<u64>,
    /// Heartbeats recorded in the run.
    pub heartbeat_count: u64,
    /// When the last heartbeat was recorded.
    pub last_heartbeat_ms: Option<i64>,
    /// The last heartbeat's details, as JSON text.
    pub heartbeat_details: Option<String>,
    /// When the run closed.
    pub close_ms: Option<i64>,
    /// The outcome, once closed.
    pub outcome: Option<Outcome>,
    /// Why Temporal stopped retrying, once closed.
    pub retry_state: Option<RetryState>,
    /// The reason given with a cancel request.
    pub canceled_reason: String,
    /// The options in force (an update changes them).
    pub options: RunOptionsNow,
    /// The start delay, if the start set one.
    pub start_delay_ms: Option<u64>,
    /// When the first attempt may be dispatched (after the start delay).
    pub execution_ms: Option<i64>,
    /// The demo's scenario, from the run's Header (`None` for a run the
    /// demo did not start).
    pub scenario: Option<proto::FailureScenario>,
}

impl Snapshot {
    /// Whether the run has closed.
    pub fn is_closed(&self) -> bool {
        !matches!(self.status, Status::Running | Status::Paused)
    }

    /// Whether the run is paused, or a pause waits for its running attempt.
    pub fn is_pausing(&self) -> bool {
        self.status == Status::Paused
            || matches!(self.run_state, RunState::Paused | RunState::PauseRequested)
    }

    /// The timeout the outcome reports, if it is a timeout.
    pub fn outcome_timeout(&self) -> Option<TimeoutType> {
        match &self.outcome {
            Some(Outcome::Failure(f)) => f.timeout,
            _ => None,
        }
    }

    /// The outcome's failure, if it failed.
    pub fn outcome_failure(&self) -> Option<FailureInfo> {
        match &self.outcome {
            Some(Outcome::Failure(f)) => Some(f.clone()),
            _ => None,
        }
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

/// Maps Temporal's `RetryState` number to ours; `None` for "in progress"
/// and "unspecified", which say nothing about why retries stopped.
pub fn retry_state(code: i32) -> Option<RetryState> {
    match code {
        2 => Some(RetryState::NonRetryableFailure),
        3 => Some(RetryState::Timeout),
        4 => Some(RetryState::MaximumAttemptsReached),
        5 => Some(RetryState::RetryPolicyNotSet),
        6 => Some(RetryState::InternalServerError),
        7 => Some(RetryState::CancelRequested),
        _ => None,
    }
}
