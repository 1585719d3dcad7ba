//! The shapes inside the attempt timeline, as escaped SVG markup: the axis,
//! the deadline and now rules, and what each lane, backoff, outage and
//! cancel marker contains. The parts a visitor can focus are `<g>`
//! elements that live across redraws (`timeline.rs` patches them by key), so
//! focus and hover stay put; what they contain is one `inner_html`, rewritten
//! only when it changed.

use proto::event::format_ms;
use proto::timeline::Lane;

use crate::markup::Markup;
use crate::timeline_parts::{AXIS_H, Scale};

/// Writes `<tag a="1" …></tag>` with numeric attribute values.
fn shape(m: &mut Markup, tag: &'static str, class: &str, nums: &[(&'static str, i32)]) {
    let values: Vec<String> = nums.iter().map(|(_, v)| v.to_string()).collect();
    let mut attrs: Vec<(&'static str, &str)> = Vec::with_capacity(nums.len() + 1);
    if !class.is_empty() {
        attrs.push(("class", class));
    }
    attrs.extend(nums.iter().zip(&values).map(|((k, _), v)| (*k, v.as_str())));
    m.open(tag, &attrs).close(tag);
}

/// Writes `<text x y [anchor]>words</text>`.
fn text(m: &mut Markup, class: &str, x: i32, y: i32, middle: bool, words: &str) {
    let (x, y) = (x.to_string(), y.to_string());
    let mut attrs = vec![("x", x.as_str()), ("y", y.as_str())];
    if !class.is_empty() {
        attrs.push(("class", class));
    }
    if middle {
        attrs.push(("text-anchor", "middle"));
    }
    m.leaf("text", &attrs, words);
}

/// A bar over `(x1, x2)`, at least `min` wide, at `(y, height)`.
fn span(m: &mut Markup, class: &str, (x1, x2): (i32, i32), min: i32, (y, h): (i32, i32), rx: i32) {
    let mut nums = vec![
        ("x", x1),
        ("y", y),
        ("width", (x2 - x1).max(min)),
        ("height", h),
    ];
    if rx > 0 {
        nums.push(("rx", rx));
    }
    shape(m, "rect", class, &nums);
}

/// A vertical line at `x` from `y1` to `y2`.
fn vline(m: &mut Markup, class: &str, x: i32, y1: i32, y2: i32) {
    shape(
        m,
        "line",
        class,
        &[("x1", x), ("x2", x), ("y1", y1), ("y2", y2)],
    );
}

/// The time axis: grid lines, their labels, and what the axis measures.
pub fn axis(s: Scale, height: i32) -> String {
    let mut m = Markup::new();
    for t in s.ticks() {
        let x = s.x(t);
        let label = if t == 0 {
            "0".to_owned()
        } else {
            format_ms(t as u64)
        };
        vline(&mut m, "tl-grid", x, AXIS_H - 4, height);
        text(&mut m, "tl-tick", x, 12, true, &label);
    }
    text(&mut m, "tl-tick", 6, 12, false, "since scheduled");
    m.finish()
}

/// A vertical rule from `top` down across the plot at `ms`, when it lies on
/// the axis.
pub fn rule(s: Scale, ms: Option<i64>, class: &str, top: i32, height: i32) -> String {
    let mut m = Markup::new();
    if let Some(ms) = ms.filter(|ms| s.shows(*ms)) {
        vline(&mut m, class, s.x(ms), top, height);
    }
    m.finish()
}

/// One attempt's lane: its row, name and outcome, queue wait, execution
/// bar, heartbeats and deadlines.
pub fn lane(l: &Lane, s: Scale, top: i32, width: i32, height: i32) -> String {
    let mut m = Markup::new();
    span(&mut m, "tl-row", (0, width), 0, (top, height), 0);
    text(
        &mut m,
        "tl-name",
        6,
        top + 15,
        false,
        &format!("Attempt {}", l.attempt),
    );
    // Short, to fit the label column; the detail and the table say it all.
    let outcome = l.outcome.slug().replace('_', " ");
    text(&mut m, "tl-outcome", 6, top + 29, false, &outcome);
    if let Some(q) = l.queued {
        span(
            &mut m,
            "tl-queue",
            (s.x(q.from), s.x(q.to)),
            1,
            (top + 15, 6),
            0,
        );
    }
    if l.started {
        let start = s.x(l.start.unwrap_or(l.window.from));
        let end = match (l.ended, l.end) {
            (_, Some(e)) => s.x(e),
            (true, None) => s.x(l.window.to),
            (false, None) => s.x(s.end),
        };
        span(&mut m, "tl-bar", (start, end), 2, (top + 10, 16), 3);
    }
    for &h in &l.heartbeats {
        vline(&mut m, "tl-hb", s.x(h), top + 8, top + 28);
    }
    for d in [l.deadline, l.queue_deadline].into_iter().flatten() {
        if s.shows(d) {
            vline(&mut m, "tl-deadline", s.x(d), top + 4, top + 32);
        }
    }
    m.finish()
}

/// A backoff's bar from `x1` to `x2` with its label under it.
pub fn backoff(x1: i32, x2: i32, top: i32, label: &str) -> String {
    let mut m = Markup::new();
    span(&mut m, "", (x1, x2), 1, (top + 14, 8), 2);
    text(&mut m, "", (x1 + x2) / 2, top + 34, true, label);
    m.finish()
}

/// The span no Worker polled the queue.
pub fn outage(x1: i32, x2: i32, height: i32) -> String {
    let mut m = Markup::new();
    span(&mut m, "", (x1, x2), 1, (AXIS_H, height - AXIS_H), 0);
    text(&mut m, "", x1 + 3, height - 6, false, "no Worker polling");
    m.finish()
}

/// A cancel marker from `x1` to `x2` at `y`.
pub fn marker(x1: i32, x2: i32, y: i32) -> String {
    let mut m = Markup::new();
    span(&mut m, "", (x1, x2), 2, (y, 8), 0);
    text(&mut m, "", x2 + 4, y + 8, false, "cancel requested");
    m.finish()
}
