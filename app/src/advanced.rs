//! The "Advanced options" disclosure of the Configure Activity panel: the
//! optional Schedule-to-Start and Heartbeat timeouts, the retry policy (but
//! its attempt budget, which the Failure Simulation panel sets as "Max
//! retries") and the id reuse and conflict policies.

use leptos::prelude::*;
use proto::{Field, IdConflictPolicy, IdReusePolicy, Limits};

use crate::draft::InputsStoreFields;
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

/// The Advanced options disclosure.
#[component]
pub fn AdvancedOptions(
    /// The form it edits.
    form: FormState,
) -> impl IntoView {
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
    let start_delay_max = (Limits::MAX_START_DELAY_MS / 1000).to_string();
    let interval_min = proto::decimal::seconds(Limits::MIN_INTERVAL_MS);
    view! {
        <details
            class="advanced"
            data-testid="advanced"
            prop:open=move || open.get()
            on:toggle=move |ev| {
                let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                if now_open != open.get_untracked() {
                    open.set(now_open);
                }
            }
        >
            <summary>
                "Advanced options"
                {move || {
                    let n = problems.get();
                    (n > 0)
                        .then(|| {
                            view! {
                                <span class="summary-problems">
                                    {if n == 1 { "1 problem".to_owned() } else { format!("{n} problems") }}
                                </span>
                            }
                        })
                }}
            </summary>
            <div class="grid-2 advanced-body">
                <TextField
                    form=form
                    field=Field::ScheduleToStartTimeout
                    id="schedule-to-start"
                    label="Schedule-to-Start timeout (seconds)"
                    testid="input-schedule-to-start"
                    value=form.inputs.schedule_to_start_secs()
                    input_type="number"
                    min="1"
                    max=timeout_max.clone()
                    step="any"
                    placeholder="not set"
                    hint="How long the task may wait on the queue for a Worker. Empty: no limit."
                />
                <TextField
                    form=form
                    field=Field::HeartbeatTimeout
                    id="heartbeat-timeout"
                    label="Heartbeat timeout (seconds)"
                    testid="input-heartbeat"
                    value=form.inputs.heartbeat_secs()
                    input_type="number"
                    min="1"
                    max=timeout_max
                    step="any"
                    placeholder="not set"
                    hint="An attempt silent for longer is failed and retried. Empty: not checked."
                />
                <TextField
                    form=form
                    field=Field::StartDelay
                    id="start-delay"
                    label="Start delay (seconds)"
                    testid="input-start-delay"
                    value=form.inputs.start_delay_secs()
                    input_type="number"
                    min="1"
                    max=start_delay_max
                    step="any"
                    placeholder="not set"
                    hint="Temporal holds the first attempt this long after the start. Empty: at once."
                />
            </div>
            <fieldset class="fieldset">
                <legend>"Retry policy"</legend>
                <div class="grid-2">
                    <TextField
                        form=form
                        field=Field::InitialInterval
                        id="initial-interval"
                        label="Initial interval (seconds)"
                        testid="input-initial-interval"
                        value=form.inputs.initial_interval_secs()
                        input_type="number"
                        min=interval_min.clone()
                        step="any"
                        hint="Backoff before the first retry."
                    />
                    <TextField
                        form=form
                        field=Field::BackoffCoefficient
                        id="backoff-coefficient"
                        label="Backoff coefficient"
                        testid="input-backoff"
                        value=form.inputs.backoff_coefficient()
                        input_type="number"
                        min="1"
                        max=proto::decimal::shortest(Limits::MAX_BACKOFF_COEFFICIENT)
                        step="any"
                        hint="Each backoff is the previous one times this."
                    />
                    <TextField
                        form=form
                        field=Field::MaximumInterval
                        id="maximum-interval"
                        label="Maximum interval (seconds)"
                        testid="input-max-interval"
                        value=form.inputs.maximum_interval_secs()
                        input_type="number"
                        min=interval_min
                        step="any"
                        hint="No backoff is longer."
                    />
                    <TextField
                        form=form
                        field=Field::NonRetryableErrorTypes
                        id="non-retryable"
                        label="Non-retryable error types"
                        testid="input-non-retryable"
                        value=form.inputs.non_retryable()
                        placeholder="none"
                        hint="Comma-separated; an error of one of these types ends the run at once."
                    />
                </div>
                <p class="hint fieldset-note">
                    "Max retries is set under Failure Simulation (maximum attempts = retries + 1)."
                </p>
            </fieldset>
            <div class="grid-2">
                <SelectField
                    id="id-reuse"
                    label="ID reuse policy"
                    testid="select-id-reuse"
                    value=form.inputs.id_reuse()
                    options=&IdReusePolicy::ALL
                    slug=IdReusePolicy::cli_name
                    text=IdReusePolicy::cli_name
                    describe=reuse_hint
                />
                <SelectField
                    id="id-conflict"
                    label="ID conflict policy"
                    testid="select-id-conflict"
                    value=form.inputs.id_conflict()
                    options=&IdConflictPolicy::ALL
                    slug=IdConflictPolicy::cli_name
                    text=IdConflictPolicy::cli_name
                    describe=conflict_hint
                />
            </div>
        </details>
    }
}
