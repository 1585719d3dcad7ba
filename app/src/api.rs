//! Every URL the app knows and every network call it makes: the demo server's
//! JSON API (`gloo_net::http`, bodies through serde) and the run event stream
//! (`gloo_net::eventsource`, one subscription per event name). Nothing else in
//! the app talks HTTP.

use std::fmt;

use futures::StreamExt;
use futures::stream::{self, LocalBoxStream};
use gloo_net::eventsource::State;
use gloo_net::eventsource::futures::EventSource;
use gloo_net::http::{Request, Response};
use proto::{
    ApiError, Command, CommandDone, EventKind, RunAs, RunEvent, RunOptions, RunRequest, RunStarted,
    RunsPage, RunsQuery, ServerInfo,
};
use serde::de::DeserializeOwned;

/// Why a call to the demo server did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The request never got an answer (server down, network gone).
    Network(String),
    /// The server answered with its JSON error body.
    Api {
        /// HTTP status.
        status: u16,
        /// The body, with message, code and field errors.
        error: ApiError,
    },
    /// The server answered with an error that is not the JSON error body
    /// (a proxy's page, for example).
    Http {
        /// HTTP status.
        status: u16,
        /// The first part of the body, for the message.
        body: String,
    },
    /// A success answer whose body could not be read.
    Decode(String),
    /// The browser refused to do what was asked (for example to open an
    /// `EventSource`).
    Browser(String),
}

impl ClientError {
    /// The server's machine-readable error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { error, .. } => Some(error.code.as_str()),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Network(e) => write!(f, "Could not reach the demo server: {e}"),
            ClientError::Api { error, .. } => write!(f, "{}", error.message),
            ClientError::Http { status, body } if body.is_empty() => {
                write!(f, "The demo server answered HTTP {status}")
            }
            ClientError::Http { status, body } => {
                write!(f, "The demo server answered HTTP {status}: {body}")
            }
            ClientError::Decode(e) => write!(f, "Unexpected answer from the demo server: {e}"),
            ClientError::Browser(e) => write!(f, "The browser refused: {e}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// Percent-encodes one path segment.
fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn run_url(activity_id: &str, run_id: &str, tail: &str) -> String {
    run_url_as(RunAs::Standalone, activity_id, run_id, tail)
}

/// A run's URL: `/api/runs/…` for a Standalone Activity, `/api/workflows/…`
/// for a Workflow run.
fn run_url_as(run_as: RunAs, activity_id: &str, run_id: &str, tail: &str) -> String {
    let base = match run_as {
        RunAs::Standalone => "runs",
        RunAs::Workflow => "workflows",
    };
    format!(
        "/api/{base}/{}/{}/{tail}",
        segment(activity_id),
        segment(run_id)
    )
}

/// Turns an answer into `T`, or into the server's error.
async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ClientError> {
    let status = resp.status();
    let text = resp
        .text()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if resp.ok() {
        return serde_json::from_str(&text).map_err(|e| ClientError::Decode(e.to_string()));
    }
    match serde_json::from_str::<ApiError>(&text) {
        Ok(error) => Err(ClientError::Api { status, error }),
        Err(_) => Err(ClientError::Http {
            status,
            body: text.chars().take(200).collect(),
        }),
    }
}

/// Sends `req` and reads the answer as `T`.
async fn send<T: DeserializeOwned>(req: Request) -> Result<T, ClientError> {
    let resp = req
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    decode(resp).await
}

/// `GET /api/info`: the Temporal Server the demo runs against.
pub async fn server_info() -> Result<ServerInfo, ClientError> {
    send(Request::get("/api/info").build().map_err(browser_error)?).await
}

/// `POST /api/runs`: starts one standalone activity.
pub async fn start_run(req: &RunRequest) -> Result<RunStarted, ClientError> {
    send(
        Request::post("/api/runs")
            .json(req)
            .map_err(browser_error)?,
    )
    .await
}

/// `GET /api/runs?..`: one page of the runs Temporal lists, with counts.
pub async fn list_runs(query: &RunsQuery) -> Result<RunsPage, ClientError> {
    let qs = query.to_query_string(segment);
    let url = if qs.is_empty() {
        "/api/runs".to_owned()
    } else {
        format!("/api/runs?{qs}")
    };
    send(Request::get(&url).build().map_err(browser_error)?).await
}

/// `GET /api/runs/{activity_id}/{run_id}/options`: what Temporal recorded
/// the run was started with (its input too, on a public demo, with the
/// run's control token).
pub async fn run_options(
    activity_id: &str,
    run_id: &str,
    token: Option<&str>,
) -> Result<RunOptions, ClientError> {
    let url = with_token(run_url(activity_id, run_id, "options"), token);
    send(Request::get(&url).build().map_err(browser_error)?).await
}

/// What to do to a running run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunControl {
    /// Ask the activity to cancel (it heartbeats and honours it).
    Cancel,
    /// End it at once, server side.
    Terminate,
}

/// The header that proves, to a publicly hosted demo, that this browser
/// started the run.
const CONTROL_TOKEN_HEADER: &str = "X-Control-Token";

/// `POST /api/runs/{activity_id}/{run_id}/cancel|terminate`, with the run's
/// control token when this browser has it.
pub async fn control_run(
    run_as: RunAs,
    activity_id: &str,
    run_id: &str,
    token: Option<&str>,
    control: RunControl,
) -> Result<(), ClientError> {
    let tail = match control {
        RunControl::Cancel => "cancel",
        RunControl::Terminate => "terminate",
    };
    let mut req = Request::post(&run_url_as(run_as, activity_id, run_id, tail));
    if let Some(token) = token {
        req = req.header(CONTROL_TOKEN_HEADER, token);
    }
    let resp = req
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if resp.ok() {
        return Ok(());
    }
    decode::<serde::de::IgnoredAny>(resp).await.map(|_| ())
}

/// `POST /api/runs/{activity_id}/{run_id}/{pause|unpause|reset|update-options|delete}`
/// with the command's body and the run's control token when this browser
/// has it: Temporal's answer, or its refusal in its own words.
pub async fn command_run(
    activity_id: &str,
    run_id: &str,
    token: Option<&str>,
    command: &Command,
) -> Result<CommandDone, ClientError> {
    let mut req = Request::post(&run_url(activity_id, run_id, command.action()));
    if let Some(token) = token {
        req = req.header(CONTROL_TOKEN_HEADER, token);
    }
    let req = match command {
        Command::Pause { reason } | Command::Unpause { reason } => {
            req.json(&serde_json::json!({ "reason": reason }))
        }
        Command::Reset(body) => req.json(body),
        Command::UpdateOptions(update) => req.json(update),
        Command::Delete => req.build(),
    };
    send(req.map_err(browser_error)?).await
}

/// The Temporal Web UI page of one run, under the UI's base URL.
pub fn web_ui_run_url(ui_base: &str, namespace: &str, activity_id: &str, run_id: &str) -> String {
    format!(
        "{}/namespaces/{}/activities/{}/{}/details",
        ui_base.trim_end_matches('/'),
        segment(namespace),
        segment(activity_id),
        segment(run_id)
    )
}

/// `url` with the run's control token as its query, when there is one.
fn with_token(mut url: String, token: Option<&str>) -> String {
    if let Some(token) = token {
        url.push_str("?token=");
        url.push_str(&segment(token));
    }
    url
}

fn browser_error(e: gloo_net::Error) -> ClientError {
    refused(e)
}

fn refused(e: impl fmt::Display) -> ClientError {
    ClientError::Browser(e.to_string())
}

/// What an [`EventStream`] reports.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamUpdate {
    /// One event of the run. Delivered at least once: the receiver dedupes
    /// by its fact id.
    Event(RunEvent),
    /// A message that is not a [`RunEvent`]; the stream goes on.
    Malformed(String),
    /// The server refused the stream (unknown run, server error) or the
    /// browser gave up on it; it will not be retried.
    Failed,
}

/// Where an [`EventStream`]'s connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Opening, or reopening after a drop (the browser resumes from the
    /// last event id).
    Connecting,
    /// Open.
    Open,
    /// Closed for good.
    Closed,
}

/// An open `GET /api/runs/{activity_id}/{run_id}/events` stream. Dropping it
/// closes the `EventSource` (no reconnect, no replay).
pub struct EventStream {
    source: EventSource,
}

impl EventStream {
    /// Subscribes to every event name of the run and returns the stream with
    /// what it hears. With the run's control token, a publicly hosted demo
    /// includes the run's result.
    pub fn open(
        run_as: RunAs,
        activity_id: &str,
        run_id: &str,
        token: Option<&str>,
    ) -> Result<(EventStream, LocalBoxStream<'static, StreamUpdate>), ClientError> {
        let url = with_token(run_url_as(run_as, activity_id, run_id, "events"), token);
        let mut source = EventSource::new(&url).map_err(refused)?;
        let mut subscriptions = Vec::with_capacity(EventKind::NAMES.len());
        for name in EventKind::NAMES {
            subscriptions.push(source.subscribe(name.to_string()).map_err(refused)?);
        }
        let updates = stream::select_all(subscriptions)
            .map(|item| match item {
                Ok((name, msg)) => match msg.data().as_string() {
                    Some(text) => match serde_json::from_str::<RunEvent>(&text) {
                        Ok(ev) => StreamUpdate::Event(ev),
                        Err(e) => StreamUpdate::Malformed(format!("{name}: {e}")),
                    },
                    None => StreamUpdate::Malformed(format!("{name}: not text")),
                },
                Err(_) => StreamUpdate::Failed,
            })
            .boxed_local();
        Ok((EventStream { source }, updates))
    }

    /// Where the connection is now.
    pub fn connection(&self) -> Connection {
        match self.source.state() {
            State::Connecting => Connection::Connecting,
            State::Open => Connection::Open,
            State::Closed => Connection::Closed,
        }
    }
}
