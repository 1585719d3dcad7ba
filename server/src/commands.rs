//! The run service's operator commands: pause, unpause, reset, update
//! options and delete a run, as Temporal's CLI and Web UI can. Each goes to
//! Temporal only where the namespace allows it; what Temporal accepted is
//! answered with its time (and, for an update, the options it reports now)
//! and logged on the run if this process follows it.

use std::time::SystemTime;

use proto::{Command, CommandDone};

use crate::AppState;
use crate::error::AppError;
use crate::gateway::NO_OPERATOR_COMMANDS;
use crate::runs::RunKey;
use crate::unix_ms;

impl AppState {
    /// Sends `command` to the run `key`.
    pub async fn command(&self, key: &RunKey, command: Command) -> Result<CommandDone, AppError> {
        if key.activity_id.is_empty() || key.run_id.is_empty() {
            // An empty run id would mean "the latest run" to Temporal.
            return Err(AppError::NotFound(
                "a run needs both an activity id and a run id".to_owned(),
            ));
        }
        let caps = &self.info.capabilities;
        if command.needs_operator_commands() && !caps.operator_commands {
            // Temporal would refuse it too; say why without asking.
            return Err(AppError::NotSupported(format!(
                "{}: {}",
                command.action(),
                caps.note.as_deref().unwrap_or(NO_OPERATOR_COMMANDS)
            )));
        }
        let (id, run) = (key.activity_id.as_str(), key.run_id.as_str());
        let g = &self.gateway;
        let options = match &command {
            Command::Pause { reason } => g.pause(id, run, reason).await.map(|()| None),
            Command::Unpause { reason } => g.unpause(id, run, reason).await.map(|()| None),
            Command::Reset(body) => g.reset(id, run, body).await.map(|()| None),
            Command::UpdateOptions(update) => g.update_options(id, run, update).await.map(Some),
            Command::Delete => g.delete(id, run).await.map(|()| None),
        }?;
        let at_ms = unix_ms(SystemTime::now());
        if let Some(followed) = self.runs.get(key) {
            followed.record_command(command.clone(), at_ms);
        }
        Ok(CommandDone {
            command,
            at_ms,
            options,
        })
    }
}
