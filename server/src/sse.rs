//! The Server-Sent Events stream of one run: sends every event of the run's
//! log that the client's [`Cursor`] does not cover (`Last-Event-ID` on a
//! reconnect, `?after=` otherwise), then follows the log live, and ends
//! after the terminal event. Each message's `id:` is the cursor after it, so
//! a reconnect to any server process resumes exactly where it stopped.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use proto::{Cursor, RunEvent};
use tokio::sync::watch;

use crate::runs::Run;

fn to_sse(ev: &RunEvent, cursor: &Cursor, redact: bool) -> Event {
    let redacted;
    let ev = if redact {
        redacted = crate::hosting::redact::redact(ev);
        &redacted
    } else {
        ev
    };
    let data = serde_json::to_string(ev).unwrap_or_else(|_| "{}".to_owned());
    Event::default()
        .id(cursor.to_string())
        .event(ev.kind.name())
        .data(data)
}

struct Follow {
    run: Arc<Run>,
    rx: watch::Receiver<u64>,
    cursor: Cursor,
    /// Set once the terminal event went out.
    ended: bool,
}

/// The stream of `run`'s events a client at `cursor` lacks; with `redact`,
/// without their payloads (see [`crate::hosting::redact`]).
pub fn stream(
    run: Arc<Run>,
    cursor: Cursor,
    redact: bool,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = run.subscribe();
    rx.mark_changed();
    // A client that already has the final word (it resumed after reading
    // it) gets it again, so it stops instead of reconnecting for ever.
    let replay_end = cursor
        .covers(0, proto::Fact::End)
        .then(|| run.terminal())
        .flatten();
    let start = Follow {
        run,
        rx,
        cursor,
        ended: false,
    };
    let batches = stream::unfold(start, move |mut f| async move {
        loop {
            if f.ended {
                return None;
            }
            let (events, closed) = f.run.missing(&f.cursor);
            if !events.is_empty() {
                let batch: Vec<Event> = events
                    .iter()
                    .map(|ev| {
                        f.cursor.add_event(ev);
                        f.ended |= ev.kind.is_terminal();
                        to_sse(ev, &f.cursor, redact)
                    })
                    .collect();
                return Some((batch, f));
            }
            if closed || f.rx.changed().await.is_err() {
                return None;
            }
        }
    });
    let already_ended = replay_end.is_some();
    let replay = stream::iter(replay_end.map(|ev| vec![to_sse(&ev, &cursor, redact)]));
    let live = batches.take_while(move |_| std::future::ready(!already_ended));
    let events = replay
        .chain(live)
        .flat_map(|batch| stream::iter(batch.into_iter().map(Ok)));
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
