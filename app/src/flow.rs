//! The Execution Flow diagram: Client → Server → Task Queue → Worker →
//! Activity, each node lit from the run's real events only
//! ([`proto::FlowState::from_events`]).

use leptos::prelude::*;
use proto::{FlowState, FlowStep, NodeState};

use crate::session::Session;

/// The `data-testid` suffix of a node.
fn step_slug(step: FlowStep) -> &'static str {
    match step {
        FlowStep::Client => "client",
        FlowStep::Server => "server",
        FlowStep::TaskQueue => "task-queue",
        FlowStep::Worker => "worker",
        FlowStep::Activity => "activity",
    }
}

/// What a node's state means, for screen readers.
fn state_label(state: NodeState) -> &'static str {
    match state {
        NodeState::Pending => "not reached",
        NodeState::Active => "working",
        NodeState::Completed => "done",
        NodeState::Failed => "failed",
        NodeState::Waiting => "waiting",
    }
}

/// A small glyph per node, decorative.
fn step_icon(step: FlowStep) -> &'static str {
    match step {
        FlowStep::Client => "⌨",
        FlowStep::Server => "☁",
        FlowStep::TaskQueue => "☰",
        FlowStep::Worker => "⚙",
        FlowStep::Activity => "ƒ",
    }
}

/// The Execution Flow panel.
#[component]
pub fn FlowPanel(
    /// The run on screen.
    session: Session,
) -> impl IntoView {
    let flow = Memo::new(move |_| session.events.with(|v| FlowState::from_events(v.iter())));
    view! {
        <section class="panel" id="flow-panel" aria-labelledby="flow-title">
            <h2 id="flow-title">"Execution Flow"</h2>
            <ol class="flow">
                {FlowStep::ALL
                    .into_iter()
                    .map(|step| {
                        let state = move || flow.get().get(step);
                        view! {
                            <li
                                class=move || format!("flow-node node-{}", state().slug())
                                data-state=move || state().slug()
                                data-testid=format!("flow-node-{}", step_slug(step))
                            >
                                <span class="node-icon" aria-hidden="true">
                                    {step_icon(step)}
                                </span>
                                <span class="node-label">{step.label()}</span>
                                <span class="visually-hidden">
                                    {move || format!(": {}", state_label(state()))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
