//! The one place that talks to Temporal: connecting (embedded dev server or
//! Temporal's envconfig), starting standalone activities, the long-poll
//! `DescribeActivityExecution` the run follower uses, cancel and terminate.

use std::collections::HashMap;
use std::time::Duration;

use proto::config::{IdConflictPolicy, IdReusePolicy, TimeoutKind};
use proto::{FailureInfo, RunRequest, SCENARIO_HEADER};
use serde_json::json;
use temporalio_client::envconfig::LoadClientConfigProfileOptions;
use temporalio_client::errors::StartActivityError;
use temporalio_client::grpc::WorkflowService;
use temporalio_client::{
    ActivityCancelOptions, ActivityIdConflictPolicy, ActivityIdReusePolicy, ActivityStartOptions,
    ActivityTerminateOptions, Client, ClientOptions, Connection, ConnectionOptions,
    NamespacedClient, RetryPolicy, Url, tonic,
};
use temporalio_common::UntypedActivity;
use temporalio_common::data_converters::RawValue;
use temporalio_common::protos::temporal::api::activity::v1::activity_execution_outcome;
use temporalio_common::protos::temporal::api::common::v1::{Header, Payload};
use temporalio_common::protos::temporal::api::enums::v1::{
    ActivityExecutionStatus, PendingActivityState,
};
use temporalio_common::protos::temporal::api::failure::v1::{Failure, failure::FailureInfo as Fi};
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    DescribeActivityExecutionRequest, GetSystemInfoRequest,
};

use crate::error::AppError;
use crate::tracker::{Outcome, RunState, Snapshot, Status, timeout_type};
use crate::worker::{TOKEN_HEADER, payload_json};

/// A connected Temporal client.
#[derive(Clone)]
pub struct Gateway {
    client: Client,
    address: String,
}

/// How long one long-poll describe may wait for a change.
pub const LONG_POLL: Duration = Duration::from_secs(15);

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

macro_rules! ts_ms {
    ($t:expr) => {
        $t.as_ref()
            .map(|t| t.seconds * 1_000 + i64::from(t.nanos) / 1_000_000)
    };
}

fn json_payload(value: &serde_json::Value) -> Payload {
    Payload {
        metadata: HashMap::from([("encoding".to_owned(), b"json/plain".to_vec())]),
        data: serde_json::to_vec(value).unwrap_or_default(),
        ..Default::default()
    }
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

fn status_to_error(status: tonic::Status) -> AppError {
    match status.code() {
        tonic::Code::InvalidArgument | tonic::Code::FailedPrecondition => {
            AppError::Rejected(status.message().to_owned())
        }
        tonic::Code::NotFound => AppError::NotFound(status.message().to_owned()),
        _ => AppError::Unavailable(status.message().to_owned()),
    }
}

impl Gateway {
    /// Connects to `address` (`host:port`, plain text) in `namespace`.
    pub async fn connect_plain(
        address: &str,
        namespace: &str,
        identity: &str,
    ) -> anyhow::Result<Gateway> {
        let url = Url::parse(&format!("http://{address}"))?;
        let conn = ConnectionOptions::new(url)
            .identity(identity.to_owned())
            .build();
        Self::connect(
            conn,
            ClientOptions::new(namespace).build(),
            address.to_owned(),
        )
        .await
    }

    /// Connects as Temporal's environment configuration says
    /// (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, TLS, profiles).
    pub async fn connect_envconfig(identity: &str) -> anyhow::Result<Gateway> {
        let (mut conn, client) =
            ClientOptions::load_from_config(LoadClientConfigProfileOptions::default())
                .map_err(|e| anyhow::anyhow!("Temporal environment configuration: {e}"))?;
        conn.identity = identity.to_owned();
        let address = conn
            .target
            .host_str()
            .map(|h| {
                format!(
                    "{h}:{}",
                    conn.target.port_or_known_default().unwrap_or(7233)
                )
            })
            .unwrap_or_else(|| conn.target.to_string());
        Self::connect(conn, client, address).await
    }

    async fn connect(
        conn: ConnectionOptions,
        client: ClientOptions,
        address: String,
    ) -> anyhow::Result<Gateway> {
        let conn = Connection::connect(conn).await?;
        let client = Client::new(conn, client)?;
        Ok(Gateway { client, address })
    }

    /// The SDK client (the Worker shares it).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The frontend address, `host:port`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The namespace.
    pub fn namespace(&self) -> String {
        self.client.namespace()
    }

    /// A cheap call proving Temporal answers.
    pub async fn check(&self) -> Result<(), AppError> {
        let mut c = self.client.clone();
        let mut req = tonic::Request::new(GetSystemInfoRequest {});
        req.set_timeout(Duration::from_secs(5));
        c.get_system_info(req).await.map_err(status_to_error)?;
        Ok(())
    }

    /// Starts the activity `req` describes. The scenario and `token` travel in
    /// the Header. Returns the run id and whether a new run was started.
    pub async fn start(&self, req: &RunRequest, token: &str) -> Result<String, AppError> {
        let c = &req.config;
        let timeout = Duration::from_millis(c.timeout_ms);
        let builder = match c.timeout_kind {
            TimeoutKind::StartToClose => ActivityStartOptions::with_start_to_close_timeout(
                c.task_queue.as_str(),
                c.activity_id.as_str(),
                timeout,
            ),
            TimeoutKind::ScheduleToClose => ActivityStartOptions::with_schedule_to_close_timeout(
                c.task_queue.as_str(),
                c.activity_id.as_str(),
                timeout,
            ),
        };
        let retry = RetryPolicy::builder()
            .initial_interval(Duration::from_millis(c.retry.initial_interval_ms))
            .backoff_coefficient(c.retry.backoff_coefficient)
            .maximum_interval(Duration::from_millis(c.retry.maximum_interval_ms))
            .maximum_attempts(c.retry.maximum_attempts)
            .non_retryable_error_types(c.retry.non_retryable_error_types.clone())
            .build();
        let header = Header {
            fields: HashMap::from([
                (
                    SCENARIO_HEADER.to_owned(),
                    json_payload(&serde_json::to_value(req.scenario).unwrap_or(json!(null))),
                ),
                (TOKEN_HEADER.to_owned(), json_payload(&json!(token))),
            ]),
        };
        let opts = builder
            .maybe_schedule_to_start_timeout(
                c.schedule_to_start_timeout_ms.map(Duration::from_millis),
            )
            .maybe_heartbeat_timeout(c.heartbeat_timeout_ms.map(Duration::from_millis))
            .retry_policy(retry)
            .id_reuse_policy(match c.id_reuse_policy {
                IdReusePolicy::AllowDuplicate => ActivityIdReusePolicy::AllowDuplicate,
                IdReusePolicy::AllowDuplicateFailedOnly => {
                    ActivityIdReusePolicy::AllowDuplicateFailedOnly
                }
                IdReusePolicy::RejectDuplicate => ActivityIdReusePolicy::RejectDuplicate,
            })
            .id_conflict_policy(match c.id_conflict_policy {
                IdConflictPolicy::Fail => ActivityIdConflictPolicy::Fail,
                IdConflictPolicy::UseExisting => ActivityIdConflictPolicy::UseExisting,
            })
            .header(header)
            .summary(format!("demo: {}", req.scenario.summary()))
            .build();
        let converter = self.client.data_converter().payload_converter().clone();
        let input = RawValue::from_value(&json!(c.input), &converter);
        let activity_type = req.language.activity_type();
        match self
            .client
            .start_activity(UntypedActivity::new(activity_type), input, opts)
            .await
        {
            Ok(handle) => handle
                .run_id()
                .map(str::to_owned)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("start returned no run id"))),
            Err(StartActivityError::AlreadyStarted { run_id, .. }) => {
                Err(AppError::AlreadyStarted {
                    activity_id: c.activity_id.clone(),
                    run_id: (!run_id.is_empty()).then_some(run_id),
                })
            }
            Err(e) => {
                let message = e.to_string();
                if message.contains("InvalidArgument") || message.contains("invalid") {
                    Err(AppError::Rejected(message))
                } else {
                    Err(AppError::Unavailable(message))
                }
            }
        }
    }

    /// One describe call. With a `long_poll_token` from a previous answer it
    /// blocks until the run changes (or [`LONG_POLL`] passes: `Ok(None)`).
    /// Returns the snapshot and the token for the next call.
    pub async fn describe(
        &self,
        activity_id: &str,
        run_id: &str,
        long_poll_token: Vec<u8>,
    ) -> Result<Option<(Snapshot, Vec<u8>)>, tonic::Status> {
        let mut c = self.client.clone();
        let mut req = tonic::Request::new(DescribeActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            include_input: false,
            include_outcome: true,
            include_heartbeat_details: true,
            include_last_failure: true,
            long_poll_token,
        });
        req.set_timeout(LONG_POLL + Duration::from_secs(5));
        let resp = match c.describe_activity_execution(req).await {
            Ok(r) => r.into_inner(),
            Err(s) if s.code() == tonic::Code::DeadlineExceeded => return Ok(None),
            Err(s) => return Err(s),
        };
        let Some(info) = resp.info.as_ref() else {
            return Ok(None);
        };
        let status = match info.status() {
            ActivityExecutionStatus::Completed => Status::Completed,
            ActivityExecutionStatus::Failed => Status::Failed,
            ActivityExecutionStatus::Canceled => Status::Canceled,
            ActivityExecutionStatus::Terminated => Status::Terminated,
            ActivityExecutionStatus::TimedOut => Status::TimedOut,
            _ => Status::Running,
        };
        let run_state = match info.run_state() {
            PendingActivityState::Scheduled => RunState::Scheduled,
            PendingActivityState::Started => RunState::Started,
            PendingActivityState::CancelRequested => RunState::CancelRequested,
            _ => RunState::Other,
        };
        let outcome = match resp.outcome.as_ref().and_then(|o| o.value.as_ref()) {
            Some(activity_execution_outcome::Value::Result(p)) => Some(Outcome::Result(
                p.payloads
                    .first()
                    .and_then(payload_json)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "null".to_owned()),
            )),
            Some(activity_execution_outcome::Value::Failure(f)) => {
                Some(Outcome::Failure(failure_info(f)))
            }
            None => None,
        };
        let snapshot = Snapshot {
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
            schedule_ms: ts_ms!(info.schedule_time),
            last_started_ms: ts_ms!(info.last_started_time),
            last_worker_identity: info.last_worker_identity.clone(),
            last_failure: info.last_failure.as_ref().map(failure_info),
            next_attempt_ms: ts_ms!(info.next_attempt_schedule_time),
            current_retry_interval_ms: info.current_retry_interval.as_ref().map(|d| {
                ms(Duration::new(
                    u64::try_from(d.seconds).unwrap_or(0),
                    u32::try_from(d.nanos).unwrap_or(0),
                ))
            }),
            heartbeat_count: u64::try_from(info.total_heartbeat_count).unwrap_or(0),
            last_heartbeat_ms: ts_ms!(info.last_heartbeat_time),
            heartbeat_details: info
                .heartbeat_details
                .as_ref()
                .and_then(|d| d.payloads.first())
                .and_then(payload_json)
                .map(|v| v.to_string()),
            close_ms: ts_ms!(info.close_time),
            outcome,
            canceled_reason: info.canceled_reason.clone(),
        };
        Ok(Some((snapshot, resp.long_poll_token)))
    }

    /// Cancels or terminates a run.
    pub async fn stop(
        &self,
        activity_id: &str,
        run_id: &str,
        how: Stop,
        reason: &str,
    ) -> Result<(), AppError> {
        let handle = self
            .client
            .get_untyped_activity_handle(activity_id.to_owned(), Some(run_id.to_owned()));
        let reason = reason.to_owned();
        match how {
            Stop::Cancel => {
                handle
                    .cancel(ActivityCancelOptions::builder().reason(reason).build())
                    .await
            }
            Stop::Terminate => {
                handle
                    .terminate(ActivityTerminateOptions::builder().reason(reason).build())
                    .await
            }
        }
        .map_err(|e| AppError::Rejected(e.to_string()))
    }
}

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
