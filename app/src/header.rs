//! The page header: what the demo is and which Temporal Server it runs on.

use leptos::prelude::*;
use proto::ServerInfo;

use crate::api::ClientError;
use crate::dom::El;
use crate::markup::Markup;

/// The status dot before the connection line, decorative.
fn dot<'m>(m: &'m mut Markup, class: &str) -> &'m mut Markup {
    m.leaf("span", &[("class", class), ("aria-hidden", "true")], "")
}

/// The header, with the connection line from `/api/info` (`None` while
/// loading).
pub fn header(info: Signal<Option<Result<ServerInfo, ClientError>>>) -> El {
    let connection = move || {
        let mut m = Markup::new();
        let p = match info.get() {
            None => {
                m.text("Connecting to the demo server…");
                El::new("p").class("conn")
            }
            Some(Ok(info)) => {
                dot(&mut m, "dot dot-ok")
                    .text("Runs against a real Temporal Server at ")
                    .leaf("code", &[], &info.address)
                    .text(", namespace ")
                    .leaf("code", &[], &info.namespace);
                if let Some(href) = &info.web_ui_url {
                    m.text(" · ")
                        .open(
                            "a",
                            &[
                                ("href", href),
                                ("target", "_blank"),
                                ("rel", "noopener noreferrer"),
                            ],
                        )
                        .text("Temporal Web UI")
                        .leaf(
                            "span",
                            &[("class", "visually-hidden")],
                            " (opens in a new tab)",
                        )
                        .close("a");
                }
                El::new("p").class("conn")
            }
            Some(Err(e)) => {
                dot(&mut m, "dot dot-bad").text(&e.to_string());
                El::new("p").class("conn conn-error").attr("role", "alert")
            }
        };
        Some(p.markup(&m.finish()))
    };
    El::new("header")
        .class("page-header")
        .markup(
            "<h1>Standalone Activities — live demo</h1><p class=\"lede\">An Activity started \
             straight from a Temporal Client, with no Workflow. Every line below comes from a \
             real run.</p>",
        )
        .dyn_child(connection)
}
