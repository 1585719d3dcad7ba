//! The demo's activity: one greeting implementation registered under every
//! type name a generated snippet uses, really misbehaving as the run's
//! failure scenario (read from the activity Header) says.

use std::time::{Duration, SystemTime};

use proto::scenario::{NON_RETRYABLE_ERROR_TYPE, PROGRESS_STEPS, RETRYABLE_ERROR_TYPE};
use proto::{FailureScenario, SCENARIO_HEADER};
use serde_json::Value;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::activities::{ActivityContext, ActivityError, activities};

use crate::gateway::{Stopped, why_stopped};
use crate::payload::{header_json, payload_json};

/// Error type of a crashed attempt that finally unwinds at its deadline;
/// never reported, as a dead process could not report it.
pub const CRASH_ERROR_TYPE: &str = "SimulatedCrash";

/// Error type of an attempt that ended because the run was paused.
pub const PAUSED_ERROR_TYPE: &str = "ActivityPaused";
/// Error type of an attempt the SDK stopped for another reason than a
/// cancel or a pause (a reset).
pub const STOPPED_ERROR_TYPE: &str = "ActivityStopped";

/// Longest a misbehaving attempt may stall, whatever the timeouts say.
const MAX_STALL: Duration = Duration::from_secs(130);

/// The greeting activity.
pub struct Greeter;

impl Greeter {
    async fn greet(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
        let name = match &input {
            Value::String(s) => s.clone(),
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => s.clone(),
                _ => input.to_string(),
            },
            other => other.to_string(),
        };
        let scenario: FailureScenario =
            header_json(ctx.headers(), SCENARIO_HEADER).unwrap_or_default();
        let info = ctx.info();
        let attempt = info.attempt;
        match scenario {
            FailureScenario::LongRunning { seconds } => {
                // Five heartbeated steps a second.
                let steps = seconds.saturating_mul(5);
                Greeter::work(&ctx, 0, steps, None).await?;
                return Ok(format!("Hello, {name}!"));
            }
            FailureScenario::Crash { .. } => {
                // Resume from the progress the last attempt heartbeated.
                let from = ctx
                    .heartbeat_details()
                    .raw()
                    .first()
                    .and_then(payload_json)
                    .and_then(|v| v.get("step").and_then(Value::as_u64))
                    .map_or(0, |s| s as u32);
                let crash_at = scenario.misbehaves_on(attempt).then_some(from + 3);
                Greeter::work(&ctx, from, PROGRESS_STEPS, crash_at).await?;
                return Ok(format!("Hello, {name}!"));
            }
            _ => {}
        }
        if !scenario.misbehaves_on(attempt) {
            return Ok(format!("Hello, {name}!"));
        }
        match scenario {
            FailureScenario::None
            | FailureScenario::LongRunning { .. }
            | FailureScenario::Crash { .. }
            | FailureScenario::Outage { .. } => Ok(format!("Hello, {name}!")),
            FailureScenario::FailFirst { attempts } => Err(ActivityError::application(
                ApplicationFailure::builder(format!(
                    "simulated failure on attempt {attempt} (the first {attempts} attempts fail)"
                ))
                .type_name(RETRYABLE_ERROR_TYPE.to_owned())
                .build(),
            )),
            FailureScenario::NonRetryable => Err(ActivityError::application(
                ApplicationFailure::builder(format!("the name {name:?} is not accepted"))
                    .type_name(NON_RETRYABLE_ERROR_TYPE.to_owned())
                    .non_retryable(true)
                    .build(),
            )),
            FailureScenario::TooSlow { .. } => {
                // Run past the start-to-close deadline, but stop there instead of
                // running on: the server has already timed this attempt out.
                let stall = info
                    .deadline
                    .and_then(|d| d.duration_since(SystemTime::now()).ok())
                    .map(|d| d + Duration::from_millis(200))
                    .unwrap_or(MAX_STALL)
                    .min(MAX_STALL);
                tokio::select! {
                    () = tokio::time::sleep(stall) => {}
                    _ = ctx.cancelled() => return Err(Greeter::stopped(&ctx).await),
                }
                Err(ActivityError::application(
                    ApplicationFailure::builder("ran past the start-to-close timeout")
                        .type_name("TooSlow".to_owned())
                        .build(),
                ))
            }
        }
    }
}

impl Greeter {
    /// The error that ends an attempt whose context the SDK cancelled: an
    /// acknowledged cancel when Temporal's record says one was requested,
    /// otherwise a retryable failure naming why (a pause, a reset), as the
    /// other SDKs report `ActivityPaused`/`ActivityReset` — Temporal then
    /// ends the attempt at once instead of at its heartbeat timeout.
    async fn stopped(ctx: &ActivityContext) -> ActivityError {
        let info = ctx.info();
        // A Workflow's activity is stopped by its Workflow: a cancel (the
        // demo sends no pause or reset to one). The standalone record the
        // describe below reads does not exist for it. (A standalone
        // activity's task carries an empty Workflow id.)
        if info.workflow_id.as_deref().is_some_and(|w| !w.is_empty()) {
            return ActivityError::cancelled();
        }
        let run_id = info.activity_run_id.clone().unwrap_or_default();
        let why = why_stopped(&ctx.client(), &info.activity_id, &run_id).await;
        let (type_name, message) = match why {
            Stopped::Cancel => return ActivityError::cancelled(),
            Stopped::Pause => (
                PAUSED_ERROR_TYPE,
                "paused: the SDK stopped the attempt and Temporal's record says a pause was requested",
            ),
            Stopped::Other => (
                STOPPED_ERROR_TYPE,
                "stopped by the SDK without a cancel request (a reset, or the attempt timed out)",
            ),
        };
        ActivityError::application(
            ApplicationFailure::builder(message)
                .type_name(type_name.to_owned())
                .build(),
        )
    }

    /// Works through steps `from..to`, one every 200 ms, heartbeating each
    /// one's number; honours cancellation. At step `crash_at` it goes silent
    /// as a dead process would: no heartbeat, no result, until its deadline.
    async fn work(
        ctx: &ActivityContext,
        from: u32,
        to: u32,
        crash_at: Option<u32>,
    ) -> Result<(), ActivityError> {
        for step in from..to {
            if crash_at == Some(step) {
                let silence = ctx
                    .info()
                    .deadline
                    .and_then(|d| d.duration_since(SystemTime::now()).ok())
                    .unwrap_or(MAX_STALL)
                    .min(MAX_STALL);
                tokio::select! {
                    () = tokio::time::sleep(silence) => {}
                    () = ctx.cancelled() => {}
                }
                return Err(ActivityError::application(
                    ApplicationFailure::builder(
                        "simulated crash: this attempt never reported back",
                    )
                    .type_name("SimulatedCrash".to_owned())
                    .build(),
                ));
            }
            ctx.record_heartbeat(serde_json::json!({ "step": step + 1, "of": to }))
                .await?;
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(200)) => {}
                () = ctx.cancelled() => return Err(Greeter::stopped(ctx).await),
            }
        }
        Ok(())
    }
}

mod registered {
    //! The type names the Worker serves.
    #![expect(
        dead_code,
        reason = "the macro emits an associated const per activity that nothing reads"
    )]
    use super::{ActivityContext, ActivityError, Greeter, Value, activities};

    // Every name is explicit: the macro's default would be "Greeter::method".
    #[activities]
    impl Greeter {
        /// Go's `helloworld.Activity`.
        #[activity(name = "Activity")]
        async fn go(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// Python's `compose_greeting`.
        #[activity(name = "compose_greeting")]
        async fn python(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// .NET's `ComposeGreetingAsync`, Java's `composeGreeting`, Ruby's `ComposeGreeting`.
        #[activity(name = "ComposeGreeting")]
        async fn pascal(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }

        /// TypeScript's `greet`.
        #[activity(name = "greet")]
        async fn typescript(ctx: ActivityContext, input: Value) -> Result<String, ActivityError> {
            Greeter::greet(ctx, input).await
        }
    }
}
