//! Validation of a [`RunRequest`], shared by the form (inline errors) and the
//! server (which enforces it). Every error names its field and the limit.

use crate::api::RunRequest;
use crate::config::{RetryPolicy, TimeoutKind};
use crate::decimal;
use crate::field::{Field, FieldError};
use crate::scenario::FailureScenario;

/// The bounds the server enforces on every run, whatever the form says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits;

impl Limits {
    /// Longest activity id or task queue name, in characters.
    pub const MAX_NAME_CHARS: usize = 200;
    /// Longest input, in characters.
    pub const MAX_INPUT_CHARS: usize = 500;
    /// Shortest timeout.
    pub const MIN_TIMEOUT_MS: u64 = 1_000;
    /// Longest timeout (start-to-close, schedule-to-close, schedule-to-start).
    pub const MAX_TIMEOUT_MS: u64 = 120_000;
    /// Longest start delay.
    pub const MAX_START_DELAY_MS: u64 = 300_000;
    /// Most attempts a run may make.
    pub const MAX_ATTEMPTS: u32 = 10;
    /// Shortest retry interval.
    pub const MIN_INTERVAL_MS: u64 = 100;
    /// Longest initial retry interval.
    pub const MAX_INTERVAL_MS: u64 = 60_000;
    /// Longest maximum retry interval (Temporal's default, 100 s, is allowed).
    pub const MAX_MAXIMUM_INTERVAL_MS: u64 = 100_000;
    /// Largest backoff coefficient.
    pub const MAX_BACKOFF_COEFFICIENT: f64 = 10.0;
    /// Most non-retryable error types.
    pub const MAX_ERROR_TYPES: usize = 10;
    /// Longest simulated work or Worker outage, in seconds.
    pub const MAX_SCENARIO_SECONDS: u32 = 60;
}

pub(crate) fn check_name(errors: &mut Vec<FieldError>, field: Field, value: &str) {
    let chars = value.chars().count();
    let message = if value.trim().is_empty() {
        Some("is required".to_owned())
    } else if chars > Limits::MAX_NAME_CHARS {
        Some(format!(
            "must be at most {} characters (got {chars})",
            Limits::MAX_NAME_CHARS
        ))
    } else if value.chars().any(char::is_control) {
        Some("must not contain control characters".to_owned())
    } else if value != value.trim() {
        Some("must not start or end with whitespace".to_owned())
    } else {
        None
    };
    if let Some(message) = message {
        errors.push(FieldError { field, message });
    }
}

pub(crate) fn check_range(errors: &mut Vec<FieldError>, field: Field, ms: u64, min: u64, max: u64) {
    if !(min..=max).contains(&ms) {
        errors.push(FieldError {
            field,
            message: format!(
                "must be between {} and {} seconds",
                decimal::seconds(min),
                decimal::seconds(max)
            ),
        });
    }
}

/// Checks a retry policy against the demo's limits.
pub(crate) fn check_retry(errors: &mut Vec<FieldError>, r: &RetryPolicy) {
    check_range(
        errors,
        Field::InitialInterval,
        r.initial_interval_ms,
        Limits::MIN_INTERVAL_MS,
        Limits::MAX_INTERVAL_MS,
    );
    check_range(
        errors,
        Field::MaximumInterval,
        r.maximum_interval_ms,
        Limits::MIN_INTERVAL_MS,
        Limits::MAX_MAXIMUM_INTERVAL_MS,
    );
    if r.maximum_interval_ms < r.initial_interval_ms {
        errors.push(FieldError {
            field: Field::MaximumInterval,
            message: "must not be shorter than the initial interval".to_owned(),
        });
    }
    if !(1.0..=Limits::MAX_BACKOFF_COEFFICIENT).contains(&r.backoff_coefficient) {
        errors.push(FieldError {
            field: Field::BackoffCoefficient,
            message: format!(
                "must be between 1 and {}",
                decimal::shortest(Limits::MAX_BACKOFF_COEFFICIENT)
            ),
        });
    }
    if !(1..=Limits::MAX_ATTEMPTS).contains(&r.maximum_attempts) {
        errors.push(FieldError {
            field: Field::MaximumAttempts,
            message: format!(
                "max retries must be between 0 and {}",
                Limits::MAX_ATTEMPTS - 1
            ),
        });
    }
    if r.non_retryable_error_types.len() > Limits::MAX_ERROR_TYPES
        || r.non_retryable_error_types
            .iter()
            .any(|t| t.trim().is_empty() || t.chars().count() > Limits::MAX_NAME_CHARS)
    {
        errors.push(FieldError {
            field: Field::NonRetryableErrorTypes,
            message: format!(
                "at most {} non-empty names of at most {} characters",
                Limits::MAX_ERROR_TYPES,
                Limits::MAX_NAME_CHARS
            ),
        });
    }
}

/// Checks every field; returns all errors at once, in form order.
pub fn validate(req: &RunRequest) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let c = &req.config;
    check_name(&mut errors, Field::ActivityId, &c.activity_id);
    check_name(&mut errors, Field::TaskQueue, &c.task_queue);
    if c.task_queue.starts_with("/_sys/") {
        errors.push(FieldError {
            field: Field::TaskQueue,
            message: "must not start with the reserved prefix /_sys/".to_owned(),
        });
    }
    let input_chars = c.input.chars().count();
    if input_chars > Limits::MAX_INPUT_CHARS {
        errors.push(FieldError {
            field: Field::Input,
            message: format!(
                "must be at most {} characters (got {input_chars})",
                Limits::MAX_INPUT_CHARS
            ),
        });
    }
    check_range(
        &mut errors,
        Field::Timeout,
        c.timeout_ms,
        Limits::MIN_TIMEOUT_MS,
        Limits::MAX_TIMEOUT_MS,
    );
    if let Some(ms) = c.schedule_to_start_timeout_ms {
        check_range(
            &mut errors,
            Field::ScheduleToStartTimeout,
            ms,
            Limits::MIN_TIMEOUT_MS,
            Limits::MAX_TIMEOUT_MS,
        );
    }
    if let Some(ms) = c.heartbeat_timeout_ms {
        check_range(
            &mut errors,
            Field::HeartbeatTimeout,
            ms,
            Limits::MIN_TIMEOUT_MS,
            Limits::MAX_TIMEOUT_MS,
        );
    }
    if let Some(ms) = c.start_delay_ms {
        check_range(
            &mut errors,
            Field::StartDelay,
            ms,
            Limits::MIN_TIMEOUT_MS,
            Limits::MAX_START_DELAY_MS,
        );
    }
    check_retry(&mut errors, &c.retry);
    match req.scenario {
        FailureScenario::FailFirst { attempts }
        | FailureScenario::TooSlow { attempts }
        | FailureScenario::Crash { attempts }
            if !(1..=Limits::MAX_ATTEMPTS).contains(&attempts) =>
        {
            errors.push(FieldError {
                field: Field::FailAttempts,
                message: format!("must be between 1 and {}", Limits::MAX_ATTEMPTS),
            });
        }
        FailureScenario::TooSlow { .. } if c.timeout_kind != TimeoutKind::StartToClose => {
            errors.push(FieldError {
                field: Field::Timeout,
                message: "the too-slow scenario needs a Start-to-Close timeout".to_owned(),
            });
        }
        FailureScenario::LongRunning { seconds } | FailureScenario::Outage { seconds }
            if !(1..=Limits::MAX_SCENARIO_SECONDS).contains(&seconds) =>
        {
            errors.push(FieldError {
                field: Field::ScenarioSeconds,
                message: format!("must be between 1 and {}", Limits::MAX_SCENARIO_SECONDS),
            });
        }
        FailureScenario::Crash { .. } => match c.heartbeat_timeout_ms {
            None => errors.push(FieldError {
                field: Field::HeartbeatTimeout,
                message: "the Worker-crash scenario needs a heartbeat timeout: it is how the \
                          server notices the silent Worker"
                    .to_owned(),
            }),
            Some(hb) if hb >= c.timeout_ms => errors.push(FieldError {
                field: Field::HeartbeatTimeout,
                message: "must be shorter than the timeout, or the crash is noticed only when \
                          the timeout fires"
                    .to_owned(),
            }),
            Some(_) => {}
        },
        _ => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ActivityConfig;
    use crate::language::Language;

    fn request() -> RunRequest {
        RunRequest {
            config: ActivityConfig::default(),
            scenario: FailureScenario::None,
            language: Language::Go,
            run_as: Default::default(),
        }
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(validate(&request()), Ok(()));
    }

    #[test]
    fn errors_name_field_and_limit() {
        let mut req = request();
        req.config.activity_id = String::new();
        req.config.timeout_ms = 999_000;
        req.config.retry.maximum_attempts = 50;
        let errors = validate(&req).unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [Field::ActivityId, Field::Timeout, Field::MaximumAttempts]
        );
        assert_eq!(errors[1].message, "must be between 1 and 120 seconds");
        assert!(errors[2].message.contains("between 0 and 9"));
    }

    #[test]
    fn rejects_control_characters_and_long_names() {
        let mut req = request();
        req.config.task_queue = "a\u{0}b".into();
        req.config.activity_id = "x".repeat(Limits::MAX_NAME_CHARS + 1);
        let errors = validate(&req).unwrap_err();
        assert!(errors[0].message.contains("at most 200"));
        assert!(errors[1].message.contains("control"));
    }

    #[test]
    fn crash_needs_a_heartbeat_timeout() {
        let mut req = request();
        req.scenario = FailureScenario::Crash { attempts: 1 };
        assert_eq!(
            validate(&req).unwrap_err()[0].field,
            Field::HeartbeatTimeout
        );
        req.config.heartbeat_timeout_ms = Some(2_000);
        assert_eq!(validate(&req), Ok(()));
    }

    #[test]
    fn nan_coefficient_is_rejected() {
        let mut req = request();
        req.config.retry.backoff_coefficient = f64::NAN;
        assert_eq!(
            validate(&req).unwrap_err()[0].field,
            Field::BackoffCoefficient
        );
    }
}
