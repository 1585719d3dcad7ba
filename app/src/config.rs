//! The Configure Activity panel: id, task queue, input and the main timeout,
//! with the other options behind an "Advanced options" disclosure.

use proto::{Field, Limits, TimeoutKind};

use crate::advanced::advanced_options;
use crate::dom::El;
use crate::fields::{SelectField, TextField};
use crate::state::FormState;

fn timeout_hint(kind: TimeoutKind) -> &'static str {
    match kind {
        TimeoutKind::StartToClose => {
            "Bounds each attempt; the server retries an attempt that runs longer."
        }
        TimeoutKind::ScheduleToClose => "Bounds the whole run, every attempt and backoff included.",
    }
}

/// The Configure Activity panel, editing `form`.
pub fn config_panel(form: FormState) -> El {
    let timeout = |n: u64| (n / 1000).to_string();
    El::new("section")
        .class("panel")
        .attr("aria-labelledby", "config-title")
        .markup(r#"<h2 id="config-title">Configure Activity</h2>"#)
        .child(
            El::new("div")
                .class("grid-2")
                .child(
                    TextField::new(
                        Field::ActivityId,
                        "activity-id",
                        "Activity ID",
                        "input-activity-id",
                        form.activity_id,
                    )
                    .hint("Unique among open runs; starting it again while it runs is rejected.")
                    .build(form),
                )
                .child(
                    TextField::new(
                        Field::TaskQueue,
                        "task-queue",
                        "Task Queue",
                        "input-task-queue",
                        form.task_queue,
                    )
                    .hint("The demo's Worker polls any queue you name.")
                    .build(form),
                )
                .child(
                    TextField::new(
                        Field::Input,
                        "input-name",
                        "Input (name)",
                        "input-name",
                        form.input,
                    )
                    .build(form),
                )
                .child(
                    TextField::new(
                        Field::Timeout,
                        "timeout",
                        "Timeout (seconds)",
                        "input-timeout",
                        form.timeout_secs,
                    )
                    .number(timeout(Limits::MIN_TIMEOUT_MS), "any")
                    .max(timeout(Limits::MAX_TIMEOUT_MS))
                    .build(form),
                )
                .child(
                    SelectField {
                        id: "timeout-kind",
                        label: "Timeout Type",
                        testid: "select-timeout-kind",
                        value: form.timeout_kind,
                        options: &TimeoutKind::ALL,
                        slug: TimeoutKind::slug,
                        text: TimeoutKind::label,
                        describe: Some(timeout_hint),
                    }
                    .build(None, None, false),
                ),
        )
        .child(advanced_options(form))
}
