//! The run on screen and this browser's own runs.
//!
//! [`Session::watch`] opens the run's event stream and folds what arrives into
//! `events` (one per fact, deduplicated by event id), closing the stream on the terminal event
//! so the browser neither reconnects nor replays. The runs this browser
//! started (ids, control tokens) are kept in `localStorage`: the Runs panel's
//! "Mine" filter asks Temporal for them, and the newest is re-attached on
//! load while it is still running.

use leptos::prelude::*;
use proto::json::{Fields, FromJson, Json, ToJson, object};
use proto::{ActivityConfig, EventKind, Language, RunEvent, RunRequest, RunStarted, RunStatus};

use crate::api::{self, EventStream, StreamUpdate};
use crate::browser;

const HISTORY_KEY: &str = "sa-demo.history";
/// How many runs the history keeps.
pub const HISTORY_CAP: usize = 20;

/// Which run is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRef {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// Its Temporal Web UI page, when known.
    pub web_ui_url: Option<String>,
}

/// One run this browser started.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// The activity id.
    pub activity_id: String,
    /// The run id.
    pub run_id: String,
    /// The SDK tab it was started from.
    pub language: Language,
    /// The failure scenario, summarised.
    pub scenario: String,
    /// Where it stands, as last seen.
    pub status: RunStatus,
    /// When it was started (browser clock, unix ms).
    pub started_at_ms: f64,
    /// Its Temporal Web UI page, when known.
    pub web_ui_url: Option<String>,
    /// Its task queue (absent from entries saved by older versions).
    pub task_queue: Option<String>,
    /// Its control token: what lets this browser stop it (and see its
    /// result) on a publicly hosted demo, after a reload too.
    pub control_token: Option<String>,
}

impl FromJson for HistoryEntry {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = Fields::new(v)?;
        Ok(HistoryEntry {
            activity_id: o.req("activity_id")?,
            run_id: o.req("run_id")?,
            language: o.req("language")?,
            scenario: o.req("scenario")?,
            status: o.req("status")?,
            started_at_ms: o.req("started_at_ms")?,
            web_ui_url: o.opt("web_ui_url")?,
            task_queue: o.opt("task_queue")?,
            control_token: o.opt("control_token")?,
        })
    }
}

impl ToJson for HistoryEntry {
    fn to_json(&self) -> Json {
        object([
            ("activity_id", self.activity_id.to_json()),
            ("run_id", self.run_id.to_json()),
            ("language", self.language.to_json()),
            ("scenario", self.scenario.to_json()),
            ("status", self.status.slug().to_json()),
            ("started_at_ms", self.started_at_ms.to_json()),
            ("web_ui_url", self.web_ui_url.to_json()),
            ("task_queue", self.task_queue.to_json()),
            ("control_token", self.control_token.to_json()),
        ])
    }
}

impl HistoryEntry {
    /// The run this entry points at.
    pub fn run_ref(&self) -> RunRef {
        RunRef {
            activity_id: self.activity_id.clone(),
            run_id: self.run_id.clone(),
            web_ui_url: self.web_ui_url.clone(),
        }
    }
}

/// The state of the event stream of the run on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// No run on screen.
    Idle,
    /// Opening.
    Connecting,
    /// Receiving events.
    Open,
    /// Dropped; the browser is reconnecting.
    Reconnecting,
    /// Ended by the terminal event.
    Done,
    /// Could not be opened or was refused.
    Failed(String),
}

/// The status a terminal event gives a run.
pub fn terminal_status(kind: &EventKind) -> Option<RunStatus> {
    Some(match kind {
        EventKind::Completed { .. } => RunStatus::Completed,
        EventKind::Failed { .. } => RunStatus::Failed,
        EventKind::TimedOut { .. } => RunStatus::TimedOut,
        EventKind::Canceled { .. } => RunStatus::Canceled,
        EventKind::Terminated { .. } => RunStatus::Terminated,
        EventKind::Lost { .. } => RunStatus::Unknown,
        _ => return None,
    })
}

/// The run on screen, its events, and the history. `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The run on screen.
    pub current: RwSignal<Option<RunRef>>,
    /// Its events so far, in the order they happened, one per fact.
    pub events: RwSignal<Vec<RunEvent>>,
    /// Bumped on every [`Session::watch`], to key the log's rows per run.
    pub generation: RwSignal<u64>,
    /// The stream's state.
    pub link: RwSignal<Link>,
    /// The last malformed message, if any (shown, never fatal).
    pub malformed: RwSignal<Option<String>>,
    /// The options the run on screen was started with, when this page
    /// started it (unknown for a run followed or re-attached).
    pub config: RwSignal<Option<ActivityConfig>>,
    /// When (browser clock, unix ms) this page began following the run.
    pub watched_at_ms: RwSignal<f64>,
    /// When (browser clock, unix ms) the terminal event reached the page.
    pub ended_at_ms: RwSignal<Option<f64>>,
    /// This browser's runs, newest first.
    pub history: RwSignal<Vec<HistoryEntry>>,
    stream: StoredValue<Option<EventStream>, LocalStorage>,
}

impl Session {
    /// Loads the history and re-attaches to its newest run if still running.
    pub fn new() -> Session {
        let history: Vec<HistoryEntry> = browser::load_json(HISTORY_KEY).unwrap_or_default();
        let resume = history
            .first()
            .filter(|e| e.status == RunStatus::Running)
            .map(HistoryEntry::run_ref);
        let session = Session {
            current: RwSignal::new(None),
            events: RwSignal::new(Vec::new()),
            generation: RwSignal::new(0),
            link: RwSignal::new(Link::Idle),
            malformed: RwSignal::new(None),
            config: RwSignal::new(None),
            watched_at_ms: RwSignal::new(0.0),
            ended_at_ms: RwSignal::new(None),
            history: RwSignal::new(history),
            stream: StoredValue::new_local(None),
        };
        if let Some(run) = resume {
            session.watch(run);
        }
        session
    }

    /// Records a run the server just started and shows it.
    pub fn record_start(&self, started: &RunStarted, req: &RunRequest) {
        let mut entry = HistoryEntry {
            activity_id: started.activity_id.clone(),
            run_id: started.run_id.clone(),
            language: req.language,
            scenario: req.scenario.summary(),
            status: RunStatus::Running,
            started_at_ms: browser::now_ms(),
            web_ui_url: started.web_ui_url.clone(),
            task_queue: Some(req.config.task_queue.clone()),
            control_token: started.control_token.clone(),
        };
        if entry.control_token.is_none() {
            // UseExisting handed back a run this browser may have started:
            // keep the token it got then.
            entry.control_token = self.control_token(&entry.run_id);
        }
        let run = entry.run_ref();
        self.history.update(|h| {
            // With UseExisting the server may hand back a run we already know.
            h.retain(|e| e.run_id != entry.run_id);
            h.insert(0, entry);
            h.truncate(HISTORY_CAP);
        });
        self.save_history();
        self.watch(run);
        // UseExisting may hand back a run started with other options.
        if started.started {
            self.config.set(Some(req.config.clone()));
        }
    }

    /// Shows `run`: clears the log and (re)subscribes to its events. The
    /// server replays the whole log, rebuilding it from Temporal if needed.
    pub fn watch(&self, run: RunRef) {
        // Dropping the old stream here is safe: this is never called from
        // inside a stream callback.
        self.stream.set_value(None);
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        self.events.set(Vec::new());
        self.malformed.set(None);
        self.config.set(None);
        self.watched_at_ms.set(browser::now_ms());
        self.ended_at_ms.set(None);
        self.link.set(Link::Connecting);
        self.current.set(Some(run.clone()));
        let this = *self;
        let run_id = run.run_id.clone();
        let token = self.control_token(&run.run_id);
        let opened = api::EventStream::open(
            &run.activity_id,
            &run.run_id,
            token.as_deref(),
            move |update| {
                if this.generation.get_untracked() == generation {
                    this.on_update(&run_id, update);
                }
            },
        );
        match opened {
            Ok(stream) => self.stream.set_value(Some(stream)),
            Err(e) => self.link.set(Link::Failed(e.to_string())),
        }
    }

    fn on_update(&self, run_id: &str, update: StreamUpdate) {
        match update {
            StreamUpdate::Open => self.link.set(Link::Open),
            StreamUpdate::Reconnecting => self.link.set(Link::Reconnecting),
            StreamUpdate::Failed => {
                if self.link.get_untracked() != Link::Done {
                    self.link.set(Link::Failed(
                        "the server refused the event stream of this run".to_owned(),
                    ));
                }
            }
            StreamUpdate::Malformed(e) => self.malformed.set(Some(e)),
            StreamUpdate::Event(ev) => {
                let status = terminal_status(&ev.kind);
                // Delivered at least once (a reconnect may repeat): one line
                // per fact, in the order things happened.
                let fresh = self
                    .events
                    .with_untracked(|v| !v.iter().any(|e| e.id == ev.id));
                if fresh {
                    self.events.update(|v| {
                        proto::cursor::insert_in_order(v, ev);
                    });
                }
                if let Some(status) = status {
                    if fresh {
                        self.ended_at_ms.set(Some(browser::now_ms()));
                    }
                    // Close now: the stream is over, and an open EventSource
                    // would reconnect and replay. The handle itself is dropped
                    // later (not from inside its own callback).
                    self.stream.with_value(|s| {
                        if let Some(s) = s {
                            s.close();
                        }
                    });
                    self.link.set(Link::Done);
                    self.set_status(run_id, status);
                }
            }
        }
    }

    /// Updates a history entry's status (and saves) if it changed.
    fn set_status(&self, run_id: &str, status: RunStatus) {
        let changed = self.history.try_update(|h| {
            h.iter_mut()
                .find(|e| e.run_id == run_id && e.status != status)
                .map(|e| e.status = status)
                .is_some()
        });
        if changed == Some(true) {
            self.save_history();
        }
    }

    /// The control token of a run this browser started, if it has one.
    pub fn control_token(&self, run_id: &str) -> Option<String> {
        self.history.with_untracked(|h| {
            h.iter()
                .find(|e| e.run_id == run_id)
                .and_then(|e| e.control_token.clone())
        })
    }

    /// The task queues of the runs in the history: a Worker polls each of
    /// them (or will, once an outage ends).
    pub fn used_queues(&self) -> Vec<String> {
        self.history.with_untracked(|h| {
            h.iter()
                .filter_map(|e| e.task_queue.clone())
                .collect::<Vec<_>>()
        })
    }

    fn save_history(&self) {
        self.history
            .with_untracked(|h| browser::save_json(HISTORY_KEY, h));
    }

    /// Whether the run on screen is still going, as far as the app knows.
    pub fn is_running(&self) -> bool {
        self.current.read().is_some()
            && matches!(
                *self.link.read(),
                Link::Connecting | Link::Open | Link::Reconnecting
            )
    }

    /// Closes the stream (page teardown).
    pub fn close(&self) {
        // Fails only once the page's owner is gone, and then the stream is
        // already dropped with it.
        let _ = self.stream.try_set_value(None);
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}
