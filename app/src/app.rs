//! The page: header, the form and code panels on the left, the run (flow,
//! result, log) and the runs Temporal lists on the right.

use leptos::prelude::*;
use leptos::task::spawn_local;
use proto::code::Target;

use crate::api;
use crate::code::{cli_panel, code_panel};
use crate::config::config_panel;
use crate::dom::El;
use crate::execute::execute_panel;
use crate::failure::failure_panel;
use crate::flow::flow_panel;
use crate::header::header;
use crate::log::log_panel;
use crate::result::result_panel;
use crate::runs::runs_panel;
use crate::session::Session;
use crate::share::share_panel;
use crate::state::FormState;
use crate::timeline::timeline_panel;

/// Builds the whole demo at the end of `body`.
pub fn mount(body: El) {
    let info = RwSignal::new(None);
    spawn_local(async move {
        info.try_set(Some(api::server_info().await));
    });
    let info_result = info.into();
    let server = Signal::derive(move || info.get().and_then(Result::ok));
    let target = Signal::derive(move || {
        server
            .get()
            .map(|i| Target {
                address: i.address,
                namespace: i.namespace,
            })
            .unwrap_or_default()
    });
    let form = FormState::new();
    let session = Session::new();
    on_cleanup(move || session.close());

    let left = El::new("div")
        .class("column")
        .child(share_panel(form))
        .child(config_panel(form))
        .child(failure_panel(form, session))
        .child(execute_panel(form, session, server))
        .child(code_panel(form, target))
        .child(cli_panel(form, target));
    let right = El::new("div")
        .class("column")
        .attr("id", "run")
        .child(flow_panel(session))
        .child(timeline_panel(session))
        .child(result_panel(session, server))
        .child(log_panel(session))
        .child(runs_panel(session, form));
    body.markup(r##"<a class="skip-link" href="#run">Skip to the run</a>"##)
        .child(header(info_result))
        .child(El::new("main").class("layout").child(left).child(right))
        .markup(
            "<footer class=\"page-footer\"><p>A Rust rewrite (Leptos + Axum) of the simulated \
             demo in Temporal's documentation.</p></footer>",
        );
}
