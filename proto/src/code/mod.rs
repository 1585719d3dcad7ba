//! Code generators: the SDK snippet for each language and the equivalent
//! `temporal activity execute` command, from the form's [`ActivityConfig`].
//!
//! Generators emit typed [`Span`]s (they know what is a keyword, a string, a
//! number), so the app highlights code without a general-purpose tokenizer;
//! [`Snippet::text`] is the plain code that gets copied and run.
//!
//! One module per target (`go`, `python`, `dotnet`, `java`, `typescript`,
//! `ruby`, `cli`); `writer` builds the spans, `literal` escapes strings for
//! each language, `units` writes durations and decimals, `setup` says how to
//! install and run each one and `notes` what the reader must know about
//! waiting and about the demo's failure scenario.

use serde::{Deserialize, Serialize};

use crate::config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, TimeoutKind};
use crate::language::Language;
use crate::scenario::FailureScenario;

mod cli;
mod dotnet;
mod go;
mod java;
pub(crate) mod literal;
mod notes;
mod python;
mod ruby;
mod setup;
mod typescript;
mod units;
mod writer;

pub use cli::{scenario_header, shell_quote};
pub use notes::run_deadline_ms;
pub use setup::{Setup, cli_setup, sdk_setup};

/// What a piece of code is, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Punctuation, whitespace, identifiers.
    Plain,
    /// A language keyword.
    Keyword,
    /// A string literal, quotes included.
    String,
    /// A numeric literal.
    Number,
    /// A comment.
    Comment,
    /// A type or class name.
    Type,
    /// A function or method name.
    Function,
}

impl TokenKind {
    /// CSS class suffix.
    pub const fn slug(self) -> &'static str {
        match self {
            TokenKind::Plain => "plain",
            TokenKind::Keyword => "kw",
            TokenKind::String => "str",
            TokenKind::Number => "num",
            TokenKind::Comment => "com",
            TokenKind::Type => "ty",
            TokenKind::Function => "fn",
        }
    }
}

/// A run of code of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// What it is.
    pub kind: TokenKind,
    /// The code.
    pub text: String,
}

/// Generated code, as highlighted spans, plus notes for the reader (things
/// the target cannot express, for example).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Snippet {
    /// The code, in order.
    pub spans: Vec<Span>,
    /// Plain-language caveats shown under the code.
    pub notes: Vec<String>,
}

impl Snippet {
    /// The plain code.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Where the generated code connects: the demo's own Temporal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// Temporal frontend `host:port`.
    pub address: String,
    /// Namespace.
    pub namespace: String,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            address: "localhost:7233".to_owned(),
            namespace: "default".to_owned(),
        }
    }
}

/// The SDK snippet for `lang`: a complete program that connects to `target`,
/// executes the activity as configured and prints the result.
pub fn sdk_snippet(lang: Language, config: &ActivityConfig, target: &Target) -> Snippet {
    sdk_snippet_with(lang, config, FailureScenario::None, target)
}

/// [`sdk_snippet`], saying in a comment how the demo would pass `scenario`
/// to its Worker (an SDK program sends no such header), unless it is
/// [`FailureScenario::None`].
pub fn sdk_snippet_with(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    let program = match lang {
        Language::Go => go::snippet(config, target),
        Language::Python => python::snippet(config, target),
        Language::Dotnet => dotnet::snippet(config, target),
        Language::Java => java::snippet(config, target),
        Language::Typescript => typescript::snippet(config, target),
        Language::Ruby => ruby::snippet(config, target),
    };
    let mut w = writer::Writer::new();
    notes::scenario_comment(&mut w, lang, scenario);
    w.append(program);
    notes::waiting(&mut w, config, Some(lang));
    w.finish()
}

/// The `temporal activity execute` command equivalent to the snippet for
/// `lang` (same activity type name and argument shape).
pub fn cli_command(lang: Language, config: &ActivityConfig, target: &Target) -> Snippet {
    cli_command_with(lang, config, FailureScenario::None, target)
}

/// [`cli_command`], carrying `scenario` in `--headers` exactly as the demo
/// passes it to its Worker (unless it is [`FailureScenario::None`]), so the
/// command reproduces the same failures against this demo's Worker.
pub fn cli_command_with(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    cli::command(lang, config, scenario, target)
}

/// A timeout option, named per target by each generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timeout {
    /// One attempt.
    StartToClose,
    /// The whole execution.
    ScheduleToClose,
    /// Waiting on the task queue.
    ScheduleToStart,
    /// Between heartbeats.
    Heartbeat,
}

/// The timeouts every target sets, in order: the form's main timeout (the
/// server requires one of start-to-close and schedule-to-close), then
/// schedule-to-start and heartbeat when the form sets them.
fn timeouts(config: &ActivityConfig) -> Vec<(Timeout, u64)> {
    let main = match config.timeout_kind {
        TimeoutKind::StartToClose => Timeout::StartToClose,
        TimeoutKind::ScheduleToClose => Timeout::ScheduleToClose,
    };
    let mut out = vec![(main, config.timeout_ms)];
    if let Some(ms) = config.schedule_to_start_timeout_ms {
        out.push((Timeout::ScheduleToStart, ms));
    }
    if let Some(ms) = config.heartbeat_timeout_ms {
        out.push((Timeout::Heartbeat, ms));
    }
    out
}

/// The id reuse policy, when it is not the server default (only then is it
/// worth a line and an import).
fn reuse_policy(config: &ActivityConfig) -> Option<IdReusePolicy> {
    (config.id_reuse_policy != IdReusePolicy::default()).then_some(config.id_reuse_policy)
}

/// The id conflict policy, when it is not the server default.
fn conflict_policy(config: &ActivityConfig) -> Option<IdConflictPolicy> {
    (config.id_conflict_policy != IdConflictPolicy::default()).then_some(config.id_conflict_policy)
}
