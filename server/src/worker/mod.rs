//! The demo's Worker, by job: [`activity`] is the greeting activity under
//! every type name a snippet uses, misbehaving as the run's scenario says;
//! [`tap`] reports what only the Worker sees; [`pool`] keeps one Worker per
//! task queue a run uses; [`workflow`] is the tiny Workflow that executes
//! the same activity from a Workflow.

pub mod activity;
pub mod pool;
pub mod tap;
pub mod workflow;

pub use pool::{MAX_QUEUES, WorkerError, Workers};
