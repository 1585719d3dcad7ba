//! Stateless replicas: real `sa-demo-server` processes on one dev server,
//! `--role web` replicas behind a round-robin TCP proxy of the test's own
//! and one `--role worker` process apart. A run started through one web
//! replica is streamed by the other, which never saw it; that one is killed
//! mid-run and the stream resumes on the first with `Last-Event-ID`: no gap,
//! no repeat, the terminal event reached, and Temporal's record says the
//! Worker process ran every attempt. The outage scenario works with the
//! Workers apart, told only through Temporal.

mod common;
mod replica;

use common::{SseMessage, ids, read_url, start_on, unique};
use proto::{FailureScenario, RunEvent, RunRequest, RunStarted, ServerInfo};
use replica::{Replica, dev_server, proxy, socket};
use sa_demo_server::gateway::Gateway;
use sa_demo_server::tracker::{Outcome, Snapshot};

/// fail-first-2 on a queue of its own: only the Worker process, which
/// finds the queue in Temporal's record, can run it; attempts about 1 s
/// and 2 s apart.
fn retrying(name: &str) -> RunRequest {
    let mut req = common::request(name, FailureScenario::FailFirst { attempts: 2 }, 5);
    req.config.task_queue = unique("replicas");
    req.config.retry.initial_interval_ms = 1_000;
    req.config.retry.backoff_coefficient = 2.0;
    req
}

fn events_url(base: &str, started: &RunStarted) -> String {
    format!(
        "{base}/api/runs/{}/{}/events",
        started.activity_id, started.run_id
    )
}

/// Every event of a stream at `url` to its end.
async fn events(url: &str) -> Vec<RunEvent> {
    read_url(url, None, |_| false)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

/// The log completed on attempt 3 and carries no Worker line: the attempts
/// ran in the Worker process, which this replica knows only from Temporal.
fn assert_completed_on_3_by_a_worker_apart(log: &[RunEvent]) {
    assert!(
        matches!(
            log.last().map(|e| &e.kind),
            Some(proto::EventKind::Completed { attempt: 3, .. })
        ),
        "{:?}",
        ids(log)
    );
    assert!(
        log.iter().all(|e| e.source != proto::Source::Worker),
        "{:?}",
        ids(log)
    );
}

/// Temporal's own record of the run, once it closed.
async fn closed(address: &str, started: &RunStarted) -> Snapshot {
    let gateway = Gateway::connect_plain(address, "default", "sa-demo-tests")
        .await
        .expect("connect");
    let deadline = tokio::time::Instant::now() + common::RUN_DEADLINE;
    let mut token = Vec::new();
    loop {
        let answer = gateway
            .describe(&started.activity_id, &started.run_id, token)
            .await
            .expect("describe");
        let (snapshot, next) = answer.expect("a description");
        if snapshot.is_closed() {
            return snapshot;
        }
        assert!(tokio::time::Instant::now() < deadline, "still open");
        token = next;
    }
}

/// Reads an SSE stream in the background, message by message, until it
/// ends or breaks; the messages arrive on the channel as they come.
fn stream_in_background(
    url: String,
) -> (
    tokio::sync::mpsc::UnboundedReceiver<(SseMessage, RunEvent)>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let reader = tokio::spawn(async move {
        let Ok(mut resp) = reqwest::Client::new().get(url).send().await else {
            return;
        };
        let mut buf = String::new();
        while let Ok(Some(chunk)) = resp.chunk().await {
            buf.push_str(std::str::from_utf8(&chunk).expect("utf-8"));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                if let Some(msg) = common::parse_sse_block(&block) {
                    let ev: RunEvent = serde_json::from_str(&msg.data).expect("RunEvent");
                    let _ = tx.send((msg, ev));
                }
            }
        }
    });
    (rx, reader)
}

#[tokio::test]
async fn a_stream_resumes_on_another_replica_when_its_own_dies_mid_run() {
    let (_temporal, address) = dev_server().await;
    let (worker, mut a, mut b) = tokio::join!(
        Replica::start("worker", &address),
        Replica::start("web", &address),
        Replica::start("web", &address),
    );
    // A client per request: a new connection each time, spread by the proxy.
    let http = reqwest::Client::new();
    let info: ServerInfo = http
        .get(format!("{}/api/info", a.base))
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("ServerInfo");
    assert!(info.worker_apart, "a web replica says its Worker is apart");
    let (front, reached) = proxy(vec![socket(&a.base), socket(&b.base)]).await;

    // Started through replica A (the proxy's first connection) ...
    let started = start_on(&front, &retrying("replicas")).await;
    // ... streamed by replica B, which never saw the start.
    let (mut live, reader) = stream_in_background(events_url(&front, &started));
    let mut before = Vec::new();
    let deadline = tokio::time::Instant::now() + common::RUN_DEADLINE;
    while !before
        .iter()
        .any(|(_, e): &(SseMessage, RunEvent)| e.kind.name() == "attempt_failed")
    {
        let got = tokio::time::timeout_at(deadline, live.recv())
            .await
            .expect("attempt 1 failed within the deadline")
            .expect("the stream is open");
        before.push(got);
    }
    assert_eq!(reached.lock().expect("log")[..2], [0, 1]);
    // Replica B dies mid-run; its stream breaks before the final word.
    b.kill().await;
    reader.await.expect("the reader ends");
    while let Ok(got) = live.try_recv() {
        before.push(got);
    }
    assert!(
        before.iter().all(|(_, e)| !e.kind.is_terminal()),
        "the run ended before the kill: {:?}",
        ids(&before.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>())
    );
    let last_id = before
        .last()
        .and_then(|(m, _)| m.id.clone())
        .expect("an id");

    // The browser reconnects with Last-Event-ID; the proxy finds replica A.
    let after = read_url(&events_url(&front, &started), Some(&last_id), |_| false).await;
    assert_eq!(
        *reached.lock().expect("log").last().expect("a connection"),
        0
    );
    let mut seen: Vec<RunEvent> = before.into_iter().map(|(_, e)| e).collect();
    seen.extend(after.into_iter().map(|(_, e)| e));
    // No repeat, the final word last, in time order.
    let log = common::assert_well_formed(&seen);
    // No gap: exactly the lines a full stream of the finished run has.
    let full: Vec<RunEvent> = events(&events_url(&a.base, &started)).await;
    let mut got = ids(&log);
    let mut want = ids(&full);
    got.sort();
    want.sort();
    assert_eq!(got, want, "resumed stream against the full log");
    // Neither web replica ran an attempt, and Temporal's record names the
    // Worker process.
    assert_completed_on_3_by_a_worker_apart(&log);
    let record = closed(&address, &started).await;
    assert_eq!(record.attempt, 3);
    assert!(matches!(record.outcome, Some(Outcome::Result(_))));
    assert!(
        record
            .last_worker_identity
            .starts_with(&format!("sa-demo-{}-", worker.pid())),
        "ran by {}, not the Worker process {}",
        record.last_worker_identity,
        worker.pid()
    );
    a.kill().await;
}

#[tokio::test]
async fn the_outage_scenario_reaches_workers_apart_through_temporal() {
    let (_temporal, address) = dev_server().await;
    let (worker, web, other) = tokio::join!(
        Replica::start("worker", &address),
        Replica::start("web", &address),
        Replica::start("web", &address),
    );
    let http = reqwest::Client::new();
    // The Worker process answers its probes and nothing else.
    let ready = http
        .get(format!("{}/readyz", worker.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
    let page = http
        .get(format!("{}/api/info", worker.base))
        .send()
        .await
        .expect("info");
    assert_eq!(page.status(), 404);
    let err: proto::ApiError = page.json().await.expect("ApiError");
    assert!(err.message.contains("--role worker"), "{}", err.message);

    let mut req = common::request("apart-outage", FailureScenario::Outage { seconds: 3 }, 3);
    req.config.task_queue = unique("apart-outage");
    let started = start_on(&web.base, &req).await;
    let record = closed(&address, &started).await;
    assert!(matches!(record.outcome, Some(Outcome::Result(_))));
    let (scheduled, began) = (
        record.schedule_ms.expect("scheduled"),
        record.last_started_ms.expect("started"),
    );
    assert!(
        began - scheduled >= 3_000,
        "the Worker process polled {} ms after the schedule, inside the 3 s outage",
        began - scheduled
    );
    assert!(
        record
            .last_worker_identity
            .starts_with(&format!("sa-demo-{}-", worker.pid())),
        "{}",
        record.last_worker_identity
    );
    // A replica that never saw the start tells the outage from the run's
    // Header, at Temporal's schedule time; its end is the Worker's to see.
    let log: Vec<RunEvent> = events(&events_url(&other.base, &started)).await;
    let offline = log
        .iter()
        .find(|e| matches!(e.kind, proto::EventKind::WorkerOffline { seconds: 3, .. }))
        .unwrap_or_else(|| panic!("no worker_offline in {:?}", ids(&log)));
    assert_eq!(offline.at_ms, Some(scheduled));
    assert!(
        log.iter()
            .all(|e| !matches!(e.kind, proto::EventKind::WorkerOnline { .. })),
        "{:?}",
        ids(&log)
    );
    // The queue has a poller now, as Temporal reports: a second outage on
    // it is refused by name rather than logged and not kept.
    let again = http
        .post(format!("{}/api/runs", web.base))
        .json(&RunRequest {
            config: proto::ActivityConfig {
                activity_id: unique("apart-outage-2"),
                ..req.config.clone()
            },
            ..req.clone()
        })
        .send()
        .await
        .expect("POST");
    assert_eq!(again.status(), 422, "a queue Temporal reports polled");
    let err: proto::ApiError = again.json().await.expect("ApiError");
    assert_eq!(
        err.fields.first().map(|f| f.field),
        Some(proto::Field::TaskQueue)
    );
}

#[tokio::test]
async fn a_run_from_a_workflow_reaches_workers_apart_on_a_queue_of_its_own() {
    let (_temporal, address) = dev_server().await;
    let (_worker, web) = tokio::join!(
        Replica::start("worker", &address),
        Replica::start("web", &address),
    );
    // The activity's queue is new: the Worker process learns it from the
    // Workflow's memo in visibility, nowhere else.
    let mut req = retrying("apart-workflow");
    req.run_as = proto::RunAs::Workflow;
    let started = start_on(&web.base, &req).await;
    let url = format!(
        "{}/api/workflows/{}/{}/events",
        web.base, started.activity_id, started.run_id
    );
    let log = common::assert_well_formed(&events(&url).await);
    assert_completed_on_3_by_a_worker_apart(&log);
}
