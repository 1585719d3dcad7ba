//! The one error type of the HTTP API. Every failure renders as a JSON
//! [`proto::ApiError`]; 5xx bodies stay generic and the detail is logged once.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proto::{ApiError, FieldError};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body was not the JSON the endpoint takes.
    #[error("invalid request body: {0}")]
    BadJson(#[from] JsonRejection),
    /// One or more fields are out of range.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The activity id is held by a running run (conflict policy Fail) or
    /// reuse is rejected by the reuse policy.
    #[error("an activity with id {activity_id} is already running or may not be reused")]
    AlreadyStarted {
        /// The id asked for.
        activity_id: String,
        /// The run holding it, when Temporal said.
        run_id: Option<String>,
    },
    /// No such run.
    #[error("{0}")]
    NotFound(String),
    /// Temporal could not be reached or refused the call.
    #[error("Temporal is unavailable: {0}")]
    Unavailable(String),
    /// The demo is at its limit of runs in flight.
    #[error("{0}")]
    Busy(String),
    /// Temporal rejected the request as invalid.
    #[error("Temporal rejected the request: {0}")]
    Rejected(String),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadJson(r) => (r.status(), "bad_request"),
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            AppError::AlreadyStarted { .. } => (StatusCode::CONFLICT, "already_started"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::Rejected(_) => (StatusCode::BAD_REQUEST, "rejected"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
            "internal server error".to_owned()
        } else {
            if status.is_server_error() {
                tracing::warn!(error = %self, "request failed");
            }
            self.to_string()
        };
        let (fields, existing_run_id) = match self {
            AppError::Validation(fields) => (fields, None),
            AppError::AlreadyStarted { run_id, .. } => (Vec::new(), run_id),
            _ => (Vec::new(), None),
        };
        let body = ApiError {
            message,
            code: code.to_owned(),
            fields,
            existing_run_id,
        };
        (status, Json(body)).into_response()
    }
}
