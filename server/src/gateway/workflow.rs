//! A run from a Workflow: `StartWorkflowExecution` of the demo's Workflow
//! (its id is the form's activity id), and cancelling or terminating it.
//! Its Event History is read in `history`.

use std::collections::HashMap;

use proto::api::WORKFLOW_TASK_QUEUE;
use proto::config::{IdConflictPolicy, IdReusePolicy};
use proto::{Language, RunRequest, SCENARIO_HEADER, WorkflowInput};
use serde_json::json;
use temporalio_client::grpc::WorkflowService;
use temporalio_client::{NamespacedClient, tonic};
use temporalio_common::protos::temporal::api::common::v1::{
    Header, Payloads, WorkflowExecution, WorkflowType,
};
use temporalio_common::protos::temporal::api::enums::v1::{
    WorkflowIdConflictPolicy, WorkflowIdReusePolicy,
};
use temporalio_common::protos::temporal::api::errordetails::v1::WorkflowExecutionAlreadyStartedFailure;
use temporalio_common::protos::temporal::api::sdk::v1::UserMetadata;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    RequestCancelWorkflowExecutionRequest, StartWorkflowExecutionRequest,
    TerminateWorkflowExecutionRequest,
};
use temporalio_common::protos::utilities::decode_status_detail;

use super::{
    CALL_DEADLINE, Gateway, GatewayError, Started, Stop, TOKEN_HEADER, bounded, operator,
    proto_duration, queues, request_id, with_deadline,
};
use crate::payload::json_payload;

impl Gateway {
    /// Starts the demo's Workflow for `req` with `StartWorkflowExecution`:
    /// its id is the form's activity id, its input the activity type and
    /// the form's options ([`WorkflowInput`]); the scenario and `token`
    /// travel in its Header, which the Workflow copies to its activity's.
    pub async fn start_workflow(
        &self,
        req: &RunRequest,
        token: &str,
    ) -> Result<Started, GatewayError> {
        let c = &req.config;
        let input = WorkflowInput {
            activity_type: req.language.activity_type().to_owned(),
            config: c.clone(),
        };
        let header = Header {
            fields: HashMap::from([
                (
                    SCENARIO_HEADER.to_owned(),
                    json_payload(&serde_json::to_value(req.scenario).unwrap_or(json!(null))),
                ),
                (TOKEN_HEADER.to_owned(), json_payload(&json!(token))),
            ]),
        };
        let mut client = self.client.clone();
        let msg = StartWorkflowExecutionRequest {
            namespace: client.namespace(),
            identity: client.identity(),
            request_id: request_id(),
            workflow_id: c.activity_id.clone(),
            workflow_type: Some(WorkflowType {
                name: Language::DEMO_WORKFLOW_TYPE.to_owned(),
            }),
            task_queue: Some(operator::task_queue(WORKFLOW_TASK_QUEUE)),
            input: Some(Payloads {
                payloads: vec![json_payload(
                    &serde_json::to_value(&input).unwrap_or_default(),
                )],
            }),
            workflow_id_reuse_policy: match c.id_reuse_policy {
                IdReusePolicy::AllowDuplicate => WorkflowIdReusePolicy::AllowDuplicate,
                IdReusePolicy::AllowDuplicateFailedOnly => {
                    WorkflowIdReusePolicy::AllowDuplicateFailedOnly
                }
                IdReusePolicy::RejectDuplicate => WorkflowIdReusePolicy::RejectDuplicate,
            }
            .into(),
            workflow_id_conflict_policy: match c.id_conflict_policy {
                IdConflictPolicy::Fail => WorkflowIdConflictPolicy::Fail,
                IdConflictPolicy::UseExisting => WorkflowIdConflictPolicy::UseExisting,
            }
            .into(),
            workflow_start_delay: c.start_delay_ms.and_then(proto_duration),
            header: Some(header),
            // What a Worker role apart reads in visibility to find the
            // activity's queue (and an outage to honour) without the history.
            memo: Some(queues::workflow_memo(&c.task_queue, req.scenario)),
            user_metadata: Some(UserMetadata {
                summary: Some(json_payload(&json!(format!(
                    "demo: {}",
                    req.scenario.summary()
                )))),
                details: None,
            }),
            ..Default::default()
        };
        match bounded(
            CALL_DEADLINE,
            client.start_workflow_execution(with_deadline(msg, CALL_DEADLINE)),
        )
        .await
        {
            Ok(resp) => {
                let resp = resp.into_inner();
                Ok(Started {
                    run_id: resp.run_id,
                    started: resp.started,
                })
            }
            // The details name the run holding the Workflow id.
            Err(status) if status.code() == tonic::Code::AlreadyExists => {
                let holder = decode_status_detail::<WorkflowExecutionAlreadyStartedFailure>(
                    status.details(),
                )
                .map(|f| f.run_id)
                .filter(|r| !r.is_empty());
                Err(GatewayError::AlreadyStarted {
                    activity_id: c.activity_id.clone(),
                    run_id: holder,
                })
            }
            Err(status) => Err(self.error(status)),
        }
    }

    /// Cancels (`RequestCancelWorkflowExecution`: the Workflow cancels its
    /// activity) or terminates the Workflow run.
    pub async fn stop_workflow(
        &self,
        workflow_id: &str,
        run_id: &str,
        how: Stop,
        reason: &str,
    ) -> Result<(), GatewayError> {
        let mut c = self.client.clone();
        let (namespace, identity) = (c.namespace(), c.identity());
        let execution = Some(WorkflowExecution {
            workflow_id: workflow_id.to_owned(),
            run_id: run_id.to_owned(),
        });
        let reason = reason.to_owned();
        let call = async move {
            match how {
                Stop::Cancel => c
                    .request_cancel_workflow_execution(with_deadline(
                        RequestCancelWorkflowExecutionRequest {
                            namespace,
                            workflow_execution: execution,
                            identity,
                            request_id: request_id(),
                            reason,
                            ..Default::default()
                        },
                        CALL_DEADLINE,
                    ))
                    .await
                    .map(|_| ()),
                Stop::Terminate => c
                    .terminate_workflow_execution(with_deadline(
                        TerminateWorkflowExecutionRequest {
                            namespace,
                            workflow_execution: execution,
                            reason,
                            identity,
                            ..Default::default()
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
}
