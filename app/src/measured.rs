//! What the Compare panel keeps of a finished run this browser started:
//! how many lines its log has, how many events Temporal's Event History
//! holds (a Workflow run only: a Standalone Activity has none), the
//! attempt it ended on, and how long it took from Execute to the final line
//! on this page's clock. Read from the run's own log, saved with the run in
//! this browser's history.

use proto::{EventKind, RunEvent};
use serde::{Deserialize, Serialize};

/// Longest gap between the Execute click and following the run for the page
/// clock to count: a run followed later (after a reload) is not timed.
const LIVE_WITHIN_MS: f64 = 5_000.0;

/// A finished run, measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Lines in its Activity Log.
    pub lines: u32,
    /// Events in the Workflow's Event History (the final line's event id).
    pub history_events: Option<i64>,
    /// The attempt it ended on.
    pub attempt: Option<u32>,
    /// Execute → the final line on this page, when this page followed it
    /// from its start.
    pub page_ms: Option<f64>,
    /// The final line's kind (`completed`, `failed`, …).
    pub outcome: String,
}

/// The attempt a final line names.
fn final_attempt(kind: &EventKind) -> Option<u32> {
    match kind {
        EventKind::Completed { attempt, .. }
        | EventKind::Failed { attempt, .. }
        | EventKind::TimedOut { attempt, .. }
        | EventKind::Canceled { attempt, .. }
        | EventKind::Terminated { attempt, .. } => Some(*attempt),
        _ => None,
    }
}

/// Measures a closed log; `started_at_ms` is the Execute click,
/// `watched_at_ms` when this page began following, `ended_at_ms` when the
/// final line arrived (all this page's clock).
pub fn measure(
    events: &[RunEvent],
    started_at_ms: f64,
    watched_at_ms: f64,
    ended_at_ms: f64,
) -> Option<Measured> {
    let last = events.last().filter(|e| e.kind.is_terminal())?;
    let live = watched_at_ms - started_at_ms <= LIVE_WITHIN_MS;
    Some(Measured {
        lines: u32::try_from(events.len()).unwrap_or(u32::MAX),
        history_events: last.history_event_id,
        attempt: final_attempt(&last.kind),
        page_ms: live.then_some(ended_at_ms - started_at_ms),
        outcome: last.kind.name().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use proto::Source;

    use super::*;

    #[test]
    fn a_closed_log_is_measured_and_an_open_one_is_not() {
        let mut events = vec![RunEvent::reported(
            Source::Server,
            Some(1),
            EventKind::AttemptStarted {
                attempt: 1,
                worker_identity: None,
            },
        )];
        assert_eq!(measure(&events, 0.0, 10.0, 90.0), None);
        let mut end = RunEvent::reported(
            Source::Server,
            Some(2),
            EventKind::Completed {
                attempt: 1,
                result: None,
            },
        );
        end.history_event_id = Some(11);
        events.push(end);
        let m = measure(&events, 0.0, 10.0, 90.0).expect("measured");
        assert_eq!(
            (m.lines, m.history_events, m.attempt),
            (2, Some(11), Some(1))
        );
        assert_eq!(m.page_ms, Some(90.0));
        assert_eq!(m.outcome, "completed");
        // Followed long after it started: not timed.
        assert_eq!(
            measure(&events, 0.0, 60_000.0, 70_000.0).and_then(|m| m.page_ms),
            None
        );
    }
}
