//! Temporal going away and coming back, for real: the embedded dev server
//! is killed mid-run (and started again by the demo), and an external
//! Temporal is stopped and started again by the test. The demo says so on
//! every open stream, fails fast and plainly meanwhile, and carries on.

mod common;

use std::time::Duration;

use common::*;
use proto::{EventKind, FailureScenario, RunEvent};
use sa_demo_server::config::TemporalTarget;
use sa_demo_server::devserver::{DevServer, DevServerOptions};

fn state_file(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("{}.db", unique(name)))
}

/// `/readyz`'s status, with a bound on how long it may take to answer.
async fn ready(base: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{base}/readyz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("readyz answers")
        .status()
        .as_u16()
}

/// Polls `/readyz` until it is 200 again, within `deadline`.
async fn ready_again(base: &str, deadline: Duration) {
    let poll = async {
        while ready(base).await != 200 {
            // Temporal's restart is another process with no event to wait
            // on; the probe is re-asked under the deadline.
            tokio::time::sleep(Duration::from_millis(200)).await; // sleep-ok: another process, under the deadline
        }
    };
    tokio::time::timeout(deadline, poll)
        .await
        .expect("ready again within the deadline");
}

/// Opens a stream of `started` that stays open through what follows, and
/// returns once attempt 1 failed (the run then waits out its backoff).
async fn watch_into_backoff(
    base: &str,
    started: &proto::RunStarted,
) -> tokio::task::JoinHandle<Vec<(SseMessage, RunEvent)>> {
    let (stream_base, watched) = (base.to_owned(), started.clone());
    let stream =
        tokio::spawn(async move { read_from(&stream_base, &watched, None, |_| false).await });
    read_from(base, started, None, |seen| {
        seen.iter()
            .any(|(_, e)| matches!(e.kind, EventKind::AttemptFailed { attempt: 1, .. }))
    })
    .await;
    stream
}

fn events(msgs: Vec<(SseMessage, RunEvent)>) -> Vec<RunEvent> {
    msgs.into_iter().map(|(_, e)| e).collect()
}

fn has(events: &[RunEvent], name: &str) -> bool {
    events.iter().any(|e| e.kind.name() == name)
}

#[tokio::test]
async fn the_embedded_dev_server_is_killed_mid_run_and_the_run_carries_on() {
    let opts = DevServerOptions {
        db_file: Some(state_file("killed")),
        ..dev_server_options()
    };
    let demo = TestApp::start(TemporalTarget::Embedded(opts));
    let mut req = request("killed", FailureScenario::FailFirst { attempts: 1 }, 3);
    req.config.retry.initial_interval_ms = 3_000;
    let started = start_on(&demo.base, &req).await;
    // One stream, open through the whole outage.
    // One stream, open through the whole outage; Temporal dies during the
    // backoff after attempt 1.
    let stream = watch_into_backoff(&demo.base, &started).await;
    let group = demo.temporal_pid.expect("an embedded dev server");
    let killed_at = sa_demo_server::unix_ms(std::time::SystemTime::now());
    let killed = std::process::Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{group}")])
        .status()
        .expect("kill");
    assert!(killed.success());
    // The probe fails at once, the start fails fast and plainly.
    assert_eq!(ready(&demo.base).await, 503);
    let mut during = request("killed-during", FailureScenario::None, 1);
    during.config.task_queue = req.config.task_queue.clone();
    let resp = post_run_to(&demo.base, &during).await;
    if resp.status() == 503 {
        assert!(resp.headers().contains_key("retry-after"));
        let err: proto::ApiError = resp.json().await.expect("ApiError");
        assert!(err.message.contains("unreachable"), "{}", err.message);
    } else {
        // The supervisor may already have Temporal back.
        assert_eq!(resp.status(), 201);
    }
    // The demo starts Temporal again on its own; the run completes.
    ready_again(&demo.base, Duration::from_secs(60)).await;
    let all = events(stream.await.expect("the stream task"));
    assert_well_formed(&all);
    let unreachable = all
        .iter()
        .find(|e| e.kind.name() == "temporal_unreachable")
        .unwrap_or_else(|| panic!("no unreachable line in {:?}", ids(&all)));
    // The promise: the visitor is told within a few seconds.
    let told_after = unreachable.at_ms.expect("the client's time") - killed_at;
    assert!(told_after < 5_000, "told {told_after} ms after the kill");
    assert!(has(&all, "temporal_reachable"), "{:?}", ids(&all));
    assert!(
        matches!(
            all.last().expect("events").kind,
            EventKind::Completed { .. }
        ),
        "{:?}",
        ids(&all)
    );
    demo.shutdown();
}

#[tokio::test]
async fn an_external_temporal_stopped_and_started_again() {
    let opts = DevServerOptions {
        db_file: Some(state_file("external")),
        port: Some(free_port()),
        ..dev_server_options()
    };
    let temporal = DevServer::start(&opts).await.expect("Temporal");
    temporal_answers(&temporal.address().to_string()).await;
    let demo = TestApp::start(TemporalTarget::Plain {
        address: temporal.address().to_string(),
        namespace: "default".to_owned(),
    });
    let mut req = request("external", FailureScenario::FailFirst { attempts: 1 }, 3);
    req.config.retry.initial_interval_ms = 4_000;
    let started = start_on(&demo.base, &req).await;
    let stream = watch_into_backoff(&demo.base, &started).await;
    temporal.stop().await;
    // Meanwhile: a plain 503 with Retry-After, not a transport error.
    let resp = post_run_to(
        &demo.base,
        &request("external-during", FailureScenario::None, 1),
    )
    .await;
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().contains_key("retry-after"));
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert!(err.message.contains("unreachable"), "{}", err.message);
    assert!(
        !err.message.to_lowercase().contains("tcp"),
        "{}",
        err.message
    );
    // The stream says Temporal is unreachable before it is back.
    read_from(&demo.base, &started, None, |seen| {
        seen.iter()
            .any(|(_, e)| e.kind.name() == "temporal_unreachable")
    })
    .await;
    let temporal = DevServer::start(&opts).await.expect("Temporal again");
    ready_again(&demo.base, Duration::from_secs(60)).await;
    let all = events(stream.await.expect("the stream task"));
    assert_well_formed(&all);
    assert!(has(&all, "temporal_reachable"), "{:?}", ids(&all));
    assert!(
        matches!(
            all.last().expect("events").kind,
            EventKind::Completed { attempt: 2, .. }
        ),
        "{:?}",
        ids(&all)
    );
    demo.shutdown();
    temporal.stop().await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
