//! The page header: what the demo is and which Temporal Server it runs on.

use leptos::prelude::*;
use proto::ServerInfo;

use crate::api::ClientError;

/// The header, with the connection line from `/api/info`.
#[component]
pub fn Header(
    /// The `/api/info` answer; `None` while loading.
    info: Signal<Option<Result<ServerInfo, ClientError>>>,
) -> impl IntoView {
    let connection = move || match info.get() {
        None => view! { <p class="conn">"Connecting to the demo server…"</p> }.into_any(),
        Some(Ok(info)) => {
            let ui = info.web_ui_url.clone().map(|href| {
                view! {
                    " · "
                    <a href=href target="_blank" rel="noopener noreferrer">
                        "Temporal Web UI"
                        <span class="visually-hidden">" (opens in a new tab)"</span>
                    </a>
                }
            });
            view! {
                <p class="conn">
                    <span class="dot dot-ok" aria-hidden="true"></span>
                    "Runs against a real Temporal Server at "
                    <code>{info.address}</code>
                    ", namespace "
                    <code>{info.namespace}</code>
                    {ui}
                </p>
            }
            .into_any()
        }
        Some(Err(e)) => view! {
            <p class="conn conn-error" role="alert">
                <span class="dot dot-bad" aria-hidden="true"></span>
                {e.to_string()}
            </p>
        }
        .into_any(),
    };
    view! {
        <header class="page-header">
            <h1>"Standalone Activities — live demo"</h1>
            <p class="lede">
                "An Activity started straight from a Temporal Client, with no Workflow. "
                "Every line below comes from a real run."
            </p>
            {connection}
        </header>
    }
}
