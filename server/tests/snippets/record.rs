//! Temporal's own record of a run, asked directly (not through the demo):
//! what ran is what the form said (type, queue, input, every timeout, the
//! start delay, the retry policy) and it ended as the test expects.

use proto::{ActivityConfig, Language, TimeoutKind};
use sa_demo_server::payload::payload_json;
use temporalio_client::grpc::WorkflowService;
use temporalio_client::tonic;
use temporalio_common::protos::temporal::api::activity::v1::activity_execution_outcome;
use temporalio_common::protos::temporal::api::enums::v1::ActivityExecutionStatus;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    DescribeActivityExecutionRequest, DescribeActivityExecutionResponse,
};

use crate::common::{self, app};

/// Temporal's description of the latest run of `activity_id`, with input
/// and outcome.
pub async fn describe_latest(activity_id: &str) -> DescribeActivityExecutionResponse {
    let mut client = common::temporal().await.client().clone();
    client
        .describe_activity_execution(tonic::Request::new(DescribeActivityExecutionRequest {
            namespace: app().info.namespace.clone(),
            activity_id: activity_id.to_owned(),
            run_id: String::new(), // the latest run
            include_input: true,
            include_outcome: true,
            include_last_failure: true,
            ..Default::default()
        }))
        .await
        .unwrap_or_else(|e| panic!("describe {activity_id}: {e}"))
        .into_inner()
}

/// The proto Duration type is not re-exported, so this cannot be a function.
macro_rules! ms {
    ($d:expr) => {
        $d.as_ref()
            .map_or(0, |d| d.seconds as u64 * 1_000 + d.nanos as u64 / 1_000_000)
    };
}

/// Checks that the latest run of `config.activity_id` is the run `config`
/// describes, started as `lang`'s type, and ended as `status` on attempt
/// `attempt`; returns the description.
pub async fn assert_ran_as_configured(
    config: &ActivityConfig,
    lang: Language,
    status: ActivityExecutionStatus,
    attempt: i32,
) -> DescribeActivityExecutionResponse {
    let resp = describe_latest(&config.activity_id).await;
    let info = resp.info.as_ref().expect("a description");
    let id = &config.activity_id;
    assert_eq!(info.status(), status, "{id}");
    assert_eq!(info.attempt, attempt, "{id}");
    let activity_type = info.activity_type.as_ref().map(|t| t.name.as_str());
    assert_eq!(activity_type, Some(lang.activity_type()), "{id}");
    assert_eq!(info.task_queue, config.task_queue, "{id}");

    let input = resp.input.as_ref().map(|p| p.payloads.as_slice());
    let input: Vec<_> = input.unwrap_or_default().iter().map(payload_json).collect();
    assert_eq!(input, [Some(serde_json::json!(config.input))], "{id}");

    let timeout = match config.timeout_kind {
        TimeoutKind::StartToClose => &info.start_to_close_timeout,
        TimeoutKind::ScheduleToClose => &info.schedule_to_close_timeout,
    };
    assert_eq!(ms!(timeout), config.timeout_ms, "{id}: main timeout");
    if let Some(ms) = config.schedule_to_start_timeout_ms {
        let recorded = ms!(info.schedule_to_start_timeout);
        assert_eq!(recorded, ms, "{id}: schedule-to-start");
    }
    if let Some(ms) = config.heartbeat_timeout_ms {
        assert_eq!(ms!(info.heartbeat_timeout), ms, "{id}: heartbeat timeout");
    }
    let delay = config.start_delay_ms.unwrap_or(0);
    assert_eq!(ms!(info.start_delay), delay, "{id}: start delay");
    let policy = info.retry_policy.as_ref().expect("a retry policy");
    let retry = &config.retry;
    assert_eq!(
        (
            ms!(policy.initial_interval),
            policy.backoff_coefficient,
            ms!(policy.maximum_interval),
            policy.maximum_attempts,
            policy.non_retryable_error_types.clone(),
        ),
        (
            retry.initial_interval_ms,
            retry.backoff_coefficient,
            retry.maximum_interval_ms,
            i32::try_from(retry.maximum_attempts).expect("small"),
            retry.non_retryable_error_types.clone(),
        ),
        "{id}: retry policy"
    );
    resp
}

/// Checks that the latest run of `config.activity_id` ran as configured and
/// completed with `result` on attempt `attempt`; returns its run id.
pub async fn assert_completed_with(
    config: &ActivityConfig,
    lang: Language,
    attempt: i32,
    result: &str,
) -> String {
    let resp =
        assert_ran_as_configured(config, lang, ActivityExecutionStatus::Completed, attempt).await;
    let id = &config.activity_id;
    let got = match resp.outcome.and_then(|o| o.value) {
        Some(activity_execution_outcome::Value::Result(p)) => {
            p.payloads.first().and_then(payload_json)
        }
        other => panic!("{id}: expected a result, got {other:?}"),
    };
    assert_eq!(got, Some(serde_json::json!(result)), "{id}");
    resp.run_id
}

/// Checks that the latest run of `config.activity_id` ran as configured and
/// completed with the greeting for its input on attempt `attempt`.
pub async fn assert_completed_as_configured(config: &ActivityConfig, lang: Language, attempt: i32) {
    assert_completed_with(config, lang, attempt, &crate::greeting(&config.input)).await;
}
