//! The Execution Flow diagram: Client → Server → (Workflow, for a Workflow
//! run) → Task Queue → Worker → Activity, each node lit from the run's real events only
//! ([`model::FlowState::from_events`]), with the measured cost of each hop
//! of this run beside it ([`model::timeline::hops`]).

use leptos::prelude::*;
use model::timeline::{self, Deadlines, hops::Hops};
use model::{FlowState, FlowStep, NodeState};

use crate::session::Session;
use crate::timeline_parts::length;

/// The `data-testid` suffix of a node.
fn step_slug(step: FlowStep) -> &'static str {
    match step {
        FlowStep::Client => "client",
        FlowStep::Server => "server",
        FlowStep::Workflow => "workflow",
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
        FlowStep::Workflow => "⟳",
        FlowStep::TaskQueue => "☰",
        FlowStep::Worker => "⚙",
        FlowStep::Activity => "ƒ",
    }
}

/// `#1 10 ms · #2 12 ms`, per attempt.
fn per_attempt(v: &[(u32, i64)]) -> Option<String> {
    let parts: Vec<String> = v
        .iter()
        .map(|(a, ms)| format!("#{a} {}", length(*ms)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The measured hops of the run on screen, beside the diagram.
#[component]
fn HopCosts(
    /// The run on screen.
    session: Session,
) -> impl IntoView {
    let hops = Memo::new(move |_| {
        let received = session.ended_at_ms.get();
        let watched = session.watched_at_ms.get();
        session.events.with(|v| {
            let t = timeline::layout(v, Deadlines::default(), None)?;
            // Only a close this page was following when it happened: a
            // replayed run's result arrives long after its close.
            let live = t.close.is_some_and(|c| watched <= (t.origin_ms + c) as f64);
            Some(timeline::hops::hops(
                v,
                &t,
                received.filter(|_| live).map(|r| r as i64),
            ))
        })
    });
    let item = move |testid: &'static str,
                     step: &'static str,
                     what: &'static str,
                     get: fn(&Hops) -> Option<String>| {
        move || {
            hops.with(|h| h.as_ref().and_then(get)).map(|value| {
                view! {
                    <div class="hop" data-testid=testid>
                        <dt>{step}</dt>
                        <dd>
                            <span class="hop-what">{what}</span>
                            " "
                            <span class="hop-value">{value}</span>
                        </dd>
                    </div>
                }
            })
        }
    };
    view! {
        <dl class="hops" data-testid="hops" aria-label="The measured cost of each hop of this run">
            {item("hop-schedule", "Schedule", "start request → scheduled (Server's time):", |h| h.schedule_ms.map(length))}
            {item("hop-poll", "Poll", "scheduled → picked up (queue wait):", |h| per_attempt(&h.poll_ms))}
            {item("hop-execute", "Execute", "execution per attempt:", |h| per_attempt(&h.execute_ms))}
            {item("hop-return", "Return", "close → result on this page (browser clock):", |h| h.return_ms.map(length))}
        </dl>
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
                        // The Workflow node is drawn for a Workflow run only.
                        let absent = move || {
                            step == FlowStep::Workflow
                                && session
                                    .current
                                    .read()
                                    .as_ref()
                                    .is_none_or(|r| r.run_as != proto::RunAs::Workflow)
                        };
                        let state = move || flow.get().get(step);
                        view! {
                            <li
                                hidden=absent
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
            <HopCosts session=session />
        </section>
    }
}
