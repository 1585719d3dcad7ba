//! The attempt timeline's layout: a run's events turned into lanes (one per
//! attempt, with its wait on the task queue, its execution and how it
//! ended), the backoffs the Server scheduled between attempts, deadlines and
//! markers, every position in milliseconds since the run was scheduled.
//!
//! Pure and honest: every position is a time someone reported. A fact with
//! no time (an inferred attempt, a cancel request) gets no position of its
//! own, only the window the surrounding reported times bound it to, and the
//! view draws that window dashed. The app draws the result as SVG
//! (`app/src/timeline.rs`); [`hops`] measures the cost of each hop.

pub mod hops;
mod model;
#[cfg(test)]
mod tests;

pub use model::{Backoff, Deadlines, Lane, Marker, MarkerKind, Outcome, Span, Timeline};
use proto::event::{AttemptPhase, EventKind, RunEvent, TimeoutType};

/// The attempt a terminal event ended on, and whether it had started.
fn terminal_attempt(kind: &EventKind) -> Option<(u32, AttemptPhase)> {
    match kind {
        EventKind::Completed { attempt, .. } | EventKind::Failed { attempt, .. } => {
            Some((*attempt, AttemptPhase::Running))
        }
        EventKind::TimedOut { attempt, phase, .. }
        | EventKind::Canceled { attempt, phase }
        | EventKind::Terminated { attempt, phase, .. } => Some((*attempt, *phase)),
        _ => None,
    }
}

/// What a terminal event says about the attempt it ended on.
fn terminal_outcome(kind: &EventKind) -> (Outcome, Option<String>) {
    match kind {
        EventKind::Completed { .. } => (Outcome::Completed, None),
        EventKind::Failed { failure, .. } => (
            match Outcome::of_failure(failure.as_ref()) {
                Outcome::Unknown => Outcome::Failed(None),
                o => o,
            },
            failure.as_ref().map(ToString::to_string),
        ),
        EventKind::TimedOut { failure, .. } => (
            match failure.as_ref().and_then(|f| f.timeout) {
                Some(TimeoutType::Heartbeat) => Outcome::Crashed,
                Some(t) => Outcome::TimedOut(t),
                None => Outcome::TimedOut(TimeoutType::ScheduleToClose),
            },
            failure.as_ref().map(ToString::to_string),
        ),
        EventKind::Canceled { .. } => (Outcome::Canceled, None),
        EventKind::Terminated { reason, .. } => (Outcome::Terminated, reason.clone()),
        _ => (Outcome::Unknown, None),
    }
}

/// The attempt an event is about, if any.
fn attempt_of(kind: &EventKind) -> Option<u32> {
    match kind {
        EventKind::AttemptStarted { attempt, .. }
        | EventKind::WorkerExecuting { attempt }
        | EventKind::WorkerReturned { attempt, .. }
        | EventKind::AttemptFailed { attempt, .. } => Some(*attempt),
        EventKind::Heartbeat { attempt, .. } => *attempt,
        k => terminal_attempt(k).map(|(a, _)| a),
    }
}

/// Where each round's lanes begin: `first[r]` is the row of attempt 1 of
/// round `r`; a round has as many lanes as its highest attempt.
struct Rows {
    first: Vec<usize>,
    count: Vec<u32>,
}

impl Rows {
    fn of(events: &[RunEvent]) -> Rows {
        let rounds = events.iter().map(|e| e.round).max().unwrap_or(0) as usize + 1;
        let mut count = vec![1u32; rounds];
        for e in events {
            if let Some(a) = attempt_of(&e.kind) {
                let c = &mut count[e.round as usize];
                *c = (*c).max(a);
            }
        }
        let mut first = Vec::with_capacity(rounds);
        let mut row = 0;
        for c in &count {
            first.push(row);
            row += *c as usize;
        }
        Rows { first, count }
    }

    /// The row of attempt `a` (from 1) of `round`.
    fn row(&self, round: u32, a: u32) -> Option<usize> {
        let r = round as usize;
        (a >= 1 && a <= *self.count.get(r)?).then(|| self.first[r] + a as usize - 1)
    }
}

/// Attempt `a` (from 1) of `round` in `lanes`.
fn lane_mut<'a>(lanes: &'a mut [Lane], rows: &Rows, round: u32, a: u32) -> Option<&'a mut Lane> {
    lanes.get_mut(rows.row(round, a)?)
}

/// Lays out a run's events (in log order) on a time axis. `now_ms` is the
/// browser's clock while the run is live (`None` once it closed or when
/// laying out a finished log). `None` until Temporal reported when the run
/// was scheduled: there is no axis without its zero.
pub fn layout(events: &[RunEvent], deadlines: Deadlines, now_ms: Option<i64>) -> Option<Timeline> {
    let origin = events.iter().find_map(|e| match e.kind {
        EventKind::Scheduled { .. } => e.at_ms,
        _ => None,
    })?;
    let off = |at: Option<i64>| at.map(|t| t - origin);
    let terminal = events.iter().find(|e| terminal_attempt(&e.kind).is_some());
    let closed = events.iter().any(|e| e.kind.is_terminal());
    let close = terminal.and_then(|e| off(e.at_ms));
    let latest_reported = events
        .iter()
        .filter_map(|e| off(e.at_ms))
        .max()
        .unwrap_or(0);
    let rows = Rows::of(events);
    let mut backoffs = Vec::new();
    let mut lanes: Vec<Lane> = rows
        .count
        .iter()
        .enumerate()
        .flat_map(|(round, c)| (1..=*c).map(move |a| (round as u32, a)))
        .enumerate()
        .map(|(row, (round, a))| Lane {
            round,
            row: row as u32,
            attempt: a,
            queued: None,
            start: None,
            end: None,
            ended: false,
            started: false,
            window: Span { from: 0, to: 0 },
            outcome: Outcome::Queued,
            reason: None,
            heartbeats: Vec::new(),
            deadline: None,
            queue_deadline: None,
        })
        .collect();
    // A round after a reset begins at a time Temporal does not report.
    let mut queue_from: Vec<Option<i64>> = vec![None; lanes.len()];
    let delay = events.iter().find_map(|e| match e.kind {
        EventKind::Scheduled {
            start_delay_ms: Some(_),
            first_attempt_at_ms: Some(t),
            ..
        } => Some(Span {
            from: 0,
            to: t - origin,
        }),
        _ => None,
    });
    queue_from[0] = Some(delay.map_or(0, |d| d.to));
    // The deadlines in force when each attempt started (an update moves
    // them for the attempts after it).
    let mut in_force = deadlines;
    let mut lane_deadlines = vec![deadlines; lanes.len()];
    // A Workflow run's activity closes before the run's final word (the
    // Workflow's close): its attempt ends there.
    let mut activity_end: Vec<Option<i64>> = vec![None; lanes.len()];
    for ev in events {
        let at = off(ev.at_ms).filter(|_| !ev.inferred);
        let round = ev.round;
        match &ev.kind {
            EventKind::OptionsChanged { options, .. } => {
                in_force = Deadlines {
                    start_to_close_ms: options.start_to_close_ms,
                    schedule_to_close_ms: options.schedule_to_close_ms,
                    schedule_to_start_ms: options.schedule_to_start_ms,
                };
            }
            EventKind::AttemptStarted { attempt, .. } => {
                let Some(lane) = lane_mut(&mut lanes, &rows, round, *attempt) else {
                    continue;
                };
                lane.started = true;
                lane.start = at;
                lane.outcome = Outcome::Running;
                lane_deadlines[lane.row as usize] = in_force;
            }
            EventKind::AttemptFailed {
                attempt,
                failure,
                next_attempt_at_ms,
                retry_in_ms,
            } => {
                let Some(lane) = lane_mut(&mut lanes, &rows, round, *attempt) else {
                    continue;
                };
                lane.started = true;
                lane.ended = true;
                lane.end = at;
                lane.outcome = Outcome::of_failure(failure.as_ref());
                lane.reason = failure.as_ref().map(ToString::to_string);
                let row = lane.row;
                let next = off(*next_attempt_at_ms).filter(|_| !ev.inferred);
                if let Some(slot) = rows
                    .row(round, *attempt + 1)
                    .and_then(|r| queue_from.get_mut(r))
                {
                    *slot = next;
                }
                if let (Some(from), Some(to)) = (at, next) {
                    backoffs.push(Backoff {
                        row,
                        after: *attempt,
                        span: Span { from, to },
                        length_ms: *retry_in_ms,
                        cut_at: close.filter(|c| closed && *c < to),
                    });
                }
            }
            EventKind::Heartbeat { attempt, .. } => {
                let Some(t) = at else { continue };
                // Unattributed: the attempt whose reported run covers it.
                let lane = match attempt {
                    Some(a) => lane_mut(&mut lanes, &rows, round, *a),
                    None => lanes
                        .iter_mut()
                        .find(|l| l.start.is_some_and(|s| s <= t) && l.end.is_none_or(|e| t <= e)),
                };
                if let Some(lane) = lane {
                    lane.heartbeats.push(t);
                }
            }
            EventKind::ActivityClosed { attempt, .. } => {
                if let Some(lane) = lane_mut(&mut lanes, &rows, round, *attempt) {
                    activity_end[lane.row as usize] = at;
                }
            }
            kind => {
                if let Some((attempt, phase)) = terminal_attempt(kind)
                    && let Some(lane) = lane_mut(&mut lanes, &rows, round, attempt)
                {
                    let (outcome, reason) = terminal_outcome(kind);
                    let ran = match phase {
                        AttemptPhase::Running => true,
                        AttemptPhase::Waiting => false,
                        AttemptPhase::Unknown => lane.started,
                    };
                    lane.outcome = outcome;
                    lane.reason = reason;
                    if ran {
                        lane.started = true;
                        lane.ended = true;
                        lane.end = activity_end[lane.row as usize].or(at);
                    }
                }
            }
        }
    }

    let pending_backoff = backoffs
        .iter()
        .filter(|_| !closed)
        .map(|b| b.span.to)
        .max()
        .unwrap_or(0);
    let axis_end = match (closed, close, now_ms) {
        (true, Some(c), _) => c,
        (false, _, Some(now)) => (now - origin).max(latest_reported).max(pending_backoff),
        _ => latest_reported,
    };

    // The queue waits, deadlines, and where the unreported parts lie.
    for lane in &mut lanes {
        let i = lane.row as usize;
        let from = queue_from[i];
        let deadlines = lane_deadlines[i];
        let until = match (lane.started, lane.start) {
            (true, s) => s,
            (false, _) => Some(close.unwrap_or(axis_end)),
        };
        // A backoff cut short by the close never put the attempt on the queue.
        lane.queued = from
            .zip(until)
            .filter(|(from, to)| from <= to)
            .map(|(from, to)| Span { from, to });
        lane.queue_deadline = from
            .zip(deadlines.schedule_to_start_ms)
            .map(|(f, d)| f + d as i64);
        lane.deadline = lane
            .start
            .zip(deadlines.start_to_close_ms)
            .map(|(s, d)| s + d as i64);
    }
    let known = |l: &Lane| {
        let times = [
            l.queued.map(|q| q.from),
            l.start,
            l.end,
            l.queued.map(|q| q.to),
        ];
        let mut it = times
            .into_iter()
            .flatten()
            .chain(l.heartbeats.iter().copied());
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t))))
    };
    let bounds: Vec<Option<(i64, i64)>> = lanes.iter().map(known).collect();
    for (i, lane) in lanes.iter_mut().enumerate() {
        let from = bounds[..i].iter().flatten().map(|b| b.1).max().unwrap_or(0);
        let to = bounds[i + 1..]
            .iter()
            .flatten()
            .map(|b| b.0)
            .min()
            .unwrap_or(axis_end);
        lane.window = Span {
            from: lane.start.unwrap_or(from),
            to: lane.end.unwrap_or(to.max(from)),
        };
    }

    let markers = events
        .iter()
        .enumerate()
        .filter_map(|(i, ev)| {
            let kind = match ev.kind {
                EventKind::CancelRequested { .. } => MarkerKind::CancelRequested,
                EventKind::Paused { .. } => MarkerKind::Paused,
                EventKind::Unpaused { .. } => MarkerKind::Unpaused,
                EventKind::AttemptsReset { .. } => MarkerKind::Reset,
                _ => return None,
            };
            let at = off(ev.at_ms);
            let before = events[..i].iter().filter_map(|e| off(e.at_ms)).max();
            let after = events[i + 1..].iter().filter_map(|e| off(e.at_ms)).min();
            let from = before.unwrap_or(0);
            Some(Marker {
                kind,
                at,
                window: Span {
                    from,
                    to: after.unwrap_or(axis_end).max(from),
                },
            })
        })
        .collect();
    let offline = events.iter().find_map(|e| match e.kind {
        EventKind::WorkerOffline { .. } => off(e.at_ms),
        _ => None,
    });
    let online = events.iter().find_map(|e| match e.kind {
        EventKind::WorkerOnline { .. } => off(e.at_ms),
        _ => None,
    });

    Some(Timeline {
        origin_ms: origin,
        axis_end,
        close,
        closed,
        lanes,
        backoffs,
        markers,
        outage: offline.map(|from| (from, online)),
        schedule_to_close: in_force.schedule_to_close_ms.map(|d| d as i64),
        delay,
    })
}
