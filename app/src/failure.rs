//! The Failure Simulation panel: what the Worker really does wrong for the
//! next run (with the one number the misbehaviour takes), the retry budget,
//! and the forecast of how the run will end. Picking a scenario that needs
//! another setting fills it in and says so.

use leptos::prelude::*;
use proto::forecast::forecast;
use proto::{Field, Limits, RunStatus};

use crate::dom::El;
use crate::draft::{ScenarioInput, ScenarioKind};
use crate::fields::{SelectField, TextField, checkbox};
use crate::session::Session;
use crate::state::FormState;

/// What a scenario does, under the select.
fn kind_hint(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::FailFirst => {
            "The Worker's code throws a retryable error on the first N attempts; the server \
             retries them with backoff."
        }
        ScenarioKind::NonRetryable => {
            "The Worker's code throws InvalidNameError, marked non-retryable: the server does \
             not retry."
        }
        ScenarioKind::TooSlow => {
            "The first N attempts run past the Start-to-Close timeout; the server times them out \
             and retries."
        }
        ScenarioKind::Crash => {
            "The first N attempts heartbeat, then go silent like a dead process; the heartbeat \
             timeout catches it and the retry resumes from the last heartbeat."
        }
        ScenarioKind::LongRunning => {
            "Each attempt works this long, heartbeating its progress: cancel or terminate it \
             from the Result panel."
        }
        ScenarioKind::Outage => {
            "No Worker polls the run's task queue this long; the task waits durably on the \
             queue until one does."
        }
    }
}

/// The label of the number a scenario takes.
fn number_label(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::TooSlow => "Too slow on the first N attempts",
        ScenarioKind::Crash => "Crash on the first N attempts",
        ScenarioKind::LongRunning => "Work for (seconds)",
        ScenarioKind::Outage => "Worker away for (seconds)",
        ScenarioKind::FailFirst | ScenarioKind::NonRetryable => "Fail on the first N attempts",
    }
}

/// The Failure Simulation panel, editing `form`; `session`'s runs tell
/// which task queues are in use.
pub fn failure_panel(form: FormState, session: Session) -> El {
    let simulate = form.simulate;
    let kind = form.scenario_kind;
    let help = move || form.help_with_scenario(&session.used_queues());
    let prediction = Memo::new(move |_| {
        let draft = form.draft.read();
        let f = forecast(&draft.request.config, draft.request.scenario);
        (f.outcome, f.text)
    });
    let off = Signal::derive(move || !simulate.get());
    let number = move || {
        let k = kind.get();
        let field = match k.input() {
            ScenarioInput::None => return None,
            ScenarioInput::Attempts => TextField::new(
                Field::FailAttempts,
                "fail-attempts",
                number_label(k),
                "fail-attempts",
                form.fail_attempts,
            )
            .number("1", "1")
            .max(Limits::MAX_ATTEMPTS.to_string()),
            ScenarioInput::Seconds => TextField::new(
                Field::ScenarioSeconds,
                "scenario-seconds",
                number_label(k),
                "scenario-seconds",
                form.scenario_seconds,
            )
            .number("1", "1")
            .max(Limits::MAX_SCENARIO_SECONDS.to_string()),
        };
        Some(field.disabled(off).build(form))
    };
    let grid = El::new("div")
        .class("grid-2")
        .child(
            SelectField {
                id: "scenario-kind",
                label: "Failure mode",
                testid: "scenario-kind",
                value: kind,
                options: &ScenarioKind::ALL,
                slug: ScenarioKind::slug,
                text: ScenarioKind::label,
                describe: Some(kind_hint),
            }
            .build(Some(off), Some(Box::new(move |_| help())), true),
        )
        .dyn_child(number)
        .child(
            TextField::new(
                Field::MaximumAttempts,
                "max-retries",
                "Max retries",
                "max-retries",
                form.max_retries,
            )
            .number("0", "1")
            .max((Limits::MAX_ATTEMPTS - 1).to_string())
            .hint("Retries after the first attempt (maximum attempts = retries + 1).")
            .build(form),
        );
    El::new("section")
        .class("panel")
        .attr("aria-labelledby", "failure-title")
        .markup(r#"<h2 id="failure-title">Failure Simulation</h2>"#)
        .child(
            El::new("div")
                .class("check")
                .child(
                    checkbox(simulate, help)
                        .attr("id", "simulate-failures")
                        .attr("name", "simulate-failures")
                        .testid("simulate-failures"),
                )
                .markup(r#"<label for="simulate-failures">Simulate failures</label>"#),
        )
        .child(grid)
        .child(
            El::new("div")
                .attr("role", "status")
                .attr("aria-live", "polite")
                .dyn_child(move || {
                    form.current_note().map(|note| {
                        El::new("p")
                            .class("scenario-note")
                            .testid("scenario-note")
                            .text(&note)
                    })
                }),
        )
        .child(
            El::new("p")
                .dyn_attr("class", move || {
                    Some(
                        match prediction.read().0 {
                            RunStatus::Completed => "forecast ok",
                            _ => "forecast bad",
                        }
                        .to_owned(),
                    )
                })
                .testid("forecast")
                .attr("aria-live", "polite")
                .markup(r#"<span class="forecast-label">Forecast: </span>"#)
                .dyn_text(move || prediction.read().1.clone()),
        )
}
