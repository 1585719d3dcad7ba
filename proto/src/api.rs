//! HTTP request and response bodies of the demo server's JSON API.

use serde::{Deserialize, Serialize};

use crate::config::ActivityConfig;
use crate::field::FieldError;
use crate::language::Language;
use crate::scenario::FailureScenario;
use crate::snippet::Snippet;

/// Who starts the activity: the client, as a Standalone Activity, or a tiny
/// Workflow that executes the same activity with the same options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunAs {
    /// `StartActivityExecution` from the client: no Workflow.
    #[default]
    Standalone,
    /// A Workflow, started by the client, schedules the activity.
    Workflow,
}

impl RunAs {
    /// Both, in the order of the switch.
    pub const ALL: [RunAs; 2] = [RunAs::Standalone, RunAs::Workflow];

    /// Whether this is the default (left out of the wire form).
    pub fn is_standalone(&self) -> bool {
        *self == RunAs::Standalone
    }

    /// Stable identifier (form values, the share link).
    pub const fn slug(self) -> &'static str {
        match self {
            RunAs::Standalone => "standalone",
            RunAs::Workflow => "workflow",
        }
    }

    /// Parses [`RunAs::slug`].
    pub fn from_slug(s: &str) -> Option<RunAs> {
        RunAs::ALL.into_iter().find(|r| r.slug() == s)
    }

    /// Label on the switch.
    pub const fn label(self) -> &'static str {
        match self {
            RunAs::Standalone => "Standalone",
            RunAs::Workflow => "From a Workflow",
        }
    }
}

/// `POST /api/runs`: start one standalone activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    /// The activity's options.
    pub config: ActivityConfig,
    /// How the Worker should misbehave.
    #[serde(default)]
    pub scenario: FailureScenario,
    /// The selected SDK tab; decides the activity type name.
    #[serde(default)]
    pub language: Language,
    /// Standalone (the default) or from a Workflow.
    #[serde(default, skip_serializing_if = "RunAs::is_standalone")]
    pub run_as: RunAs,
}

/// `201 Created` answer to [`RunRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStarted {
    /// The activity id.
    pub activity_id: String,
    /// The run id Temporal assigned (or the running one, with UseExisting).
    pub run_id: String,
    /// The activity type that was started.
    pub activity_type: String,
    /// False when the id conflict policy attached to a run already going.
    pub started: bool,
    /// Link to the run in the Temporal Web UI, when one is known.
    pub web_ui_url: Option<String>,
    /// Proof of having started the run: a publicly hosted demo asks for it
    /// (`X-Control-Token`) to cancel or terminate the run, and (`?token=`)
    /// to stream its result. Absent from older servers' answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_token: Option<String>,
    /// Who started the activity. For a Workflow run, `activity_id` is the
    /// Workflow id (the form's activity id, which the Workflow also gives
    /// its activity) and `run_id` the Workflow's run id.
    #[serde(default, skip_serializing_if = "RunAs::is_standalone")]
    pub run_as: RunAs,
    /// The Workflow type that was started, for a Workflow run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_type: Option<String>,
}

/// The task queue the demo's Workflow runs on; the activity it schedules
/// runs on the form's queue. Its own queue, because Temporal hands a
/// queue's Workflow Tasks to any Worker polling it: a Workflow Worker run
/// from the code panel on the form's queue must never get the demo's
/// Workflow Tasks, nor the demo's Worker that program's.
pub const WORKFLOW_TASK_QUEUE: &str = "sa-demo-workflows";

/// The input of the demo's Workflow ([`Language::workflow_type`]): the
/// activity type it executes and the form's options, which it passes to
/// the activity as a Workflow's `ActivityOptions` (its id, timeouts, retry
/// policy; the input is the activity's argument). The failure scenario and
/// the start token travel in the Workflow's Header, which the Workflow
/// copies to the activity's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowInput {
    /// The activity type to execute.
    pub activity_type: String,
    /// The form's options.
    pub config: ActivityConfig,
}

/// Where a run stands, as Temporal reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Still going.
    Running,
    /// Returned a result.
    Completed,
    /// Failed for good.
    Failed,
    /// A timeout ended it.
    TimedOut,
    /// Canceled.
    Canceled,
    /// Terminated.
    Terminated,
    /// Paused by an operator command; open.
    Paused,
    /// The demo server stopped following it.
    Unknown,
}

impl RunStatus {
    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            RunStatus::Running => "Running",
            RunStatus::Completed => "Completed",
            RunStatus::Failed => "Failed",
            RunStatus::TimedOut => "Timed out",
            RunStatus::Canceled => "Canceled",
            RunStatus::Terminated => "Terminated",
            RunStatus::Paused => "Paused",
            RunStatus::Unknown => "Unknown",
        }
    }
}

/// `POST /api/code`: the code the page shows for a form state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRequest {
    /// The activity's options.
    pub config: ActivityConfig,
    /// Which SDK.
    #[serde(default)]
    pub language: Language,
    /// The failure scenario to carry in the CLI command's `--headers` (and
    /// name in the SDK program's comment); none by default.
    #[serde(default)]
    pub scenario: FailureScenario,
    /// The SDK program also pauses the run, then unpauses it, before it
    /// waits for the result, where the SDK has those methods; off by default.
    #[serde(default)]
    pub operator_calls: bool,
    /// Also the `temporal activity` operator commands for this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commands_for: Option<CommandsFor>,
    /// The code for a Standalone Activity (the default) or a Workflow's.
    #[serde(default, skip_serializing_if = "RunAs::is_standalone")]
    pub run_as: RunAs,
}

/// The run the CLI panel's operator commands are for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandsFor {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// The options `update-options` changes (none: no such command).
    #[serde(default)]
    pub update: crate::operator::OptionsUpdate,
}

/// One operator command for a run, as the CLI panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCommand {
    /// The subcommand (`pause`, `unpause`, `reset`, `update-options`, `delete`).
    pub action: String,
    /// The command line.
    pub snippet: Snippet,
}

/// Answer to [`CodeRequest`]: the SDK program and the CLI command, pointed at
/// the server's own Temporal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeResponse {
    /// The SDK program.
    pub sdk: Snippet,
    /// The `temporal activity execute` command.
    pub cli: Snippet,
    /// The operator commands for [`CodeRequest::commands_for`], in the
    /// order the panel shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<RunCommand>,
}

/// `GET /api/info`: what the server is connected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// Temporal frontend address.
    pub address: String,
    /// Namespace used for every run.
    pub namespace: String,
    /// Base URL of the Temporal Web UI, when known.
    pub web_ui_url: Option<String>,
    /// What the namespace allows beyond start, cancel and terminate.
    #[serde(default)]
    pub capabilities: crate::operator::Capabilities,
    /// True on a web replica whose Worker runs in another process
    /// (`--role web`): the Worker's own lines (`worker_executing`,
    /// `worker_returned`, `worker_online`) are known only to that process.
    #[serde(default)]
    pub worker_apart: bool,
}

/// The body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong, for a person.
    pub message: String,
    /// Machine-readable code (`validation`, `already_started`, `not_found`, ...).
    pub code: String,
    /// Per-field validation errors, when the input was invalid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The run already holding the id, for `already_started`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_run_id: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        for e in &self.fields {
            write!(f, "; {}: {}", e.field.label(), e.message)?;
        }
        Ok(())
    }
}
