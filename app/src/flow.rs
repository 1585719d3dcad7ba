//! The Execution Flow diagram: Client → Server → Task Queue → Worker →
//! Activity, each node lit from the run's real events only
//! ([`proto::FlowState::from_events`]), with the measured cost of each hop
//! of this run beside it ([`proto::timeline::hops`]).

use leptos::prelude::*;
use proto::timeline::{self, Deadlines};
use proto::{FlowState, FlowStep, NodeState};

use crate::markup::Markup;
use crate::session::Session;
use crate::timeline_parts::length;

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
    let items = move || {
        let mut m = Markup::new();
        hops.with(|h| {
            let Some(h) = h else { return };
            let rows = [
                (
                    "hop-schedule",
                    "Schedule",
                    "start request → scheduled (Server's time):",
                    h.schedule_ms.map(length),
                ),
                (
                    "hop-poll",
                    "Poll",
                    "scheduled → picked up (queue wait):",
                    per_attempt(&h.poll_ms),
                ),
                (
                    "hop-execute",
                    "Execute",
                    "execution per attempt:",
                    per_attempt(&h.execute_ms),
                ),
                (
                    "hop-return",
                    "Return",
                    "close → result on this page (browser clock):",
                    h.return_ms.map(length),
                ),
            ];
            for (testid, step, what, value) in rows {
                let Some(value) = value else { continue };
                m.open("div", &[("class", "hop"), ("data-testid", testid)])
                    .leaf("dt", &[], step)
                    .open("dd", &[])
                    .leaf("span", &[("class", "hop-what")], what)
                    .text(" ")
                    .leaf("span", &[("class", "hop-value")], &value)
                    .close("dd")
                    .close("div");
            }
        });
        m.finish()
    };
    view! {
        <dl class="hops" data-testid="hops" aria-label="The measured cost of each hop of this run"
            inner_html=items></dl>
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
            <HopCosts session=session />
        </section>
    }
}
