//! The text of each Activity Log line. Every sentence says only what its
//! event carries: a failure Temporal no longer keeps is "not kept", a
//! Worker Temporal did not name is not named. Free functions, as the
//! event types are `proto`'s.

use proto::event::{AttemptPhase, EventKind, RunEvent, TimeoutType, format_ms};
use proto::{Command, RetryPolicy, RunOptionsNow};

fn during(attempt: u32, phase: AttemptPhase) -> String {
    match phase {
        AttemptPhase::Running => format!("during attempt {attempt}"),
        AttemptPhase::Waiting if attempt > 1 => {
            format!(
                "while attempt {attempt} waited to start (after attempt {} failed)",
                attempt - 1
            )
        }
        AttemptPhase::Waiting => format!("before attempt {attempt} started"),
        AttemptPhase::Unknown => format!("on attempt {attempt}"),
    }
}

/// `Heartbeat #3 recorded (attempt 1)`: a heartbeat line without its details.
pub fn heartbeat_head(attempt: Option<u32>, count: u64) -> String {
    match attempt {
        Some(a) => format!("Heartbeat #{count} recorded (attempt {a})"),
        None => format!("Heartbeat #{count} recorded"),
    }
}

/// What the demo's client sent.
fn command_text(command: &Command) -> String {
    match command {
        Command::Pause { reason } => {
            format!("Client sent PauseActivityExecution (reason: {reason}); Temporal accepted it")
        }
        Command::Unpause { reason } => {
            format!("Client sent UnpauseActivityExecution (reason: {reason}); Temporal accepted it")
        }
        Command::Reset(r) => {
            let mut s = "Client sent ResetActivityExecution".to_owned();
            if r.keep_paused {
                s.push_str(", keep paused");
            }
            if r.reset_heartbeat {
                s.push_str(", heartbeat details cleared");
            }
            s.push_str("; Temporal accepted it");
            s
        }
        Command::UpdateOptions(u) => {
            let mut parts = Vec::new();
            for (ms, name) in [
                (u.start_to_close_ms, "Start-to-Close"),
                (u.schedule_to_close_ms, "Schedule-to-Close"),
                (u.schedule_to_start_ms, "Schedule-to-Start"),
                (u.heartbeat_ms, "Heartbeat timeout"),
            ] {
                if let Some(ms) = ms {
                    parts.push(format!("{name} {}", format_ms(ms)));
                }
            }
            if let Some(q) = &u.task_queue {
                parts.push(format!("task queue {q}"));
            }
            if let Some(r) = &u.retry {
                parts.push(retry_text(r));
            }
            format!(
                "Client sent UpdateActivityExecutionOptions ({}); Temporal accepted it",
                parts.join(", ")
            )
        }
        Command::Delete => "Client sent DeleteActivityExecution; Temporal accepted it".to_owned(),
    }
}

fn retry_text(r: &RetryPolicy) -> String {
    format!(
        "retry every {} ×{} up to {} attempts",
        format_ms(r.initial_interval_ms),
        proto::decimal::shortest(r.backoff_coefficient),
        r.maximum_attempts
    )
}

/// The options Temporal reports, briefly.
pub fn options_text(o: &RunOptionsNow) -> String {
    let mut parts = Vec::new();
    for (ms, name) in [
        (o.start_to_close_ms, "Start-to-Close"),
        (o.schedule_to_close_ms, "Schedule-to-Close"),
        (o.schedule_to_start_ms, "Schedule-to-Start"),
        (o.heartbeat_ms, "Heartbeat timeout"),
    ] {
        if let Some(ms) = ms {
            parts.push(format!("{name} {}", format_ms(ms)));
        }
    }
    parts.push(format!("task queue {}", o.task_queue));
    if let Some(r) = &o.retry {
        parts.push(retry_text(r));
    }
    parts.join(", ")
}

/// One line of text for the log.
pub fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::StartRequested {
            address,
            namespace,
            started: true,
        } => format!(
            "Client sent StartActivityExecution to Temporal at {address} (namespace {namespace}): a new run"
        ),
        EventKind::StartRequested {
            address,
            namespace,
            started: false,
        } => format!(
            "Client sent StartActivityExecution to Temporal at {address} (namespace {namespace}): \
             the id conflict policy UseExisting returned the run already going"
        ),
        EventKind::WorkflowStartRequested {
            address,
            namespace,
            workflow_type,
            started: true,
        } => format!(
            "Client sent StartWorkflowExecution ({workflow_type}) to Temporal at {address} \
             (namespace {namespace}): a new Workflow run"
        ),
        EventKind::WorkflowStartRequested {
            address,
            namespace,
            workflow_type,
            started: false,
        } => format!(
            "Client sent StartWorkflowExecution ({workflow_type}) to Temporal at {address} \
             (namespace {namespace}): the id conflict policy UseExisting returned the Workflow \
             already going"
        ),
        EventKind::WorkflowStarted {
            workflow_id,
            run_id,
            workflow_type,
            task_queue,
        } => format!(
            "Server started Workflow {workflow_type} as {workflow_id} (run {run_id}) on task queue \
             {task_queue}"
        ),
        EventKind::ActivityClosed {
            attempt,
            status,
            result,
            failure,
            retry_state,
        } => {
            let mut s = format!(
                "Activity task {} on attempt {attempt}",
                status.label().to_lowercase()
            );
            if let Some(r) = result {
                s.push_str(&format!(": {r}"));
            }
            if let Some(f) = failure {
                s.push_str(&format!(": {f}"));
            }
            if let Some(r) = retry_state {
                s.push_str(&format!(" (no retry: {})", r.label()));
            }
            s.push_str("; the Workflow returns it");
            s
        }
        EventKind::Scheduled {
            activity_id,
            run_id,
            activity_type,
            task_queue,
            start_delay_ms,
            ..
        } => {
            let head = format!(
                "Server scheduled {activity_type} as {activity_id} (run {run_id}) on task queue {task_queue}"
            );
            match start_delay_ms {
                Some(ms) => format!(
                    "{head}, first attempt after a start delay of {}",
                    format_ms(*ms)
                ),
                None => head,
            }
        }
        EventKind::AttemptStarted {
            attempt,
            worker_identity: Some(w),
        } => format!("Worker {w} picked up attempt {attempt}"),
        EventKind::AttemptStarted {
            attempt,
            worker_identity: None,
        } => format!("Attempt {attempt} started on a Worker"),
        EventKind::WorkerExecuting { attempt } => {
            format!("Activity code started attempt {attempt}")
        }
        EventKind::WorkerReturned {
            attempt,
            duration_ms,
            error: None,
        } => format!("Activity code returned from attempt {attempt} after {duration_ms} ms"),
        EventKind::WorkerReturned {
            attempt,
            duration_ms,
            error: Some(e),
        } => format!("Activity code failed attempt {attempt} after {duration_ms} ms: {e}"),
        EventKind::Heartbeat {
            attempt,
            count,
            details,
        } => match details {
            Some(d) => format!("{}: {d}", heartbeat_head(*attempt, *count)),
            None => heartbeat_head(*attempt, *count),
        },
        EventKind::WorkerOffline {
            task_queue,
            seconds,
        } => format!(
            "The demo keeps its Worker off task queue {task_queue} for {seconds} s: the task waits on the queue"
        ),
        EventKind::WorkerOnline { task_queue } => {
            format!("The demo's Worker polls task queue {task_queue} now")
        }
        EventKind::AttemptFailed {
            attempt,
            failure,
            retry_in_ms,
            ..
        } => {
            let what = match failure {
                Some(f) => match f.timeout {
                    Some(TimeoutType::Heartbeat) => format!(
                        "Attempt {attempt} stopped heartbeating: the server's heartbeat timeout fired"
                    ),
                    Some(t) => format!("Attempt {attempt} hit the {} timeout", t.label()),
                    None => format!("Attempt {attempt} failed ({f})"),
                },
                None => format!(
                    "Attempt {attempt} failed (a later attempt exists; Temporal keeps only the latest failure)"
                ),
            };
            match retry_in_ms {
                Some(ms) => format!("{what}; server retries in {}", format_ms(*ms)),
                None => what,
            }
        }
        EventKind::CommandSent { command, .. } => command_text(command),
        EventKind::Paused { attempt, .. } => format!(
            "Server reports the run PAUSED on attempt {attempt}: no new attempt is dispatched until it is unpaused"
        ),
        EventKind::Unpaused { attempt, .. } => {
            format!("Server reports the run running again (attempt {attempt})")
        }
        EventKind::AttemptsReset {
            round,
            from_attempt,
        } => format!(
            "Server reports attempt 1 again (it was on attempt {from_attempt}): reset, round {} of attempts",
            round + 1
        ),
        EventKind::OptionsChanged { options, .. } => {
            format!("Server reports new options: {}", options_text(options))
        }
        EventKind::CancelRequested { reason } if reason.is_empty() => "Cancel requested".to_owned(),
        EventKind::CancelRequested { reason } => format!("Cancel requested: {reason}"),
        EventKind::Completed {
            attempt,
            result: Some(r),
        } => format!("Completed on attempt {attempt}: {r}"),
        EventKind::Completed {
            attempt,
            result: None,
        } => format!("Completed on attempt {attempt} (the result is not a JSON payload)"),
        EventKind::Failed {
            attempt,
            failure,
            retry_state,
        } => {
            let mut s = format!("Failed after attempt {attempt}");
            if let Some(f) = failure {
                s.push_str(&format!(": {f}"));
            }
            if let Some(r) = retry_state {
                s.push_str(&format!(" (no retry: {})", r.label()));
            }
            s
        }
        EventKind::TimedOut {
            attempt,
            phase,
            failure,
            retry_state,
        } => {
            let mut s = format!("Timed out {}", during(*attempt, *phase));
            if let Some(f) = failure {
                s.push_str(&format!(": {f}"));
            }
            if let Some(r) = retry_state {
                s.push_str(&format!(" (no retry: {})", r.label()));
            }
            s
        }
        EventKind::Canceled { attempt, phase } => {
            format!("Canceled {}", during(*attempt, *phase))
        }
        EventKind::Terminated {
            attempt,
            phase,
            reason,
        } => match reason {
            Some(r) => format!("Terminated {}: {r}", during(*attempt, *phase)),
            None => format!("Terminated {}", during(*attempt, *phase)),
        },
        EventKind::TemporalUnreachable { address, .. } => format!(
            "The demo's client cannot reach Temporal at {address}; the run goes on in Temporal, \
             and this log resumes from its record when Temporal answers"
        ),
        EventKind::TemporalReachable { address, .. } => format!(
            "Temporal at {address} answers the demo's client again; following the run from its record"
        ),
        EventKind::Lost { message } => format!("Stopped following the run: {message}"),
    }
}

/// The log line of `ev`, with an inferred line saying so and a line read
/// from a Workflow's Event History naming its event.
pub fn line(ev: &RunEvent) -> String {
    let text = describe(&ev.kind);
    match (ev.inferred, ev.history_event_id) {
        (true, _) => format!("{text} (inferred)"),
        (false, Some(id)) => format!("{text} (history event {id})"),
        (false, None) => text,
    }
}

#[cfg(test)]
mod tests;
