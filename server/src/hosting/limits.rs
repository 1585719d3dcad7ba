//! Public mode's limits, per client IP and overall: how often runs may be
//! started and stopped and their list read (GCRA rate limits, a burst then
//! a sustained rate), and how many event streams may be open at once. A
//! request over a limit gets 429 with `Retry-After`. The middleware also
//! records every request's [`ClientIp`], in both modes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{ClientIp, Guard};
use crate::error::AppError;

/// The limits of public mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Run starts one IP may make in a burst...
    pub start_burst: u32,
    /// ...and per minute after it.
    pub starts_per_minute: u32,
    /// Run actions (cancel, terminate, pause, unpause, reset, update
    /// options, delete) one IP may make in a burst...
    pub stop_burst: u32,
    /// ...and per minute after it.
    pub stops_per_minute: u32,
    /// Event streams one IP may hold open.
    pub streams_per_ip: usize,
    /// Reads of Temporal's record (the Runs list, a run's options) one IP
    /// may make in a burst...
    pub query_burst: u32,
    /// ...and per minute after it.
    pub queries_per_minute: u32,
    /// Run starts from everyone together, in a burst...
    pub global_start_burst: u32,
    /// ...and per minute after it.
    pub global_starts_per_minute: u32,
    /// Event streams open from everyone together.
    pub global_streams: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            start_burst: 5,
            starts_per_minute: 10,
            stop_burst: 10,
            stops_per_minute: 30,
            streams_per_ip: 8,
            query_burst: 30,
            queries_per_minute: 120,
            global_start_burst: 60,
            global_starts_per_minute: 300,
            global_streams: 1000,
        }
    }
}

fn quota(burst: u32, per_minute: u32) -> Quota {
    let n = |v: u32| NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n(per_minute)).allow_burst(n(burst))
}

/// Open streams, per IP and in all.
#[derive(Default)]
struct Streams {
    per_ip: HashMap<IpAddr, usize>,
    total: usize,
}

/// The limiters, shared by every request.
pub struct RateLimits {
    limits: Limits,
    starts: DefaultKeyedRateLimiter<IpAddr>,
    stops: DefaultKeyedRateLimiter<IpAddr>,
    queries: DefaultKeyedRateLimiter<IpAddr>,
    global_starts: DefaultDirectRateLimiter,
    streams: Arc<Mutex<Streams>>,
    /// Checks so far, to forget idle IPs now and then.
    checks: AtomicU64,
}

/// One open stream, counted until dropped (with the response body).
pub struct StreamPermit {
    ip: IpAddr,
    streams: Arc<Mutex<Streams>>,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut s = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        s.total = s.total.saturating_sub(1);
        if let Some(n) = s.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                s.per_ip.remove(&self.ip);
            }
        }
    }
}

/// Seconds to wait, rounded up, at least 1.
fn retry_after(not_until: &governor::NotUntil<<DefaultClock as Clock>::Instant>) -> u64 {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl RateLimits {
    /// Limiters for `limits`.
    pub fn new(limits: &Limits) -> RateLimits {
        RateLimits {
            limits: limits.clone(),
            starts: RateLimiter::keyed(quota(limits.start_burst, limits.starts_per_minute)),
            stops: RateLimiter::keyed(quota(limits.stop_burst, limits.stops_per_minute)),
            queries: RateLimiter::keyed(quota(limits.query_burst, limits.queries_per_minute)),
            global_starts: RateLimiter::direct(quota(
                limits.global_start_burst,
                limits.global_starts_per_minute,
            )),
            streams: Arc::default(),
            checks: AtomicU64::new(0),
        }
    }

    fn housekeeping(&self) {
        if (self.checks.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(1024) {
            self.starts.retain_recent();
            self.stops.retain_recent();
            self.queries.retain_recent();
        }
    }

    /// One run start by `ip`.
    pub fn start(&self, ip: IpAddr) -> Result<(), AppError> {
        self.housekeeping();
        if let Err(n) = self.starts.check_key(&ip) {
            return Err(AppError::TooManyRequests {
                message: "too many runs started from your address; wait a little".to_owned(),
                retry_after: retry_after(&n),
            });
        }
        self.global_starts
            .check()
            .map_err(|n| AppError::TooManyRequests {
                message: "this demo is starting too many runs right now; wait a little".to_owned(),
                retry_after: retry_after(&n),
            })
    }

    /// One run action (cancel, terminate, an operator command) by `ip`.
    pub fn stop(&self, ip: IpAddr) -> Result<(), AppError> {
        self.housekeeping();
        self.stops
            .check_key(&ip)
            .map_err(|n| AppError::TooManyRequests {
                message: "too many run actions (cancel, terminate, pause, …) from your address"
                    .to_owned(),
                retry_after: retry_after(&n),
            })
    }

    /// One read of Temporal's record by `ip` (each costs Temporal a
    /// visibility query or a describe).
    pub fn query(&self, ip: IpAddr) -> Result<(), AppError> {
        self.housekeeping();
        self.queries
            .check_key(&ip)
            .map_err(|n| AppError::TooManyRequests {
                message: "too many run list requests from your address; wait a little".to_owned(),
                retry_after: retry_after(&n),
            })
    }

    /// One more open stream for `ip`, if it may have one.
    pub fn stream(&self, ip: IpAddr) -> Result<StreamPermit, AppError> {
        let mut s = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = s.per_ip.get(&ip).copied().unwrap_or(0);
        let message = if mine >= self.limits.streams_per_ip {
            "too many event streams open from your address; close a tab"
        } else if s.total >= self.limits.global_streams {
            "this demo has too many event streams open right now"
        } else {
            s.total += 1;
            *s.per_ip.entry(ip).or_default() += 1;
            return Ok(StreamPermit {
                ip,
                streams: Arc::clone(&self.streams),
            });
        };
        Err(AppError::TooManyRequests {
            message: message.to_owned(),
            retry_after: 5,
        })
    }
}

/// What a request is, for the limits.
enum Kind {
    Start,
    Stop,
    Stream,
    Query,
    Other,
}

fn kind(method: &Method, path: &str) -> Kind {
    let run = path.strip_prefix("/api/runs/");
    match *method {
        Method::POST if path == "/api/runs" => Kind::Start,
        // Every run action (cancel, terminate, the operator commands) costs
        // Temporal a write: one budget for them all.
        Method::POST if run.is_some() => Kind::Stop,
        Method::GET if run.is_some_and(|p| p.ends_with("/events")) => Kind::Stream,
        Method::GET if path == "/api/runs" || run.is_some_and(|p| p.ends_with("/options")) => {
            Kind::Query
        }
        _ => Kind::Other,
    }
}

/// Middleware: records the [`ClientIp`]; in public mode, enforces the limits.
pub async fn enforce(State(guard): State<Arc<Guard>>, mut req: Request, next: Next) -> Response {
    let ip = guard.trusted_proxies.of(&req);
    req.extensions_mut().insert(ip);
    if !guard.public {
        return next.run(req).await;
    }
    let ClientIp(ip) = ip;
    let limits = &guard.limits;
    let checked = match kind(req.method(), req.uri().path()) {
        Kind::Start => limits.start(ip).map(|()| None),
        Kind::Stop => limits.stop(ip).map(|()| None),
        Kind::Stream => limits.stream(ip).map(Some),
        Kind::Query => limits.query(ip).map(|()| None),
        Kind::Other => Ok(None),
    };
    match checked {
        Err(e) => e.into_response(),
        Ok(None) => next.run(req).await,
        Ok(Some(permit)) => {
            let (parts, body) = next.run(req).await.into_parts();
            // The permit lives as long as the stream: it is given back after
            // the last chunk (before the client can see the end), or when
            // the client goes away and the body is dropped.
            let chunks = body.into_data_stream();
            let body = Body::from_stream(stream::unfold(
                (chunks, Some(permit)),
                |(mut chunks, mut permit)| async move {
                    match chunks.next().await {
                        Some(chunk) => Some((chunk, (chunks, permit))),
                        None => {
                            drop(permit.take());
                            None
                        }
                    }
                },
            ));
            Response::from_parts(parts, body)
        }
    }
}
