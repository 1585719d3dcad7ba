//! The Python snippet: `Client.execute_activity` (temporalio >= 1.23), in
//! Black's and isort's style.
//!
//! The activity is called by name, `"compose_greeting"`, with one positional
//! argument and `result_type=str` (a name carries no return type).

use crate::literal;
use crate::options::{
    PAUSE_REASON, Timeout, UNPAUSE_REASON, conflict_policy, durations, reuse_policy,
};
use crate::units::{Dur, dur, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;

/// What the Python tab tells users about temporalio's known exit crash.
pub(crate) const EXIT_CRASH: &str = "temporalio 1.35 has a known bug (sdk-python#300): a short-lived \
    client process like this one sometimes crashes as Python exits, after it printed the \
    result (\"Fatal Python error: PyGILState_Release\" or a segmentation fault, exit by \
    SIGABRT or SIGSEGV). The activity ran and completed as shown; a script that checks this \
    program's exit status should check its output (or the run in Temporal) instead.";

/// Black's line length.
pub(crate) const LINE_LENGTH: usize = 88;

pub(crate) fn timedelta(w: &mut Writer, ms: u64) {
    w.ty("timedelta").plain("(");
    match dur(ms) {
        Dur::Secs(s) => w.plain("seconds=").num(&s.to_string()),
        Dur::Millis(m) => w.plain("milliseconds=").num(&m.to_string()),
    };
    w.plain(")");
}

pub(crate) fn timeout_keyword(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "start_to_close_timeout",
        Timeout::ScheduleToClose => "schedule_to_close_timeout",
        Timeout::ScheduleToStart => "schedule_to_start_timeout",
        Timeout::Heartbeat => "heartbeat_timeout",
        Timeout::StartDelay => "start_delay",
    }
}

/// `from temporalio.common import ...`, wrapped the way Black wraps it.
pub(crate) fn common_import(w: &mut Writer, names: &[&str]) {
    let one_line = format!("from temporalio.common import {}", names.join(", "));
    w.kw("from").plain(" temporalio.common ").kw("import");
    if one_line.len() <= LINE_LENGTH {
        w.plain(" ");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                w.plain(", ");
            }
            w.ty(name);
        }
        w.nl();
    } else {
        w.plain(" (").nl();
        for name in names {
            w.plain("    ").ty(name).plain(",").nl();
        }
        w.plain(")").nl();
    }
}

/// `retry_policy=RetryPolicy(...)`, its fields at `indent` + 4.
pub(crate) fn retry_policy(w: &mut Writer, indent: &str, config: &ActivityConfig) {
    let retry = &config.retry;
    let inner = format!("{indent}    ");
    w.plain(indent)
        .plain("retry_policy=")
        .ty("RetryPolicy")
        .plain("(")
        .nl();
    w.plain(&inner).plain("initial_interval=");
    timedelta(w, retry.initial_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("backoff_coefficient=");
    w.num(&float_literal(retry.backoff_coefficient))
        .plain(",")
        .nl();
    w.plain(&inner).plain("maximum_interval=");
    timedelta(w, retry.maximum_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("maximum_attempts=");
    w.num(&retry.maximum_attempts.to_string()).plain(",").nl();
    let types = &retry.non_retryable_error_types;
    if !types.is_empty() {
        let items: Vec<String> = types.iter().map(|t| literal::python(t)).collect();
        let flat = format!("{inner}non_retryable_error_types=[{}],", items.join(", "));
        w.plain(&inner).plain("non_retryable_error_types=[");
        if flat.chars().count() <= LINE_LENGTH {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.plain(", ");
                }
                w.string(item);
            }
        } else {
            w.nl();
            for item in &items {
                w.plain(&inner).plain("    ").string(item).plain(",").nl();
            }
            w.plain(&inner);
        }
        w.plain("],").nl();
    }
    w.plain(indent).plain("),").nl();
}

/// `await handle.pause(reason="…")`, then the line saying it is done.
fn operator_call(w: &mut Writer, method: &str, reason: &str, done: &str) {
    w.plain("    ").kw("await").plain(" handle.").func(method);
    w.plain("(reason=")
        .string(&literal::python(reason))
        .plain(")")
        .nl();
    w.plain("    ").func("print").plain("(");
    w.string(&literal::python(done)).plain(")").nl();
}

/// The handle's experimental `pause`, then `unpause` (temporalio 1.35
/// documents both as "This API is experimental.").
fn pause_then_unpause(w: &mut Writer) {
    w.plain("    ")
        .comment("# Experimental in temporalio (\"This API is experimental.\"): pause the run,")
        .nl();
    w.plain("    ")
        .comment("# then unpause it, before waiting for its result.")
        .nl();
    operator_call(w, "pause", PAUSE_REASON, "Paused");
    operator_call(w, "unpause", UNPAUSE_REASON, "Unpaused");
    w.plain("    result = ").kw("await").plain(" handle.");
    w.func("result").plain("()").nl();
}

/// `client = await Client.connect(...)` to the target, in `main`.
pub(crate) fn connect(w: &mut Writer, target: &Target) {
    w.plain("    client = ")
        .kw("await")
        .plain(" Client.")
        .func("connect");
    w.plain("(").string(&literal::python(&target.address));
    w.plain(", namespace=")
        .string(&literal::python(&target.namespace));
    w.plain(")").nl();
}

/// `print("Result:", result)` ending `main`, then the `__main__` guard that
/// runs it.
pub(crate) fn print_result_and_run(w: &mut Writer) {
    w.plain("    ")
        .func("print")
        .plain("(")
        .string("\"Result:\"");
    w.plain(", result)").nl().nl().nl();

    w.kw("if")
        .plain(" __name__ == ")
        .string("\"__main__\"")
        .plain(":")
        .nl();
    w.plain("    asyncio.")
        .func("run")
        .plain("(")
        .func("main")
        .plain("())");
    w.nl();
}

/// The complete Python program; with `operator_calls`, it starts the
/// activity, pauses it, unpauses it, then waits for the result.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();

    w.kw("import").plain(" asyncio").nl();
    w.kw("from")
        .plain(" datetime ")
        .kw("import")
        .plain(" ")
        .ty("timedelta");
    w.nl().nl();
    w.kw("from")
        .plain(" temporalio.client ")
        .kw("import")
        .plain(" ");
    w.ty("Client").nl();
    // isort order: alphabetical within the line.
    let mut names = Vec::new();
    if conflict.is_some() {
        names.push("ActivityIDConflictPolicy");
    }
    if reuse.is_some() {
        names.push("ActivityIDReusePolicy");
    }
    names.push("RetryPolicy");
    common_import(&mut w, &names);
    w.nl().nl();

    w.kw("async def")
        .plain(" ")
        .func("main")
        .plain("() -> ")
        .kw("None");
    w.plain(":").nl();
    connect(&mut w, target);
    w.plain("    ")
        .comment("# Call the activity by its type name, with its one string argument.")
        .nl();
    if operator_calls {
        w.plain("    handle = ").kw("await").plain(" client.");
        w.func("start_activity").plain("(").nl();
    } else {
        w.plain("    result = ").kw("await").plain(" client.");
        w.func("execute_activity").plain("(").nl();
    }
    let activity_type = Language::Python.activity_type();
    w.plain("        ")
        .string(&literal::python(activity_type))
        .plain(",")
        .nl();
    w.plain("        ")
        .string(&literal::python(&config.input))
        .plain(",")
        .nl();
    w.plain("        id=")
        .string(&literal::python(&config.activity_id));
    w.plain(",").nl();
    w.plain("        task_queue=");
    w.string(&literal::python(&config.task_queue))
        .plain(",")
        .nl();
    w.plain("        result_type=").ty("str").plain(",").nl();
    for (t, ms) in durations(config) {
        w.plain("        ").plain(timeout_keyword(t)).plain("=");
        timedelta(&mut w, ms);
        w.plain(",").nl();
    }

    retry_policy(&mut w, "        ", config);
    if let Some(p) = reuse {
        w.plain("        id_reuse_policy=")
            .ty("ActivityIDReusePolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain("        id_conflict_policy=")
            .ty("ActivityIDConflictPolicy");
        w.plain(".").plain(p.screaming()).plain(",").nl();
    }
    w.plain("    )").nl();
    if operator_calls {
        pause_then_unpause(&mut w);
    }
    print_result_and_run(&mut w);
    w.note(EXIT_CRASH);
    w.finish()
}
