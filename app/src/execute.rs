//! The Execute Activity button and what the server said about the start:
//! it POSTs the form, then hands the new run to the session to follow.

use leptos::prelude::*;
use proto::{FailureScenario, RunRequest, RunStarted, ServerInfo};

use crate::advanced::ADVANCED_FIELDS;
use crate::api::{self, ClientError};
use crate::browser;
use crate::session::{RunRef, Session};
use crate::state::FormState;

/// One start attempt: what was sent and what came back.
#[derive(Debug, Clone, PartialEq)]
struct StartOutcome {
    request: RunRequest,
    result: Result<RunStarted, ClientError>,
}

/// The Execute Activity button, with start errors.
#[component]
pub fn ExecutePanel(
    /// The form to send.
    form: FormState,
    /// Where the started run is shown.
    session: Session,
    /// What the server is connected to (for Web UI links).
    info: Signal<Option<ServerInfo>>,
) -> impl IntoView {
    // The start request: its last outcome, and whether one is in flight.
    let start = Action::new_local(move |request: &RunRequest| {
        let request = request.clone();
        async move {
            let result = api::start_run(&request).await;
            match &result {
                Ok(started) => {
                    session.record_start(started, &request);
                    browser::reveal("flow-panel");
                    // That queue is now taken: the next outage needs another.
                    if matches!(request.scenario, FailureScenario::Outage { .. }) {
                        form.help_with_scenario(&session.used_queues());
                    }
                }
                Err(ClientError::Api { error, .. }) if !error.fields.is_empty() => {
                    form.server_errors
                        .try_set(Some((request.clone(), error.fields.clone())));
                }
                Err(_) => {}
            }
            StartOutcome { request, result }
        }
    });
    let outcome = start.value();
    let pending = start.pending();
    let busy = move || pending.get() || session.is_running();
    let execute = move |_| {
        if form.is_valid() && !busy() {
            start.dispatch(form.draft.get_untracked().request);
        }
    };
    let label = move || {
        if pending.get() {
            "Starting…"
        } else if session.is_running() {
            "Running…"
        } else {
            "Execute Activity"
        }
    };
    // Errors of fields inside the closed Advanced options would be invisible.
    let hidden_errors = move || {
        if form.advanced_open.get() {
            return None;
        }
        let lines: Vec<String> = ADVANCED_FIELDS
            .into_iter()
            .flat_map(|field| {
                form.field_errors(field)
                    .into_iter()
                    .map(move |m| format!("{}: {m}", field.label()))
            })
            .collect();
        (!lines.is_empty()).then(|| {
            view! {
                <div class="hidden-errors">
                    <ul class="field-errors">
                        {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                    </ul>
                    <button
                        type="button"
                        class="btn btn-small"
                        on:click=move |_| form.advanced_open.set(true)
                    >
                        "Show Advanced options"
                    </button>
                </div>
            }
        })
    };
    let start_error = move || {
        if pending.get() {
            return None;
        }
        let last = outcome.get()?;
        let error = last.result.err()?;
        let existing = match &error {
            ClientError::Api { error, .. } => error.existing_run_id.clone(),
            _ => None,
        };
        let message = if error.code() == Some("validation") {
            "The server rejected the form; see the highlighted fields.".to_owned()
        } else {
            error.to_string()
        };
        let activity_id = last.request.config.activity_id.clone();
        let show_existing = existing.map(|run_id| {
            let run = RunRef {
                web_ui_url: info.read_untracked().as_ref().and_then(|i| {
                    i.web_ui_url
                        .as_deref()
                        .map(|base| api::web_ui_run_url(base, &i.namespace, &activity_id, &run_id))
                }),
                activity_id,
                run_id,
                run_as: last.request.run_as,
            };
            view! {
                <button
                    type="button"
                    class="btn btn-small"
                    data-testid="follow-existing"
                    on:click=move |_| {
                        session.watch(run.clone());
                        outcome.set(None);
                        browser::reveal("flow-panel");
                    }
                >
                    "Follow the running run"
                </button>
            }
        });
        Some(view! {
            <div class="inline-error" role="alert">
                <p>{message}</p>
                {show_existing}
            </div>
        })
    };
    view! {
        <div class="execute">
            <button
                type="button"
                class="btn btn-primary btn-execute"
                data-testid="execute"
                disabled=move || busy() || !form.is_valid()
                aria-busy=move || if busy() { "true" } else { "false" }
                aria-describedby="execute-hint"
                on:click=execute
            >
                {move || busy().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                <span>{label}</span>
            </button>
            <p class="hint" id="execute-hint">
                {move || {
                    if form.is_valid() {
                        "Starts the activity on the real Temporal Server: no Workflow involved."
                    } else {
                        "Fix the highlighted fields to run."
                    }
                }}
            </p>
            {hidden_errors}
            {start_error}
        </div>
    }
}
