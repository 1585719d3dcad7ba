//! The honesty rule as a check: every time the layout draws is one someone
//! reported (or a length Temporal reported). Shown able to fail on layouts
//! with an invented, dropped or computed time.

use super::{closed, retries};
use crate::timeline::{Deadlines, Timeline, layout};
use proto::event::{EventKind, RunEvent};

/// Every time the layout draws must be a reported time (or a length
/// Temporal reported): the honesty rule, as a check.
pub(super) fn check_reported(
    events: &[RunEvent],
    t: &Timeline,
    deadlines: Deadlines,
) -> Result<(), String> {
    let mut reported: Vec<i64> = vec![0];
    for e in events.iter().filter(|e| !e.inferred) {
        reported.extend(e.at_ms.map(|a| a - t.origin_ms));
        if let EventKind::AttemptFailed {
            next_attempt_at_ms: Some(n),
            ..
        } = e.kind
        {
            reported.push(n - t.origin_ms);
        }
    }
    let ok = |what: &str, v: i64| {
        if reported.contains(&v) {
            Ok(())
        } else {
            Err(format!("{what} at {v} ms was never reported"))
        }
    };
    for l in &t.lanes {
        for (what, v) in [("start", l.start), ("end", l.end)] {
            if let Some(v) = v {
                ok(&format!("attempt {} {what}", l.attempt), v)?;
            }
        }
        if let Some(q) = l.queued
            && l.start.is_some()
        {
            ok("queue entry", q.from)?;
        }
        if l.start.is_none() && l.started && events.iter().any(|e| !e.inferred && matches!(e.kind, EventKind::AttemptStarted { attempt, .. } if attempt == l.attempt)) {
            return Err(format!("attempt {} lost its reported start", l.attempt));
        }
        let want = l
            .start
            .zip(deadlines.start_to_close_ms)
            .map(|(s, d)| s + d as i64);
        if l.deadline != want {
            return Err(format!("attempt {} deadline {:?}", l.attempt, l.deadline));
        }
    }
    for b in &t.backoffs {
        ok("backoff start", b.span.from)?;
        ok("backoff end", b.span.to)?;
        if let Some(len) = b.length_ms
            && b.span.to - b.span.from != len as i64
        {
            return Err(format!("backoff {:?} is not the reported {len} ms", b.span));
        }
    }
    Ok(())
}

#[test]
fn the_check_catches_invented_or_computed_times() {
    let events = retries();
    let good = closed(&events);
    // A backoff computed from the policy rather than read from Temporal.
    let mut computed = good.clone();
    computed.backoffs[1].span.to = computed.backoffs[1].span.from + 2_001;
    assert!(check_reported(&events, &computed, Deadlines::default()).is_err());
    // A start invented for an attempt.
    let mut invented = good.clone();
    invented.lanes[1].start = Some(1_029);
    assert!(check_reported(&events, &invented, Deadlines::default()).is_err());
    // A reported start dropped.
    let mut dropped = good.clone();
    dropped.lanes[0].start = None;
    assert!(check_reported(&events, &dropped, Deadlines::default()).is_err());
    // A deadline that does not follow the attempt's start.
    let d = Deadlines {
        start_to_close_ms: Some(100),
        ..Deadlines::default()
    };
    let mut shifted = layout(&events, d, None).unwrap();
    check_reported(&events, &shifted, d).unwrap();
    shifted.lanes[2].deadline = Some(3_100);
    assert!(check_reported(&events, &shifted, d).is_err());
}
