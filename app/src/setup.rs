//! How to run the code shown: the SDK release it needs, the one-line
//! install, the file to save it as and the command that runs it, and what
//! the SDK says about the API's stability ([`codegen::Setup`]).

use codegen::Setup;
use leptos::prelude::*;

/// The setup lines above a snippet.
#[component]
pub fn SetupBlock(
    /// What to show.
    setup: Signal<Setup>,
    /// `data-testid` of the list.
    testid: &'static str,
) -> impl IntoView {
    let row = move |label: &'static str, slug: &'static str, value: String, code: bool| {
        (!value.is_empty()).then(|| {
            let value = if code {
                view! { <code>{value}</code> }.into_any()
            } else {
                view! { <span>{value}</span> }.into_any()
            };
            view! {
                <dt>{label}</dt>
                <dd data-testid=format!("setup-{slug}")>{value}</dd>
            }
        })
    };
    view! {
        <dl class="setup" data-testid=testid>
            {move || {
                let s = setup.get();
                view! {
                    {row("Requires", "requires", s.requires, false)}
                    {row("Install", "install", s.install, true)}
                    {row("Save as", "save-as", s.save_as, true)}
                    {row("Run", "run", s.run, true)}
                    {row("Stability", "stability", s.stability.unwrap_or_default(), false)}
                }
            }}
        </dl>
    }
}
