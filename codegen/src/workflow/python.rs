//! The Python Workflow program (temporalio): `GreetingWorkflow` awaits
//! `workflow.execute_activity` by type name with the form's queue, timeouts
//! and `retry_policy=RetryPolicy(...)`; `main` runs a Worker for the
//! Workflow (`async with Worker(...)`, no activities, so it polls Workflow
//! tasks only) while `client.execute_workflow` starts it and waits. In
//! Black's and isort's style, one file as the temporalio samples are.

use crate::literal;
use crate::options::{conflict_policy, reuse_policy};
use crate::python::{
    common_import, connect, print_result_and_run, retry_policy, timedelta, timeout_keyword,
};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

/// `GreetingWorkflow`, with its one `@workflow.run` method.
fn definition(w: &mut Writer, config: &ActivityConfig) {
    w.plain("@workflow.").func("defn").nl();
    w.kw("class")
        .plain(" ")
        .ty(Language::Python.workflow_type());
    w.plain(":").nl();
    w.plain("    @workflow.").func("run").nl();
    w.plain("    ").kw("async def").plain(" ").func("run");
    w.plain("(self, name: ").ty("str").plain(") -> ").ty("str");
    w.plain(":").nl();
    w.plain("        ")
        .comment(&format!("# {CALL_COMMENT}"))
        .nl();
    w.plain("        ").kw("return await").plain(" workflow.");
    w.func("execute_activity").plain("(").nl();
    const IN: &str = "            ";
    w.plain(IN)
        .string(&literal::python(Language::Python.activity_type()))
        .plain(",")
        .nl();
    w.plain(IN).plain("name,").nl();
    w.plain(IN).plain("task_queue=");
    w.string(&literal::python(&config.task_queue))
        .plain(",")
        .nl();
    w.plain(IN).plain("result_type=").ty("str").plain(",").nl();
    for (t, ms) in activity_durations(config) {
        w.plain(IN).plain(timeout_keyword(t)).plain("=");
        timedelta(w, ms);
        w.plain(",").nl();
    }
    retry_policy(w, IN, config);
    w.plain("        )").nl().nl().nl();
}

/// The complete Python program.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();

    w.kw("import").plain(" asyncio").nl();
    w.kw("from").plain(" datetime ").kw("import").plain(" ");
    w.ty("timedelta").nl().nl();
    w.kw("from")
        .plain(" temporalio ")
        .kw("import")
        .plain(" workflow");
    w.nl();
    w.kw("from")
        .plain(" temporalio.client ")
        .kw("import")
        .plain(" ");
    w.ty("Client").nl();
    // isort order: alphabetical within the line.
    let mut names = vec!["RetryPolicy"];
    if conflict.is_some() {
        names.push("WorkflowIDConflictPolicy");
    }
    if reuse.is_some() {
        names.push("WorkflowIDReusePolicy");
    }
    common_import(&mut w, &names);
    w.kw("from")
        .plain(" temporalio.worker ")
        .kw("import")
        .plain(" ");
    w.ty("Worker").nl().nl().nl();
    definition(&mut w, config);

    w.kw("async def").plain(" ").func("main").plain("() -> ");
    w.kw("None").plain(":").nl();
    connect(&mut w, target);
    for line in WORKER_COMMENT {
        w.plain("    ").comment(&format!("# {line}")).nl();
    }
    w.plain("    ")
        .kw("async with")
        .plain(" ")
        .ty("Worker")
        .plain("(");
    w.nl();
    w.plain("        client,").nl();
    w.plain("        task_queue=")
        .string(&literal::python(&config.task_queue));
    w.plain(",").nl();
    w.plain("        workflows=[")
        .ty(Language::Python.workflow_type());
    w.plain("],").nl();
    w.plain("    ):").nl();
    w.plain("        ")
        .comment("# Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    w.plain("        result = ").kw("await").plain(" client.");
    w.func("execute_workflow").plain("(").nl();
    const IN: &str = "            ";
    w.plain(IN).ty(Language::Python.workflow_type()).plain(".");
    w.func("run").plain(",").nl();
    w.plain(IN)
        .string(&literal::python(&config.input))
        .plain(",")
        .nl();
    w.plain(IN)
        .plain("id=")
        .string(&literal::python(&config.activity_id));
    w.plain(",").nl();
    w.plain(IN)
        .plain("task_queue=")
        .string(&literal::python(&config.task_queue));
    w.plain(",").nl();
    if let Some(ms) = start_delay(config) {
        w.plain(IN).plain("start_delay=");
        timedelta(&mut w, ms);
        w.plain(",").nl();
    }
    if let Some(p) = reuse {
        w.plain(IN)
            .plain("id_reuse_policy=")
            .ty("WorkflowIDReusePolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain(IN)
            .plain("id_conflict_policy=")
            .ty("WorkflowIDConflictPolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    w.plain("        )").nl();
    print_result_and_run(&mut w);
    w.finish()
}
