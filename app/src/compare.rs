//! Standalone vs Workflow, from two real runs this browser started: once
//! both kinds have finished, the comparison table of Temporal's docs with
//! its numbers filled in from those runs (where each appears, with its Web
//! UI link, how it was started, where its retry policy was set, its lines
//! and Event History events, its end-to-end time on this page's clock).

use leptos::prelude::*;
use proto::RunAs;

use crate::measured::Measured;
use crate::session::{HistoryEntry, Session};

/// The newest measured run of `run_as` in `history`, with its measure.
fn newest(history: &[HistoryEntry], run_as: RunAs) -> Option<(HistoryEntry, Measured)> {
    history
        .iter()
        .filter(|e| e.run_as == run_as)
        .find_map(|e| Some((e.clone(), e.measured.clone()?)))
}

/// One column's cells, in the rows' order.
fn cells(e: &HistoryEntry, m: &Measured) -> [String; 7] {
    let workflow = e.run_as == RunAs::Workflow;
    [
        if workflow {
            "Workflows list, with its Event History".to_owned()
        } else {
            "Activities list and counts (no Workflow)".to_owned()
        },
        if workflow {
            "StartWorkflowExecution; the Workflow schedules the activity".to_owned()
        } else {
            "StartActivityExecution from the client".to_owned()
        },
        if workflow {
            "ActivityOptions inside the Workflow definition".to_owned()
        } else {
            "StartActivityOptions on the client".to_owned()
        },
        format!(
            "{} ({})",
            m.outcome,
            m.attempt
                .map_or_else(|| "—".to_owned(), |a| format!("attempt {a}"))
        ),
        m.lines.to_string(),
        match m.history_events {
            Some(n) => format!("{n} events"),
            None if workflow => "not reported".to_owned(),
            None => "none: a Standalone Activity has no Event History".to_owned(),
        },
        m.page_ms.map_or_else(
            || "not timed (not followed from its start)".to_owned(),
            |ms| proto::event::format_ms(ms.max(0.0) as u64),
        ),
    ]
}

/// The row headings.
const ROWS: [&str; 7] = [
    "Where it appears",
    "Started by",
    "Retry policy set in",
    "Outcome",
    "Log lines reported",
    "Temporal Event History",
    "Execute → final line (this page's clock)",
];

/// The Compare panel, shown once a Standalone and a Workflow run finished.
#[component]
pub fn ComparePanel(
    /// This browser's runs.
    session: Session,
) -> impl IntoView {
    let pair = Memo::new(move |_| {
        session
            .history
            .with(|h| Some((newest(h, RunAs::Standalone)?, newest(h, RunAs::Workflow)?)))
    });
    let table = move || {
        pair.get().map(|((standalone, sm), (workflow, wm))| {
            let (s, w) = (cells(&standalone, &sm), cells(&workflow, &wm));
            let link = |e: &HistoryEntry| {
                e.web_ui_url.clone().map(|href| {
                    view! {
                        <a href=href target="_blank" rel="noopener noreferrer">
                            "View in Temporal UI"
                            <span class="visually-hidden">" (opens in a new tab)"</span>
                        </a>
                    }
                })
            };
            let rows = ROWS
                .iter()
                .enumerate()
                .map(|(i, head)| {
                    view! {
                        <tr data-testid="compare-row">
                            <th scope="row">{*head}</th>
                            <td>{s[i].clone()}</td>
                            <td>{w[i].clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="compare" data-testid="compare">
                    <caption>
                        "The same activity, two ways: the latest run of each this browser started"
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">""</th>
                            <th scope="col">"Standalone " <code>{standalone.activity_id.clone()}</code></th>
                            <th scope="col">"From a Workflow " <code>{workflow.activity_id.clone()}</code></th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows}
                        <tr>
                            <th scope="row">"Record"</th>
                            <td>{link(&standalone)}</td>
                            <td>{link(&workflow)}</td>
                        </tr>
                    </tbody>
                </table>
                <p class="hint">
                    "The activity function and its Worker registration are the same code both ways; \
                     only the start differs."
                </p>
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="compare-title" hidden=move || pair.read().is_none()>
            <h2 id="compare-title">"Standalone vs Workflow"</h2>
            {table}
        </section>
    }
}
