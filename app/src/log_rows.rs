//! What the Activity Log shows, from the run's events: one row per event,
//! except that consecutive heartbeats of one attempt share a row that shows
//! the newest; a row that is waiting for something (the backoff before the
//! next attempt, the Worker's return after an outage) carries the deadline it
//! counts down to. Pure: no signals, no browser.

use proto::{EventKind, RunEvent};
use serde::Deserialize;

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
        let left_ms = self.at_ms - now_ms as i64;
        let left = proto::decimal::fixed(left_ms, 1);
        match (self.what, left_ms > 0) {
            (Wait::NextAttempt, true) => format!("next attempt in {left} s"),
            (Wait::NextAttempt, false) => "next attempt due".to_owned(),
            (Wait::WorkerBack, true) => format!("Worker back in {left} s"),
            (Wait::WorkerBack, false) => "Worker due back".to_owned(),
        }
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The fact id of the row's first event: its key.
    pub id: String,
    /// When the row's first event happened, when someone reported it.
    pub at_ms: Option<i64>,
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
        EventKind::WorkerOffline { seconds, .. } => ev.at_ms.map(|at| Due {
            at_ms: at + i64::from(seconds) * 1000,
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

/// The attempt of a heartbeat (`Some(None)` when the record does not say).
fn heartbeat_attempt(kind: &EventKind) -> Option<Option<u32>> {
    match kind {
        EventKind::Heartbeat { attempt, .. } => Some(*attempt),
        _ => None,
    }
}

/// Folds a run's events, already in the order they happened (see
/// [`proto::cursor::insert_in_order`]), into rows.
pub fn rows(events: &[RunEvent]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::with_capacity(events.len());
    for ev in events {
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
            id: ev.id.clone(),
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
    /// What the demo's activity puts in its heartbeat details.
    #[derive(Deserialize)]
    struct Progress {
        step: u64,
        of: u64,
    }
    let p: Progress = serde_json::from_str(details).ok()?;
    Some((p.step, p.of))
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
            let head = model::event_text::heartbeat_head(*attempt, *count);
            match details {
                Some(d) => format!("{head} · {}", compact_details(d)),
                None => head,
            }
        }
        other => model::event_text::describe(other),
    }
}

/// The text of a row: its event's, marked when nobody reported the fact.
pub fn line_text(ev: &RunEvent) -> String {
    if ev.inferred {
        format!("{} (inferred)", describe(&ev.kind))
    } else {
        describe(&ev.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::{FailureInfo, Source};

    fn ev(seq: u64, kind: EventKind) -> RunEvent {
        RunEvent::reported(Source::Server, Some(seq as i64 * 100), kind)
    }

    fn beat(seq: u64, attempt: u32) -> RunEvent {
        ev(
            seq,
            EventKind::Heartbeat {
                attempt: Some(attempt),
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
                failure: Some(FailureInfo {
                    message: "x".into(),
                    error_type: None,
                    non_retryable: false,
                    timeout: None,
                }),
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
        assert_eq!(
            (rows[0].id.as_str(), rows[0].event.id.as_str()),
            ("hb-1", "hb-3")
        );
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
