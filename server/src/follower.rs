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

pub mod workflow;

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use proto::{EventKind, RunEvent, Source};

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
    let address = gateway.address().to_owned();
    let mut tracker = Tracker::default();
    let mut token = Vec::new();
    let mut failures = 0;
    let mut outages = 0;
    // The outage the log announced and has not yet seen end.
    let mut announced: Option<u32> = None;
    let mut failing_since: Option<Instant> = None;
    while !tracker.is_done() {
        let answer = gateway
            .describe(&key.activity_id, &key.run_id, token.clone())
            .await;
        let error = match answer {
            Ok(Some((snapshot, next))) => {
                failing_since = None;
                if let Some(outage) = announced.take() {
                    client_line(
                        run,
                        EventKind::TemporalReachable {
                            address: address.clone(),
                            outage,
                        },
                    );
                    reattach().await;
                }
                failures = 0;
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
        tracing::warn!(activity_id = %key.activity_id, run_id = %key.run_id, error = %error, "describe failed");
        let since = *failing_since.get_or_insert_with(Instant::now);
        if announced.is_none() && matches!(error, GatewayError::Unreachable { .. }) {
            outages += 1;
            announced = Some(outages);
            client_line(
                run,
                EventKind::TemporalUnreachable {
                    address: address.clone(),
                    outage: outages,
                },
            );
        }
        // A token from before the outage may mean nothing to a restarted
        // server: start again from a plain describe.
        token.clear();
        if since.elapsed() >= how.lost_after {
            client_line(
                run,
                EventKind::Lost {
                    message: format!(
                        "Temporal at {address} did not answer for {} s; the run (activity id {}, \
                         run id {}) may still go on in Temporal",
                        how.lost_after.as_secs(),
                        key.activity_id,
                        key.run_id
                    ),
                },
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
        let waits: std::collections::HashSet<_> = (0..20).map(|_| backoff(5)).collect();
        assert!(waits.len() > 1, "no jitter: {waits:?}");
    }
}
