//! New options reach the next attempt: a start-to-close shortened during a
//! backoff is the deadline the next attempt really runs under. Attempt 1 of
//! a too-slow run times out at the start's 8 s; attempt 2, after the update,
//! at the new 2 s — both as Temporal's record times them.

use super::*;

/// The start-to-close the run starts with.
const STARTED_WITH_MS: i64 = 8_000;
/// The one the update sets.
const UPDATED_TO_MS: u64 = 2_000;

/// Attempt `a`'s start and end, as the stream reports them.
fn ran(events: &[RunEvent], a: u32) -> (i64, i64) {
    let start = events.iter().find_map(|e| match e.kind {
        EventKind::AttemptStarted { attempt, .. } if attempt == a => e.at_ms,
        _ => None,
    });
    let end = events.iter().find_map(|e| match &e.kind {
        EventKind::AttemptFailed { attempt, .. } if *attempt == a => e.at_ms,
        EventKind::TimedOut { attempt, .. } if *attempt == a => e.at_ms,
        _ => None,
    });
    (
        start.expect("a reported start"),
        end.expect("a reported end"),
    )
}

#[tokio::test]
async fn a_shorter_start_to_close_is_the_next_attempts_deadline() {
    let mut req = request(
        "update-deadline",
        FailureScenario::TooSlow { attempts: 3 },
        3,
    );
    req.config.timeout_ms = STARTED_WITH_MS as u64;
    req.config.retry.initial_interval_ms = 4_000;
    let started = start(&req).await;
    let events = until_failed(&started, 1).await;
    let (s1, e1) = ran(&events, 1);
    assert!(e1 - s1 >= STARTED_WITH_MS, "attempt 1 ran {} ms", e1 - s1);

    // In the backoff: the next attempt is the first to get the new options.
    let body = json!({ "start_to_close_ms": UPDATED_TO_MS });
    done(send(&started, "update-options", Some(body)).await).await;
    let events = until_failed(&started, 2).await;
    let (s2, e2) = ran(&events, 2);
    let took = e2 - s2;
    let limit = i64::try_from(UPDATED_TO_MS).unwrap();
    assert!(
        (limit..STARTED_WITH_MS).contains(&took),
        "attempt 2 ran {took} ms: not under the new {limit} ms deadline"
    );
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::OptionsChanged { options, .. } if options.start_to_close_ms == Some(UPDATED_TO_MS)
    )));
    assert_eq!(act(&started, "terminate").await, 202);
}
