//! How attempts and runs fail, as Temporal records it: the failure itself,
//! the timeout that fired, and why Temporal stopped retrying.

use serde::{Deserialize, Serialize};

/// Which Temporal timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutType {
    /// One attempt ran too long.
    StartToClose,
    /// The task waited on the queue too long.
    ScheduleToStart,
    /// The whole execution ran too long.
    ScheduleToClose,
    /// The activity stopped heartbeating.
    Heartbeat,
}

impl TimeoutType {
    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            TimeoutType::StartToClose => "start-to-close",
            TimeoutType::ScheduleToStart => "schedule-to-start",
            TimeoutType::ScheduleToClose => "schedule-to-close",
            TimeoutType::Heartbeat => "heartbeat",
        }
    }
}

/// Why Temporal stopped retrying, as its outcome's `retry_state` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryState {
    /// The retry policy's maximum attempts were used up.
    MaximumAttemptsReached,
    /// The error was non-retryable (flagged, or its type listed in the policy).
    NonRetryableFailure,
    /// The next attempt would not fit in the schedule-to-close timeout.
    Timeout,
    /// The run has no retry policy.
    RetryPolicyNotSet,
    /// A cancel request stopped the retries.
    CancelRequested,
    /// Temporal's own error.
    InternalServerError,
}

impl RetryState {
    /// Why no further attempt, for a person.
    pub const fn label(self) -> &'static str {
        match self {
            RetryState::MaximumAttemptsReached => "maximum attempts reached",
            RetryState::NonRetryableFailure => "the error is non-retryable",
            RetryState::Timeout => "no time left before the schedule-to-close timeout",
            RetryState::RetryPolicyNotSet => "no retry policy",
            RetryState::CancelRequested => "a cancel was requested",
            RetryState::InternalServerError => "an internal server error",
        }
    }
}

/// A failure as Temporal recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureInfo {
    /// The failure message.
    pub message: String,
    /// The application error type, when it is an application failure.
    pub error_type: Option<String>,
    /// Whether the failure was marked non-retryable.
    pub non_retryable: bool,
    /// The timeout that fired, when it is a timeout failure.
    pub timeout: Option<TimeoutType>,
}

impl std::fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.timeout, &self.error_type) {
            (Some(t), _) => write!(f, "{} timeout", t.label()),
            (None, Some(ty)) if !ty.is_empty() => write!(f, "{ty}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}
