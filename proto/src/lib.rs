//! The contract between the demo's browser app and its server.
//!
//! Everything that crosses the wire (requests, events, errors) and every pure
//! function both sides need (validation, the retry forecast, the flow diagram's
//! state, the SDK code and CLI generators, the form as a link) lives here. The crate depends on
//! serde only, so it builds for `wasm32-unknown-unknown` and natively, and all
//! of its logic is tested natively.

pub mod api;
pub mod code;
pub mod config;
pub mod cursor;
pub mod decimal;
pub mod event;
pub mod event_text;
pub mod failure;
pub mod flow;
pub mod forecast;
pub mod json;
pub mod language;
pub mod runs;
pub mod scenario;
pub mod share;
pub mod timeline;
pub mod validate;

pub use api::{ApiError, CodeRequest, CodeResponse, RunRequest, RunStarted, RunStatus, ServerInfo};
pub use config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, RetryPolicy, TimeoutKind};
pub use cursor::{Cursor, Fact};
pub use event::{AttemptPhase, EventKind, FailureInfo, RetryState, RunEvent, Source, TimeoutType};
pub use flow::{FlowState, FlowStep, NodeState};
pub use language::Language;
pub use runs::{RunOptions, RunSummary, RunsPage, RunsQuery, StatusCount};
pub use scenario::{FailureScenario, SCENARIO_HEADER};
pub use validate::{Field, FieldError, Limits};
