//! The Worker role (`--role worker`): which task queues need a Worker, from
//! Temporal's record alone, so Worker processes need nothing from the web
//! replicas. Every pass lists the demo's open standalone runs and its open
//! Workflows (their activity's queue is in the memo their start wrote) and
//! makes sure a Worker polls each queue, except one in a simulated outage:
//! a queue with an open run whose scenario (its Header; a Workflow's memo)
//! is the outage is left alone until that run's scheduled time plus the
//! outage. The default queue and the Workflow queue are polled from the
//! start; a run on another queue waits for the next pass (visibility is
//! eventually consistent: about a second on the dev server).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use proto::FailureScenario;

use crate::gateway::{GatewayError, OpenRun};
use crate::service::AppState;
use crate::unix_ms;

/// How often the record is read.
pub const PASS_EVERY: Duration = Duration::from_secs(1);

/// What one pass decided for a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A Worker polls it.
    Poll,
    /// Left alone until this time (Unix ms): an outage is on.
    HoldUntil(i64),
}

/// When the outage `scenario` of a run scheduled at `scheduled_ms` ends;
/// `None`: it is not an outage (or has no time to count from).
fn outage_end(scenario: Option<FailureScenario>, scheduled_ms: Option<i64>) -> Option<i64> {
    match scenario? {
        FailureScenario::Outage { seconds } => Some(scheduled_ms? + i64::from(seconds) * 1_000),
        _ => None,
    }
}

/// What each queue of `runs` needs at `now_ms`: polled, unless an open
/// run on it is in an outage that has not ended.
pub fn decide(runs: &[OpenRun], now_ms: i64) -> HashMap<String, Decision> {
    let mut out: HashMap<String, Decision> = HashMap::new();
    for run in runs.iter().filter(|r| !r.task_queue.is_empty()) {
        let held = outage_end(run.scenario, run.scheduled_ms).filter(|end| *end > now_ms);
        let entry = out.entry(run.task_queue.clone()).or_insert(Decision::Poll);
        if let Some(end) = held {
            *entry = match *entry {
                Decision::HoldUntil(e) if e >= end => Decision::HoldUntil(e),
                _ => Decision::HoldUntil(end),
            };
        }
    }
    out
}

/// Reads the record every [`PASS_EVERY`] and keeps the pool in step, until
/// the process ends.
pub async fn run(state: AppState) {
    // The scenario of each standalone run seen, read once from its Header.
    let mut scenarios: HashMap<(String, String), Option<FailureScenario>> = HashMap::new();
    let mut tick = tokio::time::interval(PASS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = pass(&state, &mut scenarios).await {
            tracing::debug!(error = %e, "could not read which queues need a Worker");
        }
    }
}

async fn pass(
    state: &AppState,
    scenarios: &mut HashMap<(String, String), Option<FailureScenario>>,
) -> Result<(), GatewayError> {
    let polled: HashSet<String> = state.workers.queues().into_iter().collect();
    let mut runs = state.gateway.open_runs().await?;
    for run in &mut runs {
        // A queue polled already needs no scenario: no outage began on it
        // (a web replica refuses one on a polled queue).
        if polled.contains(&run.task_queue) {
            continue;
        }
        let key = (run.id.clone(), run.run_id.clone());
        if !scenarios.contains_key(&key) {
            // A plain describe: the tracker's snapshot carries the Header's scenario.
            let scenario = match state
                .gateway
                .describe(&run.id, &run.run_id, Vec::new())
                .await
            {
                Ok(answer) => answer.and_then(|(snapshot, _)| snapshot.scenario),
                // Deleted since it was listed: nothing to hold for.
                Err(GatewayError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            scenarios.insert(key.clone(), scenario);
        }
        run.scenario = scenarios.get(&key).copied().flatten();
    }
    let open: HashSet<(String, String)> = runs
        .iter()
        .map(|r| (r.id.clone(), r.run_id.clone()))
        .collect();
    scenarios.retain(|k, _| open.contains(k));
    runs.extend(state.gateway.open_workflows().await?);
    let now = unix_ms(SystemTime::now());
    for (queue, decision) in decide(&runs, now) {
        if decision == Decision::Poll
            && !polled.contains(&queue)
            && let Err(e) = state.workers.ensure(&queue).await
        {
            tracing::warn!(task_queue = %queue, error = %e, "no Worker for a queue with open runs");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(queue: &str, scenario: Option<FailureScenario>, scheduled_ms: i64) -> OpenRun {
        OpenRun {
            id: "a".to_owned(),
            run_id: "r".to_owned(),
            task_queue: queue.to_owned(),
            scheduled_ms: Some(scheduled_ms),
            scenario,
        }
    }

    #[test]
    fn an_outage_holds_its_queue_until_it_ends_and_no_longer() {
        let outage = Some(FailureScenario::Outage { seconds: 5 });
        let runs = [
            run("q1", None, 0),
            run("q2", outage, 1_000),
            run("q2", None, 2_000),
            run("q3", outage, 0),
        ];
        let d = decide(&runs, 4_000);
        assert_eq!(d["q1"], Decision::Poll);
        assert_eq!(d["q2"], Decision::HoldUntil(6_000));
        // q3's outage ended at 5 s.
        assert_eq!(decide(&runs, 5_000)["q3"], Decision::Poll);
        assert_eq!(decide(&runs, 6_000)["q2"], Decision::Poll);
    }

    #[test]
    fn the_latest_outage_on_a_queue_wins() {
        let runs = [
            run("q", Some(FailureScenario::Outage { seconds: 10 }), 0),
            run("q", Some(FailureScenario::Outage { seconds: 2 }), 1_000),
        ];
        assert_eq!(decide(&runs, 500)["q"], Decision::HoldUntil(10_000));
    }
}
