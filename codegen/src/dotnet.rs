//! The .NET snippet: top-level C# statements calling the by-name overload
//! `ExecuteActivityAsync<TResult>(string activity, IReadOnlyCollection<object?>
//! args, StartActivityOptions options)` (Temporalio >= 1.12).
//!
//! By name, so no activity class is needed: `"ComposeGreeting"` is what .NET
//! registers `ComposeGreetingAsync` under. `MaximumAttempts` lives inside
//! `RetryPolicy` (putting it on the options does not compile, the docs demo's
//! second defect) and `BackoffCoefficient` is a `float`, hence the `F`.

use crate::literal;
use crate::options::{Timeout, conflict_policy, durations, reuse_policy};
use crate::units::{Dur, dur, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::{ActivityConfig, RetryPolicy};

pub(crate) fn timespan(w: &mut Writer, ms: u64) {
    w.ty("TimeSpan").plain(".");
    let n = match dur(ms) {
        Dur::Secs(s) => {
            w.func("FromSeconds");
            s
        }
        Dur::Millis(m) => {
            w.func("FromMilliseconds");
            m
        }
    };
    w.plain("(").num(&n.to_string()).plain(")");
}

pub(crate) fn timeout_property(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "StartToCloseTimeout",
        Timeout::ScheduleToClose => "ScheduleToCloseTimeout",
        Timeout::ScheduleToStart => "ScheduleToStartTimeout",
        Timeout::Heartbeat => "HeartbeatTimeout",
        Timeout::StartDelay => "StartDelay",
    }
}

/// `RetryPolicy = new RetryPolicy { ... },` at `indent`, its properties at
/// `indent` + 4.
pub(crate) fn retry_policy(w: &mut Writer, indent: &str, retry: &RetryPolicy) {
    let inner = format!("{indent}    ");
    w.plain(indent).plain("RetryPolicy = ").kw("new").plain(" ");
    w.ty("RetryPolicy").nl();
    w.plain(indent).plain("{").nl();
    w.plain(&inner).plain("InitialInterval = ");
    timespan(w, retry.initial_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("BackoffCoefficient = ");
    w.num(&format!("{}F", float_literal(retry.backoff_coefficient)));
    w.plain(",").nl();
    w.plain(&inner).plain("MaximumInterval = ");
    timespan(w, retry.maximum_interval_ms);
    w.plain(",").nl();
    w.plain(&inner).plain("MaximumAttempts = ");
    w.num(&retry.maximum_attempts.to_string()).plain(",").nl();
    if !retry.non_retryable_error_types.is_empty() {
        w.plain(&inner).plain("NonRetryableErrorTypes = ").kw("new");
        w.plain("[] { ");
        for (i, t) in retry.non_retryable_error_types.iter().enumerate() {
            if i > 0 {
                w.plain(", ");
            }
            w.string(&literal::csharp(t));
        }
        w.plain(" },").nl();
    }
    w.plain(indent).plain("},").nl();
}

/// `var client = await TemporalClient.ConnectAsync(...)` to the target, and
/// a blank line.
pub(crate) fn connect(w: &mut Writer, target: &Target) {
    w.kw("var").plain(" client = ").kw("await").plain(" ");
    w.ty("TemporalClient")
        .plain(".")
        .func("ConnectAsync")
        .plain("(")
        .nl();
    w.plain("    ")
        .kw("new")
        .plain(" ")
        .ty("TemporalClientConnectOptions");
    w.plain("(")
        .string(&literal::csharp(&target.address))
        .plain(")");
    w.plain(" { Namespace = ")
        .string(&literal::csharp(&target.namespace));
    w.plain(" });").nl().nl();
}

/// The complete C# program (a console project's `Program.cs`); with
/// `operator_calls`, a comment says why it does not pause and unpause the
/// run: the SDK has no such methods yet.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let reuse = reuse_policy(config);
    let conflict = conflict_policy(config);
    let mut w = Writer::new();

    w.kw("using").plain(" System;").nl();
    if reuse.is_some() || conflict.is_some() {
        w.kw("using").plain(" Temporalio.Api.Enums.V1;").nl();
    }
    w.kw("using").plain(" Temporalio.Client;").nl();
    w.kw("using").plain(" Temporalio.Common;").nl().nl();

    connect(&mut w, target);

    if operator_calls {
        w.comment("// Temporalio for .NET has no pause or unpause on an activity handle yet")
            .nl();
        w.comment("// (sdk-dotnet#706): pause and unpause this run with the CLI commands instead.")
            .nl();
    }
    w.comment("// Call the activity by its type name, with its one string argument.")
        .nl();
    w.kw("var")
        .plain(" result = ")
        .kw("await")
        .plain(" client.");
    w.func("ExecuteActivityAsync")
        .plain("<")
        .kw("string")
        .plain(">(")
        .nl();
    let activity_type = Language::Dotnet.activity_type();
    w.plain("    ")
        .string(&literal::csharp(activity_type))
        .plain(",")
        .nl();
    w.plain("    ")
        .kw("new")
        .plain(" ")
        .kw("object")
        .plain("?[] { ");
    w.string(&literal::csharp(&config.input)).plain(" },").nl();
    w.plain("    ")
        .kw("new")
        .plain(" ")
        .ty("StartActivityOptions")
        .plain("(");
    w.string(&literal::csharp(&config.activity_id)).plain(", ");
    w.string(&literal::csharp(&config.task_queue))
        .plain(")")
        .nl();
    w.plain("    {").nl();
    for (t, ms) in durations(config) {
        w.plain("        ").plain(timeout_property(t)).plain(" = ");
        timespan(&mut w, ms);
        w.plain(",").nl();
    }

    retry_policy(&mut w, "        ", &config.retry);
    if let Some(p) = reuse {
        // The proto enums' C# names are the CLI spellings.
        w.plain("        IdReusePolicy = ")
            .ty("ActivityIdReusePolicy");
        w.plain(".").plain(p.cli_name()).plain(",").nl();
    }
    if let Some(p) = conflict {
        w.plain("        IdConflictPolicy = ")
            .ty("ActivityIdConflictPolicy");
        w.plain(".").plain(p.cli_name()).plain(",").nl();
    }
    w.plain("    });").nl();
    w.ty("Console").plain(".").func("WriteLine").plain("(");
    w.string("$\"Result: {result}\"").plain(");").nl();
    w.finish()
}
