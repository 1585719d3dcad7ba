//! `POST /api/runs/{activity_id}/{run_id}/{action}`: what a visitor does to
//! a run. `cancel` and `terminate` (202, no body) and the operator commands
//! `pause`, `unpause`, `reset`, `update-options` and `delete` (200 with a
//! `CommandDone`). The handler checks the control token and parses the
//! action's body; the run service does the rest. A Workflow run takes
//! `cancel` and `terminate` at `/api/workflows/{workflow_id}/{run_id}/...`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use proto::operator::MAX_REASON_CHARS;
use proto::{Command, OptionsUpdate, ResetBody};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::AppError;
use crate::gateway::Stop;
use crate::hosting::Guard;
use crate::runs::RunKey;

/// The header that carries a run's control token on every run action.
pub const CONTROL_TOKEN_HEADER: &str = "x-control-token";

/// A run action, from its URL segment, before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Cancel or terminate.
    Stop(Stop),
    /// An operator command.
    Operator(Operator),
}

/// An operator command, before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Pause,
    Unpause,
    Reset,
    UpdateOptions,
    Delete,
}

impl Action {
    fn parse(action: &str) -> Option<Action> {
        Some(Action::Operator(match action {
            "pause" => Operator::Pause,
            "unpause" => Operator::Unpause,
            "reset" => Operator::Reset,
            "update-options" => Operator::UpdateOptions,
            "delete" => Operator::Delete,
            other => return Stop::from_action(other).map(Action::Stop),
        }))
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Reason {
    /// Why, as recorded by Temporal.
    reason: Option<String>,
}

/// The body as `T`; an empty body is `T::default()`. `shape` says what
/// was expected.
fn parse<T: DeserializeOwned + Default>(body: &[u8], shape: &str) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("invalid request body: expected {shape}: {e}")))
}

/// The reason in `body`, checked, or the demo's own.
fn reason(body: &[u8], action: &str) -> Result<String, AppError> {
    let body: Reason = parse(body, r#"{"reason": ".."}"#)?;
    if let Some(r) = &body.reason
        && r.chars().count() > MAX_REASON_CHARS
    {
        return Err(AppError::BadRequest(format!(
            "reason: must be at most {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(body
        .reason
        .unwrap_or_else(|| format!("{action} from the demo page")))
}

/// The operator command `action` with `body`, validated.
fn command(op: Operator, name: &str, body: &[u8]) -> Result<Command, AppError> {
    Ok(match op {
        Operator::Pause => Command::Pause {
            reason: reason(body, name)?,
        },
        Operator::Unpause => Command::Unpause {
            reason: reason(body, name)?,
        },
        Operator::Reset => Command::Reset(parse::<ResetBody>(
            body,
            r#"{"keep_paused": bool, "reset_heartbeat": bool}"#,
        )?),
        Operator::UpdateOptions => {
            let update: OptionsUpdate = parse(
                body,
                "the options to change (task_queue, start_to_close_ms, schedule_to_close_ms, \
                 schedule_to_start_ms, heartbeat_ms, retry)",
            )?;
            update.validate().map_err(AppError::Validation)?;
            Command::UpdateOptions(update)
        }
        Operator::Delete if body.iter().all(u8::is_ascii_whitespace) => Command::Delete,
        Operator::Delete => {
            return Err(AppError::BadRequest(
                "invalid request body: delete takes none".to_owned(),
            ));
        }
    })
}

/// `POST /api/runs/{activity_id}/{run_id}/{action}`.
pub(super) async fn run_action(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let Path((activity_id, run_id, name)) = path?;
    let action = Action::parse(&name)
        .ok_or_else(|| AppError::NotFound(format!("no run action {name:?}")))?;
    let key = RunKey {
        activity_id,
        run_id,
    };
    let token = headers
        .get(CONTROL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok());
    if !guard.may_control(&state.info.namespace, &key, token) {
        return Err(AppError::Forbidden(format!(
            "only the browser that started this run may {name} it \
             (missing or wrong {CONTROL_TOKEN_HEADER})"
        )));
    }
    let body = body?;
    match action {
        Action::Stop(how) => {
            let reason = reason(&body, &name)?;
            state.stop(&key, how, &reason).await?;
            Ok(StatusCode::ACCEPTED.into_response())
        }
        Action::Operator(op) => {
            let command = command(op, &name, &body)?;
            Ok(Json(state.command(&key, command).await?).into_response())
        }
    }
}

/// `POST /api/workflows/{workflow_id}/{run_id}/{action}`: `cancel` and
/// `terminate` of a Workflow run (202, no body); the operator commands are
/// the Standalone Activity's.
pub(super) async fn workflow_action(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let Path((activity_id, run_id, name)) = path?;
    let how = match Action::parse(&name) {
        Some(Action::Stop(how)) => how,
        Some(Action::Operator(_)) => {
            return Err(AppError::NotFound(format!(
                "{name} is a Standalone Activity's command; a Workflow run takes cancel or \
                 terminate"
            )));
        }
        None => return Err(AppError::NotFound(format!("no run action {name:?}"))),
    };
    let key = RunKey {
        activity_id,
        run_id,
    };
    let token = headers
        .get(CONTROL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok());
    if !guard.may_control(&state.info.namespace, &key, token) {
        return Err(AppError::Forbidden(format!(
            "only the browser that started this run may {name} it \
             (missing or wrong {CONTROL_TOKEN_HEADER})"
        )));
    }
    let reason = reason(&body?, &name)?;
    state.stop_workflow(&key, how, &reason).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_name() {
        for (name, action) in [
            ("cancel", Action::Stop(Stop::Cancel)),
            ("terminate", Action::Stop(Stop::Terminate)),
            ("pause", Action::Operator(Operator::Pause)),
            ("unpause", Action::Operator(Operator::Unpause)),
            ("reset", Action::Operator(Operator::Reset)),
            ("update-options", Action::Operator(Operator::UpdateOptions)),
            ("delete", Action::Operator(Operator::Delete)),
        ] {
            assert_eq!(Action::parse(name), Some(action));
        }
        assert_eq!(Action::parse("update_options"), None);
    }

    #[test]
    fn bodies_are_optional_strict_and_bounded() {
        let c = command(Operator::Pause, "pause", b" ").expect("no body");
        assert_eq!(
            c,
            Command::Pause {
                reason: "pause from the demo page".into()
            }
        );
        let e = command(Operator::Reset, "reset", br#"{"keep":true}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `keep`"), "{e}");
        let long = format!(r#"{{"reason":"{}"}}"#, "x".repeat(MAX_REASON_CHARS + 1));
        let e = command(Operator::Unpause, "unpause", long.as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "reason: must be at most 500 characters");
        assert!(matches!(
            command(Operator::UpdateOptions, "update-options", b""),
            Err(AppError::Validation(_))
        ));
        assert!(command(Operator::Delete, "delete", b"{}").is_err());
    }
}
