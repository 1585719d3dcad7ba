//! The CLI panel's commands for the run on screen: `temporal activity
//! pause`, `unpause`, `reset`, `update-options` and `delete`, aimed at its
//! activity id and run id, each to copy and run against the demo's Temporal.
//! The update carries what the form now says differently from the options
//! the run was started with: edit the form, copy the command.

use codegen::{Target, run_commands};
use leptos::prelude::*;
use proto::{ActivityConfig, OptionsUpdate, RunAs, RunCommand};

use crate::code::CodeBlock;
use crate::copy::CopyButton;
use crate::session::Session;
use crate::state::FormState;

/// What `form` sets differently from `run`, as an options update.
pub fn changed(run: &ActivityConfig, form: &ActivityConfig) -> OptionsUpdate {
    let differs = |a: Option<u64>, b: Option<u64>| (a != b).then_some(b).flatten();
    OptionsUpdate {
        task_queue: (run.task_queue != form.task_queue).then(|| form.task_queue.clone()),
        start_to_close_ms: differs(run.start_to_close_ms(), form.start_to_close_ms()),
        schedule_to_close_ms: differs(run.schedule_to_close_ms(), form.schedule_to_close_ms()),
        schedule_to_start_ms: differs(
            run.schedule_to_start_timeout_ms,
            form.schedule_to_start_timeout_ms,
        ),
        heartbeat_ms: differs(run.heartbeat_timeout_ms, form.heartbeat_timeout_ms),
        retry: (run.retry != form.retry).then(|| form.retry.clone()),
    }
}

/// One command, with its Copy button.
#[component]
fn RunCommandBlock(
    /// The command.
    command: RunCommand,
) -> impl IntoView {
    let testid = match command.action.as_str() {
        "pause" => "cli-pause",
        "unpause" => "cli-unpause",
        "reset" => "cli-reset",
        "update-options" => "cli-update-options",
        _ => "cli-delete",
    };
    let title = format!("temporal activity {}", command.action);
    let snippet = Memo::new(move |_| command.snippet.clone());
    view! {
        <div class="panel-head">
            <h3 class="run-command-title"><code>{title}</code></h3>
            <CopyButton text=Signal::derive(move || snippet.read().text()) what="command" />
        </div>
        <CodeBlock snippet=snippet testid=testid label="operator command" />
    }
}

/// The commands for the run on screen, once there is one.
#[component]
pub fn RunCommands(
    /// The form (its options feed `update-options`).
    form: FormState,
    /// The run on screen.
    session: Session,
    /// Where the commands connect.
    target: Signal<Target>,
) -> impl IntoView {
    let commands = Memo::new(move |_| {
        let Some(run) = session.current.get() else {
            return Vec::new();
        };
        let draft = form.draft.read();
        let update = session
            .config
            .get()
            .filter(|_| draft.errors.is_empty())
            .map(|started| changed(&started, &draft.request.config))
            .unwrap_or_default();
        run_commands(&target.read(), &run.activity_id, &run.run_id, &update)
    });
    let has_update = move || commands.read().iter().any(|c| c.action == "update-options");
    view! {
        <div class="run-commands" data-testid="run-commands" hidden=move || {
            session.current.read().as_ref().is_none_or(|r| r.run_as != RunAs::Standalone)
        }>
            <h3>"For the run on screen"</h3>
            {move || {
                commands
                    .get()
                    .into_iter()
                    .map(|command| view! { <RunCommandBlock command=command /> })
                    .collect_view()
            }}
            <p class="hint" hidden=has_update>
                "Change a timeout, the retry policy or the task queue in the form to get the "
                <code>"update-options"</code>
                " command for them."
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_names_only_what_the_form_changed() {
        let run = ActivityConfig::default();
        assert!(changed(&run, &run).is_empty());
        let mut form = run.clone();
        form.timeout_ms = 20_000;
        form.retry.maximum_attempts = 5;
        let u = changed(&run, &form);
        assert_eq!(u.start_to_close_ms, Some(20_000));
        assert_eq!(u.retry.map(|r| r.maximum_attempts), Some(5));
        assert_eq!((u.task_queue, u.heartbeat_ms), (None, None));
    }
}
