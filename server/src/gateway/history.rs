//! A Workflow's Event History, read with `GetWorkflowExecutionHistory`
//! (long-polled with `wait_new_event`, page by page) as typed facts, each
//! with its event id and Temporal's time.

use std::time::Duration;

use proto::{FailureInfo, RetryState, RunStatus};
use temporalio_client::grpc::WorkflowService;
use temporalio_client::{NamespacedClient, tonic};
use temporalio_common::protos::temporal::api::common::v1::{Payloads, WorkflowExecution};
use temporalio_common::protos::temporal::api::enums::v1::HistoryEventFilterType;
use temporalio_common::protos::temporal::api::failure::v1::{Failure, failure::FailureInfo as Fi};
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes as A;
use temporalio_common::protos::temporal::api::workflowservice::v1::GetWorkflowExecutionHistoryRequest;

use super::describe::{failure_info, ts_ms};
use super::{CALL_DEADLINE, Gateway, GatewayError, LONG_POLL, bounded, with_deadline};
use crate::payload::{header_json, payload_json};
use crate::tracker::retry_state;

/// One event of a Workflow's history, as the demo reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// Its id in the history (from 1).
    pub event_id: i64,
    /// Its time, as Temporal recorded it.
    pub at_ms: Option<i64>,
    /// What it records.
    pub fact: HistoryFact,
}

/// What a history event records, in the demo's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryFact {
    /// `WorkflowExecutionStarted`.
    WorkflowStarted {
        /// The Workflow type.
        workflow_type: String,
        /// Its task queue.
        task_queue: String,
    },
    /// `ActivityTaskScheduled`.
    ActivityScheduled {
        /// The activity id the Workflow gave it.
        activity_id: String,
        /// The activity type.
        activity_type: String,
        /// The task queue.
        task_queue: String,
        /// The demo's scenario, from the activity's Header (the Workflow
        /// copies it from its own).
        scenario: Option<proto::FailureScenario>,
    },
    /// `ActivityTaskStarted`: written when the activity closes, for its
    /// last attempt only.
    ActivityStarted {
        /// That attempt's number.
        attempt: u32,
        /// The Worker that ran it.
        identity: String,
        /// The failure of the attempt before it, when there was one.
        last_failure: Option<FailureInfo>,
    },
    /// `ActivityTaskCompleted`.
    ActivityCompleted {
        /// The result as JSON text, when it is a JSON payload.
        result: Option<String>,
    },
    /// `ActivityTaskFailed`: the last attempt failed and no retry follows.
    ActivityFailed {
        /// The failure.
        failure: Option<FailureInfo>,
        /// Why no retry.
        retry_state: Option<RetryState>,
    },
    /// `ActivityTaskTimedOut`.
    ActivityTimedOut {
        /// The timeout failure.
        failure: Option<FailureInfo>,
        /// Why no retry.
        retry_state: Option<RetryState>,
    },
    /// `ActivityTaskCanceled`.
    ActivityCanceled,
    /// The Workflow's close event.
    WorkflowClosed {
        /// How it ended.
        status: RunStatus,
        /// Its result, as JSON text.
        result: Option<String>,
        /// Its failure (the activity's own, when an activity failure ended it).
        failure: Option<FailureInfo>,
        /// A termination's reason.
        reason: Option<String>,
    },
    /// Any other event (Workflow Tasks, cancel requests, ...).
    Other,
}

/// One answer of [`Gateway::history`].
#[derive(Debug, Clone, Default)]
pub struct HistoryPage {
    /// The events it brought, in history order.
    pub events: Vec<HistoryEvent>,
    /// Where the next call goes on; empty once the Workflow closed and
    /// every event was read.
    pub next_page_token: Vec<u8>,
}

fn json_text(p: Option<&Payloads>) -> Option<String> {
    p.and_then(|p| p.payloads.first())
        .and_then(payload_json)
        .map(|v| v.to_string())
}

/// The failure that says why: an activity failure's cause, when it has one.
fn root_failure(f: &Failure) -> FailureInfo {
    match (&f.failure_info, f.cause.as_deref()) {
        (Some(Fi::ActivityFailureInfo(_)), Some(cause)) => root_failure(cause),
        _ => failure_info(f),
    }
}

/// The typed fact of one history event.
pub fn fact(attributes: Option<&A>) -> HistoryFact {
    let closed = |status, result, failure, reason| HistoryFact::WorkflowClosed {
        status,
        result,
        failure,
        reason,
    };
    match attributes {
        Some(A::WorkflowExecutionStartedEventAttributes(a)) => HistoryFact::WorkflowStarted {
            workflow_type: a
                .workflow_type
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            task_queue: a
                .task_queue
                .as_ref()
                .map(|q| q.name.clone())
                .unwrap_or_default(),
        },
        Some(A::ActivityTaskScheduledEventAttributes(a)) => HistoryFact::ActivityScheduled {
            activity_id: a.activity_id.clone(),
            activity_type: a
                .activity_type
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            task_queue: a
                .task_queue
                .as_ref()
                .map(|q| q.name.clone())
                .unwrap_or_default(),
            scenario: a
                .header
                .as_ref()
                .and_then(|h| header_json(&h.fields, proto::SCENARIO_HEADER)),
        },
        Some(A::ActivityTaskStartedEventAttributes(a)) => HistoryFact::ActivityStarted {
            attempt: u32::try_from(a.attempt).unwrap_or(1).max(1),
            identity: a.identity.clone(),
            last_failure: a.last_failure.as_ref().map(failure_info),
        },
        Some(A::ActivityTaskCompletedEventAttributes(a)) => HistoryFact::ActivityCompleted {
            result: json_text(a.result.as_ref()),
        },
        Some(A::ActivityTaskFailedEventAttributes(a)) => HistoryFact::ActivityFailed {
            failure: a.failure.as_ref().map(failure_info),
            retry_state: retry_state(a.retry_state),
        },
        Some(A::ActivityTaskTimedOutEventAttributes(a)) => HistoryFact::ActivityTimedOut {
            failure: a.failure.as_ref().map(root_failure),
            retry_state: retry_state(a.retry_state),
        },
        Some(A::ActivityTaskCanceledEventAttributes(_)) => HistoryFact::ActivityCanceled,
        Some(A::WorkflowExecutionCompletedEventAttributes(a)) => closed(
            RunStatus::Completed,
            json_text(a.result.as_ref()),
            None,
            None,
        ),
        Some(A::WorkflowExecutionFailedEventAttributes(a)) => closed(
            RunStatus::Failed,
            None,
            a.failure.as_ref().map(root_failure),
            None,
        ),
        Some(A::WorkflowExecutionTimedOutEventAttributes(_)) => {
            closed(RunStatus::TimedOut, None, None, None)
        }
        Some(A::WorkflowExecutionCanceledEventAttributes(_)) => {
            closed(RunStatus::Canceled, None, None, None)
        }
        Some(A::WorkflowExecutionTerminatedEventAttributes(a)) => closed(
            RunStatus::Terminated,
            None,
            None,
            (!a.reason.is_empty()).then(|| a.reason.clone()),
        ),
        _ => HistoryFact::Other,
    }
}

impl Gateway {
    /// One page of the Workflow's Event History after `page_token` (empty:
    /// from the start). With `wait`, the call waits until there is a new
    /// event (or [`LONG_POLL`] passes: `Ok(None)`, ask again with the
    /// same token).
    pub async fn history(
        &self,
        workflow_id: &str,
        run_id: &str,
        page_token: Vec<u8>,
        wait: bool,
    ) -> Result<Option<HistoryPage>, GatewayError> {
        let mut c = self.client.clone();
        let msg = GetWorkflowExecutionHistoryRequest {
            namespace: c.namespace(),
            execution: Some(WorkflowExecution {
                workflow_id: workflow_id.to_owned(),
                run_id: run_id.to_owned(),
            }),
            maximum_page_size: 0,
            next_page_token: page_token,
            wait_new_event: wait,
            history_event_filter_type: HistoryEventFilterType::AllEvent.into(),
            skip_archival: true,
        };
        // The server answers a long poll within about 20 s by itself.
        let deadline = if wait {
            LONG_POLL + Duration::from_secs(15)
        } else {
            CALL_DEADLINE
        };
        let resp = match bounded(
            deadline,
            c.get_workflow_execution_history(with_deadline(msg, deadline)),
        )
        .await
        {
            Ok(r) => r.into_inner(),
            Err(s) if wait && s.code() == tonic::Code::DeadlineExceeded => return Ok(None),
            Err(s) => return Err(self.error(s)),
        };
        let events = resp
            .history
            .map(|h| h.events)
            .unwrap_or_default()
            .into_iter()
            .map(|e| HistoryEvent {
                event_id: e.event_id,
                at_ms: ts_ms(e.event_time.as_ref()),
                fact: fact(e.attributes.as_ref()),
            })
            .collect();
        Ok(Some(HistoryPage {
            events,
            next_page_token: resp.next_page_token,
        }))
    }
}
