//! The form's fields as errors name them: which field ([`Field`]) and what
//! is wrong with it ([`FieldError`]). Below both the API bodies (an
//! [`ApiError`](crate::ApiError) lists them) and the validation that makes
//! them, so neither imports the other's module for them.

use serde::{Deserialize, Serialize};

/// A form field that can be invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Activity ID.
    ActivityId,
    /// Task Queue.
    TaskQueue,
    /// Input.
    Input,
    /// Timeout (seconds).
    Timeout,
    /// Schedule-to-start timeout.
    ScheduleToStartTimeout,
    /// Heartbeat timeout.
    HeartbeatTimeout,
    /// Start delay.
    StartDelay,
    /// Retry initial interval.
    InitialInterval,
    /// Retry backoff coefficient.
    BackoffCoefficient,
    /// Retry maximum interval.
    MaximumInterval,
    /// Maximum attempts (max retries + 1).
    MaximumAttempts,
    /// Non-retryable error types.
    NonRetryableErrorTypes,
    /// Failure simulation attempt count.
    FailAttempts,
    /// Failure simulation duration (long-running work, Worker outage).
    ScenarioSeconds,
}

impl Field {
    /// Human label, as on the form.
    pub const fn label(self) -> &'static str {
        match self {
            Field::ActivityId => "Activity ID",
            Field::TaskQueue => "Task Queue",
            Field::Input => "Input",
            Field::Timeout => "Timeout",
            Field::ScheduleToStartTimeout => "Schedule-to-Start timeout",
            Field::HeartbeatTimeout => "Heartbeat timeout",
            Field::StartDelay => "Start delay",
            Field::InitialInterval => "Initial interval",
            Field::BackoffCoefficient => "Backoff coefficient",
            Field::MaximumInterval => "Maximum interval",
            Field::MaximumAttempts => "Max retries",
            Field::NonRetryableErrorTypes => "Non-retryable error types",
            Field::FailAttempts => "Fail on first N attempts",
            Field::ScenarioSeconds => "Seconds",
        }
    }
}

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Which field.
    pub field: Field,
    /// What is wrong, with the limit.
    pub message: String,
}
