//! Form building blocks shared by the panels: a labelled input whose errors
//! sit under it and are tied to it (`aria-invalid`, `aria-describedby`).

use leptos::prelude::*;
use proto::Field as FormField;
use reactive_stores::Field;

use crate::state::FormState;

/// The id of the element holding `input_id`'s error messages.
fn error_id(input_id: &str) -> String {
    format!("{input_id}-error")
}

/// The id of the element holding `input_id`'s hint.
fn hint_id(input_id: &str) -> String {
    format!("{input_id}-hint")
}

/// The `aria-describedby` value for an input with an optional hint and the
/// given errors; `None` when there is nothing to point at.
pub fn described_by(input_id: &str, has_hint: bool, has_errors: bool) -> Option<String> {
    let ids: Vec<String> = [
        has_hint.then(|| hint_id(input_id)),
        has_errors.then(|| error_id(input_id)),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The messages under one input (nothing when it is valid).
#[component]
pub fn FieldMessages(
    /// The input's DOM id.
    input_id: &'static str,
    /// What is wrong with it.
    errors: Memo<Vec<String>>,
) -> impl IntoView {
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            view! {
                <ul class="field-errors" id=error_id(input_id)>
                    {errors.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            }
        })
    }
}

/// A labelled text or number input bound to a form signal.
#[component]
pub fn TextField(
    /// The form, for the field's errors.
    form: FormState,
    /// Which field it edits (for validation messages).
    field: FormField,
    /// DOM id, tied to the label.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// `data-testid`.
    testid: &'static str,
    /// The text.
    #[prop(into)]
    value: Field<String>,
    /// `type` attribute.
    #[prop(default = "text")]
    input_type: &'static str,
    /// Help text under the input.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// `placeholder` attribute (what an empty optional input means).
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// `min` attribute (number inputs).
    #[prop(optional, into)]
    min: Option<String>,
    /// `max` attribute (number inputs).
    #[prop(optional, into)]
    max: Option<String>,
    /// `step` attribute (number inputs).
    #[prop(optional)]
    step: Option<&'static str>,
    /// Disables the input.
    #[prop(optional, into)]
    disabled: MaybeProp<bool>,
) -> impl IntoView {
    let errors = Memo::new(move |_| form.field_errors(field));
    let invalid = move || !errors.read().is_empty();
    let inputmode = (input_type == "number").then_some("decimal");
    // The signal drives the input only when they differ: while a number is
    // half typed ("0."), the browser reports the input's value as "", and
    // writing that back would wipe what the visitor typed.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let text = value.get();
        if let Some(el) = input.get()
            && el.value() != text
        {
            el.set_value(&text);
        }
    });
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=input_type
                inputmode=inputmode
                data-testid=testid
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                min=min
                max=max
                step=step
                value=value.get_untracked()
                node_ref=input
                on:input=move |ev| value.set(event_target_value(&ev))
                disabled=move || disabled.get().unwrap_or(false)
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=move || described_by(id, hint.is_some(), invalid())
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id(id)>{h}</p> })}
            <FieldMessages input_id=id errors=errors />
        </div>
    }
}

/// A labelled select over the values of a small enum, with a hint under it
/// that may describe the chosen value.
#[component]
pub fn SelectField<T>(
    /// DOM id, tied to the label.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// `data-testid`.
    testid: &'static str,
    /// The chosen value.
    #[prop(into)]
    value: Field<T>,
    /// Every value, in order.
    options: &'static [T],
    /// A value's `<option value>` (unique among `options`).
    slug: fn(T) -> &'static str,
    /// A value's option label.
    text: fn(T) -> &'static str,
    /// The hint for the chosen value, if any.
    #[prop(optional)]
    describe: Option<fn(T) -> &'static str>,
    /// Disables the select.
    #[prop(optional, into)]
    disabled: MaybeProp<bool>,
    /// Told after the user chose a value.
    #[prop(optional)]
    on_change: Option<Callback<T>>,
    /// Spans the whole row of a grid (for long option labels).
    #[prop(optional)]
    wide: bool,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let hint = describe.map(|describe| {
        view! {
            <p class="hint" id=hint_id(id)>
                {move || describe(value.get())}
            </p>
        }
    });
    view! {
        <div class="field" class:field-wide=wide>
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                data-testid=testid
                aria-describedby=described_by(id, describe.is_some(), false)
                disabled=move || disabled.get().unwrap_or(false)
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(v) = options.iter().copied().find(|v| slug(*v) == chosen) {
                        value.set(v);
                        if let Some(cb) = on_change {
                            cb.run(v);
                        }
                    }
                }
            >
                {options
                    .iter()
                    .copied()
                    .map(|v| {
                        view! {
                            <option value=slug(v) selected=move || value.get() == v>
                                {text(v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {hint}
        </div>
    }
}
