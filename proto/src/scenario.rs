//! The Failure Simulation panel: how the demo's Worker really misbehaves for
//! one run. The scenario travels to the Worker in the activity's Header under
//! [`SCENARIO_HEADER`], so it is durable in Temporal and reaches any Worker.

use serde::{Deserialize, Serialize};

/// Header key carrying the JSON-encoded [`FailureScenario`].
pub const SCENARIO_HEADER: &str = "demo-scenario";

/// The error type the Worker fails with for [`FailureScenario::FailFirst`].
pub const RETRYABLE_ERROR_TYPE: &str = "SimulatedFailure";

/// The error type the Worker fails with for [`FailureScenario::NonRetryable`].
pub const NON_RETRYABLE_ERROR_TYPE: &str = "InvalidNameError";

/// What the Worker does on each attempt of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FailureScenario {
    /// Every attempt succeeds.
    #[default]
    None,
    /// Attempts `1..=attempts` fail with a retryable application error
    /// ([`RETRYABLE_ERROR_TYPE`]); later attempts succeed.
    FailFirst {
        /// How many leading attempts fail.
        attempts: u32,
    },
    /// The first attempt fails with a non-retryable application error
    /// ([`NON_RETRYABLE_ERROR_TYPE`]): the server does not retry.
    NonRetryable,
    /// Attempts `1..=attempts` run past their start-to-close deadline, so the
    /// server times them out and retries; later attempts succeed.
    TooSlow {
        /// How many leading attempts are too slow.
        attempts: u32,
    },
    /// Every attempt works for `seconds`, heartbeating its progress, then
    /// succeeds: long enough to watch heartbeats, cancel or terminate it.
    LongRunning {
        /// How long each attempt works.
        seconds: u32,
    },
    /// Attempts `1..=attempts` heartbeat for a while, then go silent and never
    /// report back, as if the Worker process died: the server's heartbeat
    /// timeout fires and it retries; the next attempt resumes from the last
    /// heartbeat's progress. Needs a heartbeat timeout.
    Crash {
        /// How many leading attempts crash.
        attempts: u32,
    },
    /// No Worker polls the run's task queue for `seconds`: the task waits
    /// durably on the queue and runs when the Worker comes back (unless a
    /// schedule-to-start timeout fires first). Needs a task queue no one else
    /// uses, so the outage cannot disturb other runs.
    Outage {
        /// How long the Worker stays away.
        seconds: u32,
    },
}

/// How many progress steps a crashing or long-running attempt heartbeats.
pub const PROGRESS_STEPS: u32 = 10;

impl FailureScenario {
    /// Whether attempt `attempt` (from 1) is meant to misbehave.
    pub fn misbehaves_on(self, attempt: u32) -> bool {
        match self {
            FailureScenario::None => false,
            FailureScenario::FailFirst { attempts } | FailureScenario::TooSlow { attempts } => {
                attempt <= attempts
            }
            FailureScenario::NonRetryable => true,
            FailureScenario::Crash { attempts } => attempt <= attempts,
            FailureScenario::LongRunning { .. } | FailureScenario::Outage { .. } => false,
        }
    }

    /// A short description for Temporal's summary field and the history list.
    pub fn summary(self) -> String {
        match self {
            FailureScenario::None => "no failures".to_owned(),
            FailureScenario::FailFirst { attempts } => {
                format!("fail the first {attempts} attempt(s)")
            }
            FailureScenario::NonRetryable => "non-retryable failure".to_owned(),
            FailureScenario::TooSlow { attempts } => {
                format!("first {attempts} attempt(s) exceed start-to-close")
            }
            FailureScenario::LongRunning { seconds } => format!("works {seconds} s, heartbeating"),
            FailureScenario::Crash { attempts } => {
                format!("Worker crashes during the first {attempts} attempt(s)")
            }
            FailureScenario::Outage { seconds } => format!("no Worker for {seconds} s"),
        }
    }
}

impl FailureScenario {
    /// One of each scenario (with typical counts), for the tests that must
    /// cover them all.
    pub const EVERY: [FailureScenario; 7] = [
        FailureScenario::None,
        FailureScenario::FailFirst { attempts: 2 },
        FailureScenario::NonRetryable,
        FailureScenario::TooSlow { attempts: 1 },
        FailureScenario::LongRunning { seconds: 30 },
        FailureScenario::Crash { attempts: 1 },
        FailureScenario::Outage { seconds: 12 },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_encoding_is_stable() {
        let json = serde_json::to_string(&FailureScenario::FailFirst { attempts: 2 }).unwrap();
        assert_eq!(json, r#"{"kind":"fail_first","attempts":2}"#);
        let none: FailureScenario = serde_json::from_str(r#"{"kind":"none"}"#).unwrap();
        assert_eq!(none, FailureScenario::None);
    }

    #[test]
    fn fail_first_misbehaves_only_on_leading_attempts() {
        let s = FailureScenario::FailFirst { attempts: 2 };
        assert!(s.misbehaves_on(1) && s.misbehaves_on(2) && !s.misbehaves_on(3));
        assert!(!FailureScenario::None.misbehaves_on(1));
    }
}
