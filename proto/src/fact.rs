//! The identity of an event: the one fact it reports (`scheduled`,
//! `a2-started`, `hb-7`, `end`), derived from what it says, never from a
//! process counter, so it means the same on every server process. The
//! event's id (`RunEvent::id`) is this fact's text; the resume
//! cursor (`cursor::Cursor`) summarises the facts a client holds.

use std::fmt;

/// What one event reports, as an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// This demo server's start request.
    Request,
    /// The outage scenario took the Worker off the queue.
    WorkerOffline,
    /// The outage ended.
    WorkerOnline,
    /// Temporal scheduled the run.
    Scheduled,
    /// A Workflow run's history began.
    WorkflowStarted,
    /// A Workflow run's activity closed.
    ActivityClosed,
    /// Attempt N started on a Worker.
    Started(u32),
    /// The Worker's code began attempt N.
    Executing(u32),
    /// The Worker's code returned from attempt N.
    Returned(u32),
    /// Attempt N failed and another was scheduled.
    Failed(u32),
    /// The run's Nth heartbeat was recorded.
    Heartbeat(u64),
    /// A cancel was requested.
    Cancel,
    /// This server's Nth operator command on the run.
    Command(u32),
    /// The Nth pause seen.
    Paused(u32),
    /// The Nth pause ended.
    Unpaused(u32),
    /// The Nth reset seen: round N of attempts begins.
    Reset(u32),
    /// The Nth change of options seen.
    Options(u32),
    /// The follower's Nth outage began (a fact of one server process).
    Unreachable(u32),
    /// The follower's Nth outage ended.
    Reachable(u32),
    /// The stream's final word.
    End,
}

impl Fact {
    /// Whether a reset starts this fact's numbering again (attempt facts):
    /// its identity then includes the round.
    pub const fn is_per_round(self) -> bool {
        matches!(
            self,
            Fact::Started(_) | Fact::Executing(_) | Fact::Returned(_) | Fact::Failed(_)
        )
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Request => f.write_str("request"),
            Fact::WorkerOffline => f.write_str("worker-offline"),
            Fact::WorkerOnline => f.write_str("worker-online"),
            Fact::Scheduled => f.write_str("scheduled"),
            Fact::WorkflowStarted => f.write_str("wf-started"),
            Fact::ActivityClosed => f.write_str("activity-closed"),
            Fact::Started(a) => write!(f, "a{a}-started"),
            Fact::Executing(a) => write!(f, "a{a}-executing"),
            Fact::Returned(a) => write!(f, "a{a}-returned"),
            Fact::Failed(a) => write!(f, "a{a}-failed"),
            Fact::Heartbeat(n) => write!(f, "hb-{n}"),
            Fact::Cancel => f.write_str("cancel"),
            Fact::Command(n) => write!(f, "cmd-{n}"),
            Fact::Paused(n) => write!(f, "pause-{n}"),
            Fact::Unpaused(n) => write!(f, "unpause-{n}"),
            Fact::Reset(n) => write!(f, "reset-{n}"),
            Fact::Options(n) => write!(f, "options-{n}"),
            Fact::Unreachable(n) => write!(f, "outage-{n}"),
            Fact::Reachable(n) => write!(f, "back-{n}"),
            Fact::End => f.write_str("end"),
        }
    }
}
