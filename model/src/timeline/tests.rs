//! The layout from event lists shaped like the tracker's (retries, a crash,
//! an outage, a cancel, a timeout during backoff, inferred attempts), each
//! passed through the reported-times check of `check.rs`.

mod check;
mod operator;
mod workflow;

use super::hops::hops;
use super::*;
use check::check_reported;
use proto::event::{FailureInfo, RetryState, Source};

pub(super) const T0: i64 = 1_700_000_000_000;

fn at(ms: i64, kind: EventKind) -> RunEvent {
    RunEvent::reported(Source::Server, Some(T0 + ms), kind)
}

fn scheduled(ms: i64) -> RunEvent {
    at(
        ms,
        EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "T".into(),
            task_queue: "q".into(),
            start_delay_ms: None,
            first_attempt_at_ms: None,
        },
    )
}

fn started(a: u32) -> EventKind {
    EventKind::AttemptStarted {
        attempt: a,
        worker_identity: Some("w".into()),
    }
}

fn app_error(ty: &str) -> FailureInfo {
    FailureInfo {
        message: "boom".into(),
        error_type: Some(ty.into()),
        non_retryable: false,
        timeout: None,
    }
}

fn timeout(t: TimeoutType) -> FailureInfo {
    FailureInfo {
        message: "timeout".into(),
        error_type: None,
        non_retryable: false,
        timeout: Some(t),
    }
}

fn failed(a: u32, failure: FailureInfo, next_ms: i64, retry_in_ms: u64) -> EventKind {
    EventKind::AttemptFailed {
        attempt: a,
        failure: Some(failure),
        next_attempt_at_ms: Some(T0 + next_ms),
        retry_in_ms: Some(retry_in_ms),
    }
}

fn heartbeat(a: Option<u32>, count: u64) -> EventKind {
    EventKind::Heartbeat {
        attempt: a,
        count,
        details: None,
    }
}

fn inferred(kind: EventKind) -> RunEvent {
    RunEvent::inferred(Source::Server, kind)
}

pub(super) fn closed(events: &[RunEvent]) -> Timeline {
    layout(events, Deadlines::default(), None).expect("a scheduled run")
}

/// Fail the first two attempts (initial interval 1 s, coefficient 2), then
/// succeed.
pub(super) fn retries() -> Vec<RunEvent> {
    vec![
        RunEvent::reported(
            Source::Client,
            Some(T0 - 7),
            EventKind::StartRequested {
                address: "x".into(),
                namespace: "default".into(),
                started: true,
            },
        ),
        scheduled(0),
        at(10, started(1)),
        at(20, failed(1, app_error("SimulatedFailure"), 1_020, 1_000)),
        at(1_030, started(2)),
        at(
            1_045,
            failed(2, app_error("SimulatedFailure"), 3_045, 2_000),
        ),
        at(3_050, started(3)),
        at(
            3_060,
            EventKind::Completed {
                attempt: 3,
                result: None,
            },
        ),
    ]
}

#[test]
fn retries_draw_three_attempts_and_the_backoffs_the_server_scheduled() {
    let events = retries();
    let t = closed(&events);
    assert_eq!(t.origin_ms, T0);
    assert_eq!((t.close, t.axis_end, t.closed), (Some(3_060), 3_060, true));
    let bars: Vec<_> = t
        .lanes
        .iter()
        .map(|l| (l.start, l.end, l.outcome.slug()))
        .collect();
    assert_eq!(
        bars,
        [
            (Some(10), Some(20), "failed"),
            (Some(1_030), Some(1_045), "failed"),
            (Some(3_050), Some(3_060), "completed"),
        ]
    );
    assert_eq!(t.lanes[0].outcome.label(), "failed (SimulatedFailure)");
    let waits: Vec<_> = t.lanes.iter().map(|l| l.queued).collect();
    assert_eq!(
        waits,
        [
            Some(Span { from: 0, to: 10 }),
            Some(Span {
                from: 1_020,
                to: 1_030
            }),
            Some(Span {
                from: 3_045,
                to: 3_050
            }),
        ]
    );
    let backoffs: Vec<_> = t
        .backoffs
        .iter()
        .map(|b| (b.after, b.span, b.length_ms))
        .collect();
    assert_eq!(
        backoffs,
        [
            (
                1,
                Span {
                    from: 20,
                    to: 1_020
                },
                Some(1_000)
            ),
            (
                2,
                Span {
                    from: 1_045,
                    to: 3_045
                },
                Some(2_000)
            ),
        ]
    );
    assert!(t.lanes.iter().all(|l| !l.inferred()));
    check_reported(&events, &t, Deadlines::default()).unwrap();

    let h = hops(&events, &t, Some(T0 + 3_100));
    assert_eq!(h.schedule_ms, Some(7));
    assert_eq!(h.poll_ms, [(1, 10), (2, 10), (3, 5)]);
    assert_eq!(h.execute_ms, [(1, 10), (2, 15), (3, 10)]);
    assert_eq!(h.return_ms, Some(40));
}

#[test]
fn a_live_backoff_extends_the_axis_to_its_end_and_deadlines_apply() {
    let all = retries();
    let events = &all[..4];
    let d = Deadlines {
        start_to_close_ms: Some(5_000),
        schedule_to_close_ms: Some(60_000),
        schedule_to_start_ms: Some(2_000),
    };
    let t = layout(events, d, Some(T0 + 500)).unwrap();
    assert!(!t.closed);
    // Now is 500 ms in, but the Server already scheduled attempt 2 at 1020.
    assert_eq!(t.axis_end, 1_020);
    assert_eq!(t.backoffs[0].cut_at, None);
    assert_eq!(t.lanes.len(), 1);
    assert_eq!(t.lanes[0].deadline, Some(5_010));
    assert_eq!(t.lanes[0].queue_deadline, Some(2_000));
    assert_eq!(t.schedule_to_close, Some(60_000));
    check_reported(events, &t, d).unwrap();
    // Later, attempt 2 runs: its bar is open, the axis is now.
    let mut events = retries()[..5].to_vec();
    events.push(at(1_040, heartbeat(Some(2), 1)));
    let t = layout(&events, d, Some(T0 + 1_500)).unwrap();
    let lane = &t.lanes[1];
    assert_eq!(
        (lane.start, lane.end, lane.ended),
        (Some(1_030), None, false)
    );
    assert_eq!(lane.outcome, Outcome::Running);
    assert_eq!(lane.heartbeats, [1_040]);
    assert_eq!(lane.queue_deadline, Some(3_020));
    assert_eq!(t.axis_end, 1_500);
}

#[test]
fn a_crash_ends_in_the_heartbeat_timeout_with_its_heartbeats_on_the_bar() {
    let events = vec![
        scheduled(0),
        at(5, started(1)),
        at(1_000, heartbeat(Some(1), 1)),
        at(2_000, heartbeat(None, 2)),
        at(
            4_000,
            failed(1, timeout(TimeoutType::Heartbeat), 5_000, 1_000),
        ),
        at(5_004, started(2)),
        at(
            5_010,
            EventKind::Completed {
                attempt: 2,
                result: None,
            },
        ),
    ];
    let t = closed(&events);
    assert_eq!(t.lanes[0].outcome, Outcome::Crashed);
    assert_eq!(t.lanes[0].outcome.label(), "crashed (heartbeat timeout)");
    // The unattributed heartbeat falls within attempt 1's reported run.
    assert_eq!(t.lanes[0].heartbeats, [1_000, 2_000]);
    assert!(t.lanes[1].heartbeats.is_empty());
    assert_eq!(t.lanes[1].outcome, Outcome::Completed);
    check_reported(&events, &t, Deadlines::default()).unwrap();
}

#[test]
fn an_outage_shows_as_a_long_wait_on_the_queue() {
    let events = vec![
        RunEvent::reported(
            Source::Worker,
            Some(T0 - 4),
            EventKind::WorkerOffline {
                task_queue: "q".into(),
                seconds: 3,
            },
        ),
        scheduled(0),
        RunEvent::reported(
            Source::Worker,
            Some(T0 + 2_996),
            EventKind::WorkerOnline {
                task_queue: "q".into(),
            },
        ),
        at(3_010, started(1)),
        at(
            3_020,
            EventKind::Completed {
                attempt: 1,
                result: None,
            },
        ),
    ];
    let t = closed(&events);
    assert_eq!(t.outage, Some((-4, Some(2_996))));
    assert_eq!(t.lanes[0].queued, Some(Span { from: 0, to: 3_010 }));
    assert_eq!(hops(&events, &t, None).poll_ms, [(1, 3_010)]);
    check_reported(&events, &t, Deadlines::default()).unwrap();
}

#[test]
fn a_cancel_request_has_no_time_only_the_window_it_lies_in() {
    let events = vec![
        scheduled(0),
        at(5, started(1)),
        at(3_000, heartbeat(Some(1), 3)),
        RunEvent::reported(
            Source::Server,
            None,
            EventKind::CancelRequested {
                reason: "from the page".into(),
            },
        ),
        at(
            3_900,
            EventKind::Canceled {
                attempt: 1,
                phase: AttemptPhase::Running,
            },
        ),
    ];
    let t = closed(&events);
    let m = t.markers[0];
    assert_eq!(m.kind, MarkerKind::CancelRequested);
    assert_eq!(
        (m.at, m.window),
        (
            None,
            Span {
                from: 3_000,
                to: 3_900
            }
        )
    );
    assert_eq!(t.lanes[0].outcome, Outcome::Canceled);
    assert_eq!(t.lanes[0].end, Some(3_900));
    check_reported(&events, &t, Deadlines::default()).unwrap();
}

#[test]
fn a_timeout_during_backoff_cuts_it_and_the_next_attempt_never_runs() {
    let events = vec![
        scheduled(0),
        at(5, started(1)),
        at(10, failed(1, app_error("E"), 4_010, 4_000)),
        at(
            2_000,
            EventKind::TimedOut {
                attempt: 2,
                phase: AttemptPhase::Waiting,
                failure: Some(timeout(TimeoutType::ScheduleToClose)),
                retry_state: Some(RetryState::Timeout),
            },
        ),
    ];
    let t = closed(&events);
    assert_eq!(t.axis_end, 2_000);
    assert_eq!(
        t.backoffs[0].span,
        Span {
            from: 10,
            to: 4_010
        }
    );
    assert_eq!(t.backoffs[0].cut_at, Some(2_000));
    let lane = &t.lanes[1];
    assert!(!lane.started && lane.start.is_none() && lane.queued.is_none());
    assert_eq!(
        lane.outcome,
        Outcome::TimedOut(TimeoutType::ScheduleToClose)
    );
    assert!(hops(&events, &t, None).execute_ms == [(1, 5)]);
    check_reported(&events, &t, Deadlines::default()).unwrap();
}

#[test]
fn inferred_attempts_get_a_window_and_no_times() {
    // Followed after a reload: Temporal keeps only the latest start and failure.
    let events = vec![
        scheduled(0),
        inferred(EventKind::AttemptStarted {
            attempt: 1,
            worker_identity: None,
        }),
        inferred(EventKind::AttemptFailed {
            attempt: 1,
            failure: None,
            next_attempt_at_ms: None,
            retry_in_ms: None,
        }),
        at(1_030, started(2)),
        at(1_045, failed(2, app_error("E"), 3_045, 2_000)),
        at(3_050, started(3)),
        at(
            3_060,
            EventKind::Failed {
                attempt: 3,
                failure: Some(app_error("E")),
                retry_state: Some(RetryState::MaximumAttemptsReached),
            },
        ),
    ];
    let t = closed(&events);
    let first = &t.lanes[0];
    assert!(first.inferred() && first.started && first.ended);
    assert_eq!((first.start, first.end), (None, None));
    assert_eq!(first.outcome, Outcome::Unknown);
    // Between the scheduling and attempt 2's pickup, nothing more precise.
    assert_eq!(first.window, Span { from: 0, to: 1_030 });
    // No backoff after attempt 1, and no invented queue wait for attempt 2.
    assert_eq!(t.backoffs.len(), 1);
    assert_eq!(t.lanes[1].queued, None);
    assert_eq!(t.lanes[2].outcome, Outcome::Failed(Some("E".into())));
    check_reported(&events, &t, Deadlines::default()).unwrap();
}

#[test]
fn no_axis_before_the_server_reports_the_scheduling() {
    assert_eq!(layout(&[], Deadlines::default(), Some(T0)), None);
}
