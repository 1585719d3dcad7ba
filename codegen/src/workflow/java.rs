//! The Java Workflow program (io.temporal:temporal-sdk), one file
//! `ExecuteActivity.java` in google-java-format's layout: the activity
//! interface (`composeGreeting`, which Java registers as `ComposeGreeting`,
//! the type the Standalone run starts), the `GreetingWorkflow` interface and
//! its implementation calling the activity through `Workflow.newActivityStub`
//! with `ActivityOptions`, a `WorkerFactory` Worker registering the
//! Workflow implementation only, and the `WorkflowClient` stub that runs it.

use crate::java::{call, connect, duration, retry_options, timeout_setter};
use crate::literal;
use crate::options::{conflict_policy, reuse_policy};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

use super::{CALL_COMMENT, WORKER_COMMENT, activity_durations, start_delay};

fn imports(w: &mut Writer, reuse: bool, conflict: bool) {
    let mut classes = vec!["io.temporal.activity.ActivityInterface"];
    classes.push("io.temporal.activity.ActivityOptions");
    if conflict {
        classes.push("io.temporal.api.enums.v1.WorkflowIdConflictPolicy");
    }
    if reuse {
        classes.push("io.temporal.api.enums.v1.WorkflowIdReusePolicy");
    }
    classes.extend([
        "io.temporal.client.WorkflowClient",
        "io.temporal.client.WorkflowClientOptions",
        "io.temporal.client.WorkflowOptions",
        "io.temporal.common.RetryOptions",
        "io.temporal.serviceclient.WorkflowServiceStubs",
        "io.temporal.serviceclient.WorkflowServiceStubsOptions",
        "io.temporal.worker.Worker",
        "io.temporal.worker.WorkerFactory",
        "io.temporal.workflow.Workflow",
        "io.temporal.workflow.WorkflowInterface",
        "io.temporal.workflow.WorkflowMethod",
        "java.time.Duration",
    ]);
    for class in classes {
        w.kw("import").plain(" ").plain(class).plain(";").nl();
    }
    w.nl();
}

/// `ActivityOptions.newBuilder()...build()`, its setters at `indent`.
fn activity_options(w: &mut Writer, indent: &str, config: &ActivityConfig) {
    w.ty("ActivityOptions")
        .plain(".")
        .func("newBuilder")
        .plain("()")
        .nl();
    call(w, indent, "setTaskQueue");
    w.string(&literal::java(&config.task_queue)).plain(")").nl();
    for (t, ms) in activity_durations(config) {
        call(w, indent, timeout_setter(t));
        duration(w, ms);
        w.plain(")").nl();
    }
    retry_options(w, indent, &config.retry);
    w.plain(indent).plain(".").func("build").plain("());").nl();
}

/// The activity interface, the Workflow interface and its implementation.
fn definitions(w: &mut Writer, config: &ActivityConfig) {
    let workflow = Language::Java.workflow_type();
    for line in [
        "// The activity the Standalone run starts: Java registers composeGreeting",
        "// under the type name \"ComposeGreeting\".",
    ] {
        w.plain("  ").comment(line).nl();
    }
    w.plain("  @").ty("ActivityInterface").nl();
    w.plain("  ").kw("public interface").plain(" ");
    w.ty("GreetingActivities").plain(" {").nl();
    w.plain("    ")
        .ty("String")
        .plain(" ")
        .func("composeGreeting");
    w.plain("(").ty("String").plain(" name);").nl();
    w.plain("  }").nl().nl();

    w.plain("  @").ty("WorkflowInterface").nl();
    w.plain("  ").kw("public interface").plain(" ").ty(workflow);
    w.plain(" {").nl();
    w.plain("    @").ty("WorkflowMethod").nl();
    w.plain("    ")
        .ty("String")
        .plain(" ")
        .func("greet")
        .plain("(");
    w.ty("String").plain(" name);").nl();
    w.plain("  }").nl().nl();

    w.plain("  ").kw("public static class").plain(" ");
    w.ty(&format!("{workflow}Impl")).plain(" ").kw("implements");
    w.plain(" ").ty(workflow).plain(" {").nl();
    w.plain("    ").comment(&format!("// {CALL_COMMENT}")).nl();
    w.plain("    ").kw("private final").plain(" ");
    w.ty("GreetingActivities").plain(" activities =").nl();
    w.plain("        ").ty("Workflow").plain(".");
    w.func("newActivityStub").plain("(").nl();
    w.plain("            ").ty("GreetingActivities").plain(".");
    w.kw("class").plain(",").nl();
    w.plain("            ");
    activity_options(w, "                ", config);
    w.nl();
    w.plain("    @").ty("Override").nl();
    w.plain("    ")
        .kw("public")
        .plain(" ")
        .ty("String")
        .plain(" ");
    w.func("greet")
        .plain("(")
        .ty("String")
        .plain(" name) {")
        .nl();
    w.plain("      ").kw("return").plain(" activities.");
    w.func("composeGreeting").plain("(name);").nl();
    w.plain("    }").nl();
    w.plain("  }").nl().nl();
}

/// The complete Java program (`ExecuteActivity.java`).
pub(crate) fn snippet(config: &ActivityConfig, target: &Target) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let workflow = Language::Java.workflow_type();
    let mut w = Writer::new();
    imports(&mut w, reuse.is_some(), conflict.is_some());

    w.kw("public class")
        .plain(" ")
        .ty("ExecuteActivity")
        .plain(" {");
    w.nl();
    definitions(&mut w, config);
    w.plain("  ")
        .kw("public static void")
        .plain(" ")
        .func("main");
    w.plain("(").ty("String").plain("[] args) {").nl();
    connect(&mut w, target, "WorkflowClient");

    for line in WORKER_COMMENT {
        w.plain("    ").comment(&format!("// {line}")).nl();
    }
    w.plain("    ").ty("WorkerFactory").plain(" factory = ");
    w.ty("WorkerFactory").plain(".").func("newInstance");
    w.plain("(client);").nl();
    w.plain("    ").ty("Worker").plain(" worker = factory.");
    w.func("newWorker").plain("(");
    w.string(&literal::java(&config.task_queue))
        .plain(");")
        .nl();
    w.plain("    worker.")
        .func("registerWorkflowImplementationTypes");
    w.plain("(").ty(&format!("{workflow}Impl")).plain(".");
    w.kw("class").plain(");").nl();
    w.plain("    factory.").func("start").plain("();").nl().nl();

    const IN: &str = "                ";
    w.plain("    ")
        .comment("// Start the Workflow, its id the form's activity id, and wait for it.")
        .nl();
    w.plain("    ").ty(workflow).plain(" workflow =").nl();
    w.plain("        client.")
        .func("newWorkflowStub")
        .plain("(")
        .nl();
    w.plain("            ").ty(workflow).plain(".").kw("class");
    w.plain(",").nl();
    w.plain("            ").ty("WorkflowOptions").plain(".");
    w.func("newBuilder").plain("()").nl();
    call(&mut w, IN, "setWorkflowId");
    w.string(&literal::java(&config.activity_id))
        .plain(")")
        .nl();
    call(&mut w, IN, "setTaskQueue");
    w.string(&literal::java(&config.task_queue)).plain(")").nl();
    if let Some(ms) = start_delay(config) {
        call(&mut w, IN, "setStartDelay");
        duration(&mut w, ms);
        w.plain(")").nl();
    }
    // Too long for one line at 100 columns: google-java-format breaks
    // after the parenthesis.
    const ARG: &str = "                    ";
    if let Some(p) = reuse {
        call(&mut w, IN, "setWorkflowIdReusePolicy").nl();
        w.plain(ARG).ty("WorkflowIdReusePolicy");
        w.plain(".WORKFLOW_ID_REUSE_POLICY_").plain(p.screaming());
        w.plain(")").nl();
    }
    if let Some(p) = conflict {
        call(&mut w, IN, "setWorkflowIdConflictPolicy").nl();
        w.plain(ARG).ty("WorkflowIdConflictPolicy");
        w.plain(".WORKFLOW_ID_CONFLICT_POLICY_")
            .plain(p.screaming());
        w.plain(")").nl();
    }
    w.plain(IN).plain(".").func("build").plain("());").nl();
    let input = literal::java(&config.input);
    w.plain("    ").ty("String").plain(" result = workflow.");
    w.func("greet").plain("(").string(&input).plain(");").nl();
    w.plain("    System.out.").func("println").plain("(");
    w.string("\"Result: \"").plain(" + result);").nl();
    w.plain("    factory.").func("shutdown").plain("();").nl();
    w.plain("    service.").func("shutdown").plain("();").nl();
    w.plain("  }").nl();
    w.plain("}").nl();
    w.finish()
}
