//! The Activity Log: one line per event of the run on screen, with the time
//! since the first event, who saw it, and what happened. A failed attempt
//! that is waiting out its backoff shows a live countdown to the next one.

use std::time::Duration;

use leptos::prelude::*;
use proto::{EventKind, RunEvent, Source};

use crate::browser;
use crate::session::Session;

/// How often the retry countdown refreshes.
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

/// `+1.02s` since the run's first event.
fn elapsed(first_ms: i64, at_ms: i64) -> String {
    let secs = (at_ms - first_ms) as f64 / 1000.0;
    format!("+{secs:.2}s")
}

/// When the next attempt is due, if `ev` is a failed attempt with a backoff.
fn next_attempt_at(ev: &RunEvent) -> Option<i64> {
    match ev.kind {
        EventKind::AttemptFailed {
            next_attempt_at_ms, ..
        } => next_attempt_at_ms,
        _ => None,
    }
}

/// One line of the log.
#[component]
fn LogLine(
    /// The event.
    event: RunEvent,
    /// The run's first event time.
    first_ms: i64,
    /// The run on screen (to know whether a later event arrived).
    session: Session,
    /// The browser clock, ticking while a countdown runs.
    now: RwSignal<f64>,
) -> impl IntoView {
    let seq = event.seq;
    let countdown = next_attempt_at(&event).map(|due| {
        let text = move || {
            let latest = session
                .events
                .with(|v| v.last().is_some_and(|last| last.seq == seq));
            if !latest {
                return String::new();
            }
            let left = due as f64 - now.get();
            if left > 0.0 {
                format!("next attempt in {:.1}s", left / 1000.0)
            } else {
                "next attempt due".to_owned()
            }
        };
        // Hidden from screen readers: a live region must not announce a
        // clock ten times a second; the line's text already says the backoff.
        view! {
            <span class="countdown" aria-hidden="true">
                {text}
            </span>
        }
    });
    let terminal = event.kind.is_terminal();
    view! {
        <div
            class="log-line"
            class:terminal=terminal
            data-testid="log-line"
            data-type=event.kind.name()
        >
            <span class="log-time">{elapsed(first_ms, event.at_ms)}</span>
            <span class=format!("badge badge-{}", source_slug(event.source))>
                {source_label(event.source)}
            </span>
            <span class="log-text">{event.kind.describe()}</span>
            {countdown}
        </div>
    }
}

/// The Activity Log panel.
#[component]
pub fn LogPanel(
    /// The run on screen.
    session: Session,
) -> impl IntoView {
    let now = RwSignal::new(browser::now_ms());
    let waiting = Memo::new(move |_| {
        session
            .events
            .with(|v| v.last().and_then(next_attempt_at).is_some())
    });
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    let stop = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        stop();
        if waiting.get() {
            now.set(browser::now_ms());
            let tick = set_interval_with_handle(move || now.set(browser::now_ms()), TICK);
            match tick {
                Ok(handle) => ticker.set_value(Some(handle)),
                Err(e) => leptos::logging::warn!("countdown timer unavailable: {e:?}"),
            }
        }
    });
    on_cleanup(stop);

    let log_ref = NodeRef::<leptos::html::Div>::new();
    // Keep the newest line in view as lines arrive.
    Effect::new(move |_| {
        session.events.track();
        if let Some(el) = log_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let rows = move || {
        let generation = session.generation.get();
        session.events.with(|v| {
            let first = v.first().map_or(0, |e| e.at_ms);
            v.iter()
                .map(|e| (generation, first, e.clone()))
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
                    each=rows
                    key=|(generation, _, e)| (*generation, e.seq)
                    children=move |(_, first, event)| {
                        view! { <LogLine event=event first_ms=first session=session now=now /> }
                    }
                />
                <Show when=move || session.events.read().is_empty()>
                    <p class="empty">
                        {move || {
                            if session.current.read().is_some() {
                                "Waiting for the first event…"
                            } else {
                                "Press Execute Activity to start a run; its events appear here as they happen."
                            }
                        }}
                    </p>
                </Show>
            </div>
        </section>
    }
}
