//! The layout after operator commands: a reset adds a round of lanes below
//! the old ones, a pause is a marker with no time of its own, new options
//! move the deadlines of the attempts after them, a start delay holds the
//! first attempt.

use super::*;
use proto::RunOptionsNow;

fn reset(round: u32, from_attempt: u32) -> RunEvent {
    RunEvent::reported(
        Source::Server,
        None,
        EventKind::AttemptsReset {
            round,
            from_attempt,
        },
    )
    .in_round(round)
}

#[test]
fn a_reset_adds_lanes_below_and_never_rewrites_the_old_ones() {
    let mut events = retries()[..6].to_vec();
    events.push(reset(1, 3));
    events.push(at(4_000, started(1)).in_round(1));
    events.push(
        at(
            4_010,
            EventKind::Completed {
                attempt: 1,
                result: None,
            },
        )
        .in_round(1),
    );
    let before = closed(&retries()[..6]);
    let t = closed(&events);
    let rows: Vec<(u32, u32, u32)> = t
        .lanes
        .iter()
        .map(|l| (l.round, l.attempt, l.row))
        .collect();
    assert_eq!(rows, [(0, 1, 0), (0, 2, 1), (1, 1, 2)]);
    // Round 0's attempts ran and failed exactly as before the reset.
    for (old, new) in before.lanes.iter().zip(&t.lanes).take(2) {
        assert_eq!(
            (old.start, old.end, &old.outcome),
            (new.start, new.end, &new.outcome)
        );
    }
    assert_eq!(t.lanes[2].outcome, Outcome::Completed);
    assert_eq!(
        (t.lanes[2].start, t.lanes[2].end),
        (Some(4_000), Some(4_010))
    );
    // The reset came in the backoff after attempt 2: no lane for attempt 3.
    assert_eq!(t.backoffs.last().map(|b| (b.row, b.after)), Some((1, 2)));
    assert!(
        t.markers
            .iter()
            .any(|m| m.kind == MarkerKind::Reset && m.at.is_none())
    );
}

#[test]
fn a_pause_is_a_marker_without_a_time() {
    let mut events = retries()[..4].to_vec();
    events.push(RunEvent::reported(
        Source::Server,
        None,
        EventKind::Paused {
            pause: 1,
            attempt: 2,
        },
    ));
    let t = layout(&events, Deadlines::default(), Some(T0 + 5_000)).unwrap();
    let m = t
        .markers
        .iter()
        .find(|m| m.kind == MarkerKind::Paused)
        .expect("a marker");
    assert_eq!(m.at, None);
    // Bounded by what was reported around it: after attempt 1's failure.
    assert_eq!(m.window.from, 20);
}

#[test]
fn new_options_move_the_deadlines_of_later_attempts_only() {
    let d = Deadlines {
        start_to_close_ms: Some(5_000),
        ..Deadlines::default()
    };
    let mut events = retries()[..4].to_vec();
    events.push(RunEvent::reported(
        Source::Server,
        None,
        EventKind::OptionsChanged {
            change: 1,
            options: RunOptionsNow {
                task_queue: "q".into(),
                start_to_close_ms: Some(9_000),
                ..RunOptionsNow::default()
            },
        },
    ));
    events.extend(retries()[4..].iter().cloned());
    let t = layout(&events, d, None).unwrap();
    assert_eq!(t.lanes[0].deadline, Some(10 + 5_000));
    assert_eq!(t.lanes[1].deadline, Some(1_030 + 9_000));
}

#[test]
fn a_start_delay_holds_the_first_attempt_off_the_queue() {
    let mut events = retries();
    events[1] = at(
        0,
        EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "T".into(),
            task_queue: "q".into(),
            start_delay_ms: Some(5),
            first_attempt_at_ms: Some(T0 + 5),
        },
    );
    let t = closed(&events);
    assert_eq!(t.delay, Some(Span { from: 0, to: 5 }));
    assert_eq!(t.lanes[0].queued, Some(Span { from: 5, to: 10 }));
}
