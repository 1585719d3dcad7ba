//! The follower of a run from a Workflow: long-polls the Workflow's Event
//! History (`GetWorkflowExecutionHistory` with `wait_new_event`, page after
//! page) and appends what the history tracker makes of each event to the
//! run's log, until the Workflow closed and its last event was read. While
//! Temporal is away it behaves as the activity follower does.

use std::future::Future;
use std::time::Instant;

use proto::EventKind;

use super::{Follow, backoff, client_line};
use crate::gateway::{Gateway, GatewayError};
use crate::runs::Run;
use crate::tracker::history::HistoryTracker;

/// Follows the Workflow run `run` until its history ends; events go to its
/// log. `reattach` runs when Temporal answers again after an outage.
pub async fn follow<F: Future<Output = ()>>(
    gateway: &Gateway,
    run: &Run,
    how: Follow,
    reattach: impl Fn() -> F,
) {
    let key = &run.key;
    let address = gateway.address().to_owned();
    let mut tracker = HistoryTracker::new(&key.activity_id, &key.run_id);
    let mut page_token = Vec::new();
    let (mut failures, mut outages) = (0, 0);
    let mut announced: Option<u32> = None;
    let mut failing_since: Option<Instant> = None;
    while !tracker.is_done() {
        let answer = gateway
            .history(&key.activity_id, &key.run_id, page_token.clone(), true)
            .await;
        let error = match answer {
            Ok(Some(page)) => {
                failing_since = None;
                failures = 0;
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
                for ev in &page.events {
                    for line in tracker.observe(ev) {
                        run.push(line);
                    }
                }
                if page.next_page_token.is_empty() && !tracker.is_done() {
                    // The history ended without a close event the demo reads.
                    client_line(
                        run,
                        EventKind::Lost {
                            message: "the Workflow's history ended without a close event"
                                .to_owned(),
                        },
                    );
                    return;
                }
                page_token = page.next_page_token;
                continue;
            }
            // The long poll's window ended without a new event.
            Ok(None) => continue,
            Err(GatewayError::NotFound(message)) => {
                client_line(
                    run,
                    EventKind::Lost {
                        message: format!("Temporal no longer knows this Workflow ({message})"),
                    },
                );
                return;
            }
            Err(e) => e,
        };
        tracing::warn!(workflow_id = %key.activity_id, run_id = %key.run_id, error = %error, "history failed");
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
        if since.elapsed() >= how.lost_after {
            client_line(
                run,
                EventKind::Lost {
                    message: format!(
                        "Temporal at {address} did not answer for {} s; the Workflow (id {}, \
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
