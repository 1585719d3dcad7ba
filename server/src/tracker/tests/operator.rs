//! The tracker over recordings of operator commands on a real dev server:
//! pauses and resets in a backoff and while running, and changed options.

use super::*;

/// The ids of a recording made with `temporal activity describe -o json`
/// (payloads decoded, so details and results are not read here).
fn cli_log(name: &str) -> (Vec<String>, Vec<RunEvent>) {
    log(&recording(name))
}

#[test]
fn a_pause_in_a_backoff_holds_the_next_attempt_until_the_unpause() {
    let (ids, events) = cli_log("pause_backoff");
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started",
            "a1-failed",
            "pause-1?",
            "unpause-1?",
            "a2-started",
            "a2-failed",
            "a3-started",
            "end"
        ]
    );
    // Temporal does not say when it paused or unpaused: no times.
    assert_eq!(
        events[3].kind,
        EventKind::Paused {
            pause: 1,
            attempt: 2
        }
    );
    // Attempt 2 started after the unpause, later than its backoff said.
    let snaps = recording("pause_backoff");
    let planned = snaps[0].next_attempt_ms.expect("a backoff");
    assert!(events[5].at_ms.expect("a start") > planned + 2_000);
}

#[test]
fn a_pause_reaches_a_running_attempt_on_its_next_heartbeat() {
    let (ids, events) = cli_log("pause_running");
    let at = |id: &str| ids.iter().position(|i| i == id).expect(id);
    // Requested while attempt 1 ran; the attempt then ended as paused.
    assert!(at("pause-1?") < at("a1-failed"));
    assert!(at("a1-failed") < at("unpause-1?") && at("unpause-1?") < at("a2-started"));
    assert!(matches!(
        &events[at("a1-failed")].kind,
        EventKind::AttemptFailed { failure: Some(f), .. } if f.error_type.as_deref() == Some("ActivityPaused")
    ));
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::Completed { attempt: 2, .. })
    ));
}

#[test]
fn a_reset_in_a_backoff_starts_a_new_round_of_attempts() {
    let (ids, events) = cli_log("reset_backoff");
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started",
            "a1-failed",
            "a2-started",
            "a2-failed",
            "reset-1?",
            "r1-a1-started",
            "r1-a1-failed",
            "r1-a2-started",
            "r1-a2-failed",
            "r1-a3-started",
            "end"
        ]
    );
    assert_eq!(
        events[5].kind,
        EventKind::AttemptsReset {
            round: 1,
            from_attempt: 3
        }
    );
    // Round 1's lines are numbered from 1 again, and say their round.
    assert!(events[6..].iter().all(|e| e.round == 1));
    assert!(events[..5].iter().all(|e| e.round == 0));
}

#[test]
fn a_reset_of_a_running_attempt_ends_it_in_the_old_round() {
    // Temporal keeps calling it attempt 1: only the new start shows the reset.
    let (ids, events) = cli_log("reset_running");
    let at = |id: &str| ids.iter().position(|i| i == id).expect(id);
    assert!(at("a1-started") < at("a1-failed"));
    assert!(at("a1-failed") < at("reset-1?") && at("reset-1?") < at("r1-a1-started"));
    assert_eq!(events[at("a1-failed")].round, 0);
    assert!(matches!(
        &events[at("a1-failed")].kind,
        EventKind::AttemptFailed { failure: Some(f), .. } if f.error_type.as_deref() == Some("ActivityStopped")
    ));
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::Completed { attempt: 1, .. })
    ));
}

#[test]
fn the_first_options_are_the_start_and_a_difference_is_a_change() {
    let snaps = recording("fail2");
    let mut t = Tracker::default();
    t.observe(&snaps[0]);
    let mut updated = snaps[1].clone();
    updated.options.start_to_close_ms = Some(30_000);
    let out = t.observe(&updated);
    assert!(out.iter().any(|e| matches!(
        &e.kind,
        EventKind::OptionsChanged { change: 1, options } if options.start_to_close_ms == Some(30_000)
    )));
    // The same options again are no change.
    assert!(
        !t.observe(&updated)
            .iter()
            .any(|e| matches!(e.kind, EventKind::OptionsChanged { .. }))
    );
}
