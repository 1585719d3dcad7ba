//! From the text of the form's inputs to a [`RunRequest`]: parsing each input
//! (seconds that may be fractional, optional timeouts, comma-separated error
//! types), then [`proto::validate`] for everything that parsed. Pure: no
//! signals, no browser.

use proto::decimal::{self, Decimal};
use proto::validate::validate;
use proto::{
    ActivityConfig, FailureScenario, Field, FieldError, IdConflictPolicy, IdReusePolicy, Language,
    RetryPolicy, RunAs, RunRequest, TimeoutKind,
};
use reactive_stores::Store;

/// The most an input in seconds reads, in ms (10^9 s); validation then
/// holds each field to its own limit.
const MAX_SECS_MS: u64 = 1_000_000_000_000;

/// Which misbehaviour the Failure Simulation panel asks for when it is on
/// (off is [`FailureScenario::None`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScenarioKind {
    /// The first N attempts fail with a retryable error.
    #[default]
    FailFirst,
    /// The first attempt fails with a non-retryable error.
    NonRetryable,
    /// The first N attempts run past start-to-close.
    TooSlow,
    /// The first N attempts go silent mid-work, as if the Worker died.
    Crash,
    /// Every attempt works for a while, heartbeating.
    LongRunning,
    /// No Worker polls the run's task queue for a while.
    Outage,
}

/// What number a scenario takes besides its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioInput {
    /// Nothing.
    None,
    /// How many leading attempts misbehave.
    Attempts,
    /// How many seconds the work or the outage lasts.
    Seconds,
}

impl ScenarioKind {
    /// Every kind, in the order of the select box.
    pub const ALL: [ScenarioKind; 6] = [
        ScenarioKind::FailFirst,
        ScenarioKind::NonRetryable,
        ScenarioKind::TooSlow,
        ScenarioKind::Crash,
        ScenarioKind::LongRunning,
        ScenarioKind::Outage,
    ];

    /// Option label.
    pub const fn label(self) -> &'static str {
        match self {
            ScenarioKind::FailFirst => "Fail first N (retryable)",
            ScenarioKind::NonRetryable => "Non-retryable error",
            ScenarioKind::TooSlow => "Too slow (start-to-close)",
            ScenarioKind::Crash => "Worker crash (heartbeat timeout)",
            ScenarioKind::LongRunning => "Long-running (heartbeats; cancel/terminate it)",
            ScenarioKind::Outage => "Worker outage (seconds)",
        }
    }

    /// Option value.
    pub const fn slug(self) -> &'static str {
        match self {
            ScenarioKind::FailFirst => "fail_first",
            ScenarioKind::NonRetryable => "non_retryable",
            ScenarioKind::TooSlow => "too_slow",
            ScenarioKind::Crash => "crash",
            ScenarioKind::LongRunning => "long_running",
            ScenarioKind::Outage => "outage",
        }
    }

    /// The number input the kind needs.
    pub const fn input(self) -> ScenarioInput {
        match self {
            ScenarioKind::NonRetryable => ScenarioInput::None,
            ScenarioKind::FailFirst | ScenarioKind::TooSlow | ScenarioKind::Crash => {
                ScenarioInput::Attempts
            }
            ScenarioKind::LongRunning | ScenarioKind::Outage => ScenarioInput::Seconds,
        }
    }

    /// The scenario with its number.
    fn scenario(self, attempts: u32, seconds: u32) -> FailureScenario {
        match self {
            ScenarioKind::FailFirst => FailureScenario::FailFirst { attempts },
            ScenarioKind::NonRetryable => FailureScenario::NonRetryable,
            ScenarioKind::TooSlow => FailureScenario::TooSlow { attempts },
            ScenarioKind::Crash => FailureScenario::Crash { attempts },
            ScenarioKind::LongRunning => FailureScenario::LongRunning { seconds },
            ScenarioKind::Outage => FailureScenario::Outage { seconds },
        }
    }
}

/// The text of every input (and the choices of every select) of the form:
/// the form's one store (`FormState::inputs`), each field
/// its own reactive path.
#[derive(Debug, Clone, PartialEq, Store)]
pub struct Inputs {
    /// Activity ID.
    pub activity_id: String,
    /// Task Queue.
    pub task_queue: String,
    /// Input (the name).
    pub input: String,
    /// Timeout, seconds.
    pub timeout_secs: String,
    /// Which timeout.
    pub timeout_kind: TimeoutKind,
    /// Schedule-to-Start timeout, seconds; empty for none.
    pub schedule_to_start_secs: String,
    /// Heartbeat timeout, seconds; empty for none.
    pub heartbeat_secs: String,
    /// Start delay, seconds; empty for none.
    pub start_delay_secs: String,
    /// Retry initial interval, seconds.
    pub initial_interval_secs: String,
    /// Retry backoff coefficient.
    pub backoff_coefficient: String,
    /// Retry maximum interval, seconds.
    pub maximum_interval_secs: String,
    /// Max retries (maximum attempts - 1).
    pub max_retries: String,
    /// Non-retryable error types, comma-separated.
    pub non_retryable: String,
    /// Id reuse policy.
    pub id_reuse: IdReusePolicy,
    /// Id conflict policy.
    pub id_conflict: IdConflictPolicy,
    /// The "Simulate failures" checkbox.
    pub simulate: bool,
    /// The misbehaviour.
    pub scenario_kind: ScenarioKind,
    /// "First N attempts".
    pub fail_attempts: String,
    /// Seconds of work or outage.
    pub scenario_seconds: String,
    /// The SDK tab.
    pub language: Language,
    /// Standalone, or from a Workflow.
    pub run_as: RunAs,
}

/// The request the form describes, and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The request, with defaults where an input could not be parsed.
    pub request: RunRequest,
    /// Parse errors, then [`validate`]'s errors for the other fields.
    pub errors: Vec<FieldError>,
}

impl Draft {
    /// Parses and validates `inputs`.
    pub fn parse(i: &Inputs) -> Draft {
        let mut errors = Vec::new();
        let defaults = ActivityConfig::default();
        let mut secs = |field: Field, text: &str, fallback: u64| {
            decimal::parse_seconds(text, MAX_SECS_MS).unwrap_or_else(|| {
                errors.push(error(field, "must be a number of seconds"));
                fallback
            })
        };
        let timeout_ms = secs(Field::Timeout, &i.timeout_secs, defaults.timeout_ms);
        let schedule_to_start_timeout_ms =
            optional(&i.schedule_to_start_secs).map(|t| secs(Field::ScheduleToStartTimeout, t, 0));
        let heartbeat_timeout_ms =
            optional(&i.heartbeat_secs).map(|t| secs(Field::HeartbeatTimeout, t, 0));
        let start_delay_ms = optional(&i.start_delay_secs).map(|t| secs(Field::StartDelay, t, 0));
        let retry_defaults = RetryPolicy::default();
        let initial_interval_ms = secs(
            Field::InitialInterval,
            &i.initial_interval_secs,
            retry_defaults.initial_interval_ms,
        );
        let maximum_interval_ms = secs(
            Field::MaximumInterval,
            &i.maximum_interval_secs,
            retry_defaults.maximum_interval_ms,
        );
        let backoff_coefficient = match Decimal::parse(i.backoff_coefficient.trim()) {
            Some(c) => c.to_f64(),
            None => {
                errors.push(error(Field::BackoffCoefficient, "must be a number"));
                retry_defaults.backoff_coefficient
            }
        };
        let mut whole = |field: Field, text: &str, fallback: u32| {
            text.trim().parse::<u32>().unwrap_or_else(|_| {
                errors.push(error(field, "must be a whole number"));
                fallback
            })
        };
        let maximum_attempts = whole(
            Field::MaximumAttempts,
            &i.max_retries,
            retry_defaults.maximum_attempts - 1,
        )
        .saturating_add(1);
        // Only the number the chosen scenario uses is read (and can be wrong).
        let input = if i.simulate {
            i.scenario_kind.input()
        } else {
            ScenarioInput::None
        };
        let attempts = match input {
            ScenarioInput::Attempts => whole(Field::FailAttempts, &i.fail_attempts, 1),
            _ => 1,
        };
        let seconds = match input {
            ScenarioInput::Seconds => whole(Field::ScenarioSeconds, &i.scenario_seconds, 1),
            _ => 1,
        };
        let scenario = if i.simulate {
            i.scenario_kind.scenario(attempts, seconds)
        } else {
            FailureScenario::None
        };
        let config = ActivityConfig {
            activity_id: i.activity_id.clone(),
            task_queue: i.task_queue.clone(),
            input: i.input.clone(),
            timeout_kind: i.timeout_kind,
            timeout_ms,
            schedule_to_start_timeout_ms,
            heartbeat_timeout_ms,
            retry: RetryPolicy {
                initial_interval_ms,
                backoff_coefficient,
                maximum_interval_ms,
                maximum_attempts,
                non_retryable_error_types: split_list(&i.non_retryable),
            },
            id_reuse_policy: i.id_reuse,
            id_conflict_policy: i.id_conflict,
            start_delay_ms,
        };
        let request = RunRequest {
            config,
            scenario,
            language: i.language,
            run_as: i.run_as,
        };
        if let Err(found) = validate(&request) {
            // A field that did not parse already says so; its fallback value
            // would only add a confusing second message.
            let unparsed: Vec<Field> = errors.iter().map(|e| e.field).collect();
            errors.extend(found.into_iter().filter(|e| !unparsed.contains(&e.field)));
        }
        Draft { request, errors }
    }
}

fn error(field: Field, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

/// `None` for an empty (unset) input.
fn optional(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// `a, b,,c ` → `[a, b, c]`: blanks between commas are ignored.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        Inputs {
            activity_id: "a".into(),
            task_queue: "q".into(),
            input: "World".into(),
            timeout_secs: "10".into(),
            timeout_kind: TimeoutKind::StartToClose,
            schedule_to_start_secs: String::new(),
            heartbeat_secs: String::new(),
            start_delay_secs: String::new(),
            initial_interval_secs: "0.5".into(),
            backoff_coefficient: "1.5".into(),
            maximum_interval_secs: "20".into(),
            max_retries: "3".into(),
            non_retryable: " A, ,B ".into(),
            id_reuse: IdReusePolicy::RejectDuplicate,
            id_conflict: IdConflictPolicy::UseExisting,
            simulate: false,
            scenario_kind: ScenarioKind::Crash,
            fail_attempts: "x".into(),
            scenario_seconds: "y".into(),
            language: Language::Go,
            run_as: RunAs::Workflow,
        }
    }

    #[test]
    fn parses_every_option() {
        let d = Draft::parse(&inputs());
        assert_eq!(d.errors, []);
        let r = &d.request.config.retry;
        assert_eq!(
            (r.initial_interval_ms, r.maximum_interval_ms),
            (500, 20_000)
        );
        assert_eq!(r.maximum_attempts, 4);
        assert_eq!(r.non_retryable_error_types, ["A", "B"]);
        assert_eq!(d.request.config.heartbeat_timeout_ms, None);
        assert_eq!(d.request.scenario, FailureScenario::None);
        assert_eq!(d.request.run_as, RunAs::Workflow);
    }

    #[test]
    fn crash_without_heartbeat_is_an_error_on_the_heartbeat_field() {
        let mut i = inputs();
        i.simulate = true;
        i.fail_attempts = "1".into();
        let d = Draft::parse(&i);
        assert_eq!(d.request.scenario, FailureScenario::Crash { attempts: 1 });
        assert_eq!(d.errors[0].field, Field::HeartbeatTimeout);
        i.heartbeat_secs = "2".into();
        assert_eq!(Draft::parse(&i).errors, []);
    }

    #[test]
    fn unparsable_optional_timeout_is_reported_once() {
        let mut i = inputs();
        i.schedule_to_start_secs = "soon".into();
        let d = Draft::parse(&i);
        assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
        assert_eq!(d.errors[0].field, Field::ScheduleToStartTimeout);
    }
}
