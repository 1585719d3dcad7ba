//! The TypeScript Workflow program (@temporalio/client, worker and workflow
//! in the samples' Prettier style), in two files, as the SDK requires:
//! Workflow code is bundled into the Worker's isolated sandbox from a module
//! of its own (`workflowsPath`, resolved beside `main.ts`, so `tsx main.ts`
//! bundles `workflows.ts` and `node main.js` its compiled `workflows.js`).
//! `workflows.ts` holds `greetingWorkflow`, which calls the `'greet'`
//! activity through `proxyActivities` with the form's queue, timeouts and
//! `retry`; `main.ts` runs a Worker for it (no activities, so Workflow tasks
//! only) until `client.workflow.execute` returns, and prints the result.
//! [`FILE_MARKER`] heads each file, so a reader (and a test) can split them.

use crate::literal;
use crate::options::{conflict_policy, reuse_policy};
use crate::typescript::{connect, duration, retry, run_main, timeout_key};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

/// The comment that starts each file: `// ===== workflows.ts =====`.
pub const FILE_MARKER: &str = "// ===== ";

fn file(w: &mut Writer, name: &str) {
    w.comment(&format!("{FILE_MARKER}{name} =====")).nl();
}

fn import(w: &mut Writer, names: &[&str], from: &str) {
    w.kw("import").plain(" { ");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.plain(", ");
        }
        w.ty(name);
    }
    w.plain(" } ").kw("from").plain(" ");
    w.string(&literal::typescript(from)).plain(";").nl();
}

/// `workflows.ts`.
fn workflows(w: &mut Writer, config: &ActivityConfig) {
    let activity = Language::Typescript.activity_type();
    file(w, "workflows.ts");
    import(w, &["proxyActivities"], "@temporalio/workflow");
    w.nl();
    w.comment(&format!("// {CALL_COMMENT}")).nl();
    w.kw("const").plain(" { ").func(activity).plain(" } = ");
    w.func("proxyActivities").plain("<{ ").func(activity);
    w.plain("(name: ").kw("string").plain("): ").ty("Promise");
    w.plain("<").kw("string").plain("> }>({").nl();
    w.plain("  taskQueue: ");
    w.string(&literal::typescript(&config.task_queue))
        .plain(",")
        .nl();
    for (t, ms) in activity_durations(config) {
        w.plain("  ").plain(timeout_key(t)).plain(": ");
        duration(w, ms);
        w.plain(",").nl();
    }
    retry(w, "  ", &config.retry);
    w.plain("});").nl().nl();
    w.kw("export async function").plain(" ");
    w.func(Language::Typescript.workflow_type());
    w.plain("(name: ").kw("string").plain("): ").ty("Promise");
    w.plain("<").kw("string").plain("> {").nl();
    w.plain("  ").kw("return await").plain(" ").func(activity);
    w.plain("(name);").nl();
    w.plain("}").nl();
}

/// `main.ts`: the Worker and the client.
fn main(w: &mut Writer, config: &ActivityConfig, target: &Target) {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    file(w, "main.ts");
    // The id policies from the client, which re-exports them: the program
    // needs only the three packages the setup installs.
    let mut client = vec!["Client", "Connection"];
    if conflict.is_some() {
        client.push("WorkflowIdConflictPolicy");
    }
    if reuse.is_some() {
        client.push("WorkflowIdReusePolicy");
    }
    import(w, &client, "@temporalio/client");
    import(w, &["NativeConnection", "Worker"], "@temporalio/worker");
    let workflow = Language::Typescript.workflow_type();
    import(w, &[workflow], "./workflows");
    w.nl();

    let address = literal::typescript(&target.address);
    let namespace = literal::typescript(&target.namespace);
    let queue = literal::typescript(&config.task_queue);
    w.kw("async function").plain(" ").func("run").plain("(): ");
    w.ty("Promise").plain("<").kw("void").plain("> {").nl();
    for line in WORKER_COMMENT {
        w.plain("  ").comment(&format!("// {line}")).nl();
    }
    w.plain("  ").kw("const").plain(" workerConnection = ");
    w.kw("await").plain(" ").ty("NativeConnection").plain(".");
    w.func("connect").plain("({ address: ").string(&address);
    w.plain(" });").nl();
    w.plain("  ").kw("const").plain(" worker = ").kw("await");
    w.plain(" ")
        .ty("Worker")
        .plain(".")
        .func("create")
        .plain("({");
    w.nl();
    w.plain("    connection: workerConnection,").nl();
    w.plain("    namespace: ")
        .string(&namespace)
        .plain(",")
        .nl();
    w.plain("    taskQueue: ").string(&queue).plain(",").nl();
    w.plain("    workflowsPath: require.")
        .func("resolve")
        .plain("(");
    w.string("'./workflows'").plain("),").nl();
    w.plain("  });").nl();
    connect(w, target);
    w.plain("  ")
        .comment("// Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    w.plain("  ").kw("const").plain(" result = ").kw("await");
    w.plain(" worker.").func("runUntil").plain("(").nl();
    w.plain("    client.workflow.").func("execute").plain("(");
    w.plain(workflow).plain(", {").nl();
    w.plain("      workflowId: ");
    w.string(&literal::typescript(&config.activity_id))
        .plain(",")
        .nl();
    w.plain("      taskQueue: ").string(&queue).plain(",").nl();
    w.plain("      args: [")
        .string(&literal::typescript(&config.input));
    w.plain("],").nl();
    if let Some(ms) = start_delay(config) {
        w.plain("      startDelay: ");
        duration(w, ms);
        w.plain(",").nl();
    }
    if let Some(p) = reuse {
        w.plain("      workflowIdReusePolicy: ")
            .ty("WorkflowIdReusePolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain("      workflowIdConflictPolicy: ")
            .ty("WorkflowIdConflictPolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    w.plain("    }),").nl();
    w.plain("  );").nl();
    w.plain("  console.").func("log").plain("(");
    w.string("`Result: ${result}`").plain(");").nl();
    w.plain("  ")
        .kw("await")
        .plain(" connection.")
        .func("close");
    w.plain("();").nl();
    w.plain("  ").kw("await").plain(" workerConnection.");
    w.func("close").plain("();").nl();
    w.plain("}").nl().nl();

    run_main(w);
}

/// The two files, `workflows.ts` then `main.ts`, each under its marker.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let mut w = Writer::new();
    workflows(&mut w, config);
    w.nl();
    main(&mut w, config, target);
    w.finish()
}
