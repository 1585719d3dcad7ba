//! The form: a signal for the raw text of every input, the run request parsed
//! from them ([`Draft`], with parse and validation errors per field), the
//! selected language, and the help the form gives when a scenario needs
//! another setting. It starts from, and is kept in, the page URL
//! ([`crate::share`]).

use leptos::prelude::*;
use proto::{
    ActivityConfig, Field, IdConflictPolicy, IdReusePolicy, Language, RunRequest, TimeoutKind,
};

use crate::browser;
use crate::draft::{Draft, Inputs, ScenarioKind};
use crate::share;

/// The heartbeat timeout the form fills in for the Worker-crash scenario.
const CRASH_HEARTBEAT_SECS: &str = "2";

/// Every input of the Configure Activity and Failure Simulation panels, and
/// the SDK tab. `Copy`: every field is a signal.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    /// Activity ID text.
    pub activity_id: RwSignal<String>,
    /// Task Queue text.
    pub task_queue: RwSignal<String>,
    /// Input (the name) text.
    pub input: RwSignal<String>,
    /// Timeout text, in seconds.
    pub timeout_secs: RwSignal<String>,
    /// Which timeout the form sets.
    pub timeout_kind: RwSignal<TimeoutKind>,
    /// Schedule-to-Start timeout text, in seconds; empty for none.
    pub schedule_to_start_secs: RwSignal<String>,
    /// Heartbeat timeout text, in seconds; empty for none.
    pub heartbeat_secs: RwSignal<String>,
    /// Retry initial interval text, in seconds.
    pub initial_interval_secs: RwSignal<String>,
    /// Retry backoff coefficient text.
    pub backoff_coefficient: RwSignal<String>,
    /// Retry maximum interval text, in seconds.
    pub maximum_interval_secs: RwSignal<String>,
    /// Non-retryable error types, comma-separated.
    pub non_retryable: RwSignal<String>,
    /// Id reuse policy.
    pub id_reuse: RwSignal<IdReusePolicy>,
    /// Id conflict policy.
    pub id_conflict: RwSignal<IdConflictPolicy>,
    /// Whether the Advanced options disclosure is open (the form opens it
    /// when it fills in an advanced field for the user).
    pub advanced_open: RwSignal<bool>,
    /// The "Simulate failures" checkbox.
    pub simulate: RwSignal<bool>,
    /// The misbehaviour to simulate.
    pub scenario_kind: RwSignal<ScenarioKind>,
    /// "First N attempts" text.
    pub fail_attempts: RwSignal<String>,
    /// Seconds of long-running work or of Worker outage.
    pub scenario_seconds: RwSignal<String>,
    /// "Max retries" text.
    pub max_retries: RwSignal<String>,
    /// What the form last changed by itself for a scenario, and why.
    pub scenario_note: RwSignal<Option<(ScenarioKind, String)>>,
    /// The selected SDK tab.
    pub language: RwSignal<Language>,
    /// "Include the failure scenario": the CLI command carries it in
    /// `--headers`, and the SDK programs say how the demo passes it.
    pub include_scenario: RwSignal<bool>,
    /// What the link this page was opened with had that the page ignored.
    pub share_note: RwSignal<Option<String>>,
    /// Field errors the server returned, with the request they were about:
    /// shown only while the form still describes that request.
    pub server_errors: RwSignal<Option<(RunRequest, Vec<proto::FieldError>)>>,
    /// The parsed form.
    pub draft: Memo<Draft>,
}

impl FormState {
    /// The form as the page URL's link says, else with its defaults, a
    /// fresh activity id and the saved language; keeps the URL in step.
    pub fn new() -> FormState {
        let start = share::start();
        let i = start.inputs;
        let text = |s: String| RwSignal::new(s);
        let activity_id = text(i.activity_id);
        let task_queue = text(i.task_queue);
        let input = text(i.input);
        let timeout_secs = text(i.timeout_secs);
        let timeout_kind = RwSignal::new(i.timeout_kind);
        let schedule_to_start_secs = text(i.schedule_to_start_secs);
        let heartbeat_secs = text(i.heartbeat_secs);
        let initial_interval_secs = text(i.initial_interval_secs);
        let backoff_coefficient = text(i.backoff_coefficient);
        let maximum_interval_secs = text(i.maximum_interval_secs);
        let non_retryable = text(i.non_retryable);
        let id_reuse = RwSignal::new(i.id_reuse);
        let id_conflict = RwSignal::new(i.id_conflict);
        let simulate = RwSignal::new(i.simulate);
        let scenario_kind = RwSignal::new(i.scenario_kind);
        let fail_attempts = text(i.fail_attempts);
        let scenario_seconds = text(i.scenario_seconds);
        let max_retries = text(i.max_retries);
        let language = RwSignal::new(i.language);
        let draft = Memo::new(move |_| {
            Draft::parse(&Inputs {
                activity_id: activity_id.get(),
                task_queue: task_queue.get(),
                input: input.get(),
                timeout_secs: timeout_secs.get(),
                timeout_kind: timeout_kind.get(),
                schedule_to_start_secs: schedule_to_start_secs.get(),
                heartbeat_secs: heartbeat_secs.get(),
                initial_interval_secs: initial_interval_secs.get(),
                backoff_coefficient: backoff_coefficient.get(),
                maximum_interval_secs: maximum_interval_secs.get(),
                max_retries: max_retries.get(),
                non_retryable: non_retryable.get(),
                id_reuse: id_reuse.get(),
                id_conflict: id_conflict.get(),
                simulate: simulate.get(),
                scenario_kind: scenario_kind.get(),
                fail_attempts: fail_attempts.get(),
                scenario_seconds: scenario_seconds.get(),
                language: language.get(),
            })
        });
        let form = FormState {
            activity_id,
            task_queue,
            input,
            timeout_secs,
            timeout_kind,
            schedule_to_start_secs,
            heartbeat_secs,
            initial_interval_secs,
            backoff_coefficient,
            maximum_interval_secs,
            non_retryable,
            id_reuse,
            id_conflict,
            advanced_open: RwSignal::new(start.advanced),
            simulate,
            scenario_kind,
            fail_attempts,
            scenario_seconds,
            max_retries,
            scenario_note: RwSignal::new(None),
            language,
            include_scenario: RwSignal::new(start.include_scenario),
            share_note: RwSignal::new(start.note),
            server_errors: RwSignal::new(None),
            draft,
        };
        share::keep_url_in_step(form);
        form
    }

    /// The messages to show under `field`: the form's own, then the server's
    /// (while the form is unchanged since the server answered).
    pub fn field_errors(&self, field: Field) -> Vec<String> {
        let draft = self.draft.read();
        let mut out: Vec<String> = draft
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect();
        if let Some((req, errs)) = &*self.server_errors.read()
            && *req == draft.request
        {
            for e in errs.iter().filter(|e| e.field == field) {
                if !out.contains(&e.message) {
                    out.push(e.message.clone());
                }
            }
        }
        out
    }

    /// Whether Execute may be pressed.
    pub fn is_valid(&self) -> bool {
        self.draft.read().errors.is_empty()
    }

    /// Called when the user picks a scenario (or turns simulation on), and
    /// after a run starts: fills in what the scenario cannot run without and
    /// says so in [`FormState::scenario_note`].
    ///
    /// - A Worker crash is only noticed through a heartbeat timeout: with
    ///   none set, it becomes [`CRASH_HEARTBEAT_SECS`].
    /// - An outage stops the Worker of the run's task queue, so the server
    ///   refuses it on the shared default queue or on a queue a Worker
    ///   already polls (`used_queues`: those of earlier runs): the queue
    ///   becomes a fresh `outage-xxxxxx`.
    pub fn help_with_scenario(&self, used_queues: &[String]) {
        if !self.simulate.get_untracked() {
            return;
        }
        let kind = self.scenario_kind.get_untracked();
        let note = match kind {
            ScenarioKind::Crash if self.heartbeat_secs.read_untracked().trim().is_empty() => {
                self.heartbeat_secs.set(CRASH_HEARTBEAT_SECS.to_owned());
                self.advanced_open.set(true);
                format!(
                    "Heartbeat timeout (under Advanced options) is now {CRASH_HEARTBEAT_SECS} s: \
                     a crashed Worker sends nothing, and the missing heartbeats are how the \
                     server notices."
                )
            }
            ScenarioKind::Outage => {
                let queue = self.task_queue.get_untracked();
                let why = if queue == ActivityConfig::default().task_queue {
                    "is the queue every run shares"
                } else if used_queues.contains(&queue) {
                    "belongs to an earlier run (its Worker polls it, or will once that \
                     run's outage ends)"
                } else {
                    return;
                };
                let fresh = format!("outage-{}", browser::random_suffix(6));
                self.task_queue.set(fresh.clone());
                format!(
                    "Task Queue is now {fresh}: an outage stops the Worker of the run's \
                     queue, and {queue} {why}."
                )
            }
            _ => return,
        };
        self.scenario_note.set(Some((kind, note)));
    }

    /// The note of [`FormState::help_with_scenario`], while its scenario is
    /// the one chosen.
    pub fn current_note(&self) -> Option<String> {
        let note = self.scenario_note.read();
        let (kind, text) = note.as_ref()?;
        (self.simulate.get() && self.scenario_kind.get() == *kind).then(|| text.clone())
    }
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}
