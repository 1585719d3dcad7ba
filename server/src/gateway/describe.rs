//! `DescribeActivityExecution`'s answer in the demo's terms: Temporal's
//! proto mapped into a [`Snapshot`], field by field, inventing nothing.

use proto::{FailureInfo, RunOptionsNow};
use temporalio_common::protos::temporal::api::activity::v1::ActivityExecutionInfo;
use temporalio_common::protos::temporal::api::activity::v1::activity_execution_outcome;
use temporalio_common::protos::temporal::api::common::v1::RetryPolicy;
use temporalio_common::protos::temporal::api::enums::v1::{
    ActivityExecutionStatus, PendingActivityState,
};
use temporalio_common::protos::temporal::api::failure::v1::{Failure, failure::FailureInfo as Fi};
use temporalio_common::protos::temporal::api::workflowservice::v1::DescribeActivityExecutionResponse;

use crate::payload::{header_json, payload_json};
use crate::tracker::{Outcome, RunState, Snapshot, Status, retry_state, timeout_type};

pub(super) fn ts_ms(t: Option<&prost_wkt_types::Timestamp>) -> Option<i64> {
    t.map(|t| t.seconds * 1_000 + i64::from(t.nanos) / 1_000_000)
}

pub(super) fn duration_ms(d: Option<&prost_wkt_types::Duration>) -> Option<u64> {
    d.map(|d| {
        u64::try_from(d.seconds).unwrap_or(0) * 1_000
            + u64::try_from(d.nanos).unwrap_or(0) / 1_000_000
    })
}

/// Temporal's failure proto, as the log shows it.
pub fn failure_info(f: &Failure) -> FailureInfo {
    let (error_type, non_retryable, timeout) = match &f.failure_info {
        Some(Fi::ApplicationFailureInfo(a)) => (Some(a.r#type.clone()), a.non_retryable, None),
        Some(Fi::TimeoutFailureInfo(t)) => (None, false, timeout_type(t.timeout_type)),
        Some(Fi::ServerFailureInfo(s)) => (None, s.non_retryable, None),
        _ => (None, false, None),
    };
    FailureInfo {
        message: f.message.clone(),
        error_type,
        non_retryable,
        timeout,
    }
}

/// The snapshot in `resp`, if it carries one.
pub fn snapshot(resp: &DescribeActivityExecutionResponse) -> Option<Snapshot> {
    let info = resp.info.as_ref()?;
    let status = match info.status() {
        ActivityExecutionStatus::Completed => Status::Completed,
        ActivityExecutionStatus::Failed => Status::Failed,
        ActivityExecutionStatus::Canceled => Status::Canceled,
        ActivityExecutionStatus::Terminated => Status::Terminated,
        ActivityExecutionStatus::TimedOut => Status::TimedOut,
        ActivityExecutionStatus::Paused => Status::Paused,
        _ => Status::Running,
    };
    let run_state = match info.run_state() {
        PendingActivityState::Scheduled => RunState::Scheduled,
        PendingActivityState::Started => RunState::Started,
        PendingActivityState::CancelRequested => RunState::CancelRequested,
        PendingActivityState::PauseRequested => RunState::PauseRequested,
        PendingActivityState::Paused => RunState::Paused,
        _ => RunState::Other,
    };
    let outcome = resp.outcome.as_ref();
    let first_json =
        |p: Option<&temporalio_common::protos::temporal::api::common::v1::Payloads>| {
            p.and_then(|p| p.payloads.first())
                .and_then(payload_json)
                .map(|v| v.to_string())
        };
    Some(Snapshot {
        activity_id: info.activity_id.clone(),
        run_id: info.run_id.clone(),
        activity_type: info
            .activity_type
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        task_queue: info.task_queue.clone(),
        status,
        run_state,
        attempt: u32::try_from(info.attempt).unwrap_or(1),
        schedule_ms: ts_ms(info.schedule_time.as_ref()),
        last_started_ms: ts_ms(info.last_started_time.as_ref()),
        last_attempt_complete_ms: ts_ms(info.last_attempt_complete_time.as_ref()),
        last_worker_identity: info.last_worker_identity.clone(),
        last_failure: info.last_failure.as_ref().map(failure_info),
        next_attempt_ms: ts_ms(info.next_attempt_schedule_time.as_ref()),
        current_retry_interval_ms: duration_ms(info.current_retry_interval.as_ref()),
        heartbeat_count: u64::try_from(info.total_heartbeat_count).unwrap_or(0),
        last_heartbeat_ms: ts_ms(info.last_heartbeat_time.as_ref()),
        heartbeat_details: first_json(info.heartbeat_details.as_ref()),
        close_ms: ts_ms(info.close_time.as_ref()),
        outcome: match outcome.and_then(|o| o.value.as_ref()) {
            Some(activity_execution_outcome::Value::Result(p)) => {
                Some(Outcome::Result(first_json(Some(p))))
            }
            Some(activity_execution_outcome::Value::Failure(f)) => {
                Some(Outcome::Failure(failure_info(f)))
            }
            None => None,
        },
        retry_state: outcome.and_then(|o| retry_state(o.retry_state)),
        canceled_reason: info.canceled_reason.clone(),
        options: options_now(info),
        start_delay_ms: duration_ms(info.start_delay.as_ref()).filter(|ms| *ms > 0),
        execution_ms: ts_ms(info.execution_time.as_ref()),
        scenario: info
            .header
            .as_ref()
            .and_then(|h| header_json(&h.fields, proto::SCENARIO_HEADER)),
    })
}

/// A retry policy Temporal recorded, in the demo's terms.
pub(super) fn from_proto_retry(r: &RetryPolicy) -> proto::RetryPolicy {
    proto::RetryPolicy {
        initial_interval_ms: duration_ms(r.initial_interval.as_ref()).unwrap_or(0),
        backoff_coefficient: r.backoff_coefficient,
        maximum_interval_ms: duration_ms(r.maximum_interval.as_ref()).unwrap_or(0),
        maximum_attempts: u32::try_from(r.maximum_attempts).unwrap_or(0),
        non_retryable_error_types: r.non_retryable_error_types.clone(),
    }
}

/// The options `info` reports in force; a zero duration is "unlimited".
fn options_now(info: &ActivityExecutionInfo) -> RunOptionsNow {
    let positive = |d: Option<&prost_wkt_types::Duration>| duration_ms(d).filter(|ms| *ms > 0);
    RunOptionsNow {
        task_queue: info.task_queue.clone(),
        start_to_close_ms: positive(info.start_to_close_timeout.as_ref()),
        schedule_to_close_ms: positive(info.schedule_to_close_timeout.as_ref()),
        schedule_to_start_ms: positive(info.schedule_to_start_timeout.as_ref()),
        heartbeat_ms: positive(info.heartbeat_timeout.as_ref()),
        retry: info.retry_policy.as_ref().map(from_proto_retry),
    }
}

/// Why Temporal stopped an attempt the Worker was running, as its record
/// says. The Rust SDK 1.1.1 cancels the activity's context on a cancel, a
/// pause and a reset alike and drops which one the heartbeat answer named,
/// so the Worker asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// A cancel was requested: the activity acknowledges it.
    Cancel,
    /// A pause was requested: the attempt ends, no retry until unpaused.
    Pause,
    /// Anything else (a reset, a timeout, the run closed): the attempt ends.
    Other,
}

/// Reads [`Stopped`] for the run `activity_id`/`run_id` with the Worker's
/// `client`, within [`super::CALL_DEADLINE`]; a failed read is
/// [`Stopped::Other`].
pub async fn why_stopped(
    client: &temporalio_client::Client,
    activity_id: &str,
    run_id: &str,
) -> Stopped {
    use temporalio_client::NamespacedClient;
    use temporalio_client::grpc::WorkflowService;
    use temporalio_common::protos::temporal::api::workflowservice::v1::DescribeActivityExecutionRequest;
    let mut c = client.clone();
    let msg = DescribeActivityExecutionRequest {
        namespace: c.namespace(),
        activity_id: activity_id.to_owned(),
        run_id: run_id.to_owned(),
        ..Default::default()
    };
    let call = c.describe_activity_execution(super::with_deadline(msg, super::CALL_DEADLINE));
    let Ok(resp) = super::bounded(super::CALL_DEADLINE, call).await else {
        return Stopped::Other;
    };
    let resp = resp.into_inner();
    let Some(info) = resp.info else {
        return Stopped::Other;
    };
    match info.run_state() {
        PendingActivityState::CancelRequested => Stopped::Cancel,
        PendingActivityState::PauseRequested | PendingActivityState::Paused => Stopped::Pause,
        _ if info.status() == ActivityExecutionStatus::Paused => Stopped::Pause,
        _ => Stopped::Other,
    }
}
