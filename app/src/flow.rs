//! The Execution Flow diagram: Client → Server → Task Queue → Worker →
//! Activity, each node lit from the run's real events only
//! ([`proto::FlowState::from_events`]), with the measured cost of each hop
//! of this run beside it ([`proto::timeline::hops`]).

use leptos::prelude::*;
use proto::timeline::{self, Deadlines};
use proto::{FlowState, FlowStep, NodeState};

use crate::dom::El;
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
fn hop_costs(session: Session) -> El {
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
    El::new("dl")
        .class("hops")
        .testid("hops")
        .attr("aria-label", "The measured cost of each hop of this run")
        .dyn_html(items)
}

/// The Execution Flow panel, for the run on screen in `session`.
pub fn flow_panel(session: Session) -> El {
    let flow = Memo::new(move |_| session.events.with(|v| FlowState::from_events(v.iter())));
    let nodes = FlowStep::ALL.into_iter().map(|step| {
        let state = move || flow.get().get(step);
        El::new("li")
            .dyn_attr("class", move || {
                Some(format!("flow-node node-{}", state().slug()))
            })
            .dyn_attr("data-state", move || Some(state().slug().to_owned()))
            .testid(&format!("flow-node-{}", step_slug(step)))
            .child(
                El::new("span")
                    .class("node-icon")
                    .attr("aria-hidden", "true")
                    .text(step_icon(step)),
            )
            .child(El::new("span").class("node-label").text(step.label()))
            .child(
                El::new("span")
                    .class("visually-hidden")
                    .dyn_text(move || format!(": {}", state_label(state()))),
            )
    });
    El::new("section")
        .class("panel")
        .attr("id", "flow-panel")
        .attr("aria-labelledby", "flow-title")
        .markup(r#"<h2 id="flow-title">Execution Flow</h2>"#)
        .child(El::new("ol").class("flow").children(nodes))
        .child(hop_costs(session))
}
