//! "Run as: From a Workflow", for real: the Go, Java, Python and TypeScript
//! Workflow programs are built and run against the test app's Temporal (their Worker
//! runs the Workflow, the demo's Worker the activity), and the Workflow
//! commands run through `sh` while a generated program's Worker is up (the
//! demo's Worker registers activities only, so nothing else would run the
//! Workflow). Each prints the greeting, and the Workflow's own record, asked
//! with `temporal workflow describe` and `temporal workflow show`, says it
//! completed and scheduled the activity with the form's type, task queue,
//! timeouts and retry policy, once. The TypeScript program is its two files,
//! saved as its setup says, its Worker bundling the Workflow file with the
//! `@temporalio/worker` and `@temporalio/workflow` that `cargo xtask`
//! installs beside the client.

use codegen::{Target, cli_workflow_command_with, sdk_workflow_snippet_with, shell_quote};
use proto::api::RunAs;
use proto::{ActivityConfig, FailureScenario, Language, TimeoutKind};
use serde_json::Value;

use crate::cli::run_shell;
use crate::programs::{Runtime, assert_printed};
use crate::{defaults, greeting, retrying, target};

/// Held by every test here that runs a Workflow Worker: they all register
/// `GreetingWorkflow` on the default task queue, and a Workflow started by
/// one language's client would otherwise run on another's Worker (with
/// that program's activity options).
static ONE_WORKFLOW_WORKER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `temporal workflow <subcommand> --workflow-id <id> -o json`, parsed.
async fn workflow_json(subcommand: &str, workflow_id: &str) -> Value {
    let t = target();
    let line = format!(
        "temporal workflow {subcommand} --address {} --namespace {} --workflow-id {} -o json",
        shell_quote(&t.address),
        shell_quote(&t.namespace),
        shell_quote(workflow_id)
    );
    let stdout = run_shell(&line, &line).await;
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{line}: {e}\n{stdout}"))
}

/// An enum as the CLI's JSON spells it (`EVENT_TYPE_ACTIVITY_TASK_SCHEDULED`
/// or `ActivityTaskScheduled`), reduced to `activitytaskscheduled`.
fn name(value: &Value, prefix: &str) -> String {
    let text = value.as_str().unwrap_or_default();
    let text = text.strip_prefix(prefix).unwrap_or(text);
    text.replace('_', "").to_lowercase()
}

/// A protobuf JSON duration (`"10s"`, `"1.500s"`) in milliseconds.
fn ms(value: &Value) -> Option<u64> {
    let secs: f64 = value.as_str()?.strip_suffix('s')?.parse().ok()?;
    Some((secs * 1000.0).round() as u64)
}

/// The events of `workflow_id`'s history of type `kind` (as [`name`] writes
/// it), each with its attributes.
fn events<'h>(history: &'h Value, kind: &str) -> Vec<&'h Value> {
    let all = history["events"].as_array().expect("a list of events");
    all.iter()
        .filter(|e| name(&e["eventType"], "EVENT_TYPE_") == kind)
        .collect()
}

/// Checks, from Temporal's record, that the Workflow `config.activity_id`
/// of `lang`'s type completed on the form's task queue, after the form's
/// start delay, having scheduled `lang`'s activity once with the form's
/// options, which completed on its first attempt.
async fn assert_workflow_ran_as_configured(config: &ActivityConfig, lang: Language) {
    let id = &config.activity_id;
    let described = workflow_json("describe", id).await;
    let info = &described["workflowExecutionInfo"];
    let status = name(&info["status"], "WORKFLOW_EXECUTION_STATUS_");
    assert_eq!(status, "completed", "{id}: {described:#}");
    assert_eq!(info["type"]["name"], lang.workflow_type(), "{id}");
    assert_eq!(info["taskQueue"], config.task_queue.as_str(), "{id}");

    let history = workflow_json("show", id).await;
    let started = events(&history, "workflowexecutionstarted");
    let [started] = started.as_slice() else {
        panic!("{id}: one WorkflowExecutionStarted expected\n{history:#}");
    };
    let backoff =
        ms(&started["workflowExecutionStartedEventAttributes"]["firstWorkflowTaskBackoff"]);
    assert_eq!(
        backoff.unwrap_or(0),
        config.start_delay_ms.unwrap_or(0),
        "{id}: start delay"
    );

    let scheduled = events(&history, "activitytaskscheduled");
    let [scheduled] = scheduled.as_slice() else {
        panic!("{id}: one ActivityTaskScheduled expected\n{history:#}");
    };
    let a = &scheduled["activityTaskScheduledEventAttributes"];
    assert_eq!(a["activityType"]["name"], lang.activity_type(), "{id}");
    assert_eq!(a["taskQueue"]["name"], config.task_queue.as_str(), "{id}");
    let main = match config.timeout_kind {
        TimeoutKind::StartToClose => "startToCloseTimeout",
        TimeoutKind::ScheduleToClose => "scheduleToCloseTimeout",
    };
    assert_eq!(ms(&a[main]), Some(config.timeout_ms), "{id}: {main}");
    if let Some(want) = config.schedule_to_start_timeout_ms {
        assert_eq!(ms(&a["scheduleToStartTimeout"]), Some(want), "{id}");
    }
    if let Some(want) = config.heartbeat_timeout_ms {
        assert_eq!(ms(&a["heartbeatTimeout"]), Some(want), "{id}");
    }
    let policy = &a["retryPolicy"];
    let retry = &config.retry;
    assert_eq!(
        (
            ms(&policy["initialInterval"]),
            policy["backoffCoefficient"].as_f64(),
            ms(&policy["maximumInterval"]),
            policy["maximumAttempts"].as_u64(),
        ),
        (
            Some(retry.initial_interval_ms),
            Some(retry.backoff_coefficient),
            Some(retry.maximum_interval_ms),
            Some(u64::from(retry.maximum_attempts)),
        ),
        "{id}: retry policy {policy:#}"
    );

    let attempts: Vec<u64> = events(&history, "activitytaskstarted")
        .iter()
        .filter_map(|e| e["activityTaskStartedEventAttributes"]["attempt"].as_u64())
        .collect();
    assert_eq!(attempts, [1], "{id}: attempts\n{history:#}");
    assert_eq!(events(&history, "activitytaskcompleted").len(), 1, "{id}");
    assert_eq!(
        events(&history, "workflowexecutioncompleted").len(),
        1,
        "{id}"
    );
}

/// Runs `lang`'s Workflow program at the defaults and with a retry policy,
/// a schedule-to-close timeout and a start delay, one after another.
async fn workflow_programs_run(lang: Language) {
    let Some(runtime) = Runtime::find(lang) else {
        return; // the skip was printed
    };
    let _alone = ONE_WORKFLOW_WORKER.lock().await;
    let slug = lang.slug();
    for config in [
        defaults(&format!("wf-{slug}-defaults")),
        retrying(&format!("wf-{slug}-retry")),
    ] {
        let out = runtime.run_workflow(&config, &target()).await;
        assert_printed(&out, lang, &greeting(&config.input));
        assert_workflow_ran_as_configured(&config, lang).await;
    }
}

#[tokio::test]
async fn go_workflow_programs_run() {
    workflow_programs_run(Language::Go).await;
}

#[tokio::test]
async fn java_workflow_programs_run() {
    workflow_programs_run(Language::Java).await;
}

#[tokio::test]
async fn python_workflow_programs_run() {
    workflow_programs_run(Language::Python).await;
}

#[tokio::test]
async fn typescript_workflow_programs_run() {
    workflow_programs_run(Language::Typescript).await;
}

/// The result `temporal workflow execute` printed (`Result "…"` in its
/// text output), decoded from its JSON encoding.
fn cli_result(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|l| {
        let (key, value) = l.trim().split_once(char::is_whitespace)?;
        (key == "Result").then(|| serde_json::from_str(value.trim()).ok())?
    })
}

/// The page's two Workflow commands, run through `sh` as printed, while
/// the Python Workflow program's Worker is up (its own Workflow waits out
/// a start delay meanwhile): the command's Workflow runs on that Worker,
/// the activity on the demo's, and `show` prints its history.
#[tokio::test]
async fn cli_workflow_commands_run_while_a_programs_worker_is_up() {
    let lang = Language::Python;
    let Some(runtime) = Runtime::find(lang) else {
        return;
    };
    let _alone = ONE_WORKFLOW_WORKER.lock().await;
    let config = defaults("wf-cli");
    let mut worker_config = defaults("wf-cli-worker");
    worker_config.start_delay_ms = Some(15_000);
    let line = cli_workflow_command_with(lang, &config, FailureScenario::None, &target()).text();
    let what = format!("the Workflow commands\n{line}\n");
    let t = target();
    let (program, stdout) = tokio::join!(
        runtime.run_workflow(&worker_config, &t),
        run_shell(&line, &what)
    );
    assert_printed(&program, lang, &greeting(&worker_config.input));
    assert_eq!(
        cli_result(&stdout).as_deref(),
        Some(greeting(&config.input).as_str()),
        "{what}{stdout}"
    );
    assert!(
        stdout.contains("ActivityTaskCompleted"),
        "show printed no activity\n{stdout}"
    );
    assert_workflow_ran_as_configured(&config, lang).await;
}

/// `POST /api/code` with `run_as: workflow` answers the Workflow program
/// and commands; left out, the Standalone ones.
#[tokio::test]
async fn the_code_endpoint_answers_the_workflow_code_when_asked() {
    let config = defaults("code-endpoint-workflow");
    let post = |run_as: Option<&'static str>| {
        let mut body = serde_json::json!({ "config": config, "language": "java" });
        if let Some(r) = run_as {
            body["run_as"] = r.into();
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
        }
    };
    let none = FailureScenario::None;
    let t: Target = target();
    let workflow = post(Some("workflow")).await;
    assert_eq!(
        workflow.sdk,
        sdk_workflow_snippet_with(Language::Java, &config, none, &t)
    );
    assert_eq!(
        workflow.cli,
        cli_workflow_command_with(Language::Java, &config, none, &t)
    );
    let standalone = post(None).await;
    assert_eq!(
        standalone.sdk,
        codegen::sdk_snippet_with(Language::Java, &config, none, &t)
    );
    assert_eq!(post(Some("standalone")).await, standalone);
    assert_eq!(
        serde_json::to_value(RunAs::Workflow).expect("json"),
        "workflow"
    );
}
