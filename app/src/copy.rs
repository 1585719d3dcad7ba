//! The one Copy button of the page (the share link, the SDK code, the CLI
//! command): copies a text to the clipboard and says, in a live region,
//! whether it worked.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;

/// How long "Copied" (or "Copy failed") stays before the button is idle again.
const FEEDBACK: Duration = Duration::from_secs(2);

/// What the button last did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed(String),
}

/// `what` at the head of a sentence ("link" → "Link"). ASCII only: the
/// labels are ASCII, and Unicode case tables would weigh more than the page
/// gains.
fn sentence(what: &str) -> String {
    let mut s = what.to_owned();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Copies `text` (read when clicked), with "Copied" feedback.
#[component]
pub fn CopyButton(
    /// What to copy, as it is when the button is pressed.
    #[prop(into)]
    text: Signal<String>,
    /// The button's idle label ("Copy", "Copy link").
    #[prop(default = "Copy")]
    label: &'static str,
    /// What is copied, for the accessible name and the status ("SDK code").
    what: &'static str,
    /// `data-testid` of the button.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let copy = move |_| {
        let text = text.get_untracked();
        spawn_local(async move {
            let outcome = browser::copy_text(&text).await;
            state.set(match outcome {
                Ok(()) => CopyState::Copied,
                Err(e) => CopyState::Failed(e),
            });
            set_timeout(
                move || {
                    state.try_set(CopyState::Idle);
                },
                FEEDBACK,
            );
        });
    };
    view! {
        <button
            type="button"
            class="btn btn-small copy"
            data-testid=testid
            aria-label=format!("Copy {what}")
            on:click=copy
        >
            {move || match state.get() {
                CopyState::Idle => label,
                CopyState::Copied => "Copied",
                CopyState::Failed(_) => "Copy failed",
            }}
        </button>
        <span class="copy-status" role="status">
            {move || match state.get() {
                CopyState::Idle => String::new(),
                CopyState::Copied => format!("{} copied to the clipboard", sentence(what)),
                CopyState::Failed(e) => format!("Could not copy: {e}"),
            }}
        </span>
    }
}
