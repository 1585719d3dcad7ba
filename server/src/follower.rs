//! The run follower: one task per followed run that long-polls
//! `DescribeActivityExecution` (never a busy loop) and appends what the
//! tracker makes of each answer to the run's log, until the run closes.
//!
//! When Temporal cannot be reached the follower says so in the log (a fact
//! about the demo's connection), retries with a capped, jittered backoff,
//! says so again when Temporal answers, and carries on from Temporal's
//! record: the tracker emits exactly what changed meanwhile. Only after
//! [`Follow::lost_after`] without an answer does it declare the run lost
//! from view, naming the run so it can be found in Temporal. A run from a
//! Workflow is followed through its Event History (`workflow`).

mod away;
pub mod workflow;

use std::future::Future;
use std::time::{Duration, SystemTime};

use proto::{EventKind, RunEvent, Source};

use away::{Away, Next};

use crate::gateway::{Gateway, GatewayError};
use crate::runs::Run;
use crate::tracker::Tracker;
use crate::unix_ms;

/// The longest wait between two tries while Temporal does not answer.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How a follower behaves while Temporal is away.
#[derive(Debug, Clone, Copy)]
pub struct Follow {
    /// How long Temporal may stay unreachable before the run is declared
    /// lost from view (`SA_DEMO_LOST_AFTER_SECS`).
    pub lost_after: Duration,
}

impl Default for Follow {
    fn default() -> Self {
        Follow {
            lost_after: Duration::from_secs(600),
        }
    }
}

/// The wait before try number `failures + 1`: 200 ms doubling up to
/// [`MAX_BACKOFF`], less up to a quarter of jitter so many followers do not
/// retry in step.
fn backoff(failures: u32) -> Duration {
    let base = Duration::from_millis(200u64 << failures.min(5)).min(MAX_BACKOFF);
    // Without OS randomness, no jitter: still a correct wait.
    let jitter = getrandom::u32().unwrap_or(0) % 1_000;
    base - base / 4 * jitter / 1_000
}

fn client_line(run: &Run, kind: EventKind) {
    run.push(RunEvent::reported(
        Source::Client,
        Some(unix_ms(SystemTime::now())),
        kind,
    ));
}

/// Follows `run` until it closes; events go to its log. `reattach` runs
/// when Temporal answers again after an outage (to make sure the run's
/// Worker is back).
pub async fn follow<F: Future<Output = ()>>(
    gateway: &Gateway,
    run: &Run,
    how: Follow,
    reattach: impl Fn() -> F,
) {
    let key = &run.key;
    let named = format!(
        "the run (activity id {}, run id {})",
        key.activity_id, key.run_id
    );
    let mut away = Away::new(run, gateway.address(), how, named);
    let mut tracker = Tracker::default();
    let mut token = Vec::new();
    while !tracker.is_done() {
        let answer = gateway
            .describe(&key.activity_id, &key.run_id, token.clone())
            .await;
        let error = match answer {
            Ok(Some((snapshot, next))) => {
                if away.answered() {
                    reattach().await;
                }
                for ev in tracker.observe(&snapshot) {
                    run.push(ev);
                }
                token = next;
                continue;
            }
            // The long poll ended without a change: ask again with the same token.
            Ok(None) if !token.is_empty() => continue,
            Ok(None) => GatewayError::Other("a describe answer without the run".to_owned()),
            Err(GatewayError::NotFound(message)) => {
                client_line(
                    run,
                    EventKind::Lost {
                        message: format!("Temporal no longer knows this run ({message})"),
                    },
                );
                return;
            }
            Err(e) => e,
        };
        // A token from before the outage may mean nothing to a restarted
        // server: start again from a plain describe.
        token.clear();
        if away.failed(&error).await == Next::Stop {
            return;
        }
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
        let waits: std::collections::HashSet<_> = (0..20).map(|_| backoff(5)).collect();
        assert!(waits.len() > 1, "no jitter: {waits:?}");
    }
}
