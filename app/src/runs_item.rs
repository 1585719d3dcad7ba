//! One run of the Runs panel, as Temporal lists it: choosing it shows its
//! log (rebuilt from Temporal by the server if it has to), "Start like this
//! one" fills the form with the options Temporal recorded for it, and a link
//! opens it in the Temporal Web UI when the demo knows the UI.

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::RunSummary;

use crate::api;
use crate::browser;
use crate::like::fill_form;
use crate::session::{RunRef, Session};
use crate::state::FormState;

/// What the last "Start like this one" said, for the panel to show.
pub type LikeNote = RwSignal<Option<Result<Vec<String>, String>>>;

/// One listed run.
#[component]
pub fn RunsItem(
    /// The run, as listed.
    run: RunSummary,
    /// Where choosing it shows it.
    session: Session,
    /// The form "Start like this one" fills.
    form: FormState,
    /// Where "Start like this one" reports.
    note: LikeNote,
) -> impl IntoView {
    let run_id = run.run_id.clone();
    let is_current = move || {
        session
            .current
            .read()
            .as_ref()
            .is_some_and(|r| r.run_id == run_id)
    };
    let target = RunRef {
        activity_id: run.activity_id.clone(),
        run_id: run.run_id.clone(),
        web_ui_url: run.web_ui_url.clone(),
        run_as: proto::RunAs::Standalone,
    };
    let (activity_id, rid) = (run.activity_id.clone(), run.run_id.clone());
    let like = move |_| {
        let (activity_id, rid) = (activity_id.clone(), rid.clone());
        let token = session.control_token(&rid);
        note.set(None);
        spawn_local(async move {
            match api::run_options(&activity_id, &rid, token.as_deref()).await {
                Ok(options) => {
                    note.set(Some(Ok(fill_form(&form, &options))));
                    browser::reveal("config-title");
                }
                Err(e) => note.set(Some(Err(e.to_string()))),
            }
        });
    };
    let status = run.status;
    let when = run.scheduled_ms.map(|ms| ms as f64);
    view! {
        <li
            data-testid="runs-item"
            data-activity-id=run.activity_id.clone()
            data-run-id=run.run_id.clone()
            data-status=status.slug()
        >
            <button
                type="button"
                class="runs-button"
                class:current=is_current.clone()
                aria-current=move || is_current().then_some("true")
                on:click=move |_| session.watch(target.clone())
            >
                <span class="runs-main">
                    <code class="runs-id">{run.activity_id.clone()}</code>
                    <span class=format!("status status-{}", status.slug())>{status.label()}</span>
                </span>
                <span class="runs-meta">
                    <span title="Run ID">{run.run_id.clone()}</span>
                </span>
                <span class="runs-meta">
                    <span title="Activity type">{run.activity_type.clone()}</span>
                    " · "
                    <span title="Task queue">{run.task_queue.clone()}</span>
                    {when
                        .map(|ms| {
                            view! {
                                " · "
                                <time title=browser::local_date_time(ms)>
                                    {browser::local_time(ms)}
                                </time>
                            }
                        })}
                </span>
            </button>
            <span class="runs-actions">
                <button
                    type="button"
                    class="btn btn-small btn-quiet"
                    data-testid="runs-like"
                    on:click=like
                >
                    "Start like this one"
                </button>
                {run
                    .web_ui_url
                    .clone()
                    .map(|url| {
                        view! {
                            <a
                                class="runs-link"
                                data-testid="runs-web-ui"
                                href=url
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                "Open in Temporal UI"
                            </a>
                        }
                    })}
            </span>
        </li>
    }
}
