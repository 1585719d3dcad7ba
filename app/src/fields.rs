//! Form building blocks shared by the panels: a labelled input whose errors
//! sit under it and are tied to it (`aria-invalid`, `aria-describedby`), a
//! labelled select, a checkbox.

use leptos::prelude::*;
use proto::Field;

use wasm_bindgen::JsCast;

use crate::dom::El;
use crate::markup::Markup;
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
fn field_messages(input_id: &'static str, errors: Memo<Vec<String>>) -> impl Fn() -> Option<El> {
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            let mut m = Markup::new();
            for e in &errors {
                m.leaf("li", &[], e);
            }
            El::new("ul")
                .class("field-errors")
                .attr("id", &error_id(input_id))
                .markup(&m.finish())
        })
    }
}

/// A checkbox that follows `value`, sets it when the visitor ticks or
/// unticks it, then calls `after`.
pub fn checkbox(value: RwSignal<bool>, after: impl Fn() + 'static) -> El {
    El::new("input")
        .attr("type", "checkbox")
        .dyn_prop("checked", move || value.get().into())
        .on("change", move |ev| {
            value.set(event_target_checked(&ev));
            after();
        })
}

/// A labelled text or number input bound to a form signal: its validation
/// messages under it, tied to it.
pub struct TextField {
    field: Field,
    id: &'static str,
    label: &'static str,
    testid: &'static str,
    value: RwSignal<String>,
    number: Option<(String, &'static str)>,
    max: Option<String>,
    hint: Option<&'static str>,
    placeholder: Option<&'static str>,
    disabled: Option<Signal<bool>>,
}

impl TextField {
    /// A text input for `field`, with DOM id `id`, visible `label` and
    /// `data-testid` `testid`, editing `value`.
    pub fn new(
        field: Field,
        id: &'static str,
        label: &'static str,
        testid: &'static str,
        value: RwSignal<String>,
    ) -> Self {
        Self {
            field,
            id,
            label,
            testid,
            value,
            number: None,
            max: None,
            hint: None,
            placeholder: None,
            disabled: None,
        }
    }

    /// A number input instead, with its `min` and `step`.
    pub fn number(mut self, min: impl Into<String>, step: &'static str) -> Self {
        self.number = Some((min.into(), step));
        self
    }

    /// The number input's `max`.
    pub fn max(mut self, max: impl Into<String>) -> Self {
        self.max = Some(max.into());
        self
    }

    /// Help text under the input.
    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// What an empty optional input means.
    pub fn placeholder(mut self, placeholder: &'static str) -> Self {
        self.placeholder = Some(placeholder);
        self
    }

    /// Disabled while `disabled` says so.
    pub fn disabled(mut self, disabled: Signal<bool>) -> Self {
        self.disabled = Some(disabled);
        self
    }

    /// The field, checked against `form`.
    pub fn build(self, form: FormState) -> El {
        let Self {
            field,
            id,
            value,
            hint,
            ..
        } = self;
        let errors = Memo::new(move |_| form.field_errors(field));
        let invalid = move || !errors.read().is_empty();
        let mut input = El::new("input")
            .attr("id", id)
            .attr("name", id)
            .attr("data-testid", self.testid)
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .attr("value", &value.get_untracked());
        input = match &self.number {
            Some((min, step)) => input
                .attr("type", "number")
                .attr("inputmode", "decimal")
                .attr("min", min)
                .attr("step", step),
            None => input.attr("type", "text"),
        };
        if let Some(max) = &self.max {
            input = input.attr("max", max);
        }
        if let Some(p) = self.placeholder {
            input = input.attr("placeholder", p);
        }
        if let Some(d) = self.disabled {
            input = input.dyn_flag("disabled", move || d.get());
        }
        // The signal drives the input only when they differ: while a number
        // is half typed ("0."), the browser reports the input's value as "",
        // and writing that back would wipe what the visitor typed.
        let input = input
            .effect(move |el| {
                let text = value.get();
                let el: &web_sys::HtmlInputElement = el.unchecked_ref();
                if el.value() != text {
                    el.set_value(&text);
                }
            })
            .on("input", move |ev| value.set(event_target_value(&ev)))
            .dyn_attr("aria-invalid", move || Some(invalid().to_string()))
            .dyn_attr("aria-describedby", move || {
                described_by(id, hint.is_some(), invalid())
            });
        let mut el = El::new("div")
            .class("field")
            .dyn_class("invalid", invalid)
            .child(El::new("label").attr("for", id).text(self.label))
            .child(input);
        if let Some(h) = hint {
            el = el.child(El::new("p").class("hint").attr("id", &hint_id(id)).text(h));
        }
        el.dyn_child(field_messages(id, errors))
    }
}

/// A labelled select over the values of a small enum, with a hint under it
/// that may describe the chosen value.
pub struct SelectField<T: 'static> {
    /// DOM id, tied to the label.
    pub id: &'static str,
    /// Visible label.
    pub label: &'static str,
    /// `data-testid`.
    pub testid: &'static str,
    /// The chosen value.
    pub value: RwSignal<T>,
    /// Every value, in order.
    pub options: &'static [T],
    /// A value's `<option value>` (unique among `options`).
    pub slug: fn(T) -> &'static str,
    /// A value's option label.
    pub text: fn(T) -> &'static str,
    /// The hint for the chosen value, if any.
    pub describe: Option<fn(T) -> &'static str>,
}

impl<T> SelectField<T>
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    /// The select; `disabled` while that says so, `on_change` told after the
    /// visitor chose, and spanning a grid's whole row if `wide`.
    pub fn build(
        self,
        disabled: Option<Signal<bool>>,
        on_change: Option<Box<dyn Fn(T)>>,
        wide: bool,
    ) -> El {
        let Self {
            id,
            value,
            options,
            slug,
            describe,
            ..
        } = self;
        let mut m = Markup::new();
        for v in options {
            m.leaf("option", &[("value", slug(*v))], (self.text)(*v));
        }
        let mut select = El::new("select")
            .attr("id", id)
            .attr("name", id)
            .attr("data-testid", self.testid);
        if let Some(ids) = described_by(id, describe.is_some(), false) {
            select = select.attr("aria-describedby", &ids);
        }
        if let Some(d) = disabled {
            select = select.dyn_flag("disabled", move || d.get());
        }
        let select = select
            .markup(&m.finish())
            .dyn_prop("value", move || slug(value.get()).into())
            .on("change", move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = options.iter().copied().find(|v| slug(*v) == chosen) {
                    value.set(v);
                    if let Some(f) = &on_change {
                        f(v);
                    }
                }
            });
        let mut el = El::new("div")
            .class(if wide { "field field-wide" } else { "field" })
            .child(El::new("label").attr("for", id).text(self.label))
            .child(select);
        if let Some(describe) = describe {
            el = el.child(
                El::new("p")
                    .class("hint")
                    .attr("id", &hint_id(id))
                    .dyn_text(move || describe(value.get()).to_owned()),
            );
        }
        el
    }
}
