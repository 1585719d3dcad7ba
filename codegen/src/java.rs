//! The Java snippet: the untyped `ActivityClient.execute(String activityType,
//! Class<R> resultClass, StartActivityOptions options, Object... args)`
//! (io.temporal:temporal-sdk >= 1.35), in google-java-format's layout.
//!
//! By name, so no activity interface is needed: `"ComposeGreeting"` is what
//! Java registers `composeGreeting` under (first letter upper-cased).

use crate::literal;
use crate::options::{Timeout, conflict_policy, durations, reuse_policy};
use crate::units::{Dur, dur, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::{ActivityConfig, RetryPolicy};

pub(crate) fn duration(w: &mut Writer, ms: u64) {
    w.ty("Duration").plain(".");
    let n = match dur(ms) {
        Dur::Secs(s) => {
            w.func("ofSeconds");
            s
        }
        Dur::Millis(m) => {
            w.func("ofMillis");
            m
        }
    };
    w.plain("(").num(&n.to_string()).plain(")");
}

pub(crate) fn timeout_setter(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "setStartToCloseTimeout",
        Timeout::ScheduleToClose => "setScheduleToCloseTimeout",
        Timeout::ScheduleToStart => "setScheduleToStartTimeout",
        Timeout::Heartbeat => "setHeartbeatTimeout",
        Timeout::StartDelay => "setStartDelay",
    }
}

/// `<indent>.setter(` — the caller writes the argument and `)`.
pub(crate) fn call<'w>(w: &'w mut Writer, indent: &str, setter: &str) -> &'w mut Writer {
    w.plain(indent).plain(".").func(setter).plain("(")
}

fn imports(w: &mut Writer, reuse: bool, conflict: bool) {
    let mut classes = Vec::new();
    if conflict {
        classes.push("io.temporal.api.enums.v1.ActivityIdConflictPolicy");
    }
    if reuse {
        classes.push("io.temporal.api.enums.v1.ActivityIdReusePolicy");
    }
    classes.extend([
        "io.temporal.client.ActivityClient",
        "io.temporal.client.ActivityClientOptions",
        "io.temporal.client.StartActivityOptions",
        "io.temporal.common.RetryOptions",
        "io.temporal.serviceclient.WorkflowServiceStubs",
        "io.temporal.serviceclient.WorkflowServiceStubsOptions",
        "java.time.Duration",
    ]);
    for class in classes {
        w.kw("import").plain(" ").plain(class).plain(";").nl();
    }
    w.nl();
}

/// The service stubs to the target's address, then `client`, a `client_class`
/// for the target's namespace, and a blank line.
pub(crate) fn connect(w: &mut Writer, target: &Target, client_class: &str) {
    w.plain("    ")
        .ty("WorkflowServiceStubs")
        .plain(" service =")
        .nl();
    w.plain("        ").ty("WorkflowServiceStubs").plain(".");
    w.func("newServiceStubs").plain("(").nl();
    w.plain("            ")
        .ty("WorkflowServiceStubsOptions")
        .plain(".");
    w.func("newBuilder")
        .plain("().")
        .func("setTarget")
        .plain("(");
    w.string(&literal::java(&target.address)).plain(").");
    w.func("build").plain("());").nl();
    w.plain("    ").ty(client_class).plain(" client =").nl();
    w.plain("        ").ty(client_class).plain(".");
    w.func("newInstance").plain("(").nl();
    w.plain("            service, ")
        .ty(&format!("{client_class}Options"))
        .plain(".");
    w.func("newBuilder")
        .plain("().")
        .func("setNamespace")
        .plain("(");
    w.string(&literal::java(&target.namespace)).plain(").");
    w.func("build").plain("());").nl().nl();
}

/// `.setRetryOptions(RetryOptions.newBuilder()...build())`, the call at
/// `indent`, the builder at `indent` + 4 and its setters at `indent` + 8.
pub(crate) fn retry_options(w: &mut Writer, indent: &str, retry: &RetryPolicy) {
    let inner = format!("{indent}        ");
    call(w, indent, "setRetryOptions").nl();
    w.plain(indent).plain("    ").ty("RetryOptions").plain(".");
    w.func("newBuilder").plain("()").nl();
    call(w, &inner, "setInitialInterval");
    duration(w, retry.initial_interval_ms);
    w.plain(")").nl();
    call(w, &inner, "setBackoffCoefficient");
    w.num(&float_literal(retry.backoff_coefficient))
        .plain(")")
        .nl();
    call(w, &inner, "setMaximumInterval");
    duration(w, retry.maximum_interval_ms);
    w.plain(")").nl();
    call(w, &inner, "setMaximumAttempts");
    w.num(&retry.maximum_attempts.to_string()).plain(")").nl();
    if !retry.non_retryable_error_types.is_empty() {
        call(w, &inner, "setDoNotRetry");
        for (i, t) in retry.non_retryable_error_types.iter().enumerate() {
            if i > 0 {
                w.plain(", ");
            }
            w.string(&literal::java(t));
        }
        w.plain(")").nl();
    }
    w.plain(&inner).plain(".").func("build").plain("())").nl();
}

/// The complete Java program (`ExecuteActivity.java`); with
/// `operator_calls`, a comment says why it does not pause and unpause the
/// run: the SDK has no such methods.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();
    imports(&mut w, reuse.is_some(), conflict.is_some());

    w.kw("public class")
        .plain(" ")
        .ty("ExecuteActivity")
        .plain(" {")
        .nl();
    w.plain("  ")
        .kw("public static void")
        .plain(" ")
        .func("main")
        .plain("(");
    w.ty("String").plain("[] args) {").nl();
    connect(&mut w, target, "ActivityClient");

    const IN: &str = "            ";
    w.plain("    ")
        .ty("StartActivityOptions")
        .plain(" options =")
        .nl();
    w.plain("        ").ty("StartActivityOptions").plain(".");
    w.func("newBuilder").plain("()").nl();
    call(&mut w, IN, "setId");
    w.string(&literal::java(&config.activity_id))
        .plain(")")
        .nl();
    call(&mut w, IN, "setTaskQueue");
    w.string(&literal::java(&config.task_queue)).plain(")").nl();
    for (t, ms) in durations(config) {
        call(&mut w, IN, timeout_setter(t));
        duration(&mut w, ms);
        w.plain(")").nl();
    }
    retry_options(&mut w, IN, &config.retry);
    if let Some(p) = reuse {
        call(&mut w, IN, "setIdReusePolicy").ty("ActivityIdReusePolicy");
        w.plain(".ACTIVITY_ID_REUSE_POLICY_").plain(p.screaming());
        w.plain(")").nl();
    }
    if let Some(p) = conflict {
        call(&mut w, IN, "setIdConflictPolicy").ty("ActivityIdConflictPolicy");
        w.plain(".ACTIVITY_ID_CONFLICT_POLICY_")
            .plain(p.screaming());
        w.plain(")").nl();
    }
    w.plain(IN).plain(".").func("build").plain("();").nl().nl();

    // google-java-format keeps the statement on one line when it fits.
    let input = literal::java(&config.input);
    let activity_type = literal::java(Language::Java.activity_type());
    let one_line = format!(
        "    String result = client.execute({activity_type}, String.class, options, {input});"
    );
    if operator_calls {
        // io.temporal:temporal-sdk 1.38's UntypedActivityHandle has only
        // cancel and terminate.
        for line in [
            "// io.temporal:temporal-sdk 1.38 has no pause or unpause on an activity handle",
            "// (sdk-java#2878): pause and unpause this run with the CLI commands instead.",
        ] {
            w.plain("    ").comment(line).nl();
        }
    }
    w.plain("    ")
        .comment("// Call the activity by its type name, with its one string argument.")
        .nl();
    w.plain("    ").ty("String").plain(" result =");
    if one_line.chars().count() <= 100 {
        w.plain(" ");
    } else {
        w.nl().plain("        ");
    }
    w.plain("client.").func("execute").plain("(");
    w.string(&activity_type).plain(", ");
    w.ty("String").plain(".").kw("class").plain(", options, ");
    w.string(&input).plain(");").nl();
    w.plain("    System.out.").func("println").plain("(");
    w.string("\"Result: \"").plain(" + result);").nl();
    w.plain("    service.").func("shutdown").plain("();").nl();
    w.plain("  }").nl();
    w.plain("}").nl();
    w.finish()
}
