//! The demo server: serves the UI, starts standalone activities on a real
//! Temporal Server, runs the Worker that executes them, and streams what
//! really happened to the browser over Server-Sent Events.
//!
//! The crate root only wires modules together; `ARCHITECTURE.md` at the
//! repository root maps them and the life of a run.

pub mod app;
pub mod commands;
pub mod config;
pub mod devserver;
pub mod discovery;
pub mod error;
pub mod follower;
pub mod gateway;
pub mod hosting;
pub mod listing;
pub mod payload;
pub mod routes;
pub mod runs;
pub mod service;
pub mod sse;
pub mod static_files;
pub mod tracker;
pub mod worker;

pub use app::{App, serve};
pub use service::AppState;

/// Milliseconds since the Unix epoch.
pub fn unix_ms(t: std::time::SystemTime) -> i64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
