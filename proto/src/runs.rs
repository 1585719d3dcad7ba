//! The Runs panel's contract: `GET /api/runs` (one page of the activity
//! executions Temporal itself lists, newest first, with a count per status)
//! and `GET /api/runs/{id}/{run}/options` (what Temporal recorded a run was
//! started with, for "Start like this one"), with the query's validation and
//! the mapping of a recorded run back onto the form's options.

use serde::{Deserialize, Serialize};

use crate::api::RunStatus;
use crate::config::{ActivityConfig, RetryPolicy, TimeoutKind};
use crate::language::Language;
use crate::scenario::FailureScenario;
use crate::validate::Limits;

/// Runs per page when the query does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most runs one page may hold.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Most run ids one "mine" query may name.
pub const MAX_IDS: usize = 50;
/// Longest page token accepted, in characters.
pub const MAX_PAGE_TOKEN_CHARS: usize = 4096;

impl RunStatus {
    /// The statuses Temporal lists, in the order the filters show them.
    pub const LISTED: [RunStatus; 7] = [
        RunStatus::Running,
        RunStatus::Paused,
        RunStatus::Completed,
        RunStatus::Failed,
        RunStatus::TimedOut,
        RunStatus::Canceled,
        RunStatus::Terminated,
    ];

    /// Stable identifier (query strings, CSS classes, test hooks): the
    /// serde name.
    pub const fn slug(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Completed => "completed",
            RunStatus::Failed => "failed",
            RunStatus::TimedOut => "timed_out",
            RunStatus::Canceled => "canceled",
            RunStatus::Terminated => "terminated",
            RunStatus::Paused => "paused",
            RunStatus::Unknown => "unknown",
        }
    }

    /// Parses [`RunStatus::slug`] of a listed status.
    pub fn from_slug(slug: &str) -> Option<RunStatus> {
        RunStatus::LISTED.into_iter().find(|s| s.slug() == slug)
    }
}

/// What `GET /api/runs` lists, validated. Every value that reaches
/// Temporal's query language went through [`RunsQuery::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunsQuery {
    /// Only runs in this status (`status=`); the counts ignore it.
    pub status: Option<RunStatus>,
    /// Only these runs (`ids=`, comma-separated run ids): "mine". Empty:
    /// every run on the demo's task queues.
    pub run_ids: Vec<String>,
    /// One more task queue to list besides the demo's own (`queue=`), e.g.
    /// the form's, where a pasted CLI command starts its run.
    pub task_queue: Option<String>,
    /// Where the previous page ended (`page_token=`, opaque).
    pub page_token: Option<String>,
    /// Runs per page (`page_size=`).
    pub page_size: u32,
}

/// The raw query string values of `GET /api/runs`, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunsParams {
    /// A [`RunStatus::slug`].
    pub status: Option<String>,
    /// Comma-separated run ids.
    pub ids: Option<String>,
    /// A task queue name.
    pub queue: Option<String>,
    /// The previous page's `next_page_token`.
    pub page_token: Option<String>,
    /// Runs per page.
    pub page_size: Option<String>,
}

fn check_name(what: &str, value: &str) -> Result<(), String> {
    let chars = value.chars().count();
    if value.trim().is_empty() {
        Err(format!("{what}: must not be empty"))
    } else if chars > Limits::MAX_NAME_CHARS {
        Err(format!(
            "{what}: must be at most {} characters (got {chars})",
            Limits::MAX_NAME_CHARS
        ))
    } else if value.chars().any(char::is_control) {
        Err(format!("{what}: must not contain control characters"))
    } else {
        Ok(())
    }
}

impl RunsQuery {
    /// Validates `p`; the error names the parameter and its limit.
    pub fn parse(p: &RunsParams) -> Result<RunsQuery, String> {
        let status = match p.status.as_deref().filter(|s| !s.is_empty()) {
            None | Some("all") => None,
            Some(s) => Some(RunStatus::from_slug(s).ok_or_else(|| {
                let all: Vec<&str> = RunStatus::LISTED.iter().map(|s| s.slug()).collect();
                format!("status: must be one of all, {}", all.join(", "))
            })?),
        };
        let run_ids: Vec<String> = p
            .ids
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if run_ids.len() > MAX_IDS {
            return Err(format!(
                "ids: at most {MAX_IDS} run ids (got {})",
                run_ids.len()
            ));
        }
        for id in &run_ids {
            check_name("ids", id)?;
        }
        let task_queue = p.queue.clone().filter(|q| !q.is_empty());
        if let Some(q) = &task_queue {
            check_name("queue", q)?;
        }
        let page_token = p.page_token.clone().filter(|t| !t.is_empty());
        if let Some(t) = &page_token {
            if t.len() > MAX_PAGE_TOKEN_CHARS {
                return Err(format!(
                    "page_token: must be at most {MAX_PAGE_TOKEN_CHARS} characters"
                ));
            }
            if t.len() % 2 != 0 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("page_token: must be a next_page_token of an earlier answer".into());
            }
        }
        let page_size = match p.page_size.as_deref().filter(|s| !s.is_empty()) {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| format!("page_size: must be between 1 and {MAX_PAGE_SIZE}"))?,
        };
        Ok(RunsQuery {
            status,
            run_ids,
            task_queue,
            page_token,
            page_size,
        })
    }

    /// The query string that [`RunsQuery::parse`] reads back, its values
    /// encoded by `encode` (the browser's `encodeURIComponent`).
    pub fn to_query_string(&self, encode: impl Fn(&str) -> String) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.slug()));
        }
        if !self.run_ids.is_empty() {
            parts.push(format!("ids={}", encode(&self.run_ids.join(","))));
        }
        if let Some(q) = &self.task_queue {
            parts.push(format!("queue={}", encode(q)));
        }
        if let Some(t) = &self.page_token {
            parts.push(format!("page_token={}", encode(t)));
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            parts.push(format!("page_size={}", self.page_size));
        }
        parts.join("&")
    }
}

/// One run as Temporal's visibility lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// The activity type.
    pub activity_type: String,
    /// The task queue.
    pub task_queue: String,
    /// Where it stands.
    pub status: RunStatus,
    /// When Temporal scheduled it (unix ms).
    pub scheduled_ms: Option<i64>,
    /// When it closed (unix ms), once it has.
    pub closed_ms: Option<i64>,
    /// Its page in the Temporal Web UI, when the demo knows the UI.
    pub web_ui_url: Option<String>,
}

/// How many runs are in one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status.
    pub status: RunStatus,
    /// How many runs.
    pub count: u64,
}

/// `GET /api/runs`: one page of runs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsPage {
    /// The runs of this page.
    pub runs: Vec<RunSummary>,
    /// Runs per status, in the same scope but whatever the status filter
    /// (`CountActivityExecutions ... GROUP BY ExecutionStatus`).
    pub counts: Vec<StatusCount>,
    /// Every run in the scope.
    pub total: u64,
    /// Pass as `page_token` for the next page; absent on the last.
    pub next_page_token: Option<String>,
    /// The task queues listed (empty when the query named its runs).
    pub task_queues: Vec<String>,
}

impl RunsPage {
    /// The count of `status` (0 when Temporal reported none).
    pub fn count(&self, status: RunStatus) -> u64 {
        self.counts
            .iter()
            .find(|c| c.status == status)
            .map_or(0, |c| c.count)
    }
}

/// `GET /api/runs/{id}/{run}/options`: what Temporal recorded a run was
/// started with. Whatever Temporal does not report is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunOptions {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// The activity type.
    pub activity_type: String,
    /// The SDK whose sample registers that type, if the demo knows one.
    pub language: Option<Language>,
    /// The task queue.
    pub task_queue: String,
    /// Schedule-to-close (absent: unlimited).
    pub schedule_to_close_ms: Option<u64>,
    /// Start-to-close (absent: unlimited).
    pub start_to_close_ms: Option<u64>,
    /// Schedule-to-start (absent: unlimited).
    pub schedule_to_start_ms: Option<u64>,
    /// Heartbeat timeout (absent: none).
    pub heartbeat_ms: Option<u64>,
    /// Start delay (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_delay_ms: Option<u64>,
    /// The retry policy Temporal applies.
    pub retry: Option<RetryPolicy>,
    /// The name the activity was given, when its first argument is a
    /// string (or an object with a string `name`), and the caller may see
    /// it (a publicly hosted demo shows it only to the run's starter).
    pub input: Option<String>,
    /// The demo's failure scenario, when the demo's header carries one.
    pub scenario: Option<FailureScenario>,
}

/// The language whose sample registers `activity_type`, preferring `current`.
pub fn language_of(activity_type: &str, current: Language) -> Option<Language> {
    if current.activity_type() == activity_type {
        return Some(current);
    }
    Language::ALL
        .into_iter()
        .find(|l| l.activity_type() == activity_type)
}

impl RunOptions {
    /// The form's options for a run like this one, over `base` (what the form
    /// holds now: id policies, which Temporal does not report, stay), and
    /// what the form could not carry over, for a person.
    pub fn to_config(&self, base: &ActivityConfig) -> (ActivityConfig, Vec<String>) {
        let mut c = base.clone();
        let mut notes = Vec::new();
        c.activity_id = self.activity_id.clone();
        c.task_queue = self.task_queue.clone();
        match &self.input {
            Some(i) => c.input = i.clone(),
            None => notes.push("Input: not known here; the form keeps its own".to_owned()),
        }
        // Temporal sets start-to-close to schedule-to-close when only the
        // latter was given, so equal values mean schedule-to-close alone.
        match (self.schedule_to_close_ms, self.start_to_close_ms) {
            (Some(s), Some(t)) if s != t => {
                c.timeout_kind = TimeoutKind::StartToClose;
                c.timeout_ms = t;
                notes.push(format!(
                    "Timeout: the run also had a schedule-to-close of {} s, which the form \
                     cannot set with a start-to-close",
                    crate::decimal::seconds(s)
                ));
            }
            (Some(s), _) => {
                c.timeout_kind = TimeoutKind::ScheduleToClose;
                c.timeout_ms = s;
            }
            (None, Some(t)) => {
                c.timeout_kind = TimeoutKind::StartToClose;
                c.timeout_ms = t;
            }
            (None, None) => notes.push("Timeout: Temporal reported none".to_owned()),
        }
        c.schedule_to_start_timeout_ms = self.schedule_to_start_ms;
        c.heartbeat_timeout_ms = self.heartbeat_ms;
        c.start_delay_ms = self.start_delay_ms;
        if let Some(r) = &self.retry {
            if r.maximum_attempts == 0 {
                notes.push(
                    "Max retries: the run allowed unlimited attempts; the demo bounds its runs"
                        .to_owned(),
                );
            }
            c.retry = r.clone();
        }
        if self.language.is_none() {
            // Debug quoting escapes what would not show (controls, bidi
            // overrides), so the note says exactly which name it was.
            notes.push(format!(
                "Activity type {:?} is not one the demo's Worker serves; the SDK tab stays",
                self.activity_type
            ));
        }
        (c, notes)
    }
}

#[cfg(test)]
mod tests;
