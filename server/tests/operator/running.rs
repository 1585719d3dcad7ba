//! A pause of an attempt that is running and heartbeating: Temporal marks it
//! PAUSE_REQUESTED, the SDK stops the activity on its next heartbeat, and
//! the demo's Worker (which asks Temporal why, the Rust SDK 1.1.1 not
//! saying) ends the attempt as `ActivityPaused` at once, long before its
//! heartbeat timeout would have; unpaused, the next attempt completes.

use super::*;

/// Longer than the whole test may take: had the pause to wait for it, the
/// test would see the attempt end only then.
const HEARTBEAT_TIMEOUT_MS: u64 = 40_000;

#[tokio::test]
async fn a_pause_reaches_a_running_attempt_at_its_next_heartbeat() {
    let mut req = request(
        "pause-running",
        FailureScenario::LongRunning { seconds: 4 },
        3,
    );
    req.config.timeout_ms = 60_000;
    req.config.heartbeat_timeout_ms = Some(HEARTBEAT_TIMEOUT_MS);
    let started = start(&req).await;
    read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::Heartbeat { .. }))
    })
    .await;
    let paused = done(send(&started, "pause", Some(json!({"reason": "mid-work"}))).await).await;

    let events: Vec<RunEvent> = read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(&e.kind, EventKind::AttemptFailed { attempt: 1, .. }))
    })
    .await
    .into_iter()
    .map(|(_, e)| e)
    .collect();
    let ended = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::AttemptFailed {
                attempt: 1,
                failure: Some(f),
                ..
            } => Some((e.at_ms.expect("Temporal's end time"), f.clone())),
            _ => None,
        })
        .expect("attempt 1's failure, as Temporal reports it");
    assert_eq!(
        ended.1.error_type.as_deref(),
        Some("ActivityPaused"),
        "{:?}",
        ended.1
    );
    assert!(
        ended.0 - paused.at_ms < i64::try_from(HEARTBEAT_TIMEOUT_MS / 4).unwrap(),
        "the attempt ended {} ms after the pause",
        ended.0 - paused.at_ms
    );
    // The log says the run paused, and the Worker says what its code did.
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Paused { pause: 1, .. }))
    );
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::WorkerReturned { attempt: 1, error: Some(err), .. } if err.contains("ActivityPaused")
    )));
    let info = described(&started);
    assert_eq!(status(&info), PAUSED, "{info:#}");

    // Unpaused, attempt 2 runs through.
    done(send(&started, "unpause", None).await).await;
    let events = run_events(&started).await;
    assert!(
        matches!(
            events.last().map(|e| &e.kind),
            Some(EventKind::Completed { attempt: 2, .. })
        ),
        "{:?}",
        events.last()
    );
}
