//! The run on screen and this browser's own runs.
//!
//! [`Session::watch`] opens the run's event stream and folds what arrives into
//! `events` (one per fact, deduplicated by event id), closing the stream on the terminal event
//! so the browser neither reconnects nor replays. The runs this browser
//! started (ids, control tokens) are kept in `localStorage`: the Runs panel's
//! "Mine" filter asks Temporal for them, and the newest is re-attached on
//! load while it is still running.

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::{
    ActivityConfig, EventKind, Language, RunAs, RunEvent, RunRequest, RunStarted, RunStatus,
};
use serde::{Deserialize, Serialize};

use crate::api::{Connection, EventStream, StreamUpdate};
use crate::measured::{Measured, measure};
use crate::{browser, ticker};

/// How often the page asks the browser where a followed stream's connection is.
const LINK_CHECK: std::time::Duration = std::time::Duration::from_millis(500);

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
    /// A Standalone Activity, or a Workflow that executes it.
    pub run_as: RunAs,
}

/// One run this browser started, as `localStorage` keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub web_ui_url: Option<String>,
    /// Its task queue (absent from entries saved by older versions).
    #[serde(default)]
    pub task_queue: Option<String>,
    /// Its control token: what lets this browser stop it (and see its
    /// result) on a publicly hosted demo, after a reload too.
    #[serde(default)]
    pub control_token: Option<String>,
    /// Standalone, or a Workflow run (absent from older entries).
    #[serde(default)]
    pub run_as: RunAs,
    /// What the Compare panel shows of it, once it finished.
    #[serde(default)]
    pub measured: Option<Measured>,
}

impl HistoryEntry {
    /// The run this entry points at.
    pub fn run_ref(&self) -> RunRef {
        RunRef {
            activity_id: self.activity_id.clone(),
            run_id: self.run_id.clone(),
            web_ui_url: self.web_ui_url.clone(),
            run_as: self.run_as,
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
        let following = Memo::new(move |_| {
            matches!(
                session.link.get(),
                Link::Connecting | Link::Open | Link::Reconnecting
            )
        });
        let clock = ticker::ticking(following, LINK_CHECK);
        Effect::new(move |_| {
            clock.track();
            session.refresh_link();
        });
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
            run_as: started.run_as,
            measured: None,
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
        let token = self.control_token(&run.run_id);
        match EventStream::open(run.run_as, &run.activity_id, &run.run_id, token.as_deref()) {
            Ok((stream, updates)) => {
                self.stream.set_value(Some(stream));
                self.follow(run.run_id, generation, updates);
            }
            Err(e) => self.link.set(Link::Failed(e.to_string())),
        }
    }

    /// Folds what the stream of generation `generation` hears into the
    /// session until its terminal event; stops as soon as another run is
    /// watched.
    fn follow(
        &self,
        run_id: String,
        generation: u64,
        mut updates: futures::stream::LocalBoxStream<'static, StreamUpdate>,
    ) {
        let this = *self;
        let current = move || this.generation.try_get_untracked() == Some(generation);
        spawn_local(async move {
            while let Some(update) = updates.next().await {
                if !current() {
                    return;
                }
                if this.on_update(&run_id, update) {
                    // Over: an open EventSource would reconnect and replay.
                    this.stream.set_value(None);
                    return;
                }
            }
        });
    }

    /// The stream's state as the browser has it now: the page asks on its
    /// clock while a run is followed (a dropped connection is reopened by
    /// the browser itself, which says so only through its ready state).
    pub fn refresh_link(&self) {
        let connection = self
            .stream
            .try_with_value(|s| s.as_ref().map(EventStream::connection))
            .flatten();
        let link = self.link.get_untracked();
        let next = match (connection, &link) {
            (Some(Connection::Open), Link::Connecting | Link::Reconnecting) => Link::Open,
            (Some(Connection::Connecting), Link::Open) => Link::Reconnecting,
            _ => return,
        };
        self.link.set(next);
    }

    /// Applies one update; true once the run is over.
    fn on_update(&self, run_id: &str, update: StreamUpdate) -> bool {
        match update {
            StreamUpdate::Failed => {
                if self.link.get_untracked() != Link::Done {
                    self.link.set(Link::Failed(
                        "the server refused the event stream of this run".to_owned(),
                    ));
                }
                true
            }
            StreamUpdate::Malformed(e) => {
                self.malformed.set(Some(e));
                false
            }
            StreamUpdate::Event(ev) => {
                if self.link.get_untracked() != Link::Open {
                    self.link.set(Link::Open);
                }
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
                let Some(status) = status else {
                    return false;
                };
                if fresh {
                    let now = browser::now_ms();
                    self.ended_at_ms.set(Some(now));
                    self.record_measure(run_id, now);
                }
                self.link.set(Link::Done);
                self.set_status(run_id, status);
                true
            }
        }
    }

    /// Keeps what the Compare panel shows of a run this browser started,
    /// the first time its final line arrives.
    fn record_measure(&self, run_id: &str, ended_at_ms: f64) {
        let watched = self.watched_at_ms.get_untracked();
        let events = self.events.get_untracked();
        let changed = self.history.try_update(|h| {
            let e = h
                .iter_mut()
                .find(|e| e.run_id == run_id && e.measured.is_none())?;
            e.measured = measure(&events, e.started_at_ms, watched, ended_at_ms);
            Some(())
        });
        if changed.flatten().is_some() {
            self.save_history();
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
