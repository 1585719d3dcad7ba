//! The generated code really runs: every language's `temporal activity
//! execute` command (through `sh`), the Python program and the TypeScript
//! program are run against the test app's Temporal and its Worker, and
//! Temporal's own description confirms that what ran is what the form said
//! (type, queue, input, timeouts, retry policy) and how it ended.
//!
//! The runtimes come from `cargo xtask test`, which installs them and names
//! them in `SA_DEMO_TEMPORAL_CLI`, `SA_DEMO_PYTHON` and `SA_DEMO_NODE_MODULES`.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use common::{app, unique};
use futures::future::join_all;
use proto::code::{Target, cli_command, sdk_snippet};
use proto::{ActivityConfig, FailureScenario, Language, SCENARIO_HEADER, TimeoutKind};
use sa_demo_server::payload::payload_json;
use temporalio_client::grpc::WorkflowService;
use temporalio_client::tonic;
use temporalio_common::protos::temporal::api::activity::v1::activity_execution_outcome;
use temporalio_common::protos::temporal::api::enums::v1::ActivityExecutionStatus;
use temporalio_common::protos::temporal::api::workflowservice::v1::DescribeActivityExecutionRequest;
use tokio::process::Command;

/// The longest one generated program may take, start-up included.
const CHILD_DEADLINE: Duration = Duration::from_secs(60);

/// An input no quoting mistake survives: shell quotes and expansions, a
/// backslash, and characters outside ASCII.
const AWKWARD: &str = "O'Brien \"$HOME\" \\ é 🎉";

/// What the Worker answers for `input`.
fn greeting(input: &str) -> String {
    format!("Hello, {input}!")
}

/// The path an environment variable names; without it these tests cannot
/// prove anything, so they fail instead of passing unchecked.
fn required(var: &str, what: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => panic!(
            "{var} is not set, so the generated {what} cannot be run: run the tests with \
             `cargo xtask test`, which installs the snippet runtimes and sets it"
        ),
    }
}

/// Where the generated code connects: the test app's own Temporal.
fn target() -> Target {
    Target {
        address: app().info.address.clone(),
        namespace: app().info.namespace.clone(),
    }
}

/// The form's defaults, on the default task queue (which always has a Worker).
fn defaults(name: &str) -> ActivityConfig {
    ActivityConfig {
        activity_id: unique(name),
        ..ActivityConfig::default()
    }
}

/// A non-default retry policy bounded by a schedule-to-close timeout.
fn retrying(name: &str) -> ActivityConfig {
    let mut config = defaults(name);
    config.timeout_kind = TimeoutKind::ScheduleToClose;
    config.timeout_ms = 30_000;
    config.retry.maximum_attempts = 3;
    config.retry.initial_interval_ms = 500;
    config.retry.backoff_coefficient = 1.5;
    config.retry.maximum_interval_ms = 10_000;
    config
}

/// Defaults with [`AWKWARD`] as the input.
fn awkward(name: &str) -> ActivityConfig {
    ActivityConfig {
        input: AWKWARD.to_owned(),
        ..defaults(name)
    }
}

/// The three configurations every generator is run with, ids derived from `name`.
fn configs(name: &str) -> [ActivityConfig; 3] {
    [
        defaults(&format!("{name}-defaults")),
        retrying(&format!("{name}-retry")),
        awkward(&format!("{name}-awkward")),
    ]
}

/// A scratch directory of this test binary's, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(unique(name));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child's process group, killed whole if dropped while the child runs
/// (past the deadline, or when a sibling's panic drops a `join_all`): `sh`
/// does not `exec` the command it runs, so killing the child alone would
/// leave that command behind.
struct Group(Option<u32>);

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            // The negative pid addresses the whole group.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null()) // the group may have ended already
                .status();
        }
    }
}

/// Runs `cmd`, leading a process group of its own, to its end within
/// [`CHILD_DEADLINE`] and returns its output, which must say it succeeded.
async fn run_ok(mut cmd: Command, what: &str) -> Output {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("{what} did not start: {e}"));
    let mut group = Group(child.id());
    let out = tokio::time::timeout(CHILD_DEADLINE, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {CHILD_DEADLINE:?}"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    group.0 = None; // reaped: the id may be reused
    assert!(
        out.status.success(),
        "{what} failed with {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `PATH` with the directory of the Temporal CLI first, so the command runs
/// exactly as printed, `temporal` and all.
fn path_with_cli() -> OsString {
    let cli = required("SA_DEMO_TEMPORAL_CLI", "CLI commands");
    let dir = cli.parent().expect("the CLI path names a file").to_owned();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest)))
        .expect("PATH joins")
}

/// Runs a shell command line with `sh -c` and returns its stdout.
async fn run_shell(line: &str, what: &str) -> String {
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

/// Asks Temporal how the latest run of `config.activity_id` ended and checks
/// that it is the run `config` describes, started as `lang`'s type, that
/// completed with the greeting on attempt `attempt`.
async fn assert_completed_as_configured(config: &ActivityConfig, lang: Language, attempt: i32) {
    let mut client = common::temporal().await.client().clone();
    let resp = client
        .describe_activity_execution(tonic::Request::new(DescribeActivityExecutionRequest {
            namespace: app().info.namespace.clone(),
            activity_id: config.activity_id.clone(),
            run_id: String::new(), // the latest run
            include_input: true,
            include_outcome: true,
            ..Default::default()
        }))
        .await
        .unwrap_or_else(|e| panic!("describe {}: {e}", config.activity_id))
        .into_inner();
    let info = resp.info.expect("a description");
    let id = &config.activity_id;
    assert_eq!(info.status(), ActivityExecutionStatus::Completed, "{id}");
    assert_eq!(info.attempt, attempt, "{id}");
    let activity_type = info.activity_type.as_ref().map(|t| t.name.as_str());
    assert_eq!(activity_type, Some(lang.activity_type()), "{id}");
    assert_eq!(info.task_queue, config.task_queue, "{id}");

    let input = resp.input.as_ref().map(|p| p.payloads.as_slice());
    let input: Vec<_> = input.unwrap_or_default().iter().map(payload_json).collect();
    assert_eq!(input, [Some(serde_json::json!(config.input))], "{id}");
    let result = match resp.outcome.and_then(|o| o.value) {
        Some(activity_execution_outcome::Value::Result(p)) => {
            p.payloads.first().and_then(payload_json)
        }
        other => panic!("{id}: expected a result, got {other:?}"),
    };
    assert_eq!(
        result,
        Some(serde_json::json!(greeting(&config.input))),
        "{id}"
    );

    // The proto Duration type is not re-exported, so this cannot be a function.
    macro_rules! ms {
        ($d:expr) => {
            $d.as_ref()
                .map_or(0, |d| d.seconds as u64 * 1_000 + d.nanos as u64 / 1_000_000)
        };
    }
    let timeout = match config.timeout_kind {
        TimeoutKind::StartToClose => &info.start_to_close_timeout,
        TimeoutKind::ScheduleToClose => &info.schedule_to_close_timeout,
    };
    assert_eq!(ms!(timeout), config.timeout_ms, "{id}: main timeout");
    let policy = info.retry_policy.as_ref().expect("a retry policy");
    let retry = &config.retry;
    assert_eq!(
        (
            ms!(policy.initial_interval),
            policy.backoff_coefficient,
            ms!(policy.maximum_interval),
            policy.maximum_attempts,
        ),
        (
            retry.initial_interval_ms,
            retry.backoff_coefficient,
            retry.maximum_interval_ms,
            i32::try_from(retry.maximum_attempts).expect("small"),
        ),
        "{id}: retry policy"
    );
}

/// Runs `lang`'s CLI command for `config` as printed (plus `extra` flags)
/// and checks what it printed and what Temporal recorded.
async fn run_cli(lang: Language, config: ActivityConfig, extra: &str, attempt: i32) {
    let line = cli_command(lang, &config, &target()).text();
    let line = format!("{}{extra}", line.trim_end());
    let what = format!("the {} CLI command\n{line}\n", lang.label());
    let stdout = run_shell(&line, &what).await;
    assert_eq!(cli_result(&stdout), greeting(&config.input), "{what}");
    assert_completed_as_configured(&config, lang, attempt).await;
}

/// Runs every language's command for the config `make` builds, all at once.
async fn cli_for_every_language(make: fn(&str) -> ActivityConfig, name: &str) {
    join_all(
        Language::ALL.map(|lang| run_cli(lang, make(&format!("{name}-{}", lang.slug())), "", 1)),
    )
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

/// The page's command cannot carry the failure scenario (it travels in a
/// header the page does not show), so this adds the header by hand: the
/// command's retry flags then drive a real retry.
#[tokio::test]
async fn cli_retry_flags_drive_a_real_retry() {
    let scenario =
        serde_json::to_string(&FailureScenario::FailFirst { attempts: 1 }).expect("JSON");
    let header = proto::code::shell_quote(&format!("{SCENARIO_HEADER}={scenario}"));
    let extra = format!(" \\\n  --headers {header}");
    run_cli(Language::Python, retrying("cli-real-retry"), &extra, 2).await;
}

/// Runs the Python program for `config` and checks its output and Temporal's record.
async fn run_python(python: &Path, config: ActivityConfig) {
    let code = sdk_snippet(Language::Python, &config, &target()).text();
    let dir = Scratch::new("python");
    let file = dir.0.join("snippet.py");
    std::fs::write(&file, &code).expect("write snippet.py");
    let mut cmd = Command::new(python);
    cmd.arg(&file);
    let what = format!("the Python program\n{code}\n");
    let out = run_ok(cmd, &what).await;
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let expected = format!("Result: {}\n", greeting(&config.input));
    assert!(
        stdout.contains(&expected),
        "{what}printed {stdout:?}, expected {expected:?}"
    );
    assert_completed_as_configured(&config, Language::Python, 1).await;
}

#[tokio::test]
async fn python_programs_run() {
    let python = required("SA_DEMO_PYTHON", "Python programs");
    join_all(configs("python").map(|c| run_python(&python, c))).await;
}

/// Type-checks and transpiles the TypeScript program for `config` with
/// `tsc` (Node 20 cannot run TypeScript), runs it with node, and checks its
/// output and Temporal's record.
async fn run_typescript(node_modules: &Path, config: ActivityConfig) {
    let code = sdk_snippet(Language::Typescript, &config, &target()).text();
    let dir = Scratch::new("typescript");
    // The program imports `@temporalio/client` as a project would: from a
    // `node_modules` beside it.
    std::os::unix::fs::symlink(node_modules, dir.0.join("node_modules")).expect("symlink");
    std::fs::write(dir.0.join("snippet.ts"), &code).expect("write snippet.ts");
    let what = format!("the TypeScript program\n{code}\n");

    let mut tsc = Command::new(node_modules.join(".bin/tsc"));
    // `--skipLibCheck` as in Temporal's samples: the SDK's own `.d.ts` files
    // name `ms`, whose types are not installed; the program is still checked.
    tsc.current_dir(&dir.0).args([
        "--strict",
        "--skipLibCheck",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--outDir",
        "out",
        "snippet.ts",
    ]);
    run_ok(tsc, &format!("tsc on {what}")).await;

    let mut node = Command::new("node");
    node.current_dir(&dir.0).arg("out/snippet.js");
    let out = run_ok(node, &what).await;
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let expected = format!("Result: {}\n", greeting(&config.input));
    assert!(
        stdout.contains(&expected),
        "{what}printed {stdout:?}, expected {expected:?}"
    );
    assert_completed_as_configured(&config, Language::Typescript, 1).await;
}

#[tokio::test]
async fn typescript_programs_run() {
    let node_modules = required("SA_DEMO_NODE_MODULES", "TypeScript programs");
    join_all(configs("typescript").map(|c| run_typescript(&node_modules, c))).await;
}
