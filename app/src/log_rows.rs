//! What the Activity Log shows, from the run's events: one row per event,
//! except that consecutive heartbeats of one attempt share a row that shows
//! the newest; a row that is waiting for something (the backoff before the
//! next attempt, the Worker's return after an outage) carries the deadline it
//! counts down to. Pure: no signals, no browser.

use proto::{EventKind, RunEvent};

/// What a row counts down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The server's next attempt, after a failed one.
    NextAttempt,
    /// The Worker's return, after it stopped polling.
    WorkerBack,
}

/// A deadline a row counts down to (unix ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// When.
    pub at_ms: i64,
    /// What for.
    pub what: Wait,
}

impl Due {
    /// The countdown text at `now_ms`: `next attempt in 1.4 s`.
    pub fn text(self, now_ms: f64) -> String {
        let left = (self.at_ms as f64 - now_ms) / 1000.0;
        match (self.what, left > 0.0) {
            (Wait::NextAttempt, true) => format!("next attempt in {left:.1} s"),
            (Wait::NextAttempt, false) => "next attempt due".to_owned(),
            (Wait::WorkerBack, true) => format!("Worker back in {left:.1} s"),
            (Wait::WorkerBack, false) => "Worker due back".to_owned(),
        }
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The `seq` of the row's first event: its key.
    pub seq: u64,
    /// When the row's first event happened.
    pub at_ms: i64,
    /// The newest event the row stands for.
    pub event: RunEvent,
    /// The deadline it counts down to, while nothing later ended the wait.
    pub due: Option<Due>,
}

/// The deadline an event starts waiting for, if any.
fn due_of(ev: &RunEvent) -> Option<Due> {
    match ev.kind {
        EventKind::AttemptFailed {
            next_attempt_at_ms: Some(at_ms),
            ..
        } => Some(Due {
            at_ms,
            what: Wait::NextAttempt,
        }),
        EventKind::WorkerOffline { seconds, .. } => Some(Due {
            at_ms: ev.at_ms + i64::from(seconds) * 1000,
            what: Wait::WorkerBack,
        }),
        _ => None,
    }
}

/// Whether `later` ends the wait of a row counting down to `what`.
fn ends(what: Wait, later: &EventKind) -> bool {
    match what {
        Wait::NextAttempt => true,
        Wait::WorkerBack => {
            later.is_terminal()
                || matches!(
                    later,
                    EventKind::WorkerOnline { .. } | EventKind::AttemptStarted { .. }
                )
        }
    }
}

/// The attempt of a heartbeat.
fn heartbeat_attempt(kind: &EventKind) -> Option<u32> {
    match kind {
        EventKind::Heartbeat { attempt, .. } => Some(*attempt),
        _ => None,
    }
}

/// Folds a run's events, in `seq` order, into rows.
pub fn rows(events: &[RunEvent]) -> Vec<Row> {
    // The Server's and the Worker's events arrive on different paths; show
    // them in the order they happened (the terminal event always last).
    let mut ordered: Vec<&RunEvent> = events.iter().collect();
    ordered.sort_by_key(|e| (e.kind.is_terminal(), e.at_ms, e.seq));
    let mut rows: Vec<Row> = Vec::with_capacity(events.len());
    for ev in ordered {
        for row in &mut rows {
            if row.due.is_some_and(|d| ends(d.what, &ev.kind)) {
                row.due = None;
            }
        }
        if let Some(attempt) = heartbeat_attempt(&ev.kind)
            && let Some(last) = rows.last_mut()
            && heartbeat_attempt(&last.event.kind) == Some(attempt)
        {
            last.event = ev.clone();
            continue;
        }
        rows.push(Row {
            seq: ev.seq,
            at_ms: ev.at_ms,
            event: ev.clone(),
            due: due_of(ev),
        });
    }
    rows
}

/// `{"step":4,"of":10}` → `(4, 10)`: the progress the demo's activity
/// heartbeats.
pub fn progress(details: &str) -> Option<(u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    Some((v.get("step")?.as_u64()?, v.get("of")?.as_u64()?))
}

/// Heartbeat details in a few characters: `step 4 of 10`, or the JSON
/// itself, cut short.
pub fn compact_details(details: &str) -> String {
    const MAX: usize = 60;
    if let Some((step, of)) = progress(details) {
        return format!("step {step} of {of}");
    }
    let text = serde_json::from_str::<serde_json::Value>(details)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| details.to_owned());
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The text of a row's event.
pub fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Heartbeat {
            attempt,
            count,
            details,
        } => {
            let head = format!("Heartbeat #{count} recorded (attempt {attempt})");
            match details {
                Some(d) => format!("{head} · {}", compact_details(d)),
                None => head,
            }
        }
        other => other.describe(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::{FailureInfo, Source};

    fn ev(seq: u64, kind: EventKind) -> RunEvent {
        RunEvent {
            seq,
            at_ms: seq as i64 * 100,
            source: Source::Server,
            kind,
        }
    }

    fn beat(seq: u64, attempt: u32) -> RunEvent {
        ev(
            seq,
            EventKind::Heartbeat {
                attempt,
                count: seq,
                details: Some(format!(r#"{{"step":{seq},"of":10}}"#)),
            },
        )
    }

    fn failed(seq: u64) -> RunEvent {
        ev(
            seq,
            EventKind::AttemptFailed {
                attempt: 1,
                failure: FailureInfo {
                    message: "x".into(),
                    error_type: None,
                    non_retryable: false,
                    timeout: None,
                },
                next_attempt_at_ms: Some(5_000),
                retry_in_ms: Some(1_000),
            },
        )
    }

    #[test]
    fn heartbeats_of_one_attempt_share_a_row() {
        let events = [beat(1, 1), beat(2, 1), beat(3, 1), failed(4), beat(5, 2)];
        let rows = rows(&events);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].seq, rows[0].event.seq), (1, 3));
        assert_eq!(
            describe(&rows[0].event.kind),
            "Heartbeat #3 recorded (attempt 1) · step 3 of 10"
        );
        // The failed attempt's countdown ended with the next event.
        assert_eq!(rows[1].due, None);
    }

    #[test]
    fn the_newest_failed_attempt_counts_down() {
        let rows = rows(&[beat(1, 1), failed(2)]);
        let due = rows[1].due.expect("counting down");
        assert_eq!(due.text(3_600.0), "next attempt in 1.4 s");
        assert_eq!(due.text(6_000.0), "next attempt due");
    }

    #[test]
    fn details_are_compacted() {
        assert_eq!(compact_details(r#"{ "a" : 1 }"#), r#"{"a":1}"#);
        assert!(compact_details(&format!("\"{}\"", "x".repeat(100))).ends_with('…'));
    }
}
