//! Code generators: the SDK program for each language and the equivalent
//! `temporal activity execute` command, from the form's
//! [`ActivityConfig`](proto::ActivityConfig), and the CLI command for each
//! operator command on a run ([`operator_cli`]). Used by the app (the code
//! panel), by the server's `/api/code` and by the snippet tests that build
//! and run every program with the real SDKs.
//!
//! Generators emit typed spans ([`Snippet`]), so the app highlights code
//! without a general-purpose tokenizer. One module per target (`go`,
//! `python`, `dotnet`, `java`, `typescript`, `ruby`, `cli`, and `operator`
//! for pause, unpause, reset, update-options and delete); `generate` picks
//! one, `options` holds what every target reads off the form, `writer` builds
//! the spans, `literal` escapes strings for each language, `units` writes
//! durations and decimals, `setup` says how to install and run each one and
//! `notes` what the reader must know about waiting and about the demo's
//! failure scenario. `workflow` holds the "Run as: From a Workflow" variant
//! of the programs and commands, one module per target again. Depends on `proto` and `serde_json` only, so it builds
//! for `wasm32-unknown-unknown` and natively.

mod cli;
mod dotnet;
mod generate;
mod go;
mod java;
mod literal;
mod notes;
mod operator;
mod options;
mod python;
mod ruby;
mod setup;
mod typescript;
mod units;
mod workflow;
mod writer;

pub use cli::{scenario_header, shell_quote};
pub use generate::{
    Target, cli_command, cli_command_with, sdk_snippet, sdk_snippet_with,
    sdk_snippet_with_operator_calls,
};
pub use notes::run_deadline_ms;
pub use operator::{CLI_REASON, operator_cli, run_commands};
pub use proto::snippet::{Snippet, Span, TokenKind};
pub use setup::{Setup, cli_setup, sdk_setup, sdk_workflow_setup};
pub use workflow::{TS_FILE_MARKER, cli_workflow_command_with, sdk_workflow_snippet_with};
