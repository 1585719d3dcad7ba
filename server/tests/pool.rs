//! The Worker pool at its limit, and the readiness probe when Temporal goes
//! away. Each test runs apps of its own: one fills every Worker slot, the
//! other loses its Temporal.

mod common;

use std::time::{Duration, Instant};

use common::*;
use proto::{EventKind, FailureScenario};
use sa_demo_server::config::TemporalTarget;
use sa_demo_server::devserver::DevServer;
use sa_demo_server::worker::MAX_QUEUES;

#[tokio::test]
async fn a_full_pool_refuses_new_queues_and_keeps_every_open_runs_worker() {
    let pool = app().another();
    // One run per free slot (the default queue holds one), each waiting out
    // a backoff after its first attempt failed: no attempt is executing.
    let mut runs = Vec::new();
    for i in 1..MAX_QUEUES {
        let mut req = request(
            &format!("pool-{i}"),
            FailureScenario::FailFirst { attempts: 1 },
            2,
        );
        req.config.task_queue = unique(&format!("pool-queue-{i}"));
        // Long enough that every run is still backing off when the extra
        // start arrives, even on a loaded machine.
        req.config.retry.initial_interval_ms = 15_000;
        runs.push(start_on(&pool.base, &req).await);
    }
    for started in &runs {
        read_from(&pool.base, started, None, |seen| {
            seen.iter()
                .any(|(_, e)| matches!(e.kind, EventKind::AttemptFailed { attempt: 1, .. }))
        })
        .await;
    }
    // Every slot serves an open run: a new queue is refused, honestly.
    let mut extra = request("pool-extra", FailureScenario::None, 1);
    extra.config.task_queue = unique("pool-queue-extra");
    let resp = post_run_to(&pool.base, &extra).await;
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().contains_key("retry-after"));
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert_eq!(err.code, "busy");
    assert!(err.message.contains("task queues"), "{}", err.message);
    // ... and nothing already going was hurt: each run's Worker is still
    // there for its second attempt.
    for started in &runs {
        let events: Vec<_> = read_from(&pool.base, started, None, |_| false)
            .await
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert!(
            matches!(
                events.last().expect("events").kind,
                EventKind::Completed { attempt: 2, .. }
            ),
            "{:?}",
            ids(&events)
        );
    }
    // With the runs closed, their Workers may make room again.
    let resp = post_run_to(&pool.base, &extra).await;
    assert_eq!(
        resp.status(),
        201,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    pool.shutdown();
}

#[tokio::test]
async fn readyz_fails_at_once_when_temporal_is_down() {
    let temporal = DevServer::start(&dev_server_options())
        .await
        .expect("a dev server of the test's own");
    common::temporal_answers(&temporal.address().to_string()).await;
    let demo = TestApp::start(TemporalTarget::Plain {
        address: temporal.address().to_string(),
        namespace: "default".to_owned(),
    });
    let client = reqwest::Client::new();
    let ready = |client: reqwest::Client, base: String| async move {
        let t = Instant::now();
        let resp = client
            .get(format!("{base}/readyz"))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("readyz answers");
        (resp, t.elapsed())
    };
    let (resp, _) = ready(client.clone(), demo.base.clone()).await;
    assert_eq!(resp.status(), 200);
    temporal.stop().await;
    let (resp, took) = ready(client.clone(), demo.base.clone()).await;
    assert_eq!(resp.status(), 503);
    // The probe's own deadline is under a second; far below this bound.
    assert!(took < Duration::from_secs(5), "readyz took {took:?}");
    let err: proto::ApiError = resp.json().await.expect("ApiError");
    assert!(err.message.contains("unreachable"), "{}", err.message);
    assert!(!err.message.contains("tcp"), "{}", err.message);
    // Liveness does not depend on Temporal.
    let live = client
        .get(format!("{}/healthz", demo.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(live.status(), 200);
    demo.shutdown();
}
