//! Every language's `temporal activity execute` command, run exactly as the
//! page prints it (through `sh`, `temporal` on `PATH`), with and without the
//! failure scenario in `--headers`, plus `temporal activity start` for tests
//! that need a run going before a program starts.

use std::ffi::OsString;

use codegen::cli_command_with;
use futures::future::join_all;
use proto::{ActivityConfig, FailureScenario, Language};
use temporalio_common::protos::temporal::api::enums::v1::ActivityExecutionStatus;
use tokio::process::Command;

use crate::child::{required, run_ok};
use crate::record::assert_completed_as_configured;
use crate::{awkward, defaults, greeting, retrying, target};

/// `PATH` with the directory of the Temporal CLI first, so the command runs
/// exactly as printed, `temporal` and all.
pub fn path_with_cli() -> OsString {
    let cli = required("SA_DEMO_TEMPORAL_CLI", "CLI commands");
    let dir = cli.parent().expect("the CLI path names a file").to_owned();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest)))
        .expect("PATH joins")
}

/// Runs a shell command line with `sh -c` and returns its stdout.
pub async fn run_shell(line: &str, what: &str) -> String {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(line).env("PATH", path_with_cli());
    let out = run_ok(cmd, what).await;
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The result the CLI printed (`Result "…"` in its text output), decoded
/// from its JSON encoding.
fn cli_result(stdout: &str) -> String {
    let json = stdout
        .lines()
        .find_map(|l| match l.trim().split_once(char::is_whitespace) {
            Some(("Result", value)) => Some(value),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Result line in the CLI's output:\n{stdout}"));
    serde_json::from_str(json.trim())
        .unwrap_or_else(|e| panic!("the CLI's result {json:?} is not a JSON string: {e}"))
}

/// Starts (without waiting) the run `lang`'s page command describes, with
/// the scenario included (the Worker plays it); returns the run id.
pub async fn start(lang: Language, config: &ActivityConfig, scenario: FailureScenario) -> String {
    let line = cli_command_with(lang, config, scenario, &target()).text();
    let line = line.replacen("temporal activity execute", "temporal activity start", 1);
    let line = format!("{} \\\n  -o json", line.trim_end());
    let stdout = run_shell(&line, &format!("the CLI start\n{line}\n")).await;
    let started: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    started["runId"].as_str().expect("a run id").to_owned()
}

/// Runs `lang`'s CLI command for `config` as printed, with `scenario`
/// included, and checks what it printed and what Temporal recorded.
async fn run_cli(lang: Language, config: ActivityConfig, scenario: FailureScenario, attempt: i32) {
    let line = cli_command_with(lang, &config, scenario, &target()).text();
    let what = format!("the {} CLI command\n{line}\n", lang.label());
    let stdout = run_shell(&line, &what).await;
    assert_eq!(cli_result(&stdout), greeting(&config.input), "{what}");
    assert_completed_as_configured(&config, lang, attempt).await;
}

/// Runs every language's command for the config `make` builds, all at once.
async fn cli_for_every_language(make: fn(&str) -> ActivityConfig, name: &str) {
    join_all(Language::ALL.map(|lang| {
        let config = make(&format!("{name}-{}", lang.slug()));
        run_cli(lang, config, FailureScenario::None, 1)
    }))
    .await;
}

#[tokio::test]
async fn cli_commands_run_with_defaults() {
    cli_for_every_language(defaults, "cli-defaults").await;
}

#[tokio::test]
async fn cli_commands_run_with_retry_policy_and_schedule_to_close() {
    cli_for_every_language(retrying, "cli-retry").await;
}

#[tokio::test]
async fn cli_commands_pass_awkward_input_through_unchanged() {
    cli_for_every_language(awkward, "cli-awkward").await;
}

/// The page's command with "Include the failure scenario" reproduces the
/// demo's failures: the first two attempts fail, the third succeeds, as
/// Temporal records it.
#[tokio::test]
async fn cli_with_the_scenario_header_reproduces_the_failures() {
    let scenario = FailureScenario::FailFirst { attempts: 2 };
    run_cli(Language::Python, retrying("cli-fail-first-2"), scenario, 3).await;
}

/// A non-retryable scenario in the header ends the run at once, failed.
#[tokio::test]
async fn cli_with_a_non_retryable_scenario_fails_on_the_first_attempt() {
    let config = retrying("cli-non-retryable");
    let line = cli_command_with(
        Language::Go,
        &config,
        FailureScenario::NonRetryable,
        &target(),
    );
    let line = line.text();
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(&line).env("PATH", path_with_cli());
    let out = crate::child::run(cmd, &line).await;
    assert!(!out.status.success(), "{}", crate::child::show(&out));
    let resp = crate::record::assert_ran_as_configured(
        &config,
        Language::Go,
        ActivityExecutionStatus::Failed,
        1,
    )
    .await;
    let failure = resp.info.and_then(|i| i.last_failure).expect("a failure");
    assert!(failure.message.contains("is not accepted"), "{failure:?}");
}

/// `POST /api/code` answers the command the page shows with the scenario
/// included: the same `--headers` the run above proved.
#[tokio::test]
async fn the_code_endpoint_carries_the_scenario_like_the_page() {
    let config = defaults("code-endpoint-scenario");
    let scenario = FailureScenario::FailFirst { attempts: 2 };
    let resp = reqwest::Client::new()
        .post(format!("{}/api/code", crate::app().base))
        .json(&proto::CodeRequest {
            config: config.clone(),
            language: Language::Go,
            scenario,
            operator_calls: false,
            commands_for: None,
            run_as: Default::default(),
        })
        .send()
        .await
        .expect("POST /api/code");
    assert_eq!(resp.status(), 200);
    let code: proto::CodeResponse = resp.json().await.expect("CodeResponse");
    assert_eq!(
        code.cli,
        cli_command_with(Language::Go, &config, scenario, &target())
    );
    assert!(
        code.sdk.text().contains("demo-scenario"),
        "{}",
        code.sdk.text()
    );
}

/// `POST /api/code` with `operator_calls` answers the program that pauses
/// and unpauses its run; left out, it means false.
#[tokio::test]
async fn the_code_endpoint_answers_the_operator_program_when_asked() {
    let config = defaults("code-endpoint-operator");
    let post = |operator_calls: Option<bool>| {
        let mut body = serde_json::json!({ "config": config, "language": "python" });
        if let Some(on) = operator_calls {
            body["operator_calls"] = on.into();
        }
        async move {
            let resp = reqwest::Client::new()
                .post(format!("{}/api/code", crate::app().base))
                .json(&body)
                .send()
                .await
                .expect("POST /api/code");
            assert_eq!(resp.status(), 200);
            resp.json::<proto::CodeResponse>()
                .await
                .expect("CodeResponse")
                .sdk
        }
    };
    let none = FailureScenario::None;
    let operating =
        codegen::sdk_snippet_with_operator_calls(Language::Python, &config, none, &target());
    assert_eq!(post(Some(true)).await, operating);
    let plain = codegen::sdk_snippet_with(Language::Python, &config, none, &target());
    assert_eq!(post(Some(false)).await, plain);
    assert_eq!(post(None).await, plain);
}
