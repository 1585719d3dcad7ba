//! Event identity across server processes: a second demo server on the same
//! Temporal names the same facts with the same ids, and a browser that loses
//! its server mid-run resumes on a fresh one (same Temporal state) with
//! `Last-Event-ID`: nothing skipped, nothing repeated.

mod common;

use std::collections::HashSet;

use common::*;
use proto::{EventKind, FailureScenario, RunEvent, Source};

fn server_ids(events: &[RunEvent]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.source == Source::Server)
        .map(|e| e.id.clone())
        .collect()
}

#[tokio::test]
async fn two_servers_give_the_same_run_the_same_ids() {
    let other = app().another();
    let mut req = request("two-servers", FailureScenario::FailFirst { attempts: 2 }, 3);
    req.config.retry.initial_interval_ms = 300;
    let started = start(&req).await;
    // Both follow the same run, each from its own process state.
    let (here, there) = tokio::join!(
        read_from(&app().base, &started, None, |_| false),
        read_from(&other.base, &started, None, |_| false),
    );
    let here: Vec<RunEvent> = here.into_iter().map(|(_, e)| e).collect();
    let there: Vec<RunEvent> = there.into_iter().map(|(_, e)| e).collect();
    // Compared as the page shows them (arrival order may differ).
    let here = assert_well_formed(&here);
    let there = assert_well_formed(&there);
    assert_eq!(server_ids(&here), server_ids(&there));
    assert_eq!(
        server_ids(&here),
        [
            "scheduled",
            "a1-started",
            "a1-failed",
            "a2-started",
            "a2-failed",
            "a3-started",
            "end"
        ]
    );
    // Only the server that started the run reports its start request.
    assert!(matches!(here[0].kind, EventKind::StartRequested { .. }));
    assert!(
        !there
            .iter()
            .any(|e| matches!(e.kind, EventKind::StartRequested { .. }))
    );
    other.shutdown();
}

#[tokio::test]
async fn a_restarted_server_resumes_the_stream_without_gap_or_repeat() {
    // A server of its own, so the test can stop it mid-run.
    let first = app().another();
    let mut req = request("restart", FailureScenario::FailFirst { attempts: 2 }, 3);
    req.config.retry.initial_interval_ms = 2_000;
    req.config.task_queue = unique("restart-queue");
    let started = start_on(&first.base, &req).await;
    // Read until attempt 1 failed (the run now waits out a 2 s backoff),
    // then the server goes away.
    let before = read_from(&first.base, &started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::AttemptFailed { attempt: 1, .. }))
    })
    .await;
    let last_id = before.last().and_then(|(m, _)| m.id.clone()).expect("id");
    first.shutdown();
    // A new process on the same Temporal; the browser reconnects there.
    let second = app().another();
    let after = read_from(&second.base, &started, Some(&last_id), |_| false).await;
    let full = read_from(&second.base, &started, None, |_| false).await;
    second.shutdown();

    let resumed: Vec<RunEvent> = before.into_iter().chain(after).map(|(_, e)| e).collect();
    let full: Vec<RunEvent> = full.into_iter().map(|(_, e)| e).collect();
    // No repeat.
    let mut seen = HashSet::new();
    for ev in &resumed {
        assert!(seen.insert(ev.id.clone()), "{} twice", ev.id);
    }
    // No gap: every fact the new server knows reached the browser.
    for ev in &full {
        assert!(seen.contains(&ev.id), "{} skipped; got {seen:?}", ev.id);
    }
    assert!(matches!(
        resumed.last().expect("events").kind,
        EventKind::Completed { attempt: 3, .. }
    ));
    // Attempts 2 and 3 ran after the restart, on the new server's Worker.
    for n in [2, 3] {
        assert!(resumed.iter().any(|e| matches!(
            &e.kind,
            EventKind::AttemptStarted { attempt, worker_identity: Some(w) } if *attempt == n && !w.is_empty()
        )));
    }
}
