//! Every URL the app knows and every network call it makes: the demo server's
//! JSON API (the browser's `fetch`) and the run event stream (a browser
//! `EventSource`, so one handle hears every event name and is closed
//! deterministically), both through web-sys. Nothing else in the app talks
//! HTTP.

use std::fmt;
use std::rc::Rc;

use proto::json::{self, FromJson, Json, ToJson};
use proto::{
    ApiError, EventKind, RunEvent, RunOptions, RunRequest, RunStarted, RunsPage, RunsQuery,
    ServerInfo,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, EventSource, Headers, MessageEvent, RequestInit, Response};

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
    format!(
        "/api/runs/{}/{}/{tail}",
        segment(activity_id),
        segment(run_id)
    )
}

/// The demo server's answer to one request.
struct Answer {
    status: u16,
    ok: bool,
    text: String,
}

/// Sends one request with the browser's `fetch`: `body` as JSON, plus one
/// extra header.
async fn send(
    method: &str,
    url: &str,
    body: Option<String>,
    header: Option<(&str, &str)>,
) -> Result<Answer, ClientError> {
    let refused = |e: JsValue| ClientError::Browser(js_text(&e));
    let unreachable = |e: JsValue| ClientError::Network(js_text(&e));
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().map_err(refused)?;
    if let Some(body) = body {
        headers
            .set("content-type", "application/json")
            .map_err(refused)?;
        init.set_body(&JsValue::from_str(&body));
    }
    if let Some((name, value)) = header {
        headers.set(name, value).map_err(refused)?;
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or_else(|| ClientError::Browser("no window".to_owned()))?;
    let resp: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(unreachable)?
        .unchecked_into();
    let text = JsFuture::from(resp.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?
        .as_string()
        .unwrap_or_default();
    Ok(Answer {
        status: resp.status(),
        ok: resp.ok(),
        text,
    })
}

/// Turns an answer into `T`, or into the server's error.
fn decode<T: FromJson>(answer: Answer) -> Result<T, ClientError> {
    let Answer { status, ok, text } = answer;
    if ok {
        return json::decode(&text).map_err(ClientError::Decode);
    }
    match json::decode::<ApiError>(&text) {
        Ok(error) => Err(ClientError::Api { status, error }),
        Err(_) => Err(ClientError::Http {
            status,
            body: text.chars().take(200).collect(),
        }),
    }
}

/// `GET /api/info`: the Temporal Server the demo runs against.
pub async fn server_info() -> Result<ServerInfo, ClientError> {
    decode(send("GET", "/api/info", None, None).await?)
}

/// `POST /api/runs`: starts one standalone activity.
pub async fn start_run(req: &RunRequest) -> Result<RunStarted, ClientError> {
    let body = req.to_json().to_compact();
    decode(send("POST", "/api/runs", Some(body), None).await?)
}

/// `GET /api/runs?..`: one page of the runs Temporal lists, with counts.
pub async fn list_runs(query: &RunsQuery) -> Result<RunsPage, ClientError> {
    let qs = query.to_query_string(segment);
    let url = if qs.is_empty() {
        "/api/runs".to_owned()
    } else {
        format!("/api/runs?{qs}")
    };
    decode(send("GET", &url, None, None).await?)
}

/// `GET /api/runs/{activity_id}/{run_id}/options`: what Temporal recorded
/// the run was started with (its input too, on a public demo, with the
/// run's control token).
pub async fn run_options(
    activity_id: &str,
    run_id: &str,
    token: Option<&str>,
) -> Result<RunOptions, ClientError> {
    let mut url = run_url(activity_id, run_id, "options");
    if let Some(token) = token {
        url.push_str("?token=");
        url.push_str(&segment(token));
    }
    decode(send("GET", &url, None, None).await?)
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
    activity_id: &str,
    run_id: &str,
    token: Option<&str>,
    control: RunControl,
) -> Result<(), ClientError> {
    let tail = match control {
        RunControl::Cancel => "cancel",
        RunControl::Terminate => "terminate",
    };
    let url = run_url(activity_id, run_id, tail);
    let header = token.map(|token| (CONTROL_TOKEN_HEADER, token));
    let answer = send("POST", &url, None, header).await?;
    if answer.ok {
        return Ok(());
    }
    decode::<Json>(answer).map(|_| ())
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

/// What an [`EventStream`] reports.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamUpdate {
    /// The connection is (again) open.
    Open,
    /// One event of the run. Delivered at least once: the receiver dedupes
    /// by its fact id.
    Event(RunEvent),
    /// A message that is not a [`RunEvent`]; the stream goes on.
    Malformed(String),
    /// The connection dropped; the browser is reconnecting and will resume
    /// from the last event id.
    Reconnecting,
    /// The server refused the stream (unknown run, server error); the browser
    /// will not retry.
    Failed,
}

type Listener = Closure<dyn FnMut(MessageEvent)>;

/// An open `GET /api/runs/{activity_id}/{run_id}/events` stream. Closes the
/// `EventSource` when dropped; call [`EventStream::close`] on the terminal
/// event, since dropping it from inside its own callback is not allowed.
pub struct EventStream {
    source: EventSource,
    /// Kept alive for as long as the source may call them.
    _listeners: Vec<Listener>,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl EventStream {
    /// Subscribes to every event name of the run; `on_update` hears each
    /// one. With the run's control token, a publicly hosted demo includes
    /// the run's result.
    pub fn open(
        activity_id: &str,
        run_id: &str,
        token: Option<&str>,
        on_update: impl Fn(StreamUpdate) + 'static,
    ) -> Result<EventStream, ClientError> {
        let mut url = run_url(activity_id, run_id, "events");
        if let Some(token) = token {
            url.push_str("?token=");
            url.push_str(&segment(token));
        }
        let source = EventSource::new(&url).map_err(|e| ClientError::Browser(js_text(&e)))?;
        let on_update: Rc<dyn Fn(StreamUpdate)> = Rc::new(on_update);
        let mut listeners = Vec::with_capacity(EventKind::NAMES.len());
        for name in EventKind::NAMES {
            let cb = Rc::clone(&on_update);
            let listener = Listener::new(move |msg: MessageEvent| {
                let update = match msg.data().as_string() {
                    Some(text) => match json::decode::<RunEvent>(&text) {
                        Ok(ev) => StreamUpdate::Event(ev),
                        Err(e) => StreamUpdate::Malformed(format!("{name}: {e}")),
                    },
                    None => StreamUpdate::Malformed(format!("{name}: not text")),
                };
                cb(update);
            });
            source
                .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .map_err(|e| ClientError::Browser(js_text(&e)))?;
            listeners.push(listener);
        }
        let cb = Rc::clone(&on_update);
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| cb(StreamUpdate::Open));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let cb = on_update;
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            if watched.ready_state() == EventSource::CLOSED {
                cb(StreamUpdate::Failed);
            } else {
                cb(StreamUpdate::Reconnecting);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(EventStream {
            source,
            _listeners: listeners,
            _on_open: on_open,
            _on_error: on_error,
        })
    }

    /// Closes the connection for good (no reconnect, no replay).
    pub fn close(&self) {
        self.source.close();
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

/// The text of a JavaScript exception or value: an `Error`'s message.
fn js_text(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}
