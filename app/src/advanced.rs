//! The "Advanced options" disclosure of the Configure Activity panel: the
//! optional Schedule-to-Start and Heartbeat timeouts, the retry policy (but
//! its attempt budget, which the Failure Simulation panel sets as "Max
//! retries") and the id reuse and conflict policies.

use leptos::prelude::*;
use proto::{Field, IdConflictPolicy, IdReusePolicy, Limits};

use crate::dom::El;
use crate::fields::{SelectField, TextField};
use crate::state::FormState;

/// The fields inside the disclosure: their errors must be visible elsewhere
/// while it is closed.
pub const ADVANCED_FIELDS: [Field; 6] = [
    Field::ScheduleToStartTimeout,
    Field::HeartbeatTimeout,
    Field::InitialInterval,
    Field::BackoffCoefficient,
    Field::MaximumInterval,
    Field::NonRetryableErrorTypes,
];

fn reuse_hint(policy: IdReusePolicy) -> &'static str {
    match policy {
        IdReusePolicy::AllowDuplicate => "Once a run closed, its id may start a new run.",
        IdReusePolicy::AllowDuplicateFailedOnly => {
            "Once a run closed, its id may start a new run only if it did not complete."
        }
        IdReusePolicy::RejectDuplicate => "An id starts one run, ever.",
    }
}

fn conflict_hint(policy: IdConflictPolicy) -> &'static str {
    match policy {
        IdConflictPolicy::Fail => "Starting an id whose run is still open is refused.",
        IdConflictPolicy::UseExisting => {
            "Starting an id whose run is still open returns that run instead."
        }
    }
}

/// The Advanced options disclosure, editing `form`.
pub fn advanced_options(form: FormState) -> El {
    let open = form.advanced_open;
    let problems = Memo::new(move |_| {
        form.draft
            .read()
            .errors
            .iter()
            .filter(|e| ADVANCED_FIELDS.contains(&e.field))
            .count()
    });
    let timeout_max = (Limits::MAX_TIMEOUT_MS / 1000).to_string();
    let interval_min = proto::decimal::seconds(Limits::MIN_INTERVAL_MS);
    let seconds = |field, id, label, testid, value| TextField::new(field, id, label, testid, value);
    let summary = El::new("summary")
        .text("Advanced options")
        .dyn_child(move || {
            let n = problems.get();
            (n > 0).then(|| {
                El::new("span").class("summary-problems").text(&if n == 1 {
                    "1 problem".to_owned()
                } else {
                    format!("{n} problems")
                })
            })
        });
    let timeouts = El::new("div")
        .class("grid-2 advanced-body")
        .child(
            seconds(
                Field::ScheduleToStartTimeout,
                "schedule-to-start",
                "Schedule-to-Start timeout (seconds)",
                "input-schedule-to-start",
                form.schedule_to_start_secs,
            )
            .number("1", "any")
            .max(timeout_max.clone())
            .placeholder("not set")
            .hint("How long the task may wait on the queue for a Worker. Empty: no limit.")
            .build(form),
        )
        .child(
            seconds(
                Field::HeartbeatTimeout,
                "heartbeat-timeout",
                "Heartbeat timeout (seconds)",
                "input-heartbeat",
                form.heartbeat_secs,
            )
            .number("1", "any")
            .max(timeout_max)
            .placeholder("not set")
            .hint("An attempt silent for longer is failed and retried. Empty: not checked.")
            .build(form),
        );
    let retry = El::new("div")
        .class("grid-2")
        .child(
            seconds(
                Field::InitialInterval,
                "initial-interval",
                "Initial interval (seconds)",
                "input-initial-interval",
                form.initial_interval_secs,
            )
            .number(interval_min.clone(), "any")
            .hint("Backoff before the first retry.")
            .build(form),
        )
        .child(
            seconds(
                Field::BackoffCoefficient,
                "backoff-coefficient",
                "Backoff coefficient",
                "input-backoff",
                form.backoff_coefficient,
            )
            .number("1", "any")
            .max(proto::decimal::shortest(Limits::MAX_BACKOFF_COEFFICIENT))
            .hint("Each backoff is the previous one times this.")
            .build(form),
        )
        .child(
            seconds(
                Field::MaximumInterval,
                "maximum-interval",
                "Maximum interval (seconds)",
                "input-max-interval",
                form.maximum_interval_secs,
            )
            .number(interval_min, "any")
            .hint("No backoff is longer.")
            .build(form),
        )
        .child(
            TextField::new(
                Field::NonRetryableErrorTypes,
                "non-retryable",
                "Non-retryable error types",
                "input-non-retryable",
                form.non_retryable,
            )
            .placeholder("none")
            .hint("Comma-separated; an error of one of these types ends the run at once.")
            .build(form),
        );
    let policies = El::new("div")
        .class("grid-2")
        .child(
            SelectField {
                id: "id-reuse",
                label: "ID reuse policy",
                testid: "select-id-reuse",
                value: form.id_reuse,
                options: &IdReusePolicy::ALL,
                slug: IdReusePolicy::cli_name,
                text: IdReusePolicy::cli_name,
                describe: Some(reuse_hint),
            }
            .build(None, None, false),
        )
        .child(
            SelectField {
                id: "id-conflict",
                label: "ID conflict policy",
                testid: "select-id-conflict",
                value: form.id_conflict,
                options: &IdConflictPolicy::ALL,
                slug: IdConflictPolicy::cli_name,
                text: IdConflictPolicy::cli_name,
                describe: Some(conflict_hint),
            }
            .build(None, None, false),
        );
    El::new("details")
        .class("advanced")
        .testid("advanced")
        .dyn_prop("open", move || open.get().into())
        .on("toggle", move |ev| {
            let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
            if now_open != open.get_untracked() {
                open.set(now_open);
            }
        })
        .child(summary)
        .child(timeouts)
        .child(
            El::new("fieldset")
                .class("fieldset")
                .markup("<legend>Retry policy</legend>")
                .child(retry)
                .markup(
                    "<p class=\"hint fieldset-note\">Max retries is set under Failure Simulation \
                     (maximum attempts = retries + 1).</p>",
                ),
        )
        .child(policies)
}
