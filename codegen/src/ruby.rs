//! The Ruby snippet: `Client#execute_activity` (temporalio gem >= 1.5), in
//! RuboCop's default style (single quotes, no trailing commas).
//!
//! By name: the gem accepts the type name string (`'ComposeGreeting'`, the
//! class name Ruby registers) in place of a definition class. Durations are
//! seconds (Integer or Float) and the retry fields are `max_interval` and
//! `max_attempts`, not `maximum_*`.

use crate::literal;
use crate::options::{
    PAUSE_REASON, Timeout, UNPAUSE_REASON, conflict_policy, durations, reuse_policy,
};
use crate::units::float_literal;
use crate::writer::Writer;
use crate::{Snippet, Target};
use proto::Language;
use proto::config::ActivityConfig;
use proto::decimal;

/// Writes one argument (without separator or line break).
pub(crate) type Arg<'a> = Box<dyn Fn(&mut Writer) + 'a>;

pub(crate) fn timeout_keyword(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "start_to_close_timeout",
        Timeout::ScheduleToClose => "schedule_to_close_timeout",
        Timeout::ScheduleToStart => "schedule_to_start_timeout",
        Timeout::Heartbeat => "heartbeat_timeout",
        Timeout::StartDelay => "start_delay",
    }
}

/// `key: value` where the value is seconds.
pub(crate) fn seconds<'a>(key: &'a str, ms: u64) -> Arg<'a> {
    Box::new(move |w: &mut Writer| {
        w.plain(key).plain(": ").num(&decimal::seconds(ms));
    })
}

/// One argument a line, commas between them only.
pub(crate) fn args(w: &mut Writer, indent: &str, args: &[Arg<'_>]) {
    for (i, arg) in args.iter().enumerate() {
        w.plain(indent);
        arg(w);
        if i + 1 < args.len() {
            w.plain(",");
        }
        w.nl();
    }
}

/// `retry_policy: Temporalio::RetryPolicy.new(...)`, its fields at `indent`
/// + 2, closing at `indent`.
pub(crate) fn retry_policy(w: &mut Writer, indent: &str, config: &ActivityConfig) {
    let retry = &config.retry;
    w.plain("retry_policy: ")
        .ty("Temporalio::RetryPolicy")
        .plain(".");
    w.func("new").plain("(").nl();
    let mut fields: Vec<Arg<'_>> = vec![
        seconds("initial_interval", retry.initial_interval_ms),
        Box::new(|w: &mut Writer| {
            w.plain("backoff_coefficient: ");
            w.num(&float_literal(retry.backoff_coefficient));
        }),
        seconds("max_interval", retry.maximum_interval_ms),
        Box::new(|w: &mut Writer| {
            w.plain("max_attempts: ");
            w.num(&retry.maximum_attempts.to_string());
        }),
    ];
    if !retry.non_retryable_error_types.is_empty() {
        fields.push(Box::new(|w: &mut Writer| {
            w.plain("non_retryable_error_types: [");
            for (i, t) in retry.non_retryable_error_types.iter().enumerate() {
                if i > 0 {
                    w.plain(", ");
                }
                w.string(&literal::ruby(t));
            }
            w.plain("]");
        }));
    }
    args(w, &format!("{indent}  "), &fields);
    w.plain(indent).plain(")");
}

/// `client = Temporalio::Client.connect(...)` to the target, and a blank
/// line.
pub(crate) fn connect(w: &mut Writer, target: &Target) {
    w.plain("client = ").ty("Temporalio::Client").plain(".");
    w.func("connect")
        .plain("(")
        .string(&literal::ruby(&target.address));
    w.plain(", ")
        .string(&literal::ruby(&target.namespace))
        .plain(")");
    w.nl().nl();
}

/// The input, then `id:` (the form's activity id) and `task_queue:`.
pub(crate) fn input_id_and_queue(config: &ActivityConfig) -> Vec<Arg<'_>> {
    vec![
        Box::new(|w: &mut Writer| {
            w.string(&literal::ruby(&config.input));
        }),
        Box::new(|w: &mut Writer| {
            w.plain("id: ").string(&literal::ruby(&config.activity_id));
        }),
        Box::new(|w: &mut Writer| {
            w.plain("task_queue: ");
            w.string(&literal::ruby(&config.task_queue));
        }),
    ]
}

/// `id_reuse_policy:` and `id_conflict_policy:` where the form sets them, as
/// `Temporalio::<kind>IDReusePolicy::…` (`kind` is `Activity` or `Workflow`).
pub(crate) fn id_policies<'a>(config: &ActivityConfig, kind: &'a str) -> Vec<Arg<'a>> {
    let mut policies: Vec<Arg<'a>> = Vec::new();
    if let Some(p) = reuse_policy(config) {
        policies.push(Box::new(move |w: &mut Writer| {
            w.plain("id_reuse_policy: ");
            w.ty(&format!("Temporalio::{kind}IDReusePolicy"))
                .plain("::");
            w.plain(p.screaming());
        }));
    }
    if let Some(p) = conflict_policy(config) {
        policies.push(Box::new(move |w: &mut Writer| {
            w.plain("id_conflict_policy: ");
            w.ty(&format!("Temporalio::{kind}IDConflictPolicy"))
                .plain("::");
            w.plain(p.screaming());
        }));
    }
    policies
}

/// The handle's `pause(reason)` and `unpause(reason:)` (sdk-ruby#575; the
/// gem warns "Standalone Activities are experimental."), then the result.
fn pause_then_unpause(w: &mut Writer) {
    w.comment(
        "# Experimental in the temporalio gem (\"Standalone Activities are experimental.\"):",
    )
    .nl();
    w.comment("# pause the run, then unpause it, before waiting for its result.")
        .nl();
    w.plain("handle.").func("pause").plain("(");
    w.string(&literal::ruby(PAUSE_REASON)).plain(")").nl();
    w.func("puts").plain(" ").string("'Paused'").nl();
    w.plain("handle.").func("unpause").plain("(reason: ");
    w.string(&literal::ruby(UNPAUSE_REASON)).plain(")").nl();
    w.func("puts").plain(" ").string("'Unpaused'").nl();
    w.plain("result = handle.").func("result").nl();
}

/// The complete Ruby program; with `operator_calls`, it starts the
/// activity, pauses it, unpauses it, then waits for the result.
pub(crate) fn snippet(config: &ActivityConfig, target: &Target, operator_calls: bool) -> Snippet {
    let mut w = Writer::new();
    w.func("require")
        .plain(" ")
        .string("'temporalio/client'")
        .nl()
        .nl();
    connect(&mut w, target);

    let mut call: Vec<Arg<'_>> = vec![Box::new(|w: &mut Writer| {
        w.string(&literal::ruby(Language::Ruby.activity_type()));
    })];
    call.extend(input_id_and_queue(config));
    for (t, ms) in durations(config) {
        call.push(seconds(timeout_keyword(t), ms));
    }
    call.push(Box::new(|w: &mut Writer| retry_policy(w, "  ", config)));
    call.extend(id_policies(config, "Activity"));
    w.comment("# Call the activity by its type name, with its one string argument.")
        .nl();
    let (name, method) = if operator_calls {
        ("handle", "start_activity")
    } else {
        ("result", "execute_activity")
    };
    w.plain(name)
        .plain(" = client.")
        .func(method)
        .plain("(")
        .nl();
    args(&mut w, "  ", &call);
    w.plain(")").nl();
    if operator_calls {
        pause_then_unpause(&mut w);
    }
    w.func("puts")
        .plain(" ")
        .string("\"Result: #{result}\"")
        .nl();
    w.finish()
}
