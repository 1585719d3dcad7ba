//! The one error type of the HTTP API. Every failure on every route renders
//! as the same JSON [`proto::ApiError`]; 5xx bodies stay plain (no transport
//! internals) and the detail is logged once.

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proto::{ApiError, FieldError};

use crate::gateway::GatewayError;
use crate::worker::WorkerError;

/// The largest request body the API accepts (the forms are far smaller).
/// The hosting layer's body cap enforces it; a 413 says it.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Seconds a client should wait before retrying a 503.
const RETRY_AFTER_SECS: u64 = 5;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body was not the JSON the endpoint takes.
    #[error("invalid request body: {0}")]
    BadJson(#[from] JsonRejection),
    /// A path segment, query parameter or header is malformed.
    #[error("{0}")]
    BadRequest(String),
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
    /// No such run or route.
    #[error("{0}")]
    NotFound(String),
    /// The route exists, the method does not.
    #[error("{0} is not allowed here")]
    MethodNotAllowed(String),
    /// Temporal or the Worker cannot serve the request now.
    #[error("{0}")]
    Unavailable(String),
    /// The demo is at one of its limits.
    #[error("{0}")]
    Busy(String),
    /// The request body is larger than the demo accepts.
    #[error("the request body is too large (at most {0} bytes)")]
    TooLarge(usize),
    /// The caller may not do this to the run (public mode: no or a wrong
    /// control token).
    #[error("{0}")]
    Forbidden(String),
    /// The caller is over one of public mode's limits.
    #[error("{message}")]
    TooManyRequests {
        /// What limit, for a person.
        message: String,
        /// Seconds until a retry may pass.
        retry_after: u64,
    },
    /// Temporal rejected the request as invalid.
    #[error("Temporal rejected the request: {0}")]
    Rejected(String),
    /// Temporal refused the command in the run's present state
    /// (`FailedPrecondition`); its own words.
    #[error("Temporal refused: {0}")]
    Refused(String),
    /// The namespace does not allow this command (its capability, in
    /// Temporal's terms).
    #[error("{0}")]
    NotSupported(String),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<BytesRejection> for AppError {
    fn from(r: BytesRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(MAX_BODY_BYTES)
        } else {
            AppError::BadRequest(format!("invalid request body: {}", r.body_text()))
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> Self {
        AppError::BadRequest(format!("invalid path: {}", r.body_text()))
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::BadRequest(format!("invalid query: {}", r.body_text()))
    }
}

impl From<GatewayError> for AppError {
    fn from(e: GatewayError) -> Self {
        match e {
            GatewayError::Unreachable { address, status } => {
                tracing::warn!(%address, error = %status, "Temporal call failed");
                AppError::Unavailable(format!(
                    "Temporal at {address} is unreachable; retry in a few seconds"
                ))
            }
            GatewayError::NotFound(m) => AppError::NotFound(m),
            GatewayError::Invalid(m) => AppError::Rejected(m),
            GatewayError::Refused(m) => AppError::Refused(m),
            GatewayError::AlreadyStarted {
                activity_id,
                run_id,
            } => AppError::AlreadyStarted {
                activity_id,
                run_id,
            },
            GatewayError::Busy(m) => {
                tracing::warn!(error = %m, "Temporal is busy");
                AppError::Busy("Temporal is busy; retry in a few seconds".to_owned())
            }
            e @ (GatewayError::Denied(_) | GatewayError::Other(_)) => {
                tracing::error!(error = %e, "Temporal refused a call");
                AppError::Unavailable(
                    "Temporal refused the demo's call; the demo's operator has the details"
                        .to_owned(),
                )
            }
        }
    }
}

impl From<WorkerError> for AppError {
    fn from(e: WorkerError) -> Self {
        match e {
            WorkerError::Full | WorkerError::Offline(_) => AppError::Busy(e.to_string()),
            WorkerError::Busy(_) => AppError::Validation(vec![FieldError {
                field: proto::Field::TaskQueue,
                message: e.to_string(),
            }]),
            WorkerError::Sdk(_) => {
                tracing::error!(error = %e, "Worker failed to start");
                AppError::Unavailable("the demo's Worker could not start".to_owned())
            }
        }
    }
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadJson(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            }
            AppError::BadJson(r) => (r.status(), "bad_request"),
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            AppError::AlreadyStarted { .. } => (StatusCode::CONFLICT, "already_started"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::Rejected(_) => (StatusCode::BAD_REQUEST, "rejected"),
            AppError::Refused(_) => (StatusCode::CONFLICT, "failed_precondition"),
            AppError::NotSupported(_) => (StatusCode::CONFLICT, "not_supported"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = match &self {
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "internal server error".to_owned()
            }
            AppError::BadJson(_) if status == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::TooLarge(MAX_BODY_BYTES).to_string()
            }
            _ => self.to_string(),
        };
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(RETRY_AFTER_SECS),
            _ => None,
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
        let mut resp = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn already_started_names_the_id_through_the_generic_conversion() {
        let e = AppError::from(GatewayError::AlreadyStarted {
            activity_id: "greet-1".to_owned(),
            run_id: Some("r-1".to_owned()),
        });
        let resp = e.into_response();
        assert_eq!(resp.status(), StatusCode::CONFLICT);
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        let err: ApiError = serde_json::from_slice(&body).expect("ApiError");
        assert_eq!(err.code, "already_started");
        assert_eq!(
            err.message,
            "an activity with id greet-1 is already running or may not be reused"
        );
        assert_eq!(err.existing_run_id.as_deref(), Some("r-1"));
    }
}
