//! The HTTP API against a real Temporal dev server and the real Worker:
//! runs end as Temporal decides, the SSE stream tells the true story and
//! resumes without gaps, bad input gets field-named errors.

mod common;

use common::*;
use proto::{AttemptPhase, EventKind, FailureScenario, Language, RetryState, Source, TimeoutType};
use sa_demo_server::tracker::Status;

#[tokio::test]
async fn defaults_say_hello_world() {
    let req = request("defaults", FailureScenario::None, 4);
    let started = start(&req).await;
    assert_eq!(started.activity_type, "compose_greeting");
    assert!(started.started);
    let msgs = read_events(&started, None, None).await;
    // Each SSE message carries its fact as the event's id, the cursor after
    // it as `id:`, and its kind as `event:`.
    let mut cursor = proto::Cursor::default();
    for (msg, ev) in &msgs {
        cursor.add_event(ev);
        assert_eq!(ev.id, ev.kind.fact().to_string());
        assert_eq!(msg.id.as_deref(), Some(cursor.to_string().as_str()));
        assert_eq!(msg.event.as_deref(), Some(ev.kind.name()));
    }
    let events: Vec<_> = msgs.into_iter().map(|(_, e)| e).collect();
    assert_well_formed(&events);
    assert_eq!(events[0].source, Source::Client);
    assert!(matches!(
        &events[0].kind,
        EventKind::StartRequested { namespace, started: true, address } if namespace == "default" && *address == app().info.address
    ));
    assert!(names(&events).contains(&"scheduled"));
    assert!(names(&events).contains(&"worker_executing"));
    assert!(events.iter().all(|e| !e.inferred), "{:?}", ids(&events));
    match &events.last().expect("events").kind {
        EventKind::Completed { attempt, result } => {
            assert_eq!(*attempt, 1);
            assert_eq!(result.as_deref(), Some("\"Hello, World!\""));
        }
        other => panic!("expected completion, got {other:?}"),
    }
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Completed, 1));
    // The completion's time is Temporal's close time.
    assert_eq!(events.last().expect("events").at_ms, d.close_ms);
}

#[tokio::test]
async fn fail_twice_then_succeed_on_attempt_three() {
    let req = request("fail-2", FailureScenario::FailFirst { attempts: 2 }, 3);
    let started = start(&req).await;
    let events = run_events(&started).await;
    assert_well_formed(&events);
    let failures: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AttemptFailed {
                attempt,
                failure: Some(failure),
                retry_in_ms,
                next_attempt_at_ms,
            } => Some((
                *attempt,
                failure.clone(),
                *retry_in_ms,
                *next_attempt_at_ms,
                e.at_ms,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(failures.len(), 2, "{:?}", ids(&events));
    // The server's real exponential backoff: 1 s, then 2 s, counted from
    // the failure time Temporal recorded.
    assert_eq!(failures[0].2, Some(1_000));
    assert_eq!(failures[1].2, Some(2_000));
    for (attempt, failure, retry, next, at) in &failures {
        assert_eq!(failure.error_type.as_deref(), Some("SimulatedFailure"));
        assert!(failure.message.contains(&format!("attempt {attempt}")));
        let (next, at) = (next.expect("next attempt time"), at.expect("failure time"));
        assert_eq!(next - at, retry.expect("interval") as i64);
    }
    // Attempt 3 really started no earlier than the server scheduled it, at
    // the start time Temporal recorded for it.
    let third_start = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::AttemptStarted { attempt: 3, .. }))
        .expect("attempt 3 started");
    let d = describe(&started).await;
    assert_eq!(third_start.at_ms, d.last_started_ms);
    assert!(third_start.at_ms >= failures[1].3);
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 3, .. }
    ));
    assert_eq!((d.status, d.attempt), (Status::Completed, 3));
}

#[tokio::test]
async fn fail_three_with_max_three_attempts_fails() {
    let req = request("fail-3", FailureScenario::FailFirst { attempts: 3 }, 3);
    let started = start(&req).await;
    let events = run_events(&started).await;
    match &events.last().expect("events").kind {
        EventKind::Failed {
            attempt,
            failure: Some(failure),
            retry_state,
        } => {
            assert_eq!(*attempt, 3);
            assert_eq!(failure.error_type.as_deref(), Some("SimulatedFailure"));
            assert!(failure.message.contains("attempt 3"), "{failure:?}");
            assert_eq!(*retry_state, Some(RetryState::MaximumAttemptsReached));
        }
        other => panic!("expected failure, got {other:?}"),
    }
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Failed, 3));
}

#[tokio::test]
async fn non_retryable_error_fails_at_once() {
    let req = request("non-retryable", FailureScenario::NonRetryable, 5);
    let started = start(&req).await;
    let events = run_events(&started).await;
    assert!(matches!(
        &events.last().expect("events").kind,
        EventKind::Failed { attempt: 1, failure: Some(failure), retry_state: Some(RetryState::NonRetryableFailure) }
            if failure.non_retryable
    ));
    assert_eq!(describe(&started).await.status, Status::Failed);
}

#[tokio::test]
async fn too_slow_attempt_times_out_and_is_retried() {
    let mut req = request("too-slow", FailureScenario::TooSlow { attempts: 1 }, 2);
    req.config.timeout_ms = 1_000;
    req.language = Language::Go;
    let started = start(&req).await;
    assert_eq!(started.activity_type, "Activity");
    let events = run_events(&started).await;
    let timed_out = events.iter().any(|e| {
        matches!(&e.kind, EventKind::AttemptFailed { attempt: 1, failure: Some(failure), .. }
            if failure.timeout == Some(TimeoutType::StartToClose))
    });
    assert!(timed_out, "{events:#?}");
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 2, .. }
    ));
}

#[tokio::test]
async fn reconnect_with_last_event_id_resumes_without_gaps() {
    let req = request("reconnect", FailureScenario::FailFirst { attempts: 1 }, 2);
    let started = start(&req).await;
    // Read two messages, then drop the connection mid-run.
    let first = read_events(&started, None, Some(2)).await;
    assert_eq!(first.len(), 2);
    let last_id = first[1].0.id.clone().expect("id");
    let rest = read_events(&started, Some(&last_id), None).await;
    let all = run_events(&started).await;
    let mut resumed: Vec<_> = first.into_iter().chain(rest).map(|(_, e)| e).collect();
    assert_well_formed(&resumed);
    // Same facts, nothing skipped or repeated (a Worker line may land
    // earlier in the full log than where the live stream first sent it).
    let mut expected = ids(&all);
    expected.sort();
    resumed.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        ids(&resumed),
        expected,
        "resume must neither skip nor repeat"
    );
    // A client resuming after the end gets the final word again, so it
    // stops instead of reconnecting forever.
    let final_id = read_events(&started, None, None)
        .await
        .last()
        .and_then(|(m, _)| m.id.clone())
        .expect("final id");
    let after_end = read_events(&started, Some(&final_id), None).await;
    assert_eq!(after_end.len(), 1);
    assert_eq!(&after_end[0].1, all.last().expect("events"));
}

#[tokio::test]
async fn a_bad_last_event_id_is_a_json_400() {
    let req = request("bad-cursor", FailureScenario::None, 1);
    let started = start(&req).await;
    for bad in ["17", "z9", "a1.zz"] {
        let resp = reqwest::Client::new()
            .get(format!(
                "{}/api/runs/{}/{}/events",
                app().base,
                started.activity_id,
                started.run_id
            ))
            .header("Last-Event-ID", bad)
            .send()
            .await
            .expect("GET");
        assert_eq!(resp.status(), 400, "{bad}");
        let err: proto::ApiError = resp.json().await.expect("JSON error");
        assert!(err.message.starts_with("Last-Event-ID"), "{}", err.message);
    }
}

#[tokio::test]
async fn run_started_elsewhere_is_rebuilt_from_temporal() {
    // Started by another client with no token: as after a server restart,
    // the demo server has never seen it and rebuilds its log from Temporal.
    let req = request("elsewhere", FailureScenario::FailFirst { attempts: 1 }, 2);
    let run_id = temporal()
        .await
        .start(&req, "not-a-known-token")
        .await
        .expect("started directly")
        .run_id;
    let started = proto::RunStarted {
        activity_id: req.config.activity_id.clone(),
        run_id,
        activity_type: "compose_greeting".into(),
        started: true,
        web_ui_url: None,
        control_token: None,
        run_as: Default::default(),
        workflow_type: None,
    };
    let events = run_events(&started).await;
    assert_well_formed(&events);
    let names = names(&events);
    assert_eq!(names[0], "scheduled", "{names:?}");
    assert!(names.contains(&"attempt_failed"), "{names:?}");
    // No start request from this server: it did not start the run.
    assert!(!names.contains(&"start_requested"), "{names:?}");
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 2, .. }
    ));
}

#[tokio::test]
async fn duplicate_id_is_a_conflict_and_terminate_ends_the_run() {
    let mut req = request("duplicate", FailureScenario::TooSlow { attempts: 1 }, 1);
    req.config.timeout_ms = 30_000;
    let started = start(&req).await;
    let resp = post_run(&req).await;
    assert_eq!(resp.status(), 409);
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert_eq!(err.code, "already_started");
    assert_eq!(
        err.existing_run_id.as_deref(),
        Some(started.run_id.as_str())
    );
    assert_eq!(
        err.message,
        format!(
            "an activity with id {} is already running or may not be reused",
            req.config.activity_id
        )
    );
    // Terminate once the attempt runs (before, it would end while waiting).
    read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::AttemptStarted { attempt: 1, .. }))
    })
    .await;

    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/runs/{}/{}/terminate",
            app().base,
            started.activity_id,
            started.run_id
        ))
        .send()
        .await
        .expect("terminate");
    assert_eq!(resp.status(), 202);
    let events = run_events(&started).await;
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Terminated {
            attempt: 1,
            phase: AttemptPhase::Running,
            ..
        }
    ));
    assert_eq!(describe(&started).await.status, Status::Terminated);
}

#[tokio::test]
async fn invalid_input_names_the_field_and_the_limit() {
    let mut req = request("invalid", FailureScenario::None, 4);
    req.config.activity_id = String::new();
    req.config.timeout_ms = 0;
    req.config.retry.maximum_attempts = 100;
    let resp = post_run(&req).await;
    assert_eq!(resp.status(), 422);
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert_eq!(err.code, "validation");
    let fields: Vec<_> = err.fields.iter().map(|f| f.field).collect();
    use proto::Field;
    assert_eq!(
        fields,
        [Field::ActivityId, Field::Timeout, Field::MaximumAttempts]
    );
    assert!(err.fields[1].message.contains("between 1 and 120 seconds"));

    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{}/api/runs", app().base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), 400);
    let err: proto::ApiError = resp.json().await.expect("JSON error body");
    assert_eq!(err.code, "bad_request");

    let resp = client
        .get(format!(
            "{}/api/runs/nope/00000000-0000-0000-0000-000000000000/events",
            app().base
        ))
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), 404);
    let resp = client
        .post(format!("{}/api/runs/a/b/explode", app().base))
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), 404);
    let resp = client
        .get(format!("{}/api/does-not-exist", app().base))
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.json::<proto::ApiError>().await.expect("JSON").code,
        "not_found"
    );
}

/// The status and JSON error body of a response that must be an error.
async fn json_error(resp: reqwest::Response) -> (u16, proto::ApiError) {
    let status = resp.status().as_u16();
    assert_eq!(
        resp.headers()["content-type"],
        "application/json",
        "status {status}"
    );
    (status, resp.json().await.expect("ApiError JSON"))
}

#[tokio::test]
async fn every_error_is_json_on_every_route() {
    let client = reqwest::Client::new();
    let base = &app().base;
    // A stop with a malformed body, an unknown field, or a huge reason.
    for body in [
        "{not json",
        r#"{"reasn": "typo"}"#,
        &format!(r#"{{"reason": "{}"}}"#, "x".repeat(600)),
    ] {
        let resp = client
            .post(format!("{base}/api/runs/some-id/some-run/cancel"))
            .body(body.to_owned())
            .send()
            .await
            .expect("POST");
        let (status, err) = json_error(resp).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            err.message.contains("reason") || err.message.contains("body"),
            "{}",
            err.message
        );
    }
    // Wrong methods.
    for (method, path) in [
        (reqwest::Method::DELETE, "/api/runs"),
        (reqwest::Method::DELETE, "/api/code"),
        (reqwest::Method::PUT, "/api/runs/a/b/events"),
    ] {
        let resp = client
            .request(method.clone(), format!("{base}{path}"))
            .send()
            .await
            .expect("request");
        let (status, err) = json_error(resp).await;
        assert_eq!(
            (status, err.code.as_str()),
            (405, "method_not_allowed"),
            "{method} {path}"
        );
    }
    // /api/code validates exactly as a start does.
    let config = proto::ActivityConfig {
        timeout_ms: 0,
        ..proto::ActivityConfig::default()
    };
    let resp = client
        .post(format!("{base}/api/code"))
        .json(&proto::CodeRequest {
            config,
            language: Language::Go,
            scenario: Default::default(),
            operator_calls: false,
            commands_for: None,
            run_as: Default::default(),
        })
        .send()
        .await
        .expect("POST");
    let (status, err) = json_error(resp).await;
    assert_eq!(status, 422);
    assert_eq!(err.fields[0].field, proto::Field::Timeout);
    assert!(err.fields[0].message.contains("between 1 and 120 seconds"));
    // A body that is JSON but the wrong shape names the field.
    let resp = client
        .post(format!("{base}/api/runs"))
        .header("content-type", "application/json")
        .body(r#"{"config": {"activity_id": 5}}"#)
        .send()
        .await
        .expect("POST");
    let (status, err) = json_error(resp).await;
    assert_eq!(status, 422);
    assert!(err.message.contains("activity_id"), "{}", err.message);
}

#[tokio::test]
async fn probes_and_static_bundle() {
    let client = reqwest::Client::new();
    let base = &app().base;
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );
    let ready = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("GET");
    assert_eq!(ready.status(), 200);
    let index = client
        .get(format!("{base}/?lang=go"))
        .send()
        .await
        .expect("GET");
    assert_eq!(index.status(), 200);
    assert!(
        index.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    // Client-side routes fall back to the app.
    let deep = client
        .get(format!("{base}/some/page"))
        .send()
        .await
        .expect("GET");
    assert_eq!(deep.status(), 200);
    let wasm = client
        .get(format!("{base}/pkg/sa_demo_app_bg.wasm"))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("GET wasm");
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn code_endpoint_returns_what_the_page_shows() {
    let config = proto::ActivityConfig::default();
    let resp = reqwest::Client::new()
        .post(format!("{}/api/code", app().base))
        .json(&proto::CodeRequest {
            config: config.clone(),
            language: Language::Typescript,
            scenario: Default::default(),
            operator_calls: false,
            commands_for: None,
            run_as: Default::default(),
        })
        .send()
        .await
        .expect("POST /api/code");
    assert_eq!(resp.status(), 200);
    let code: proto::CodeResponse = resp.json().await.expect("CodeResponse");
    let target = codegen::Target {
        address: app().info.address.clone(),
        namespace: app().info.namespace.clone(),
    };
    assert_eq!(
        code.sdk,
        codegen::sdk_snippet(Language::Typescript, &config, &target)
    );
    assert!(code.cli.text().contains("--type greet"));
    assert!(code.cli.text().contains(&app().info.address));
}

#[tokio::test]
async fn code_endpoint_gives_the_operator_commands_for_a_run() {
    let post = |commands_for: serde_json::Value| async move {
        reqwest::Client::new()
            .post(format!("{}/api/code", app().base))
            .json(&serde_json::json!({
                "config": proto::ActivityConfig::default(),
                "commands_for": commands_for,
            }))
            .send()
            .await
            .expect("POST /api/code")
    };
    let resp = post(serde_json::json!({
        "activity_id": "a-1", "run_id": "r-1", "update": {"start_to_close_ms": 20000}
    }))
    .await;
    assert_eq!(resp.status(), 200);
    let code: proto::CodeResponse = resp.json().await.expect("CodeResponse");
    let actions: Vec<&str> = code.commands.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(
        actions,
        ["pause", "unpause", "reset", "update-options", "delete"]
    );
    let update = code.commands[3].snippet.text();
    assert!(update.contains("--start-to-close-timeout 20s"), "{update}");
    assert!(update.contains("--run-id r-1"), "{update}");
    // No change, no update-options; a bad update or run names its field.
    let resp = post(serde_json::json!({"activity_id": "a-1", "run_id": "r-1"})).await;
    let code: proto::CodeResponse = resp.json().await.expect("CodeResponse");
    assert_eq!(code.commands.len(), 4);
    let resp = post(serde_json::json!({
        "activity_id": "a-1", "run_id": "r-1", "update": {"heartbeat_ms": 5}
    }))
    .await;
    assert_eq!(resp.status(), 422);
    let e: proto::ApiError = resp.json().await.expect("ApiError");
    assert_eq!(e.fields[0].field, proto::Field::HeartbeatTimeout);
    let resp = post(serde_json::json!({"activity_id": "", "run_id": "r-1"})).await;
    assert_eq!(resp.status(), 400);
    let e: proto::ApiError = resp.json().await.expect("ApiError");
    assert!(
        e.message.contains("commands_for.activity_id"),
        "{}",
        e.message
    );
}
