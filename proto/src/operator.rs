//! Operator commands on a standalone activity, as Temporal's CLI and Web UI
//! offer them (Server 1.32, behind the namespace's
//! `standalone_activity_operator_commands` capability): pause, unpause,
//! reset, update options, and delete. The bodies of
//! `POST /api/runs/{activity_id}/{run_id}/{action}`, the command as the
//! Activity Log reports it, their validation, and what the namespace allows.

use serde::{Deserialize, Serialize};

use crate::config::RetryPolicy;
use crate::field::{Field, FieldError};
use crate::validate::{Limits, check_name, check_range, check_retry};

/// The longest reason accepted with a pause, unpause, cancel or terminate.
pub const MAX_REASON_CHARS: usize = 500;

/// What the namespace lets the demo do, from `DescribeNamespace`
/// (`namespace_info.capabilities`), read once at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Pause, unpause, reset and update options
    /// (`standalone_activity_operator_commands`).
    #[serde(default)]
    pub operator_commands: bool,
    /// A start delay (`standalone_activity_start_delay`).
    #[serde(default)]
    pub start_delay: bool,
    /// Why something is missing, in Temporal's terms, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST …/reset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    /// A paused run stays paused after the reset.
    #[serde(default)]
    pub keep_paused: bool,
    /// Also discard the heartbeat details Temporal keeps.
    #[serde(default)]
    pub reset_heartbeat: bool,
}

/// `POST …/update-options`: the options to change; a field left out keeps
/// its value (it is not in the update mask).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsUpdate {
    /// New task queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_queue: Option<String>,
    /// New start-to-close timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_to_close_ms: Option<u64>,
    /// New schedule-to-close timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_to_close_ms: Option<u64>,
    /// New schedule-to-start timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_to_start_ms: Option<u64>,
    /// New heartbeat timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_ms: Option<u64>,
    /// New retry policy (replaces the whole policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
}

impl OptionsUpdate {
    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == OptionsUpdate::default()
    }

    /// The update mask Temporal expects, in `ActivityOptions`' field names.
    pub fn mask(&self) -> Vec<&'static str> {
        let mut paths = Vec::new();
        let fields = [
            (self.task_queue.is_some(), "task_queue"),
            (self.start_to_close_ms.is_some(), "start_to_close_timeout"),
            (
                self.schedule_to_close_ms.is_some(),
                "schedule_to_close_timeout",
            ),
            (
                self.schedule_to_start_ms.is_some(),
                "schedule_to_start_timeout",
            ),
            (self.heartbeat_ms.is_some(), "heartbeat_timeout"),
            (self.retry.is_some(), "retry_policy"),
        ];
        for (set, path) in fields {
            if set {
                paths.push(path);
            }
        }
        paths
    }

    /// Checks every field against the limits a start has.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.is_empty() {
            errors.push(FieldError {
                field: Field::Timeout,
                message: "name at least one option to change".to_owned(),
            });
        }
        if let Some(q) = &self.task_queue {
            check_name(&mut errors, Field::TaskQueue, q);
        }
        // Both close timeouts are the form's Timeout field: the message
        // names which one.
        for (ms, field, which) in [
            (
                self.start_to_close_ms,
                Field::Timeout,
                "start_to_close_ms: ",
            ),
            (
                self.schedule_to_close_ms,
                Field::Timeout,
                "schedule_to_close_ms: ",
            ),
            (self.schedule_to_start_ms, Field::ScheduleToStartTimeout, ""),
            (self.heartbeat_ms, Field::HeartbeatTimeout, ""),
        ] {
            if let Some(ms) = ms {
                let before = errors.len();
                check_range(
                    &mut errors,
                    field,
                    ms,
                    Limits::MIN_TIMEOUT_MS,
                    Limits::MAX_TIMEOUT_MS,
                );
                for e in &mut errors[before..] {
                    e.message.insert_str(0, which);
                }
            }
        }
        if let Some(r) = &self.retry {
            check_retry(&mut errors, r);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An operator command the demo sent, as the Activity Log reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// `PauseActivityExecution`.
    Pause {
        /// The reason recorded.
        reason: String,
    },
    /// `UnpauseActivityExecution`.
    Unpause {
        /// The reason recorded.
        reason: String,
    },
    /// `ResetActivityExecution`: attempts back to 1.
    Reset(ResetBody),
    /// `UpdateActivityExecutionOptions`.
    UpdateOptions(OptionsUpdate),
    /// `DeleteActivityExecution`: terminates an open run, frees the id.
    Delete,
}

impl Command {
    /// The URL action (`pause`, `unpause`, `reset`, `update-options`,
    /// `delete`) and the CLI subcommand of the same name.
    pub const fn action(&self) -> &'static str {
        match self {
            Command::Pause { .. } => "pause",
            Command::Unpause { .. } => "unpause",
            Command::Reset(_) => "reset",
            Command::UpdateOptions(_) => "update-options",
            Command::Delete => "delete",
        }
    }

    /// Whether the namespace's operator-commands capability gates it
    /// (delete is always available).
    pub const fn needs_operator_commands(&self) -> bool {
        !matches!(self, Command::Delete)
    }
}

/// The current options of a run, as `DescribeActivityExecution` (or an
/// update's answer) reports them. Zero durations are "unlimited" there and
/// `None` here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunOptionsNow {
    /// The task queue.
    pub task_queue: String,
    /// Start-to-close.
    pub start_to_close_ms: Option<u64>,
    /// Schedule-to-close.
    pub schedule_to_close_ms: Option<u64>,
    /// Schedule-to-start.
    pub schedule_to_start_ms: Option<u64>,
    /// Heartbeat.
    pub heartbeat_ms: Option<u64>,
    /// The retry policy, when one is recorded.
    pub retry: Option<RetryPolicy>,
}

/// Answer to an operator command: what Temporal said it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandDone {
    /// The command as sent.
    pub command: Command,
    /// When Temporal answered (unix ms, the demo server's clock).
    pub at_ms: i64,
    /// The run's options after an update, as Temporal returned them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<RunOptionsNow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mask_names_only_what_is_set() {
        let u = OptionsUpdate {
            start_to_close_ms: Some(5_000),
            retry: Some(RetryPolicy::default()),
            ..OptionsUpdate::default()
        };
        assert_eq!(u.mask(), ["start_to_close_timeout", "retry_policy"]);
        assert!(OptionsUpdate::default().mask().is_empty());
    }

    #[test]
    fn an_update_is_checked_like_a_start() {
        assert!(OptionsUpdate::default().validate().is_err());
        let bad = OptionsUpdate {
            heartbeat_ms: Some(10),
            task_queue: Some(" q".into()),
            ..OptionsUpdate::default()
        };
        let fields: Vec<Field> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, [Field::TaskQueue, Field::HeartbeatTimeout]);
        let close = OptionsUpdate {
            schedule_to_close_ms: Some(0),
            ..OptionsUpdate::default()
        };
        let errors = close.validate().unwrap_err();
        assert_eq!(errors[0].field, Field::Timeout);
        assert!(
            errors[0]
                .message
                .starts_with("schedule_to_close_ms: must be between"),
            "{errors:?}"
        );
        let good = OptionsUpdate {
            start_to_close_ms: Some(3_000),
            ..OptionsUpdate::default()
        };
        assert_eq!(good.validate(), Ok(()));
    }

    #[test]
    fn commands_serialize_with_their_action_tag() {
        let c = Command::Reset(ResetBody {
            keep_paused: true,
            reset_heartbeat: false,
        });
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(
            text,
            r#"{"reset":{"keep_paused":true,"reset_heartbeat":false}}"#
        );
        assert_eq!(
            serde_json::to_string(&Command::Delete).unwrap(),
            r#""delete""#
        );
        assert_eq!(c.action(), "reset");
    }
}
