//! The run follower: one task per followed run that long-polls
//! `DescribeActivityExecution` (never a busy loop) and appends what changed to
//! the run's log, until the run closes.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use proto::{EventKind, Source};
use temporalio_client::tonic;

use crate::gateway::Gateway;
use crate::runs::Run;
use crate::tracker::Tracker;
use crate::unix_ms;

/// Consecutive failed describe calls tolerated before giving up.
const MAX_ERRORS: u32 = 8;

/// Follows `run` until it closes; events go to its log.
pub async fn follow(gateway: Gateway, run: Arc<Run>) {
    let key = run.key.clone();
    let mut tracker = Tracker::default();
    let mut token = Vec::new();
    let mut errors = 0;
    while !tracker.is_done() {
        match gateway
            .describe(&key.activity_id, &key.run_id, token.clone())
            .await
        {
            Ok(Some((snapshot, next))) => {
                errors = 0;
                if tracker.is_done() {
                    break;
                }
                for (at, kind) in tracker.observe(&snapshot, unix_ms(SystemTime::now())) {
                    run.push(Source::Server, at, kind);
                }
                token = next;
            }
            // The long poll ended without a change: ask again with the same token.
            Ok(None) => {}
            Err(status) if status.code() == tonic::Code::NotFound => {
                run.push(
                    Source::Server,
                    unix_ms(SystemTime::now()),
                    EventKind::Lost {
                        message: format!("Temporal no longer knows this run: {}", status.message()),
                    },
                );
                return;
            }
            Err(status) => {
                errors += 1;
                tracing::warn!(activity_id = %key.activity_id, run_id = %key.run_id, error = %status, "describe failed");
                if errors >= MAX_ERRORS {
                    run.push(
                        Source::Server,
                        unix_ms(SystemTime::now()),
                        EventKind::Lost {
                            message: format!("Temporal is unreachable: {}", status.message()),
                        },
                    );
                    return;
                }
                // Back off before asking an unavailable server again.
                tokio::time::sleep(Duration::from_millis(250 << errors.min(5))).await;
            }
        }
    }
}
