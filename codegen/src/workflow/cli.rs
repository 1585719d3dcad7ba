//! The CLI for the Workflow variant: `temporal workflow execute` with the
//! language's Workflow type on the form's task queue, the form's activity
//! id as the Workflow id and its input, then `temporal workflow show` for
//! the Workflow's Event History (the activity's scheduled, started and
//! completed or failed events, each attempt's options in them).
//!
//! The activity's timeouts and retry policy are not flags here: the
//! Workflow definition sets them in its `ActivityOptions`, in the Worker's
//! code. The command needs a Worker for the Workflow type (the SDK
//! program's, or the demo's when it registers the type).

use crate::cli::{Value, connection, policy_and_input_flags, shell_word, write_command};
use crate::literal;
use crate::units::duration_string;
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;
use proto::scenario::FailureScenario;

use super::{shared_notes, start_delay};

/// The two commands, `execute` then `show`, a blank line between.
pub(crate) fn command(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    let id = shell_word(&config.activity_id);
    let mut flags = connection(target);
    flags.extend([
        ("--workflow-id", Value::Text(id.clone())),
        ("--type", Value::Text(shell_word(lang.workflow_type()))),
        ("--task-queue", Value::Text(shell_word(&config.task_queue))),
    ]);
    if let Some(ms) = start_delay(config) {
        flags.push(("--start-delay", Value::Number(duration_string(ms))));
    }
    flags.extend(policy_and_input_flags(config));

    let mut w = Writer::new();
    w.comment("# Start the Workflow and wait for its result.")
        .nl();
    write_command(&mut w, "workflow", "execute", &flags);
    w.nl();
    w.comment("# Its Event History: the activity's events and options.")
        .nl();
    let mut show = connection(target);
    show.push(("--workflow-id", Value::Text(id)));
    write_command(&mut w, "workflow", "show", &show);

    w.note(format!(
        "The activity's type ({}), task queue, timeouts and retry policy are set in the \
         Workflow definition's ActivityOptions, not by this command: it starts the Workflow \
         type {} on {}, which needs a Worker that registers that Workflow (the SDK \
         program's Worker does); this demo's Worker runs the activity.",
        literal::json(lang.activity_type()),
        literal::json(lang.workflow_type()),
        literal::json(&config.task_queue),
    ));
    shared_notes(&mut w, config);
    if scenario != FailureScenario::None {
        w.note(
            "The demo passes its failure scenario in the activity's Header; the Workflow \
             schedules the activity without it, and --headers on this command would only \
             reach the Workflow: against this command the demo's Worker simply succeeds.",
        );
    }
    w.finish()
}
