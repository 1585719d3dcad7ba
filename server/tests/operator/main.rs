//! The operator commands against a real dev server: pause, unpause, reset,
//! update options and delete, sent through `POST /api/runs/{id}/{run}/…`
//! to runs the demo's own Worker executes, each checked against Temporal's
//! own record (`temporal activity describe`); Temporal's refusals answered
//! in its words, as its CLI shows them; the start delay; the namespace's
//! capabilities in `/api/info`. What the demo itself refuses is in
//! `refusals`.

#[path = "../cli/mod.rs"]
mod cli;
#[path = "../common/mod.rs"]
mod common;
mod deadline;
mod refusals;
mod running;

use std::time::Duration;

use cli::{runs_page, temporal_activity, wait_listed};
use common::*;
use proto::{
    ApiError, Command, CommandDone, EventKind, FailureScenario, IdReusePolicy, RunEvent,
    RunStarted, RunStatus, ServerInfo,
};
use serde_json::{Value, json};

/// POSTs `/api/runs/{id}/{run}/{action}` to `base`, with `body` and the
/// control `token` when given.
async fn send_to(
    base: &str,
    started: &RunStarted,
    action: &str,
    body: Option<Value>,
    token: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new().post(format!(
        "{base}/api/runs/{}/{}/{action}",
        started.activity_id, started.run_id
    ));
    if let Some(body) = body {
        req = req.json(&body);
    }
    if let Some(t) = token {
        req = req.header("X-Control-Token", t);
    }
    req.send().await.expect("POST run action")
}

/// Sends `action` to the shared app.
async fn send(started: &RunStarted, action: &str, body: Option<Value>) -> reqwest::Response {
    send_to(&app().base, started, action, body, None).await
}

/// The answer of an accepted command.
async fn done(resp: reqwest::Response) -> CommandDone {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("CommandDone JSON")
}

/// The JSON error of a refused request, with its status.
async fn api_error(resp: reqwest::Response, status: u16) -> ApiError {
    let got = resp.status();
    assert_eq!(
        resp.headers()["content-type"].to_str().expect("ascii"),
        "application/json"
    );
    let e: ApiError = resp.json().await.expect("ApiError JSON");
    assert_eq!(got, status, "{e:?}");
    e
}

/// Runs `temporal activity <args>` on the shared app's Temporal, success or
/// not: (succeeded, stdout + stderr).
fn cli_try(info: &ServerInfo, args: &[&str]) -> (bool, String) {
    let cli = std::env::var_os("SA_DEMO_TEMPORAL_CLI").unwrap_or_else(|| "temporal".into());
    let out = std::process::Command::new(cli)
        .arg("activity")
        .args(args)
        .args(["--address", &info.address, "--namespace", &info.namespace])
        .output()
        .expect("the temporal CLI runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Temporal's own record of the run on `info`'s Temporal: the `info` of
/// `temporal activity describe -o json`.
fn described_on(info: &ServerInfo, started: &RunStarted) -> Value {
    let out = temporal_activity(
        &info.address,
        &info.namespace,
        &[
            "describe",
            "-o",
            "json",
            "-a",
            &started.activity_id,
            "-r",
            &started.run_id,
        ],
    );
    let v: Value = serde_json::from_str(&out).expect("describe JSON");
    v["info"].clone()
}

/// Temporal's own record of a run of the shared app.
fn described(started: &RunStarted) -> Value {
    described_on(&app().info, started)
}

/// A run whose first `fails` attempts fail, `backoff_ms` apart at first,
/// each wait `coefficient` times the one before.
fn failing(name: &str, fails: u32, backoff_ms: u64, coefficient: f64) -> proto::RunRequest {
    let mut req = request(name, FailureScenario::FailFirst { attempts: fails }, 10);
    req.config.retry.initial_interval_ms = backoff_ms;
    req.config.retry.backoff_coefficient = coefficient;
    req.config.retry.maximum_interval_ms = 100_000;
    req
}

/// Reads the run's stream until `n` attempts have failed.
async fn until_failed(started: &RunStarted, n: usize) -> Vec<RunEvent> {
    read_until(started, None, |seen| {
        seen.iter()
            .filter(|(_, e)| matches!(e.kind, EventKind::AttemptFailed { .. }))
            .count()
            >= n
    })
    .await
    .into_iter()
    .map(|(_, e)| e)
    .collect()
}

fn status(info: &Value) -> &str {
    info["status"].as_str().expect("status")
}

fn attempt(info: &Value) -> u64 {
    info["attempt"].as_u64().expect("attempt")
}

const PAUSED: &str = "ACTIVITY_EXECUTION_STATUS_PAUSED";

/// The commands this process logged on the run, in order.
fn commands_logged(events: &[RunEvent]) -> Vec<(u32, Command)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CommandSent { seq, command } => Some((*seq, command.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn info_reports_the_dev_servers_capabilities() {
    let info: ServerInfo = reqwest::get(format!("{}/api/info", app().base))
        .await
        .expect("GET /api/info")
        .json()
        .await
        .expect("ServerInfo");
    assert!(info.capabilities.operator_commands, "{info:?}");
    assert!(info.capabilities.start_delay, "{info:?}");
    assert_eq!(info.capabilities.note, None);
}

#[tokio::test]
async fn a_pause_in_a_backoff_holds_the_next_attempt_until_unpaused() {
    let started = start(&failing("pause", 1, 6_000, 2.0)).await;
    until_failed(&started, 1).await;
    // When Temporal means to start attempt 2 (a paused run no longer says).
    let due = describe(&started)
        .await
        .next_attempt_ms
        .expect("a backoff with its next attempt time");
    let resp = send(&started, "pause", Some(json!({"reason": "hold it"}))).await;
    let paused = done(resp).await;
    assert_eq!(
        paused.command,
        Command::Pause {
            reason: "hold it".into()
        }
    );
    assert!(paused.at_ms > 0 && paused.options.is_none());
    let before = described(&started);
    assert_eq!(status(&before), PAUSED, "{before:#}");
    assert_eq!(attempt(&before), 2, "{before:#}");

    // The fact checked is that nothing happens: no event can be waited
    // for, so wait until the time attempt 2 was due has clearly passed.
    let past_due = std::time::UNIX_EPOCH
        + Duration::from_millis(u64::try_from(due).unwrap())
        + Duration::from_secs(2);
    let wait = past_due
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(wait < Duration::from_secs(10), "{wait:?}");
    tokio::time::sleep(wait).await; // sleep-ok: past the due time is the fact checked
    let after = described(&started);
    assert_eq!(status(&after), PAUSED, "{after:#}");
    assert_eq!(attempt(&after), 2, "{after:#}");
    assert_eq!(
        after["lastStartedTime"], before["lastStartedTime"],
        "an attempt started while paused: {after:#}"
    );

    // The Runs list and its counts say so, from Temporal's visibility.
    let base = &app().base;
    let run = &started.run_id;
    wait_listed(
        base,
        &format!("status=paused&ids={run}"),
        run,
        RunStatus::Paused,
    )
    .await;
    let page = runs_page(base, &format!("ids={run}")).await;
    assert!(
        page.counts
            .iter()
            .any(|c| c.status == RunStatus::Paused && c.count == 1),
        "{page:?}"
    );

    let unpaused = done(send(&started, "unpause", None).await).await;
    assert_eq!(
        unpaused.command,
        Command::Unpause {
            reason: "unpause from the demo page".into()
        }
    );
    let events = run_events(&started).await;
    assert!(
        matches!(
            events.last().map(|e| &e.kind),
            Some(EventKind::Completed { .. })
        ),
        "{:?}",
        names(&events)
    );
    assert_eq!(
        commands_logged(&events),
        [(1, paused.command), (2, unpaused.command)]
    );
    assert_eq!(
        status(&described(&started)),
        "ACTIVITY_EXECUTION_STATUS_COMPLETED"
    );
}

#[tokio::test]
async fn a_reset_after_two_failed_attempts_starts_again_at_attempt_one() {
    // 1 s before attempt 2, then 10 s before attempt 3: time to act.
    let started = start(&failing("reset", 9, 1_000, 10.0)).await;
    until_failed(&started, 2).await;
    done(send(&started, "pause", None).await).await;
    let before = described(&started);
    assert_eq!(attempt(&before), 3, "{before:#}");
    // Kept paused, so nothing starts attempt 1 before it is looked at.
    let reset = done(send(&started, "reset", Some(json!({"keep_paused": true}))).await).await;
    assert_eq!(
        reset.command,
        Command::Reset(proto::ResetBody {
            keep_paused: true,
            reset_heartbeat: false,
        })
    );
    let after = described(&started);
    assert_eq!(attempt(&after), 1, "{after:#}");
    assert_eq!(status(&after), PAUSED, "{after:#}");
    // What the reset keeps: the last failure, the last start.
    assert_eq!(after["lastFailure"], before["lastFailure"]);
    assert_eq!(after["lastStartedTime"], before["lastStartedTime"]);

    // The log: round 0's attempts as they ended, the reset with no time
    // (Temporal records none), and nothing invented for round 1, which has
    // not started while paused.
    let events: Vec<RunEvent> = read_until(&started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::AttemptsReset { .. }))
    })
    .await
    .into_iter()
    .map(|(_, e)| e)
    .collect();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert!(
        ids.contains(&"a2-failed") && ids.contains(&"pause-1"),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|i| i.starts_with("r1-")), "{ids:?}");
    let line = events
        .iter()
        .find(|e| e.id == "reset-1")
        .expect("the reset");
    assert_eq!(line.at_ms, None);
    assert_eq!(
        line.kind,
        EventKind::AttemptsReset {
            round: 1,
            from_attempt: 3
        }
    );

    // Delete ends an open run too, and Temporal forgets it.
    done(send(&started, "delete", None).await).await;
    let args = [
        "describe",
        "-a",
        &started.activity_id,
        "-r",
        &started.run_id,
    ];
    let (found, said) = cli_try(&app().info, &args);
    assert!(!found && said.contains("not found"), "{said}");
}

#[tokio::test]
async fn an_update_changes_the_options_temporal_records() {
    let started = start(&failing("update", 1, 30_000, 2.0)).await;
    until_failed(&started, 1).await;
    let body = json!({"start_to_close_ms": 7_000, "heartbeat_ms": 3_000});
    let updated = done(send(&started, "update-options", Some(body)).await).await;
    let now = updated.options.expect("the options after the update");
    assert_eq!(now.start_to_close_ms, Some(7_000));
    assert_eq!(now.heartbeat_ms, Some(3_000));
    assert_eq!(now.task_queue, started_queue());
    // Unlimited stays unlimited; the retry policy is the one started with.
    assert_eq!(now.schedule_to_close_ms, None);
    assert_eq!(now.retry.map(|r| r.initial_interval_ms), Some(30_000));
    let info = described(&started);
    assert_eq!(info["startToCloseTimeout"], "7s", "{info:#}");
    assert_eq!(info["heartbeatTimeout"], "3s", "{info:#}");

    // A run that is not paused cannot be unpaused: Temporal's own words,
    // as its CLI shows them.
    let e = api_error(send(&started, "unpause", None).await, 409).await;
    assert_eq!(e.code, "failed_precondition");
    let words = e
        .message
        .strip_prefix("Temporal refused: ")
        .expect("prefix");
    let (ok, cli_said) = cli_try(&app().info, &["unpause", "-a", &started.activity_id]);
    assert!(!ok && cli_said.contains(words), "{words:?} vs {cli_said}");
    // Cancel and terminate answer as before: 202, no body.
    assert_eq!(act(&started, "terminate").await, 202);
}

fn started_queue() -> String {
    proto::ActivityConfig::default().task_queue
}

#[tokio::test]
async fn delete_frees_the_id_at_once() {
    let mut req = request("delete", FailureScenario::None, 1);
    req.config.id_reuse_policy = IdReusePolicy::RejectDuplicate;
    let first = start(&req).await;
    run_events(&first).await;
    let again = api_error(post_run(&req).await, 409).await;
    assert_eq!(again.code, "already_started", "{again:?}");

    // A closed run cannot be paused: Temporal's words, as its CLI shows them.
    let e = api_error(send(&first, "pause", None).await, 409).await;
    assert_eq!(e.code, "failed_precondition");
    let words = e
        .message
        .strip_prefix("Temporal refused: ")
        .expect("prefix");
    let (ok, cli_said) = cli_try(&app().info, &["pause", "-a", &first.activity_id]);
    assert!(!ok && cli_said.contains(words), "{words:?} vs {cli_said}");

    let deleted = done(send(&first, "delete", None).await).await;
    assert_eq!(deleted.command, Command::Delete);
    let second = start(&req).await;
    assert_ne!(second.run_id, first.run_id);
    assert!(second.started);
    // Gone from Temporal: the next command on it is not found, in its words.
    let e = api_error(send(&first, "delete", None).await, 404).await;
    assert_eq!(e.code, "not_found");
    assert!(e.message.contains(&first.activity_id), "{e:?}");
    run_events(&second).await;
}

#[tokio::test]
async fn a_start_delay_reaches_temporal() {
    let mut req = request("delay", FailureScenario::None, 1);
    req.config.start_delay_ms = Some(30_000);
    let started = start(&req).await;
    let info = described(&started);
    assert_eq!(info["startDelay"], "30s", "{info:#}");
    // Not yet dispatched: the first attempt waits for the delay.
    assert!(info.get("lastStartedTime").is_none(), "{info:#}");
    done(send(&started, "delete", None).await).await;
}
