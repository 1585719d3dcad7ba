//! Temporal's own record of runs: `ListActivityExecutions` and
//! `CountActivityExecutions ... GROUP BY ExecutionStatus` over a visibility
//! query built here from validated values only (every string quoted and
//! escaped, statuses from a closed list), and the describe that reads back
//! what a run was started with. Same deadlines and error mapping as every
//! other call of the gateway.

use proto::{RunStatus, RunSummary, RunsQuery};
use temporalio_client::NamespacedClient;
use temporalio_client::grpc::WorkflowService;
use temporalio_common::protos::temporal::api::enums::v1::ActivityExecutionStatus;
use temporalio_common::protos::temporal::api::workflowservice::v1::{
    CountActivityExecutionsRequest, DescribeActivityExecutionRequest, ListActivityExecutionsRequest,
};

use super::describe::from_proto_retry;
use super::describe::{duration_ms, ts_ms};
use super::{Gateway, GatewayError};
use crate::payload::{header_json, payload_json};

/// One page of listed runs (without Web UI links: the service knows the UI)
/// and the token of the next (empty: last page).
pub type Page = (Vec<RunSummary>, Vec<u8>);

/// What a describe reports a run was started with ([`proto::RunOptions`]
/// minus what the service decides: the language, and whether the caller may
/// see the input).
pub type Recorded = proto::RunOptions;

/// A visibility string literal: quoted, with `\` and `'` escaped.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if matches!(c, '\\' | '\'') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn one_of(field: &str, values: &[String]) -> String {
    let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("{field} IN ({})", list.join(", "))
}

/// Temporal's name of a status in the query language, as its visibility
/// stores `ExecutionStatus` (checked against the dev server of CLI 1.9.1: a
/// paused standalone activity is listed by `ExecutionStatus = 'Paused'` and
/// counted in the group `Paused`).
fn status_value(status: RunStatus) -> Option<&'static str> {
    Some(match status {
        RunStatus::Running => "Running",
        RunStatus::Completed => "Completed",
        RunStatus::Failed => "Failed",
        RunStatus::TimedOut => "TimedOut",
        RunStatus::Canceled => "Canceled",
        RunStatus::Terminated => "Terminated",
        RunStatus::Paused => "Paused",
        RunStatus::Unknown => return None,
    })
}

fn status_of(name: &str) -> RunStatus {
    RunStatus::LISTED
        .into_iter()
        .find(|s| status_value(*s) == Some(name))
        .unwrap_or(RunStatus::Unknown)
}

/// The scope of `q` (its runs, or else `queues`), without the status filter:
/// what the counts cover.
pub fn scope_query(q: &RunsQuery, queues: &[String]) -> String {
    if q.run_ids.is_empty() {
        one_of("TaskQueue", queues)
    } else {
        one_of("RunId", &q.run_ids)
    }
}

/// The list query of `q`: its scope and status.
pub fn list_query(q: &RunsQuery, queues: &[String]) -> String {
    let scope = scope_query(q, queues);
    match q.status.and_then(status_value) {
        Some(s) => format!("{scope} AND ExecutionStatus = {}", quote(s)),
        None => scope,
    }
}

fn proto_status(status: i32) -> RunStatus {
    match ActivityExecutionStatus::try_from(status) {
        Ok(ActivityExecutionStatus::Running) => RunStatus::Running,
        Ok(ActivityExecutionStatus::Completed) => RunStatus::Completed,
        Ok(ActivityExecutionStatus::Failed) => RunStatus::Failed,
        Ok(ActivityExecutionStatus::TimedOut) => RunStatus::TimedOut,
        Ok(ActivityExecutionStatus::Canceled) => RunStatus::Canceled,
        Ok(ActivityExecutionStatus::Terminated) => RunStatus::Terminated,
        Ok(ActivityExecutionStatus::Paused) => RunStatus::Paused,
        _ => RunStatus::Unknown,
    }
}

impl Gateway {
    /// One page of `query`, newest first (Temporal's order).
    pub async fn list(
        &self,
        query: String,
        page_size: u32,
        page_token: Vec<u8>,
    ) -> Result<Page, GatewayError> {
        let c = &self.client;
        let msg = ListActivityExecutionsRequest {
            namespace: c.namespace(),
            page_size: i32::try_from(page_size).unwrap_or(i32::MAX),
            next_page_token: page_token,
            query,
        };
        let resp = self
            .unary(msg, |mut c, r| async move {
                c.list_activity_executions(r).await
            })
            .await?;
        let runs = resp
            .executions
            .into_iter()
            .map(|e| RunSummary {
                web_ui_url: None,
                activity_type: e.activity_type.map(|t| t.name).unwrap_or_default(),
                status: proto_status(e.status),
                scheduled_ms: ts_ms(e.schedule_time.as_ref()),
                closed_ms: ts_ms(e.close_time.as_ref()),
                activity_id: e.activity_id,
                run_id: e.run_id,
                task_queue: e.task_queue,
            })
            .collect();
        Ok((runs, resp.next_page_token))
    }

    /// How many runs `scope` holds, in all and per status.
    pub async fn count_by_status(
        &self,
        scope: &str,
    ) -> Result<(u64, Vec<(RunStatus, u64)>), GatewayError> {
        let c = &self.client;
        let msg = CountActivityExecutionsRequest {
            namespace: c.namespace(),
            query: format!("{scope} GROUP BY ExecutionStatus"),
        };
        let resp = self
            .unary(msg, |mut c, r| async move {
                c.count_activity_executions(r).await
            })
            .await?;
        let groups = resp
            .groups
            .iter()
            .filter_map(|g| {
                let name = g.group_values.first().and_then(payload_json)?;
                Some((status_of(name.as_str()?), u64::try_from(g.count).ok()?))
            })
            .collect();
        Ok((u64::try_from(resp.count).unwrap_or(0), groups))
    }

    /// What Temporal recorded `run_id` of `activity_id` was started with.
    pub async fn recorded_options(
        &self,
        activity_id: &str,
        run_id: &str,
    ) -> Result<Recorded, GatewayError> {
        let c = &self.client;
        let msg = DescribeActivityExecutionRequest {
            namespace: c.namespace(),
            activity_id: activity_id.to_owned(),
            run_id: run_id.to_owned(),
            include_input: true,
            ..Default::default()
        };
        let resp = self
            .unary(msg, |mut c, r| async move {
                c.describe_activity_execution(r).await
            })
            .await?;
        let info = resp
            .info
            .ok_or_else(|| GatewayError::Other("a description without its info".to_owned()))?;
        let positive = |ms: Option<u64>| ms.filter(|ms| *ms > 0);
        let retry = info.retry_policy.as_ref().map(from_proto_retry);
        // The greeting's argument: a name, or an object with one.
        let input = resp
            .input
            .as_ref()
            .and_then(|p| p.payloads.first())
            .and_then(payload_json)
            .and_then(|v| match v {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Object(o) => o.get("name")?.as_str().map(str::to_owned),
                _ => None,
            });
        let scenario = info
            .header
            .as_ref()
            .and_then(|h| header_json(&h.fields, proto::SCENARIO_HEADER));
        Ok(Recorded {
            activity_id: info.activity_id,
            run_id: info.run_id,
            activity_type: info.activity_type.map(|t| t.name).unwrap_or_default(),
            language: None,
            task_queue: info.task_queue,
            schedule_to_close_ms: positive(duration_ms(info.schedule_to_close_timeout.as_ref())),
            start_to_close_ms: positive(duration_ms(info.start_to_close_timeout.as_ref())),
            schedule_to_start_ms: positive(duration_ms(info.schedule_to_start_timeout.as_ref())),
            heartbeat_ms: positive(duration_ms(info.heartbeat_timeout.as_ref())),
            start_delay_ms: positive(duration_ms(info.start_delay.as_ref())),
            retry,
            input,
            scenario,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_and_escaped() {
        assert_eq!(quote("a'b\\c"), r"'a\'b\\c'");
        let q = RunsQuery {
            status: Some(RunStatus::TimedOut),
            ..RunsQuery::default()
        };
        let queues = ["x' OR '1'='1".to_owned()];
        assert_eq!(
            list_query(&q, &queues),
            r"TaskQueue IN ('x\' OR \'1\'=\'1') AND ExecutionStatus = 'TimedOut'"
        );
        let mine = RunsQuery {
            run_ids: vec!["r1".into(), "r2".into()],
            ..RunsQuery::default()
        };
        assert_eq!(scope_query(&mine, &queues), "RunId IN ('r1', 'r2')");
    }

    #[test]
    fn status_names_round_trip() {
        for s in RunStatus::LISTED {
            assert_eq!(status_of(status_value(s).unwrap()), s);
        }
        assert_eq!(status_value(RunStatus::Unknown), None);
        assert_eq!(status_of("Sleeping"), RunStatus::Unknown);
    }

    #[test]
    fn paused_is_listed_counted_and_read_as_temporal_names_it() {
        let q = RunsQuery {
            status: Some(RunStatus::Paused),
            ..RunsQuery::default()
        };
        assert_eq!(
            list_query(&q, &["demo".to_owned()]),
            "TaskQueue IN ('demo') AND ExecutionStatus = 'Paused'"
        );
        // The count's group value for a paused run.
        assert_eq!(status_of("Paused"), RunStatus::Paused);
        assert_eq!(
            proto_status(ActivityExecutionStatus::Paused.into()),
            RunStatus::Paused
        );
        assert_eq!(proto_status(99), RunStatus::Unknown);
    }
}
