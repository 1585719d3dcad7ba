//! The operator commands the CLI panel offers for the run on screen, run as
//! printed (through `sh`) against a real run of the demo started through
//! `POST /api/runs`, each checked with `temporal activity describe -o json`;
//! and the Go, Python and TypeScript programs that pause, unpause, then wait
//! for the result, built and run like the others and checked in Temporal's
//! own record.

use std::time::Instant;

use codegen::{operator_cli, shell_quote};
use proto::operator::{Command, OptionsUpdate, ResetBody};
use proto::{ActivityConfig, FailureScenario, Language, RetryPolicy, RunRequest, RunStarted};
use sa_demo_server::gateway::GatewayError;
use sa_demo_server::tracker::Snapshot;
use serde_json::Value;

use crate::cli::run_shell;
use crate::common::{self, RUN_DEADLINE};
use crate::programs::{Runtime, assert_printed, result_line};
use crate::record::assert_completed_as_configured;
use crate::{defaults, greeting, target};

/// A run the demo starts whose first attempt fails and whose next waits a
/// minute: open and in a backoff, so every command finds it there and no
/// attempt races the checks.
async fn backing_off(name: &str) -> RunStarted {
    let mut config = defaults(name);
    config.retry = RetryPolicy {
        initial_interval_ms: 60_000,
        backoff_coefficient: 1.0,
        maximum_interval_ms: 60_000,
        maximum_attempts: 10,
        non_retryable_error_types: Vec::new(),
    };
    let started = common::start(&RunRequest {
        config,
        scenario: FailureScenario::FailFirst { attempts: 9 },
        language: Language::Go,
        run_as: Default::default(),
    })
    .await;
    wait_for(&started, "the first attempt's failure", |s| {
        s.last_failure.is_some()
    })
    .await;
    started
}

/// Long-polls Temporal's description of the run until `done` holds, within
/// [`RUN_DEADLINE`].
async fn wait_for(started: &RunStarted, what: &str, done: impl Fn(&Snapshot) -> bool) {
    let temporal = common::temporal().await;
    let deadline = Instant::now() + RUN_DEADLINE;
    let mut token = Vec::new();
    loop {
        assert!(
            Instant::now() < deadline,
            "no {what} within {RUN_DEADLINE:?}"
        );
        let answer = temporal
            .describe(&started.activity_id, &started.run_id, token.clone())
            .await
            .unwrap_or_else(|e| panic!("describe while waiting for {what}: {e}"));
        if let Some((snapshot, next)) = answer {
            if done(&snapshot) {
                return;
            }
            token = next;
        }
    }
}

/// Runs the page's command for `command` on the run through `sh`.
async fn send(started: &RunStarted, command: &Command) -> String {
    let line = operator_cli(&target(), &started.activity_id, &started.run_id, command).text();
    run_shell(
        &line,
        &format!("the {} command\n{line}\n", command.action()),
    )
    .await
}

/// `temporal activity describe` of the run, on the test app's Temporal.
fn describe_line(run: &RunStarted) -> String {
    let t = target();
    format!(
        "temporal activity describe --address {} --namespace {} --activity-id {} --run-id {}",
        shell_quote(&t.address),
        shell_quote(&t.namespace),
        shell_quote(&run.activity_id),
        shell_quote(&run.run_id)
    )
}

/// `temporal activity describe -o json` of the run.
async fn describe(started: &RunStarted) -> Value {
    let line = format!("{} -o json", describe_line(started));
    serde_json::from_str(&run_shell(&line, &line).await).expect("describe prints JSON")
}

fn status(description: &Value) -> &str {
    description["info"]["status"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn every_operator_command_runs_as_printed_against_a_real_run() {
    let run = backing_off("operator-cli").await;
    let paused = "ACTIVITY_EXECUTION_STATUS_PAUSED";
    let pause = Command::Pause {
        reason: "it's $HOME".to_owned(),
    };

    send(&run, &pause).await;
    assert_eq!(status(&describe(&run).await), paused);

    send(
        &run,
        &Command::Unpause {
            reason: "go on".to_owned(),
        },
    )
    .await;
    let d = describe(&run).await;
    assert_eq!(status(&d), "ACTIVITY_EXECUTION_STATUS_RUNNING", "{d:#}");
    assert_ne!(
        d["info"]["runState"], "PENDING_ACTIVITY_STATE_PAUSED",
        "{d:#}"
    );
    assert_eq!(
        d["info"]["attempt"], 2,
        "in the backoff after attempt 1: {d:#}"
    );

    // Paused again, the reset keeps it so: no attempt starts to race the check.
    send(&run, &pause).await;
    let reset = ResetBody {
        keep_paused: true,
        reset_heartbeat: true,
    };
    send(&run, &Command::Reset(reset)).await;
    let d = describe(&run).await;
    assert_eq!(d["info"]["attempt"], 1, "{d:#}");
    assert_eq!(status(&d), paused, "{d:#}");

    let update = OptionsUpdate {
        start_to_close_ms: Some(20_000),
        retry: Some(RetryPolicy {
            initial_interval_ms: 1_500,
            backoff_coefficient: 1.5,
            maximum_interval_ms: 30_000,
            maximum_attempts: 5,
            non_retryable_error_types: Vec::new(),
        }),
        ..OptionsUpdate::default()
    };
    send(&run, &Command::UpdateOptions(update)).await;
    let info = describe(&run).await["info"].clone();
    assert_eq!(info["startToCloseTimeout"], "20s", "{info:#}");
    let policy = &info["retryPolicy"];
    assert_eq!(
        (
            &policy["initialInterval"],
            &policy["backoffCoefficient"],
            &policy["maximumInterval"],
            &policy["maximumAttempts"]
        ),
        (&"1.500s".into(), &1.5.into(), &"30s".into(), &5.into()),
        "{info:#}"
    );

    send(&run, &Command::Delete).await;
    gone(&run).await;
}

/// Waits until Temporal no longer knows the run (a delete is carried out
/// asynchronously), then checks the CLI says so too.
async fn gone(run: &RunStarted) {
    let temporal = common::temporal().await;
    let deadline = Instant::now() + RUN_DEADLINE;
    let mut token = Vec::new();
    loop {
        assert!(
            Instant::now() < deadline,
            "still there after {RUN_DEADLINE:?}"
        );
        match temporal
            .describe(&run.activity_id, &run.run_id, token.clone())
            .await
        {
            Err(GatewayError::NotFound(_)) => break,
            Ok(Some((_, next))) => token = next,
            Ok(None) => {}
            Err(e) => panic!("describe after the delete: {e}"),
        }
    }
    let line = describe_line(run);
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(&line)
        .env("PATH", crate::cli::path_with_cli());
    let out = crate::child::run(cmd, &line).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("not found"),
        "{}",
        crate::child::show(&out)
    );
}

/// The program's run is delayed five seconds: still scheduled when the
/// program pauses it (a run the Worker picks up at once may be done before
/// the pause arrives, and Temporal refuses to pause a closed run), so the
/// pause, the unpause and then the result happen in that order every time.
fn delayed(name: &str) -> ActivityConfig {
    ActivityConfig {
        start_delay_ms: Some(5_000),
        ..defaults(name)
    }
}

async fn operator_program_runs(lang: Language) {
    let Some(runtime) = Runtime::find(lang) else {
        return; // the skip was printed
    };
    let config = delayed(&format!("operator-calls-{}", lang.slug()));
    let out = runtime.run_operating(&config, &target()).await;
    let result = greeting(&config.input);
    assert_printed(&out, lang, &result);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = format!("Paused\nUnpaused\n{}", result_line(&result));
    assert!(
        stdout.ends_with(&expected),
        "{} printed {stdout:?}",
        lang.label()
    );
    assert_completed_as_configured(&config, lang, 1).await;
}

#[tokio::test]
async fn go_program_pauses_unpauses_and_gets_the_result() {
    operator_program_runs(Language::Go).await;
}

#[tokio::test]
async fn python_program_pauses_unpauses_and_gets_the_result() {
    operator_program_runs(Language::Python).await;
}

#[tokio::test]
async fn typescript_program_pauses_unpauses_and_gets_the_result() {
    operator_program_runs(Language::Typescript).await;
}
