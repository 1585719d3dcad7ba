//! The page on a web replica (`--role web`, its Worker in a process of its
//! own) in a real headless Chromium: a run completes with every line from
//! Temporal's record and no Worker line, and the page says under the log
//! why the Worker's own lines are missing; the page of a single process
//! (`--role all`) says nothing of the kind.

mod common;
mod replica;
mod ui;

use replica::Replica;
use ui::{browser, count, driver, execute, testid, wait_css};

#[tokio::test]
async fn a_web_replica_page_runs_and_says_its_worker_is_apart() {
    let (_temporal, address) = replica::dev_server().await;
    let (_worker, web) = tokio::join!(
        Replica::start("worker", &address),
        Replica::start("web", &address),
    );
    let driver = driver().await;
    let c = browser(&driver).await;
    c.goto(&format!("{}/?lang=go", web.base))
        .await
        .expect("open the web replica's page");
    testid(&c, "sdk-code").await;
    let note = testid(&c, "worker-apart").await;
    assert!(
        note.text()
            .await
            .expect("text")
            .contains("known only to the Worker's process")
    );
    execute(&c).await;
    wait_css(&c, "[data-testid=log-line][data-type=completed]").await;
    assert_eq!(
        count(&c, "[data-testid=log-line][data-type=scheduled]").await,
        1
    );
    for worker_line in ["worker_executing", "worker_returned"] {
        let css = format!("[data-testid=log-line][data-type={worker_line}]");
        assert_eq!(count(&c, &css).await, 0, "{worker_line} on a web replica");
    }

    // One process runs its own Worker: no such note.
    c.goto(&format!("{}/?lang=go", common::app().base))
        .await
        .expect("open the single process's page");
    // The header's connection line shows once the page has the server's info.
    wait_css(&c, ".conn .dot-ok").await;
    assert_eq!(count(&c, "[data-testid=worker-apart]").await, 0);
}
