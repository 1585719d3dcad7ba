//! The Activity Log: one line per event of the run on screen (consecutive
//! heartbeats share one, see [`crate::log_rows`]), with the time since the
//! first event, who saw it, and what happened. A line that waits for
//! something (the next attempt, the Worker's return) shows a live countdown.

use std::time::Duration;

use leptos::prelude::*;
use proto::{EventKind, RunEvent, ServerInfo, Source};

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
/// heartbeats): the changing part is hidden from screen readers, which
/// would otherwise hear it five times a second.
#[component]
fn LiveText(
    /// The line.
    row: Memo<Option<Row>>,
    /// The event the line started with.
    first: RunEvent,
) -> impl IntoView {
    let latest = move || row.read().as_ref().map(|r| r.event.kind.clone());
    let text = move || latest().map(|k| log_rows::describe(&k)).unwrap_or_default();
    let progress = move || match latest() {
        Some(EventKind::Heartbeat {
            details: Some(d), ..
        }) => log_rows::progress(&d).map(|(step, of)| {
            view! {
                <progress class="hb-progress" max=of.to_string() value=step.to_string()></progress>
            }
        }),
        _ => None,
    };
    let spoken = match first.kind {
        EventKind::Heartbeat {
            attempt: Some(a), ..
        } => format!("Heartbeating (attempt {a})"),
        EventKind::Heartbeat { attempt: None, .. } => "Heartbeating".to_owned(),
        _ => log_rows::line_text(&first),
    };
    view! {
        <span class="log-text">
            <span class="visually-hidden">{spoken}</span>
            <span aria-hidden="true">{text}</span>
            <span aria-hidden="true">{progress}</span>
        </span>
    }
}

/// One line of the log.
#[component]
fn LogLine(
    /// The event the line started with.
    first: RunEvent,
    /// The run's first event time.
    first_ms: i64,
    /// The line as it is now.
    row: Memo<Option<Row>>,
    /// The browser clock, ticking while a countdown runs.
    now: RwSignal<f64>,
) -> impl IntoView {
    let due = Memo::new(move |_| row.read().as_ref().and_then(|r| r.due));
    let text = if matches!(first.kind, EventKind::Heartbeat { .. }) {
        view! { <LiveText row=row first=first.clone() /> }.into_any()
    } else {
        view! { <span class="log-text">{log_rows::line_text(&first)}</span> }.into_any()
    };
    // Hidden from screen readers: a live region must not announce a clock
    // ten times a second; the line's text already says the backoff.
    let countdown = move || {
        due.get().map(|d| {
            view! {
                <span class="countdown" data-testid="countdown" aria-hidden="true">
                    {move || d.text(now.get())}
                </span>
            }
        })
    };
    view! {
        <div
            class="log-line"
            class:terminal=first.kind.is_terminal()
            class:inferred=first.inferred
            data-testid="log-line"
            data-type=first.kind.name()
            data-id=first.id.clone()
            data-inferred=first.inferred.to_string()
        >
            <span
                class="log-time"
                title=if first.at_ms.is_none() { "no time reported" } else { "" }
            >
                {elapsed(first_ms, first.at_ms)}
            </span>
            <span class=format!("badge badge-{}", source_slug(first.source))>
                {source_label(first.source)}
            </span>
            {text}
            {countdown}
        </div>
    }
}

/// The Activity Log panel.
#[component]
pub fn LogPanel(
    /// The run on screen.
    session: Session,
    /// What the server said about itself (`None` until it answers).
    info: Signal<Option<ServerInfo>>,
) -> impl IntoView {
    // A web replica's Worker runs in another process: its own lines are
    // that process's, and this log says so rather than leave them out unsaid.
    let apart = move || info.read().as_ref().is_some_and(|i| i.worker_apart);
    let rows = Memo::new(move |_| session.events.with(|v| log_rows::rows(v)));
    let waiting = Memo::new(move |_| rows.with(|r| r.iter().any(|row| row.due.is_some())));
    let now = ticker::ticking(waiting, TICK);

    let log_ref = NodeRef::<leptos::html::Div>::new();
    // Keep the newest line in view as lines arrive: on the next frame, once
    // the list has rendered them.
    Effect::new(move |_| {
        rows.track();
        if let Some(el) = log_ref.get() {
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });

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
    view! {
        <section class="panel log-panel" aria-labelledby="log-title">
            <h2 id="log-title">"Activity Log"</h2>
            <div
                class="log"
                role="log"
                aria-live="polite"
                aria-labelledby="log-title"
                data-testid="log"
                node_ref=log_ref
                tabindex="0"
            >
                <For
                    each=keys
                    key=|(generation, _, id)| (*generation, id.clone())
                    children=move |(_, first_ms, id)| {
                        let first = session
                            .events
                            .with_untracked(|v| v.iter().find(|e| e.id == id).cloned());
                        let row = Memo::new(move |_| {
                            rows.with(|r| r.iter().find(|row| row.id == id).cloned())
                        });
                        first
                            .map(|first| {
                                view! { <LogLine first=first first_ms=first_ms row=row now=now /> }
                            })
                    }
                />
                {move || session.events.read().is_empty().then(|| view! {
                    <p class="empty">
                        {move || {
                            if session.current.read().is_some() {
                                "Waiting for the first event…"
                            } else {
                                "Press Execute Activity to start a run; its events appear here as they happen."
                            }
                        }}
                    </p>
                })}
            </div>
            <Show when=apart>
                <p class="hint" data-testid="worker-apart">
                    "This server runs no Worker: the Worker's own lines (its code began, it returned) are known only to the Worker's process. Each attempt's start, with the Worker's identity, and its end come from Temporal's record."
                </p>
            </Show>
        </section>
    }
}
