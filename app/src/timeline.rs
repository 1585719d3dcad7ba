//! The attempt timeline, under the Execution Flow: one time axis from the
//! run's scheduling to now (live) or its close, one lane per attempt (the
//! wait on the task queue, the execution, how it ended, heartbeats), the
//! backoffs the Server scheduled between attempts with a countdown while one
//! runs, deadlines and a cancel marker. Drawn as SVG from
//! [`proto::timeline::layout`]; a table says the same for screen readers.
//!
//! The drawing is a list of parts ([`Part`]: a lane, a backoff, the axis…),
//! recomputed as a whole when the layout changes and patched into the SVG by
//! key: a part's `<g>` stays the same element while only its attributes and
//! shapes change, so a focused bar keeps its focus. The shapes inside each
//! part are markup from [`crate::timeline_svg`]. Hover (`mouseover`) and
//! focus (`focusin`) share one handler on the SVG, which shows the label of
//! the focusable part under the pointer or focus: every such part, the
//! outage and the cancel markers included, answers both.

use std::time::Duration;

use std::cell::RefCell;

use leptos::prelude::*;
use proto::ActivityConfig;
use proto::event::format_ms;
use proto::timeline::{self, Backoff, Deadlines, Timeline};

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::dom::El;
use crate::session::Session;
use crate::ticker;
use crate::timeline_parts::{AXIS_H, LANE_H, Scale, WIDTH, clock, lane, length, offset, row_top};
use crate::timeline_svg;
use crate::timeline_table::timeline_table;

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

/// One `<g>` of the drawing: its key among the parts, its attributes
/// (`None`: absent) and the shapes inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Stable across redraws: `lane-2`, `backoff-1`, `axis`…
    pub key: String,
    /// Attributes, by name.
    pub attrs: Vec<(&'static str, Option<String>)>,
    /// The shapes, as SVG markup.
    pub inner: String,
}

/// The attributes of a part a visitor can focus, which `label` describes.
pub fn focusable(
    class: String,
    testid: &str,
    label: String,
) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("class", Some(class)),
        ("data-testid", Some(testid.to_owned())),
        ("tabindex", Some("0".to_owned())),
        ("role", Some("img".to_owned())),
        ("aria-label", Some(label)),
    ]
}

/// A part nobody focuses.
fn plain(key: &str, inner: String) -> Part {
    Part {
        key: key.to_owned(),
        attrs: Vec::new(),
        inner,
    }
}

/// The span no Worker polled the queue (the Worker-outage scenario).
fn outage(t: &Timeline, s: Scale, height: i32) -> Option<Part> {
    let (from, to) = t.outage.map(|(f, o)| (f, o.unwrap_or(t.axis_end)))?;
    let text = format!(
        "No Worker polled the task queue from {} to {}",
        offset(from),
        offset(to)
    );
    Some(Part {
        key: "outage".to_owned(),
        attrs: focusable("tl-outage".to_owned(), "timeline-outage", text),
        inner: timeline_svg::outage(s.x(from), s.x(to), height),
    })
}

/// The backoffs the Server scheduled, counting down while one runs.
fn backoffs(t: &Timeline, s: Scale, now: i64) -> impl Iterator<Item = Part> {
    t.backoffs.iter().map(move |b| {
        let top = row_top(b.after);
        let to = b.cut_at.unwrap_or(b.span.to);
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
        let mut attrs = focusable(
            "tl-backoff".to_owned(),
            "timeline-backoff",
            backoff_detail(t, b, now),
        );
        attrs.extend([
            ("data-after", Some(b.after.to_string())),
            ("data-start-ms", Some(b.span.from.to_string())),
            ("data-end-ms", Some(b.span.to.to_string())),
            ("data-length-ms", b.length_ms.map(|v| v.to_string())),
        ]);
        Part {
            key: format!("backoff-{}", b.after),
            attrs,
            inner: timeline_svg::backoff(s.x(b.span.from), s.x(to), top, &label),
        }
    })
}

/// The cancel requests: at their time, or over the window they lie in.
fn markers(t: &Timeline, s: Scale) -> impl Iterator<Item = Part> {
    let y = AXIS_H + LANE_H * t.lanes.len() as i32 + 8;
    t.markers.iter().enumerate().map(move |(i, m)| {
        let (from, to) = m.at.map_or((m.window.from, m.window.to), |a| (a, a));
        let text = match m.at {
            Some(a) => format!("Cancel requested at {}", offset(a)),
            None => format!(
                "Cancel requested between {} and {} (Temporal does not record when)",
                offset(from),
                offset(to)
            ),
        };
        let class = if m.at.is_none() {
            "tl-cancel tl-inferred"
        } else {
            "tl-cancel"
        };
        Part {
            key: format!("cancel-{i}"),
            attrs: focusable(class.to_owned(), "timeline-cancel", text),
            inner: timeline_svg::marker(s.x(from), s.x(to), y),
        }
    })
}

/// The parts of the drawing, for the layout `t` at `now` (the page's clock,
/// in ms since scheduled), with a now line while the run is `live`.
fn drawing(t: &Timeline, now: i64, live: bool) -> Vec<Part> {
    let s = Scale::of(t);
    let height = height_of(t);
    let mut parts: Vec<Part> = outage(t, s, height).into_iter().collect();
    parts.push(plain("axis", timeline_svg::axis(s, height)));
    parts.extend(t.lanes.iter().map(|l| lane(t, l, s)));
    parts.extend(backoffs(t, s, now));
    parts.push(plain(
        "s2c",
        timeline_svg::rule(
            s,
            t.schedule_to_close,
            "tl-deadline tl-s2c",
            AXIS_H - 6,
            height,
        ),
    ));
    parts.extend(markers(t, s));
    parts.push(plain(
        "now",
        timeline_svg::rule(s, live.then_some(now), "tl-now", AXIS_H - 4, height),
    ));
    parts
}

/// Writes `part` onto its `<g>`, touching only what changed.
fn patch(el: &Element, part: &Part, shapes: &RefCell<String>) {
    for (name, value) in &part.attrs {
        match value {
            Some(v) if el.get_attribute(name).as_deref() != Some(v) => {
                _ = el.set_attribute(name, v);
            }
            Some(_) => {}
            None => _ = el.remove_attribute(name),
        }
    }
    if *shapes.borrow() != part.inner {
        el.set_inner_html(&part.inner);
        shapes.replace(part.inner.clone());
    }
}

/// The label of the focusable part an event happened in, if any.
fn label_at(ev: &web_sys::Event) -> Option<String> {
    let target: Element = ev.target()?.dyn_into().ok()?;
    target
        .closest("[tabindex][aria-label]")
        .ok()??
        .get_attribute("aria-label")
}

/// The timeline panel, for the run on screen in `session`.
pub fn timeline_panel(session: Session) -> El {
    let live = Memo::new(move |_| session.is_running());
    let now = ticker::ticking(live, TICK);
    let tl = Memo::new(move |_| {
        let d = session.config.with(|c| deadlines(c.as_ref()));
        let now = live.get().then(|| now.get() as i64);
        session.events.with(|v| timeline::layout(v, d, now))
    });
    let detail = RwSignal::new(None::<String>);
    let height = move || tl.with(|t| t.as_ref().map_or(AXIS_H, height_of));
    let parts = Memo::new(move |_| {
        let (now, live) = (now.get() as i64, live.get());
        tl.with(|t| {
            t.as_ref()
                .map(|t| drawing(t, now - t.origin_ms, live))
                .unwrap_or_default()
        })
    });
    // Whether a run is drawn: the drawing is built once per run, not per event.
    let shown = Memo::new(move |_| tl.with(Option::is_some));
    let hint = "Hover over or focus (Tab) any bar for its exact times.";
    let show = move |ev: web_sys::Event| {
        if let Some(text) = label_at(&ev)
            && detail.with_untracked(|d| d.as_deref() != Some(&text))
        {
            detail.set(Some(text));
        }
    };
    let part = move |key: String| {
        let part = Memo::new(move |_| parts.with(|p| p.iter().find(|p| p.key == key).cloned()));
        let shapes = RefCell::new(String::new());
        El::svg("g").effect(move |el| {
            part.with(|p| {
                if let Some(p) = p {
                    patch(el, p, &shapes);
                }
            })
        })
    };
    let drawn = move || {
        shown.get().then(|| {
            let svg = El::svg("svg")
                .class("timeline")
                .testid("timeline")
                .attr("role", "group")
                .attr(
                    "aria-label",
                    "Attempt timeline: time since the run was scheduled",
                )
                .dyn_attr("viewBox", move || Some(format!("0 0 {WIDTH} {}", height())))
                // Sized by its attributes and the stylesheet: an inline
                // style would break the page's CSP.
                .attr("width", &WIDTH.to_string())
                .dyn_attr("height", move || Some(height().to_string()))
                .on("focusin", show)
                .on("mouseover", show)
                .on("mouseleave", move |_| detail.set(None))
                .keyed(
                    move || parts.with(|p| p.iter().map(|p| p.key.clone()).collect()),
                    String::clone,
                    part,
                );
            vec![
                El::new("div").class("tl-scroll").child(svg),
                El::new("p")
                    .class("tl-detail")
                    .testid("timeline-detail")
                    .attr("aria-live", "polite")
                    .dyn_text(move || detail.get().unwrap_or_else(|| hint.to_owned())),
                timeline_table(tl),
            ]
        })
    };
    El::new("section")
        .class("panel timeline-panel")
        .attr("aria-labelledby", "timeline-title")
        .markup(r#"<h2 id="timeline-title">Timeline</h2>"#)
        .child(
            El::new("p")
                .class("empty")
                .dyn_flag("hidden", move || shown.get())
                .text(
                    "The attempts appear here on a time axis once the Server has scheduled the \
                     run.",
                ),
        )
        .dyn_nodes(move || drawn().unwrap_or_default())
}
