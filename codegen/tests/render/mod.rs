//! How the snapshot tests write a snippet and its setup as one reviewable
//! text: the setup lines as the page shows them above the code, the code,
//! then its notes.

use sa_demo_codegen::{Setup, Snippet};

/// The code, then any notes, as one reviewable text.
pub fn render(snippet: &Snippet) -> String {
    let mut out = snippet.text();
    for note in &snippet.notes {
        out.push_str("\nNOTE: ");
        out.push_str(note);
        out.push('\n');
    }
    out
}

/// How to set the code up, as the page shows it above the code.
pub fn render_setup(setup: &Setup) -> String {
    let mut out = format!("REQUIRES: {}\nINSTALL: {}\n", setup.requires, setup.install);
    if !setup.save_as.is_empty() {
        out.push_str(&format!("SAVE AS: {}\n", setup.save_as));
    }
    out.push_str(&format!("RUN: {}\n", setup.run));
    if let Some(s) = &setup.stability {
        out.push_str(&format!("STABILITY: {s}\n"));
    }
    out.push_str("---\n");
    out
}
