//! The form: the raw text of every input, the run request parsed from it
//! (with parse and validation errors per field), and the selected language,
//! which lives in the URL (`?lang=`) and in `localStorage`.

use leptos::prelude::*;
use proto::validate::validate;
use proto::{
    ActivityConfig, FailureScenario, Field, FieldError, Language, RunRequest, TimeoutKind,
};

use crate::browser;

const LANG_PARAM: &str = "lang";
const LANG_KEY: &str = "sa-demo.lang";

/// Which misbehaviour the Failure Simulation panel asks for when it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScenarioKind {
    /// The first N attempts fail with a retryable error.
    #[default]
    FailFirst,
    /// The first N attempts run past start-to-close.
    TooSlow,
    /// The first attempt fails with a non-retryable error.
    NonRetryable,
}

impl ScenarioKind {
    /// Every kind, in the order of the select box.
    pub const ALL: [ScenarioKind; 3] = [
        ScenarioKind::FailFirst,
        ScenarioKind::TooSlow,
        ScenarioKind::NonRetryable,
    ];

    /// Option label.
    pub const fn label(self) -> &'static str {
        match self {
            ScenarioKind::FailFirst => "Fail with a retryable error",
            ScenarioKind::TooSlow => "Run past the Start-to-Close timeout",
            ScenarioKind::NonRetryable => "Fail with a non-retryable error",
        }
    }

    /// Option value.
    pub const fn slug(self) -> &'static str {
        match self {
            ScenarioKind::FailFirst => "fail_first",
            ScenarioKind::TooSlow => "too_slow",
            ScenarioKind::NonRetryable => "non_retryable",
        }
    }

    /// Parses [`ScenarioKind::slug`].
    pub fn from_slug(s: &str) -> Option<ScenarioKind> {
        ScenarioKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// Whether the "first N attempts" count applies.
    pub const fn takes_count(self) -> bool {
        !matches!(self, ScenarioKind::NonRetryable)
    }
}

/// The request the form describes, and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The request, with defaults where an input could not be parsed.
    pub request: RunRequest,
    /// Parse errors, then [`validate`]'s errors for the other fields.
    pub errors: Vec<FieldError>,
}

/// Every input of the Configure Activity and Failure Simulation panels, and
/// the SDK tab. `Copy`: every field is a signal.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    /// Activity ID text.
    pub activity_id: RwSignal<String>,
    /// Task Queue text.
    pub task_queue: RwSignal<String>,
    /// Input (the name) text.
    pub input: RwSignal<String>,
    /// Timeout text, in seconds.
    pub timeout_secs: RwSignal<String>,
    /// Which timeout the form sets.
    pub timeout_kind: RwSignal<TimeoutKind>,
    /// The "Simulate failures" checkbox.
    pub simulate: RwSignal<bool>,
    /// The misbehaviour to simulate.
    pub scenario_kind: RwSignal<ScenarioKind>,
    /// "Fail on the first N attempts" text.
    pub fail_attempts: RwSignal<String>,
    /// "Max retries" text.
    pub max_retries: RwSignal<String>,
    /// The selected SDK tab.
    pub language: RwSignal<Language>,
    /// Field errors the server returned, with the request they were about:
    /// shown only while the form still describes that request.
    pub server_errors: RwSignal<Option<(RunRequest, Vec<FieldError>)>>,
    /// The parsed form.
    pub draft: Memo<Draft>,
}

impl FormState {
    /// The form with its defaults, a fresh activity id and the language from
    /// the URL or storage. Keeps `?lang=` and storage in step with the tab.
    pub fn new() -> FormState {
        let defaults = ActivityConfig::default();
        let activity_id = RwSignal::new(format!("greeting-{}", browser::random_suffix(6)));
        let task_queue = RwSignal::new(defaults.task_queue.clone());
        let input = RwSignal::new(defaults.input.clone());
        let timeout_secs = RwSignal::new(format_secs(defaults.timeout_ms));
        let timeout_kind = RwSignal::new(defaults.timeout_kind);
        let simulate = RwSignal::new(false);
        let scenario_kind = RwSignal::new(ScenarioKind::default());
        let fail_attempts = RwSignal::new("2".to_owned());
        let max_retries = RwSignal::new(
            defaults
                .retry
                .maximum_attempts
                .saturating_sub(1)
                .to_string(),
        );
        let language = RwSignal::new(initial_language());
        let draft = Memo::new(move |_| {
            let mut errors = Vec::new();
            let mut config = ActivityConfig {
                activity_id: activity_id.get(),
                task_queue: task_queue.get(),
                input: input.get(),
                timeout_kind: timeout_kind.get(),
                ..ActivityConfig::default()
            };
            match parse_secs(&timeout_secs.get()) {
                Some(ms) => config.timeout_ms = ms,
                None => errors.push(error(Field::Timeout, "must be a number of seconds")),
            }
            match max_retries.get().trim().parse::<u32>() {
                Ok(n) => config.retry.maximum_attempts = n.saturating_add(1),
                Err(_) => errors.push(error(Field::MaximumAttempts, "must be a whole number")),
            }
            let count = if simulate.get() && scenario_kind.get().takes_count() {
                match fail_attempts.get().trim().parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => {
                        errors.push(error(Field::FailAttempts, "must be a whole number"));
                        1
                    }
                }
            } else {
                1
            };
            let scenario = match (simulate.get(), scenario_kind.get()) {
                (false, _) => FailureScenario::None,
                (true, ScenarioKind::FailFirst) => FailureScenario::FailFirst { attempts: count },
                (true, ScenarioKind::TooSlow) => FailureScenario::TooSlow { attempts: count },
                (true, ScenarioKind::NonRetryable) => FailureScenario::NonRetryable,
            };
            let request = RunRequest {
                config,
                scenario,
                language: language.get(),
            };
            if let Err(found) = validate(&request) {
                // A field that did not parse already says so; its fallback
                // value would only add a confusing second message.
                let unparsed: Vec<Field> = errors.iter().map(|e| e.field).collect();
                errors.extend(found.into_iter().filter(|e| !unparsed.contains(&e.field)));
            }
            Draft { request, errors }
        });
        Effect::new(move |_| {
            let slug = language.get().slug();
            browser::set_query_param(LANG_PARAM, slug);
            browser::save(LANG_KEY, slug);
        });
        FormState {
            activity_id,
            task_queue,
            input,
            timeout_secs,
            timeout_kind,
            simulate,
            scenario_kind,
            fail_attempts,
            max_retries,
            language,
            server_errors: RwSignal::new(None),
            draft,
        }
    }

    /// The messages to show under `field`: the form's own, then the server's
    /// (while the form is unchanged since the server answered).
    pub fn field_errors(&self, field: Field) -> Vec<String> {
        let draft = self.draft.read();
        let mut out: Vec<String> = draft
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect();
        if let Some((req, errs)) = &*self.server_errors.read()
            && *req == draft.request
        {
            for e in errs.iter().filter(|e| e.field == field) {
                if !out.contains(&e.message) {
                    out.push(e.message.clone());
                }
            }
        }
        out
    }

    /// Whether Execute may be pressed.
    pub fn is_valid(&self) -> bool {
        self.draft.read().errors.is_empty()
    }
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}

fn error(field: Field, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

fn initial_language() -> Language {
    browser::query_param(LANG_PARAM)
        .or_else(|| browser::load(LANG_KEY))
        .and_then(|s| Language::from_slug(&s))
        .unwrap_or_default()
}

/// Parses a positive number of seconds into whole milliseconds.
fn parse_secs(text: &str) -> Option<u64> {
    let secs: f64 = text.trim().parse().ok()?;
    (0.0..=1e9)
        .contains(&secs)
        .then(|| (secs * 1000.0).round() as u64)
}

fn format_secs(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}
