//! The options the plain runs leave out, for every program that runs here
//! (Go, Java, Python, TypeScript): the ID conflict policy UseExisting (a
//! second start of a running id returns that run, and the program sees its
//! real retry), the Worker's non-retryable error (the run fails at once),
//! the ID reuse policy RejectDuplicate, and the heartbeat and
//! schedule-to-start timeouts (recorded as set; schedule-to-start really
//! fires on a queue no Worker polls).
//!
//! A run that must still be going when a program starts waits on a task
//! queue no Worker polls yet; the [`Tap`] shows when the program's start was
//! answered with that run, and only then does the demo's Worker start
//! polling the queue (a run posted there through the API). No delays.

use proto::{ActivityConfig, FailureScenario, IdConflictPolicy, IdReusePolicy, RunRequest};
use temporalio_common::protos::temporal::api::enums::v1::ActivityExecutionStatus;

use crate::common::{self, app, unique};
use crate::programs::{Runtime, assert_failed_saying, assert_printed};
use crate::record::{assert_completed_with, assert_ran_as_configured, describe_latest};
use crate::tap::Tap;
use crate::{cli, defaults, for_every_runtime, greeting, retrying, target};

/// Makes the demo's Worker poll `config.task_queue`: it polls a queue once
/// a run is posted for it.
async fn wake_worker(runtime: &Runtime, config: &ActivityConfig) {
    let mut waker = defaults(&format!("{}-waker", config.activity_id));
    waker.task_queue.clone_from(&config.task_queue);
    common::start(&RunRequest {
        config: waker,
        scenario: FailureScenario::None,
        language: runtime.lang(),
        run_as: Default::default(),
    })
    .await;
}

/// Starts `first` with the CLI on a queue no Worker polls, with the Worker
/// to play `scenario`; runs the program for `first` with another input and
/// UseExisting, which must be answered with that run; only then lets the
/// Worker run it. Returns the program's output and the run id.
async fn attach(
    runtime: &Runtime,
    first: &ActivityConfig,
    scenario: FailureScenario,
) -> (std::process::Output, String) {
    let run_id = cli::start(runtime.lang(), first, scenario).await;
    let second = ActivityConfig {
        input: "Second".to_owned(),
        ..first.clone()
    };
    let mut tap = Tap::new(&app().info.address, run_id.as_bytes()).await;
    let mut via_tap = target();
    via_tap.address.clone_from(&tap.address);
    let program = runtime.run(&second, &via_tap);
    tokio::pin!(program);
    tokio::select! {
        () = tap.seen() => {}
        out = &mut program => panic!(
            "the {} program ended before its start was answered with the running run\n{}",
            runtime.lang().label(),
            crate::child::show(&out)
        ),
    }
    wake_worker(runtime, first).await;
    (program.await, run_id)
}

/// A config for a run that waits on a queue of its own, going long enough
/// for any program to be built and started meanwhile.
fn waiting(name: &str) -> ActivityConfig {
    let mut config = retrying(name);
    config.task_queue = unique(&format!("{name}-queue"));
    config.timeout_ms = 120_000;
    config.input = "First".to_owned();
    config.id_conflict_policy = IdConflictPolicy::UseExisting;
    config
}

#[tokio::test]
async fn use_existing_returns_the_running_run_and_its_real_retry() {
    for_every_runtime(|runtime| async move {
        let lang = runtime.lang();
        let first = waiting(&format!("attach-{}", lang.slug()));
        let scenario = FailureScenario::FailFirst { attempts: 1 };
        let (out, run_id) = attach(&runtime, &first, scenario).await;
        // The first run's result, not a greeting for "Second": the same run.
        assert_printed(&out, lang, &greeting("First"));
        let ran = assert_completed_with(&first, lang, 2, &greeting("First")).await;
        assert_eq!(
            ran,
            run_id,
            "{}: the latest run is the first one",
            lang.label()
        );
    })
    .await;
}

#[tokio::test]
async fn the_workers_non_retryable_error_fails_the_run_at_once() {
    for_every_runtime(|runtime| async move {
        let lang = runtime.lang();
        let first = waiting(&format!("non-retryable-{}", lang.slug()));
        let (out, _) = attach(&runtime, &first, FailureScenario::NonRetryable).await;
        // The Worker's message (`the name "First" is not accepted`).
        assert_failed_saying(&out, lang, "is not accepted");
        let failed = ActivityExecutionStatus::Failed;
        let resp = assert_ran_as_configured(&first, lang, failed, 1).await;
        let failure = resp.info.and_then(|i| i.last_failure);
        let text = format!("{failure:?}");
        assert!(
            text.contains(proto::scenario::NON_RETRYABLE_ERROR_TYPE),
            "{text}"
        );
    })
    .await;
}

/// Every optional setting at once: Temporal records each as the program set
/// it; a second start of the completed id is refused (RejectDuplicate).
#[tokio::test]
async fn every_option_is_recorded_and_reject_duplicate_refuses_a_new_run() {
    for_every_runtime(|runtime| async move {
        let lang = runtime.lang();
        let mut config = retrying(&format!("options-{}", lang.slug()));
        config.schedule_to_start_timeout_ms = Some(20_000);
        config.heartbeat_timeout_ms = Some(5_000);
        config.retry.non_retryable_error_types = vec!["ValidationError".to_owned()];
        config.id_reuse_policy = IdReusePolicy::RejectDuplicate;
        config.id_conflict_policy = IdConflictPolicy::UseExisting;

        let out = runtime.run(&config, &target()).await;
        assert_printed(&out, lang, &greeting(&config.input));
        let run_id = assert_completed_with(&config, lang, 1, &greeting(&config.input)).await;

        let again = runtime.run(&config, &target()).await;
        let text = String::from_utf8_lossy(&again.stderr).to_lowercase();
        assert!(
            !again.status.success() && text.contains("already"),
            "the {} program should have been refused\n{}",
            lang.label(),
            crate::child::show(&again)
        );
        let latest = describe_latest(&config.activity_id).await;
        assert_eq!(latest.run_id, run_id, "no new run");
    })
    .await;
}

#[tokio::test]
async fn schedule_to_start_timeout_fires_when_no_worker_polls() {
    for_every_runtime(|runtime| async move {
        let lang = runtime.lang();
        let name = format!("schedule-to-start-{}", lang.slug());
        let mut config = defaults(&name);
        config.task_queue = unique(&format!("{name}-nobody"));
        config.schedule_to_start_timeout_ms = Some(1_000);
        config.retry.maximum_attempts = 1;
        let out = runtime.run(&config, &target()).await;
        assert!(
            !out.status.success(),
            "the {} program should have failed\n{}",
            lang.label(),
            crate::child::show(&out)
        );
        let timed_out = ActivityExecutionStatus::TimedOut;
        assert_ran_as_configured(&config, lang, timed_out, 1).await;
    })
    .await;
}
