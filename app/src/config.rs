//! The Configure Activity panel: id, task queue, input and the one timeout.

use leptos::prelude::*;
use proto::{Field, Limits, TimeoutKind};

use crate::fields::TextField;
use crate::state::FormState;

/// The Configure Activity panel.
#[component]
pub fn ConfigPanel(
    /// The form it edits.
    form: FormState,
) -> impl IntoView {
    let kind = form.timeout_kind;
    let timeout_hint = move || match kind.get() {
        TimeoutKind::StartToClose => {
            "Bounds each attempt; the server retries an attempt that runs longer."
        }
        TimeoutKind::ScheduleToClose => "Bounds the whole run, every attempt and backoff included.",
    };
    view! {
        <section class="panel" aria-labelledby="config-title">
            <h2 id="config-title">"Configure Activity"</h2>
            <div class="grid-2">
                <TextField
                    form=form
                    field=Field::ActivityId
                    id="activity-id"
                    label="Activity ID"
                    testid="input-activity-id"
                    value=form.activity_id
                    hint="Unique among open runs; starting it again while it runs is rejected."
                />
                <TextField
                    form=form
                    field=Field::TaskQueue
                    id="task-queue"
                    label="Task Queue"
                    testid="input-task-queue"
                    value=form.task_queue
                    hint="The demo's Worker polls any queue you name."
                />
                <TextField
                    form=form
                    field=Field::Input
                    id="input-name"
                    label="Input (name)"
                    testid="input-name"
                    value=form.input
                />
                <TextField
                    form=form
                    field=Field::Timeout
                    id="timeout"
                    label="Timeout (seconds)"
                    testid="input-timeout"
                    value=form.timeout_secs
                    input_type="number"
                    min=(Limits::MIN_TIMEOUT_MS / 1000).to_string()
                    max=(Limits::MAX_TIMEOUT_MS / 1000).to_string()
                    step="any"
                />
                <div class="field">
                    <label for="timeout-kind">"Timeout Type"</label>
                    <select
                        id="timeout-kind"
                        name="timeout-kind"
                        data-testid="select-timeout-kind"
                        aria-describedby="timeout-kind-hint"
                        on:change=move |ev| {
                            if let Some(k) = TimeoutKind::from_slug(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {TimeoutKind::ALL
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
                    <p class="hint" id="timeout-kind-hint">
                        {timeout_hint}
                    </p>
                </div>
            </div>
        </section>
    }
}
