//! The Failure Simulation panel: what the Worker really does wrong for the
//! next run (with the one number the misbehaviour takes), the retry budget,
//! and the forecast of how the run will end. Picking a scenario that needs
//! another setting fills it in and says so.

use leptos::prelude::*;
use proto::forecast::forecast;
use proto::{Field, Limits, RunStatus};

use crate::draft::InputsStoreFields;
use crate::draft::{ScenarioInput, ScenarioKind};
use crate::fields::{SelectField, TextField};
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

/// The Failure Simulation panel.
#[component]
pub fn FailurePanel(
    /// The form it edits.
    form: FormState,
    /// The runs so far (their task queues are in use).
    session: Session,
) -> impl IntoView {
    let simulate = form.inputs.simulate();
    let kind = form.inputs.scenario_kind();
    let help = move || form.help_with_scenario(&session.used_queues());
    let prediction = Memo::new(move |_| {
        let draft = form.draft.read();
        let f = forecast(&draft.request.config, draft.request.scenario);
        (f.outcome, f.text)
    });
    let off = Signal::derive(move || !simulate.get());
    let number = move || {
        let k = kind.get();
        match k.input() {
            ScenarioInput::None => ().into_any(),
            ScenarioInput::Attempts => view! {
                <TextField
                    form=form
                    field=Field::FailAttempts
                    id="fail-attempts"
                    label=number_label(k)
                    testid="fail-attempts"
                    value=form.inputs.fail_attempts()
                    input_type="number"
                    min="1"
                    max=Limits::MAX_ATTEMPTS.to_string()
                    step="1"
                    disabled=off
                />
            }
            .into_any(),
            ScenarioInput::Seconds => view! {
                <TextField
                    form=form
                    field=Field::ScenarioSeconds
                    id="scenario-seconds"
                    label=number_label(k)
                    testid="scenario-seconds"
                    value=form.inputs.scenario_seconds()
                    input_type="number"
                    min="1"
                    max=Limits::MAX_SCENARIO_SECONDS.to_string()
                    step="1"
                    disabled=off
                />
            }
            .into_any(),
        }
    };
    view! {
        <section class="panel" aria-labelledby="failure-title">
            <h2 id="failure-title">"Failure Simulation"</h2>
            <div class="check">
                <input
                    type="checkbox"
                    id="simulate-failures"
                    name="simulate-failures"
                    data-testid="simulate-failures"
                    prop:checked=move || simulate.get()
                    on:change=move |ev| {
                        simulate.set(event_target_checked(&ev));
                        help();
                    }
                />
                <label for="simulate-failures">"Simulate failures"</label>
            </div>
            <div class="grid-2">
                <SelectField
                    id="scenario-kind"
                    label="Failure mode"
                    testid="scenario-kind"
                    value=kind
                    options=&ScenarioKind::ALL
                    slug=ScenarioKind::slug
                    text=ScenarioKind::label
                    describe=kind_hint
                    disabled=off
                    on_change=Callback::new(move |_| help())
                    wide=true
                />
                {number}
                <TextField
                    form=form
                    field=Field::MaximumAttempts
                    id="max-retries"
                    label="Max retries"
                    testid="max-retries"
                    value=form.inputs.max_retries()
                    input_type="number"
                    min="0"
                    max=(Limits::MAX_ATTEMPTS - 1).to_string()
                    step="1"
                    hint="Retries after the first attempt (maximum attempts = retries + 1)."
                />
            </div>
            <div role="status" aria-live="polite">
                {move || {
                    form.current_note()
                        .map(|note| {
                            view! {
                                <p class="scenario-note" data-testid="scenario-note">
                                    {note}
                                </p>
                            }
                        })
                }}
            </div>
            <p
                class=move || match prediction.read().0 {
                    RunStatus::Completed => "forecast ok",
                    _ => "forecast bad",
                }
                data-testid="forecast"
                aria-live="polite"
            >
                <span class="forecast-label">"Forecast: "</span>
                {move || prediction.read().1.clone()}
            </p>
        </section>
    }
}
