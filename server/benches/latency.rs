//! Start-to-result latency of one standalone activity through the demo
//! (POST /api/runs, then the SSE stream until the terminal event), against
//! baselines measured in the same run on the same Temporal dev server and
//! Worker: the Temporal CLI's `temporal activity execute`, and the Rust SDK
//! client alone (start + long-poll describe until closed). Prints medians and
//! ratios. Run with `cargo xtask bench`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use proto::FailureScenario;

const RUNS: usize = 25;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn demo_once(i: usize) -> Duration {
    let req = common::request(&format!("bench-demo-{i}"), FailureScenario::None, 1);
    let t = Instant::now();
    let started = common::start(&req).await;
    let events = common::run_events(&started).await;
    let elapsed = t.elapsed();
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(proto::EventKind::Completed { .. })
    ));
    elapsed
}

async fn sdk_once(gateway: &sa_demo_server::gateway::Gateway, i: usize) -> Duration {
    let req = common::request(&format!("bench-sdk-{i}"), FailureScenario::None, 1);
    let t = Instant::now();
    // What a user's program does: start, then await the result through the
    // SDK's handle (a PollActivityExecution long poll).
    let run_id = gateway.start(&req, "bench").await.expect("start").run_id;
    let handle = gateway
        .client()
        .get_untyped_activity_handle(req.config.activity_id.clone(), Some(run_id));
    handle.result().await.expect("the activity's result");
    t.elapsed()
}

fn cli_once(i: usize) -> Duration {
    let app = common::app();
    let cli = std::env::var("SA_DEMO_TEMPORAL_CLI").unwrap_or_else(|_| "temporal".into());
    let t = Instant::now();
    let out = std::process::Command::new(cli)
        .args(["activity", "execute", "--address", &app.info.address])
        .args(["--namespace", &app.info.namespace])
        .args(["--activity-id", &common::unique(&format!("bench-cli-{i}"))])
        .args(["--type", "compose_greeting", "--task-queue"])
        .arg(proto::ActivityConfig::default().task_queue)
        .args([
            "--start-to-close-timeout",
            "10s",
            "--retry-maximum-attempts",
            "1",
        ])
        .args(["--input", "\"World\""])
        .output()
        .expect("run the temporal CLI");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed()
}

fn main() {
    common::app();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // Warm up every path once.
    rt.block_on(demo_once(0));
    cli_once(0);
    let gateway = rt.block_on(common::temporal());
    rt.block_on(sdk_once(&gateway, 0));

    let mut demo = Vec::new();
    let mut sdk = Vec::new();
    let mut cli = Vec::new();
    // Interleaved, so drift on a busy machine hits every path alike.
    for i in 1..=RUNS {
        demo.push(rt.block_on(demo_once(i)));
        sdk.push(rt.block_on(sdk_once(&gateway, i)));
        cli.push(cli_once(i));
    }
    let (demo, sdk, cli) = (median(demo), median(sdk), median(cli));
    println!(
        "start → result, median of {RUNS} runs each (this binary: the optimised bench profile; \
         the demo server, its Worker and the SDK baseline share one process and one Temporal):"
    );
    println!("  Rust SDK: start + handle.result() {sdk:>10.2?}  (baseline)");
    println!(
        "  temporal activity execute        {cli:>10.2?}  ({:.2}× the SDK baseline)",
        cli.as_secs_f64() / sdk.as_secs_f64()
    );
    println!(
        "  demo: POST + SSE to terminal     {demo:>10.2?}  ({:.2}× the SDK baseline, {:.2}× the CLI)",
        demo.as_secs_f64() / sdk.as_secs_f64(),
        demo.as_secs_f64() / cli.as_secs_f64()
    );
}
