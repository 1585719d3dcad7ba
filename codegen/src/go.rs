//! The Go snippet: `client.ExecuteActivity` with `client.StartActivityOptions`
//! (go.temporal.io/sdk >= v1.41), laid out as gofmt would, under a context
//! whose deadline bounds the wait for a Worker.
//!
//! The activity is passed by name (`"Activity"`, the short name Go registers
//! `helloworld.Activity` under) with exactly one argument: the demo's Worker
//! decodes a single string, and a second argument fails at run time (the
//! docs demo's first defect).

use crate::literal;
use crate::options::{
    PAUSE_REASON, Timeout, UNPAUSE_REASON, conflict_policy, durations, reuse_policy,
};
use crate::units::{Dur, dur, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::{ActivityConfig, RetryPolicy};

/// A struct field value.
pub(crate) enum Val {
    /// A string literal (unescaped).
    Str(String),
    /// A `time.Duration` in milliseconds.
    Dur(u64),
    /// A float64.
    Float(f64),
    /// An integer.
    Int(u32),
    /// An `enumspb` constant.
    Enum(String),
    /// A `[]string` literal.
    Strs(Vec<String>),
}

pub(crate) fn value(w: &mut Writer, v: &Val) {
    match v {
        Val::Str(s) => {
            w.string(&literal::go(s));
        }
        Val::Dur(ms) => match dur(*ms) {
            Dur::Secs(1) => {
                w.plain("time.Second");
            }
            Dur::Secs(n) => {
                w.num(&n.to_string()).plain(" * time.Second");
            }
            Dur::Millis(n) => {
                w.num(&n.to_string()).plain(" * time.Millisecond");
            }
        },
        Val::Float(f) => {
            w.num(&float_literal(*f));
        }
        Val::Int(n) => {
            w.num(&n.to_string());
        }
        Val::Enum(name) => {
            w.plain("enumspb.").plain(name);
        }
        Val::Strs(items) => {
            w.plain("[]").ty("string").plain("{");
            for (i, s) in items.iter().enumerate() {
                if i > 0 {
                    w.plain(", ");
                }
                w.string(&literal::go(s));
            }
            w.plain("}");
        }
    }
}

/// Consecutive single-line `Key: value,` lines, values aligned in one column
/// as gofmt aligns them.
pub(crate) fn fields(w: &mut Writer, indent: &str, entries: &[(&str, Val)]) {
    let width = entries.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, v) in entries {
        w.plain(indent).plain(key).plain(":");
        w.plain(&" ".repeat(width - key.len() + 1));
        value(w, v);
        w.plain(",").nl();
    }
}

pub(crate) fn timeout_field(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "StartToCloseTimeout",
        Timeout::ScheduleToClose => "ScheduleToCloseTimeout",
        Timeout::ScheduleToStart => "ScheduleToStartTimeout",
        Timeout::Heartbeat => "HeartbeatTimeout",
        Timeout::StartDelay => "StartDelay",
    }
}

/// `package main` and the imports: the standard library's, `enumspb` when an
/// id policy needs it, then the `go.temporal.io/sdk/…` packages in `sdk`.
pub(crate) fn header(w: &mut Writer, needs_enums: bool, sdk: &[&str]) {
    w.kw("package").plain(" main").nl().nl();
    w.kw("import").plain(" (").nl();
    for std in ["context", "fmt", "log", "time"] {
        w.plain("\t").string(&literal::go(std)).nl();
    }
    w.nl();
    if needs_enums {
        w.plain("\tenumspb ")
            .string("\"go.temporal.io/api/enums/v1\"")
            .nl();
    }
    for package in sdk {
        w.plain("\t")
            .string(&format!("\"go.temporal.io/sdk/{package}\""))
            .nl();
    }
    w.plain(")").nl().nl();
}

pub(crate) fn fatal_on_err(w: &mut Writer, message: &str) {
    w.plain("\t")
        .kw("if")
        .plain(" err != ")
        .kw("nil")
        .plain(" {")
        .nl();
    w.plain("\t\tlog.").func("Fatalln").plain("(");
    w.string(&literal::go(message)).plain(", err)").nl();
    w.plain("\t}").nl();
}

/// `c, err := client.Dial(...)` to the target, the check, `defer c.Close()`
/// and a blank line.
pub(crate) fn dial(w: &mut Writer, target: &Target) {
    w.plain("\tc, err := client.")
        .func("Dial")
        .plain("(client.");
    w.ty("Options").plain("{").nl();
    fields(
        w,
        "\t\t",
        &[
            ("HostPort", Val::Str(target.address.clone())),
            ("Namespace", Val::Str(target.namespace.clone())),
        ],
    );
    w.plain("\t})").nl();
    fatal_on_err(w, "Unable to create client:");
    w.plain("\t")
        .kw("defer")
        .plain(" c.")
        .func("Close")
        .plain("()")
        .nl()
        .nl();
}

/// The `RetryPolicy: &temporal.RetryPolicy{...},` field, two tabs in.
/// Multi-line, so gofmt gives it a column of its own.
pub(crate) fn retry_policy(w: &mut Writer, retry: &RetryPolicy) {
    w.plain("\t\tRetryPolicy: &temporal.")
        .ty("RetryPolicy")
        .plain("{")
        .nl();
    let mut policy = vec![
        ("InitialInterval", Val::Dur(retry.initial_interval_ms)),
        ("BackoffCoefficient", Val::Float(retry.backoff_coefficient)),
        ("MaximumInterval", Val::Dur(retry.maximum_interval_ms)),
        ("MaximumAttempts", Val::Int(retry.maximum_attempts)),
    ];
    if !retry.non_retryable_error_types.is_empty() {
        policy.push((
            "NonRetryableErrorTypes",
            Val::Strs(retry.non_retryable_error_types.clone()),
        ));
    }
    fields(w, "\t\t\t", &policy);
    w.plain("\t\t},").nl();
}

/// `ctx, cancel := context.WithTimeout(...)` for the longest the run can
/// take plus a minute, then `defer cancel()`.
pub(crate) fn deadline(w: &mut Writer, config: &ActivityConfig) {
    w.plain("\tctx, cancel := context.")
        .func("WithTimeout")
        .plain("(context.")
        .func("Background")
        .plain("(), ");
    value(w, &Val::Dur(crate::run_deadline_ms(config)));
    w.plain(")").nl();
    w.plain("\t")
        .kw("defer")
        .plain(" ")
        .func("cancel")
        .plain("()")
        .nl();
}

/// `var result string`, `handle.Get(ctx, &result)` on `handle` (failing
/// with `failed`), then the line printing the result.
pub(crate) fn wait_for_result(w: &mut Writer, handle: &str, failed: &str) {
    w.plain("\t").kw("var").plain(" result ").ty("string").nl();
    w.plain("\t")
        .kw("if")
        .plain(" err := ")
        .plain(handle)
        .plain(".")
        .func("Get");
    w.plain("(ctx, &result); err != ")
        .kw("nil")
        .plain(" {")
        .nl();
    w.plain("\t\tlog.").func("Fatalln").plain("(");
    w.string(&literal::go(failed)).plain(", err)").nl();
    w.plain("\t}").nl();
    w.plain("\tfmt.").func("Println").plain("(");
    w.string("\"Result:\"").plain(", result)").nl();
}

/// `if err := handle.Method(ctx, client.Options{Reason: "…"}); err != nil`,
/// then the line saying it is done.
fn operator_call(w: &mut Writer, method: &str, options: &str, reason: &str, done: &str) {
    w.plain("\t").kw("if").plain(" err := handle.").func(method);
    w.plain("(ctx, client.").ty(options).plain("{Reason: ");
    w.string(&literal::go(reason))
        .plain("}); err != ")
        .kw("nil");
    w.plain(" {").nl();
    w.plain("\t\tlog.").func("Fatalln").plain("(");
    let message = format!("Unable to {} activity:", method.to_lowercase());
    w.string(&literal::go(&message)).plain(", err)").nl();
    w.plain("\t}").nl();
    w.plain("\tfmt.").func("Println").plain("(");
    w.string(&literal::go(done)).plain(")").nl();
}

/// The handle's experimental Pause, then Unpause (go.temporal.io/sdk
/// v1.51; the SDK marks both `NOTE: Experimental`).
fn pause_then_unpause(w: &mut Writer) {
    w.plain("\t")
        .comment("// Experimental in go.temporal.io/sdk (\"NOTE: Experimental\"): pause the run,")
        .nl();
    w.plain("\t")
        .comment("// then unpause it, before waiting for its result.")
        .nl();
    operator_call(w, "Pause", "PauseActivityOptions", PAUSE_REASON, "Paused");
    operator_call(
        w,
        "Unpause",
        "UnpauseActivityOptions",
        UNPAUSE_REASON,
        "Unpaused",
    );
    w.nl();
}

/// The complete Go program; with `operator_calls`, it pauses the run, then
/// unpauses it, before it waits for the result.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();
    header(
        &mut w,
        reuse.is_some() || conflict.is_some(),
        &["client", "temporal"],
    );

    w.kw("func").plain(" ").func("main").plain("() {").nl();
    dial(&mut w, target);

    // The run's timeouts do not bound the wait for a Worker (see
    // `notes::waiting`): the context does.
    w.plain("\t")
        .comment("// Nothing in the options bounds the wait for a Worker: give up after the")
        .nl();
    w.plain("\t")
        .comment("// longest the run can take, plus a minute.")
        .nl();
    deadline(&mut w, config);
    w.plain("\t")
        .comment("// Call the activity by its type name, with its one string argument.")
        .nl();
    w.plain("\thandle, err := c.").func("ExecuteActivity");
    w.plain("(ctx, client.")
        .ty("StartActivityOptions")
        .plain("{")
        .nl();
    let mut head = vec![
        ("ID", Val::Str(config.activity_id.clone())),
        ("TaskQueue", Val::Str(config.task_queue.clone())),
    ];
    for (t, ms) in durations(config) {
        head.push((timeout_field(t), Val::Dur(ms)));
    }
    fields(&mut w, "\t\t", &head);

    retry_policy(&mut w, &config.retry);

    let mut tail = Vec::new();
    if let Some(p) = reuse {
        let name = format!("ACTIVITY_ID_REUSE_POLICY_{}", p.screaming());
        tail.push(("ActivityIDReusePolicy", Val::Enum(name)));
    }
    if let Some(p) = conflict {
        let name = format!("ACTIVITY_ID_CONFLICT_POLICY_{}", p.screaming());
        tail.push(("ActivityIDConflictPolicy", Val::Enum(name)));
    }
    fields(&mut w, "\t\t", &tail);
    w.plain("\t}, ")
        .string(&literal::go(Language::Go.activity_type()));
    w.plain(", ")
        .string(&literal::go(&config.input))
        .plain(")")
        .nl();
    fatal_on_err(&mut w, "Unable to execute activity:");
    w.nl();
    if operator_calls {
        pause_then_unpause(&mut w);
    }

    wait_for_result(&mut w, "handle", "Activity failed:");
    w.plain("}").nl();
    w.finish()
}
