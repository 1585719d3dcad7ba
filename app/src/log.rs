//! The Activity Log: one line per event of the run on screen (consecutive
//! heartbeats share one, see [`crate::log_rows`]), with the time since the
//! first event, who saw it, and what happened. A line that waits for
//! something (the next attempt, the Worker's return) shows a live countdown.

use std::time::Duration;

use leptos::prelude::*;
use proto::{EventKind, RunEvent, Source};

use crate::dom::El;
use crate::log_rows::{self, Row};
use crate::session::Session;
use crate::ticker;

/// How often a countdown refreshes.
const TICK: Duration = Duration::from_millis(100);

fn source_label(source: Source) -> &'static str {
    match source {
        Source::Client => "Client",
        Source::Server => "Server",
        Source::Worker => "Worker",
    }
}

fn source_slug(source: Source) -> &'static str {
    match source {
        Source::Client => "client",
        Source::Server => "server",
        Source::Worker => "worker",
    }
}

/// `+1.02s` since the run's first timed event; `—` for a line nobody
/// reported a time for.
fn elapsed(first_ms: i64, at_ms: Option<i64>) -> String {
    match at_ms {
        Some(at) => format!("+{}s", proto::decimal::fixed(at - first_ms, 2)),
        None => "—".to_owned(),
    }
}

/// The text of a line whose event may be replaced by a newer one (a run of
/// heartbeats, `row`, started by `first`): the changing part is hidden
/// from screen readers, which would otherwise hear it five times a second.
fn live_text(row: Memo<Option<Row>>, first: &RunEvent) -> El {
    let latest = move || row.read().as_ref().map(|r| r.event.kind.clone());
    let text = move || latest().map(|k| log_rows::describe(&k)).unwrap_or_default();
    let progress = move || match latest() {
        Some(EventKind::Heartbeat {
            details: Some(d), ..
        }) => log_rows::progress(&d).map(|(step, of)| {
            El::new("progress")
                .class("hb-progress")
                .attr("max", &of.to_string())
                .attr("value", &step.to_string())
        }),
        _ => None,
    };
    let spoken = match first.kind {
        EventKind::Heartbeat {
            attempt: Some(a), ..
        } => format!("Heartbeating (attempt {a})"),
        EventKind::Heartbeat { attempt: None, .. } => "Heartbeating".to_owned(),
        _ => log_rows::line_text(first),
    };
    El::new("span")
        .class("log-text")
        .child(El::new("span").class("visually-hidden").text(&spoken))
        .child(El::new("span").attr("aria-hidden", "true").dyn_text(text))
        .child(
            El::new("span")
                .attr("aria-hidden", "true")
                .dyn_child(progress),
        )
}

/// One line of the log: `first` is the event it started with, `first_ms`
/// the run's first event time, `row` the line as it is now, and `now` the
/// browser clock, ticking while a countdown runs.
fn log_line(first: RunEvent, first_ms: i64, row: Memo<Option<Row>>, now: RwSignal<f64>) -> El {
    let due = Memo::new(move |_| row.read().as_ref().and_then(|r| r.due));
    let text = if matches!(first.kind, EventKind::Heartbeat { .. }) {
        live_text(row, &first)
    } else {
        El::new("span")
            .class("log-text")
            .text(&log_rows::line_text(&first))
    };
    // Hidden from screen readers: a live region must not announce a clock
    // ten times a second; the line's text already says the backoff.
    let countdown = move || {
        due.get().map(|d| {
            El::new("span")
                .class("countdown")
                .testid("countdown")
                .attr("aria-hidden", "true")
                .dyn_text(move || d.text(now.get()))
        })
    };
    let mut class = String::from("log-line");
    if first.kind.is_terminal() {
        class.push_str(" terminal");
    }
    if first.inferred {
        class.push_str(" inferred");
    }
    El::new("div")
        .class(&class)
        .testid("log-line")
        .attr("data-type", first.kind.name())
        .attr("data-id", &first.id)
        .attr(
            "data-inferred",
            if first.inferred { "true" } else { "false" },
        )
        .child(
            El::new("span")
                .class("log-time")
                .attr(
                    "title",
                    if first.at_ms.is_none() {
                        "no time reported"
                    } else {
                        ""
                    },
                )
                .text(&elapsed(first_ms, first.at_ms)),
        )
        .child(
            El::new("span")
                .class(&format!("badge badge-{}", source_slug(first.source)))
                .text(source_label(first.source)),
        )
        .child(text)
        .dyn_child(countdown)
}

/// The Activity Log panel, for the run on screen in `session`.
pub fn log_panel(session: Session) -> El {
    let rows = Memo::new(move |_| session.events.with(|v| log_rows::rows(v)));
    let waiting = Memo::new(move |_| rows.with(|r| r.iter().any(|row| row.due.is_some())));
    let now = ticker::ticking(waiting, TICK);
    // Keyed by the first event of each line: a line whose newest event
    // changes (a run of heartbeats) updates in place.
    let keys = move || {
        let generation = session.generation.get();
        rows.with(|r| {
            let first_ms = r.iter().find_map(|row| row.at_ms).unwrap_or(0);
            r.iter()
                .map(|row| (generation, first_ms, row.id.clone()))
                .collect::<Vec<_>>()
        })
    };
    let line = move |(_, first_ms, id): (u64, i64, String)| {
        // A row's id is its first event's, so the event is there; were it
        // not, the line stays empty rather than show what nobody reported.
        let first = session
            .events
            .with_untracked(|v| v.iter().find(|e| e.id == id).cloned());
        let row = Memo::new(move |_| rows.with(|r| r.iter().find(|row| row.id == id).cloned()));
        match first {
            Some(first) => log_line(first, first_ms, row, now),
            None => El::new("div").attr("hidden", ""),
        }
    };
    let log = El::new("div")
        .class("log")
        .attr("role", "log")
        .attr("aria-live", "polite")
        .attr("aria-labelledby", "log-title")
        .testid("log")
        .attr("tabindex", "0")
        .keyed(
            keys,
            |(generation, _, id)| format!("{generation}/{id}"),
            line,
        )
        .dyn_child(move || {
            session.events.read().is_empty().then(|| {
                El::new("p").class("empty").dyn_text(move || {
                    if session.current.read().is_some() {
                        "Waiting for the first event…"
                    } else {
                        "Press Execute Activity to start a run; its events appear here as they \
                         happen."
                    }
                    .to_owned()
                })
            })
        });
    // Keep the newest line in view as lines arrive: on the next frame, once
    // the list has rendered them.
    let el = log.element().clone();
    Effect::new(move |_| {
        rows.track();
        let el = el.clone();
        request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
    });
    El::new("section")
        .class("panel log-panel")
        .attr("aria-labelledby", "log-title")
        .markup(r#"<h2 id="log-title">Activity Log</h2>"#)
        .child(log)
}
