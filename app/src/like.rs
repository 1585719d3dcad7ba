//! "Start like this one": puts what Temporal recorded a run was started
//! with into the form, input by input (the pure mapping is
//! [`proto::RunOptions::to_config`]); the form then shows the code and the
//! CLI command for it as for anything typed.

use leptos::prelude::*;
use proto::decimal::{self, shortest};
use proto::runs::language_of;
use proto::{FailureScenario, RunOptions};

use crate::draft::InputsStoreFields;
use crate::draft::ScenarioKind;
use crate::state::FormState;

fn secs(ms: Option<u64>) -> String {
    ms.map(decimal::seconds).unwrap_or_default()
}

/// Fills `form` with `options`; returns what the form could not carry over.
pub fn fill_form(form: &FormState, options: &RunOptions) -> Vec<String> {
    let base = form.draft.get_untracked().request.config;
    let (c, notes) = options.to_config(&base);
    form.inputs.activity_id().set(c.activity_id);
    form.inputs.task_queue().set(c.task_queue);
    form.inputs.input().set(c.input);
    form.inputs
        .timeout_secs()
        .set(decimal::seconds(c.timeout_ms));
    form.inputs.timeout_kind().set(c.timeout_kind);
    form.inputs
        .schedule_to_start_secs()
        .set(secs(c.schedule_to_start_timeout_ms));
    form.inputs
        .heartbeat_secs()
        .set(secs(c.heartbeat_timeout_ms));
    form.inputs.start_delay_secs().set(secs(c.start_delay_ms));
    let r = &c.retry;
    form.inputs
        .initial_interval_secs()
        .set(decimal::seconds(r.initial_interval_ms));
    form.inputs
        .backoff_coefficient()
        .set(shortest(r.backoff_coefficient));
    form.inputs
        .maximum_interval_secs()
        .set(decimal::seconds(r.maximum_interval_ms));
    form.inputs
        .non_retryable()
        .set(r.non_retryable_error_types.join(", "));
    form.inputs
        .max_retries()
        .set(r.maximum_attempts.saturating_sub(1).to_string());
    let current = form.inputs.language().get_untracked();
    if let Some(lang) = language_of(&options.activity_type, current) {
        form.inputs.language().set(lang);
    }
    let advanced = c.schedule_to_start_timeout_ms.is_some()
        || c.heartbeat_timeout_ms.is_some()
        || c.start_delay_ms.is_some()
        || *r != base.retry;
    if advanced {
        form.advanced_open.set(true);
    }
    fill_scenario(form, options.scenario.unwrap_or_default());
    notes
}

/// The Failure Simulation panel for `scenario`.
fn fill_scenario(form: &FormState, scenario: FailureScenario) {
    let (kind, attempts, seconds) = match scenario {
        FailureScenario::None => {
            form.inputs.simulate().set(false);
            return;
        }
        FailureScenario::FailFirst { attempts } => (ScenarioKind::FailFirst, Some(attempts), None),
        FailureScenario::NonRetryable => (ScenarioKind::NonRetryable, None, None),
        FailureScenario::TooSlow { attempts } => (ScenarioKind::TooSlow, Some(attempts), None),
        FailureScenario::Crash { attempts } => (ScenarioKind::Crash, Some(attempts), None),
        FailureScenario::LongRunning { seconds } => {
            (ScenarioKind::LongRunning, None, Some(seconds))
        }
        FailureScenario::Outage { seconds } => (ScenarioKind::Outage, None, Some(seconds)),
    };
    form.inputs.simulate().set(true);
    form.inputs.scenario_kind().set(kind);
    if let Some(a) = attempts {
        form.inputs.fail_attempts().set(a.to_string());
    }
    if let Some(s) = seconds {
        form.inputs.scenario_seconds().set(s.to_string());
    }
}
