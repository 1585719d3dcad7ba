//! What the attempt timeline draws: lanes, backoffs, markers and deadlines,
//! in milliseconds since the run was scheduled. Built by
//! [`super::layout`]; each type says which reported time each field holds.

use proto::event::{FailureInfo, TimeoutType};

/// The configured timeouts that put deadlines on the axis; each `None` when
/// not set or not known (a run followed after a reload).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deadlines {
    /// Bounds each attempt, from its pickup.
    pub start_to_close_ms: Option<u64>,
    /// Bounds the whole run, from its scheduling.
    pub schedule_to_close_ms: Option<u64>,
    /// Bounds each wait on the task queue.
    pub schedule_to_start_ms: Option<u64>,
}

/// An interval on the axis (ms since scheduled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Where it begins.
    pub from: i64,
    /// Where it ends.
    pub to: i64,
}

/// How an attempt ended, or where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting on the task queue, nobody has picked it up yet.
    Queued,
    /// A Worker is running it.
    Running,
    /// It returned a result.
    Completed,
    /// It returned an error (its type, when Temporal still reports it).
    Failed(Option<String>),
    /// A timeout ended it.
    TimedOut(TimeoutType),
    /// It went silent: the heartbeat timeout caught the dead Worker.
    Crashed,
    /// The run was canceled during it.
    Canceled,
    /// The run was terminated during it.
    Terminated,
    /// It failed, as a later attempt implies; nobody reported how.
    Unknown,
}

impl Outcome {
    /// Stable identifier (`data-outcome`, CSS classes).
    pub const fn slug(&self) -> &'static str {
        match self {
            Outcome::Queued => "queued",
            Outcome::Running => "running",
            Outcome::Completed => "completed",
            Outcome::Failed(_) => "failed",
            Outcome::TimedOut(_) => "timed_out",
            Outcome::Crashed => "crashed",
            Outcome::Canceled => "canceled",
            Outcome::Terminated => "terminated",
            Outcome::Unknown => "unknown",
        }
    }

    /// For a person: `failed (ApplicationError)`, `timed out (start-to-close)`.
    pub fn label(&self) -> String {
        match self {
            Outcome::Queued => "waiting on the task queue".to_owned(),
            Outcome::Running => "running".to_owned(),
            Outcome::Completed => "completed".to_owned(),
            Outcome::Failed(Some(t)) => format!("failed ({t})"),
            Outcome::Failed(None) => "failed".to_owned(),
            Outcome::TimedOut(t) => format!("timed out ({})", t.label()),
            Outcome::Crashed => "crashed (heartbeat timeout)".to_owned(),
            Outcome::Canceled => "canceled".to_owned(),
            Outcome::Terminated => "terminated".to_owned(),
            Outcome::Unknown => "failed (inferred)".to_owned(),
        }
    }

    pub(super) fn of_failure(failure: Option<&FailureInfo>) -> Outcome {
        match failure {
            None => Outcome::Unknown,
            Some(f) => match f.timeout {
                Some(TimeoutType::Heartbeat) => Outcome::Crashed,
                Some(t) => Outcome::TimedOut(t),
                None => Outcome::Failed(f.error_type.clone().filter(|t| !t.is_empty())),
            },
        }
    }
}

/// One attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The round of attempts it is in: 0, then one more after each reset
    /// (attempt numbers start again at 1).
    pub round: u32,
    /// Its row from the top, from 0: lanes never move, a reset adds rows.
    pub row: u32,
    /// Its number, from 1 (in its round).
    pub attempt: u32,
    /// The wait on the task queue: from scheduling (or the end of the
    /// backoff before it) to pickup, or to the close or now if never picked.
    pub queued: Option<Span>,
    /// When a Worker picked it up, when reported.
    pub start: Option<i64>,
    /// When it ended, when reported.
    pub end: Option<i64>,
    /// Whether it has ended (an inferred end has no time).
    pub ended: bool,
    /// Whether it ever started (reported or inferred).
    pub started: bool,
    /// Where its unreported parts lie: between the reported times of the
    /// attempts around it.
    pub window: Span,
    /// How it ended.
    pub outcome: Outcome,
    /// The error text, when Temporal reported it.
    pub reason: Option<String>,
    /// Its heartbeats, when their times were reported.
    pub heartbeats: Vec<i64>,
    /// Its start-to-close deadline, when known.
    pub deadline: Option<i64>,
    /// Its schedule-to-start deadline on the queue, when known.
    pub queue_deadline: Option<i64>,
}

impl Lane {
    /// Whether a part of this attempt is drawn from inference, not times.
    pub fn inferred(&self) -> bool {
        (self.started && self.start.is_none()) || (self.ended && self.end.is_none())
    }
}

/// The backoff the Server scheduled after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The row of the attempt that failed.
    pub row: u32,
    /// The attempt that failed.
    pub after: u32,
    /// From the failure to the next attempt's scheduled time.
    pub span: Span,
    /// The interval Temporal reported (`current_retry_interval`).
    pub length_ms: Option<u64>,
    /// Where the run closed before the backoff ran out, if it did.
    pub cut_at: Option<i64>,
}

/// A thing that happened to the run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// Somebody asked to cancel the run.
    CancelRequested,
    /// Temporal reported the run paused.
    Paused,
    /// Temporal reported it running again.
    Unpaused,
    /// Temporal reported attempt 1 again: a new round of lanes follows.
    Reset,
}

/// A marker: at its reported time, or (untimed) somewhere in `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// What.
    pub kind: MarkerKind,
    /// When, if reported.
    pub at: Option<i64>,
    /// Where it must lie, when `at` is unknown.
    pub window: Span,
}

/// The whole picture of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The zero of the axis: when Temporal scheduled the run (unix ms).
    pub origin_ms: i64,
    /// The end of the axis: the close, or now (and any backoff still to run).
    pub axis_end: i64,
    /// When the run closed, if it has (and the time was reported).
    pub close: Option<i64>,
    /// Whether the run is over.
    pub closed: bool,
    /// One per attempt, in order.
    pub lanes: Vec<Lane>,
    /// The backoffs, in order.
    pub backoffs: Vec<Backoff>,
    /// Markers.
    pub markers: Vec<Marker>,
    /// The demo kept its Worker off the queue: from, and until (`None`: still).
    pub outage: Option<(i64, Option<i64>)>,
    /// The schedule-to-close deadline, when known.
    pub schedule_to_close: Option<i64>,
    /// The start delay: from the scheduling to when the first attempt may
    /// be dispatched, as Temporal reported both.
    pub delay: Option<Span>,
}
