//! What Temporal knows about the demo's task queues, for Workers apart from
//! the web replicas: who polls a queue now (`DescribeTaskQueue`), and which
//! queues the demo's open runs wait on, from visibility (open standalone
//! runs with their scenario read back from the Header; the demo's open
//! Workflows with their activity's queue and scenario from the memo their
//! start wrote).

use std::time::{Duration, SystemTime};

use proto::api::WORKFLOW_TASK_QUEUE;
use proto::{FailureScenario, Language, SCENARIO_HEADER};
use temporalio_client::NamespacedClient;
use temporalio_client::grpc::WorkflowService;
use temporalio_common::protos::temporal::api::common::v1::Memo;
use temporalio_common::protos::temporal::api::enums::v1::TaskQueueType;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    DescribeTaskQueueRequest, ListWorkflowExecutionsRequest,
};

use super::describe::ts_ms;
use super::{Gateway, GatewayError, operator};
use crate::payload::{header_json, json_payload};

/// The memo key naming the task queue a demo Workflow's activity runs on.
pub const MEMO_ACTIVITY_QUEUE: &str = "demo-activity-task-queue";

/// How recently a poller must have polled to count as polling: a Worker's
/// long poll is renewed at least every minute or so, and Temporal lists a
/// Worker that died for minutes after its last poll.
pub const POLLER_FRESH: Duration = Duration::from_secs(75);

/// The most open runs (and, apart, Workflows) read per pass.
const OPEN_PAGE: i32 = 200;

/// An open run of the demo, as Temporal's record has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRun {
    /// The activity id (or the Workflow id).
    pub id: String,
    /// The run id.
    pub run_id: String,
    /// The queue its activity waits on.
    pub task_queue: String,
    /// When it was scheduled (a Workflow: started), Temporal's time.
    pub scheduled_ms: Option<i64>,
    /// Its scenario, when the record says (a Workflow's: its memo).
    pub scenario: Option<FailureScenario>,
}

/// The memo of a demo Workflow's start: its activity's queue and scenario,
/// so a Worker role can find the queue in visibility without its history.
pub fn workflow_memo(activity_queue: &str, scenario: FailureScenario) -> Memo {
    Memo {
        fields: [
            (
                MEMO_ACTIVITY_QUEUE.to_owned(),
                json_payload(&serde_json::json!(activity_queue)),
            ),
            (
                SCENARIO_HEADER.to_owned(),
                json_payload(&serde_json::to_value(scenario).unwrap_or_default()),
            ),
        ]
        .into(),
    }
}

impl Gateway {
    /// The identities of the Workers that polled `task_queue` for activity
    /// tasks within [`POLLER_FRESH`].
    pub async fn pollers(&self, task_queue: &str) -> Result<Vec<String>, GatewayError> {
        let c = &self.client;
        let msg = DescribeTaskQueueRequest {
            namespace: c.namespace(),
            task_queue: Some(operator::task_queue(task_queue)),
            task_queue_type: TaskQueueType::Activity.into(),
            ..Default::default()
        };
        let resp = self
            .unary(
                msg,
                |mut c, r| async move { c.describe_task_queue(r).await },
            )
            .await?;
        let now = crate::unix_ms(SystemTime::now());
        let fresh = now - POLLER_FRESH.as_millis() as i64;
        Ok(resp
            .pollers
            .into_iter()
            .filter(|p| ts_ms(p.last_access_time.as_ref()).is_some_and(|t| t >= fresh))
            .map(|p| p.identity)
            .collect())
    }

    /// The standalone runs open now (running or paused), newest first, at
    /// most one page; their scenario is not in the listing.
    pub async fn open_runs(&self) -> Result<Vec<OpenRun>, GatewayError> {
        let query = "ExecutionStatus = 'Running' OR ExecutionStatus = 'Paused'".to_owned();
        let (runs, _) = self.list(query, OPEN_PAGE as u32, Vec::new()).await?;
        Ok(runs
            .into_iter()
            .map(|r| OpenRun {
                id: r.activity_id,
                run_id: r.run_id,
                task_queue: r.task_queue,
                scheduled_ms: r.scheduled_ms,
                scenario: None,
            })
            .collect())
    }

    /// The demo's Workflows running now, each with its activity's queue
    /// and scenario from its memo (Workflows without that memo are left
    /// out: their activity's queue is not in the listing).
    pub async fn open_workflows(&self) -> Result<Vec<OpenRun>, GatewayError> {
        let c = &self.client;
        let msg = ListWorkflowExecutionsRequest {
            namespace: c.namespace(),
            page_size: OPEN_PAGE,
            next_page_token: Vec::new(),
            query: format!(
                "WorkflowType = '{}' AND TaskQueue = '{WORKFLOW_TASK_QUEUE}' \
                 AND ExecutionStatus = 'Running'",
                Language::DEMO_WORKFLOW_TYPE
            ),
        };
        let resp = self
            .unary(msg, |mut c, r| async move {
                c.list_workflow_executions(r).await
            })
            .await?;
        Ok(resp
            .executions
            .into_iter()
            .filter_map(|w| {
                let memo = w.memo.unwrap_or_default().fields;
                let task_queue: String = header_json(&memo, MEMO_ACTIVITY_QUEUE)?;
                let execution = w.execution.unwrap_or_default();
                Some(OpenRun {
                    id: execution.workflow_id,
                    run_id: execution.run_id,
                    task_queue,
                    scheduled_ms: ts_ms(w.start_time.as_ref()),
                    scenario: header_json(&memo, SCENARIO_HEADER),
                })
            })
            .collect())
    }
}
