//! The History of runs: this browser's runs, newest first. Choosing one shows
//! its log again (the server replays it, rebuilding it from Temporal if it
//! has to).

use leptos::prelude::*;
use proto::RunStatus;

use crate::browser;
use crate::session::{HistoryEntry, Session};

fn status_slug(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Running => "running",
        RunStatus::Completed => "completed",
        RunStatus::Failed => "failed",
        RunStatus::TimedOut => "timed_out",
        RunStatus::Canceled => "canceled",
        RunStatus::Terminated => "terminated",
        RunStatus::Unknown => "unknown",
    }
}

/// One run in the list.
#[component]
fn HistoryItem(
    /// The run.
    entry: HistoryEntry,
    /// Where choosing it shows it.
    session: Session,
) -> impl IntoView {
    let run_id = entry.run_id.clone();
    let is_current = move || {
        session
            .current
            .read()
            .as_ref()
            .is_some_and(|r| r.run_id == run_id)
    };
    let run = entry.run_ref();
    let status = entry.status;
    view! {
        <li data-testid="history-item" data-status=status_slug(status)>
            <button
                type="button"
                class="history-button"
                class:current=is_current.clone()
                aria-current=move || is_current().then_some("true")
                on:click=move |_| session.watch(run.clone())
            >
                <span class="history-main">
                    <code class="history-id">{entry.activity_id.clone()}</code>
                    <span class=format!("status status-{}", status_slug(status))>
                        {status.label()}
                    </span>
                </span>
                <span class="history-meta">
                    <span title="Run ID">{entry.run_id.clone()}</span>
                </span>
                <span class="history-meta">
                    <span>{entry.language.label()}</span>
                    " · "
                    <span>{entry.scenario.clone()}</span>
                    " · "
                    <time title=browser::local_date_time(entry.started_at_ms)>
                        {browser::local_time(entry.started_at_ms)}
                    </time>
                </span>
            </button>
        </li>
    }
}

/// The History panel.
#[component]
pub fn HistoryPanel(
    /// This browser's runs.
    session: Session,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="history-title">
            <div class="panel-head">
                <h2 id="history-title">"History"</h2>
                <Show when=move || !session.history.read().is_empty()>
                    <button
                        type="button"
                        class="btn btn-small btn-quiet"
                        on:click=move |_| session.clear_history()
                    >
                        "Clear"
                    </button>
                </Show>
            </div>
            <ol class="history" data-testid="history" aria-labelledby="history-title">
                <For
                    each=move || session.history.get()
                    key=|e| (e.run_id.clone(), status_slug(e.status))
                    children=move |entry| view! { <HistoryItem entry=entry session=session /> }
                />
            </ol>
            <Show when=move || session.history.read().is_empty()>
                <p class="empty">"Runs you start in this browser are listed here."</p>
            </Show>
        </section>
    }
}
