//! The embedded default: `temporal server start-dev` on free ports, answering
//! gRPC, and gone (port closed, process reaped) after a clean stop.

mod common;

use std::path::PathBuf;

use sa_demo_server::devserver::{DevServer, DevServerOptions};

/// An in-memory, headless dev server from the CLI `cargo xtask test` installed.
fn headless() -> DevServerOptions {
    common::dev_server_options()
}

#[tokio::test]
async fn starts_on_free_ports_and_stops_cleanly() {
    let dev = DevServer::start(&headless())
        .await
        .expect("dev server starts");
    let address = dev.address();
    assert_ne!(address.port(), 7233, "a free port, not the default");
    assert!(dev.ui_url().is_none(), "headless");
    // It really is Temporal: a client connects once the frontend is healthy.
    let gateway = sa_demo_server::app::connect_when_healthy(&address.to_string(), "devserver-test")
        .await
        .expect("the frontend becomes healthy");
    gateway.check().await.expect("GetSystemInfo answers");
    let pid = dev.pid().expect("guard pid");

    dev.stop().await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "the frontend port is closed after stop"
    );
    assert!(
        !PathBuf::from(format!("/proc/{pid}")).exists(),
        "the guard process is gone"
    );
}

#[tokio::test]
async fn a_dropped_dev_server_does_not_outlive_its_owner() {
    let dev = DevServer::start(&headless())
        .await
        .expect("dev server starts");
    let address = dev.address();
    // Dropped without stop(), as when the app fails half-way through startup.
    drop(dev);
    let closed = async {
        while tokio::net::TcpStream::connect(address).await.is_ok() {
            // The dev server is not our child once its guard is dropped, so no
            // event marks its exit; the port is re-checked under the deadline.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await; // sleep-ok: another process's port, under the 20 s deadline
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), closed)
        .await
        .expect("the dev server stopped within 20 s of being dropped");
}

#[tokio::test]
async fn a_missing_cli_is_reported_at_once() {
    let opts = DevServerOptions {
        cli: PathBuf::from("/nonexistent/temporal"),
        ..headless()
    };
    // Well under one startup deadline (60 s): the path is checked first.
    let started = tokio::time::timeout(std::time::Duration::from_secs(5), DevServer::start(&opts))
        .await
        .expect("an answer within 5 s");
    let Err(err) = started else {
        panic!("no dev server without a CLI");
    };
    assert!(
        err.to_string().contains("/nonexistent/temporal"),
        "the error names the path: {err}"
    );
}
