//! The demo's tiny Workflow, registered as [`Language::DEMO_WORKFLOW_TYPE`]
//! on the same Worker and task queue as the activity (a generated program
//! registers its own `GreetingWorkflow` on its own Worker): it executes the activity type its input names with the form's
//! options ([`WorkflowInput`]) and returns the activity's result.
//!
//! The failure scenario and the start token travel in the Workflow's
//! Header, as a standalone run's travel in the activity's. A Workflow sets
//! an activity's Header through an outbound interceptor (the Rust SDK has
//! no header field in `ActivityOptions`): [`Propagate`] copies those two
//! fields of the Workflow's Header onto the Header of every activity it
//! schedules, so the activity and the Worker's tap read them unchanged.

use std::collections::HashMap;
use std::time::Duration;

use proto::config::TimeoutKind;
use proto::{ActivityConfig, Language, SCENARIO_HEADER, WorkflowInput};
use serde_json::Value;
use temporalio_common::ActivityDefinition;
use temporalio_common::error::ApplicationFailure;
use temporalio_common::protos::temporal::api::common::v1::Payload;
use temporalio_sdk::workflow_interceptors::{
    CancellableWorkflowOutboundFuture, ScheduleActivityInput, ScheduleActivityResult,
    WorkflowInterceptor, WorkflowInterceptorConstructor, WorkflowInterceptorContext, WorkflowNext,
};
use temporalio_sdk::{
    ActivityCancellationType, ActivityCloseTimeouts, ActivityOptions, WorkflowContext,
    WorkflowContextView, WorkflowResult,
};

use crate::gateway::TOKEN_HEADER;

/// An activity named at run time: the type the Workflow's input names,
/// taking and returning JSON as the demo's activity does.
struct ByName(String);

impl ActivityDefinition for ByName {
    type Input = Value;
    type Output = Value;

    fn name(&self) -> &str {
        &self.0
    }
}

/// The Workflow's activity options: the form's, as a Workflow passes them.
pub fn activity_options(c: &ActivityConfig) -> ActivityOptions {
    let timeout = Duration::from_millis(c.timeout_ms);
    let close = match c.timeout_kind {
        TimeoutKind::StartToClose => ActivityCloseTimeouts::StartToClose(timeout),
        TimeoutKind::ScheduleToClose => ActivityCloseTimeouts::ScheduleToClose(timeout),
    };
    let r = &c.retry;
    let retry = temporalio_common::RetryPolicy::builder()
        .initial_interval(Duration::from_millis(r.initial_interval_ms))
        .backoff_coefficient(r.backoff_coefficient)
        .maybe_maximum_interval(
            (r.maximum_interval_ms > 0).then(|| Duration::from_millis(r.maximum_interval_ms)),
        )
        .maximum_attempts(r.maximum_attempts)
        .non_retryable_error_types(r.non_retryable_error_types.clone())
        .build();
    ActivityOptions::with_close_timeouts(close)
        .activity_id(c.activity_id.clone())
        // The Workflow runs on its own queue; the activity on the form's.
        .task_queue(c.task_queue.clone())
        .maybe_schedule_to_start_timeout(c.schedule_to_start_timeout_ms.map(Duration::from_millis))
        .maybe_heartbeat_timeout(c.heartbeat_timeout_ms.map(Duration::from_millis))
        .retry_policy(retry)
        // A cancel waits for the activity to acknowledge it, as a standalone
        // run's does: the history then records the activity's own end.
        .cancellation_type(ActivityCancellationType::WaitCancellationCompleted)
        .build()
}

/// Executes the activity `input` names and returns its result.
/// Error type of a Workflow started with an input that is not a
/// [`WorkflowInput`] (a program of its own naming the demo's Workflow type).
pub const BAD_INPUT_ERROR_TYPE: &str = "NotAWorkflowInput";

/// Executes the activity `input` names and returns its result. An input
/// that is not a [`WorkflowInput`] fails the Workflow at once, naming what
/// it expects, instead of failing its Workflow Task for ever.
async fn run(ctx: &WorkflowContext<impl Sized>, input: Value) -> WorkflowResult<Value> {
    let input: WorkflowInput = match serde_json::from_value(input) {
        Ok(input) => input,
        Err(e) => {
            return Err(ApplicationFailure::builder(format!(
                "the demo's Workflow expects {{\"activity_type\": .., \"config\": ..}} as its \
                 input: {e}"
            ))
            .type_name(BAD_INPUT_ERROR_TYPE.to_owned())
            .non_retryable(true)
            .build()
            .into());
        }
    };
    let opts = activity_options(&input.config);
    let result = ctx
        .execute_activity(
            ByName(input.activity_type),
            Value::String(input.config.input),
            opts,
        )
        .await?;
    Ok(result)
}

pub use definitions::GreetingWorkflow;

mod definitions {
    //! The Workflow type (the macro wants its own module for its output).
    #![expect(
        missing_docs,
        reason = "the macro emits an undocumented associated const per run method"
    )]
    use super::{Language, Value, WorkflowContext, WorkflowResult, run};
    use temporalio_sdk::workflows::{workflow, workflow_methods};

    /// The demo's Workflow.
    #[workflow]
    #[derive(Default)]
    pub struct GreetingWorkflow;

    #[workflow_methods]
    impl GreetingWorkflow {
        /// Executes the activity.
        #[run(name = Language::DEMO_WORKFLOW_TYPE)]
        pub async fn run(ctx: &mut WorkflowContext<Self>, input: Value) -> WorkflowResult<Value> {
            run(ctx, input).await
        }
    }
}

/// Copies the scenario and the start token from the Workflow's Header to
/// each activity it schedules.
pub struct Propagate {
    fields: HashMap<String, Payload>,
}

impl Propagate {
    /// The interceptor each Workflow instance gets (deterministic: it reads
    /// only the Workflow's start, which a replay sees again).
    pub fn constructor() -> WorkflowInterceptorConstructor {
        WorkflowInterceptorConstructor::new(|view: &WorkflowContextView| Propagate {
            fields: view
                .raw()
                .headers
                .iter()
                .filter(|(k, _)| [SCENARIO_HEADER, TOKEN_HEADER].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }
}

impl WorkflowInterceptor for Propagate {
    fn schedule_activity(
        &self,
        _ctx: WorkflowInterceptorContext,
        mut input: ScheduleActivityInput,
        next: WorkflowNext<
            'static,
            ScheduleActivityInput,
            CancellableWorkflowOutboundFuture<ScheduleActivityResult>,
        >,
    ) -> CancellableWorkflowOutboundFuture<ScheduleActivityResult> {
        input.headers_mut().extend(self.fields.clone());
        next.run(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_options_are_the_forms() {
        let mut c = ActivityConfig {
            timeout_kind: TimeoutKind::ScheduleToClose,
            timeout_ms: 7_000,
            heartbeat_timeout_ms: Some(2_000),
            ..ActivityConfig::default()
        };
        c.retry.maximum_attempts = 4;
        c.retry.maximum_interval_ms = 3_000;
        let o = activity_options(&c);
        assert!(matches!(
            o.close_timeouts,
            ActivityCloseTimeouts::ScheduleToClose(d) if d == Duration::from_secs(7)
        ));
        assert_eq!(o.activity_id.as_deref(), Some(c.activity_id.as_str()));
        assert_eq!(o.heartbeat_timeout, Some(Duration::from_secs(2)));
        assert_eq!(o.schedule_to_start_timeout, None);
        let r = o.retry_policy.expect("a retry policy");
        assert_eq!(r.maximum_attempts(), 4);
        assert_eq!(r.maximum_interval(), Some(Duration::from_secs(3)));
    }
}
