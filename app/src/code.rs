//! The SDK Code and CLI Command panels: the generated snippet for the
//! selected language (real tablist semantics, arrow keys, `?lang=`) with how
//! to install and run it, the equivalent `temporal` command (optionally
//! carrying the failure scenario in `--headers`), highlighted from the
//! generators' typed spans, each with a Copy button.

use leptos::prelude::*;
use proto::code::{Snippet, Target, cli_command_with, cli_setup, sdk_setup, sdk_snippet_with};
use proto::{FailureScenario, Language};
use wasm_bindgen::JsCast;

use crate::copy::CopyButton;
use crate::dom::El;
use crate::fields::checkbox;
use crate::markup::Markup;
use crate::setup::setup_block;
use crate::state::FormState;

/// The scenario the code carries: the form's, when "Include the failure
/// scenario" is ticked.
fn included_scenario(form: FormState) -> FailureScenario {
    if form.include_scenario.get() {
        form.draft.read().request.scenario
    } else {
        FailureScenario::None
    }
}

fn tab_id(lang: Language) -> String {
    format!("lang-tab-{}", lang.slug())
}

/// Moves focus to the tab of `lang` (after an arrow key selected it).
fn focus_tab(lang: Language) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&tab_id(lang)))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // Focus can only fail on a detached element; nothing to do then.
        let _ = element.focus();
    }
}

/// The tab an arrow/Home/End key moves to from `from`, if any.
fn tab_after_key(from: Language, key: &str) -> Option<Language> {
    let all = Language::ALL;
    let i = all.iter().position(|l| *l == from)?;
    let n = all.len();
    Some(match key {
        "ArrowRight" | "ArrowDown" => all[(i + 1) % n],
        "ArrowLeft" | "ArrowUp" => all[(i + n - 1) % n],
        "Home" => all[0],
        "End" => all[n - 1],
        _ => return None,
    })
}

/// Generated code, highlighted, appended to `parent`: the `<pre>` with
/// `data-testid` `testid` and accessible name `label`, and the notes under it.
fn code_block(parent: El, snippet: Memo<Snippet>, testid: &str, label: &str) -> El {
    parent
        .child(
            El::new("pre")
                .class("code")
                .testid(testid)
                .attr("tabindex", "0")
                .attr("aria-label", label)
                .child(El::new("code").dyn_html(move || snippet.with(highlighted))),
        )
        .child(
            El::new("ul")
                .class("notes")
                .dyn_flag("hidden", move || snippet.with(|s| s.notes.is_empty()))
                .dyn_html(move || {
                    snippet.with(|s| {
                        let mut m = Markup::new();
                        for note in &s.notes {
                            m.leaf("li", &[], note);
                        }
                        m.finish()
                    })
                }),
        )
}

/// The snippet as HTML: one `tok-*` span per typed span.
fn highlighted(snippet: &Snippet) -> String {
    let mut m = Markup::new();
    if snippet.spans.is_empty() {
        m.leaf("span", &[("class", "tok-com")], "// (no code generated)");
    }
    for span in &snippet.spans {
        m.leaf(
            "span",
            &[("class", &format!("tok-{}", span.kind.slug()))],
            &span.text,
        );
    }
    m.finish()
}

/// A code panel with its head: the title (`h2` with id `title_id`), and a
/// Copy button for `snippet`, `what` it copies and the button's `name`.
fn code_panel_shell(
    title_id: &str,
    title: &str,
    snippet: Memo<Snippet>,
    what: &'static str,
    name: &'static str,
) -> El {
    let head = El::new("div")
        .class("panel-head")
        .child(El::new("h2").attr("id", title_id).text(title));
    let head = CopyButton {
        label: "Copy",
        what,
        testid: None,
        aria_label: Some(name),
    }
    .append_to(head, move || snippet.read_untracked().text());
    El::new("section")
        .class("panel")
        .attr("aria-labelledby", title_id)
        .child(head)
}

/// The SDK Code panel, with the language tabs: the code for `form`,
/// connecting to `target`.
pub fn code_panel(form: FormState, target: Signal<Target>) -> El {
    let lang = form.language;
    let snippet = Memo::new(move |_| {
        sdk_snippet_with(
            lang.get(),
            &form.draft.read().request.config,
            included_scenario(form),
            &target.read(),
        )
    });
    let on_key = move |ev: web_sys::Event| {
        let ev: &web_sys::KeyboardEvent = ev.unchecked_ref();
        if let Some(next) = tab_after_key(lang.get_untracked(), &ev.key()) {
            ev.prevent_default();
            lang.set(next);
            focus_tab(next);
        }
    };
    let tabs = Language::ALL.into_iter().map(|l| {
        let selected = move || lang.get() == l;
        El::new("button")
            .attr("type", "button")
            .attr("role", "tab")
            .class("tab")
            .attr("id", &tab_id(l))
            .testid(&tab_id(l))
            .attr("aria-controls", "sdk-panel")
            .dyn_attr("aria-selected", move || Some(selected().to_string()))
            .dyn_attr("tabindex", move || {
                Some(if selected() { "0" } else { "-1" }.to_owned())
            })
            .on("click", move |_| lang.set(l))
            .on("keydown", on_key)
            .text(l.label())
    });
    let tabpanel = El::new("div")
        .class("tabpanel")
        .attr("role", "tabpanel")
        .attr("id", "sdk-panel")
        .dyn_attr("aria-labelledby", move || Some(tab_id(lang.get())))
        .child(setup_block(move || sdk_setup(lang.get()), "sdk-setup"));
    code_panel_shell(
        "code-title",
        "SDK Code",
        snippet,
        "SDK code",
        "Copy SDK code",
    )
    .child(
        El::new("div")
            .class("tabs")
            .attr("role", "tablist")
            .attr("aria-label", "SDK language")
            .children(tabs),
    )
    .child(code_block(tabpanel, snippet, "sdk-code", "SDK code"))
}

/// The CLI Command panel: the command for `form`, connecting to `target`.
pub fn cli_panel(form: FormState, target: Signal<Target>) -> El {
    let snippet = Memo::new(move |_| {
        cli_command_with(
            form.language.get(),
            &form.draft.read().request.config,
            included_scenario(form),
            &target.read(),
        )
    });
    let include = form.include_scenario;
    let panel = code_panel_shell(
        "cli-title",
        "CLI Command",
        snippet,
        "CLI command",
        "Copy CLI command",
    )
    .child(
        El::new("div")
            .class("check")
            .child(
                checkbox(include, || {})
                    .attr("id", "include-scenario")
                    .testid("include-scenario"),
            )
            .markup(
                "<label for=\"include-scenario\">Include the failure scenario (in \
                     <code>--headers</code>, as the demo passes it to its Worker)</label>",
            ),
    )
    .child(setup_block(cli_setup, "cli-setup"));
    code_block(panel, snippet, "cli-command", "CLI command")
}
