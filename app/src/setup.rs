//! How to run the code shown: the SDK release it needs, the one-line
//! install, the file to save it as and the command that runs it, and what
//! the SDK says about the API's stability ([`proto::code::Setup`]).

use leptos::prelude::*;
use proto::code::Setup;

use crate::markup::Markup;

/// The setup lines above a snippet.
#[component]
pub fn SetupBlock(
    /// What to show.
    setup: Signal<Setup>,
    /// `data-testid` of the list.
    testid: &'static str,
) -> impl IntoView {
    let rows = move || {
        let s = setup.get();
        let mut m = Markup::new();
        let rows = [
            ("Requires", "setup-requires", s.requires, false),
            ("Install", "setup-install", s.install, true),
            ("Save as", "setup-save-as", s.save_as, true),
            ("Run", "setup-run", s.run, true),
            (
                "Stability",
                "setup-stability",
                s.stability.unwrap_or_default(),
                false,
            ),
        ];
        for (label, testid, value, code) in rows {
            if value.is_empty() {
                continue;
            }
            m.leaf("dt", &[], label)
                .open("dd", &[("data-testid", testid)])
                .leaf(if code { "code" } else { "span" }, &[], &value)
                .close("dd");
        }
        m.finish()
    };
    view! { <dl class="setup" data-testid=testid inner_html=rows></dl> }
}
