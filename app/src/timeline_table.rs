//! The timeline's text alternative: a table of the attempts (queue wait,
//! pickup, end, run time, outcome) and the backoff after each, from the same
//! layout the SVG draws.

use leptos::prelude::*;
use model::timeline::Timeline;

use crate::timeline_parts::{lane_name, length, offset};

/// A table row of one attempt.
fn row(t: &Timeline, i: usize) -> [String; 6] {
    let l = &t.lanes[i];
    let time = |v: Option<i64>, happened: bool| match (v, happened) {
        (Some(v), _) => offset(v),
        (None, true) => "inferred, no time".to_owned(),
        (None, false) => "—".to_owned(),
    };
    let backoff = t
        .backoffs
        .iter()
        .find(|b| b.row == l.row)
        .map_or_else(|| "—".to_owned(), |b| length(b.span.to - b.span.from));
    [
        l.queued
            .filter(|_| l.started)
            .map_or_else(|| "—".to_owned(), |q| length(q.to - q.from)),
        time(l.start, l.started),
        time(l.end, l.ended),
        l.start
            .zip(l.end)
            .map_or_else(|| "—".to_owned(), |(s, e)| length(e - s)),
        l.outcome.label(),
        backoff,
    ]
}

/// The table, in a disclosure under the drawing.
#[component]
pub fn TimelineTable(
    /// The layout.
    tl: Memo<Option<Timeline>>,
) -> impl IntoView {
    let rows = move || {
        tl.with(|t| {
            t.as_ref().map(|t| {
                (0..t.lanes.len())
                    .map(|i| {
                        let [queued, start, end, ran, outcome, backoff] = row(t, i);
                        view! {
                            <tr data-testid="timeline-row" data-attempt=t.lanes[i].attempt
                                data-round=t.lanes[i].round>
                                <th scope="row">{lane_name(&t.lanes[i])}</th>
                                <td>{queued}</td>
                                <td>{start}</td>
                                <td>{end}</td>
                                <td>{ran}</td>
                                <td>{outcome}</td>
                                <td>{backoff}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <details class="tl-table" data-testid="timeline-table">
            <summary>"The timeline as a table"</summary>
            <div class="tl-table-scroll">
                <table>
                    <caption>"Attempts, in ms since the run was scheduled"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Attempt"</th>
                            <th scope="col">"Waited on the queue"</th>
                            <th scope="col">"Picked up"</th>
                            <th scope="col">"Ended"</th>
                            <th scope="col">"Ran"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Backoff after"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
