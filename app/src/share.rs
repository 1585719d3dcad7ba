//! The form in the page URL: where the form starts from (a link, else the
//! defaults and the saved language tab), keeping the URL in step with the
//! form (`history.replaceState`), and the Share panel (the link, a Copy link
//! button, and the note naming what a link had that the page ignored).
//!
//! Precedence: a URL holding any of the form's keys is a link, and wins
//! outright: every field it leaves out is at its default, whatever this
//! browser remembered (today only the language tab, in `localStorage`).
//! Without one, the form starts from its defaults and the saved tab.
//! The encoding itself is [`model::share`].

use leptos::prelude::*;
use model::share::{self, SharedForm};
use proto::{FailureScenario, Language};

use crate::browser;
use crate::copy::CopyButton;
use crate::draft::{Inputs, ScenarioKind};
use crate::state::{FormState, Start};
use proto::decimal::{self, shortest};

const LANG_KEY: &str = "sa-demo.lang";

/// The form as this page load starts it: from the link, else from the
/// defaults (a fresh activity id) and the saved language tab.
pub fn start() -> Start {
    let mut base = SharedForm::default();
    base.request.config.activity_id = format!("greeting-{}", browser::random_suffix(6));
    let decoded = share::decode(&browser::search(), &base);
    let (form, note) = if decoded.is_link {
        let note = share::ignored_note(&decoded.ignored);
        (decoded.form, note)
    } else {
        if let Some(lang) = browser::load(LANG_KEY).and_then(|s| Language::from_slug(&s)) {
            base.request.language = lang;
        }
        (base, None)
    };
    Start {
        inputs: inputs_from(&form),
        include_scenario: form.include_scenario,
        advanced: has_advanced(&form),
        note,
    }
}

/// Whether `form` sets an option that lives under "Advanced options".
fn has_advanced(form: &SharedForm) -> bool {
    let (c, d) = (&form.request.config, &SharedForm::default().request.config);
    let (r, dr) = (&c.retry, &d.retry);
    c.schedule_to_start_timeout_ms.is_some()
        || c.heartbeat_timeout_ms.is_some()
        || r.initial_interval_ms != dr.initial_interval_ms
        || r.backoff_coefficient != dr.backoff_coefficient
        || r.maximum_interval_ms != dr.maximum_interval_ms
        || !r.non_retryable_error_types.is_empty()
        || c.id_reuse_policy != d.id_reuse_policy
        || c.id_conflict_policy != d.id_conflict_policy
}

/// The text of every input for `form`.
fn inputs_from(form: &SharedForm) -> Inputs {
    let c = &form.request.config;
    let r = &c.retry;
    let (simulate, kind, attempts, seconds) = match form.request.scenario {
        FailureScenario::None => (false, ScenarioKind::default(), 2, 30),
        FailureScenario::FailFirst { attempts } => (true, ScenarioKind::FailFirst, attempts, 30),
        FailureScenario::NonRetryable => (true, ScenarioKind::NonRetryable, 2, 30),
        FailureScenario::TooSlow { attempts } => (true, ScenarioKind::TooSlow, attempts, 30),
        FailureScenario::Crash { attempts } => (true, ScenarioKind::Crash, attempts, 30),
        FailureScenario::LongRunning { seconds } => (true, ScenarioKind::LongRunning, 2, seconds),
        FailureScenario::Outage { seconds } => (true, ScenarioKind::Outage, 2, seconds),
    };
    let optional = |ms: Option<u64>| ms.map(decimal::seconds).unwrap_or_default();
    Inputs {
        activity_id: c.activity_id.clone(),
        task_queue: c.task_queue.clone(),
        input: c.input.clone(),
        timeout_secs: decimal::seconds(c.timeout_ms),
        timeout_kind: c.timeout_kind,
        schedule_to_start_secs: optional(c.schedule_to_start_timeout_ms),
        heartbeat_secs: optional(c.heartbeat_timeout_ms),
        start_delay_secs: optional(c.start_delay_ms),
        initial_interval_secs: decimal::seconds(r.initial_interval_ms),
        backoff_coefficient: shortest(r.backoff_coefficient),
        maximum_interval_secs: decimal::seconds(r.maximum_interval_ms),
        max_retries: r.maximum_attempts.saturating_sub(1).to_string(),
        non_retryable: r.non_retryable_error_types.join(", "),
        id_reuse: c.id_reuse_policy,
        id_conflict: c.id_conflict_policy,
        simulate,
        scenario_kind: kind,
        fail_attempts: attempts.to_string(),
        scenario_seconds: seconds.to_string(),
        language: form.request.language,
        run_as: form.request.run_as,
    }
}

/// What the form says now, as a link carries it.
fn shared(form: &FormState) -> SharedForm {
    SharedForm {
        request: form.draft.get().request,
        include_scenario: form.include_scenario.get(),
    }
}

/// Keeps the page URL (replaced in place) and the saved language tab in
/// step with the form.
pub fn keep_url_in_step(form: FormState) {
    Effect::new(move |_| {
        let form = shared(&form);
        browser::replace_query(&share::merge_query(&browser::search(), &form));
        browser::save(LANG_KEY, form.request.language.slug());
    });
}

/// The Share panel: the link to this form, a Copy link button, and what a
/// link had that the page ignored.
#[component]
pub fn SharePanel(
    /// The form the link describes.
    form: FormState,
) -> impl IntoView {
    // The URL follows the form in an effect; the link is built from the same
    // form here so it never lags a keystroke behind.
    let link = Memo::new(move |_| {
        let href = browser::href();
        let base = href.split(['?', '#']).next().unwrap_or_default().to_owned();
        format!(
            "{base}?{}",
            share::merge_query(&browser::search(), &shared(&form))
        )
    });
    let note = form.share_note;
    view! {
        <section class="panel" aria-labelledby="share-title">
            <div class="panel-head">
                <h2 id="share-title">"Share"</h2>
                <CopyButton text=link label="Copy link" what="link" testid="copy-link" />
            </div>
            <p class="hint">
                "This page's address holds the whole form: "
                <a data-testid="share-link" href=move || link.get()>
                    "the link to this run's settings"
                </a> ". Opening it restores every field and the language tab."
            </p>
            {move || {
                note.get()
                    .map(|text| {
                        view! {
                            <p class="share-note" role="status" data-testid="share-note">
                                {text}
                                " "
                                <button
                                    type="button"
                                    class="btn btn-small"
                                    on:click=move |_| note.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </p>
                        }
                    })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Draft;
    use proto::{IdConflictPolicy, IdReusePolicy, TimeoutKind};

    /// A link's form, written into the inputs and parsed back as the form
    /// parses them, is the same request: nothing is lost between the URL
    /// and the fields.
    #[test]
    fn a_links_form_survives_the_inputs() {
        let scenarios = [
            FailureScenario::None,
            FailureScenario::FailFirst { attempts: 3 },
            FailureScenario::NonRetryable,
            FailureScenario::TooSlow { attempts: 2 },
            FailureScenario::Crash { attempts: 1 },
            FailureScenario::LongRunning { seconds: 12 },
            FailureScenario::Outage { seconds: 7 },
        ];
        for scenario in scenarios {
            let mut form = SharedForm::default();
            let c = &mut form.request.config;
            c.activity_id = "order 42".into();
            c.input = "Zoë".into();
            c.timeout_ms = 30_500;
            c.heartbeat_timeout_ms = Some(1_500);
            c.schedule_to_start_timeout_ms = Some(20_000);
            c.retry.initial_interval_ms = 500;
            c.retry.backoff_coefficient = 1.5;
            c.retry.maximum_attempts = 6;
            c.retry.non_retryable_error_types = vec!["A".into(), "B".into()];
            c.id_reuse_policy = IdReusePolicy::RejectDuplicate;
            c.id_conflict_policy = IdConflictPolicy::UseExisting;
            form.request.language = Language::Ruby;
            form.request.scenario = scenario;
            let draft = Draft::parse(&inputs_from(&form));
            assert_eq!(draft.request, form.request, "{scenario:?}");
            assert_eq!(draft.errors, [], "{scenario:?}");
        }
        let mut form = SharedForm::default();
        form.request.config.timeout_kind = TimeoutKind::ScheduleToClose;
        assert_eq!(Draft::parse(&inputs_from(&form)).request, form.request);
    }
}
