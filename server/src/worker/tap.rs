//! The Worker's activity interceptor: reports what only the Worker sees (an
//! attempt's code began, how long it ran, its exact error) to the run it
//! belongs to, and counts the attempts running, so a busy Worker is never
//! stopped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

use futures_util::FutureExt;
use proto::{EventKind, RunEvent, Source};
use temporalio_sdk::activities::ActivityError;
use temporalio_sdk::interceptors::{
    ActivityInboundInterceptor, ExecuteActivityInput, ExecuteActivityOutput, Next,
};

use super::activity::CRASH_ERROR_TYPE;
use crate::gateway::TOKEN_HEADER;
use crate::payload::header_json;
use crate::runs::Runs;
use crate::unix_ms;

/// Reports each attempt's start and end to the run it belongs to.
pub struct Tap {
    /// Where the events go.
    pub runs: Arc<Runs>,
    /// Attempts this Worker is running now.
    pub in_flight: Arc<AtomicUsize>,
}

/// Decrements the in-flight count however the attempt ends.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ActivityInboundInterceptor for Tap {
    fn execute_activity<'a>(
        &'a self,
        input: ExecuteActivityInput,
        next: Next<'a, ExecuteActivityInput, ExecuteActivityOutput<'a>>,
    ) -> ExecuteActivityOutput<'a> {
        async move {
            let info = input.activity_info();
            let (activity_id, attempt) = (info.activity_id.clone(), info.attempt);
            let token: Option<String> = header_json(input.headers(), TOKEN_HEADER);
            let report = |kind| {
                let ev = RunEvent::reported(Source::Worker, Some(unix_ms(SystemTime::now())), kind);
                self.runs.worker_event(token.as_deref(), &activity_id, ev);
            };
            report(EventKind::WorkerExecuting { attempt });
            self.in_flight.fetch_add(1, Ordering::AcqRel);
            let _running = InFlight(Arc::clone(&self.in_flight));
            let began = Instant::now();
            let result = next.run(input).await;
            let error = match &result {
                Ok(_) => None,
                Err(ActivityError::Application(f)) => Some(match f.type_name() {
                    Some(t) if !t.is_empty() => format!("{t}: {f}"),
                    _ => f.to_string(),
                }),
                Err(ActivityError::Cancelled { .. }) => Some("canceled".to_owned()),
                Err(other) => Some(format!("{other:?}")),
            };
            // A crashed attempt's process would be gone: it reports nothing.
            let crashed = matches!(&result, Err(ActivityError::Application(f))
                if f.type_name() == Some(CRASH_ERROR_TYPE));
            if crashed {
                return result;
            }
            report(EventKind::WorkerReturned {
                attempt,
                duration_ms: began.elapsed().as_millis() as u64,
                error,
            });
            result
        }
        .boxed()
    }
}
