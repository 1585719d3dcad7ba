//! The Configure Activity panel: id, task queue, input and the main timeout,
//! with the other options behind an "Advanced options" disclosure.

use leptos::prelude::*;
use proto::{Field, Limits, RunAs, TimeoutKind};

use crate::advanced::AdvancedOptions;
use crate::draft::InputsStoreFields;
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

fn run_as_hint(run_as: RunAs) -> &'static str {
    match run_as {
        RunAs::Standalone => {
            "The client starts the activity itself (StartActivityExecution): no Workflow. \
             Temporal lists it among Activities."
        }
        RunAs::Workflow => {
            "The client starts a tiny Workflow on the same task queue, which executes the same \
             activity with the same options; it shows in the Workflow's Event History."
        }
    }
}

/// The Configure Activity panel.
#[component]
pub fn ConfigPanel(
    /// The form it edits.
    form: FormState,
) -> impl IntoView {
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
                    value=form.inputs.activity_id()
                    hint="Unique among open runs; starting it again while it runs is rejected."
                />
                <TextField
                    form=form
                    field=Field::TaskQueue
                    id="task-queue"
                    label="Task Queue"
                    testid="input-task-queue"
                    value=form.inputs.task_queue()
                    hint="The demo's Worker polls any queue you name."
                />
                <TextField
                    form=form
                    field=Field::Input
                    id="input-name"
                    label="Input (name)"
                    testid="input-name"
                    value=form.inputs.input()
                />
                <TextField
                    form=form
                    field=Field::Timeout
                    id="timeout"
                    label="Timeout (seconds)"
                    testid="input-timeout"
                    value=form.inputs.timeout_secs()
                    input_type="number"
                    min=(Limits::MIN_TIMEOUT_MS / 1000).to_string()
                    max=(Limits::MAX_TIMEOUT_MS / 1000).to_string()
                    step="any"
                />
                <SelectField
                    id="timeout-kind"
                    label="Timeout Type"
                    testid="select-timeout-kind"
                    value=form.inputs.timeout_kind()
                    options=&TimeoutKind::ALL
                    slug=TimeoutKind::slug
                    text=TimeoutKind::label
                    describe=timeout_hint
                />
                <SelectField
                    id="run-as"
                    label="Run as"
                    testid="select-run-as"
                    value=form.inputs.run_as()
                    options=&RunAs::ALL
                    slug=RunAs::slug
                    text=RunAs::label
                    describe=run_as_hint
                    wide=true
                />
            </div>
            <AdvancedOptions form=form />
        </section>
    }
}
