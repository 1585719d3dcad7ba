//! The Failure Simulation panel's forecast: what the run will do, computed
//! from the same retry policy the Temporal Server will apply.

use crate::api::RunStatus;
use crate::config::ActivityConfig;
use crate::event::format_ms;
use crate::scenario::{FailureScenario, NON_RETRYABLE_ERROR_TYPE};

/// The predicted course of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// How the run ends.
    pub outcome: RunStatus,
    /// How many attempts it makes.
    pub attempts: u32,
    /// The backoff before each retry, in order.
    pub backoffs_ms: Vec<u64>,
    /// One line for a person.
    pub text: String,
}

fn list(backoffs: &[u64]) -> String {
    backoffs
        .iter()
        .map(|ms| format_ms(*ms))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Predicts the run `config` + `scenario` will make.
pub fn forecast(config: &ActivityConfig, scenario: FailureScenario) -> Forecast {
    let max = config.retry.maximum_attempts.max(1);
    let (bad, one, many) = match scenario {
        FailureScenario::LongRunning { seconds } => {
            let (outcome, text) = if u64::from(seconds) * 1_000 >= config.timeout_ms {
                (
                    RunStatus::TimedOut,
                    format!(
                        "Each attempt works {seconds} s but the timeout is {}: it times out.",
                        format_ms(config.timeout_ms)
                    ),
                )
            } else {
                (
                    RunStatus::Completed,
                    format!(
                        "Works {seconds} s, heartbeating its progress, then succeeds: time to \
                         cancel or terminate it."
                    ),
                )
            };
            return Forecast {
                outcome,
                attempts: 1,
                backoffs_ms: Vec::new(),
                text,
            };
        }
        FailureScenario::Outage { seconds } => {
            let (outcome, text) = match config.schedule_to_start_timeout_ms {
                Some(ms) if ms < u64::from(seconds) * 1_000 => (
                    RunStatus::TimedOut,
                    format!(
                        "The task waits on the queue, but the {} schedule-to-start timeout fires \
                         before the Worker returns after {seconds} s: Timed out.",
                        format_ms(ms)
                    ),
                ),
                _ => (
                    RunStatus::Completed,
                    format!(
                        "The task waits durably on the queue for {seconds} s while no Worker \
                         polls, then runs when the Worker returns."
                    ),
                ),
            };
            return Forecast {
                outcome,
                attempts: 1,
                backoffs_ms: Vec::new(),
                text,
            };
        }
        FailureScenario::Crash { attempts } => (attempts, "crashes", "crash"),
        FailureScenario::None => (0, "fails", "fail"),
        FailureScenario::FailFirst { attempts } => (attempts, "fails", "fail"),
        FailureScenario::TooSlow { attempts } => (attempts, "times out", "time out"),
        FailureScenario::NonRetryable => {
            return Forecast {
                outcome: RunStatus::Failed,
                attempts: 1,
                backoffs_ms: Vec::new(),
                text: format!(
                    "Attempt 1 fails with {NON_RETRYABLE_ERROR_TYPE}, a non-retryable error: \
                     the run ends Failed without a retry."
                ),
            };
        }
    };
    let bad_is_slow = matches!(
        scenario,
        FailureScenario::TooSlow { .. } | FailureScenario::Crash { .. }
    );
    let attempts = (bad + 1).min(max);
    let failed = bad.min(max);
    let backoffs_ms: Vec<u64> = (1..attempts)
        .map(|a| config.retry.backoff_after(a))
        .collect();
    let total: u64 = backoffs_ms.iter().sum();
    let slow_cost = match scenario {
        FailureScenario::TooSlow { .. } => u64::from(failed) * config.timeout_ms,
        FailureScenario::Crash { .. } => {
            u64::from(failed) * config.heartbeat_timeout_ms.unwrap_or(config.timeout_ms)
        }
        _ => 0,
    };
    if let Some(limit) = config.schedule_to_close_ms()
        && failed > 0
        && total + slow_cost >= limit
    {
        return Forecast {
            outcome: RunStatus::TimedOut,
            attempts,
            backoffs_ms,
            text: format!(
                "Each attempt {one} and the backoff adds up past the {} schedule-to-close \
                 timeout: the run ends Timed out.",
                format_ms(limit)
            ),
        };
    }
    let text = if bad == 0 {
        "Succeeds on attempt 1.".to_owned()
    } else if bad < max {
        format!(
            "Attempt{} 1{} {}, then attempt {attempts} succeeds after ~{} of backoff ({}).",
            if bad > 1 { "s" } else { "" },
            if bad > 1 {
                format!("–{bad}")
            } else {
                String::new()
            },
            if bad > 1 { many } else { one },
            format_ms(total),
            list(&backoffs_ms)
        )
    } else if max == 1 {
        format!("Attempt 1 {one} and no retry is allowed: the run ends Failed.")
    } else {
        format!(
            "All {max} attempts {}: the run ends {} after ~{} of backoff ({}).",
            many,
            if bad_is_slow { "Timed out" } else { "Failed" },
            format_ms(total),
            list(&backoffs_ms)
        )
    };
    let outcome = if bad < max {
        RunStatus::Completed
    } else if bad_is_slow {
        RunStatus::TimedOut
    } else {
        RunStatus::Failed
    };
    Forecast {
        outcome,
        attempts,
        backoffs_ms,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(max_attempts: u32) -> ActivityConfig {
        let mut c = ActivityConfig::default();
        c.retry.maximum_attempts = max_attempts;
        c
    }

    #[test]
    fn two_failures_then_success() {
        let f = forecast(&config(3), FailureScenario::FailFirst { attempts: 2 });
        assert_eq!(f.outcome, RunStatus::Completed);
        assert_eq!(f.attempts, 3);
        assert_eq!(f.backoffs_ms, [1_000, 2_000]);
        assert_eq!(
            f.text,
            "Attempts 1–2 fail, then attempt 3 succeeds after ~3 s of backoff (1 s, 2 s)."
        );
    }

    #[test]
    fn retries_exhausted() {
        let f = forecast(&config(3), FailureScenario::FailFirst { attempts: 3 });
        assert_eq!(f.outcome, RunStatus::Failed);
        assert_eq!(f.attempts, 3);
        assert!(f.text.starts_with("All 3 attempts fail"), "{}", f.text);
    }

    #[test]
    fn long_running_past_its_timeout_times_out() {
        let mut c = config(1);
        c.timeout_ms = 5_000;
        let f = forecast(&c, FailureScenario::LongRunning { seconds: 10 });
        assert_eq!(f.outcome, RunStatus::TimedOut);
        let f = forecast(&c, FailureScenario::LongRunning { seconds: 2 });
        assert_eq!(f.outcome, RunStatus::Completed);
    }

    #[test]
    fn no_failures() {
        let f = forecast(&config(3), FailureScenario::None);
        assert_eq!((f.outcome, f.attempts), (RunStatus::Completed, 1));
    }

    #[test]
    fn schedule_to_close_cuts_retries_short() {
        let mut c = config(5);
        c.timeout_kind = crate::config::TimeoutKind::ScheduleToClose;
        c.timeout_ms = 2_000;
        let f = forecast(&c, FailureScenario::FailFirst { attempts: 3 });
        assert_eq!(f.outcome, RunStatus::TimedOut);
    }
}
