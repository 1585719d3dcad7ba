//! The Temporal CLI command for an operator command on the run the page
//! shows (CLI >= 1.9.1): `temporal activity pause`, `unpause`, `reset`,
//! `update-options` with exactly the options the update changes, and
//! `delete`. A standalone activity is named by `--activity-id` and
//! `--run-id` (no `--workflow-id`); `--address` and `--namespace` and the
//! quoting of every value are the start command's.

use proto::operator::{Command, OptionsUpdate};

use crate::cli::{Value, connection, retry_flags, shell_word, timeout_flag, write};
use crate::options::Timeout;
use crate::units::duration_string;
use crate::writer::Writer;
use crate::{Snippet, Target};

/// What `temporal activity pause --help` and the three others print.
const EXPERIMENTAL: &str = "Experimental in Temporal CLI 1.9.1, which says of this command: \
    \"This is an experimental feature and may change in the future.\"";

/// The flags that change what `update` changes, in the CLI's terms.
fn update_flags(update: &OptionsUpdate) -> Vec<(&'static str, Value)> {
    let mut flags = Vec::new();
    if let Some(q) = &update.task_queue {
        flags.push(("--task-queue", Value::Text(shell_word(q))));
    }
    for (t, ms) in [
        (Timeout::StartToClose, update.start_to_close_ms),
        (Timeout::ScheduleToClose, update.schedule_to_close_ms),
        (Timeout::ScheduleToStart, update.schedule_to_start_ms),
        (Timeout::Heartbeat, update.heartbeat_ms),
    ] {
        if let Some(ms) = ms {
            flags.push((timeout_flag(t), Value::Number(duration_string(ms))));
        }
    }
    if let Some(retry) = &update.retry {
        flags.extend(retry_flags(retry));
    }
    flags
}

/// The command that sends `command` to the run `run_id` of `activity_id`
/// on `target`, one flag a line and highlighted like
/// [`cli_command_with`](crate::cli_command_with), with notes on what the CLI
/// says of it or cannot carry. `delete` passes `--yes`: the CLI otherwise
/// asks for a confirmation on the terminal.
pub fn operator_cli(
    target: &Target,
    activity_id: &str,
    run_id: &str,
    command: &Command,
) -> Snippet {
    let mut flags = connection(target);
    flags.push(("--activity-id", Value::Text(shell_word(activity_id))));
    flags.push(("--run-id", Value::Text(shell_word(run_id))));
    let mut w = Writer::new();
    match command {
        Command::Pause { reason } | Command::Unpause { reason } => {
            if !reason.is_empty() {
                flags.push(("--reason", Value::Text(shell_word(reason))));
            }
        }
        Command::Reset(body) => {
            if body.keep_paused {
                flags.push(("--keep-paused", Value::Switch));
            }
            if body.reset_heartbeat {
                flags.push(("--clear-heartbeat-details", Value::Switch));
            }
        }
        Command::UpdateOptions(update) => {
            flags.extend(update_flags(update));
            let types = update
                .retry
                .as_ref()
                .map(|r| r.non_retryable_error_types.as_slice())
                .unwrap_or_default();
            if !types.is_empty() {
                w.note(format!(
                    "The Temporal CLI has no flag for non-retryable error types, so this \
                     command does not set them ({}).",
                    types.join(", ")
                ));
            }
        }
        Command::Delete => flags.push(("--yes", Value::Switch)),
    }
    if command.needs_operator_commands() {
        w.note(EXPERIMENTAL);
    }
    let mut out = Writer::new();
    write(&mut out, command.action(), &flags);
    out.append(w.finish());
    out.finish()
}

/// The reason the CLI panel's pause and unpause give.
pub const CLI_REASON: &str = "from the CLI";

/// Every operator command the CLI panel offers for a run, in its order:
/// pause, unpause, reset, `update-options` when `update` changes
/// something, delete.
pub fn run_commands(
    target: &Target,
    activity_id: &str,
    run_id: &str,
    update: &OptionsUpdate,
) -> Vec<proto::RunCommand> {
    let reason = CLI_REASON.to_owned();
    let mut commands = vec![
        Command::Pause {
            reason: reason.clone(),
        },
        Command::Unpause { reason },
        Command::Reset(proto::ResetBody::default()),
    ];
    if !update.is_empty() {
        commands.push(Command::UpdateOptions(update.clone()));
    }
    commands.push(Command::Delete);
    commands
        .iter()
        .map(|c| proto::RunCommand {
            action: c.action().to_owned(),
            snippet: operator_cli(target, activity_id, run_id, c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::RetryPolicy;
    use proto::operator::ResetBody;

    fn text(command: &Command) -> String {
        operator_cli(&Target::default(), "a b", "r-1", command).text()
    }

    #[test]
    fn reset_switches_stand_alone_and_delete_skips_the_prompt() {
        let reset = text(&Command::Reset(ResetBody {
            keep_paused: true,
            reset_heartbeat: true,
        }));
        assert!(reset.starts_with("temporal activity reset \\\n"), "{reset}");
        assert!(reset.contains("  --activity-id 'a b' \\\n  --run-id r-1 \\\n"));
        assert!(reset.ends_with("  --keep-paused \\\n  --clear-heartbeat-details\n"));
        assert!(text(&Command::Delete).ends_with("  --yes\n"));
    }

    #[test]
    fn an_update_names_only_what_it_changes() {
        let update = OptionsUpdate {
            heartbeat_ms: Some(1_500),
            retry: Some(RetryPolicy {
                non_retryable_error_types: vec!["Fatal".into()],
                ..RetryPolicy::default()
            }),
            ..OptionsUpdate::default()
        };
        let snippet = operator_cli(
            &Target::default(),
            "a",
            "r",
            &Command::UpdateOptions(update),
        );
        let code = snippet.text();
        let flags: Vec<&str> = code
            .lines()
            .filter_map(|l| l.trim().strip_prefix("--"))
            .filter_map(|l| l.split(' ').next())
            .collect();
        assert_eq!(
            flags,
            [
                "address",
                "namespace",
                "activity-id",
                "run-id",
                "heartbeat-timeout",
                "retry-initial-interval",
                "retry-backoff-coefficient",
                "retry-maximum-interval",
                "retry-maximum-attempts"
            ]
        );
        assert!(snippet.notes[0].contains("(Fatal)"), "{:?}", snippet.notes);
        assert!(snippet.notes[1].starts_with("Experimental"));
    }

    #[test]
    fn an_empty_reason_is_left_out() {
        let pause = text(&Command::Pause {
            reason: String::new(),
        });
        assert!(!pause.contains("--reason"), "{pause}");
        let unpause = text(&Command::Unpause {
            reason: "it's fine".into(),
        });
        assert!(
            unpause.ends_with("  --reason 'it'\\''s fine'\n"),
            "{unpause}"
        );
    }
}
