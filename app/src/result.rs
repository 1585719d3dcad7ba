//! The run on screen: its ids, a link to the Temporal Web UI, the state of
//! its event stream, Cancel/Terminate while it runs, and the result banner
//! once the terminal event arrives.

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::{EventKind, ServerInfo};
use serde_json::Value;

use crate::api::{self, RunControl};
use crate::operator::OperatorControls;
use crate::session::{Link, RunRef, Session};
use crate::state::FormState;

/// A `Completed` result is JSON text: show a JSON string as its content.
fn decode_result(json: &str) -> String {
    match serde_json::from_str(json) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => json.to_owned(),
    }
}

/// Title and detail of the banner for a terminal event: the title names
/// the outcome, the detail is the log's own line for it.
fn banner_text(kind: &EventKind) -> Option<(String, String)> {
    let detail = model::event_text::describe(kind);
    Some(match kind {
        EventKind::Completed {
            attempt,
            result: Some(result),
        } => (
            format!("Completed on attempt {attempt}"),
            decode_result(result),
        ),
        EventKind::Completed { attempt, .. } => (format!("Completed on attempt {attempt}"), detail),
        EventKind::Failed { attempt, .. } => (format!("Failed after attempt {attempt}"), detail),
        EventKind::TimedOut { .. } => ("Timed out".to_owned(), detail),
        EventKind::Canceled { .. } => ("Canceled".to_owned(), detail),
        EventKind::Terminated { .. } => ("Terminated".to_owned(), detail),
        EventKind::Lost { message } => (
            "Lost track of the run".to_owned(),
            format!("{message}. The run itself may still go on in Temporal."),
        ),
        _ => return None,
    })
}

/// The Temporal Web UI page of `run`: the server's link, or one built from
/// the UI base URL the server reported.
fn ui_link(run: &RunRef, info: Option<&ServerInfo>) -> Option<String> {
    run.web_ui_url.clone().or_else(|| {
        let info = info?;
        let base = info.web_ui_url.as_deref()?;
        Some(api::web_ui_run_url(
            base,
            &info.namespace,
            &run.activity_id,
            &run.run_id,
        ))
    })
}

/// Cancel and Terminate for the run on screen: enabled while it is going
/// (Cancel until a cancel was requested), disabled once it ended.
#[component]
fn Controls(
    /// The run on screen.
    session: Session,
) -> impl IntoView {
    // The failure of the last request, with the run it was about.
    let error = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    let send = move |control: RunControl| {
        let Some(run) = session.current.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let token = session.control_token(&run.run_id);
        spawn_local(async move {
            let outcome = api::control_run(
                run.run_as,
                &run.activity_id,
                &run.run_id,
                token.as_deref(),
                control,
            )
            .await;
            busy.try_set(false);
            if let Err(e) = outcome {
                error.try_set(Some((run.run_id, e.to_string())));
            }
        });
    };
    let cancel_requested = Memo::new(move |_| {
        session.events.with(|v| {
            v.iter()
                .any(|e| matches!(e.kind, EventKind::CancelRequested { .. }))
        })
    });
    let stopped = move || busy.get() || !session.is_running();
    let error_text = move || {
        let (run_id, message) = error.get()?;
        let current = session.current.read();
        (current.as_ref()?.run_id == run_id)
            .then(|| view! { <p class="inline-error" role="alert">{message}</p> })
    };
    view! {
        <div class="controls" hidden=move || session.current.read().is_none()>
            <button
                type="button"
                class="btn btn-small"
                data-testid="cancel"
                disabled=move || stopped() || cancel_requested.get()
                on:click=move |_| send(RunControl::Cancel)
            >
                {move || if cancel_requested.get() { "Cancel requested" } else { "Request cancel" }}
            </button>
            <button
                type="button"
                class="btn btn-small btn-danger"
                data-testid="terminate"
                disabled=stopped
                on:click=move |_| send(RunControl::Terminate)
            >
                "Terminate"
            </button>
            <p class="hint controls-hint">
                "Cancel asks the activity to stop (it learns on its next heartbeat); \
                 Terminate ends the run at once, server side."
            </p>
        </div>
        {error_text}
    }
}

/// The run panel: ids, link, stream state, controls and the result banner.
#[component]
pub fn ResultPanel(
    /// The run on screen.
    session: Session,
    /// What the server is connected to (for the Web UI link).
    info: Signal<Option<ServerInfo>>,
    /// The form (an options update may send its retry policy).
    form: FormState,
) -> impl IntoView {
    let terminal = Memo::new(move |_| {
        session
            .events
            .with(|v| v.last().filter(|e| e.kind.is_terminal()).cloned())
    });
    let link_note = move || {
        let text = match session.link.get() {
            Link::Connecting => "Connecting to the run's event stream…".to_owned(),
            Link::Reconnecting => "Connection lost; reconnecting and resuming…".to_owned(),
            Link::Failed(e) => format!("No events: {e}."),
            Link::Open if terminal.read().is_none() => "Running…".to_owned(),
            Link::Open | Link::Done | Link::Idle => return None,
        };
        let class = if matches!(session.link.get(), Link::Failed(_)) {
            "link-note inline-error"
        } else {
            "link-note"
        };
        Some(view! { <p class=class>{text}</p> })
    };
    let banner = move || {
        let ev = terminal.get()?;
        let (title, detail) = banner_text(&ev.kind)?;
        let ok = matches!(ev.kind, EventKind::Completed { .. });
        Some(view! {
            <div
                class=if ok { "banner banner-ok" } else { "banner banner-error" }
                data-testid="result"
                data-status=ev.kind.name()
            >
                <p class="banner-title">{title}</p>
                <p class="banner-detail">{detail}</p>
            </div>
        })
    };
    let details = move || {
        let Some(run) = session.current.get() else {
            return view! {
                <p class="empty">"No run on screen yet."</p>
            }
            .into_any();
        };
        let link = ui_link(&run, info.read().as_ref());
        view! {
            <dl class="run-ids">
                <dt>"Activity ID"</dt>
                <dd>
                    <code>{run.activity_id.clone()}</code>
                </dd>
                <dt>"Run ID"</dt>
                <dd>
                    <code data-testid="run-id">{run.run_id.clone()}</code>
                </dd>
            </dl>
            {link
                .map(|href| {
                    view! {
                        <a class="ui-link" href=href target="_blank" rel="noopener noreferrer">
                            "View in Temporal UI"
                            <span class="visually-hidden">" (opens in a new tab)"</span>
                        </a>
                    }
                })}
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="result-title">
            <h2 id="result-title">"Result"</h2>
            {details}
            <div role="status" aria-live="polite">
                {link_note}
                {banner}
            </div>
            <Controls session=session />
            <OperatorControls session=session info=info form=form />
        </section>
    }
}
