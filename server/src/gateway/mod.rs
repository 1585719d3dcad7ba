//! The one place that talks to Temporal: connecting (embedded dev server or
//! Temporal's envconfig), starting standalone activities, the long-poll
//! `DescribeActivityExecution` the run follower uses; commands to a run
//! (cancel, terminate, the operator commands) and the namespace's
//! capabilities in `operator`; listing and counting runs in `visibility`;
//! a run from a Workflow (its start, cancel, terminate) in `workflow`, its
//! Event History in `history`; who polls a queue and which queues the
//! demo's open runs wait on, for Workers apart, in `queues`.
//! Every call carries a deadline; every failure is a [`GatewayError`].

mod describe;
mod error;
mod history;
mod operator;
mod queues;
mod visibility;
mod workflow;

use std::collections::HashMap;
use std::time::Duration;

use proto::config::{IdConflictPolicy, IdReusePolicy, TimeoutKind};
use proto::{RunRequest, SCENARIO_HEADER};
use serde_json::json;
use temporalio_client::envconfig::LoadClientConfigProfileOptions;
use temporalio_client::errors::StartActivityError;
use temporalio_client::grpc::WorkflowService;
use temporalio_client::request_extensions::NoRetryOnMatching;
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, NamespacedClient, Url, tonic,
};
use temporalio_common::protos::temporal::api::common::v1::{ActivityType, Header, Payloads};
use temporalio_common::protos::temporal::api::enums::v1::{
    ActivityIdConflictPolicy, ActivityIdReusePolicy,
};
use temporalio_common::protos::temporal::api::sdk::v1::UserMetadata;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    DescribeActivityExecutionRequest, GetSystemInfoRequest, StartActivityExecutionRequest,
};

pub use describe::{Stopped, failure_info, why_stopped};
pub use error::{GatewayError, still_starting};
pub use history::{HistoryEvent, HistoryFact, HistoryPage};
pub use operator::{NO_OPERATOR_COMMANDS, NO_START_DELAY, Stop};
pub use queues::{MEMO_ACTIVITY_QUEUE, OpenRun, POLLER_FRESH};
pub use visibility::{list_query, scope_query};

use crate::payload::json_payload;
use crate::tracker::Snapshot;

/// Header key of the token linking Worker events to the run the server started.
pub const TOKEN_HEADER: &str = "demo-run-token";

/// A connected Temporal client.
#[derive(Clone)]
pub struct Gateway {
    client: Client,
    address: String,
}

/// How long one long-poll describe may wait for a change.
pub const LONG_POLL: Duration = Duration::from_secs(15);
/// The deadline of every call that is not a long poll.
pub const CALL_DEADLINE: Duration = Duration::from_secs(10);
/// The deadline of the readiness probe's call.
pub const PROBE_DEADLINE: Duration = Duration::from_millis(900);

/// What a start call returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The run id.
    pub run_id: String,
    /// False when UseExisting handed back a run already going.
    pub started: bool,
}

fn proto_duration(ms: u64) -> Option<prost_wkt_types::Duration> {
    prost_wkt_types::Duration::try_from(Duration::from_millis(ms)).ok()
}

/// Whether `status` means Temporal could not be reached (as opposed to an
/// answer from it).
fn is_transport_error(status: &tonic::Status) -> bool {
    matches!(
        status.code(),
        tonic::Code::Unavailable | tonic::Code::Unknown | tonic::Code::Cancelled
    )
}

/// A request with a deadline, which fails at once when Temporal cannot be
/// reached instead of retrying inside the SDK: the callers decide (the
/// follower backs off and says so; a start answers 503 with Retry-After).
fn with_deadline<T>(msg: T, deadline: Duration) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.set_timeout(deadline);
    req.extensions_mut().insert(NoRetryOnMatching {
        predicate: is_transport_error,
    });
    req
}

/// Runs a call under an outer `deadline` too: the SDK's client retries
/// transport errors on its own, so the per-request timeout alone does not
/// bound how long a call to an unreachable Temporal takes.
async fn bounded<T>(
    deadline: Duration,
    call: impl std::future::Future<Output = Result<T, tonic::Status>>,
) -> Result<T, tonic::Status> {
    tokio::time::timeout(deadline, call)
        .await
        .unwrap_or_else(|_| Err(tonic::Status::deadline_exceeded("no answer in time")))
}

impl Gateway {
    /// One unary call of `rpc` (on a client of its own) with `msg`, under
    /// [`CALL_DEADLINE`] per request and as an outer bound: its answer, or
    /// the [`GatewayError`] its status means.
    async fn unary<Req, Resp, Fut>(
        &self,
        msg: Req,
        rpc: impl FnOnce(Client, tonic::Request<Req>) -> Fut,
    ) -> Result<Resp, GatewayError>
    where
        Fut: std::future::Future<Output = Result<tonic::Response<Resp>, tonic::Status>>,
    {
        bounded(
            CALL_DEADLINE,
            rpc(self.client.clone(), with_deadline(msg, CALL_DEADLINE)),
        )
        .await
        .map(tonic::Response::into_inner)
        .map_err(|s| self.error(s))
    }
}

/// A unique id for one request (Temporal de-duplicates retries by it): a
/// random UUID, as Temporal's SDKs make.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
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

    fn error(&self, status: tonic::Status) -> GatewayError {
        GatewayError::from_status(status, &self.address)
    }

    /// A cheap call proving Temporal answers, within [`PROBE_DEADLINE`].
    pub async fn check(&self) -> Result<(), GatewayError> {
        let mut c = self.client.clone();
        bounded(
            PROBE_DEADLINE,
            c.get_system_info(with_deadline(GetSystemInfoRequest {}, PROBE_DEADLINE)),
        )
        .await
        .map_err(|s| self.error(s))?;
        Ok(())
    }

    /// Starts the activity `req` describes with `StartActivityExecution`
    /// (the raw call: its answer says whether a new run started). The
    /// scenario and `token` travel in the Header.
    pub async fn start(&self, req: &RunRequest, token: &str) -> Result<Started, GatewayError> {
        let c = &req.config;
        let (schedule_to_close, start_to_close) = match c.timeout_kind {
            TimeoutKind::StartToClose => (None, Some(c.timeout_ms)),
            TimeoutKind::ScheduleToClose => (Some(c.timeout_ms), None),
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
        let msg = StartActivityExecutionRequest {
            namespace: client.namespace(),
            identity: client.identity(),
            request_id: request_id(),
            activity_id: c.activity_id.clone(),
            activity_type: Some(ActivityType {
                name: req.language.activity_type().to_owned(),
            }),
            task_queue: Some(operator::task_queue(&c.task_queue)),
            schedule_to_close_timeout: schedule_to_close.and_then(proto_duration),
            start_to_close_timeout: start_to_close.and_then(proto_duration),
            schedule_to_start_timeout: c.schedule_to_start_timeout_ms.and_then(proto_duration),
            heartbeat_timeout: c.heartbeat_timeout_ms.and_then(proto_duration),
            start_delay: c.start_delay_ms.and_then(proto_duration),
            retry_policy: Some(operator::to_proto_retry(&c.retry)),
            input: Some(Payloads {
                payloads: vec![json_payload(&json!(c.input))],
            }),
            id_reuse_policy: match c.id_reuse_policy {
                IdReusePolicy::AllowDuplicate => ActivityIdReusePolicy::AllowDuplicate,
                IdReusePolicy::AllowDuplicateFailedOnly => {
                    ActivityIdReusePolicy::AllowDuplicateFailedOnly
                }
                IdReusePolicy::RejectDuplicate => ActivityIdReusePolicy::RejectDuplicate,
            }
            .into(),
            id_conflict_policy: match c.id_conflict_policy {
                IdConflictPolicy::Fail => ActivityIdConflictPolicy::Fail,
                IdConflictPolicy::UseExisting => ActivityIdConflictPolicy::UseExisting,
            }
            .into(),
            header: Some(header),
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
            client.start_activity_execution(with_deadline(msg, CALL_DEADLINE)),
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
            // The SDK knows how to read the holder's run id from the details.
            Err(status) => Err(match StartActivityError::from(status) {
                StartActivityError::AlreadyStarted { run_id, .. } => GatewayError::AlreadyStarted {
                    activity_id: c.activity_id.clone(),
                    run_id: (!run_id.is_empty()).then_some(run_id),
                },
                // Without the details, still a conflict on this id.
                StartActivityError::Rpc(status) if status.code() == tonic::Code::AlreadyExists => {
                    GatewayError::AlreadyStarted {
                        activity_id: c.activity_id.clone(),
                        run_id: None,
                    }
                }
                StartActivityError::Rpc(status) => self.error(status),
                other => GatewayError::Other(other.to_string()),
            }),
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
    ) -> Result<Option<(Snapshot, Vec<u8>)>, GatewayError> {
        let mut c = self.client.clone();
        let polling = !long_poll_token.is_empty();
        let msg = DescribeActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            include_input: false,
            include_outcome: true,
            include_heartbeat_details: true,
            include_last_failure: true,
            long_poll_token,
        };
        let deadline = if polling {
            LONG_POLL + Duration::from_secs(5)
        } else {
            CALL_DEADLINE
        };
        let resp = match bounded(
            deadline,
            c.describe_activity_execution(with_deadline(msg, deadline)),
        )
        .await
        {
            Ok(r) => r.into_inner(),
            // The long poll's window ended with no change.
            Err(s) if polling && s.code() == tonic::Code::DeadlineExceeded => return Ok(None),
            Err(s) => return Err(self.error(s)),
        };
        Ok(describe::snapshot(&resp).map(|snap| (snap, resp.long_poll_token)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_ids_are_random_uuids() {
        let (a, b) = (super::request_id(), super::request_id());
        assert_ne!(a, b);
        let id = uuid::Uuid::parse_str(&a).expect("a UUID");
        assert_eq!(id.get_version(), Some(uuid::Version::Random));
    }
}
