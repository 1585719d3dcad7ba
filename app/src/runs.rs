//! The Runs panel: the runs Temporal itself lists (`ListActivityExecutions`)
//! on the demo's task queues, or only this browser's own ("Mine", the run
//! ids kept in `localStorage`), newest first and paged, with a count per
//! status (`CountActivityExecutions ... GROUP BY ExecutionStatus`). A run
//! started from the CLI, a copied snippet or another tab shows up here. The
//! list is asked for again every few seconds while the tab is visible, and
//! at once when a run starts or ends on this page.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::runs::DEFAULT_PAGE_SIZE;
use proto::{Field, RunStatus, RunsPage, RunsQuery};

use crate::api;
use crate::browser;
use crate::draft::InputsStoreFields;
use crate::runs_item::{LikeNote, RunsItem};
use crate::session::Session;
use crate::state::FormState;
use crate::ticker::ticking;

/// How often the list is asked for while the tab is visible.
const REFRESH: Duration = Duration::from_secs(5);

/// Whether the tab is visible, kept up to date by `visibilitychange`.
fn page_visible() -> Memo<bool> {
    let visible = RwSignal::new(!browser::page_hidden());
    let handle = window_event_listener_untyped("visibilitychange", move |_| {
        visible.set(!browser::page_hidden());
    });
    let handle = StoredValue::new_local(Some(handle));
    on_cleanup(move || {
        if let Some(h) = handle.try_update_value(Option::take).flatten() {
            h.remove();
        }
    });
    Memo::new(move |_| visible.get())
}

/// One status filter button, with its count.
#[component]
fn Filter(
    /// The status, or `None` for every run.
    status: Option<RunStatus>,
    /// The chosen filter.
    chosen: RwSignal<Option<RunStatus>>,
    /// Its count, once known.
    count: Signal<Option<u64>>,
    /// Resets paging.
    on_pick: Callback<()>,
) -> impl IntoView {
    let label = status.map_or("All", RunStatus::label);
    let slug = status.map_or("all", RunStatus::slug);
    view! {
        <button
            type="button"
            class="runs-filter"
            data-testid="runs-filter"
            data-status=slug
            aria-pressed=move || if chosen.get() == status { "true" } else { "false" }
            on:click=move |_| {
                chosen.set(status);
                on_pick.run(());
            }
        >
            {label}
            " "
            <span class="runs-count" data-testid="runs-count">
                {move || count.get().map(|n| n.to_string()).unwrap_or_default()}
            </span>
        </button>
    }
}

/// The Runs panel.
#[component]
pub fn RunsPanel(
    /// The run on screen, and this browser's run ids.
    session: Session,
    /// The form "Start like this one" fills, whose task queue is listed too.
    form: FormState,
) -> impl IntoView {
    let status = RwSignal::new(None::<RunStatus>);
    let mine = RwSignal::new(false);
    // The page tokens that led to the page shown; empty: the newest page.
    let tokens = RwSignal::new(Vec::<String>::new());
    let page = RwSignal::new(None::<RunsPage>);
    // Whether the page shown answers a "Mine" question (a test hook too).
    let answered_mine = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let note: LikeNote = RwSignal::new(None);
    let asked = StoredValue::new(0u64);
    let tick = ticking(page_visible(), REFRESH);
    let load = move || {
        let run_ids: Vec<String> = if mine.get_untracked() {
            session
                .history
                .with_untracked(|h| h.iter().map(|e| e.run_id.clone()).collect())
        } else {
            Vec::new()
        };
        // The form's queue too, where a pasted CLI command starts its run.
        let queue_ok = form.field_errors(Field::TaskQueue).is_empty();
        let query = RunsQuery {
            status: status.get_untracked(),
            task_queue: queue_ok.then(|| form.inputs.task_queue().get_untracked()),
            page_token: tokens.with_untracked(|t| t.last().cloned()),
            page_size: DEFAULT_PAGE_SIZE,
            run_ids,
        };
        let is_mine = mine.get_untracked();
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if is_mine && query.run_ids.is_empty() {
            answered_mine.set(true);
            page.set(Some(RunsPage {
                runs: Vec::new(),
                counts: Vec::new(),
                total: 0,
                next_page_token: None,
                task_queues: Vec::new(),
            }));
            return;
        }
        spawn_local(async move {
            let answer = api::list_runs(&query).await;
            // Only the latest question's answer counts.
            if asked.try_get_value() != Some(n) {
                return;
            }
            match answer {
                Ok(p) => {
                    answered_mine.set(is_mine);
                    page.set(Some(p));
                    error.set(None);
                }
                // A page token Temporal no longer takes (it restarted):
                // back to the newest page.
                Err(e)
                    if e.code() == Some("bad_request")
                        && e.to_string().starts_with("page_token") =>
                {
                    tokens.set(Vec::new());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    Effect::new(move |_| {
        tick.track();
        status.track();
        mine.track();
        tokens.track();
        session.current.track();
        session.ended_at_ms.track();
        untrack(load);
    });
    // Another question: what was shown answers the old one.
    let reset = Callback::new(move |()| {
        page.set(None);
        tokens.set(Vec::new());
    });
    let count = move |s: Option<RunStatus>| {
        Signal::derive(move || page.with(|p| p.as_ref().map(|p| s.map_or(p.total, |s| p.count(s)))))
    };
    let runs = move || page.with(|p| p.as_ref().map(|p| p.runs.clone()).unwrap_or_default());
    let next = move || page.with(|p| p.as_ref().and_then(|p| p.next_page_token.clone()));
    let scope = move || {
        page.with(|p| match p {
            Some(p) if !p.task_queues.is_empty() => {
                format!("On task queues {}", p.task_queues.join(", "))
            }
            Some(_) => "Runs started in this browser".to_owned(),
            None => String::new(),
        })
    };
    view! {
        <section class="panel" aria-labelledby="runs-title" data-testid="runs">
            <div class="panel-head">
                <h2 id="runs-title">"Runs"</h2>
                <label class="runs-mine">
                    <input
                        type="checkbox"
                        data-testid="runs-mine"
                        prop:checked=move || mine.get()
                        on:change=move |ev| {
                            mine.set(event_target_checked(&ev));
                            reset.run(());
                        }
                    />
                    " Mine"
                </label>
            </div>
            <p class="hint runs-scope">
                "From Temporal's own record (visibility), refreshed while this tab is visible. "
                {scope}
            </p>
            <div class="runs-filters" role="group" aria-label="Filter runs by status">
                <Filter status=None chosen=status count=count(None) on_pick=reset />
                {RunStatus::LISTED
                    .into_iter()
                    .map(|s| {
                        view! {
                            <Filter status=Some(s) chosen=status count=count(Some(s)) on_pick=reset />
                        }
                    })
                    .collect_view()}
            </div>
            <ol
                class="runs"
                data-testid="runs-list"
                data-mine=move || answered_mine.get().to_string()
                aria-labelledby="runs-title"
            >
                <For
                    each=runs
                    key=|r| (r.run_id.clone(), r.status.slug())
                    children=move |run| {
                        view! { <RunsItem run=run session=session form=form note=note /> }
                    }
                />
            </ol>
            {move || {
                page.with(|p| p.as_ref().is_some_and(|p| p.runs.is_empty()))
                    .then(|| view! { <p class="empty">"No runs here yet."</p> })
            }}
            <div class="runs-pager">
                <button
                    type="button"
                    class="btn btn-small btn-quiet"
                    data-testid="runs-newer"
                    disabled=move || tokens.with(Vec::is_empty)
                    on:click=move |_| tokens.update(|t| {
                        t.pop();
                    })
                >
                    "Newer"
                </button>
                <button
                    type="button"
                    class="btn btn-small btn-quiet"
                    data-testid="runs-older"
                    disabled=move || next().is_none()
                    on:click=move |_| {
                        if let Some(t) = next() {
                            tokens.update(|v| v.push(t));
                        }
                    }
                >
                    "Older"
                </button>
            </div>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="runs-error" role="status" data-testid="runs-error">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || {
                note.get()
                    .map(|n| {
                        let text = match n {
                            Ok(notes) if notes.is_empty() => {
                                "The form now holds that run's options, as Temporal recorded them."
                                    .to_owned()
                            }
                            Ok(notes) => {
                                format!(
                                    "The form now holds that run's options, as Temporal recorded them. {}.",
                                    notes.join(". ")
                                )
                            }
                            Err(e) => format!("Could not read that run's options: {e}"),
                        };
                        view! {
                            <p class="runs-note" role="status" data-testid="runs-like-note">
                                {text}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
