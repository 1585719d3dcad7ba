//! The "Run as: From a Workflow" variant of every panel: an SDK program
//! with a tiny Workflow that executes the same activity type with the same
//! options, the Worker that runs that Workflow on the form's task queue,
//! and the client that starts it and prints its result; and the
//! `temporal workflow execute` / `temporal workflow show` commands.
//!
//! What changes from the Standalone version is only who schedules the
//! activity: the activity type name, its one string argument, its task
//! queue, timeouts and retry policy are the form's, written where each SDK
//! takes them for a Workflow's activity (`ActivityOptions` inside the
//! Workflow). Two options have no Workflow-activity counterpart: the start
//! delay becomes the Workflow's own start delay, and the id policies apply
//! to the Workflow id (the form's activity id); the notes say so.

mod cli;
mod dotnet;
mod go;
mod java;
mod python;
mod ruby;
mod typescript;

use proto::{ActivityConfig, FailureScenario, Language, Snippet};

use crate::Target;
use crate::options::{Timeout, conflict_policy, durations, reuse_policy};
use crate::writer::Writer;

pub use typescript::FILE_MARKER as TS_FILE_MARKER;

/// The SDK program for `lang` that runs the activity from a Workflow: the
/// Workflow definition (executing [`Language::activity_type`] with the
/// form's options), a Worker registering it on the form's task queue, and
/// the client that starts it (workflow id = the form's activity id, type =
/// [`Language::workflow_type`]) and prints `Result: …`. The program's
/// Worker runs the Workflow only; the demo's own Worker runs the activity.
pub fn sdk_workflow_snippet_with(
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
    let mut w = Writer::new();
    scenario_comment(&mut w, lang, scenario);
    w.append(program);
    notes(&mut w, lang, config);
    w.finish()
}

/// The `temporal workflow execute` command that starts `lang`'s Workflow
/// type on the form's task queue with the form's id and input, then
/// `temporal workflow show` for its Event History. The activity's options
/// live in the Workflow definition (the program's Worker), not in the
/// command; a note says so.
pub fn cli_workflow_command_with(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    cli::command(lang, config, scenario, target)
}

/// The activity's durations inside a Workflow: every one the form sets but
/// the start delay, which a Workflow's activity does not have (the
/// Workflow's own start delay stands in for it, see [`start_delay`]).
pub(crate) fn activity_durations(config: &ActivityConfig) -> Vec<(Timeout, u64)> {
    durations(config)
        .into_iter()
        .filter(|(t, _)| *t != Timeout::StartDelay)
        .collect()
}

/// The Workflow's start delay: the form's start delay, if set.
pub(crate) fn start_delay(config: &ActivityConfig) -> Option<u64> {
    config.start_delay_ms
}

/// The comment above a Workflow program's client: which Worker runs what.
pub(crate) const WORKER_COMMENT: [&str; 2] = [
    "This Worker runs the Workflow only; the demo's Worker, polling the same",
    "task queue, runs the activity (registered exactly as for a Standalone run).",
];

/// The comment above the activity call in each Workflow.
pub(crate) const CALL_COMMENT: &str =
    "The same activity type, argument and options as the Standalone run.";

/// What the reader must know under a Workflow program.
fn notes(w: &mut Writer, lang: Language, config: &ActivityConfig) {
    w.note(format!(
        "The activity function and its Worker registration are the same code as in the \
         Standalone version: this demo's own Worker serves {} on the task queue {}. \
         This program's Worker registers the Workflow {} on that queue and runs only \
         Workflow tasks; the Workflow schedules the activity with ActivityOptions, so its \
         retry policy is set inside the Workflow and each attempt shows in the \
         Workflow's Event History.",
        crate::literal::json(lang.activity_type()),
        crate::literal::json(&config.task_queue),
        crate::literal::json(lang.workflow_type()),
    ));
    shared_notes(w, config);
    if lang == Language::Python {
        w.note(crate::python::EXIT_CRASH);
    }
    if lang == Language::Typescript {
        w.note(
            "The TypeScript SDK loads Workflow code into an isolated sandbox from its own \
             module (workflowsPath), so the Workflow is in workflows.ts and the Worker and \
             client in main.ts: save each part under its name, side by side. They need \
             @temporalio/client, @temporalio/worker and @temporalio/workflow of one release.",
        );
    }
}

/// The notes every Workflow variant shares, program or command: the start
/// delay and the id policies, which move to the Workflow.
pub(crate) fn shared_notes(w: &mut Writer, config: &ActivityConfig) {
    if config.task_queue != ActivityConfig::default().task_queue {
        w.note(
            "This demo's Worker polls a queue other than the default only once the page has \
             started a run on it: until then the Workflow waits for its activity.",
        );
    }
    if config.start_delay_ms.is_some() {
        w.note(
            "An activity a Workflow schedules has no start delay of its own: the \
             Workflow's start delay stands in for it, so the activity is scheduled once \
             the delay has passed.",
        );
    }
    if reuse_policy(config).is_some() || conflict_policy(config).is_some() {
        w.note(
            "The id reuse and conflict policies apply to the Workflow id here (the form's \
             activity id): an activity inside a Workflow is identified by the Workflow.",
        );
    }
}

/// A comment at the top of a Workflow program: how the demo passes
/// `scenario`, which the Workflow does not.
fn scenario_comment(w: &mut Writer, lang: Language, scenario: FailureScenario) {
    crate::notes::scenario_comment_ending(
        w,
        lang,
        scenario,
        &["This Workflow sends no such header, so the demo's Worker simply succeeds."],
    );
}
