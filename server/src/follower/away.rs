//! What both followers (describe and Event History) do while Temporal is
//! away: announce an outage once in the log (a Client line: a fact about
//! the demo's connection), back off with jitter between tries, announce
//! its end when Temporal answers again, and after [`Follow::lost_after`]
//! without an answer declare the run lost from view, naming it.

use std::time::Instant;

use proto::EventKind;

use super::{Follow, backoff, client_line};
use crate::gateway::GatewayError;
use crate::runs::Run;

/// One follower's view of Temporal's availability.
pub struct Away<'a> {
    run: &'a Run,
    address: String,
    how: Follow,
    /// The run as the lost line names it ("the run (activity id ..)").
    named: String,
    /// Calls failed in a row.
    failures: u32,
    /// Outages announced so far.
    outages: u32,
    /// The outage the log announced and has not yet seen end.
    announced: Option<u32>,
    /// Since when calls fail.
    failing_since: Option<Instant>,
}

/// What the follower does after a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Ask again (the backoff has been waited).
    Retry,
    /// Stop: the log's last line says the run is lost from view.
    Stop,
}

impl<'a> Away<'a> {
    /// For `run`, followed at `address`, named `named` in a lost line.
    pub fn new(run: &'a Run, address: &str, how: Follow, named: String) -> Away<'a> {
        Away {
            run,
            address: address.to_owned(),
            how,
            named,
            failures: 0,
            outages: 0,
            announced: None,
            failing_since: None,
        }
    }

    /// Temporal answered. True when that ends an outage the log announced
    /// (the run's Worker may need to poll again).
    pub fn answered(&mut self) -> bool {
        self.failing_since = None;
        self.failures = 0;
        let Some(outage) = self.announced.take() else {
            return false;
        };
        client_line(
            self.run,
            EventKind::TemporalReachable {
                address: self.address.clone(),
                outage,
            },
        );
        true
    }

    /// A call failed with `error`: the outage is announced once, the run
    /// declared lost after [`Follow::lost_after`], else the backoff waited.
    pub async fn failed(&mut self, error: &GatewayError) -> Next {
        let key = &self.run.key;
        tracing::warn!(id = %key.activity_id, run_id = %key.run_id, %error, "following failed");
        let since = *self.failing_since.get_or_insert_with(Instant::now);
        if self.announced.is_none() && matches!(error, GatewayError::Unreachable { .. }) {
            self.outages += 1;
            self.announced = Some(self.outages);
            client_line(
                self.run,
                EventKind::TemporalUnreachable {
                    address: self.address.clone(),
                    outage: self.outages,
                },
            );
        }
        if since.elapsed() >= self.how.lost_after {
            client_line(
                self.run,
                EventKind::Lost {
                    message: format!(
                        "Temporal at {} did not answer for {} s; {} may still go on in Temporal",
                        self.address,
                        self.how.lost_after.as_secs(),
                        self.named
                    ),
                },
            );
            return Next::Stop;
        }
        // Back off before asking an unavailable server again.
        tokio::time::sleep(backoff(self.failures)).await;
        self.failures += 1;
        Next::Retry
    }
}
