//! One run of the Runs panel, as Temporal lists it: choosing it shows its
//! log (rebuilt from Temporal by the server if it has to), "Start like this
//! one" fills the form with the options Temporal recorded for it, and a link
//! opens it in the Temporal Web UI when the demo knows the UI.

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::RunSummary;

use crate::api;
use crate::browser;
use crate::dom::El;
use crate::like::fill_form;
use crate::markup::Markup;
use crate::session::{RunRef, Session};
use crate::state::FormState;

/// What the last "Start like this one" said, for the panel to show.
pub type LikeNote = RwSignal<Option<Result<Vec<String>, String>>>;

/// One listed run: choosing it shows it in `session`, and "Start like this
/// one" fills `form` and reports in `note`.
pub fn runs_item(run: RunSummary, session: Session, form: FormState, note: LikeNote) -> El {
    let run_id = run.run_id.clone();
    let is_current = move || {
        session
            .current
            .read()
            .as_ref()
            .is_some_and(|r| r.run_id == run_id)
    };
    let target = RunRef {
        activity_id: run.activity_id.clone(),
        run_id: run.run_id.clone(),
        web_ui_url: run.web_ui_url.clone(),
    };
    let (activity_id, rid) = (run.activity_id.clone(), run.run_id.clone());
    let like = move |_| {
        let (activity_id, rid) = (activity_id.clone(), rid.clone());
        let token = session.control_token(&rid);
        note.set(None);
        spawn_local(async move {
            match api::run_options(&activity_id, &rid, token.as_deref()).await {
                Ok(options) => {
                    note.set(Some(Ok(fill_form(&form, &options))));
                    browser::reveal("config-title");
                }
                Err(e) => note.set(Some(Err(e.to_string()))),
            }
        });
    };
    let status = run.status;
    let mut m = Markup::new();
    m.open("span", &[("class", "runs-main")]);
    m.open("code", &[("class", "runs-id")]);
    m.text(&run.activity_id);
    m.close("code");
    let status_class = format!("status status-{}", status.slug());
    m.open("span", &[("class", &status_class)]);
    m.text(status.label());
    m.close("span");
    m.close("span");
    m.open("span", &[("class", "runs-meta")]);
    m.open("span", &[("title", "Run ID")]);
    m.text(&run.run_id);
    m.close("span");
    m.close("span");
    m.open("span", &[("class", "runs-meta")]);
    m.open("span", &[("title", "Activity type")]);
    m.text(&run.activity_type);
    m.close("span");
    m.text(" · ");
    m.open("span", &[("title", "Task queue")]);
    m.text(&run.task_queue);
    m.close("span");
    if let Some(ms) = run.scheduled_ms.map(|ms| ms as f64) {
        m.text(" · ");
        m.open("time", &[("title", &browser::local_date_time(ms))]);
        m.text(&browser::local_time(ms));
        m.close("time");
    }
    m.close("span");
    let is_current2 = is_current.clone();
    let mut actions = El::new("span").class("runs-actions").child(
        El::new("button")
            .attr("type", "button")
            .class("btn btn-small btn-quiet")
            .testid("runs-like")
            .on("click", like)
            .text("Start like this one"),
    );
    if let Some(url) = &run.web_ui_url {
        actions = actions.child(
            El::new("a")
                .class("runs-link")
                .testid("runs-web-ui")
                .attr("href", url)
                .attr("target", "_blank")
                .attr("rel", "noopener noreferrer")
                .text("Open in Temporal UI"),
        );
    }
    El::new("li")
        .testid("runs-item")
        .attr("data-activity-id", &run.activity_id)
        .attr("data-run-id", &run.run_id)
        .attr("data-status", status.slug())
        .child(
            El::new("button")
                .attr("type", "button")
                .class("runs-button")
                .dyn_class("current", is_current)
                .dyn_attr("aria-current", move || {
                    is_current2().then(|| "true".to_owned())
                })
                .on("click", move |_| session.watch(target.clone()))
                .markup(&m.finish()),
        )
        .child(actions)
}
