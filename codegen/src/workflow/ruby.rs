//! The Ruby Workflow program (temporalio gem), in RuboCop's default style:
//! `GreetingWorkflow < Temporalio::Workflow::Definition` calls
//! `Temporalio::Workflow.execute_activity` with the type name string and the
//! form's queue, timeouts (seconds) and `Temporalio::RetryPolicy`
//! (`max_interval`, `max_attempts`); a `Temporalio::Worker` registering the
//! Workflow only runs while its block executes the Workflow.

use crate::literal;
use crate::ruby::{
    Arg, args, connect, id_policies, input_id_and_queue, retry_policy, seconds, timeout_keyword,
};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;
use proto::decimal;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

/// The Workflow class.
fn definition(w: &mut Writer, config: &ActivityConfig) {
    w.kw("class").plain(" ").ty(Language::Ruby.workflow_type());
    w.plain(" < ").ty("Temporalio::Workflow::Definition").nl();
    w.plain("  ")
        .kw("def")
        .plain(" ")
        .func("execute")
        .plain("(name)");
    w.nl();
    w.plain("    ").comment(&format!("# {CALL_COMMENT}")).nl();
    w.plain("    ").ty("Temporalio::Workflow").plain(".");
    w.func("execute_activity").plain("(").nl();
    let mut call: Vec<Arg<'_>> = vec![
        Box::new(|w: &mut Writer| {
            w.string(&literal::ruby(Language::Ruby.activity_type()));
        }),
        Box::new(|w: &mut Writer| {
            w.plain("name");
        }),
        Box::new(|w: &mut Writer| {
            w.plain("task_queue: ");
            w.string(&literal::ruby(&config.task_queue));
        }),
    ];
    for (t, ms) in activity_durations(config) {
        call.push(seconds(timeout_keyword(t), ms));
    }
    call.push(Box::new(|w: &mut Writer| retry_policy(w, "      ", config)));
    args(w, "      ", &call);
    w.plain("    )").nl();
    w.plain("  ").kw("end").nl();
    w.kw("end").nl().nl();
}

/// The complete Ruby program.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let workflow = Language::Ruby.workflow_type();
    let mut w = Writer::new();
    for file in [
        "temporalio/client",
        "temporalio/worker",
        "temporalio/workflow",
    ] {
        w.func("require").plain(" ");
        w.string(&literal::ruby(file)).nl();
    }
    w.nl();
    definition(&mut w, config);

    connect(&mut w, target);
    for line in WORKER_COMMENT {
        w.comment(&format!("# {line}")).nl();
    }
    w.plain("worker = ").ty("Temporalio::Worker").plain(".");
    w.func("new").plain("(").nl();
    w.plain("  client:,").nl();
    w.plain("  task_queue: ")
        .string(&literal::ruby(&config.task_queue));
    w.plain(",").nl();
    w.plain("  workflows: [").ty(workflow).plain("]").nl();
    w.plain(")").nl();
    w.plain("worker.").func("run").plain(" ").kw("do").nl();
    w.plain("  ")
        .comment("# Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    let mut start: Vec<Arg<'_>> = vec![Box::new(|w: &mut Writer| {
        w.ty(workflow);
    })];
    start.extend(input_id_and_queue(config));
    if let Some(ms) = start_delay(config) {
        start.push(Box::new(move |w: &mut Writer| {
            w.plain("start_delay: ").num(&decimal::seconds(ms));
        }));
    }
    start.extend(id_policies(config, "Workflow"));
    w.plain("  result = client.")
        .func("execute_workflow")
        .plain("(");
    w.nl();
    args(&mut w, "    ", &start);
    w.plain("  )").nl();
    w.plain("  ").func("puts").plain(" ");
    w.string("\"Result: #{result}\"").nl();
    w.kw("end").nl();
    w.finish()
}
