//! Event identity that means the same on every server process.
//!
//! Every event reports one [`Fact`] (`scheduled`, `a2-started`, `hb-7`,
//! `end`), derived from what it reports, never from a process counter. A
//! [`Cursor`] summarises the facts a client holds: for each kind of fact the
//! highest attempt or count it has (a run's log always lists attempts and
//! heartbeat counts in increasing order, so a maximum stands for all below
//! it), and a flag for each one-off fact. The SSE `id:` of each message is
//! the cursor after it, so a reconnect's `Last-Event-ID` tells any process
//! exactly what the client has: it sends every event the cursor does not
//! cover, nothing twice, nothing skipped, whatever order its own log holds
//! them in.

use std::fmt;
use std::str::FromStr;

use crate::event::RunEvent;
use crate::fact::Fact;

/// The facts a client holds. Its text form is the SSE `id:`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    request: bool,
    offline: bool,
    online: bool,
    scheduled: bool,
    wf_started: bool,
    activity_closed: bool,
    started: u32,
    executing: u32,
    returned: u32,
    failed: u32,
    heartbeats: u64,
    cancel: bool,
    outages: u32,
    recoveries: u32,
    end: bool,
    /// The round the attempt maxima above are of; every earlier round is
    /// held whole (a log lists rounds in order).
    round: u32,
    commands: u32,
    pauses: u32,
    unpauses: u32,
    options: u32,
}

impl Cursor {
    /// Whether a client at this cursor already has `ev`.
    pub fn covers_event(&self, ev: &RunEvent) -> bool {
        let (round, fact) = ev.identity();
        self.covers(round, fact)
    }

    /// Records that the client now has `ev`.
    pub fn add_event(&mut self, ev: &RunEvent) {
        let (round, fact) = ev.identity();
        self.add(round, fact);
    }

    /// Whether a client at this cursor already has `fact` of `round` (the
    /// round matters only for [`Fact::is_per_round`] facts).
    pub fn covers(&self, round: u32, fact: Fact) -> bool {
        if fact.is_per_round() && round != self.round {
            return round < self.round;
        }
        match fact {
            Fact::Request => self.request,
            Fact::WorkerOffline => self.offline,
            Fact::WorkerOnline => self.online,
            Fact::Scheduled => self.scheduled,
            Fact::WorkflowStarted => self.wf_started,
            Fact::ActivityClosed => self.activity_closed,
            Fact::Started(a) => self.started >= a,
            Fact::Executing(a) => self.executing >= a,
            Fact::Returned(a) => self.returned >= a,
            Fact::Failed(a) => self.failed >= a,
            Fact::Heartbeat(n) => self.heartbeats >= n,
            Fact::Cancel => self.cancel,
            Fact::Command(n) => self.commands >= n,
            Fact::Paused(n) => self.pauses >= n,
            Fact::Unpaused(n) => self.unpauses >= n,
            Fact::Reset(n) => self.round >= n,
            Fact::Options(n) => self.options >= n,
            Fact::Unreachable(n) => self.outages >= n,
            Fact::Reachable(n) => self.recoveries >= n,
            Fact::End => self.end,
        }
    }

    /// Records that the client now has `fact` of `round`.
    pub fn add(&mut self, round: u32, fact: Fact) {
        if fact.is_per_round() && round < self.round {
            return;
        }
        if fact.is_per_round() && round > self.round {
            self.enter_round(round);
        }
        match fact {
            Fact::Request => self.request = true,
            Fact::WorkerOffline => self.offline = true,
            Fact::WorkerOnline => self.online = true,
            Fact::Scheduled => self.scheduled = true,
            Fact::WorkflowStarted => self.wf_started = true,
            Fact::ActivityClosed => self.activity_closed = true,
            Fact::Started(a) => self.started = self.started.max(a),
            Fact::Executing(a) => self.executing = self.executing.max(a),
            Fact::Returned(a) => self.returned = self.returned.max(a),
            Fact::Failed(a) => self.failed = self.failed.max(a),
            Fact::Heartbeat(n) => self.heartbeats = self.heartbeats.max(n),
            Fact::Cancel => self.cancel = true,
            Fact::Command(n) => self.commands = self.commands.max(n),
            Fact::Paused(n) => self.pauses = self.pauses.max(n),
            Fact::Unpaused(n) => self.unpauses = self.unpauses.max(n),
            Fact::Reset(n) if n > self.round => self.enter_round(n),
            Fact::Reset(_) => {}
            Fact::Options(n) => self.options = self.options.max(n),
            Fact::Unreachable(n) => self.outages = self.outages.max(n),
            Fact::Reachable(n) => self.recoveries = self.recoveries.max(n),
            Fact::End => self.end = true,
        }
    }

    /// Every attempt fact of earlier rounds is held; none of `round` yet.
    fn enter_round(&mut self, round: u32) {
        self.round = round;
        self.started = 0;
        self.executing = 0;
        self.returned = 0;
        self.failed = 0;
    }
}

/// `r.s.a3.x3.w2.f2.h12`: one letter per fact kind held, with its highest
/// number; `0` for a cursor that holds nothing.
impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        for (flag, letter) in [
            (self.request, "r"),
            (self.offline, "o"),
            (self.online, "n"),
            (self.scheduled, "s"),
            (self.wf_started, "v"),
            (self.activity_closed, "z"),
            (self.cancel, "c"),
            (self.end, "e"),
        ] {
            if flag {
                parts.push(letter.to_owned());
            }
        }
        for (n, letter) in [
            (u64::from(self.round), 'g'),
            (u64::from(self.started), 'a'),
            (u64::from(self.executing), 'x'),
            (u64::from(self.returned), 'w'),
            (u64::from(self.failed), 'f'),
            (self.heartbeats, 'h'),
            (u64::from(self.outages), 'u'),
            (u64::from(self.recoveries), 'b'),
            (u64::from(self.commands), 'k'),
            (u64::from(self.pauses), 'p'),
            (u64::from(self.unpauses), 'q'),
            (u64::from(self.options), 'm'),
        ] {
            if n > 0 {
                parts.push(format!("{letter}{n}"));
            }
        }
        if parts.is_empty() {
            f.write_str("0")
        } else {
            f.write_str(&parts.join("."))
        }
    }
}

/// A `Last-Event-ID` that is not a cursor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an event cursor: {0:?}")]
pub struct BadCursor(pub String);

impl FromStr for Cursor {
    type Err = BadCursor;

    fn from_str(s: &str) -> Result<Cursor, BadCursor> {
        let bad = || BadCursor(s.chars().take(64).collect());
        let mut c = Cursor::default();
        if s == "0" {
            return Ok(c);
        }
        if s.is_empty() || s.len() > 200 {
            return Err(bad());
        }
        for part in s.split('.') {
            let (letter, num) = part.split_at(part.chars().next().ok_or_else(bad)?.len_utf8());
            let n = || num.parse::<u64>().map_err(|_| bad());
            let a = || num.parse::<u32>().map_err(|_| bad());
            match (letter, num.is_empty()) {
                ("r", true) => c.request = true,
                ("o", true) => c.offline = true,
                ("n", true) => c.online = true,
                ("s", true) => c.scheduled = true,
                ("v", true) => c.wf_started = true,
                ("z", true) => c.activity_closed = true,
                ("c", true) => c.cancel = true,
                ("e", true) => c.end = true,
                ("a", false) => c.started = a()?,
                ("x", false) => c.executing = a()?,
                ("w", false) => c.returned = a()?,
                ("f", false) => c.failed = a()?,
                ("h", false) => c.heartbeats = n()?,
                ("u", false) => c.outages = a()?,
                ("b", false) => c.recoveries = a()?,
                ("g", false) => c.round = a()?,
                ("k", false) => c.commands = a()?,
                ("p", false) => c.pauses = a()?,
                ("q", false) => c.unpauses = a()?,
                ("m", false) => c.options = a()?,
                _ => return Err(bad()),
            }
        }
        Ok(c)
    }
}

/// Adds `ev` to a run's log unless the log already reports its fact. Events
/// arrive on two paths (Temporal's record and the Worker), so a timed event
/// goes after every event that happened no later than it, and never before
/// an untimed one (an untimed event stays where it was observed). Returns
/// whether the event was added.
pub fn insert_in_order(log: &mut Vec<RunEvent>, ev: RunEvent) -> bool {
    let identity = ev.identity();
    if log.iter().any(|e| e.identity() == identity) {
        return false;
    }
    let mut at = log.len();
    if let Some(t) = ev.at_ms {
        // The final word always stays last.
        while at > 0
            && !log[at - 1].kind.is_terminal()
            && log[at - 1].at_ms.is_some_and(|prev| prev > t)
        {
            at -= 1;
        }
    }
    if at == log.len() || ev.kind.is_terminal() {
        log.push(ev);
    } else {
        log.insert(at, ev);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, Source};

    fn started(a: u32, at: Option<i64>) -> RunEvent {
        RunEvent::reported(
            Source::Server,
            at,
            EventKind::AttemptStarted {
                attempt: a,
                worker_identity: None,
            },
        )
    }

    #[test]
    fn cursor_text_round_trips() {
        let mut c = Cursor::default();
        assert_eq!(c.to_string(), "0");
        for fact in [
            Fact::Request,
            Fact::Scheduled,
            Fact::WorkflowStarted,
            Fact::ActivityClosed,
            Fact::Started(3),
            Fact::Heartbeat(12),
            Fact::Failed(2),
            Fact::End,
        ] {
            c.add(0, fact);
        }
        let text = c.to_string();
        assert_eq!(text, "r.s.v.z.e.a3.f2.h12");
        assert_eq!(text.parse::<Cursor>(), Ok(c));
        assert_eq!("0".parse::<Cursor>(), Ok(Cursor::default()));
        c.add(1, Fact::Started(1));
        c.add(0, Fact::Command(2));
        assert_eq!(c.to_string(), "r.s.v.z.e.g1.a1.h12.k2");
        assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
    }

    #[test]
    fn foreign_ids_are_refused() {
        for bad in ["", "7", "a", "z1", "a-1", "h1.x", "s1", "a99999999999"] {
            assert!(bad.parse::<Cursor>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn a_cursor_covers_exactly_what_was_added() {
        let mut c = Cursor::default();
        c.add(0, Fact::Started(2));
        assert!(c.covers(0, Fact::Started(1)) && c.covers(0, Fact::Started(2)));
        assert!(!c.covers(0, Fact::Started(3)));
        assert!(!c.covers(0, Fact::Failed(1)));
        assert!(!c.covers(0, Fact::Cancel));
    }

    #[test]
    fn a_reset_starts_the_attempt_facts_again() {
        let mut c = Cursor::default();
        c.add(0, Fact::Started(3));
        c.add(0, Fact::Failed(2));
        // Round 1 has nothing yet; round 0 is held whole.
        c.add(0, Fact::Reset(1));
        assert!(c.covers(0, Fact::Started(3)) && c.covers(0, Fact::Failed(3)));
        assert!(!c.covers(1, Fact::Started(1)));
        c.add(1, Fact::Started(1));
        assert!(c.covers(1, Fact::Started(1)) && !c.covers(1, Fact::Started(2)));
        // A later round is never covered by an earlier one's maxima.
        assert!(!c.covers(2, Fact::Started(1)));
        // One-off and counted facts ignore rounds.
        c.add(1, Fact::Command(1));
        assert!(c.covers(0, Fact::Command(1)) && c.covers(5, Fact::Command(1)));
    }

    #[test]
    fn insertion_keeps_time_order_and_drops_repeats() {
        let mut log = vec![started(1, Some(10))];
        let exec = RunEvent::reported(
            Source::Worker,
            Some(12),
            EventKind::WorkerExecuting { attempt: 1 },
        );
        assert!(insert_in_order(&mut log, exec));
        // Reported later by Temporal, but it happened earlier.
        let sched = RunEvent::reported(
            Source::Server,
            Some(5),
            EventKind::Scheduled {
                activity_id: "a".into(),
                run_id: "r".into(),
                activity_type: "t".into(),
                task_queue: "q".into(),
                start_delay_ms: None,
                first_attempt_at_ms: None,
            },
        );
        assert!(insert_in_order(&mut log, sched));
        assert_eq!(log[0].id, "scheduled");
        assert!(!insert_in_order(&mut log, started(1, Some(11))));
        // An untimed line stays where it was observed.
        let inferred = RunEvent::inferred(
            Source::Server,
            EventKind::AttemptFailed {
                attempt: 1,
                failure: None,
                next_attempt_at_ms: None,
                retry_in_ms: None,
            },
        );
        assert!(insert_in_order(&mut log, inferred));
        assert!(insert_in_order(&mut log, started(2, Some(1))));
        let ids: Vec<&str> = log.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "scheduled",
                "a1-started",
                "a1-executing",
                "a1-failed",
                "a2-started"
            ]
        );
    }
}
