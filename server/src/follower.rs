//! The run follower: one task per followed run that long-polls
//! `DescribeActivityExecution` (never a busy loop) and appends what the
//! tracker makes of each answer to the run's log, until the run closes.
//! While Temporal does not answer it retries with a capped, jittered
//! backoff, and declares the run lost from view only after [`LOST_AFTER`].

use std::time::{Duration, Instant, SystemTime};

use proto::{EventKind, RunEvent, Source};

use crate::gateway::{Gateway, GatewayError};
use crate::runs::Run;
use crate::tracker::Tracker;
use crate::unix_ms;

/// How long Temporal may stay unreachable before the follower gives up.
pub const LOST_AFTER: Duration = Duration::from_secs(120);
/// The longest wait between two tries while Temporal does not answer.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The wait before try number `failures + 1`: 200 ms doubling up to
/// [`MAX_BACKOFF`], less up to a quarter of jitter so many followers do not
/// retry in step.
fn backoff(failures: u32) -> Duration {
    let base = Duration::from_millis(200u64 << failures.min(5)).min(MAX_BACKOFF);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    base - base / 4 * (nanos % 1_000) / 1_000
}

fn lost(run: &Run, message: String) {
    run.push(RunEvent::reported(
        Source::Client,
        Some(unix_ms(SystemTime::now())),
        EventKind::Lost { message },
    ));
}

/// Follows `run` until it closes; events go to its log.
pub async fn follow(gateway: &Gateway, run: &Run) {
    let key = &run.key;
    let mut tracker = Tracker::default();
    let mut token = Vec::new();
    let mut failures = 0;
    let mut failing_since: Option<Instant> = None;
    while !tracker.is_done() {
        let answer = gateway
            .describe(&key.activity_id, &key.run_id, token.clone())
            .await;
        let error = match answer {
            Ok(Some((snapshot, next))) => {
                failures = 0;
                failing_since = None;
                for ev in tracker.observe(&snapshot) {
                    run.push(ev);
                }
                token = next;
                continue;
            }
            // The long poll ended without a change: ask again with the same token.
            Ok(None) if !token.is_empty() => continue,
            Ok(None) => None,
            Err(GatewayError::NotFound(message)) => {
                lost(
                    run,
                    format!("Temporal no longer knows this run ({message})"),
                );
                return;
            }
            Err(e) => Some(e),
        };
        let since = *failing_since.get_or_insert_with(Instant::now);
        if let Some(e) = &error {
            tracing::warn!(activity_id = %key.activity_id, run_id = %key.run_id, error = %e, "describe failed");
        }
        if since.elapsed() >= LOST_AFTER {
            lost(
                run,
                format!(
                    "Temporal at {} did not answer for {} s; the run (activity id {}, run id {}) \
                     may still go on in Temporal",
                    gateway.address(),
                    LOST_AFTER.as_secs(),
                    key.activity_id,
                    key.run_id
                ),
            );
            return;
        }
        // Back off before asking an unavailable server again.
        tokio::time::sleep(backoff(failures)).await;
        failures += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_caps_with_jitter() {
        assert!(backoff(0) <= Duration::from_millis(200));
        assert!(backoff(0) >= Duration::from_millis(150));
        assert!(backoff(2) > backoff(0));
        for n in [5, 9, 40] {
            assert!(backoff(n) <= MAX_BACKOFF && backoff(n) >= MAX_BACKOFF * 3 / 4);
        }
    }
}
