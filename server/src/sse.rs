//! The Server-Sent Events stream of one run: replays the run's log from the
//! client's position (`Last-Event-ID` on a reconnect, `?after=` otherwise),
//! then follows it live, and ends after the terminal event.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use proto::RunEvent;
use tokio::sync::watch;

use crate::runs::Run;

fn to_sse(ev: &RunEvent) -> Event {
    let data = serde_json::to_string(ev).unwrap_or_else(|_| "{}".to_owned());
    Event::default()
        .id(ev.seq.to_string())
        .event(ev.kind.name())
        .data(data)
}

struct Cursor {
    run: Arc<Run>,
    rx: watch::Receiver<u64>,
    after: u64,
}

/// The stream of `run`'s events with `seq > after`.
pub fn stream(run: Arc<Run>, after: u64) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = run.subscribe();
    // A client resuming at or past the end of a closed log (its ids came
    // from another process, say) still gets the final word, so it stops.
    let (rest, closed) = run.events_after(after);
    let after = match run.events_after(0).0.last() {
        Some(last) if closed && rest.is_empty() && after > 0 => last.seq - 1,
        _ => after,
    };
    let batches = stream::unfold(Cursor { run, rx, after }, |mut c| async move {
        loop {
            let (events, closed) = c.run.events_after(c.after);
            if let Some(last) = events.last() {
                c.after = last.seq;
                return Some((events, c));
            }
            if closed || c.rx.changed().await.is_err() {
                return None;
            }
        }
    });
    let events = batches.flat_map(|batch| stream::iter(batch.into_iter().map(|e| Ok(to_sse(&e)))));
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
