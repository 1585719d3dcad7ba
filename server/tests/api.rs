//! The HTTP API against a real Temporal dev server and the real Worker:
//! runs end as Temporal decides, the SSE stream tells the true story and
//! resumes without gaps, bad input gets field-named errors.

mod common;

use common::*;
use proto::{EventKind, FailureScenario, Language, Source, TimeoutType};
use sa_demo_server::tracker::Status;

#[tokio::test]
async fn defaults_say_hello_world() {
    let req = request("defaults", FailureScenario::None, 4);
    let started = start(&req).await;
    assert_eq!(started.activity_type, "compose_greeting");
    assert!(started.started);
    let msgs = read_events(&started, None, None).await;
    // Each SSE message carries its seq as `id:` and its kind as `event:`.
    for (i, (msg, ev)) in msgs.iter().enumerate() {
        assert_eq!(ev.seq, i as u64 + 1);
        assert_eq!(msg.id.as_deref(), Some(ev.seq.to_string().as_str()));
        assert_eq!(msg.event.as_deref(), Some(ev.kind.name()));
    }
    let events: Vec<_> = msgs.into_iter().map(|(_, e)| e).collect();
    assert_eq!(events[0].source, Source::Client);
    assert!(
        matches!(&events[0].kind, EventKind::Connected { namespace, .. } if namespace == "default")
    );
    assert!(names(&events).contains(&"scheduled"));
    assert!(names(&events).contains(&"worker_executing"));
    match &events.last().expect("events").kind {
        EventKind::Completed { attempt, result } => {
            assert_eq!(*attempt, 1);
            assert_eq!(result, "\"Hello, World!\"");
        }
        other => panic!("expected completion, got {other:?}"),
    }
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Completed, 1));
}

#[tokio::test]
async fn fail_twice_then_succeed_on_attempt_three() {
    let req = request("fail-2", FailureScenario::FailFirst { attempts: 2 }, 3);
    let started = start(&req).await;
    let events = run_events(&started).await;
    let failures: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AttemptFailed {
                attempt,
                failure,
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
    assert_eq!(failures.len(), 2, "{:?}", names(&events));
    // The server's real exponential backoff: 1 s, then 2 s.
    assert_eq!(failures[0].2, Some(1_000));
    assert_eq!(failures[1].2, Some(2_000));
    for (attempt, failure, _, next, at) in &failures {
        assert_eq!(failure.error_type.as_deref(), Some("SimulatedFailure"));
        assert!(failure.message.contains(&format!("attempt {attempt}")));
        assert!(next.expect("next attempt time") > *at);
    }
    // The next attempt really started no earlier than the server scheduled it.
    let third_start = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::AttemptStarted { attempt: 3, .. }))
        .expect("attempt 3 started");
    assert!(third_start.at_ms >= failures[1].3.expect("scheduled"));
    assert!(matches!(
        events.last().expect("events").kind,
        EventKind::Completed { attempt: 3, .. }
    ));
    let d = describe(&started).await;
    assert_eq!((d.status, d.attempt), (Status::Completed, 3));
}

#[tokio::test]
async fn fail_three_with_max_three_attempts_fails() {
    let req = request("fail-3", FailureScenario::FailFirst { attempts: 3 }, 3);
    let started = start(&req).await;
    let events = run_events(&started).await;
    match &events.last().expect("events").kind {
        EventKind::Failed { attempt, failure } => {
            assert_eq!(*attempt, 3);
            assert_eq!(failure.error_type.as_deref(), Some("SimulatedFailure"));
            assert!(failure.message.contains("attempt 3"), "{failure:?}");
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
        EventKind::Failed { attempt: 1, failure } if failure.non_retryable
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
        matches!(&e.kind, EventKind::AttemptFailed { attempt: 1, failure, .. }
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
    let last_id: u64 = first[1]
        .0
        .id
        .as_deref()
        .expect("id")
        .parse()
        .expect("number");
    let rest = read_events(&started, Some(last_id), None).await;
    let all = run_events(&started).await;
    let resumed: Vec<_> = first.into_iter().chain(rest).map(|(_, e)| e).collect();
    assert_eq!(resumed, all, "resume must neither skip nor repeat");
    assert!(all.last().expect("events").kind.is_terminal());
    // A client resuming at or past the end (ids from another process, say)
    // gets the final word again, so it stops instead of reconnecting forever.
    for last_id in [all.len() as u64, all.len() as u64 + 50] {
        let after_end = read_events(&started, Some(last_id), None).await;
        assert_eq!(after_end.len(), 1);
        assert_eq!(&after_end[0].1, all.last().expect("events"));
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
        .expect("started directly");
    let started = proto::RunStarted {
        activity_id: req.config.activity_id.clone(),
        run_id,
        activity_type: "compose_greeting".into(),
        started: true,
        web_ui_url: None,
    };
    let events = run_events(&started).await;
    let names = names(&events);
    assert_eq!(names[0], "scheduled", "{names:?}");
    assert!(names.contains(&"attempt_failed"), "{names:?}");
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
        EventKind::Terminated { .. }
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
        })
        .send()
        .await
        .expect("POST /api/code");
    assert_eq!(resp.status(), 200);
    let code: proto::CodeResponse = resp.json().await.expect("CodeResponse");
    let target = proto::code::Target {
        address: app().info.address.clone(),
        namespace: app().info.namespace.clone(),
    };
    assert_eq!(
        code.sdk,
        proto::code::sdk_snippet(Language::Typescript, &config, &target)
    );
    assert!(code.cli.text().contains("--type greet"));
    assert!(code.cli.text().contains(&app().info.address));
}
