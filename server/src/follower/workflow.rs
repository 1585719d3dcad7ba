//! The follower of a run from a Workflow: long-polls the Workflow's Event
//! History (`GetWorkflowExecutionHistory` with `wait_new_event`, page after
//! page) and appends what the history tracker makes of each event to the
//! run's log, until the Workflow closed and its last event was read. While
//! Temporal is away it behaves as the activity follower does.

use std::future::Future;

use proto::EventKind;

use super::away::{Away, Next};
use super::{Follow, client_line};
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
    let named = format!(
        "the Workflow (id {}, run id {})",
        key.activity_id, key.run_id
    );
    let mut away = Away::new(run, gateway.address(), how, named);
    let mut tracker = HistoryTracker::new(&key.activity_id, &key.run_id);
    let mut page_token = Vec::new();
    while !tracker.is_done() {
        let answer = gateway
            .history(&key.activity_id, &key.run_id, page_token.clone(), true)
            .await;
        let error = match answer {
            Ok(Some(page)) => {
                if away.answered() {
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
        if away.failed(&error).await == Next::Stop {
            return;
        }
    }
}
