//! The timeline's text alternative: a table of the attempts (queue wait,
//! pickup, end, run time, outcome) and the backoff after each, from the same
//! layout the SVG draws.

use leptos::prelude::*;
use proto::timeline::Timeline;

use crate::dom::El;
use crate::markup::Markup;
use crate::timeline_parts::{length, offset};

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
        .find(|b| b.after == l.attempt)
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

/// The table of the layout `tl`, in a disclosure under the drawing.
pub fn timeline_table(tl: Memo<Option<Timeline>>) -> El {
    let rows = move || {
        tl.with(|t| {
            let mut m = Markup::new();
            let Some(t) = t else { return String::new() };
            for (i, lane) in t.lanes.iter().enumerate() {
                let attempt = lane.attempt.to_string();
                let attrs = [("data-testid", "timeline-row"), ("data-attempt", &attempt)];
                m.open("tr", &attrs)
                    .leaf("th", &[("scope", "row")], &attempt);
                for cell in row(t, i) {
                    m.leaf("td", &[], &cell);
                }
                m.close("tr");
            }
            m.finish()
        })
    };
    El::new("details")
        .class("tl-table")
        .testid("timeline-table")
        .markup("<summary>The timeline as a table</summary>")
        .child(
            El::new("div").class("tl-table-scroll").child(
                El::new("table")
                    .markup(
                        "<caption>Attempts, in ms since the run was scheduled</caption><thead>\
                         <tr><th scope=\"col\">Attempt</th><th scope=\"col\">Waited on the \
                         queue</th><th scope=\"col\">Picked up</th><th scope=\"col\">Ended</th>\
                         <th scope=\"col\">Ran</th><th scope=\"col\">Outcome</th><th \
                         scope=\"col\">Backoff after</th></tr></thead>",
                    )
                    .child(El::new("tbody").dyn_html(rows)),
            ),
        )
}
