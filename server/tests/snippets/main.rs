//! The generated code really runs: every language's `temporal activity
//! execute` command (through `sh`) and the Go, Java, Python and TypeScript
//! programs are built with the real SDKs and run against the test app's
//! Temporal and its Worker, and Temporal's own description confirms that
//! what ran is what the form said (type, queue, input, timeouts, start
//! delay, retry policy, id policies) and how it ended. So do the operator
//! commands' CLI lines and the programs that pause and unpause their run,
//! and the "From a Workflow" programs and `temporal workflow` commands
//! (`workflow.rs`), checked against the Workflow's Event History. .NET and
//! Ruby are only parsed (`codegen/tests/parse.rs`): no NuGet or RubyGems
//! here.
//!
//! The runtimes come from `cargo xtask test`, which installs or prepares
//! them and names them in `SA_DEMO_TEMPORAL_CLI`, `SA_DEMO_PYTHON`,
//! `SA_DEMO_NODE_MODULES`, `SA_DEMO_GO_SDK` and `SA_DEMO_JAVA_CLASSPATH`
//! (or says in `SA_DEMO_GO_MISSING` / `SA_DEMO_JAVA_MISSING` why a
//! toolchain is missing: skipped, except under `CI=true`).

#[path = "../common/mod.rs"]
mod common;

mod child;
mod cli;
mod operator;
mod options;
mod programs;
mod record;
mod tap;
mod workflow;

use codegen::Target;
use common::{app, unique};
use futures::future::join_all;
use proto::{ActivityConfig, Language, TimeoutKind};

use programs::{Runtime, assert_printed};

/// An input no quoting mistake survives: shell quotes and expansions, a
/// backslash, and characters outside ASCII.
const AWKWARD: &str = "O'Brien \"$HOME\" \\ é 🎉";

/// The languages whose programs are built and run.
const RUN: [Language; 4] = [
    Language::Go,
    Language::Java,
    Language::Python,
    Language::Typescript,
];

/// What the Worker answers for `input`.
fn greeting(input: &str) -> String {
    format!("Hello, {input}!")
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

/// A non-default retry policy bounded by a schedule-to-close timeout, after
/// a one-second start delay.
fn retrying(name: &str) -> ActivityConfig {
    let mut config = defaults(name);
    config.start_delay_ms = Some(1_000);
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

/// Runs `lang`'s program for each of [`configs`], one after another (the
/// machine has two cores), and checks what each printed and what Temporal
/// recorded.
async fn programs_run(lang: Language) {
    let Some(runtime) = Runtime::find(lang) else {
        return; // the skip was printed
    };
    for config in configs(lang.slug()) {
        let out = runtime.run(&config, &target()).await;
        assert_printed(&out, lang, &greeting(&config.input));
        record::assert_completed_as_configured(&config, lang, 1).await;
    }
}

#[tokio::test]
async fn go_programs_run() {
    programs_run(Language::Go).await;
}

#[tokio::test]
async fn java_programs_run() {
    programs_run(Language::Java).await;
}

#[tokio::test]
async fn python_programs_run() {
    programs_run(Language::Python).await;
}

#[tokio::test]
async fn typescript_programs_run() {
    programs_run(Language::Typescript).await;
}

/// Every language whose programs run here, each with its runtime.
fn runtimes() -> Vec<Runtime> {
    RUN.into_iter().filter_map(Runtime::find).collect()
}

/// Runs `check` for every language whose programs run here, all at once.
async fn for_every_runtime<F, Fut>(check: F)
where
    F: Fn(Runtime) -> Fut,
    Fut: Future<Output = ()>,
{
    join_all(runtimes().into_iter().map(check)).await;
}

/// The TypeScript check is strict enough to fail: a duration the SDK's
/// `Duration` type does not accept, and a misspelt option, are both
/// rejected by `tsc` (as `codegen/tests/parse.rs` proves the parsers can fail).
#[tokio::test]
async fn typescript_check_rejects_a_wrong_duration_and_a_wrong_option_name() {
    let node_modules = child::required("SA_DEMO_NODE_MODULES", "TypeScript programs");
    let code = codegen::sdk_snippet(Language::Typescript, &defaults("ts-check"), &target());
    let code = code.text();
    let timeout = "startToCloseTimeout: '10s'";
    assert!(code.contains(timeout), "{code}");
    let mutants = [
        ("startToCloseTimeout: '10 parsecs'", "TS2322"),
        ("startToCloseTimeot: '10s'", "TS2561"),
    ];
    for (mutant, error) in mutants {
        let bad = code.replace(timeout, mutant);
        let dir = child::Scratch::new("typescript-mutant");
        let files = programs::typescript_files(&bad, &codegen::sdk_setup(Language::Typescript));
        let out = programs::typescript_build(&node_modules, &dir, &files, mutant).await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !out.status.success() && stdout.contains(error),
            "tsc accepted {mutant:?}\n{}",
            child::show(&out)
        );
    }
}
