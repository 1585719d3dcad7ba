//! The Go Workflow program (go.temporal.io/sdk): `GreetingWorkflow` calls
//! `workflow.ExecuteActivity` under `workflow.ActivityOptions` carrying the
//! form's queue, timeouts and `RetryPolicy`; `main` starts a Worker for the
//! Workflow (`LocalActivityWorkerOnly`, so it never polls the activity the
//! demo's Worker runs), then `c.ExecuteWorkflow` and prints the result.

use crate::go::{
    Val, deadline, dial, fatal_on_err, fields, header, retry_policy, timeout_field, wait_for_result,
};
use crate::literal;
use crate::options::{conflict_policy, reuse_policy};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

/// `GreetingWorkflow`: the activity with the form's options.
fn definition(w: &mut Writer, config: &ActivityConfig) {
    let name = Language::Go.workflow_type();
    w.comment(&format!(
        "// {name} executes the greeting activity and returns its result."
    ))
    .nl();
    w.kw("func").plain(" ").func(name).plain("(ctx workflow.");
    w.ty("Context").plain(", name ").ty("string").plain(") (");
    w.ty("string").plain(", ").ty("error").plain(") {").nl();
    w.plain("\tctx = workflow.").func("WithActivityOptions");
    w.plain("(ctx, workflow.")
        .ty("ActivityOptions")
        .plain("{")
        .nl();
    let mut head = vec![("TaskQueue", Val::Str(config.task_queue.clone()))];
    for (t, ms) in activity_durations(config) {
        head.push((timeout_field(t), Val::Dur(ms)));
    }
    fields(w, "\t\t", &head);
    retry_policy(w, &config.retry);
    w.plain("\t})").nl();
    w.plain("\t").comment(&format!("// {CALL_COMMENT}")).nl();
    w.plain("\t").kw("var").plain(" result ").ty("string").nl();
    w.plain("\terr := workflow.")
        .func("ExecuteActivity")
        .plain("(ctx, ");
    w.string(&literal::go(Language::Go.activity_type()));
    w.plain(", name).").func("Get").plain("(ctx, &result)").nl();
    w.plain("\t").kw("return").plain(" result, err").nl();
    w.plain("}").nl().nl();
}

/// The Worker for the Workflow, started before the client and stopped
/// when `main` returns.
fn worker(w: &mut Writer, config: &ActivityConfig) {
    for line in WORKER_COMMENT {
        w.plain("\t").comment(&format!("// {line}")).nl();
    }
    w.plain("\tw := worker.").func("New").plain("(c, ");
    w.string(&literal::go(&config.task_queue))
        .plain(", worker.");
    w.ty("Options").plain("{LocalActivityWorkerOnly: ");
    w.kw("true").plain("})").nl();
    w.plain("\tw.").func("RegisterWorkflow").plain("(");
    w.plain(Language::Go.workflow_type()).plain(")").nl();
    w.plain("\t").kw("if").plain(" err := w.").func("Start");
    w.plain("(); err != ").kw("nil").plain(" {").nl();
    w.plain("\t\tlog.").func("Fatalln").plain("(");
    w.string("\"Unable to start Worker:\"").plain(", err)").nl();
    w.plain("\t}").nl();
    w.plain("\t")
        .kw("defer")
        .plain(" w.")
        .func("Stop")
        .plain("()");
    w.nl().nl();
}

/// The complete Go program.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();
    header(
        &mut w,
        reuse.is_some() || conflict.is_some(),
        &["client", "temporal", "worker", "workflow"],
    );
    definition(&mut w, config);

    w.kw("func").plain(" ").func("main").plain("() {").nl();
    dial(&mut w, target);
    worker(&mut w, config);

    w.plain("\t")
        .comment("// Give up after the longest the activity can take, plus a minute.")
        .nl();
    deadline(&mut w, config);
    w.plain("\t")
        .comment("// Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    w.plain("\trun, err := c.").func("ExecuteWorkflow");
    w.plain("(ctx, client.")
        .ty("StartWorkflowOptions")
        .plain("{")
        .nl();
    let mut options = vec![
        ("ID", Val::Str(config.activity_id.clone())),
        ("TaskQueue", Val::Str(config.task_queue.clone())),
    ];
    if let Some(ms) = start_delay(config) {
        options.push(("StartDelay", Val::Dur(ms)));
    }
    if let Some(p) = reuse {
        let name = format!("WORKFLOW_ID_REUSE_POLICY_{}", p.screaming());
        options.push(("WorkflowIDReusePolicy", Val::Enum(name)));
    }
    if let Some(p) = conflict {
        let name = format!("WORKFLOW_ID_CONFLICT_POLICY_{}", p.screaming());
        options.push(("WorkflowIDConflictPolicy", Val::Enum(name)));
    }
    fields(&mut w, "\t\t", &options);
    w.plain("\t}, ")
        .plain(Language::Go.workflow_type())
        .plain(", ");
    w.string(&literal::go(&config.input)).plain(")").nl();
    fatal_on_err(&mut w, "Unable to execute Workflow:");
    w.nl();
    wait_for_result(&mut w, "run", "Workflow failed:");
    w.plain("}").nl();
    w.finish()
}
