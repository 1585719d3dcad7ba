//! The form: one store of the raw text of every input, the run request parsed
//! from them ([`Draft`], with parse and validation errors per field), the
//! selected language, and the help the form gives when a scenario needs
//! another setting. It starts from what `share::start` read from
//! the page URL.

use leptos::prelude::*;
use proto::{ActivityConfig, Field, RunRequest};

use reactive_stores::Store;

use crate::browser;
use crate::draft::{Draft, Inputs, InputsStoreFields, ScenarioKind};

/// The heartbeat timeout the form fills in for the Worker-crash scenario.
const CRASH_HEARTBEAT_SECS: &str = "2";

/// Where the form starts (from a link or the defaults: `share::start`).
pub struct Start {
    /// The text of every input.
    pub inputs: Inputs,
    /// Whether the CLI command carries the scenario.
    pub include_scenario: bool,
    /// Whether any option behind "Advanced options" is away from its
    /// default (the disclosure then opens, so the reader sees it).
    pub advanced: bool,
    /// What the link had that the page did not take, in words.
    pub note: Option<String>,
}

/// The form: its inputs in one store, and what the page says about them.
/// `Copy`: every field is a handle into the reactive arena.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    /// The text of every input and the choice of every select.
    pub inputs: Store<Inputs>,
    /// Whether the Advanced options disclosure is open (the form opens it
    /// when it fills in an advanced field for the user).
    pub advanced_open: RwSignal<bool>,
    /// What the form last changed by itself for a scenario, and why.
    pub scenario_note: RwSignal<Option<(ScenarioKind, String)>>,
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
    /// The form as `start` says (the page URL's link, else the defaults).
    pub fn new(start: Start) -> FormState {
        let inputs = Store::new(start.inputs);
        FormState {
            inputs,
            advanced_open: RwSignal::new(start.advanced),
            scenario_note: RwSignal::new(None),
            include_scenario: RwSignal::new(start.include_scenario),
            share_note: RwSignal::new(start.note),
            server_errors: RwSignal::new(None),
            draft: Memo::new(move |_| Draft::parse(&inputs.read())),
        }
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
        let inputs = self.inputs;
        if !inputs.simulate().get_untracked() {
            return;
        }
        let kind = inputs.scenario_kind().get_untracked();
        let note = match kind {
            ScenarioKind::Crash if inputs.heartbeat_secs().read_untracked().trim().is_empty() => {
                inputs.heartbeat_secs().set(CRASH_HEARTBEAT_SECS.to_owned());
                self.advanced_open.set(true);
                format!(
                    "Heartbeat timeout (under Advanced options) is now {CRASH_HEARTBEAT_SECS} s: \
                     a crashed Worker sends nothing, and the missing heartbeats are how the \
                     server notices."
                )
            }
            ScenarioKind::Outage => {
                let queue = inputs.task_queue().get_untracked();
                let why = if queue == ActivityConfig::default().task_queue {
                    "is the queue every run shares"
                } else if used_queues.contains(&queue) {
                    "belongs to an earlier run (its Worker polls it, or will once that \
                     run's outage ends)"
                } else {
                    return;
                };
                let fresh = format!("outage-{}", browser::random_suffix(6));
                inputs.task_queue().set(fresh.clone());
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
        let inputs = self.inputs;
        (inputs.simulate().get() && inputs.scenario_kind().get() == *kind).then(|| text.clone())
    }
}
