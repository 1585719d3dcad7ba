//! The Copy buttons (the share link, the SDK code, the CLI command): copy a
//! text to the clipboard, then say so in the button and in a status line
//! for two seconds.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::dom::El;

/// What a Copy button last did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Copied {
    Idle,
    Done,
    Failed(String),
}

/// A Copy button.
pub struct CopyButton {
    /// The button's text while idle ("Copy link").
    pub label: &'static str,
    /// What is copied, for the status line ("SDK code").
    pub what: &'static str,
    /// Its `data-testid`, if the tests need it.
    pub testid: Option<&'static str>,
    /// Its accessible name when the label alone does not say what it copies.
    pub aria_label: Option<&'static str>,
}

impl CopyButton {
    /// Appends the button and its status line to `parent`; a click copies
    /// what `text` gives then.
    pub fn append_to(self, parent: El, text: impl Fn() -> String + 'static) -> El {
        let Self {
            label,
            what,
            testid,
            aria_label,
        } = self;
        let state = RwSignal::new(Copied::Idle);
        let copy = move |_| {
            let text = text();
            spawn_local(async move {
                let outcome = browser::copy_text(&text).await;
                state.set(match outcome {
                    Ok(()) => Copied::Done,
                    Err(e) => Copied::Failed(e),
                });
                set_timeout(
                    move || {
                        state.try_set(Copied::Idle);
                    },
                    Duration::from_secs(2),
                );
            });
        };
        let mut button = El::new("button")
            .attr("type", "button")
            .class("btn btn-small copy");
        if let Some(id) = testid {
            button = button.testid(id);
        }
        if let Some(name) = aria_label {
            button = button.attr("aria-label", name);
        }
        parent
            .child(button.on("click", copy).dyn_text(move || {
                match state.get() {
                    Copied::Idle => label,
                    Copied::Done => "Copied",
                    Copied::Failed(_) => "Copy failed",
                }
                .to_owned()
            }))
            .child(
                El::new("span")
                    .class("copy-status")
                    .attr("role", "status")
                    .dyn_text(move || match state.get() {
                        Copied::Idle => String::new(),
                        Copied::Done => format!("{what} copied to the clipboard"),
                        Copied::Failed(e) => format!("Could not copy: {e}"),
                    }),
            )
    }
}
