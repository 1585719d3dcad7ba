//! Pure: a Workflow's Event History → log events, the existing kinds where
//! they fit (`Scheduled` from `ActivityTaskScheduled`, `AttemptStarted`
//! from `ActivityTaskStarted`) and new ones where none does
//! (`WorkflowStarted`, `ActivityClosed` from the activity's close event),
//! each with its history event id and Temporal's time.
//!
//! A Workflow's history records only the last attempt's start (written
//! when the activity closes, carrying the failure of the attempt before):
//! earlier attempts are inferred from it (their failures, untimed, after
//! the last start), that failure reported without a time.
//! The final word is the Workflow's close, the latest fact: it is the
//! activity's outcome (`Completed`, `Failed`, `TimedOut`, `Canceled`: what
//! the Workflow returned or failed with) at the Workflow close's time and
//! event, or, when the Workflow ended first (terminated, timed out), what
//! ended it.

use proto::{AttemptPhase, EventKind, FailureInfo, RetryState, RunEvent, RunStatus, Source};

use crate::gateway::{HistoryEvent, HistoryFact};

/// Follows one Workflow run's history.
#[derive(Debug)]
pub struct HistoryTracker {
    workflow_id: String,
    run_id: String,
    /// The last attempt whose start the history recorded.
    started: Option<u32>,
    /// The activity's outcome, until the Workflow closes.
    outcome: Option<EventKind>,
    done: bool,
}

impl HistoryTracker {
    /// A tracker for the Workflow `workflow_id`, run `run_id`.
    pub fn new(workflow_id: &str, run_id: &str) -> HistoryTracker {
        HistoryTracker {
            workflow_id: workflow_id.to_owned(),
            run_id: run_id.to_owned(),
            started: None,
            outcome: None,
            done: false,
        }
    }

    /// Whether the Workflow closed (the final word was emitted).
    pub fn is_done(&self) -> bool {
        self.done
    }

    fn attempt(&self) -> u32 {
        self.started.unwrap_or(1)
    }

    fn phase(&self) -> AttemptPhase {
        match self.started {
            Some(_) => AttemptPhase::Running,
            None => AttemptPhase::Unknown,
        }
    }

    /// The activity closed: its line now, its outcome kept for the
    /// Workflow's close.
    fn activity_closed(
        &mut self,
        out: &mut Vec<RunEvent>,
        ev: &HistoryEvent,
        status: RunStatus,
        result: &Option<String>,
        failure: &Option<FailureInfo>,
        retry_state: Option<RetryState>,
    ) {
        let (attempt, phase) = (self.attempt(), self.phase());
        out.push(
            RunEvent::reported(
                Source::Server,
                ev.at_ms,
                EventKind::ActivityClosed {
                    attempt,
                    status,
                    result: result.clone(),
                    failure: failure.clone(),
                    retry_state,
                },
            )
            .from_history(ev.event_id),
        );
        let (result, failure) = (result.clone(), failure.clone());
        self.outcome = Some(match status {
            RunStatus::Completed => EventKind::Completed { attempt, result },
            RunStatus::Failed => EventKind::Failed {
                attempt,
                failure,
                retry_state,
            },
            RunStatus::TimedOut => EventKind::TimedOut {
                attempt,
                phase,
                failure,
                retry_state,
            },
            _ => EventKind::Canceled { attempt, phase },
        });
    }

    /// The log events `ev` brings, in order.
    pub fn observe(&mut self, ev: &HistoryEvent) -> Vec<RunEvent> {
        let at =
            |kind| RunEvent::reported(Source::Server, ev.at_ms, kind).from_history(ev.event_id);
        let mut out = Vec::new();
        match &ev.fact {
            HistoryFact::WorkflowStarted {
                workflow_type,
                task_queue,
            } => out.push(at(EventKind::WorkflowStarted {
                workflow_id: self.workflow_id.clone(),
                run_id: self.run_id.clone(),
                workflow_type: workflow_type.clone(),
                task_queue: task_queue.clone(),
            })),
            HistoryFact::ActivityScheduled {
                activity_id,
                activity_type,
                task_queue,
                scenario,
            } => {
                out.push(at(EventKind::Scheduled {
                    activity_id: activity_id.clone(),
                    // An activity of a Workflow has no run id of its own.
                    run_id: self.run_id.clone(),
                    activity_type: activity_type.clone(),
                    task_queue: task_queue.clone(),
                    start_delay_ms: None,
                    first_attempt_at_ms: None,
                }));
                // The outage is in the activity's record (its Header).
                if let Some(proto::FailureScenario::Outage { seconds }) = scenario {
                    out.push(RunEvent::reported(
                        Source::Worker,
                        ev.at_ms,
                        EventKind::WorkerOffline {
                            task_queue: task_queue.clone(),
                            seconds: *seconds,
                        },
                    ));
                }
            }
            HistoryFact::ActivityStarted {
                attempt,
                identity,
                last_failure,
            } => {
                let attempt = *attempt;
                self.started = Some(attempt);
                // The timed start first: the Worker's lines of this attempt
                // are already in the log, and a timed line never moves before
                // an untimed one. So the earlier attempts are told by their
                // failures alone (untimed, in attempt order, after it): an
                // inferred "attempt k started" would have to precede this
                // start in the stream.
                out.push(at(EventKind::AttemptStarted {
                    attempt,
                    worker_identity: (!identity.is_empty()).then(|| identity.clone()),
                }));
                for a in 1..attempt {
                    let failed = |failure| EventKind::AttemptFailed {
                        attempt: a,
                        failure,
                        next_attempt_at_ms: None,
                        retry_in_ms: None,
                    };
                    out.push(match last_failure {
                        // The attempt before the last: its failure is in the
                        // record, its time is not.
                        Some(f) if a + 1 == attempt => {
                            RunEvent::reported(Source::Server, None, failed(Some(f.clone())))
                                .from_history(ev.event_id)
                        }
                        _ => RunEvent::inferred(Source::Server, failed(None)),
                    });
                }
            }
            HistoryFact::ActivityCompleted { result } => {
                self.activity_closed(&mut out, ev, RunStatus::Completed, result, &None, None);
            }
            HistoryFact::ActivityFailed {
                failure,
                retry_state,
            } => self.activity_closed(
                &mut out,
                ev,
                RunStatus::Failed,
                &None,
                failure,
                *retry_state,
            ),
            HistoryFact::ActivityTimedOut {
                failure,
                retry_state,
            } => self.activity_closed(
                &mut out,
                ev,
                RunStatus::TimedOut,
                &None,
                failure,
                *retry_state,
            ),
            HistoryFact::ActivityCanceled => {
                self.activity_closed(&mut out, ev, RunStatus::Canceled, &None, &None, None);
            }
            HistoryFact::WorkflowClosed {
                status,
                result,
                failure,
                reason,
            } => {
                let (attempt, phase) = (self.attempt(), self.phase());
                let kind = self.outcome.take().unwrap_or_else(|| match status {
                    RunStatus::Completed => EventKind::Completed {
                        attempt,
                        result: result.clone(),
                    },
                    RunStatus::Failed => EventKind::Failed {
                        attempt,
                        failure: failure.clone(),
                        retry_state: None,
                    },
                    RunStatus::TimedOut => EventKind::TimedOut {
                        attempt,
                        phase,
                        failure: None,
                        retry_state: None,
                    },
                    RunStatus::Canceled => EventKind::Canceled { attempt, phase },
                    _ => EventKind::Terminated {
                        attempt,
                        phase,
                        reason: reason.clone(),
                    },
                });
                out.push(at(kind));
                self.done = true;
            }
            HistoryFact::Other => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::FailureInfo;

    fn ev(event_id: i64, at_ms: i64, fact: HistoryFact) -> HistoryEvent {
        HistoryEvent {
            event_id,
            at_ms: Some(at_ms),
            fact,
        }
    }

    fn boom() -> FailureInfo {
        FailureInfo {
            message: "simulated failure on attempt 2".into(),
            error_type: Some("SimulatedFailure".into()),
            non_retryable: false,
            timeout: None,
        }
    }

    /// The history of a fail-first-2 run, as Temporal writes it.
    fn fail_first_two() -> Vec<HistoryEvent> {
        vec![
            ev(
                1,
                100,
                HistoryFact::WorkflowStarted {
                    workflow_type: "GreetingWorkflow".into(),
                    task_queue: "q".into(),
                },
            ),
            ev(2, 101, HistoryFact::Other),
            ev(
                5,
                110,
                HistoryFact::ActivityScheduled {
                    activity_id: "greet-1".into(),
                    activity_type: "Activity".into(),
                    task_queue: "q".into(),
                    scenario: None,
                },
            ),
            ev(
                6,
                3_100,
                HistoryFact::ActivityStarted {
                    attempt: 3,
                    identity: "w".into(),
                    last_failure: Some(boom()),
                },
            ),
            ev(
                7,
                3_120,
                HistoryFact::ActivityCompleted {
                    result: Some("\"Hello, World!\"".into()),
                },
            ),
            ev(
                11,
                3_200,
                HistoryFact::WorkflowClosed {
                    status: RunStatus::Completed,
                    result: Some("\"Hello, World!\"".into()),
                    failure: None,
                    reason: None,
                },
            ),
        ]
    }

    #[test]
    fn a_retried_activity_reads_as_its_attempts_with_the_last_one_reported() {
        let mut t = HistoryTracker::new("greet-1", "run-1");
        let mut log = Vec::new();
        for e in fail_first_two() {
            assert!(!t.is_done());
            log.extend(t.observe(&e));
        }
        assert!(t.is_done());
        let ids: Vec<&str> = log.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "wf-started",
                "scheduled",
                "a3-started",
                "a1-failed",
                "a2-failed",
                "activity-closed",
                "end"
            ]
        );
        let inferred: Vec<bool> = log.iter().map(|e| e.inferred).collect();
        assert_eq!(inferred, [false, false, false, true, false, false, false]);
        // Reported lines carry their event and its time; attempt 2's failure
        // has no time of its own.
        let (events, times): (Vec<_>, Vec<_>) =
            log.iter().map(|e| (e.history_event_id, e.at_ms)).unzip();
        assert_eq!(
            events,
            [Some(1), Some(5), Some(6), None, Some(6), Some(7), Some(11)]
        );
        assert_eq!(
            times,
            [
                Some(100),
                Some(110),
                Some(3_100),
                None,
                None,
                Some(3_120),
                Some(3_200)
            ]
        );
        assert!(matches!(
            &log[4].kind,
            EventKind::AttemptFailed { attempt: 2, failure: Some(f), .. } if *f == boom()
        ));
        assert!(matches!(
            &log[6].kind,
            EventKind::Completed { attempt: 3, result: Some(r) } if r == "\"Hello, World!\""
        ));
        assert!(log[6].kind.is_terminal() && !log[5].kind.is_terminal());
    }

    #[test]
    fn a_workflow_ended_before_its_activity_ends_the_run_so() {
        let mut t = HistoryTracker::new("greet-1", "run-1");
        let mut log = t.observe(&ev(
            5,
            110,
            HistoryFact::ActivityScheduled {
                activity_id: "greet-1".into(),
                activity_type: "Activity".into(),
                task_queue: "q".into(),
                scenario: None,
            },
        ));
        log.extend(t.observe(&ev(
            9,
            900,
            HistoryFact::WorkflowClosed {
                status: RunStatus::Terminated,
                result: None,
                failure: None,
                reason: Some("stop".into()),
            },
        )));
        assert!(t.is_done());
        assert_eq!(
            log.last().map(|e| &e.kind),
            Some(&EventKind::Terminated {
                attempt: 1,
                phase: AttemptPhase::Unknown,
                reason: Some("stop".into()),
            })
        );
        assert_eq!(log.last().and_then(|e| e.history_event_id), Some(9));
    }
}
