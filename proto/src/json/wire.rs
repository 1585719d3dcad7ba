//! The wire structs and data enums the app receives ([`FromJson`] for each),
//! field by field as serde writes them.

use super::Json;
use super::decode::{Fields, FromJson, unknown_tag};
use crate::api::{ApiError, RunStarted, ServerInfo};
use crate::config::RetryPolicy;
use crate::event::{EventKind, RunEvent};
use crate::failure::FailureInfo;
use crate::runs::{RunOptions, RunSummary, RunsPage, StatusCount};
use crate::scenario::FailureScenario;
use crate::validate::FieldError;

impl FromJson for FailureInfo {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(FailureInfo {
            message: o.req("message")?,
            error_type: o.opt("error_type")?,
            non_retryable: o.req("non_retryable")?,
            timeout: o.opt("timeout")?,
        })
    }
}

impl FromJson for FailureScenario {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(match o.tag("kind")? {
            "none" => FailureScenario::None,
            "fail_first" => FailureScenario::FailFirst {
                attempts: o.req("attempts")?,
            },
            "non_retryable" => FailureScenario::NonRetryable,
            "too_slow" => FailureScenario::TooSlow {
                attempts: o.req("attempts")?,
            },
            "long_running" => FailureScenario::LongRunning {
                seconds: o.req("seconds")?,
            },
            "crash" => FailureScenario::Crash {
                attempts: o.req("attempts")?,
            },
            "outage" => FailureScenario::Outage {
                seconds: o.req("seconds")?,
            },
            other => return Err(unknown_tag(other)),
        })
    }
}

impl FromJson for RetryPolicy {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RetryPolicy {
            initial_interval_ms: o.req("initial_interval_ms")?,
            backoff_coefficient: o.req("backoff_coefficient")?,
            maximum_interval_ms: o.req("maximum_interval_ms")?,
            maximum_attempts: o.req("maximum_attempts")?,
            non_retryable_error_types: o.or_default("non_retryable_error_types")?,
        })
    }
}

impl FromJson for ServerInfo {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(ServerInfo {
            address: o.req("address")?,
            namespace: o.req("namespace")?,
            web_ui_url: o.opt("web_ui_url")?,
        })
    }
}

impl FromJson for RunStarted {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RunStarted {
            activity_id: o.req("activity_id")?,
            run_id: o.req("run_id")?,
            activity_type: o.req("activity_type")?,
            started: o.req("started")?,
            web_ui_url: o.opt("web_ui_url")?,
            control_token: o.opt("control_token")?,
        })
    }
}

impl FromJson for FieldError {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(FieldError {
            field: o.req("field")?,
            message: o.req("message")?,
        })
    }
}

impl FromJson for ApiError {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(ApiError {
            message: o.req("message")?,
            code: o.req("code")?,
            fields: o.or_default("fields")?,
            existing_run_id: o.opt("existing_run_id")?,
        })
    }
}

impl FromJson for RunSummary {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RunSummary {
            activity_id: o.req("activity_id")?,
            run_id: o.req("run_id")?,
            activity_type: o.req("activity_type")?,
            task_queue: o.req("task_queue")?,
            status: o.req("status")?,
            scheduled_ms: o.opt("scheduled_ms")?,
            closed_ms: o.opt("closed_ms")?,
            web_ui_url: o.opt("web_ui_url")?,
        })
    }
}

impl FromJson for StatusCount {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(StatusCount {
            status: o.req("status")?,
            count: o.req("count")?,
        })
    }
}

impl FromJson for RunsPage {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RunsPage {
            runs: o.req("runs")?,
            counts: o.req("counts")?,
            total: o.req("total")?,
            next_page_token: o.opt("next_page_token")?,
            task_queues: o.req("task_queues")?,
        })
    }
}

impl FromJson for RunOptions {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RunOptions {
            activity_id: o.req("activity_id")?,
            run_id: o.req("run_id")?,
            activity_type: o.req("activity_type")?,
            language: o.opt("language")?,
            task_queue: o.req("task_queue")?,
            schedule_to_close_ms: o.opt("schedule_to_close_ms")?,
            start_to_close_ms: o.opt("start_to_close_ms")?,
            schedule_to_start_ms: o.opt("schedule_to_start_ms")?,
            heartbeat_ms: o.opt("heartbeat_ms")?,
            retry: o.opt("retry")?,
            input: o.opt("input")?,
            scenario: o.opt("scenario")?,
        })
    }
}

impl FromJson for RunEvent {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(RunEvent {
            id: o.req("id")?,
            at_ms: o.opt("at_ms")?,
            source: o.req("source")?,
            inferred: o.or_default("inferred")?,
            kind: EventKind::from_json(v)?,
        })
    }
}

impl FromJson for EventKind {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        let tag = o.tag("type")?;
        variant(&o, tag).map_err(|e| format!("{tag}.{e}"))
    }
}

/// The fields of the variant named `tag`.
fn variant(o: &Fields<'_>, tag: &str) -> Result<EventKind, String> {
    Ok(match tag {
        "start_requested" => EventKind::StartRequested {
            address: o.req("address")?,
            namespace: o.req("namespace")?,
            started: o.req("started")?,
        },
        "scheduled" => EventKind::Scheduled {
            activity_id: o.req("activity_id")?,
            run_id: o.req("run_id")?,
            activity_type: o.req("activity_type")?,
            task_queue: o.req("task_queue")?,
        },
        "attempt_started" => EventKind::AttemptStarted {
            attempt: o.req("attempt")?,
            worker_identity: o.opt("worker_identity")?,
        },
        "worker_executing" => EventKind::WorkerExecuting {
            attempt: o.req("attempt")?,
        },
        "worker_returned" => EventKind::WorkerReturned {
            attempt: o.req("attempt")?,
            duration_ms: o.req("duration_ms")?,
            error: o.opt("error")?,
        },
        "heartbeat" => EventKind::Heartbeat {
            attempt: o.opt("attempt")?,
            count: o.req("count")?,
            details: o.opt("details")?,
        },
        "worker_offline" => EventKind::WorkerOffline {
            task_queue: o.req("task_queue")?,
            seconds: o.req("seconds")?,
        },
        "worker_online" => EventKind::WorkerOnline {
            task_queue: o.req("task_queue")?,
        },
        "attempt_failed" => EventKind::AttemptFailed {
            attempt: o.req("attempt")?,
            failure: o.opt("failure")?,
            next_attempt_at_ms: o.opt("next_attempt_at_ms")?,
            retry_in_ms: o.opt("retry_in_ms")?,
        },
        "cancel_requested" => EventKind::CancelRequested {
            reason: o.req("reason")?,
        },
        "completed" => EventKind::Completed {
            attempt: o.req("attempt")?,
            result: o.opt("result")?,
        },
        "failed" => EventKind::Failed {
            attempt: o.req("attempt")?,
            failure: o.opt("failure")?,
            retry_state: o.opt("retry_state")?,
        },
        "timed_out" => EventKind::TimedOut {
            attempt: o.req("attempt")?,
            phase: o.req("phase")?,
            failure: o.opt("failure")?,
            retry_state: o.opt("retry_state")?,
        },
        "canceled" => EventKind::Canceled {
            attempt: o.req("attempt")?,
            phase: o.req("phase")?,
        },
        "terminated" => EventKind::Terminated {
            attempt: o.req("attempt")?,
            phase: o.req("phase")?,
            reason: o.opt("reason")?,
        },
        "temporal_unreachable" => EventKind::TemporalUnreachable {
            address: o.req("address")?,
            outage: o.req("outage")?,
        },
        "temporal_reachable" => EventKind::TemporalReachable {
            address: o.req("address")?,
            outage: o.req("outage")?,
        },
        "lost" => EventKind::Lost {
            message: o.req("message")?,
        },
        other => return Err(unknown_tag(other)),
    })
}
