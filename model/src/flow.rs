//! The Execution Flow diagram (Client → Server → Task Queue → Worker →
//! Activity): which node is lit, derived from the run's real events only.

use proto::event::{EventKind, RunEvent, TimeoutType};

/// A node of the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowStep {
    /// The demo server's Temporal client.
    Client,
    /// The Temporal Server.
    Server,
    /// The Workflow that schedules the activity (a Workflow run only).
    Workflow,
    /// The task queue the activity task waits on.
    TaskQueue,
    /// The Worker that polls the queue.
    Worker,
    /// The activity code.
    Activity,
}

impl FlowStep {
    /// Every node, left to right.
    pub const ALL: [FlowStep; 6] = [
        FlowStep::Client,
        FlowStep::Server,
        FlowStep::Workflow,
        FlowStep::TaskQueue,
        FlowStep::Worker,
        FlowStep::Activity,
    ];

    /// The node an event is about.
    pub const fn of(kind: &EventKind) -> FlowStep {
        match kind {
            EventKind::StartRequested { .. }
            | EventKind::WorkflowStartRequested { .. }
            | EventKind::TemporalUnreachable { .. }
            | EventKind::TemporalReachable { .. } => FlowStep::Client,
            EventKind::Scheduled { .. } => FlowStep::TaskQueue,
            EventKind::WorkflowStarted { .. } => FlowStep::Workflow,
            EventKind::ActivityClosed { .. } => FlowStep::Activity,
            EventKind::AttemptStarted { .. }
            | EventKind::WorkerOffline { .. }
            | EventKind::WorkerOnline { .. } => FlowStep::Worker,
            EventKind::WorkerExecuting { .. }
            | EventKind::WorkerReturned { .. }
            | EventKind::Heartbeat { .. }
            | EventKind::AttemptFailed { .. } => FlowStep::Activity,
            EventKind::CommandSent { .. } => FlowStep::Client,
            EventKind::Paused { .. }
            | EventKind::Unpaused { .. }
            | EventKind::AttemptsReset { .. }
            | EventKind::OptionsChanged { .. }
            | EventKind::CancelRequested { .. }
            | EventKind::Completed { .. }
            | EventKind::Failed { .. }
            | EventKind::TimedOut { .. }
            | EventKind::Canceled { .. }
            | EventKind::Terminated { .. }
            | EventKind::Lost { .. } => FlowStep::Server,
        }
    }

    /// Label under the node.
    pub const fn label(self) -> &'static str {
        match self {
            FlowStep::Client => "Client",
            FlowStep::Server => "Server",
            FlowStep::Workflow => "Workflow",
            FlowStep::TaskQueue => "Task Queue",
            FlowStep::Worker => "Worker",
            FlowStep::Activity => "Activity",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// How a node looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeState {
    /// Not reached yet.
    #[default]
    Pending,
    /// Working (or, for the task queue, holding the task).
    Active,
    /// Done its part.
    Completed,
    /// Its part failed.
    Failed,
    /// Holding work that nobody can take yet (the task queue during an outage).
    Waiting,
}

impl NodeState {
    /// CSS class suffix.
    pub const fn slug(self) -> &'static str {
        match self {
            NodeState::Pending => "pending",
            NodeState::Active => "active",
            NodeState::Completed => "completed",
            NodeState::Failed => "failed",
            NodeState::Waiting => "waiting",
        }
    }
}

/// The state of every node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowState([NodeState; 6]);

impl FlowState {
    /// The state of one node.
    pub fn get(&self, step: FlowStep) -> NodeState {
        self.0[step.index()]
    }

    fn set(&mut self, step: FlowStep, state: NodeState) {
        self.0[step.index()] = state;
    }

    fn set_all(&mut self, state: NodeState) {
        self.0 = [state; 6];
    }

    /// Folds a run's events, in order, into the diagram.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a RunEvent>) -> FlowState {
        let mut flow = FlowState::default();
        for ev in events {
            flow.apply(&ev.kind);
        }
        flow
    }

    /// Applies one event.
    pub fn apply(&mut self, kind: &EventKind) {
        use FlowStep::*;
        use NodeState::*;
        match kind {
            EventKind::StartRequested { .. } | EventKind::WorkflowStartRequested { .. } => {
                self.set(Client, Active)
            }
            // The Workflow is running: the Server holds it until it schedules
            // the activity.
            EventKind::WorkflowStarted { .. } => {
                self.set(Client, Completed);
                self.set(Server, Completed);
                self.set(Workflow, Active);
            }
            // The activity is done; the Workflow's close (the last line) sets the rest.
            EventKind::ActivityClosed { status, .. } => {
                let done = *status == proto::RunStatus::Completed;
                self.set(Activity, if done { Completed } else { Failed });
            }
            EventKind::Scheduled { .. } => {
                self.set(Client, Completed);
                self.set(Server, Completed);
                if self.get(TaskQueue) != Waiting {
                    self.set(TaskQueue, Active);
                }
            }
            EventKind::AttemptStarted { .. } => {
                self.set(Client, Completed);
                self.set(Server, Completed);
                self.set(TaskQueue, Completed);
                self.set(Worker, Active);
                self.set(Activity, Pending);
            }
            EventKind::WorkerExecuting { .. } | EventKind::Heartbeat { .. } => {
                self.set(Worker, Active);
                self.set(Activity, Active);
            }
            EventKind::WorkerReturned { error, .. } => {
                self.set(Activity, if error.is_some() { Failed } else { Completed });
            }
            EventKind::AttemptFailed { failure, .. } => {
                // The task is back on the queue, waiting out the backoff. A
                // heartbeat timeout means the Worker itself went silent.
                if failure.as_ref().and_then(|f| f.timeout) == Some(TimeoutType::Heartbeat) {
                    self.set(Worker, Failed);
                } else {
                    self.set(Worker, Completed);
                }
                self.set(Activity, Failed);
                self.set(TaskQueue, Active);
            }
            EventKind::WorkerOffline { .. } => {
                self.set(Worker, Failed);
                self.set(TaskQueue, Waiting);
            }
            EventKind::WorkerOnline { .. } => {
                self.set(Worker, Pending);
                if self.get(TaskQueue) == Waiting {
                    self.set(TaskQueue, Active);
                }
            }
            EventKind::CancelRequested { .. } | EventKind::AttemptsReset { .. } => {
                self.set(Server, Active)
            }
            // The server holds the task: no attempt is dispatched.
            EventKind::Paused { .. } => {
                self.set(Server, Waiting);
                self.set(TaskQueue, Waiting);
            }
            EventKind::Unpaused { .. } => {
                self.set(Server, Completed);
                if self.get(TaskQueue) == Waiting {
                    self.set(TaskQueue, Active);
                }
            }
            EventKind::CommandSent { .. } | EventKind::OptionsChanged { .. } => {}
            EventKind::Completed { .. } => self.set_all(Completed),
            EventKind::Failed { .. }
            | EventKind::TimedOut { .. }
            | EventKind::Canceled { .. }
            | EventKind::Terminated { .. } => {
                self.set(Client, Completed);
                self.set(Server, Completed);
                self.set(TaskQueue, Completed);
                if self.get(Worker) == Active {
                    self.set(Worker, Completed);
                }
                if let EventKind::TimedOut {
                    failure: Some(failure),
                    ..
                } = kind
                    && failure.timeout == Some(TimeoutType::ScheduleToStart)
                {
                    // Nobody took the task off the queue in time.
                    self.set(TaskQueue, Failed);
                }
                self.set(Activity, Failed);
                if self.get(Workflow) != Pending {
                    self.set(Workflow, Failed);
                }
            }
            EventKind::TemporalUnreachable { .. } => self.set(Server, Failed),
            EventKind::TemporalReachable { .. } => {
                if self.get(Server) == Failed {
                    self.set(Server, Completed);
                }
            }
            EventKind::Lost { .. } => self.set(Server, Failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::event::{FailureInfo, Source};

    fn ev(kind: EventKind) -> RunEvent {
        RunEvent::reported(Source::Server, Some(0), kind)
    }

    #[test]
    fn success_lights_every_node() {
        let events = [
            ev(EventKind::Scheduled {
                activity_id: "a".into(),
                run_id: "r".into(),
                activity_type: "Activity".into(),
                task_queue: "q".into(),
                start_delay_ms: None,
                first_attempt_at_ms: None,
            }),
            ev(EventKind::AttemptStarted {
                attempt: 1,
                worker_identity: Some("w".into()),
            }),
            ev(EventKind::Completed {
                attempt: 1,
                result: Some("\"Hello\"".into()),
            }),
        ];
        let flow = FlowState::from_events(&events);
        assert!(
            FlowStep::ALL
                .iter()
                .all(|s| flow.get(*s) == NodeState::Completed)
        );
    }

    #[test]
    fn a_workflow_run_lights_the_same_nodes() {
        let events = [
            ev(EventKind::WorkflowStartRequested {
                address: "a".into(),
                namespace: "default".into(),
                workflow_type: "GreetingWorkflow".into(),
                started: true,
            }),
            ev(EventKind::WorkflowStarted {
                workflow_id: "a".into(),
                run_id: "r".into(),
                workflow_type: "GreetingWorkflow".into(),
                task_queue: "q".into(),
            }),
        ];
        let flow = FlowState::from_events(&events);
        assert_eq!(flow.get(FlowStep::Client), NodeState::Completed);
        assert_eq!(flow.get(FlowStep::Server), NodeState::Completed);
        assert_eq!(flow.get(FlowStep::Workflow), NodeState::Active);
        assert_eq!(flow.get(FlowStep::TaskQueue), NodeState::Pending);
        assert_eq!(FlowStep::of(&events[1].kind), FlowStep::Workflow);
        let mut flow = flow;
        flow.apply(&EventKind::ActivityClosed {
            attempt: 3,
            status: proto::RunStatus::Completed,
            result: None,
            failure: None,
            retry_state: None,
        });
        assert_eq!(flow.get(FlowStep::Activity), NodeState::Completed);
        flow.apply(&EventKind::Completed {
            attempt: 3,
            result: None,
        });
        assert!(
            FlowStep::ALL
                .iter()
                .all(|s| flow.get(*s) == NodeState::Completed)
        );
    }

    #[test]
    fn failed_attempt_puts_task_back_on_queue() {
        let mut flow = FlowState::default();
        flow.apply(&EventKind::AttemptStarted {
            attempt: 1,
            worker_identity: Some("w".into()),
        });
        flow.apply(&EventKind::AttemptFailed {
            attempt: 1,
            failure: Some(FailureInfo {
                message: "x".into(),
                error_type: None,
                non_retryable: false,
                timeout: None,
            }),
            next_attempt_at_ms: None,
            retry_in_ms: None,
        });
        assert_eq!(flow.get(FlowStep::TaskQueue), NodeState::Active);
        assert_eq!(flow.get(FlowStep::Activity), NodeState::Failed);
    }

    #[test]
    fn a_pause_holds_the_task_and_an_unpause_lets_it_go() {
        let scheduled = ev(EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "Activity".into(),
            task_queue: "q".into(),
            start_delay_ms: None,
            first_attempt_at_ms: None,
        });
        let paused = ev(EventKind::Paused {
            pause: 1,
            attempt: 1,
        });
        let flow = FlowState::from_events(&[scheduled.clone(), paused.clone()]);
        assert_eq!(flow.get(FlowStep::TaskQueue), NodeState::Waiting);
        assert_eq!(flow.get(FlowStep::Server), NodeState::Waiting);
        let unpaused = ev(EventKind::Unpaused {
            pause: 1,
            attempt: 1,
        });
        let flow = FlowState::from_events(&[scheduled, paused, unpaused]);
        assert_eq!(flow.get(FlowStep::TaskQueue), NodeState::Active);
        assert_eq!(flow.get(FlowStep::Server), NodeState::Completed);
    }
}
