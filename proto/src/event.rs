//! One line of the Activity Log: something the Temporal Server, the demo's
//! Worker or the demo's client really did or reported. A line whose fact is
//! only implied by a later one (attempt 3 exists, so attempt 2 failed) is
//! marked `inferred` and carries no time of its own; a time Temporal does not
//! report is `None`, never filled in. Its identity is in [`crate::fact`],
//! the resume cursor in `cursor`; the words the page shows for it
//! are the app's (`sa-demo-model`'s `event_text`).

use serde::{Deserialize, Serialize};

use crate::api::RunStatus;
use crate::fact::Fact;
pub use crate::failure::{FailureInfo, RetryState, TimeoutType};
use crate::operator::{Command, RunOptionsNow};

/// Who observed the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The demo server acting as a Temporal client (the start request, a
    /// lost connection).
    Client,
    /// The Temporal Server, read from `DescribeActivityExecution`.
    Server,
    /// The demo's in-process Worker, from its activity interceptor.
    Worker,
}

/// Whether the attempt a run ended on had started, as far as Temporal's
/// record tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptPhase {
    /// A Worker had picked the attempt up.
    Running,
    /// The attempt was waiting: on the queue, or for its backoff to pass.
    Waiting,
    /// Temporal's record does not say.
    Unknown,
}

/// What happened. Its serde tag (externally tagged: `{"scheduled": {..}}`,
/// measured smaller in the page than an internally tagged, flattened
/// `RunEvent`) is also its SSE `event:` name; strum
/// derives the same names ([`EventKind::NAMES`], [`EventKind::name`]) from
/// the same rule, and a test holds the two together.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// This demo server sent `StartActivityExecution` and Temporal answered.
    StartRequested {
        /// gRPC address of the Temporal frontend.
        address: String,
        /// Namespace the run lives in.
        namespace: String,
        /// False when the id conflict policy UseExisting handed back a run
        /// that was already going.
        started: bool,
    },
    /// A Workflow run's first line: this demo server sent
    /// `StartWorkflowExecution` and Temporal answered.
    WorkflowStartRequested {
        /// gRPC address of the Temporal frontend.
        address: String,
        /// Namespace the run lives in.
        namespace: String,
        /// The Workflow type started.
        workflow_type: String,
        /// False when the id conflict policy UseExisting handed back a
        /// Workflow that was already going.
        started: bool,
    },
    /// The Workflow's Event History begins: `WorkflowExecutionStarted`.
    WorkflowStarted {
        /// The Workflow id.
        workflow_id: String,
        /// The Workflow's run id.
        run_id: String,
        /// The Workflow type.
        workflow_type: String,
        /// The task queue its Workflow Tasks (and its activity) go to.
        task_queue: String,
    },
    /// A Workflow run's activity closed (`ActivityTaskCompleted`, `...Failed`,
    /// `...TimedOut`, `...Canceled` in the Workflow's history). Not the
    /// stream's final word: the Workflow returns (or fails with) the
    /// activity's outcome, and its close is the run's terminal event (the
    /// activity's outcome kind, with the Workflow close's time and event).
    ActivityClosed {
        /// The attempt it closed on.
        attempt: u32,
        /// How it closed (completed, failed, timed out, canceled).
        status: RunStatus,
        /// Its result, as JSON text, when it completed with a JSON payload.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<String>,
        /// Its failure, when it failed or timed out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failure: Option<FailureInfo>,
        /// Why no further attempt.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_state: Option<RetryState>,
    },
    /// The server accepted the start and put a task on the queue.
    Scheduled {
        /// The activity id.
        activity_id: String,
        /// The run id the server assigned.
        run_id: String,
        /// The activity type name.
        activity_type: String,
        /// The task queue.
        task_queue: String,
        /// The start delay Temporal recorded, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_delay_ms: Option<u64>,
        /// When the first attempt may be dispatched (after the delay).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        first_attempt_at_ms: Option<i64>,
    },
    /// A Worker polled the task: attempt `attempt` started on it.
    AttemptStarted {
        /// Attempt number, from 1.
        attempt: u32,
        /// Identity of the Worker that picked it up, when Temporal still says.
        worker_identity: Option<String>,
    },
    /// The Worker's code began executing the attempt.
    WorkerExecuting {
        /// Attempt number, from 1.
        attempt: u32,
    },
    /// The Worker's code returned for the attempt.
    WorkerReturned {
        /// Attempt number, from 1.
        attempt: u32,
        /// How long the code ran.
        duration_ms: u64,
        /// The error it returned, if any.
        error: Option<String>,
    },
    /// The server recorded a heartbeat.
    Heartbeat {
        /// The attempt that heartbeated, when the record tells.
        attempt: Option<u32>,
        /// Heartbeats recorded so far in this run.
        count: u64,
        /// The latest heartbeat's details, as JSON text.
        details: Option<String>,
    },
    /// The demo keeps its Worker off the run's task queue (the outage
    /// scenario): the task waits on the queue.
    WorkerOffline {
        /// The task queue no Worker of the demo polls.
        task_queue: String,
        /// For how long.
        seconds: u32,
    },
    /// The demo's Worker polls the run's task queue again.
    WorkerOnline {
        /// The task queue.
        task_queue: String,
    },
    /// An attempt failed and the server scheduled another.
    AttemptFailed {
        /// The attempt that failed.
        attempt: u32,
        /// Why it failed; `None` when Temporal no longer keeps it (only the
        /// latest failure is kept).
        failure: Option<FailureInfo>,
        /// When the server will dispatch the next attempt (unix ms).
        next_attempt_at_ms: Option<i64>,
        /// The backoff the server chose before that next attempt.
        retry_in_ms: Option<u64>,
    },
    /// This demo server sent an operator command and Temporal accepted it.
    CommandSent {
        /// Which command of this server on the run, from 1.
        seq: u32,
        /// The command.
        command: Command,
    },
    /// Temporal reports the run paused (status PAUSED); it does not report
    /// when it was paused.
    Paused {
        /// Which pause of the run this follower saw, from 1.
        pause: u32,
        /// The attempt it was on.
        attempt: u32,
    },
    /// Temporal reports the paused run running again.
    Unpaused {
        /// The pause that ended.
        pause: u32,
        /// The attempt it is on.
        attempt: u32,
    },
    /// Temporal reports the attempt number back at 1 after a reset: what
    /// follows is a new round of attempts.
    AttemptsReset {
        /// The new round, from 1 (round 0 is the run's first).
        round: u32,
        /// The attempt the run was on before.
        from_attempt: u32,
    },
    /// Temporal reports different options than before (an update).
    OptionsChanged {
        /// Which change this follower saw, from 1.
        change: u32,
        /// The options now.
        options: RunOptionsNow,
    },
    /// Somebody asked to cancel the run.
    CancelRequested {
        /// The reason given.
        reason: String,
    },
    /// Terminal: the activity returned a result.
    Completed {
        /// The attempt that succeeded.
        attempt: u32,
        /// The result, as JSON text; `None` when it is not a JSON payload.
        result: Option<String>,
    },
    /// Terminal: the run failed (retries exhausted or a non-retryable error).
    Failed {
        /// The last attempt.
        attempt: u32,
        /// The final failure, when Temporal reported it.
        failure: Option<FailureInfo>,
        /// Why no further attempt.
        retry_state: Option<RetryState>,
    },
    /// Terminal: a timeout ended the run.
    TimedOut {
        /// The attempt the run ended on.
        attempt: u32,
        /// Whether that attempt had started.
        phase: AttemptPhase,
        /// The timeout failure, when Temporal reported it.
        failure: Option<FailureInfo>,
        /// Why no further attempt.
        retry_state: Option<RetryState>,
    },
    /// Terminal: the run was canceled.
    Canceled {
        /// The attempt the run ended on.
        attempt: u32,
        /// Whether that attempt had started.
        phase: AttemptPhase,
    },
    /// Terminal: the run was terminated.
    Terminated {
        /// The attempt the run ended on.
        attempt: u32,
        /// Whether that attempt had started.
        phase: AttemptPhase,
        /// The reason given, when Temporal reported it.
        reason: Option<String>,
    },
    /// The demo's client could not reach Temporal while following the run
    /// (a fact about the demo's connection, not about the run).
    TemporalUnreachable {
        /// The frontend address.
        address: String,
        /// Which outage of this follower, from 1.
        outage: u32,
    },
    /// Temporal answers the demo's client again after an outage.
    TemporalReachable {
        /// The frontend address.
        address: String,
        /// Which outage ended, from 1.
        outage: u32,
    },
    /// Terminal for this stream: the demo server lost track of the run (for
    /// example Temporal stayed unreachable); the run itself may go on.
    Lost {
        /// What went wrong.
        message: String,
    },
}

impl EventKind {
    /// Every SSE event name, so a client can subscribe to all of them.
    pub const NAMES: &'static [&'static str] = <EventKind as strum::VariantNames>::VARIANTS;

    /// The SSE `event:` name (equal to the serde tag).
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// Whether this event ends the run's stream.
    pub const fn is_terminal(&self) -> bool {
        matches!(
            self,
            EventKind::Completed { .. }
                | EventKind::Failed { .. }
                | EventKind::TimedOut { .. }
                | EventKind::Canceled { .. }
                | EventKind::Terminated { .. }
                | EventKind::Lost { .. }
        )
    }

    /// The fact this event reports: its identity on every process.
    pub const fn fact(&self) -> Fact {
        match self {
            EventKind::StartRequested { .. } | EventKind::WorkflowStartRequested { .. } => {
                Fact::Request
            }
            EventKind::WorkflowStarted { .. } => Fact::WorkflowStarted,
            EventKind::ActivityClosed { .. } => Fact::ActivityClosed,
            EventKind::WorkerOffline { .. } => Fact::WorkerOffline,
            EventKind::WorkerOnline { .. } => Fact::WorkerOnline,
            EventKind::Scheduled { .. } => Fact::Scheduled,
            EventKind::AttemptStarted { attempt, .. } => Fact::Started(*attempt),
            EventKind::WorkerExecuting { attempt } => Fact::Executing(*attempt),
            EventKind::WorkerReturned { attempt, .. } => Fact::Returned(*attempt),
            EventKind::AttemptFailed { attempt, .. } => Fact::Failed(*attempt),
            EventKind::Heartbeat { count, .. } => Fact::Heartbeat(*count),
            EventKind::CancelRequested { .. } => Fact::Cancel,
            EventKind::CommandSent { seq, .. } => Fact::Command(*seq),
            EventKind::Paused { pause, .. } => Fact::Paused(*pause),
            EventKind::Unpaused { pause, .. } => Fact::Unpaused(*pause),
            EventKind::AttemptsReset { round, .. } => Fact::Reset(*round),
            EventKind::OptionsChanged { change, .. } => Fact::Options(*change),
            EventKind::TemporalUnreachable { outage, .. } => Fact::Unreachable(*outage),
            EventKind::TemporalReachable { outage, .. } => Fact::Reachable(*outage),
            EventKind::Completed { .. }
            | EventKind::Failed { .. }
            | EventKind::TimedOut { .. }
            | EventKind::Canceled { .. }
            | EventKind::Terminated { .. }
            | EventKind::Lost { .. } => Fact::End,
        }
    }
}

/// One event of a run, as streamed over SSE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEvent {
    /// The identity of the fact (`a2-failed`, `hb-7`, `end`): the same on
    /// every server process, so a client can drop what it already has.
    pub id: String,
    /// When it happened (unix ms), as Temporal or the Worker reported it;
    /// `None` when nobody reported a time.
    pub at_ms: Option<i64>,
    /// Who observed it.
    pub source: Source,
    /// True when nobody reported this fact: it follows from a later one.
    #[serde(default)]
    pub inferred: bool,
    /// The round of attempts it belongs to: 0 until a reset, then 1, 2…
    /// (attempt numbers start again at 1 in each round).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub round: u32,
    /// The id of the Workflow Event History event this line reports (a
    /// Workflow run's lines read from its history); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_event_id: Option<i64>,
    /// What happened.
    pub kind: EventKind,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The event id of `fact` in `round`: the fact's text, prefixed with the
/// round (`r1-a2-started`) for a fact a reset starts again.
fn event_id(round: u32, fact: Fact) -> String {
    if round > 0 && fact.is_per_round() {
        format!("r{round}-{fact}")
    } else {
        fact.to_string()
    }
}

impl RunEvent {
    /// A reported event.
    pub fn reported(source: Source, at_ms: Option<i64>, kind: EventKind) -> RunEvent {
        RunEvent {
            id: kind.fact().to_string(),
            at_ms,
            source,
            inferred: false,
            round: 0,
            history_event_id: None,
            kind,
        }
    }

    /// An event implied by a later one: it has no time of its own.
    pub fn inferred(source: Source, kind: EventKind) -> RunEvent {
        RunEvent {
            id: kind.fact().to_string(),
            at_ms: None,
            source,
            inferred: true,
            round: 0,
            history_event_id: None,
            kind,
        }
    }

    /// The same event, read from the Workflow Event History's event `id`.
    pub fn from_history(mut self, id: i64) -> RunEvent {
        self.history_event_id = Some(id);
        self
    }

    /// The same event in round `round` (its id follows).
    pub fn in_round(mut self, round: u32) -> RunEvent {
        self.round = round;
        self.id = event_id(round, self.kind.fact());
        self
    }

    /// The fact it reports and the round it belongs to: its identity.
    pub fn identity(&self) -> (u32, Fact) {
        let fact = self.kind.fact();
        (if fact.is_per_round() { self.round } else { 0 }, fact)
    }
}

/// Formats a duration in milliseconds as `850 ms`, `2 s` or `1.5 s`.
pub fn format_ms(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1_000) {
        format!("{} s", ms / 1_000)
    } else {
        format!("{} s", crate::decimal::fixed(ms as i64, 1))
    }
}

#[cfg(test)]
mod tests;
