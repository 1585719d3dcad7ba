//! The attempt timeline, under the Execution Flow: one time axis from the
//! run's scheduling to now (live) or its close, one lane per attempt (the
//! wait on the task queue, the execution, how it ended, heartbeats), the
//! backoffs the Server scheduled between attempts with a countdown while one
//! runs, deadlines and a cancel marker. Drawn as SVG from
//! [`model::timeline::layout`]; a table says the same for screen readers.
//!
//! The drawing is one view of the layout, redrawn as a whole when the layout
//! changes: tachys rebuilds the same elements in place (a focused bar keeps
//! its focus), and one reactive closure for the whole SVG weighs far less in
//! the WASM than one per attribute.

use std::time::Duration;

use leptos::prelude::*;
use model::timeline::{self, Backoff, Deadlines, MarkerKind, Timeline};
use proto::ActivityConfig;
use proto::event::format_ms;

use crate::session::Session;
use crate::ticker;
use crate::timeline_parts::{AXIS_H, LANE_H, Scale, WIDTH, clock, lane, length, offset, row_top};
use crate::timeline_table::TimelineTable;

/// How often a live timeline redraws.
const TICK: Duration = Duration::from_millis(200);

/// The deadlines a start with `config` puts on the axis.
pub fn deadlines(config: Option<&ActivityConfig>) -> Deadlines {
    config.map_or_else(Deadlines::default, |c| Deadlines {
        start_to_close_ms: c.start_to_close_ms(),
        schedule_to_close_ms: c.schedule_to_close_ms(),
        schedule_to_start_ms: c.schedule_to_start_timeout_ms,
    })
}

/// What a backoff says on hover or focus, counting down while it runs.
fn backoff_detail(t: &Timeline, b: &Backoff, now: i64) -> String {
    let mut s = format!(
        "Backoff after attempt {}: the Server scheduled attempt {} for {} ({}), {} after the failure at {}",
        b.after,
        b.after + 1,
        offset(b.span.to),
        clock(t.origin_ms, b.span.to),
        length(b.span.to - b.span.from),
        offset(b.span.from),
    );
    if let Some(c) = b.cut_at {
        s += &format!("; the run closed at {} before it ran out", offset(c));
    } else if !t.closed && now < b.span.to {
        s += &format!("; {} left", length(b.span.to - now));
    }
    s
}

/// The drawing's height for `t`.
fn height_of(t: &Timeline) -> i32 {
    let markers = if t.markers.is_empty() { 4 } else { 22 };
    AXIS_H + LANE_H * t.lanes.len() as i32 + markers
}

/// The time axis: grid lines and their labels.
fn axis(s: Scale, height: i32) -> impl IntoView + use<> {
    s.ticks()
        .into_iter()
        .map(|t| {
            let x = s.x(t);
            let label = if t == 0 {
                "0".to_owned()
            } else {
                format_ms(t as u64)
            };
            view! {
                <line class="tl-grid" x1=x x2=x y1=AXIS_H - 4 y2=height />
                <text class="tl-tick" x=x y="12" text-anchor="middle">{label}</text>
            }
        })
        .collect_view()
}

/// The span no Worker polled the queue (the Worker-outage scenario).
fn outage(t: &Timeline, s: Scale, height: i32, detail: Detail) -> impl IntoView + use<> {
    let (from, to) = t.outage.map(|(f, o)| (f, o.unwrap_or(t.axis_end)))?;
    let text = format!(
        "No Worker polled the task queue from {} to {}",
        offset(from),
        offset(to)
    );
    Some(view! {
        <g class="tl-outage" tabindex="0" role="img" aria-label=text.clone()
            on:focus=move |_| detail.set(Some(text.clone()))>
            <rect x=s.x(from) y=AXIS_H width=(s.x(to) - s.x(from)).max(1) height=height - AXIS_H />
            <text x=s.x(from) + 3 y=height - 6>"no Worker polling"</text>
        </g>
    })
}

/// The backoffs the Server scheduled, counting down while one runs.
fn backoffs(t: &Timeline, s: Scale, now: i64, detail: Detail) -> impl IntoView + use<> {
    t.backoffs
        .iter()
        .map(|b| {
            let top = row_top(b.row);
            let to = b.cut_at.unwrap_or(b.span.to);
            let text = backoff_detail(t, b, now);
            let (spoken, hovered) = (text.clone(), text.clone());
            let label = match b.length_ms {
                Some(ms) if !t.closed && now < b.span.to => {
                    format!(
                        "{} · {} s left",
                        format_ms(ms),
                        proto::decimal::fixed(b.span.to - now, 1)
                    )
                }
                Some(ms) => format!("backoff {}", format_ms(ms)),
                None => length(b.span.to - b.span.from),
            };
            let (x1, x2) = (s.x(b.span.from), s.x(to));
            view! {
                <g class="tl-backoff" data-testid="timeline-backoff"
                    data-after=b.after
                    data-start-ms=b.span.from data-end-ms=b.span.to
                    data-length-ms=b.length_ms
                    tabindex="0" role="img" aria-label=spoken
                    on:focus=move |_| detail.set(Some(text.clone()))
                    on:mouseenter=move |_| detail.set(Some(hovered.clone()))>
                    <rect x=x1 y=top + 14 width=(x2 - x1).max(1) height="8" rx="2" />
                    <text x=(x1 + x2) / 2 y=top + 34 text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view()
}

/// A marker's words, CSS class and test hook.
const fn marker_words(kind: MarkerKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        MarkerKind::CancelRequested => ("cancel requested", "tl-cancel", "timeline-cancel"),
        MarkerKind::Paused => ("paused", "tl-pause", "timeline-paused"),
        MarkerKind::Unpaused => ("unpaused", "tl-pause", "timeline-unpaused"),
        MarkerKind::Reset => ("reset: attempts from 1", "tl-reset", "timeline-reset"),
    }
}

/// Cancel requests, pauses, unpauses and resets: at their time, or over
/// the window they lie in.
fn markers(t: &Timeline, s: Scale, detail: Detail) -> impl IntoView + use<> {
    let y = AXIS_H + LANE_H * t.lanes.len() as i32 + 8;
    t.markers
        .iter()
        .map(|m| {
            let (words, class, testid) = marker_words(m.kind);
            let (from, to) = m.at.map_or((m.window.from, m.window.to), |a| (a, a));
            let text = match m.at {
                Some(a) => format!("{words} at {}", offset(a)),
                None => format!(
                    "{words} between {} and {} (Temporal does not record when)",
                    offset(from),
                    offset(to)
                ),
            };
            let class = if m.at.is_none() {
                format!("{class} tl-inferred")
            } else {
                class.to_owned()
            };
            view! {
                <g class=class data-testid=testid tabindex="0" role="img" aria-label=text.clone()
                    on:focus=move |_| detail.set(Some(text.clone()))>
                    <rect x=s.x(from) y=y width=(s.x(to) - s.x(from)).max(2) height="8" />
                    <text x=s.x(to) + 4 y=y + 8>{words}</text>
                </g>
            }
        })
        .collect_view()
}

/// The start delay: Temporal held the first attempt this long.
fn delay(t: &Timeline, s: Scale, detail: Detail) -> impl IntoView + use<> {
    let d = t.delay?;
    let text = format!(
        "Start delay: Temporal held the first attempt until {} ({})",
        offset(d.to),
        clock(t.origin_ms, d.to)
    );
    Some(view! {
        <g class="tl-delay" data-testid="timeline-delay" data-end-ms=d.to tabindex="0" role="img"
            aria-label=text.clone() on:focus=move |_| detail.set(Some(text.clone()))>
            <rect x=s.x(d.from) y=AXIS_H + 15 width=(s.x(d.to) - s.x(d.from)).max(1) height="6" />
        </g>
    })
}

/// A vertical line from `top` down across the plot at `ms`, when it lies
/// on the axis.
fn rule(
    s: Scale,
    ms: Option<i64>,
    class: &'static str,
    top: i32,
    height: i32,
) -> impl IntoView + use<> {
    ms.filter(|ms| s.shows(*ms))
        .map(|ms| view! { <line class=class x1=s.x(ms) x2=s.x(ms) y1=top y2=height /> })
}

/// Everything inside the SVG, for the layout `t` at `now` (the page's clock,
/// in ms since scheduled), with a now line while the run is `live`.
fn drawing(t: &Timeline, now: i64, live: bool, detail: Detail) -> impl IntoView + use<> {
    let s = Scale::of(t);
    let height = height_of(t);
    let lanes = t.lanes.iter().map(|l| lane(t, l, s, detail)).collect_view();
    view! {
        {outage(t, s, height, detail)}
        {axis(s, height)}
        <text class="tl-tick" x="6" y="12">"since scheduled"</text>
        {lanes}
        {delay(t, s, detail)}
        {backoffs(t, s, now, detail)}
        {rule(s, t.schedule_to_close, "tl-deadline tl-s2c", AXIS_H - 6, height)}
        {markers(t, s, detail)}
        {rule(s, live.then_some(now), "tl-now", AXIS_H - 4, height)}
    }
}

/// Where hover and focus report.
type Detail = RwSignal<Option<String>>;

/// The timeline panel.
#[component]
pub fn TimelinePanel(
    /// The run on screen.
    session: Session,
) -> impl IntoView {
    let live = Memo::new(move |_| session.is_running());
    let now = ticker::ticking(live, TICK);

    let tl = Memo::new(move |_| {
        let d = session.config.with(|c| deadlines(c.as_ref()));
        let now = live.get().then(|| now.get() as i64);
        session.events.with(|v| timeline::layout(v, d, now))
    });
    let detail = RwSignal::new(None::<String>);
    let height = move || tl.with(|t| t.as_ref().map_or(AXIS_H, height_of));
    let svg = move || {
        let (now, live) = (now.get() as i64, live.get());
        tl.with(|t| {
            t.as_ref()
                .map(|t| drawing(t, now - t.origin_ms, live, detail))
        })
    };
    // Whether a run is drawn: the drawing is built once per run, not per event.
    let shown = Memo::new(move |_| tl.with(Option::is_some));
    let hint = "Hover over or focus (Tab) any bar for its exact times.";
    view! {
        <section class="panel timeline-panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <p class="empty" hidden=move || shown.get()>
                "The attempts appear here on a time axis once the Server has scheduled the run."
            </p>
            {move || shown.get().then(|| view! {
                <div class="tl-scroll">
                    <svg class="timeline" data-testid="timeline" role="group"
                        aria-label="Attempt timeline: time since the run was scheduled"
                        viewBox=move || format!("0 0 {WIDTH} {}", height())
                        // Sized by its attributes and the stylesheet: an
                        // inline style would break the page's CSP.
                        width=WIDTH.to_string()
                        height=move || height().to_string()
                        on:mouseleave=move |_| detail.set(None)>
                        {svg}
                    </svg>
                </div>
                <p class="tl-detail" data-testid="timeline-detail" aria-live="polite">
                    {move || detail.get().unwrap_or_else(|| hint.to_owned())}
                </p>
                <TimelineTable tl=tl />
            })}
        </section>
    }
}
