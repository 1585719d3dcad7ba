//! The Runs list against a real dev server: runs started with the real
//! `temporal` CLI (not by the demo) are listed from Temporal's own record
//! with their status and counts, paged, scoped to the demo's task queues;
//! one opened from the list has its log rebuilt from Temporal and its
//! options read back; bad queries and unknown runs get the standard JSON
//! error; public mode hides the input and rate-limits the list.

mod cli;
mod common;

use cli::{run_id_of, runs_page, temporal_activity, wait_listed, wait_page};
use common::{app, assert_well_formed, names, read_url, unique};
use proto::{ActivityConfig, ApiError, EventKind, RunOptions, RunStatus, RunsPage};
use sa_demo_server::hosting::{Hosting, Limits};

fn cli(args: &[&str]) -> String {
    temporal_activity(&app().info.address, &app().info.namespace, args)
}

fn default_queue() -> String {
    ActivityConfig::default().task_queue
}

/// `temporal activity execute` on the demo's default queue: the demo's
/// Worker runs it to completion. Returns the run id.
fn cli_execute(activity_id: &str, name: &str) -> String {
    let queue = default_queue();
    let out = cli(&[
        "execute",
        "-a",
        activity_id,
        "--type",
        "compose_greeting",
        "-t",
        &queue,
        "--start-to-close-timeout",
        "10s",
        "--retry-maximum-attempts",
        "2",
        "-i",
        &format!("\"{name}\""),
        "-o",
        "json",
    ]);
    run_id_of(&out)
}

async fn get(path: &str) -> reqwest::Response {
    reqwest::get(format!("{}{path}", app().base))
        .await
        .expect("GET")
}

async fn api_error(resp: reqwest::Response, status: u16) -> ApiError {
    let got = resp.status();
    let e: ApiError = resp.json().await.expect("ApiError JSON");
    assert_eq!(got, status, "{e:?}");
    e
}

#[tokio::test]
async fn a_cli_run_is_listed_with_its_status_and_counts_and_its_log_rebuilt() {
    let base = &app().base;
    let id = unique("cli-listed");
    let run_id = cli_execute(&id, "Ada");
    let listed = wait_listed(
        base,
        "status=completed&page_size=100",
        &run_id,
        RunStatus::Completed,
    )
    .await;
    assert_eq!(listed.activity_id, id);
    assert_eq!(listed.activity_type, "compose_greeting");
    assert_eq!(listed.task_queue, default_queue());
    // The test's dev server has no Web UI and none is configured: no link.
    assert_eq!(listed.web_ui_url, None);
    assert!(listed.scheduled_ms.is_some() && listed.closed_ms >= listed.scheduled_ms);
    // The counts of the same scope, whatever the status filter.
    let all = runs_page(base, "page_size=100").await;
    assert!(all.count(RunStatus::Completed) >= 1);
    assert!(all.task_queues.contains(&default_queue()));
    let total: u64 = all.counts.iter().map(|c| c.count).sum();
    assert_eq!(total, all.total);
    // Only this run: exact counts.
    let mine = runs_page(base, &format!("ids={run_id}")).await;
    assert_eq!(mine.total, 1);
    assert_eq!(mine.count(RunStatus::Completed), 1);
    assert_eq!(mine.count(RunStatus::Running), 0);
    assert_eq!(mine.runs.len(), 1);
    assert!(mine.task_queues.is_empty());
    // Opened from the list: the demo never saw it, so its log is rebuilt
    // from Temporal's record, true from the first line to the result.
    let url = format!("{base}/api/runs/{id}/{run_id}/events");
    let events: Vec<_> = read_url(&url, None, |_| false)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_well_formed(&events);
    assert_eq!(
        names(&events).first(),
        Some(&"scheduled"),
        "{:?}",
        names(&events)
    );
    match &events.last().expect("a terminal event").kind {
        EventKind::Completed { result, .. } => {
            assert_eq!(result.as_deref(), Some("\"Hello, Ada!\""));
        }
        other => panic!("expected completed, got {other:?}"),
    }
    // Read back what it was started with.
    let opts: RunOptions = get(&format!("/api/runs/{id}/{run_id}/options"))
        .await
        .json()
        .await
        .expect("RunOptions");
    assert_eq!(opts.language, Some(proto::Language::Python));
    assert_eq!(opts.input.as_deref(), Some("Ada"));
    assert_eq!(opts.start_to_close_ms, Some(10_000));
    assert_eq!(opts.retry.as_ref().map(|r| r.maximum_attempts), Some(2));
}

#[tokio::test]
async fn a_run_on_a_foreign_queue_is_listed_only_when_asked_for() {
    let base = &app().base;
    let (id, queue) = (unique("cli-foreign"), unique("foreign-q"));
    // No Worker polls this queue: the run waits, Running.
    let out = cli(&[
        "start",
        "-a",
        &id,
        "--type",
        "greet",
        "-t",
        &queue,
        "--schedule-to-close-timeout",
        "60s",
        "--retry-maximum-attempts",
        "3",
        "--retry-initial-interval",
        "2s",
        "-i",
        "\"Bob\"",
        "-o",
        "json",
    ]);
    let run_id = run_id_of(&out);
    let q = format!("queue={queue}&status=running");
    let listed = wait_listed(base, &q, &run_id, RunStatus::Running).await;
    assert_eq!(listed.task_queue, queue);
    // Not one of the demo's queues: absent from the default scope.
    let demo = runs_page(base, "page_size=100").await;
    assert!(!demo.task_queues.contains(&queue));
    assert!(demo.runs.iter().all(|r| r.run_id != run_id));
    // Start like this one: Temporal's record of its options.
    let opts: RunOptions = get(&format!("/api/runs/{id}/{run_id}/options"))
        .await
        .json()
        .await
        .expect("RunOptions");
    assert_eq!(opts.language, Some(proto::Language::Typescript));
    assert_eq!(opts.task_queue, queue);
    assert_eq!(opts.schedule_to_close_ms, Some(60_000));
    let retry = opts.retry.clone().expect("a retry policy");
    assert_eq!(
        (retry.maximum_attempts, retry.initial_interval_ms),
        (3, 2_000)
    );
    let (config, _) = opts.to_config(&ActivityConfig::default());
    assert_eq!(config.timeout_kind, proto::TimeoutKind::ScheduleToClose);
    assert_eq!(config.input, "Bob");
    // Terminated from the CLI: the list follows Temporal.
    cli(&["terminate", "-a", &id, "-r", &run_id, "--reason", "test"]);
    let q = format!("queue={queue}");
    wait_listed(base, &q, &run_id, RunStatus::Terminated).await;
    let counts = runs_page(base, &format!("ids={run_id}")).await;
    assert_eq!(counts.count(RunStatus::Terminated), 1);
    assert_eq!(counts.total, 1);
}

#[tokio::test]
async fn pages_follow_each_other_newest_first() {
    let base = &app().base;
    let first = cli_execute(&unique("cli-page-a"), "A");
    let second = cli_execute(&unique("cli-page-b"), "B");
    let ids = format!("ids={first},{second}&page_size=1");
    let page1: RunsPage = wait_page(base, &ids, |p| (p.total == 2).then(|| p.clone())).await;
    assert_eq!(page1.runs.len(), 1);
    assert_eq!(page1.runs[0].run_id, second, "newest first");
    let token = page1.next_page_token.clone().expect("a next page");
    let page2 = runs_page(base, &format!("{ids}&page_token={token}")).await;
    assert_eq!(page2.runs.len(), 1);
    assert_eq!(page2.runs[0].run_id, first);
}

#[tokio::test]
async fn bad_queries_and_unknown_runs_get_the_json_error() {
    for (query, says) in [
        (
            "status=Running')%20OR%20('1",
            "status: must be one of all, running",
        ),
        ("page_size=1000", "page_size: must be between 1 and 100"),
        ("page_token=zz", "page_token:"),
        // Well formed, but not a token Temporal gave.
        ("page_token=00ff", "page_token: Temporal refused it"),
        ("ids=a%07b", "ids: must not contain control characters"),
        ("colour=red", "invalid query"),
    ] {
        let e = api_error(get(&format!("/api/runs?{query}")).await, 400).await;
        assert_eq!(e.code, "bad_request", "{query}");
        assert!(e.message.starts_with(says), "{query}: {}", e.message);
    }
    let (id, run) = (
        unique("never-started"),
        "01a22dbc-4a58-7195-9a74-232751c9fcc7",
    );
    let e = api_error(get(&format!("/api/runs/{id}/{run}/events")).await, 404).await;
    assert_eq!(e.code, "not_found");
    let e = api_error(get(&format!("/api/runs/{id}/{run}/options")).await, 404).await;
    assert_eq!(e.code, "not_found");
    assert!(e.message.contains(&id), "{}", e.message);
}

#[tokio::test]
async fn public_mode_hides_the_input_and_limits_the_list() {
    let limits = Limits {
        query_burst: 3,
        queries_per_minute: 1,
        ..Limits::default()
    };
    let public = app().another_with(Hosting {
        limits,
        temporal_ui_url: Some("https://ui.example".to_owned()),
        ..Hosting::public("runs-test-secret")
    });
    let id = unique("cli-public");
    let run_id = cli_execute(&id, "Grace");
    // Listed (the same Temporal, so the same visibility) before asking
    // the limited app, so each of its answers counts once.
    wait_listed(
        &app().base,
        &format!("ids={run_id}"),
        &run_id,
        RunStatus::Completed,
    )
    .await;
    let resp = reqwest::get(format!("{}/api/runs/{id}/{run_id}/options", public.base))
        .await
        .expect("GET options");
    let opts: RunOptions = resp.json().await.expect("RunOptions");
    assert_eq!(opts.input, None, "the input is the starter's");
    assert_eq!(opts.start_to_close_ms, Some(10_000));
    // Only the Web UI the operator named is linked.
    let page = runs_page(&public.base, &format!("ids={run_id}")).await;
    assert_eq!(
        page.runs[0].web_ui_url.as_deref(),
        Some(
            format!("https://ui.example/namespaces/default/activities/{id}/{run_id}/details")
                .as_str()
        )
    );
    runs_page(&public.base, &format!("ids={run_id}")).await;
    let resp = reqwest::get(format!("{}/api/runs", public.base))
        .await
        .expect("GET runs");
    let e = api_error(resp, 429).await;
    assert_eq!(e.code, "rate_limited");
    public.shutdown();
}
