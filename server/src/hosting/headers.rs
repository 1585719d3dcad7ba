//! The protections every response gets, in both modes: security headers (a
//! Content Security Policy with no inline script, `nosniff`, no referrer),
//! a cap on request bodies, and a deadline for producing an answer. Their
//! failures are the API's JSON errors like any other.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::{AppError, MAX_BODY_BYTES};

/// How long a request may take to get its answer's head. An event stream
/// counts until its first byte only: the stream itself may last the run.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Content Security Policy: scripts and the WebAssembly module from this
/// origin only (`'wasm-unsafe-eval'` lets the page compile the module; no
/// inline script runs), connections to this origin only, framing as
/// `frame_ancestors` allows.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// Wraps `router` with the headers, the body cap and the deadline.
pub fn protect<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    frame_ancestors: &str,
) -> Router<S> {
    let csp = HeaderValue::from_str(&content_security_policy(frame_ancestors))
        .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'self'"));
    let fixed: [(HeaderName, HeaderValue); 4] = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    let mut router = router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(deadline));
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    router
}

/// Answers 503 JSON when the handler took longer than [`REQUEST_TIMEOUT`].
async fn deadline(req: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => AppError::Unavailable(
            "the demo took too long to answer; retry in a few seconds".to_owned(),
        )
        .into_response(),
    }
}
