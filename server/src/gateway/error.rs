//! What a call to Temporal can fail with, classified by gRPC status code
//! (never by message text), so the layers above decide what to tell a
//! visitor without knowing tonic.

use temporalio_client::tonic::{self, Code};

/// A failed call to Temporal.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Temporal could not be reached, or did not answer in time.
    #[error("Temporal at {address} is unreachable")]
    Unreachable {
        /// The frontend address.
        address: String,
        /// The transport's own words, for the log.
        status: tonic::Status,
    },
    /// No such activity or run.
    #[error("{0}")]
    NotFound(String),
    /// Temporal refused the request as invalid.
    #[error("{0}")]
    Invalid(String),
    /// Temporal refused the request in the run's present state
    /// (`FailedPrecondition`: pause a closed run, unpause one not paused).
    #[error("{0}")]
    Refused(String),
    /// The activity id is held by a running run (or its reuse is refused).
    /// Only a start can fail so, and it names the id it asked for.
    #[error("activity id {activity_id} already started")]
    AlreadyStarted {
        /// The id the start asked for.
        activity_id: String,
        /// The run holding the id, when Temporal said.
        run_id: Option<String>,
    },
    /// The credentials do not allow the call.
    #[error("Temporal refused the demo's credentials: {0}")]
    Denied(String),
    /// Temporal is rate limiting or out of resources.
    #[error("Temporal is busy: {0}")]
    Busy(String),
    /// Anything else Temporal answered.
    #[error("Temporal failed the call: {0}")]
    Other(String),
}

impl GatewayError {
    /// Classifies `status` from a call to the frontend at `address`.
    /// `AlreadyExists` is not [`GatewayError::AlreadyStarted`] here: that
    /// takes the activity id, which only the start knows (it classifies its
    /// own failure); from any other call it is unexpected ([`Other`]).
    ///
    /// [`Other`]: GatewayError::Other
    pub fn from_status(status: tonic::Status, address: &str) -> GatewayError {
        let message = status.message().to_owned();
        match status.code() {
            Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled | Code::Unknown => {
                GatewayError::Unreachable {
                    address: address.to_owned(),
                    status,
                }
            }
            Code::NotFound => GatewayError::NotFound(message),
            Code::InvalidArgument | Code::OutOfRange => GatewayError::Invalid(message),
            Code::FailedPrecondition => GatewayError::Refused(message),
            Code::PermissionDenied | Code::Unauthenticated => GatewayError::Denied(message),
            Code::ResourceExhausted | Code::Aborted => GatewayError::Busy(message),
            _ => GatewayError::Other(message),
        }
    }
}

/// Whether a failed connect means Temporal is up but still starting (its
/// frontend answers "not healthy yet"): worth trying again shortly.
pub fn still_starting(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<temporalio_client::errors::ClientConnectError>(),
        Some(temporalio_client::errors::ClientConnectError::SystemInfoCallError(s))
            if s.code() == Code::Unavailable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decide_not_messages() {
        let e = GatewayError::from_status(tonic::Status::not_found("invalid argument"), "a:1");
        assert!(matches!(e, GatewayError::NotFound(_)));
        let e = GatewayError::from_status(tonic::Status::unavailable("tcp connect error"), "a:1");
        assert_eq!(e.to_string(), "Temporal at a:1 is unreachable");
        let e = GatewayError::from_status(tonic::Status::invalid_argument("x"), "a:1");
        assert!(matches!(e, GatewayError::Invalid(_)));
        let e = GatewayError::from_status(tonic::Status::failed_precondition("x"), "a:1");
        assert!(matches!(e, GatewayError::Refused(m) if m == "x"));
    }
}
