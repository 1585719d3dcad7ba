//! The event's wire form: serde tags, SSE names and ids.

use super::*;

/// One event of every kind, in declaration order.
fn one_of_each() -> Vec<EventKind> {
    let failure = || FailureInfo {
        message: "boom".into(),
        error_type: Some("Err".into()),
        non_retryable: false,
        timeout: None,
    };
    vec![
        EventKind::StartRequested {
            address: "localhost:7233".into(),
            namespace: "default".into(),
            started: true,
        },
        EventKind::WorkflowStartRequested {
            address: "localhost:7233".into(),
            namespace: "default".into(),
            workflow_type: "GreetingWorkflow".into(),
            started: true,
        },
        EventKind::WorkflowStarted {
            workflow_id: "a".into(),
            run_id: "r".into(),
            workflow_type: "GreetingWorkflow".into(),
            task_queue: "q".into(),
        },
        EventKind::ActivityClosed {
            attempt: 3,
            status: crate::RunStatus::Completed,
            result: Some("\"Hello\"".into()),
            failure: None,
            retry_state: None,
        },
        EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "T".into(),
            task_queue: "q".into(),
            start_delay_ms: None,
            first_attempt_at_ms: None,
        },
        EventKind::AttemptStarted {
            attempt: 1,
            worker_identity: None,
        },
        EventKind::WorkerExecuting { attempt: 1 },
        EventKind::WorkerReturned {
            attempt: 1,
            duration_ms: 5,
            error: None,
        },
        EventKind::Heartbeat {
            attempt: Some(1),
            count: 1,
            details: None,
        },
        EventKind::WorkerOffline {
            task_queue: "q".into(),
            seconds: 3,
        },
        EventKind::WorkerOnline {
            task_queue: "q".into(),
        },
        EventKind::AttemptFailed {
            attempt: 1,
            failure: Some(failure()),
            next_attempt_at_ms: Some(9),
            retry_in_ms: Some(1_000),
        },
        EventKind::CommandSent {
            seq: 1,
            command: crate::Command::Pause { reason: "x".into() },
        },
        EventKind::Paused {
            pause: 1,
            attempt: 2,
        },
        EventKind::Unpaused {
            pause: 1,
            attempt: 2,
        },
        EventKind::AttemptsReset {
            round: 1,
            from_attempt: 3,
        },
        EventKind::OptionsChanged {
            change: 1,
            options: crate::RunOptionsNow::default(),
        },
        EventKind::CancelRequested { reason: "x".into() },
        EventKind::Completed {
            attempt: 1,
            result: None,
        },
        EventKind::Failed {
            attempt: 1,
            failure: Some(failure()),
            retry_state: Some(RetryState::MaximumAttemptsReached),
        },
        EventKind::TimedOut {
            attempt: 1,
            phase: AttemptPhase::Waiting,
            failure: None,
            retry_state: None,
        },
        EventKind::Canceled {
            attempt: 1,
            phase: AttemptPhase::Running,
        },
        EventKind::Terminated {
            attempt: 1,
            phase: AttemptPhase::Unknown,
            reason: None,
        },
        EventKind::TemporalUnreachable {
            address: "a".into(),
            outage: 1,
        },
        EventKind::TemporalReachable {
            address: "a".into(),
            outage: 1,
        },
        EventKind::Lost {
            message: "gone".into(),
        },
    ]
}

/// The variant name serde wrote (externally tagged: the one key).
fn tag(json: &serde_json::Value) -> &str {
    match json {
        serde_json::Value::String(unit) => unit,
        serde_json::Value::Object(map) if map.len() == 1 => map.keys().next().expect("a key"),
        other => panic!("not an externally tagged variant: {other}"),
    }
}

#[test]
fn every_sse_name_is_the_serde_tag_and_is_listed() {
    let kinds = one_of_each();
    // NAMES is derived from the enum, so a new variant lengthens it and
    // this list must follow.
    assert_eq!(
        kinds.len(),
        EventKind::NAMES.len(),
        "a kind is missing here"
    );
    for (kind, listed) in kinds.iter().zip(EventKind::NAMES) {
        let json = serde_json::to_value(kind).expect("json");
        assert_eq!(tag(&json), kind.name(), "{kind:?}");
        assert_eq!(kind.name(), *listed, "NAMES is in declaration order");
        let back: EventKind = serde_json::from_value(json).expect("reads back");
        assert_eq!(&back, kind);
    }
    let mut names = EventKind::NAMES.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), EventKind::NAMES.len(), "names are distinct");
}

#[test]
fn names_match_serde_tags_and_facts_are_stable() {
    let ev = RunEvent::reported(
        Source::Server,
        Some(5),
        EventKind::Completed {
            attempt: 3,
            result: Some("\"Hello, World!\"".into()),
        },
    );
    let json = serde_json::to_value(&ev).unwrap();
    assert_eq!(tag(&json["kind"]), ev.kind.name());
    assert_eq!(json["id"], "end");
    assert!(EventKind::NAMES.contains(&ev.kind.name()));
    assert!(ev.kind.is_terminal());
}

#[test]
fn run_event_round_trips() {
    let ev = RunEvent::inferred(
        Source::Server,
        EventKind::AttemptFailed {
            attempt: 2,
            failure: None,
            next_attempt_at_ms: None,
            retry_in_ms: None,
        },
    );
    let text = serde_json::to_string(&ev).unwrap();
    assert_eq!(serde_json::from_str::<RunEvent>(&text).unwrap(), ev);
    assert_eq!(ev.id, "a2-failed");
    assert_eq!(ev.at_ms, None);
}

#[test]
fn formats_durations() {
    assert_eq!(format_ms(850), "850 ms");
    assert_eq!(format_ms(2_000), "2 s");
    assert_eq!(format_ms(1_500), "1.5 s");
}

#[test]
fn a_history_line_names_its_event_and_an_activity_close_is_not_the_end() {
    let ev = RunEvent::reported(
        Source::Server,
        Some(7),
        EventKind::ActivityClosed {
            attempt: 3,
            status: crate::RunStatus::Completed,
            result: Some("\"Hello\"".into()),
            failure: None,
            retry_state: None,
        },
    )
    .from_history(11);
    let json = serde_json::to_value(&ev).unwrap();
    assert_eq!(json["id"], "activity-closed");
    assert_eq!(json["history_event_id"], 11);
    assert_eq!(json["kind"]["activity_closed"]["status"], "completed");
    assert!(!ev.kind.is_terminal());
    assert_eq!(serde_json::from_value::<RunEvent>(json).unwrap(), ev);
    // A standalone run's lines carry no history event id on the wire.
    let plain = RunEvent::reported(
        Source::Server,
        Some(7),
        EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "T".into(),
            task_queue: "q".into(),
            start_delay_ms: None,
            first_attempt_at_ms: None,
        },
    );
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json.get("history_event_id").is_none(), "{json}");
}
