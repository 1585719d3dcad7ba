//! Commands to one run: cancel and terminate, and the operator commands of
//! Server 1.32 (pause, unpause, reset, update options, delete); and what
//! the namespace allows of them, read once from `DescribeNamespace`. Same
//! deadlines, identity and request ids as every other call of the gateway;
//! Temporal's refusals keep its words ([`GatewayError::Refused`]).

use proto::{Capabilities, OptionsUpdate, ResetBody, RunOptionsNow};
use temporalio_client::NamespacedClient;
use temporalio_client::grpc::WorkflowService;
use temporalio_common::protos::temporal::api::activity::v1::ActivityOptions;
use temporalio_common::protos::temporal::api::common::v1::RetryPolicy;
use temporalio_common::protos::temporal::api::enums::v1::TaskQueueKind;
use temporalio_common::protos::temporal::api::taskqueue::v1::TaskQueue;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    DeleteActivityExecutionRequest, DescribeNamespaceRequest, PauseActivityExecutionRequest,
    RequestCancelActivityExecutionRequest, ResetActivityExecutionRequest,
    TerminateActivityExecutionRequest, UnpauseActivityExecutionRequest,
    UpdateActivityExecutionOptionsRequest,
};

use super::describe::{duration_ms, from_proto_retry};
use super::{
    CALL_DEADLINE, Gateway, GatewayError, bounded, proto_duration, request_id, with_deadline,
};

/// How to stop a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Request cancellation: the activity learns of it on its next heartbeat.
    Cancel,
    /// End it at once: the activity is not asked.
    Terminate,
}

impl Stop {
    /// Parses the URL action (`cancel`, `terminate`).
    pub fn from_action(action: &str) -> Option<Stop> {
        match action {
            "cancel" => Some(Stop::Cancel),
            "terminate" => Some(Stop::Terminate),
            _ => None,
        }
    }
}

/// What the note says when the operator commands are off: Temporal's
/// capability and the dynamic config that turns it on.
pub const NO_OPERATOR_COMMANDS: &str = "this namespace does not allow pause, unpause, reset \
     or update options of standalone activities (capability \
     standalone_activity_operator_commands is false: Temporal Server 1.32 or later with the \
     dynamic config history.enableStandaloneActivityOperatorCommands=true)";

/// What the note says when a start delay is not allowed.
pub const NO_START_DELAY: &str = "this namespace does not allow a start delay for standalone \
     activities (capability standalone_activity_start_delay is false)";

/// The demo's retry policy as Temporal's protos carry it.
pub(super) fn to_proto_retry(r: &proto::RetryPolicy) -> RetryPolicy {
    RetryPolicy {
        initial_interval: proto_duration(r.initial_interval_ms),
        backoff_coefficient: r.backoff_coefficient,
        maximum_interval: proto_duration(r.maximum_interval_ms),
        maximum_attempts: i32::try_from(r.maximum_attempts).unwrap_or(i32::MAX),
        non_retryable_error_types: r.non_retryable_error_types.clone(),
    }
}

/// A task queue by name, as every call names one.
pub(super) fn task_queue(name: &str) -> TaskQueue {
    TaskQueue {
        name: name.to_owned(),
        kind: TaskQueueKind::Normal.into(),
        normal_name: String::new(),
    }
}

/// The options an update sends; only what its mask names is read.
fn activity_options(u: &OptionsUpdate) -> ActivityOptions {
    ActivityOptions {
        task_queue: u.task_queue.as_deref().map(task_queue),
        schedule_to_close_timeout: u.schedule_to_close_ms.and_then(proto_duration),
        schedule_to_start_timeout: u.schedule_to_start_ms.and_then(proto_duration),
        start_to_close_timeout: u.start_to_close_ms.and_then(proto_duration),
        heartbeat_timeout: u.heartbeat_ms.and_then(proto_duration),
        retry_policy: u.retry.as_ref().map(to_proto_retry),
        ..Default::default()
    }
}

/// The options Temporal reports; zero durations ("unlimited") are `None`.
fn options_now(o: &ActivityOptions) -> RunOptionsNow {
    let ms = |d: Option<&prost_wkt_types::Duration>| duration_ms(d).filter(|ms| *ms > 0);
    RunOptionsNow {
        task_queue: o
            .task_queue
            .as_ref()
            .map(|q| q.name.clone())
            .unwrap_or_default(),
        start_to_close_ms: ms(o.start_to_close_timeout.as_ref()),
        schedule_to_close_ms: ms(o.schedule_to_close_timeout.as_ref()),
        schedule_to_start_ms: ms(o.schedule_to_start_timeout.as_ref()),
        heartbeat_ms: ms(o.heartbeat_timeout.as_ref()),
        retry: o.retry_policy.as_ref().map(from_proto_retry),
    }
}

/// The demo's reading of the namespace's capabilities, with a note naming
/// what is missing.
fn capabilities_of(operator_commands: bool, start_delay: bool) -> Capabilities {
    let missing: Vec<&str> = [
        (!operator_commands).then_some(NO_OPERATOR_COMMANDS),
        (!start_delay).then_some(NO_START_DELAY),
    ]
    .into_iter()
    .flatten()
    .collect();
    Capabilities {
        operator_commands,
        start_delay,
        note: (!missing.is_empty()).then(|| missing.join("; ")),
    }
}

impl Gateway {
    /// What the namespace allows, from `DescribeNamespace`; when that call
    /// fails, nothing beyond start, cancel and terminate, and the note says
    /// why.
    pub async fn capabilities(&self) -> Capabilities {
        let mut c = self.client.clone();
        let msg = DescribeNamespaceRequest {
            namespace: c.namespace(),
            ..Default::default()
        };
        match bounded(
            CALL_DEADLINE,
            c.describe_namespace(with_deadline(msg, CALL_DEADLINE)),
        )
        .await
        {
            Ok(resp) => {
                let caps = resp
                    .into_inner()
                    .namespace_info
                    .and_then(|i| i.capabilities)
                    .unwrap_or_default();
                capabilities_of(
                    caps.standalone_activity_operator_commands,
                    caps.standalone_activity_start_delay,
                )
            }
            Err(status) => {
                let e = self.error(status);
                tracing::warn!(error = %e, "DescribeNamespace failed");
                Capabilities {
                    note: Some(format!(
                        "the namespace's capabilities could not be read (DescribeNamespace: \
                         {e}): no operator commands, no start delay"
                    )),
                    ..Capabilities::default()
                }
            }
        }
    }

    /// Cancels or terminates a run.
    pub async fn stop(
        &self,
        activity_id: &str,
        run_id: &str,
        how: Stop,
        reason: &str,
    ) -> Result<(), GatewayError> {
        let mut c = self.client.clone();
        let (namespace, identity) = (c.namespace(), c.identity());
        let (activity_id, run_id, reason) =
            (activity_id.to_owned(), run_id.to_owned(), reason.to_owned());
        let call = async move {
            match how {
                Stop::Cancel => c
                    .request_cancel_activity_execution(with_deadline(
                        RequestCancelActivityExecutionRequest {
                            namespace,
                            activity_id,
                            run_id,
                            identity,
                            request_id: request_id(),
                            reason,
                        },
                        CALL_DEADLINE,
                    ))
                    .await
                    .map(|_| ()),
                Stop::Terminate => c
                    .terminate_activity_execution(with_deadline(
                        TerminateActivityExecutionRequest {
                            namespace,
                            activity_id,
                            run_id,
                            identity,
                            request_id: request_id(),
                            reason,
                        },
                        CALL_DEADLINE,
                    ))
                    .await
                    .map(|_| ()),
            }
        };
        bounded(CALL_DEADLINE, call)
            .await
            .map_err(|s| self.error(s))
    }

    /// `PauseActivityExecution`: no new attempt starts until an unpause; a
    /// running attempt learns of it on its next heartbeat.
    pub async fn pause(
        &self,
        activity_id: &str,
        run_id: &str,
        reason: &str,
    ) -> Result<(), GatewayError> {
        let c = &self.client;
        let msg = PauseActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            identity: c.identity(),
            reason: reason.to_owned(),
            request_id: request_id(),
            ..Default::default()
        };
        self.unary(msg, |mut c, r| async move {
            c.pause_activity_execution(r).await
        })
        .await
        .map(|_| ())
    }

    /// `UnpauseActivityExecution`: the next attempt may start again.
    pub async fn unpause(
        &self,
        activity_id: &str,
        run_id: &str,
        reason: &str,
    ) -> Result<(), GatewayError> {
        let c = &self.client;
        let msg = UnpauseActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            identity: c.identity(),
            reason: reason.to_owned(),
            request_id: request_id(),
            ..Default::default()
        };
        self.unary(msg, |mut c, r| async move {
            c.unpause_activity_execution(r).await
        })
        .await
        .map(|_| ())
    }

    /// `ResetActivityExecution`: the attempt count starts again at 1.
    pub async fn reset(
        &self,
        activity_id: &str,
        run_id: &str,
        body: &ResetBody,
    ) -> Result<(), GatewayError> {
        let c = &self.client;
        let msg = ResetActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            identity: c.identity(),
            keep_paused: body.keep_paused,
            reset_heartbeat: body.reset_heartbeat,
            request_id: request_id(),
            ..Default::default()
        };
        self.unary(msg, |mut c, r| async move {
            c.reset_activity_execution(r).await
        })
        .await
        .map(|_| ())
    }

    /// `UpdateActivityExecutionOptions` with the fields `update` sets (its
    /// mask); returns the options Temporal says the run has now.
    pub async fn update_options(
        &self,
        activity_id: &str,
        run_id: &str,
        update: &OptionsUpdate,
    ) -> Result<RunOptionsNow, GatewayError> {
        let c = &self.client;
        let msg = UpdateActivityExecutionOptionsRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            identity: c.identity(),
            activity_options: Some(activity_options(update)),
            update_mask: Some(prost_wkt_types::FieldMask {
                paths: update.mask().into_iter().map(str::to_owned).collect(),
            }),
            request_id: request_id(),
            ..Default::default()
        };
        let resp = self
            .unary(msg, |mut c, r| async move {
                c.update_activity_execution_options(r).await
            })
            .await?;
        resp.activity_options
            .as_ref()
            .map(options_now)
            .ok_or_else(|| GatewayError::Other("an update answered without its options".into()))
    }

    /// `DeleteActivityExecution`: terminates the run if open, and frees its
    /// id at once.
    pub async fn delete(&self, activity_id: &str, run_id: &str) -> Result<(), GatewayError> {
        let c = &self.client;
        let msg = DeleteActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
        };
        self.unary(msg, |mut c, r| async move {
            c.delete_activity_execution(r).await
        })
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sends_what_it_sets_and_reads_back_unlimited_as_none() {
        let u = OptionsUpdate {
            task_queue: Some("q2".into()),
            start_to_close_ms: Some(3_500),
            ..OptionsUpdate::default()
        };
        let o = activity_options(&u);
        assert_eq!(o.task_queue.as_ref().map(|q| q.name.as_str()), Some("q2"));
        assert_eq!(duration_ms(o.start_to_close_timeout.as_ref()), Some(3_500));
        assert!(o.heartbeat_timeout.is_none() && o.retry_policy.is_none());
        let back = options_now(&ActivityOptions {
            heartbeat_timeout: proto_duration(0),
            ..o
        });
        assert_eq!(
            back,
            RunOptionsNow {
                task_queue: "q2".into(),
                start_to_close_ms: Some(3_500),
                ..RunOptionsNow::default()
            }
        );
    }

    #[test]
    fn retry_policies_round_trip() {
        let r = proto::RetryPolicy {
            maximum_attempts: 7,
            non_retryable_error_types: vec!["Boom".into()],
            ..proto::RetryPolicy::default()
        };
        assert_eq!(from_proto_retry(&to_proto_retry(&r)), r);
    }

    #[test]
    fn the_note_names_each_missing_capability() {
        assert_eq!(capabilities_of(true, true).note, None);
        let none = capabilities_of(false, false);
        let note = none.note.expect("a note");
        assert!(note.contains("history.enableStandaloneActivityOperatorCommands"));
        assert!(note.contains("standalone_activity_start_delay"));
        let delay_only = capabilities_of(true, false).note.expect("a note");
        assert!(!delay_only.contains("operator_commands"), "{delay_only}");
    }
}
