//! What the Configure Activity panel edits: the options of one standalone
//! activity start, in SDK-neutral form. Durations are whole milliseconds.

use serde::{Deserialize, Serialize};

/// Which single timeout the basic form sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutKind {
    /// Bounds one attempt; the server then retries.
    #[default]
    StartToClose,
    /// Bounds the whole execution, every attempt and backoff included.
    ScheduleToClose,
}

impl TimeoutKind {
    /// Both kinds, in the order of the select box.
    pub const ALL: [TimeoutKind; 2] = [TimeoutKind::StartToClose, TimeoutKind::ScheduleToClose];

    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            TimeoutKind::StartToClose => "Start-to-Close",
            TimeoutKind::ScheduleToClose => "Schedule-to-Close",
        }
    }

    /// Stable identifier (form values, URLs).
    pub const fn slug(self) -> &'static str {
        match self {
            TimeoutKind::StartToClose => "start_to_close",
            TimeoutKind::ScheduleToClose => "schedule_to_close",
        }
    }

    /// Parses [`TimeoutKind::slug`].
    pub fn from_slug(s: &str) -> Option<TimeoutKind> {
        TimeoutKind::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// What happens when an activity id is started again after a run with that
/// id has closed. Temporal's default is [`IdReusePolicy::AllowDuplicate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdReusePolicy {
    /// Always allow a new run.
    #[default]
    AllowDuplicate,
    /// Allow a new run only if the previous one did not complete.
    AllowDuplicateFailedOnly,
    /// Never reuse the id.
    RejectDuplicate,
}

impl IdReusePolicy {
    /// Every policy.
    pub const ALL: [IdReusePolicy; 3] = [
        IdReusePolicy::AllowDuplicate,
        IdReusePolicy::AllowDuplicateFailedOnly,
        IdReusePolicy::RejectDuplicate,
    ];

    /// The CLI's (case-sensitive) spelling, also used as the stable identifier.
    pub const fn cli_name(self) -> &'static str {
        match self {
            IdReusePolicy::AllowDuplicate => "AllowDuplicate",
            IdReusePolicy::AllowDuplicateFailedOnly => "AllowDuplicateFailedOnly",
            IdReusePolicy::RejectDuplicate => "RejectDuplicate",
        }
    }

    /// The proto enum suffix (`ACTIVITY_ID_REUSE_POLICY_<this>`).
    pub const fn screaming(self) -> &'static str {
        match self {
            IdReusePolicy::AllowDuplicate => "ALLOW_DUPLICATE",
            IdReusePolicy::AllowDuplicateFailedOnly => "ALLOW_DUPLICATE_FAILED_ONLY",
            IdReusePolicy::RejectDuplicate => "REJECT_DUPLICATE",
        }
    }
}

/// What happens when an activity id is started while a run with that id is
/// still open. Temporal's default is [`IdConflictPolicy::Fail`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdConflictPolicy {
    /// Reject the start with "already started".
    #[default]
    Fail,
    /// Return the running run instead of starting a new one.
    UseExisting,
}

impl IdConflictPolicy {
    /// Every policy.
    pub const ALL: [IdConflictPolicy; 2] = [IdConflictPolicy::Fail, IdConflictPolicy::UseExisting];

    /// The CLI's (case-sensitive) spelling, also used as the stable identifier.
    pub const fn cli_name(self) -> &'static str {
        match self {
            IdConflictPolicy::Fail => "Fail",
            IdConflictPolicy::UseExisting => "UseExisting",
        }
    }

    /// The proto enum suffix (`ACTIVITY_ID_CONFLICT_POLICY_<this>`).
    pub const fn screaming(self) -> &'static str {
        match self {
            IdConflictPolicy::Fail => "FAIL",
            IdConflictPolicy::UseExisting => "USE_EXISTING",
        }
    }
}

/// The retry policy sent with every start. The demo always sends one, so that
/// a run is bounded (the server's default allows unlimited attempts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Backoff before the first retry.
    pub initial_interval_ms: u64,
    /// Multiplier applied to the interval after each retry (>= 1).
    pub backoff_coefficient: f64,
    /// Upper bound of any one backoff.
    pub maximum_interval_ms: u64,
    /// Total attempts allowed, the first one included (1 = no retries).
    pub maximum_attempts: u32,
    /// Application error types that end the run at once.
    #[serde(default)]
    pub non_retryable_error_types: Vec<String>,
}

impl Default for RetryPolicy {
    /// Temporal's defaults, bounded to four attempts.
    fn default() -> Self {
        RetryPolicy {
            initial_interval_ms: 1_000,
            backoff_coefficient: 2.0,
            maximum_interval_ms: 100_000,
            maximum_attempts: 4,
            non_retryable_error_types: Vec::new(),
        }
    }
}

impl RetryPolicy {
    /// The backoff the server waits after failed attempt `attempt` (from 1):
    /// `min(initial * coefficient^(attempt-1), maximum)`.
    pub fn backoff_after(&self, attempt: u32) -> u64 {
        let exp = attempt.saturating_sub(1).min(64) as i32;
        let raw = self.initial_interval_ms as f64 * self.backoff_coefficient.powi(exp);
        if !raw.is_finite() || raw >= self.maximum_interval_ms as f64 {
            self.maximum_interval_ms
        } else {
            raw.round() as u64
        }
    }
}

/// Everything the Configure Activity panel sets for one start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityConfig {
    /// The activity id (the business key; unique among open runs).
    pub activity_id: String,
    /// The task queue the Worker polls.
    pub task_queue: String,
    /// The name passed as the activity's single argument.
    pub input: String,
    /// Which timeout [`ActivityConfig::timeout_ms`] sets.
    pub timeout_kind: TimeoutKind,
    /// The start-to-close or schedule-to-close timeout.
    pub timeout_ms: u64,
    /// Optional schedule-to-start timeout (time allowed waiting on the queue).
    #[serde(default)]
    pub schedule_to_start_timeout_ms: Option<u64>,
    /// Optional heartbeat timeout.
    #[serde(default)]
    pub heartbeat_timeout_ms: Option<u64>,
    /// Retry policy sent with the start.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Id reuse policy.
    #[serde(default)]
    pub id_reuse_policy: IdReusePolicy,
    /// Id conflict policy.
    #[serde(default)]
    pub id_conflict_policy: IdConflictPolicy,
    /// How long Temporal waits after the start before it dispatches the
    /// first attempt; `None`: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_delay_ms: Option<u64>,
}

impl Default for ActivityConfig {
    fn default() -> Self {
        ActivityConfig {
            activity_id: "greeting-activity".to_owned(),
            task_queue: "standalone-activity-demo".to_owned(),
            input: "World".to_owned(),
            timeout_kind: TimeoutKind::StartToClose,
            timeout_ms: 10_000,
            schedule_to_start_timeout_ms: None,
            heartbeat_timeout_ms: None,
            retry: RetryPolicy::default(),
            id_reuse_policy: IdReusePolicy::default(),
            id_conflict_policy: IdConflictPolicy::default(),
            start_delay_ms: None,
        }
    }
}

impl ActivityConfig {
    /// The start-to-close timeout, if the form sets it.
    pub fn start_to_close_ms(&self) -> Option<u64> {
        (self.timeout_kind == TimeoutKind::StartToClose).then_some(self.timeout_ms)
    }

    /// The schedule-to-close timeout, if the form sets it.
    pub fn schedule_to_close_ms(&self) -> Option<u64> {
        (self.timeout_kind == TimeoutKind::ScheduleToClose).then_some(self.timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_backoff_is_capped() {
        let p = RetryPolicy {
            maximum_interval_ms: 5_000,
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = (1..=5).map(|a| p.backoff_after(a)).collect();
        assert_eq!(waits, [1_000, 2_000, 4_000, 5_000, 5_000]);
    }

    #[test]
    fn huge_coefficients_do_not_overflow() {
        let p = RetryPolicy {
            backoff_coefficient: 1e300,
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff_after(40), p.maximum_interval_ms);
    }
}
