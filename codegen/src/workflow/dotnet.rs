//! The .NET Workflow program (Temporalio), a console project's `Program.cs`:
//! top-level statements connect, run a `TemporalWorker` registering the
//! Workflow only (`AddWorkflow<GreetingWorkflow>()`) while
//! `ExecuteWorkflowAsync` runs it; the `[Workflow]` class, after the
//! statements as C# requires, calls the activity by type name through
//! `Workflow.ExecuteActivityAsync<string>(name, args, ActivityOptions)`.
//! `MaximumAttempts` lives in `RetryPolicy` and `BackoffCoefficient` is a
//! `float`, as in the Standalone program.

use crate::dotnet::{connect, retry_policy, timeout_property, timespan};
use crate::literal;
use crate::options::{conflict_policy, reuse_policy};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

/// `new ActivityOptions { ... }`, its properties at `indent`.
fn activity_options(w: &mut Writer, indent: &str, config: &ActivityConfig) {
    let outer = &indent[4..];
    w.kw("new").plain(" ").ty("ActivityOptions").nl();
    w.plain(outer).plain("{").nl();
    w.plain(indent).plain("TaskQueue = ");
    w.string(&literal::csharp(&config.task_queue))
        .plain(",")
        .nl();
    for (t, ms) in activity_durations(config) {
        w.plain(indent).plain(timeout_property(t)).plain(" = ");
        timespan(w, ms);
        w.plain(",").nl();
    }
    retry_policy(w, indent, &config.retry);
    w.plain(outer).plain("});").nl();
}

/// The `[Workflow]` class.
fn definition(w: &mut Writer, config: &ActivityConfig) {
    w.plain("[").ty("Workflow").plain("]").nl();
    w.kw("public class")
        .plain(" ")
        .ty(Language::Dotnet.workflow_type());
    w.nl().plain("{").nl();
    w.plain("    ").comment(&format!("// {CALL_COMMENT}")).nl();
    w.plain("    [").ty("WorkflowRun").plain("]").nl();
    w.plain("    ").kw("public async").plain(" ").ty("Task");
    w.plain("<")
        .kw("string")
        .plain("> ")
        .func("RunAsync")
        .plain("(");
    w.kw("string").plain(" name) =>").nl();
    w.plain("        ")
        .kw("await")
        .plain(" ")
        .ty("Workflow")
        .plain(".");
    w.func("ExecuteActivityAsync")
        .plain("<")
        .kw("string")
        .plain(">(");
    w.nl();
    w.plain("            ")
        .string(&literal::csharp(Language::Dotnet.activity_type()))
        .plain(",")
        .nl();
    w.plain("            ").kw("new").plain(" ").kw("object");
    w.plain("?[] { name },").nl();
    w.plain("            ");
    activity_options(w, "                ", config);
    w.plain("}").nl();
}

/// The complete C# program (`Program.cs`).
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let workflow = Language::Dotnet.workflow_type();
    let mut w = Writer::new();

    w.kw("using").plain(" System;").nl();
    w.kw("using").plain(" System.Threading.Tasks;").nl();
    if reuse.is_some() || conflict.is_some() {
        w.kw("using").plain(" Temporalio.Api.Enums.V1;").nl();
    }
    for namespace in ["Client", "Common", "Worker", "Workflows"] {
        w.kw("using")
            .plain(" Temporalio.")
            .plain(namespace)
            .plain(";");
        w.nl();
    }
    w.nl();

    connect(&mut w, target);

    for line in WORKER_COMMENT {
        w.comment(&format!("// {line}")).nl();
    }
    w.kw("using")
        .plain(" ")
        .kw("var")
        .plain(" worker = ")
        .kw("new");
    w.plain(" ").ty("TemporalWorker").plain("(").nl();
    w.plain("    client,").nl();
    w.plain("    ")
        .kw("new")
        .plain(" ")
        .ty("TemporalWorkerOptions");
    w.plain("(").string(&literal::csharp(&config.task_queue));
    w.plain(").").func("AddWorkflow").plain("<").ty(workflow);
    w.plain(">());").nl();
    w.kw("await")
        .plain(" worker.")
        .func("ExecuteAsync")
        .plain("(");
    w.kw("async").plain(" () =>").nl();
    w.plain("{").nl();
    w.plain("    ")
        .comment("// Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    w.plain("    ").kw("var").plain(" result = ").kw("await");
    w.plain(" client.")
        .func("ExecuteWorkflowAsync")
        .plain("(")
        .nl();
    w.plain("        (").ty(workflow).plain(" wf) => wf.");
    w.func("RunAsync").plain("(");
    w.string(&literal::csharp(&config.input)).plain("),").nl();
    w.plain("        ")
        .kw("new")
        .plain(" ")
        .ty("WorkflowOptions");
    w.plain("(").string(&literal::csharp(&config.activity_id));
    w.plain(", ").string(&literal::csharp(&config.task_queue));
    w.plain(")").nl();
    w.plain("        {").nl();
    if let Some(ms) = start_delay(config) {
        w.plain("            StartDelay = ");
        timespan(&mut w, ms);
        w.plain(",").nl();
    }
    if let Some(p) = reuse {
        // The proto enums' C# names are the CLI spellings.
        w.plain("            IdReusePolicy = ")
            .ty("WorkflowIdReusePolicy");
        w.plain(".").plain(p.cli_name()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain("            IdConflictPolicy = ")
            .ty("WorkflowIdConflictPolicy");
        w.plain(".").plain(p.cli_name()).plain(",").nl();
    }
    w.plain("        });").nl();
    w.plain("    ").ty("Console").plain(".").func("WriteLine");
    w.plain("(")
        .string("$\"Result: {result}\"")
        .plain(");")
        .nl();
    w.plain("});").nl().nl();
    definition(&mut w, config);
    w.finish()
}
