//! What the operator commands refuse: bad bodies (named field by field,
//! before Temporal is asked), a command without the run's control token in
//! public mode or over its run-action limit, and every operator command on a namespace that lacks them
//! (a dev server with Temporal's dynamic config turned off), answered by
//! name without asking Temporal.

use proto::{Command, FailureScenario, RunStarted};
use sa_demo_server::config::TemporalTarget;
use sa_demo_server::hosting::{Hosting, Limits};
use serde_json::json;

use crate::common::{TestApp, app, dev_server_options, request, start_on, unique};
use crate::{api_error, described, described_on, done, failing, send, send_to};

#[tokio::test]
async fn bad_bodies_name_the_field_and_the_limit() {
    // None of these reaches Temporal: the run need not exist.
    let run = RunStarted {
        activity_id: unique("bad-body"),
        run_id: uuid::Uuid::new_v4().to_string(),
        activity_type: String::new(),
        web_ui_url: None,
        started: true,
        control_token: None,
        run_as: Default::default(),
        workflow_type: None,
    };
    let e = api_error(send(&run, "reset", Some(json!({"keep": true}))).await, 400).await;
    assert_eq!(e.code, "bad_request");
    assert!(e.message.contains("unknown field `keep`"), "{e:?}");
    let e = api_error(
        send(&run, "update-options", Some(json!({"start_to_close": 5}))).await,
        400,
    )
    .await;
    assert!(
        e.message.contains("unknown field `start_to_close`"),
        "{e:?}"
    );

    let e = api_error(send(&run, "update-options", Some(json!({}))).await, 422).await;
    assert_eq!(e.code, "validation");
    assert_eq!(e.fields.len(), 1, "{e:?}");
    assert!(e.fields[0].message.contains("at least one option"), "{e:?}");
    let body = json!({"start_to_close_ms": 500, "heartbeat_ms": 200_000});
    let e = api_error(send(&run, "update-options", Some(body)).await, 422).await;
    let fields: Vec<_> = e
        .fields
        .iter()
        .map(|f| (f.field, f.message.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            (
                proto::Field::Timeout,
                "start_to_close_ms: must be between 1 and 120 seconds"
            ),
            (
                proto::Field::HeartbeatTimeout,
                "must be between 1 and 120 seconds"
            ),
        ]
    );

    let long = "x".repeat(proto::operator::MAX_REASON_CHARS + 1);
    for action in ["pause", "unpause", "cancel"] {
        let e = api_error(send(&run, action, Some(json!({"reason": long}))).await, 400).await;
        assert_eq!(
            e.message, "reason: must be at most 500 characters",
            "{action}"
        );
    }
    let e = api_error(send(&run, "delete", Some(json!({}))).await, 400).await;
    assert_eq!(e.message, "invalid request body: delete takes none");
    let e = api_error(send(&run, "snooze", None).await, 404).await;
    assert_eq!(e.code, "not_found");
}

#[tokio::test]
async fn public_mode_takes_operator_commands_only_with_the_runs_token() {
    // Room for exactly the run actions below: they share one budget.
    let limits = Limits {
        stop_burst: 12,
        stops_per_minute: 1,
        ..Limits::default()
    };
    let public = app().another_with(Hosting {
        limits,
        ..Hosting::public("operator-test-secret")
    });
    let mut req = request("public-op", FailureScenario::LongRunning { seconds: 30 }, 1);
    // A queue of its own: the app stops at the end of the test.
    req.config.task_queue = unique("public-op-queue");
    req.config.timeout_ms = 60_000;
    req.config.heartbeat_timeout_ms = Some(10_000);
    let started = start_on(&public.base, &req).await;
    let token = started.control_token.clone().expect("a control token");
    let bodies = [
        ("pause", None),
        ("unpause", None),
        ("reset", None),
        ("update-options", Some(json!({"start_to_close_ms": 50_000}))),
        ("delete", None),
    ];
    for (action, body) in bodies.clone() {
        for bad in [None, Some("00ff")] {
            let resp = send_to(&public.base, &started, action, body.clone(), bad).await;
            let e = api_error(resp, 403).await;
            assert_eq!(e.code, "forbidden", "{action} {bad:?}");
            assert!(e.message.contains(action), "{e:?}");
        }
    }
    let info = described(&started);
    assert_eq!(
        info["status"], "ACTIVITY_EXECUTION_STATUS_RUNNING",
        "{info:#}"
    );
    assert_eq!(
        info["runState"], "PENDING_ACTIVITY_STATE_STARTED",
        "{info:#}"
    );
    assert_eq!(info["startToCloseTimeout"], "60s", "{info:#}");

    let (_, body) = bodies[3].clone();
    let resp = send_to(&public.base, &started, "update-options", body, Some(&token)).await;
    assert_eq!(
        done(resp).await.options.and_then(|o| o.start_to_close_ms),
        Some(50_000)
    );
    let resp = send_to(&public.base, &started, "delete", None, Some(&token)).await;
    assert_eq!(done(resp).await.command, Command::Delete);
    // The thirteenth run action is over the limit, asked before the token.
    let resp = send_to(&public.base, &started, "pause", None, Some(&token)).await;
    assert_eq!(api_error(resp, 429).await.code, "rate_limited");
    public.shutdown();
}

/// A dev server whose namespace lacks the operator commands: the CLI run
/// through a wrapper that turns Temporal's dynamic config off.
struct WithoutOperatorCommands {
    dir: std::path::PathBuf,
}

impl WithoutOperatorCommands {
    fn new() -> WithoutOperatorCommands {
        use std::os::unix::fs::PermissionsExt;
        let real = dev_server_options().cli;
        let dir = std::env::temp_dir().join(unique("sa-demo-no-operator"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let script = dir.join("temporal");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nexec '{}' \"$@\" --dynamic-config-value \
                 history.enableStandaloneActivityOperatorCommands=false\n",
                real.display()
            ),
        )
        .expect("wrapper");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        WithoutOperatorCommands { dir }
    }

    fn target(&self) -> TemporalTarget {
        TemporalTarget::Embedded(sa_demo_server::devserver::DevServerOptions {
            cli: self.dir.join("temporal"),
            ..dev_server_options()
        })
    }
}

impl Drop for WithoutOperatorCommands {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_namespace_without_operator_commands_is_refused_by_name() {
    let server = WithoutOperatorCommands::new();
    let other = TestApp::start(server.target());
    let caps = &other.info.capabilities;
    assert!(!caps.operator_commands && caps.start_delay, "{caps:?}");
    let note = caps.note.clone().expect("a note");
    assert!(
        note.contains("history.enableStandaloneActivityOperatorCommands"),
        "{note}"
    );

    let started = start_on(&other.base, &failing("no-operator", 1, 30_000, 2.0)).await;
    for action in ["pause", "unpause", "reset"] {
        let e = api_error(
            send_to(&other.base, &started, action, None, None).await,
            409,
        )
        .await;
        assert_eq!(e.code, "not_supported", "{action}");
        assert!(e.message.starts_with(action), "{e:?}");
        assert!(
            e.message
                .contains("history.enableStandaloneActivityOperatorCommands")
        );
    }
    let body = json!({"start_to_close_ms": 5_000});
    let e = api_error(
        send_to(&other.base, &started, "update-options", Some(body), None).await,
        409,
    )
    .await;
    assert_eq!(e.code, "not_supported");
    let info = described_on(&other.info, &started);
    assert_eq!(
        info["status"], "ACTIVITY_EXECUTION_STATUS_RUNNING",
        "{info:#}"
    );
    assert_eq!(info["startToCloseTimeout"], "10s", "{info:#}");
    // Delete needs no capability.
    let resp = send_to(&other.base, &started, "delete", None, None).await;
    assert_eq!(done(resp).await.command, Command::Delete);
    other.shutdown();
}
