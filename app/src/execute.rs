//! The Execute Activity button and what the server said about the start:
//! it POSTs the form, then hands the new run to the session to follow.

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::{FailureScenario, RunRequest, RunStarted, ServerInfo};

use crate::advanced::ADVANCED_FIELDS;
use crate::api::{self, ClientError};
use crate::browser;
use crate::dom::El;
use crate::markup::Markup;
use crate::session::{RunRef, Session};
use crate::state::FormState;

/// One start attempt: what was sent and what came back.
#[derive(Debug, Clone, PartialEq)]
struct StartOutcome {
    request: RunRequest,
    result: Result<RunStarted, ClientError>,
}

/// The Execute Activity button, with start errors: it sends `form`, shows
/// the run in `session`, and links runs to the Web UI `info` names.
pub fn execute_panel(form: FormState, session: Session, info: Signal<Option<ServerInfo>>) -> El {
    // The last start attempt, and whether one is in flight.
    let outcome = RwSignal::new(None::<StartOutcome>);
    let pending = RwSignal::new(false);
    let start = move |request: RunRequest| {
        pending.set(true);
        spawn_local(async move {
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
            outcome.try_set(Some(StartOutcome { request, result }));
            pending.try_set(false);
        });
    };
    let busy = move || pending.get() || session.is_running();
    let execute = move |_: web_sys::Event| {
        if form.is_valid() && !busy() {
            start(form.draft.get_untracked().request);
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
    // Rebuilt only when the lines change, not on every keystroke.
    let hidden_lines = Memo::new(move |_| {
        if form.advanced_open.get() {
            return Vec::new();
        }
        ADVANCED_FIELDS
            .into_iter()
            .flat_map(|field| {
                form.field_errors(field)
                    .into_iter()
                    .map(move |m| format!("{}: {m}", field.label()))
            })
            .collect::<Vec<String>>()
    });
    let hidden_errors = move || {
        let lines = hidden_lines.get();
        (!lines.is_empty()).then(|| {
            let mut m = Markup::new();
            m.open("ul", &[("class", "field-errors")]);
            for l in &lines {
                m.leaf("li", &[], l);
            }
            m.close("ul");
            El::new("div")
                .class("hidden-errors")
                .markup(&m.finish())
                .child(
                    El::new("button")
                        .attr("type", "button")
                        .class("btn btn-small")
                        .on("click", move |_| form.advanced_open.set(true))
                        .text("Show Advanced options"),
                )
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
            };
            El::new("button")
                .attr("type", "button")
                .class("btn btn-small")
                .testid("follow-existing")
                .on("click", move |_| {
                    session.watch(run.clone());
                    outcome.set(None);
                    browser::reveal("flow-panel");
                })
                .text("Follow the running run")
        });
        let el = El::new("div")
            .class("inline-error")
            .attr("role", "alert")
            .child(El::new("p").text(&message));
        Some(match show_existing {
            Some(b) => el.child(b),
            None => el,
        })
    };
    El::new("div")
        .class("execute")
        .child(
            El::new("button")
                .attr("type", "button")
                .class("btn btn-primary btn-execute")
                .testid("execute")
                .dyn_flag("disabled", move || busy() || !form.is_valid())
                .dyn_attr("aria-busy", move || Some(busy().to_string()))
                .attr("aria-describedby", "execute-hint")
                .on("click", execute)
                .dyn_child(move || {
                    busy().then(|| El::new("span").class("spinner").attr("aria-hidden", "true"))
                })
                .child(El::new("span").dyn_text(move || label().to_owned())),
        )
        .child(
            El::new("p")
                .class("hint")
                .attr("id", "execute-hint")
                .dyn_text(move || {
                    if form.is_valid() {
                        "Starts the activity on the real Temporal Server: no Workflow involved."
                    } else {
                        "Fix the highlighted fields to run."
                    }
                    .to_owned()
                }),
        )
        .dyn_child(hidden_errors)
        .dyn_child(start_error)
}
