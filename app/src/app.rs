//! The page: header, the form and code panels on the left, the run (flow,
//! result, log) and the runs Temporal lists on the right.

use codegen::Target;
use leptos::prelude::*;

use crate::api;
use crate::code::{CliPanel, CodePanel};
use crate::compare::ComparePanel;
use crate::config::ConfigPanel;
use crate::execute::ExecutePanel;
use crate::failure::FailurePanel;
use crate::flow::FlowPanel;
use crate::header::Header;
use crate::log::LogPanel;
use crate::result::ResultPanel;
use crate::runs::RunsPanel;
use crate::session::Session;
use crate::share::{self, SharePanel};
use crate::state::FormState;
use crate::timeline::TimelinePanel;

/// The whole demo.
#[component]
pub fn App() -> impl IntoView {
    let info = LocalResource::new(api::server_info);
    let info_result = Signal::derive(move || info.get());
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
    let form = FormState::new(share::start());
    share::keep_url_in_step(form);
    let session = Session::new();
    on_cleanup(move || session.close());

    view! {
        <a class="skip-link" href="#run">
            "Skip to the run"
        </a>
        <Header info=info_result />
        <main class="layout">
            <div class="column">
                <SharePanel form=form />
                <ConfigPanel form=form />
                <FailurePanel form=form session=session />
                <ExecutePanel form=form session=session info=server />
                <CodePanel form=form target=target />
                <CliPanel form=form session=session target=target />
            </div>
            <div class="column" id="run">
                <FlowPanel session=session />
                <TimelinePanel session=session />
                <ResultPanel session=session info=server form=form />
                <LogPanel session=session info=server />
                <ComparePanel session=session />
                <RunsPanel session=session form=form />
            </div>
        </main>
        <footer class="page-footer">
            <p>
                "A Rust rewrite (Leptos + Axum) of the simulated demo in Temporal's documentation."
            </p>
        </footer>
    }
}
