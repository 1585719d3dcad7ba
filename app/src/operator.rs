//! What Temporal's CLI and Web UI can do to a run, from the Result panel:
//! Pause, Unpause, Reset and Update options while it is open, Delete once
//! it closed. Each goes to Temporal through the demo server and shows
//! Temporal's answer, or its refusal in its own words; the log then shows
//! what Temporal's record says happened. Offered only where the namespace
//! allows it (its capabilities, read by the server at start).

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::decimal;
use proto::{Command, EventKind, OptionsUpdate, ResetBody, RetryPolicy, RunAs, ServerInfo};

use crate::api;
use crate::session::Session;
use crate::state::FormState;

/// The answer to the last command, with the run it was about.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    run_id: String,
    ok: bool,
    text: String,
}

/// Whether the log says the run is paused now.
fn paused(events: &[proto::RunEvent]) -> bool {
    let mut paused = false;
    for e in events {
        match e.kind {
            EventKind::Paused { .. } => paused = true,
            EventKind::Unpaused { .. } => paused = false,
            _ => {}
        }
    }
    paused
}

/// Seconds typed in an options field, in ms; empty: unchanged.
fn secs(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    decimal::parse_seconds(t, 1_000_000_000)
        .map(Some)
        .ok_or_else(|| format!("{t:?} is not a number of seconds"))
}

/// The update the options fields describe, with `retry` when the form's
/// retry policy goes too.
fn update_of(
    stc: &str,
    heartbeat: &str,
    queue: &str,
    retry: Option<RetryPolicy>,
) -> Result<OptionsUpdate, String> {
    let queue = queue.trim();
    Ok(OptionsUpdate {
        start_to_close_ms: secs(stc)?,
        heartbeat_ms: secs(heartbeat)?,
        task_queue: (!queue.is_empty()).then(|| queue.to_owned()),
        retry,
        ..OptionsUpdate::default()
    })
}

/// The operator commands of the run on screen.
#[component]
pub fn OperatorControls(
    /// The run on screen.
    session: Session,
    /// What the server is connected to (the namespace's capabilities).
    info: Signal<Option<ServerInfo>>,
    /// The form, whose retry policy an update may send.
    form: FormState,
) -> impl IntoView {
    let answer = RwSignal::new(None::<Answer>);
    let busy = RwSignal::new(false);
    let reason = RwSignal::new("from the demo page".to_owned());
    let keep_paused = RwSignal::new(false);
    let reset_heartbeat = RwSignal::new(false);
    let stc = RwSignal::new(String::new());
    let heartbeat = RwSignal::new(String::new());
    let queue = RwSignal::new(String::new());
    let with_retry = RwSignal::new(false);
    let send = move |command: Command| {
        let Some(run) = session.current.get_untracked() else {
            return;
        };
        busy.set(true);
        answer.set(None);
        let token = session.control_token(&run.run_id);
        spawn_local(async move {
            let outcome =
                api::command_run(&run.activity_id, &run.run_id, token.as_deref(), &command).await;
            busy.try_set(false);
            let (ok, text) = match outcome {
                Ok(done) => (
                    true,
                    format!("Temporal accepted {}.", done.command.action()),
                ),
                Err(e) => (false, e.to_string()),
            };
            answer.try_set(Some(Answer {
                run_id: run.run_id,
                ok,
                text,
            }));
        });
    };
    let allowed = move || {
        info.read()
            .as_ref()
            .is_some_and(|i| i.capabilities.operator_commands)
    };
    let why_not = move || {
        let info = info.read();
        let caps = &info.as_ref()?.capabilities;
        (!caps.operator_commands).then(|| {
            let why = caps
                .note
                .clone()
                .unwrap_or_else(|| "the namespace does not offer them".to_owned());
            view! {
                <p class="hint" data-testid="operator-absent">
                    "Pause, Unpause, Reset and Update options are not offered here: " {why}
                </p>
            }
        })
    };
    // The operator commands act on Standalone Activities, not on a
    // Workflow's.
    let standalone = move || {
        session
            .current
            .read()
            .as_ref()
            .is_some_and(|r| r.run_as == RunAs::Standalone)
    };
    let is_paused = Memo::new(move |_| session.events.with(|v| paused(v)));
    let open = move || session.is_running();
    let idle = move || busy.get() || !open();
    let reason_now = move || reason.get_untracked();
    let answer_view = move || {
        let a = answer.get()?;
        let current = session.current.read();
        (current.as_ref()?.run_id == a.run_id).then(|| {
            let (class, role) = if a.ok {
                ("hint", "status")
            } else {
                ("inline-error", "alert")
            };
            view! { <p class=class role=role data-testid="operator-answer">{a.text}</p> }
        })
    };
    let update = move |_| {
        let retry = with_retry
            .get_untracked()
            .then(|| form.draft.read_untracked().request.config.retry.clone());
        match update_of(
            &stc.get_untracked(),
            &heartbeat.get_untracked(),
            &queue.get_untracked(),
            retry,
        ) {
            Ok(u) => send(Command::UpdateOptions(u)),
            Err(e) => answer.set(session.current.get_untracked().map(|r| Answer {
                run_id: r.run_id,
                ok: false,
                text: e,
            })),
        }
    };
    view! {
        <div class="operator" data-testid="operator" hidden=move || !standalone()>
            {why_not}
            <fieldset class="fieldset" hidden=move || !allowed() || !open()>
                <legend>"Operator commands (experimental in Temporal)"</legend>
                <label class="field-inline">
                    "Reason "
                    <input type="text" data-testid="operator-reason" maxlength="500" bind:value=reason />
                </label>
                <div class="controls">
                    <button type="button" class="btn btn-small" data-testid="pause"
                        disabled=move || idle() || is_paused.get()
                        on:click=move |_| send(Command::Pause { reason: reason_now() })>
                        "Pause"
                    </button>
                    <button type="button" class="btn btn-small" data-testid="unpause"
                        disabled=move || idle() || !is_paused.get()
                        on:click=move |_| send(Command::Unpause { reason: reason_now() })>
                        "Unpause"
                    </button>
                    <button type="button" class="btn btn-small" data-testid="reset"
                        disabled=idle
                        on:click=move |_| send(Command::Reset(ResetBody {
                            keep_paused: keep_paused.get_untracked(),
                            reset_heartbeat: reset_heartbeat.get_untracked(),
                        }))>
                        "Reset attempts"
                    </button>
                    <label class="field-inline">
                        <input type="checkbox" data-testid="keep-paused" bind:checked=keep_paused />
                        " keep paused"
                    </label>
                    <label class="field-inline">
                        <input type="checkbox" data-testid="reset-heartbeat" bind:checked=reset_heartbeat />
                        " clear heartbeat details"
                    </label>
                </div>
                <div class="controls">
                    <label class="field-inline">
                        "Start-to-Close (s) "
                        <input type="number" min="1" step="any" class="input-short"
                            data-testid="update-stc" bind:value=stc />
                    </label>
                    <label class="field-inline">
                        "Heartbeat timeout (s) "
                        <input type="number" min="1" step="any" class="input-short"
                            data-testid="update-heartbeat" bind:value=heartbeat />
                    </label>
                    <label class="field-inline">
                        "Task queue "
                        <input type="text" class="input-short" data-testid="update-queue" bind:value=queue />
                    </label>
                    <label class="field-inline">
                        <input type="checkbox" data-testid="update-retry" bind:checked=with_retry />
                        " and the form's retry policy"
                    </label>
                    <button type="button" class="btn btn-small" data-testid="update-options"
                        disabled=idle on:click=update>
                        "Update options"
                    </button>
                </div>
                <p class="hint">
                    "A pause stops new attempts; a running attempt learns of it on its next \
                     heartbeat. Reset sets the attempt back to 1. New options apply to a waiting \
                     task at once and to a running one from its next attempt."
                </p>
            </fieldset>
            <div class="controls" hidden=move || open() || busy.get()>
                <button type="button" class="btn btn-small btn-danger" data-testid="delete"
                    disabled=move || busy.get()
                    on:click=move |_| send(Command::Delete)>
                    "Delete run"
                </button>
                <p class="hint controls-hint">
                    "Deletes Temporal's record of this run and frees its activity id."
                </p>
            </div>
            {answer_view}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use proto::{RunEvent, Source};

    use super::*;

    fn ev(kind: EventKind) -> RunEvent {
        RunEvent::reported(Source::Server, None, kind)
    }

    #[test]
    fn paused_until_the_unpause_and_again_after_a_second_pause() {
        let mut log = vec![ev(EventKind::Paused {
            pause: 1,
            attempt: 2,
        })];
        assert!(paused(&log));
        log.push(ev(EventKind::Unpaused {
            pause: 1,
            attempt: 2,
        }));
        assert!(!paused(&log));
        log.push(ev(EventKind::Paused {
            pause: 2,
            attempt: 2,
        }));
        assert!(paused(&log));
    }

    #[test]
    fn an_empty_options_field_changes_nothing() {
        let u = update_of(" ", "", "", None).expect("valid");
        assert!(u.is_empty());
        let u = update_of("2.5", "", " q2 ", None).expect("valid");
        assert_eq!(
            (u.start_to_close_ms, u.task_queue.as_deref()),
            (Some(2_500), Some("q2"))
        );
        assert!(update_of("soon", "", "", None).is_err());
        let retry = Some(RetryPolicy::default());
        assert_eq!(
            update_of("", "", "", retry.clone()).expect("valid").retry,
            retry
        );
    }
}
