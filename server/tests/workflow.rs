//! Run as: From a Workflow, against a real dev server. The demo's Worker runs
//! its tiny Workflow, which executes the same activity with the form's
//! options and scenario (the Header reaches the activity: fail-first-2 really
//! fails twice); the run's log is read from the Workflow's Event History and
//! matches `temporal workflow show` event for event, with Temporal's times;
//! the Standalone and Workflow runs of one config end the same way.

mod common;

use std::path::PathBuf;

use common::{app, assert_well_formed, read_url, request, start};
use proto::{EventKind, FailureScenario, RunAs, RunEvent, RunRequest, RunStarted};
use serde_json::Value;

/// Reads a Workflow run's stream to its end.
async fn workflow_events(started: &RunStarted) -> Vec<RunEvent> {
    let url = format!(
        "{}/api/workflows/{}/{}/events",
        app().base,
        started.activity_id,
        started.run_id
    );
    read_url(&url, None, |_| false)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

fn as_workflow(mut req: RunRequest) -> RunRequest {
    req.run_as = RunAs::Workflow;
    // Short backoffs keep the test quick.
    req.config.retry.initial_interval_ms = 200;
    req
}

/// `temporal workflow <args> -o json` against the test's Temporal; it must
/// succeed.
fn cli_workflow(args: &[&str]) -> Value {
    let cli = std::env::var_os("SA_DEMO_TEMPORAL_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("temporal"));
    let out = std::process::Command::new(cli)
        .arg("workflow")
        .args(args)
        .args(["-o", "json", "--address", &app().info.address])
        .args(["--namespace", &app().info.namespace])
        .output()
        .expect("the temporal CLI runs");
    assert!(
        out.status.success(),
        "temporal workflow {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("CLI JSON")
}

/// `temporal workflow show -w <id> -r <run>`: the history's events.
fn cli_history(workflow_id: &str, run_id: &str) -> Vec<Value> {
    let v = cli_workflow(&["show", "-w", workflow_id, "-r", run_id]);
    v["events"].as_array().expect("events").clone()
}

/// An RFC 3339 time in unix ms, cut to the millisecond as the log's are.
fn ms(rfc3339: &Value) -> i64 {
    let t: prost_wkt_types::Timestamp =
        serde_json::from_value(rfc3339.clone()).expect("an RFC 3339 time");
    t.seconds * 1_000 + i64::from(t.nanos) / 1_000_000
}

/// The fact id the log gives the history event of `event_type`, for the
/// events the log reports one for.
fn fact_of(event_type: &str, event: &Value) -> Option<String> {
    Some(match event_type {
        "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED" => "wf-started".to_owned(),
        "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" => "scheduled".to_owned(),
        "EVENT_TYPE_ACTIVITY_TASK_STARTED" => {
            let attempt = &event["activityTaskStartedEventAttributes"]["attempt"];
            format!("a{attempt}-started")
        }
        "EVENT_TYPE_ACTIVITY_TASK_COMPLETED"
        | "EVENT_TYPE_ACTIVITY_TASK_FAILED"
        | "EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT" => "activity-closed".to_owned(),
        t if t.starts_with("EVENT_TYPE_WORKFLOW_EXECUTION_")
            && t != "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED" =>
        {
            "end".to_owned()
        }
        _ => return None,
    })
}

#[tokio::test]
async fn fail_first_two_from_a_workflow_completes_on_attempt_3_as_its_history_says() {
    let req = as_workflow(request(
        "wf-fail2",
        FailureScenario::FailFirst { attempts: 2 },
        5,
    ));
    let started = start(&req).await;
    assert_eq!(started.run_as, RunAs::Workflow);
    assert_eq!(
        started.workflow_type.as_deref(),
        Some(proto::Language::DEMO_WORKFLOW_TYPE)
    );
    assert_eq!(started.activity_id, req.config.activity_id);
    assert!(started.started);
    let events = workflow_events(&started).await;
    let log = assert_well_formed(&events);
    let ids: Vec<&str> = log.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"request"), "{ids:?}");
    assert!(matches!(
        &log[0].kind,
        EventKind::WorkflowStartRequested { workflow_type, started: true, .. }
            if workflow_type == proto::Language::DEMO_WORKFLOW_TYPE
    ));
    match &log.last().expect("a final word").kind {
        EventKind::Completed { attempt, result } => {
            assert_eq!(*attempt, 3, "{ids:?}");
            assert_eq!(result.as_deref(), Some("\"Hello, World!\""));
        }
        other => panic!("not completed: {other:?}"),
    }
    // The scenario reached the activity through the Workflow: the Worker
    // ran three attempts, the first two failing.
    for a in 1..=3 {
        assert!(ids.contains(&format!("a{a}-executing").as_str()), "{ids:?}");
    }
    let returned: Vec<bool> = log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::WorkerReturned { error, .. } => Some(error.is_some()),
            _ => None,
        })
        .collect();
    assert_eq!(returned, [true, true, false]);
    // The history records only the last attempt's start: attempt 1 is
    // inferred, attempt 2's failure read from that start, both untimed.
    let a1 = log.iter().find(|e| e.id == "a1-failed").expect("a1-failed");
    assert!(a1.inferred && a1.at_ms.is_none(), "{a1:?}");
    let a2 = log.iter().find(|e| e.id == "a2-failed").expect("a2-failed");
    assert!(!a2.inferred && a2.at_ms.is_none(), "{a2:?}");
    assert!(matches!(
        &a2.kind,
        EventKind::AttemptFailed { failure: Some(f), .. }
            if f.message.contains("attempt 2")
    ));

    // Event for event, Temporal's own record, as the CLI shows it.
    let history = cli_history(&started.activity_id, &started.run_id);
    let mut matched = Vec::new();
    for event in &history {
        let event_type = event["eventType"].as_str().expect("eventType");
        let Some(fact) = fact_of(event_type, event) else {
            continue;
        };
        let event_id: i64 = event["eventId"]
            .as_str()
            .expect("eventId")
            .parse()
            .expect("a number");
        let line = log
            .iter()
            .find(|e| e.id == fact)
            .unwrap_or_else(|| panic!("no {fact} line for {event_type} in {ids:?}"));
        assert_eq!(line.history_event_id, Some(event_id), "{fact}");
        assert_eq!(line.at_ms, Some(ms(&event["eventTime"])), "{fact}'s time");
        matched.push(fact);
    }
    assert_eq!(
        matched,
        [
            "wf-started",
            "scheduled",
            "a3-started",
            "activity-closed",
            "end"
        ]
    );
    // And every line the log read from the history is one of those events.
    let from_history = log.iter().filter(|e| e.history_event_id.is_some()).count();
    assert_eq!(
        from_history,
        matched.len() + 1,
        "the five events and attempt 2's failure, read from the started event"
    );
}

/// The final word of a run, started as `req` says.
async fn outcome(req: &RunRequest) -> EventKind {
    let started = start(req).await;
    let events = if req.run_as == RunAs::Workflow {
        workflow_events(&started).await
    } else {
        common::run_events(&started).await
    };
    assert_well_formed(&events);
    events.last().expect("a final word").kind.clone()
}

#[tokio::test]
async fn standalone_and_workflow_runs_of_one_config_end_the_same_way() {
    for (scenario, attempts) in [
        (FailureScenario::FailFirst { attempts: 1 }, 3),
        (FailureScenario::NonRetryable, 3),
        // Every attempt runs past its start-to-close timeout.
        (FailureScenario::TooSlow { attempts: 2 }, 2),
    ] {
        let mut standalone = request("same", scenario, attempts);
        standalone.config.retry.initial_interval_ms = 200;
        standalone.config.timeout_ms = 1_000;
        let mut workflow = as_workflow(standalone.clone());
        workflow.config.activity_id = common::unique("same-wf");
        let (a, b) = tokio::join!(outcome(&standalone), outcome(&workflow));
        assert_eq!(a, b, "{scenario:?}");
        if let FailureScenario::TooSlow { .. } = scenario {
            assert!(
                matches!(&a, EventKind::TimedOut { attempt: 2, failure: Some(f), .. }
                    if f.timeout == Some(proto::TimeoutType::StartToClose)),
                "{a:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_running_workflow_holds_its_id_and_another_process_rebuilds_its_log() {
    let req = as_workflow(request(
        "wf-hold",
        FailureScenario::LongRunning { seconds: 2 },
        1,
    ));
    let started = start(&req).await;
    // The Workflow id is held while it runs: 409 names the holder.
    let resp = common::post_run(&req).await;
    assert_eq!(resp.status(), 409);
    let err: proto::ApiError = resp.json().await.expect("ApiError JSON");
    assert_eq!(err.code, "already_started");
    assert_eq!(
        err.existing_run_id.as_deref(),
        Some(started.run_id.as_str())
    );
    let here = workflow_events(&started).await;
    assert!(matches!(
        here.last().map(|e| &e.kind),
        Some(EventKind::Completed { attempt: 1, .. })
    ));
    // A process that never saw the run reads the same facts from the
    // history: the same ids, times and events (the Worker's lines and the
    // start request are this process's own).
    let other = app().another();
    let url = format!(
        "{}/api/workflows/{}/{}/events",
        other.base, started.activity_id, started.run_id
    );
    let rebuilt: Vec<RunEvent> = read_url(&url, None, |_| false)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_well_formed(&rebuilt);
    let from_history = |events: &[RunEvent]| -> Vec<RunEvent> {
        events
            .iter()
            .filter(|e| e.history_event_id.is_some() || e.inferred)
            .cloned()
            .collect()
    };
    assert_eq!(from_history(&rebuilt), from_history(&here));
    assert!(rebuilt.iter().all(|e| e.source == proto::Source::Server));
    // An unknown Workflow is a 404 in the API's error shape.
    let resp = reqwest::get(format!(
        "{}/api/workflows/{}/{}/events",
        other.base,
        started.activity_id,
        uuid::Uuid::new_v4()
    ))
    .await
    .expect("GET");
    assert_eq!(resp.status(), 404);
    let err: proto::ApiError = resp.json().await.expect("ApiError JSON");
    assert_eq!(err.code, "not_found");
    other.shutdown();
}

#[tokio::test]
async fn a_program_of_its_own_naming_the_workflow_type_gets_a_failure_not_a_stuck_workflow() {
    // Some other program starts the demo's Workflow type on the demo's
    // Workflow queue with a bare name as its input.
    let queue = proto::api::WORKFLOW_TASK_QUEUE;
    let mut warm = request("warm", FailureScenario::None, 1);
    warm.run_as = RunAs::Workflow;
    common::start(&warm).await;
    let id = common::unique("wf-foreign");
    let v = cli_workflow(&[
        "start",
        "-w",
        &id,
        "--type",
        proto::Language::DEMO_WORKFLOW_TYPE,
        "-t",
        queue,
        "-i",
        "\"World\"",
    ]);
    let run_id = v["runId"].as_str().expect("runId").to_owned();
    let url = format!("{}/api/workflows/{id}/{run_id}/events", app().base);
    let events: Vec<RunEvent> = read_url(&url, None, |_| false)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_well_formed(&events);
    match &events.last().expect("a final word").kind {
        EventKind::Failed {
            failure: Some(f), ..
        } => {
            assert_eq!(f.error_type.as_deref(), Some("NotAWorkflowInput"), "{f:?}");
            assert!(
                f.non_retryable && f.message.contains("activity_type"),
                "{f:?}"
            );
        }
        other => panic!("not failed: {other:?}"),
    }
}

/// POSTs `/api/workflows/{id}/{run}/{action}`; returns the status.
async fn workflow_action(started: &RunStarted, action: &str) -> u16 {
    reqwest::Client::new()
        .post(format!(
            "{}/api/workflows/{}/{}/{action}",
            app().base,
            started.activity_id,
            started.run_id
        ))
        .send()
        .await
        .expect("POST action")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_workflow_run_can_be_canceled_and_terminated() {
    for (action, long) in [("cancel", 30), ("terminate", 30)] {
        let req = as_workflow(request(
            "wf-stop",
            FailureScenario::LongRunning { seconds: long },
            1,
        ));
        let started = start(&req).await;
        let url = format!(
            "{}/api/workflows/{}/{}/events",
            app().base,
            started.activity_id,
            started.run_id
        );
        // Once the Worker runs the attempt, stop the Workflow.
        read_url(&url, None, |seen| {
            seen.iter().any(|(_, e)| e.id == "a1-executing")
        })
        .await;
        assert_eq!(workflow_action(&started, action).await, 202, "{action}");
        let events: Vec<RunEvent> = read_url(&url, None, |_| false)
            .await
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_well_formed(&events);
        let last = events.last().expect("a final word");
        match (action, &last.kind) {
            ("cancel", EventKind::Canceled { attempt: 1, .. }) => {
                // The Workflow waited for the activity to acknowledge it.
                let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
                assert!(ids.contains(&"a1-returned"), "{ids:?}");
                assert!(
                    events.iter().any(|e| matches!(
                        e.kind,
                        EventKind::ActivityClosed {
                            status: proto::RunStatus::Canceled,
                            ..
                        }
                    )),
                    "{ids:?}"
                );
            }
            (
                "terminate",
                EventKind::Terminated {
                    attempt: 1, reason, ..
                },
            ) => {
                assert_eq!(reason.as_deref(), Some("terminate from the demo page"));
            }
            other => panic!("{action} ended as {other:?}"),
        }
        assert!(last.history_event_id.is_some());
    }
    // The operator commands are the Standalone Activity's.
    let req = as_workflow(request("wf-nopause", FailureScenario::None, 1));
    let started = start(&req).await;
    assert_eq!(workflow_action(&started, "pause").await, 404);
    workflow_events(&started).await;
}
