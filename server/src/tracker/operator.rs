//! What operator commands do to a run's log, as Temporal's record shows
//! them: a reset begins a new round of attempts (the attempt number falls,
//! or a new attempt starts under a number that already started), a pause
//! begins and ends, the options change. Temporal reports none of their
//! times, so none of these lines has one.

use proto::{EventKind, RunEvent, Source};

use super::{RunState, Snapshot, Tracker};

impl Tracker {
    /// A reset, if `s` shows one: Temporal's attempt number fell, or a new
    /// attempt started under the number of one that already started. Emits
    /// the reset (Temporal does not report when) into `out` and returns the
    /// end of the attempt the reset interrupted, in the round before, when
    /// `s` reports it.
    pub(super) fn reset(&mut self, s: &Snapshot, out: &mut Vec<RunEvent>) -> Vec<RunEvent> {
        let n = s.attempt.max(1);
        let restarted = n == self.highest
            && self.started >= n
            && matches!((s.last_started_ms, self.latest_start), (Some(a), Some(b)) if a > b);
        if !(n < self.highest || restarted) {
            return Vec::new();
        }
        let running = self.started >= self.highest && self.failed < self.highest;
        let ended = matches!(
            (s.last_attempt_complete_ms, self.latest_start),
            (Some(end), Some(start)) if end >= start
        );
        self.round += 1;
        let mut prior = Vec::new();
        if running && ended {
            prior.push(self.interrupted(self.highest, s));
        } else if running {
            self.orphan = Some(self.highest);
        }
        out.push(RunEvent::reported(
            Source::Server,
            None,
            EventKind::AttemptsReset {
                round: self.round,
                from_attempt: self.highest,
            },
        ));
        self.round_floor = self.latest_start.max(self.round_floor);
        self.started = 0;
        self.failed = 0;
        self.highest = 0;
        prior
    }

    /// The end of the attempt a reset interrupted, once `s` reports it.
    pub(super) fn orphan_end(&mut self, s: &Snapshot) -> Option<RunEvent> {
        let a = self.orphan?;
        let ended = matches!(
            (s.last_attempt_complete_ms, self.round_floor),
            (Some(end), Some(floor)) if end >= floor
        );
        if !ended {
            return None;
        }
        self.orphan = None;
        Some(self.interrupted(a, s))
    }

    /// Attempt `a` of the round before this one ended as `s` reports.
    pub(super) fn interrupted(&self, a: u32, s: &Snapshot) -> RunEvent {
        RunEvent::reported(
            Source::Server,
            s.last_attempt_complete_ms,
            EventKind::AttemptFailed {
                attempt: a,
                failure: s.last_failure.clone(),
                next_attempt_at_ms: None,
                retry_in_ms: None,
            },
        )
        .in_round(self.round.saturating_sub(1))
    }

    /// `s` as far as it is about this round: an attempt that started no
    /// later than the last start before the reset (the attempt that was
    /// running when it came, which Temporal now numbers 1) and its end are
    /// an earlier round's.
    pub(super) fn in_this_round(&self, s: &Snapshot) -> Snapshot {
        let mut s = s.clone();
        let Some(floor) = self.round_floor else {
            return s;
        };
        if s.last_started_ms.is_some_and(|t| t <= floor) {
            s.last_started_ms = None;
            s.last_worker_identity.clear();
            if s.run_state == RunState::Started {
                s.run_state = RunState::Scheduled;
            }
        }
        if s.last_attempt_complete_ms.is_some_and(|t| t <= floor) || s.last_started_ms.is_none() {
            s.last_attempt_complete_ms = None;
            s.last_failure = None;
        }
        s
    }

    /// A pause that began or ended. Temporal does not report when.
    pub(super) fn pause_change(&mut self, s: &Snapshot, attempt: u32, out: &mut Vec<RunEvent>) {
        let pausing = s.is_pausing();
        if pausing && !self.paused {
            self.pauses += 1;
            out.push(RunEvent::reported(
                Source::Server,
                None,
                EventKind::Paused {
                    pause: self.pauses,
                    attempt,
                },
            ));
        } else if !pausing && self.paused && !s.is_closed() {
            out.push(RunEvent::reported(
                Source::Server,
                None,
                EventKind::Unpaused {
                    pause: self.pauses,
                    attempt,
                },
            ));
        }
        self.paused = pausing;
    }

    /// Options that differ from the ones seen before (the first seen are
    /// the start's, not a change).
    pub(super) fn options_change(&mut self, s: &Snapshot, out: &mut Vec<RunEvent>) {
        match &self.options {
            None => self.options = Some(s.options.clone()),
            Some(seen) if *seen != s.options => {
                self.changes += 1;
                self.options = Some(s.options.clone());
                out.push(RunEvent::reported(
                    Source::Server,
                    None,
                    EventKind::OptionsChanged {
                        change: self.changes,
                        options: s.options.clone(),
                    },
                ));
            }
            Some(_) => {}
        }
    }
}
