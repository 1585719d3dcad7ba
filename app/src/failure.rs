//! The Failure Simulation panel: what the Worker really does wrong for the
//! next run, the retry budget, and the forecast of how the run will end.

use leptos::prelude::*;
use proto::forecast::forecast;
use proto::{Field, Limits, RunStatus};

use crate::fields::TextField;
use crate::state::{FormState, ScenarioKind};

/// The Failure Simulation panel.
#[component]
pub fn FailurePanel(
    /// The form it edits.
    form: FormState,
) -> impl IntoView {
    let simulate = form.simulate;
    let kind = form.scenario_kind;
    let prediction = Memo::new(move |_| {
        let draft = form.draft.read();
        let f = forecast(&draft.request.config, draft.request.scenario);
        (f.outcome, f.text)
    });
    let outcome_class = move || {
        let class = match prediction.read().0 {
            RunStatus::Completed => "forecast ok",
            _ => "forecast bad",
        };
        class.to_owned()
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
                    on:change=move |ev| simulate.set(event_target_checked(&ev))
                />
                <label for="simulate-failures">"Simulate failures"</label>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="scenario-kind">"Failure mode"</label>
                    <select
                        id="scenario-kind"
                        name="scenario-kind"
                        data-testid="scenario-kind"
                        disabled=move || !simulate.get()
                        on:change=move |ev| {
                            if let Some(k) = ScenarioKind::from_slug(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {ScenarioKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.slug() selected=move || kind.get() == k>
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    form=form
                    field=Field::FailAttempts
                    id="fail-attempts"
                    label="Fail on the first N attempts"
                    testid="fail-attempts"
                    value=form.fail_attempts
                    input_type="number"
                    min="1"
                    max=Limits::MAX_ATTEMPTS.to_string()
                    step="1"
                    disabled=Signal::derive(move || !simulate.get() || !kind.get().takes_count())
                />
                <TextField
                    form=form
                    field=Field::MaximumAttempts
                    id="max-retries"
                    label="Max retries"
                    testid="max-retries"
                    value=form.max_retries
                    input_type="number"
                    min="0"
                    max=(Limits::MAX_ATTEMPTS - 1).to_string()
                    step="1"
                    hint="Retries after the first attempt (maximum attempts = retries + 1)."
                />
            </div>
            <p class=outcome_class data-testid="forecast" aria-live="polite">
                <span class="forecast-label">"Forecast: "</span>
                {move || prediction.read().1.clone()}
            </p>
        </section>
    }
}
