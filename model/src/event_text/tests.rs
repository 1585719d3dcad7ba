//! The log's words: what each line may and may not claim.

use super::*;
use proto::event::{FailureInfo, Source};

#[test]
fn an_unstarted_attempt_is_never_said_to_have_run() {
    let ev = EventKind::Terminated {
        attempt: 2,
        phase: AttemptPhase::Waiting,
        reason: Some("stop".into()),
    };
    assert_eq!(
        describe(&ev),
        "Terminated while attempt 2 waited to start (after attempt 1 failed): stop"
    );
}

#[test]
fn a_workflow_run_names_its_history_events() {
    let ev = RunEvent::reported(
        Source::Server,
        Some(1),
        EventKind::WorkflowStarted {
            workflow_id: "greet-1".into(),
            run_id: "r1".into(),
            workflow_type: "GreetingWorkflow".into(),
            task_queue: "q".into(),
        },
    )
    .from_history(1);
    assert_eq!(
        line(&ev),
        "Server started Workflow GreetingWorkflow as greet-1 (run r1) on task queue q \
         (history event 1)"
    );
    let closed = EventKind::ActivityClosed {
        attempt: 3,
        status: proto::RunStatus::Completed,
        result: Some("\"Hello, World!\"".into()),
        failure: None,
        retry_state: None,
    };
    let ev = RunEvent::reported(Source::Server, Some(2), closed).from_history(7);
    assert_eq!(
        line(&ev),
        "Activity task completed on attempt 3: \"Hello, World!\"; the Workflow returns it \
         (history event 7)"
    );
    let request = EventKind::WorkflowStartRequested {
        address: "localhost:7233".into(),
        namespace: "default".into(),
        workflow_type: "greetingWorkflow".into(),
        started: true,
    };
    assert!(
        describe(&request).starts_with("Client sent StartWorkflowExecution (greetingWorkflow)")
    );
}

#[test]
fn inferred_lines_say_so_and_invent_no_detail() {
    let ev = RunEvent::inferred(
        Source::Server,
        EventKind::AttemptFailed {
            attempt: 1,
            failure: None,
            next_attempt_at_ms: None,
            retry_in_ms: None,
        },
    );
    let text = line(&ev);
    assert!(text.ends_with("(inferred)"), "{text}");
    assert!(
        text.contains("Temporal keeps only the latest failure"),
        "{text}"
    );
    let reported = EventKind::AttemptFailed {
        attempt: 1,
        failure: Some(FailureInfo {
            message: "boom".into(),
            error_type: Some("SimulatedFailure".into()),
            non_retryable: false,
            timeout: None,
        }),
        next_attempt_at_ms: Some(2_000),
        retry_in_ms: Some(1_000),
    };
    assert_eq!(
        describe(&reported),
        "Attempt 1 failed (SimulatedFailure: boom); server retries in 1 s"
    );
}
