//! The pieces of the attempt timeline's SVG: the scale, one attempt's lane,
//! one backoff, and the words each piece shows on hover or focus. Every
//! position comes from [`model::timeline::layout`]; a part Temporal gave no
//! time for is drawn dashed over the window it must lie in.

use leptos::prelude::*;
use model::timeline::{Lane, Timeline};
use proto::decimal::fixed;
use proto::event::format_ms;

/// The drawing's width in SVG units (it scales to the panel).
pub const WIDTH: i32 = 720;
/// Where the plot begins: the lane labels sit left of it.
pub const PLOT_X: i32 = 96;
/// Height of the time axis row.
pub const AXIS_H: i32 = 24;
/// Height of one attempt's lane.
pub const LANE_H: i32 = 36;

/// Maps ms since scheduled to x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The axis' last ms.
    pub end: i64,
}

impl Scale {
    /// The scale of `t`.
    pub fn of(t: &Timeline) -> Scale {
        Scale {
            end: t.axis_end.max(1),
        }
    }

    /// x of `ms` (clamped to the axis).
    pub fn x(self, ms: i64) -> i32 {
        let ms = ms.clamp(0, self.end);
        (f64::from(PLOT_X) + f64::from(WIDTH - PLOT_X - 12) * ms as f64 / self.end as f64).round()
            as i32
    }

    /// Whether `ms` lies on the axis.
    pub fn shows(self, ms: i64) -> bool {
        (0..=self.end).contains(&ms)
    }

    /// Nice tick positions: 1, 2 or 5 × 10ⁿ ms apart, at most 7.
    pub fn ticks(self) -> Vec<i64> {
        let mut step = 1;
        'find: for pow in [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
            for m in [1, 2, 5] {
                step = m * pow;
                if self.end / step <= 6 {
                    break 'find;
                }
            }
        }
        (0..=self.end / step).map(|i| i * step).collect()
    }
}

/// `+1.030 s`: ms since the run was scheduled.
pub fn offset(ms: i64) -> String {
    format!("+{} s", fixed(ms, 3))
}

/// A length, or `—` for a negative one (two clocks disagreeing).
pub fn length(ms: i64) -> String {
    u64::try_from(ms).map_or_else(|_| "—".to_owned(), format_ms)
}

/// `12:00:01.030 UTC`: a reported time, by the clock that reported it.
pub fn clock(origin_ms: i64, ms: i64) -> String {
    let iso = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((origin_ms + ms) as f64))
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    format!("{} UTC", iso.get(11..23).unwrap_or(&iso))
}

/// What a lane says on hover or focus.
pub fn lane_detail(t: &Timeline, l: &Lane) -> String {
    let at = |ms: i64| format!("{} ({})", offset(ms), clock(t.origin_ms, ms));
    let mut s = format!("{}: ", lane_name(l));
    if let Some(q) = l.queued {
        s += &format!("on the queue from {} ", at(q.from));
    }
    match (l.started, l.start) {
        (true, Some(st)) => s += &format!("picked up {}", at(st)),
        (true, None) => s += "started (inferred: Temporal no longer reports when)",
        (false, _) => s += "never picked up",
    }
    match (l.ended, l.end, l.start) {
        (true, Some(e), Some(st)) => s += &format!(", ended {} after {}", at(e), length(e - st)),
        (true, Some(e), None) => s += &format!(", ended {}", at(e)),
        (true, None, _) => s += ", ended (inferred, no time reported)",
        (false, ..) => {}
    }
    s += &format!(": {}", l.outcome.label());
    if let Some(r) = &l.reason {
        s += &format!(" — {r}");
    }
    if !l.heartbeats.is_empty() {
        s += &format!("; {} heartbeat(s)", l.heartbeats.len());
    }
    if let Some(d) = l.deadline {
        s += &format!("; start-to-close deadline {}", offset(d));
    }
    if let Some(d) = l.queue_deadline {
        s += &format!("; schedule-to-start deadline {}", offset(d));
    }
    s
}

/// `Attempt 2`, or `Attempt 2 · reset 1` in a round after a reset.
pub fn lane_name(l: &Lane) -> String {
    match l.round {
        0 => format!("Attempt {}", l.attempt),
        r => format!("Attempt {} · reset {r}", l.attempt),
    }
}

/// The top of the lane in row `row` (from 0; a backoff sits in the row of
/// the attempt it follows).
pub fn row_top(row: u32) -> i32 {
    AXIS_H + LANE_H * row as i32
}

/// One attempt's lane: queue wait, execution bar, heartbeats, deadlines.
pub fn lane(
    t: &Timeline,
    l: &Lane,
    s: Scale,
    detail: RwSignal<Option<String>>,
) -> impl IntoView + use<> {
    let top = row_top(l.row);
    let text = lane_detail(t, l);
    let (spoken, hovered) = (text.clone(), text.clone());
    let outcome = l.outcome.slug();
    let inferred = l.inferred();
    let start_x = s.x(l.start.unwrap_or(l.window.from));
    let end_x = match (l.ended, l.end) {
        (_, Some(e)) => s.x(e),
        (true, None) => s.x(l.window.to),
        (false, None) => s.x(s.end),
    };
    let queue = l.queued.map(|q| {
        view! {
            <rect class="tl-queue" x=s.x(q.from) y=top + 15 height="6"
                width=(s.x(q.to) - s.x(q.from)).max(1) />
        }
    });
    let bar = l.started.then(|| {
        view! {
            <rect class="tl-bar" x=start_x y=top + 10 height="16" rx="3"
                width=(end_x - start_x).max(2) />
        }
    });
    let heartbeats = l
        .heartbeats
        .iter()
        .map(|&h| view! { <line class="tl-hb" x1=s.x(h) x2=s.x(h) y1=top + 8 y2=top + 28 /> })
        .collect_view();
    let deadlines = [l.deadline, l.queue_deadline]
        .into_iter()
        .flatten()
        .filter(|d| s.shows(*d))
        .map(|d| view! { <line class="tl-deadline" x1=s.x(d) x2=s.x(d) y1=top + 4 y2=top + 32 /> })
        .collect_view();
    view! {
        <g
            class=format!("tl-lane tl-{outcome}{}", if inferred { " tl-inferred" } else { "" })
            data-testid="timeline-attempt"
            data-attempt=l.attempt
            data-round=l.round
            data-start-ms=l.start.map(|v| v.to_string())
            data-end-ms=l.end.map(|v| v.to_string())
            data-outcome=outcome
            data-inferred=inferred.to_string()
            tabindex="0"
            role="img"
            aria-label=spoken
            on:focus=move |_| detail.set(Some(text.clone()))
            on:mouseenter=move |_| detail.set(Some(hovered.clone()))
        >
            <rect class="tl-row" x="0" y=top width=WIDTH height=LANE_H />
            <text class="tl-name" x="6" y=top + 15>{lane_name(l)}</text>
            // Short, to fit the label column; the detail and the table say it all.
            <text class="tl-outcome" x="6" y=top + 29>{outcome.replace('_', " ")}</text>
            {queue}
            {bar}
            {heartbeats}
            {deadlines}
        </g>
    }
}
