//! A run from a Workflow: its activity's close ends the last attempt, the
//! Workflow's close (the final word, a little later) ends the run.

use super::*;

#[test]
fn the_last_attempt_ends_at_the_activity_close_and_the_run_at_the_workflow_close() {
    let events = vec![
        scheduled(0),
        inferred(EventKind::AttemptFailed {
            attempt: 1,
            failure: None,
            next_attempt_at_ms: None,
            retry_in_ms: None,
        }),
        at(1_000, started(2)),
        at(
            1_050,
            EventKind::ActivityClosed {
                attempt: 2,
                status: proto::RunStatus::Completed,
                result: Some("\"Hello\"".into()),
                failure: None,
                retry_state: None,
            },
        ),
        at(
            1_080,
            EventKind::Completed {
                attempt: 2,
                result: Some("\"Hello\"".into()),
            },
        ),
    ];
    let t = closed(&events);
    let last = t.lanes.last().expect("a lane");
    assert_eq!(
        (last.attempt, last.start, last.end),
        (2, Some(1_000), Some(1_050))
    );
    assert_eq!(last.outcome, Outcome::Completed);
    assert_eq!(t.close, Some(1_080));
    // Without the activity's line, the run's close ends the attempt as before.
    let standalone: Vec<RunEvent> = events
        .into_iter()
        .filter(|e| !matches!(e.kind, EventKind::ActivityClosed { .. }))
        .collect();
    assert_eq!(closed(&standalone).lanes[1].end, Some(1_080));
}
