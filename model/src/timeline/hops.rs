//! The real cost of each hop of one run, from reported times only: the
//! start request to Temporal's scheduling, the wait on the task queue, each
//! attempt's execution, and the close to the result on the page.

use crate::timeline::Timeline;
use proto::event::{EventKind, RunEvent};

/// The measured hops; each `None` (or empty) until both of its ends were
/// reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hops {
    /// The demo server's start request → Temporal's `schedule_time` (two
    /// clocks: the demo server's and Temporal's).
    pub schedule_ms: Option<i64>,
    /// Per attempt: scheduled (or its backoff's end) → picked up.
    pub poll_ms: Vec<(u32, i64)>,
    /// Per attempt: picked up → its reported end.
    pub execute_ms: Vec<(u32, i64)>,
    /// Temporal's close → the result on the page (the browser's clock).
    pub return_ms: Option<i64>,
}

/// Measures the hops of `timeline`, laid out from `events`. `received_ms` is
/// when the browser received the terminal event, by its own clock.
pub fn hops(events: &[RunEvent], timeline: &Timeline, received_ms: Option<i64>) -> Hops {
    // Only a request that started this run: UseExisting hands back a run
    // scheduled before the request was sent.
    let requested = events.iter().find_map(|e| match e.kind {
        EventKind::StartRequested { started: true, .. }
        | EventKind::WorkflowStartRequested { started: true, .. }
            if !e.inferred =>
        {
            e.at_ms
        }
        _ => None,
    });
    let lanes = &timeline.lanes;
    Hops {
        schedule_ms: requested.map(|r| timeline.origin_ms - r),
        poll_ms: lanes
            .iter()
            .filter(|l| l.start.is_some())
            .filter_map(|l| l.queued.map(|q| (l.attempt, q.to - q.from)))
            .collect(),
        execute_ms: lanes
            .iter()
            .filter_map(|l| Some((l.attempt, l.end? - l.start?)))
            .collect(),
        return_ms: received_ms
            .zip(timeline.close.filter(|_| timeline.closed))
            .map(|(r, c)| r - (timeline.origin_ms + c)),
    }
}
