//! Every failure scenario, for real: the Worker really fails, stalls, goes
//! silent or is away, and each run ends exactly as the Temporal Server
//! decides. Each test asserts Temporal's own final description and the SSE
//! event sequence.

mod common;

use common::*;
use proto::{AttemptPhase, EventKind, FailureScenario, Field, RunEvent, TimeoutType};
use sa_demo_server::tracker::Status;

fn failed_attempt(events: &[RunEvent], n: u32) -> Option<&proto::FailureInfo> {
    events.iter().find_map(|e| match &e.kind {
        EventKind::AttemptFailed {
            attempt,
            failure: Some(failure),
            ..
        } if *attempt == n => Some(failure),
        _ => None,
    })
}

#[tokio::test]
async fn crash_is_caught_by_the_heartbeat_timeout_and_resumed() {
    let mut req = request("crash", FailureScenario::Crash { attempts: 1 }, 3);
    req.config.timeout_ms = 30_000;
    req.config.heartbeat_timeout_ms = Some(2_000);
    let started = start(&req).await;
    let events = run_events(&started).await;
    let failure = failed_attempt(&events, 1).expect("attempt 1 failed");
    assert_eq!(failure.timeout, Some(TimeoutType::Heartbeat), "{events:#?}");
    // Attempt 2 resumes from the progress attempt 1 heartbeated (3 steps):
    // every step it reports is past them.
    let steps: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Heartbeat {
                attempt: Some(2),
                details: Some(d),
                ..
            } => serde_json::from_str::<serde_json::Value>(d).ok()?["step"].as_u64(),
            _ => None,
        })
        .collect();
    assert!(!steps.is_empty(), "attempt 2 heartbeats");
    assert!(steps.iter().all(|s| *s > 3), "{steps:?}");
    // The crashed attempt never reported back, as a dead process could not.
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::WorkerReturned { attempt: 1, .. }))
    );
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 2, .. }
    ));
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Completed, 2));
}

#[tokio::test]
async fn last_attempt_crash_times_out_on_heartbeat() {
    let mut req = request("crash-final", FailureScenario::Crash { attempts: 1 }, 1);
    req.config.heartbeat_timeout_ms = Some(1_000);
    let started = start(&req).await;
    let events = run_events(&started).await;
    match &events.last().expect("events").kind {
        EventKind::TimedOut {
            attempt,
            phase,
            failure: Some(failure),
            ..
        } => {
            assert_eq!((*attempt, *phase), (1, AttemptPhase::Running));
            assert_eq!(failure.timeout, Some(TimeoutType::Heartbeat));
        }
        other => panic!("expected a heartbeat timeout, got {other:?}"),
    }
    assert_eq!(describe(&started).await.status, Status::TimedOut);
}

#[tokio::test]
async fn last_attempt_too_slow_times_out_start_to_close() {
    let mut req = request("slow-final", FailureScenario::TooSlow { attempts: 1 }, 1);
    req.config.timeout_ms = 1_000;
    let started = start(&req).await;
    let events = run_events(&started).await;
    assert!(matches!(
        &events.last().expect("events").kind,
        EventKind::TimedOut { attempt: 1, failure: Some(failure), .. } if failure.timeout == Some(TimeoutType::StartToClose)
    ));
    assert_eq!(describe(&started).await.status, Status::TimedOut);
}

#[tokio::test]
async fn outage_task_waits_on_the_queue_then_runs() {
    let mut req = request("outage", FailureScenario::Outage { seconds: 2 }, 1);
    req.config.task_queue = unique("outage-queue");
    let started = start(&req).await;
    let events = run_events(&started).await;
    let at = |pred: &dyn Fn(&EventKind) -> bool| {
        events
            .iter()
            .find(|e| pred(&e.kind))
            .unwrap_or_else(|| panic!("missing event in {:?}", names(&events)))
            .at_ms
            .expect("a reported time")
    };
    let offline = at(&|k| matches!(k, EventKind::WorkerOffline { .. }));
    let online = at(&|k| matches!(k, EventKind::WorkerOnline { .. }));
    let picked = at(&|k| matches!(k, EventKind::AttemptStarted { attempt: 1, .. }));
    assert!(
        online - offline >= 2_000,
        "outage lasted {} ms",
        online - offline
    );
    assert!(
        picked >= online - 50,
        "picked up before the Worker came back"
    );
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 1, .. }
    ));
}

#[tokio::test]
async fn outage_longer_than_schedule_to_start_times_out() {
    let mut req = request("outage-timeout", FailureScenario::Outage { seconds: 3 }, 1);
    req.config.task_queue = unique("outage-queue");
    req.config.schedule_to_start_timeout_ms = Some(1_000);
    let started = start(&req).await;
    let events = run_events(&started).await;
    assert!(
        matches!(
            &events.last().expect("events").kind,
            EventKind::TimedOut { failure: Some(failure), phase: AttemptPhase::Waiting, .. }
                if failure.timeout == Some(TimeoutType::ScheduleToStart)
        ),
        "{events:#?}"
    );
    assert_eq!(describe(&started).await.status, Status::TimedOut);
}

#[tokio::test]
async fn outage_of_a_shared_queue_is_refused() {
    let req = request("outage-shared", FailureScenario::Outage { seconds: 2 }, 1);
    let resp = post_run(&req).await;
    assert_eq!(resp.status(), 422);
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert_eq!(err.fields[0].field, Field::TaskQueue);
}

#[tokio::test]
async fn cancel_reaches_the_heartbeating_activity() {
    let mut req = request("cancel", FailureScenario::LongRunning { seconds: 30 }, 1);
    req.config.timeout_ms = 60_000;
    req.config.heartbeat_timeout_ms = Some(10_000);
    let started = start(&req).await;
    // Wait until the activity is really working (a heartbeat reached the server).
    let before = read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::Heartbeat { .. }))
    })
    .await;
    assert!(!before.last().expect("events").1.kind.is_terminal());
    assert_eq!(act(&started, "cancel").await, 202);
    let events = run_events(&started).await;
    assert_well_formed(&events);
    let requested = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::CancelRequested { .. }))
        .expect("cancel requested");
    // Temporal does not say when a cancel was requested: no time is made up.
    assert_eq!(requested.at_ms, None);
    let canceled = events.last().expect("events");
    assert!(
        matches!(
            canceled.kind,
            EventKind::Canceled {
                attempt: 1,
                phase: AttemptPhase::Running
            }
        ),
        "{events:#?}"
    );
    // The Worker's code saw the cancellation and stopped (30 s of work
    // would otherwise have completed).
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::WorkerReturned { error: Some(err), .. } if err.contains("cancel")
    )));
    assert_eq!(describe(&started).await.status, Status::Canceled);
}

#[tokio::test]
async fn use_existing_attaches_to_the_running_run() {
    let mut req = request(
        "use-existing",
        FailureScenario::LongRunning { seconds: 30 },
        1,
    );
    req.config.timeout_ms = 60_000;
    let first = start(&req).await;
    req.config.id_conflict_policy = proto::IdConflictPolicy::UseExisting;
    let second = start(&req).await;
    assert_eq!(second.run_id, first.run_id);
    assert!(!second.started);
    assert_eq!(act(&first, "terminate").await, 202);
    let events = run_events(&first).await;
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Terminated { .. }
    ));
}

#[tokio::test]
async fn the_real_run_matches_the_forecast() {
    let mut req = request("forecast", FailureScenario::FailFirst { attempts: 2 }, 4);
    req.config.retry.initial_interval_ms = 500;
    req.config.retry.backoff_coefficient = 3.0;
    let predicted = proto::forecast::forecast(&req.config, req.scenario);
    let started = start(&req).await;
    let events = run_events(&started).await;
    let backoffs: Vec<u64> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::AttemptFailed { retry_in_ms, .. } => retry_in_ms,
            _ => None,
        })
        .collect();
    assert_eq!(
        backoffs, predicted.backoffs_ms,
        "server backoff vs forecast"
    );
    assert_eq!(backoffs, [500, 1_500]);
    let d = describe(&started).await;
    assert_eq!(d.attempt, predicted.attempts);
    assert_eq!(predicted.outcome, proto::RunStatus::Completed);
    assert_eq!(d.status, Status::Completed);
}

#[tokio::test]
async fn use_existing_reports_a_run_started_elsewhere_as_not_started() {
    let mut req = request(
        "use-existing-elsewhere",
        FailureScenario::LongRunning { seconds: 30 },
        1,
    );
    req.config.timeout_ms = 60_000;
    // Started by another client: this server has never seen the run.
    let run_id = temporal()
        .await
        .start(&req, "another-client")
        .await
        .expect("started directly")
        .run_id;
    req.config.id_conflict_policy = proto::IdConflictPolicy::UseExisting;
    let attached = start(&req).await;
    assert_eq!(attached.run_id, run_id);
    assert!(!attached.started, "UseExisting attached to the running run");
    assert_eq!(act(&attached, "terminate").await, 202);
    let events = run_events(&attached).await;
    // The log tells what this server really did: its start request came
    // back with the run already going (scheduled earlier, by the other client).
    let log = assert_well_formed(&events);
    assert_eq!(log[0].id, "scheduled");
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::StartRequested { started: false, .. }))
    );
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Terminated { .. }
    ));
}

#[tokio::test]
async fn terminate_during_backoff_never_shows_an_unstarted_attempt() {
    let mut req = request(
        "terminate-backoff",
        FailureScenario::FailFirst { attempts: 3 },
        5,
    );
    req.config.retry.initial_interval_ms = 8_000;
    let started = start(&req).await;
    // Wait for attempt 1's failure: the run is now in its 8 s backoff.
    read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::AttemptFailed { attempt: 1, .. }))
    })
    .await;
    assert_eq!(act(&started, "terminate").await, 202);
    let events = run_events(&started).await;
    assert_well_formed(&events);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::AttemptStarted { attempt: 2, .. })),
        "{:?}",
        ids(&events)
    );
    assert!(
        matches!(
            events.last().expect("events").kind,
            EventKind::Terminated {
                attempt: 2,
                phase: AttemptPhase::Waiting,
                ..
            }
        ),
        "{events:#?}"
    );
    // Temporal's record agrees: attempt 2 was scheduled, never started.
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Terminated, 2));
    assert!(d.last_started_ms <= d.last_attempt_complete_ms);
}
