//! What every target reads off the form the same way: which timeouts (and
//! start delay) it sets, in which order, and which id policies differ from
//! the server's defaults (only those are worth a line and an import).

use proto::{ActivityConfig, IdConflictPolicy, IdReusePolicy, TimeoutKind};

/// A duration option, named per target by each generator: a timeout, or
/// the start delay (not a timeout, but set and written the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timeout {
    /// One attempt.
    StartToClose,
    /// The whole execution.
    ScheduleToClose,
    /// Waiting on the task queue.
    ScheduleToStart,
    /// Between heartbeats.
    Heartbeat,
    /// Before the first attempt is dispatched.
    StartDelay,
}

/// The durations every target sets, in order: the form's main timeout (the
/// server requires one of start-to-close and schedule-to-close), then
/// schedule-to-start, heartbeat and the start delay when the form sets them.
pub(crate) fn durations(config: &ActivityConfig) -> Vec<(Timeout, u64)> {
    let main = match config.timeout_kind {
        TimeoutKind::StartToClose => Timeout::StartToClose,
        TimeoutKind::ScheduleToClose => Timeout::ScheduleToClose,
    };
    let mut out = vec![(main, config.timeout_ms)];
    if let Some(ms) = config.schedule_to_start_timeout_ms {
        out.push((Timeout::ScheduleToStart, ms));
    }
    if let Some(ms) = config.heartbeat_timeout_ms {
        out.push((Timeout::Heartbeat, ms));
    }
    if let Some(ms) = config.start_delay_ms {
        out.push((Timeout::StartDelay, ms));
    }
    out
}

/// The id reuse policy, when it is not the server default.
pub(crate) fn reuse_policy(config: &ActivityConfig) -> Option<IdReusePolicy> {
    (config.id_reuse_policy != IdReusePolicy::default()).then_some(config.id_reuse_policy)
}

/// The id conflict policy, when it is not the server default.
pub(crate) fn conflict_policy(config: &ActivityConfig) -> Option<IdConflictPolicy> {
    (config.id_conflict_policy != IdConflictPolicy::default()).then_some(config.id_conflict_policy)
}

/// The reason a program that pauses its run gives Temporal.
pub(crate) const PAUSE_REASON: &str = "Paused by this program";

/// The reason a program that unpauses its run gives Temporal.
pub(crate) const UNPAUSE_REASON: &str = "Unpaused by this program";
