//! The SDK Code and CLI Command panels: the generated snippet for the
//! selected language (real tablist semantics, arrow keys, `?lang=`) with how
//! to install and run it, the equivalent `temporal` command (optionally
//! carrying the failure scenario in `--headers`), highlighted from the
//! generators' typed spans, each with a Copy button.

use codegen::{
    Snippet, Target, cli_command_with, cli_setup, cli_workflow_command_with, sdk_setup,
    sdk_snippet_with, sdk_snippet_with_operator_calls, sdk_workflow_setup,
    sdk_workflow_snippet_with,
};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use proto::{FailureScenario, Language, RunAs};
use wasm_bindgen::JsCast;

use crate::copy::CopyButton;
use crate::draft::InputsStoreFields;
use crate::run_commands::RunCommands;
use crate::session::Session;
use crate::setup::SetupBlock;
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

/// Generated code, highlighted.
#[component]
pub fn CodeBlock(
    /// The code.
    snippet: Memo<Snippet>,
    /// `data-testid` of the `<pre>`.
    testid: &'static str,
    /// Accessible name of the block.
    label: &'static str,
) -> impl IntoView {
    view! {
        <pre class="code" data-testid=testid tabindex="0" aria-label=label>
            <code>
                {move || {
                    let snippet = snippet.get();
                    if snippet.spans.is_empty() {
                        view! { <span class="tok-com">"// (no code generated)"</span> }.into_any()
                    } else {
                        snippet
                            .spans
                            .into_iter()
                            .map(|s| {
                                view! { <span class=format!("tok-{}", s.kind.slug())>{s.text}</span> }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </code>
        </pre>
        {move || {
            let notes = snippet.read().notes.clone();
            (!notes.is_empty())
                .then(|| {
                    view! {
                        <ul class="notes">
                            {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    }
                })
        }}
    }
}

/// The SDK Code panel, with the language tabs.
#[component]
pub fn CodePanel(
    /// The form (config and selected language).
    form: FormState,
    /// Where the code connects.
    target: Signal<Target>,
) -> impl IntoView {
    let lang = form.inputs.language();
    let operator_calls = RwSignal::new(false);
    let workflow = move || form.inputs.run_as().get() == RunAs::Workflow;
    let snippet = Memo::new(move |_| {
        let generate = if workflow() {
            sdk_workflow_snippet_with
        } else if operator_calls.get() {
            sdk_snippet_with_operator_calls
        } else {
            sdk_snippet_with
        };
        generate(
            lang.get(),
            &form.draft.read().request.config,
            included_scenario(form),
            &target.read(),
        )
    });
    // The Workflow program has its own setup (TypeScript's: two files, and
    // the Worker and Workflow packages besides the client).
    let setup = Signal::derive(move || {
        if workflow() {
            sdk_workflow_setup(lang.get())
        } else {
            sdk_setup(lang.get())
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if let Some(next) = tab_after_key(lang.get_untracked(), &ev.key()) {
            ev.prevent_default();
            lang.set(next);
            focus_tab(next);
        }
    };
    view! {
        <section class="panel" aria-labelledby="code-title">
            <div class="panel-head">
                <h2 id="code-title">"SDK Code"</h2>
                <CopyButton text=Signal::derive(move || snippet.read().text()) what="SDK code" />
            </div>
            <div class="tabs" role="tablist" aria-label="SDK language">
                {Language::ALL
                    .into_iter()
                    .map(|l| {
                        let selected = move || lang.get() == l;
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tab"
                                id=tab_id(l)
                                data-testid=tab_id(l)
                                aria-controls="sdk-panel"
                                aria-selected=move || if selected() { "true" } else { "false" }
                                tabindex=move || if selected() { "0" } else { "-1" }
                                on:click=move |_| lang.set(l)
                                on:keydown=on_key
                            >
                                {l.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div
                class="tabpanel"
                role="tabpanel"
                id="sdk-panel"
                aria-labelledby=move || tab_id(lang.get())
            >
                <SetupBlock setup=setup testid="sdk-setup" />
                <div class="check" hidden=workflow>
                    <input type="checkbox" id="operator-calls" data-testid="operator-calls"
                        prop:checked=move || operator_calls.get()
                        on:change=move |ev| operator_calls.set(event_target_checked(&ev)) />
                    <label for="operator-calls">
                        "Pause and unpause it from the program (the handle's experimental operator methods)"
                    </label>
                </div>
                <CodeBlock snippet=snippet testid="sdk-code" label="SDK code" />
            </div>
        </section>
    }
}

/// The CLI Command panel.
#[component]
pub fn CliPanel(
    /// The form (config and selected language).
    form: FormState,
    /// The run on screen (its operator commands).
    session: Session,
    /// Where the command connects.
    target: Signal<Target>,
) -> impl IntoView {
    let snippet = Memo::new(move |_| {
        let generate = if form.inputs.run_as().get() == RunAs::Workflow {
            cli_workflow_command_with
        } else {
            cli_command_with
        };
        generate(
            form.inputs.language().get(),
            &form.draft.read().request.config,
            included_scenario(form),
            &target.read(),
        )
    });
    let setup = Signal::derive(cli_setup);
    let include = form.include_scenario;
    view! {
        <section class="panel" aria-labelledby="cli-title">
            <div class="panel-head">
                <h2 id="cli-title">"CLI Command"</h2>
                <CopyButton text=Signal::derive(move || snippet.read().text()) what="CLI command" />
            </div>
            <div class="check">
                <input
                    type="checkbox"
                    id="include-scenario"
                    data-testid="include-scenario"
                    prop:checked=move || include.get()
                    on:change=move |ev| include.set(event_target_checked(&ev))
                />
                <label for="include-scenario">
                    "Include the failure scenario (in "
                    <code>"--headers"</code>
                    ", as the demo passes it to its Worker)"
                </label>
            </div>
            <SetupBlock setup=setup testid="cli-setup" />
            <CodeBlock snippet=snippet testid="cli-command" label="CLI command" />
            <RunCommands form=form session=session target=target />
        </section>
    }
}
