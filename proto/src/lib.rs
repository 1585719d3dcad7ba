//! The contract between the demo's browser app and its server.
//!
//! Everything that crosses the wire (requests, events, errors, highlighted
//! code) and every pure function both sides need (validation, the retry
//! forecast, the scenarios, the resume cursor) lives here. The code
//! generators are in `sa-demo-codegen`, the page's own models (flow,
//! timeline, log texts, share links) in `sa-demo-model`. The crate depends on
//! serde, strum and thiserror only, so it builds for `wasm32-unknown-unknown`
//! and natively, and all of its logic is tested natively.

pub mod api;
pub mod config;
pub mod cursor;
pub mod decimal;
pub mod event;
pub mod fact;
pub mod failure;
pub mod field;
pub mod forecast;
pub mod language;
pub mod operator;
pub mod runs;
pub mod scenario;
pub mod snippet;
pub mod validate;

pub use api::{
    ApiError, CodeRequest, CodeResponse, CommandsFor, RunAs, RunCommand, RunRequest, RunStarted,
    RunStatus, ServerInfo, WorkflowInput,
};
pub use config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, RetryPolicy, TimeoutKind};
pub use cursor::Cursor;
pub use event::{AttemptPhase, EventKind, FailureInfo, RetryState, RunEvent, Source, TimeoutType};
pub use fact::Fact;
pub use field::{Field, FieldError};
pub use language::Language;
pub use operator::{Capabilities, Command, CommandDone, OptionsUpdate, ResetBody, RunOptionsNow};
pub use runs::{RunOptions, RunSummary, RunsPage, RunsQuery, StatusCount};
pub use scenario::{FailureScenario, SCENARIO_HEADER};
pub use snippet::{Snippet, Span, TokenKind};
pub use validate::Limits;
