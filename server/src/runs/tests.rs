//! The run log and registry: terminal events close a log, Worker lines find
//! their run and their round, cursors resume exactly.

use proto::{AttemptPhase, EventKind, Source};

use super::*;

fn key(run: &str) -> RunKey {
    RunKey {
        activity_id: "a".into(),
        run_id: run.into(),
    }
}

fn canceled(at: i64) -> RunEvent {
    RunEvent::reported(
        Source::Server,
        Some(at),
        EventKind::Canceled {
            attempt: 1,
            phase: AttemptPhase::Running,
        },
    )
}

fn executing(at: i64) -> RunEvent {
    RunEvent::reported(
        Source::Worker,
        Some(at),
        EventKind::WorkerExecuting { attempt: 1 },
    )
}

#[test]
fn log_closes_on_terminal_event() {
    let runs = Runs::default();
    let (run, fresh) = runs.register(key("r1"), "q", None, None);
    assert!(fresh);
    run.push(canceled(1));
    run.push(canceled(2));
    let (events, closed) = run.missing(&Cursor::default());
    assert_eq!(events.len(), 1);
    assert!(closed);
    let mut c = Cursor::default();
    c.add_event(&events[0]);
    assert!(run.missing(&c).0.is_empty());
    assert!(runs.open_queues().is_empty());
}

#[test]
fn early_worker_events_wait_for_their_run() {
    let runs = Runs::default();
    runs.worker_event(Some("t"), "a", executing(5));
    let (run, _) = runs.register(key("r1"), "q", Some("t"), None);
    let (events, _) = run.missing(&Cursor::default());
    assert_eq!(events[0].kind, EventKind::WorkerExecuting { attempt: 1 });
    assert_eq!(runs.open_queues(), HashSet::from(["q".to_owned()]));
}

#[test]
fn untagged_events_go_to_the_open_run() {
    let runs = Runs::default();
    let (old, _) = runs.register(key("r1"), "q", None, None);
    old.push(canceled(1));
    let (new, _) = runs.register(key("r2"), "q", None, None);
    runs.worker_event(None, "a", executing(3));
    assert_eq!(new.missing(&Cursor::default()).0.len(), 1);
    assert_eq!(old.missing(&Cursor::default()).0.len(), 1);
}

#[test]
fn a_worker_line_keeps_the_round_its_attempt_began_in() {
    let runs = Runs::default();
    let (run, _) = runs.register(key("r1"), "q", None, None);
    let returned = |at| {
        RunEvent::reported(
            Source::Worker,
            Some(at),
            EventKind::WorkerReturned {
                attempt: 1,
                duration_ms: 5,
                error: None,
            },
        )
    };
    run.push(executing(1));
    // The Worker begins attempt 1 again before Temporal's record shows
    // the reset: a new round.
    run.push(executing(5));
    run.push(RunEvent::reported(
        Source::Server,
        None,
        EventKind::AttemptsReset {
            round: 1,
            from_attempt: 1,
        },
    ));
    run.push(returned(9));
    let (events, _) = run.missing(&Cursor::default());
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "a1-executing",
            "r1-a1-executing",
            "reset-1",
            "r1-a1-returned"
        ]
    );
    // A client holding round 0 still gets all of round 1.
    let mut c = Cursor::default();
    c.add_event(&events[0]);
    assert_eq!(run.missing(&c).0.len(), 3);
}
