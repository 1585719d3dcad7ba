//! The TypeScript snippet: `client.activity.execute(name, options)`
//! (@temporalio/client >= 1.17), in the Temporal samples' Prettier style
//! (single quotes, 120 columns).
//!
//! By name: `'greet'` is the key of the Worker's activities object. The
//! retry policy key is `retry`, and durations are `ms`-style strings.

use crate::literal;
use crate::options::{
    PAUSE_REASON, Timeout, UNPAUSE_REASON, conflict_policy, durations, reuse_policy,
};
use crate::units::{duration_string, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::{ActivityConfig, RetryPolicy};

/// Prettier's print width in the Temporal TypeScript samples.
const PRINT_WIDTH: usize = 120;

pub(crate) fn duration(w: &mut Writer, ms: u64) {
    w.string(&literal::typescript(&duration_string(ms)));
}

pub(crate) fn timeout_key(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "startToCloseTimeout",
        Timeout::ScheduleToClose => "scheduleToCloseTimeout",
        Timeout::ScheduleToStart => "scheduleToStartTimeout",
        Timeout::Heartbeat => "heartbeatTimeout",
        Timeout::StartDelay => "startDelay",
    }
}

fn import(w: &mut Writer, names: &[&str]) {
    let one_line = format!(
        "import {{ {} }} from '@temporalio/client';",
        names.join(", ")
    );
    w.kw("import").plain(" {");
    if one_line.len() <= PRINT_WIDTH {
        w.plain(" ");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                w.plain(", ");
            }
            w.ty(name);
        }
        w.plain(" ");
    } else {
        w.nl();
        for name in names {
            w.plain("  ").ty(name).plain(",").nl();
        }
    }
    w.plain("} ")
        .kw("from")
        .plain(" ")
        .string("'@temporalio/client'");
    w.plain(";").nl().nl();
}

/// `retry: { ... },` at `indent`, its fields at `indent` + 2.
pub(crate) fn retry(w: &mut Writer, indent: &str, retry: &RetryPolicy) {
    let inner = format!("{indent}  ");
    w.plain(indent).plain("retry: {").nl();
    w.plain(&inner).plain("initialInterval: ");
    duration(w, retry.initial_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("backoffCoefficient: ");
    w.num(&float_literal(retry.backoff_coefficient))
        .plain(",")
        .nl();
    w.plain(&inner).plain("maximumInterval: ");
    duration(w, retry.maximum_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("maximumAttempts: ");
    w.num(&retry.maximum_attempts.to_string()).plain(",").nl();
    if !retry.non_retryable_error_types.is_empty() {
        w.plain(&inner).plain("nonRetryableErrorTypes: [");
        for (i, t) in retry.non_retryable_error_types.iter().enumerate() {
            if i > 0 {
                w.plain(", ");
            }
            w.string(&literal::typescript(t));
        }
        w.plain("],").nl();
    }
    w.plain(indent).plain("},").nl();
}

/// `const connection = await Connection.connect(...)` to the target's
/// address, then `const client = new Client(...)` for its namespace.
pub(crate) fn connect(w: &mut Writer, target: &Target) {
    w.plain("  ")
        .kw("const")
        .plain(" connection = ")
        .kw("await")
        .plain(" ");
    w.ty("Connection")
        .plain(".")
        .func("connect")
        .plain("({ address: ");
    w.string(&literal::typescript(&target.address))
        .plain(" });")
        .nl();
    w.plain("  ")
        .kw("const")
        .plain(" client = ")
        .kw("new")
        .plain(" ");
    w.ty("Client").plain("({ connection, namespace: ");
    w.string(&literal::typescript(&target.namespace))
        .plain(" });")
        .nl();
}

/// `run().catch(...)`: runs `run`, exiting 1 with the error if it throws.
pub(crate) fn run_main(w: &mut Writer) {
    w.func("run")
        .plain("().")
        .func("catch")
        .plain("((err) => {")
        .nl();
    w.plain("  console.").func("error").plain("(err);").nl();
    w.plain("  process.")
        .func("exit")
        .plain("(")
        .num("1")
        .plain(");")
        .nl();
    w.plain("});").nl();
}

/// `await handle.pause({ reason: '…' });`, then the line saying it is done.
fn operator_call(w: &mut Writer, method: &str, reason: &str, done: &str) {
    w.plain("  ").kw("await").plain(" handle.").func(method);
    w.plain("({ reason: ").string(&literal::typescript(reason));
    w.plain(" });").nl();
    w.plain("  console.").func("log").plain("(");
    w.string(&literal::typescript(done)).plain(");").nl();
}

/// The handle's `pause`, then `unpause` (@temporalio/client 1.24 tags both
/// `@experimental`).
fn pause_then_unpause(w: &mut Writer) {
    w.plain("  ")
        .comment("// @experimental in @temporalio/client: pause the run, then unpause it, before")
        .nl();
    w.plain("  ").comment("// waiting for its result.").nl();
    operator_call(w, "pause", PAUSE_REASON, "Paused");
    operator_call(w, "unpause", UNPAUSE_REASON, "Unpaused");
    w.plain("  ").kw("const").plain(" result = ").kw("await");
    w.plain(" handle.").func("result").plain("();").nl();
}

/// The complete TypeScript program; with `operator_calls`, it starts the
/// activity, pauses it, unpauses it, then waits for the result.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();

    let mut names = Vec::new();
    if conflict.is_some() {
        names.push("ActivityIdConflictPolicy");
    }
    if reuse.is_some() {
        names.push("ActivityIdReusePolicy");
    }
    names.extend(["Client", "Connection"]);
    import(&mut w, &names);

    w.kw("async function").plain(" ").func("run").plain("(): ");
    w.ty("Promise").plain("<").kw("void").plain("> {").nl();
    connect(&mut w, target);

    w.plain("  ")
        .comment("// Call the activity by its type name, with its one string argument.")
        .nl();
    let (name, call) = if operator_calls {
        (" handle = ", "start")
    } else {
        (" result = ", "execute")
    };
    w.plain("  ").kw("const").plain(name).kw("await");
    w.plain(" client.activity.")
        .func(call)
        .plain("<")
        .kw("string");
    w.plain(">(");
    w.string(&literal::typescript(Language::Typescript.activity_type()));
    w.plain(", {").nl();
    w.plain("    id: ")
        .string(&literal::typescript(&config.activity_id));
    w.plain(",").nl();
    w.plain("    taskQueue: ");
    w.string(&literal::typescript(&config.task_queue))
        .plain(",")
        .nl();
    w.plain("    args: [")
        .string(&literal::typescript(&config.input));
    w.plain("],").nl();
    for (t, ms) in durations(config) {
        w.plain("    ").plain(timeout_key(t)).plain(": ");
        duration(&mut w, ms);
        w.plain(",").nl();
    }

    retry(&mut w, "    ", &config.retry);
    if let Some(p) = reuse {
        w.plain("    idReusePolicy: ").ty("ActivityIdReusePolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain("    idConflictPolicy: ")
            .ty("ActivityIdConflictPolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    w.plain("  });").nl();
    if operator_calls {
        pause_then_unpause(&mut w);
    }
    w.plain("  console.").func("log").plain("(");
    w.string("`Result: ${result}`").plain(");").nl();
    w.plain("  ")
        .kw("await")
        .plain(" connection.")
        .func("close");
    w.plain("();").nl();
    w.plain("}").nl().nl();

    run_main(&mut w);
    w.finish()
}
