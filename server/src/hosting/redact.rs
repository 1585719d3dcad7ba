//! What a stream tells a client that did not start the run (public mode, no
//! valid `token`): everything but the run's payloads. The result and the
//! heartbeat details are dropped, as they echo the starter's input; the
//! timeline, attempts, failures (the demo's own scenario messages) and
//! timings stay, so a shared link still shows how the run went.

use proto::{EventKind, RunEvent};

/// `ev` without its payloads.
pub fn redact(ev: &RunEvent) -> RunEvent {
    let mut ev = ev.clone();
    // Exhaustive: a new kind with a payload must be decided here.
    match &mut ev.kind {
        EventKind::Completed { result, .. } | EventKind::ActivityClosed { result, .. } => {
            *result = None
        }
        EventKind::Heartbeat { details, .. } => *details = None,
        EventKind::StartRequested { .. }
        | EventKind::WorkflowStartRequested { .. }
        | EventKind::WorkflowStarted { .. }
        | EventKind::Scheduled { .. }
        | EventKind::AttemptStarted { .. }
        | EventKind::WorkerExecuting { .. }
        | EventKind::WorkerReturned { .. }
        | EventKind::WorkerOffline { .. }
        | EventKind::WorkerOnline { .. }
        | EventKind::AttemptFailed { .. }
        | EventKind::CommandSent { .. }
        | EventKind::Paused { .. }
        | EventKind::Unpaused { .. }
        | EventKind::AttemptsReset { .. }
        | EventKind::OptionsChanged { .. }
        | EventKind::CancelRequested { .. }
        | EventKind::Failed { .. }
        | EventKind::TimedOut { .. }
        | EventKind::Canceled { .. }
        | EventKind::Terminated { .. }
        | EventKind::TemporalUnreachable { .. }
        | EventKind::TemporalReachable { .. }
        | EventKind::Lost { .. } => {}
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::Source;

    #[test]
    fn payloads_are_dropped_and_nothing_else() {
        let done = RunEvent::reported(
            Source::Server,
            Some(5),
            EventKind::Completed {
                attempt: 2,
                result: Some("\"Hello, Ada!\"".to_owned()),
            },
        );
        let hidden = redact(&done);
        assert!(matches!(
            hidden.kind,
            EventKind::Completed {
                attempt: 2,
                result: None
            }
        ));
        assert_eq!((hidden.id, hidden.at_ms), (done.id.clone(), done.at_ms));
        let beat = RunEvent::reported(
            Source::Server,
            None,
            EventKind::Heartbeat {
                attempt: Some(1),
                count: 3,
                details: Some("{\"name\":\"Ada\"}".to_owned()),
            },
        );
        assert!(matches!(
            redact(&beat).kind,
            EventKind::Heartbeat {
                count: 3,
                details: None,
                ..
            }
        ));
        // A Workflow run's activity line carries the same result.
        let closed = RunEvent::reported(
            Source::Server,
            Some(4),
            EventKind::ActivityClosed {
                attempt: 2,
                status: proto::RunStatus::Completed,
                result: Some("\"Hello, Ada!\"".to_owned()),
                failure: None,
                retry_state: None,
            },
        )
        .from_history(7);
        let hidden = redact(&closed);
        assert!(matches!(
            hidden.kind,
            EventKind::ActivityClosed {
                attempt: 2,
                result: None,
                ..
            }
        ));
        assert_eq!(hidden.history_event_id, Some(7));
    }
}
