//! A small DOM layer for the panels: elements made with `web_sys`, with
//! their changing text, attributes, properties and children bound to
//! signals by one render effect each.
//!
//! Why not Leptos's `view!`: its typed views compile every element, closure
//! and attribute into its own build and rebuild code, which was most of the
//! page's weight (README, "Page weight"). Here each binding boxes its closure
//! and hands it to one non-generic function, so a binding costs its closure's
//! body and nothing more. Signals, memos and effects are still Leptos's.
//!
//! Lifetimes follow the reactive owner that is current when a binding is
//! made: its effect and its listeners are stored in that owner and dropped
//! with it, as Leptos's own views do.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, Node};

/// The SVG namespace, for [`El::svg`].
const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("a document")
}

/// Keeps `value` alive as long as the current reactive owner.
fn keep<T: 'static>(value: T) {
    StoredValue::new_local(value);
}

/// Runs `f` now and again whenever a signal it read changes, for as long as
/// the current owner lives.
fn effect(f: Box<dyn Fn()>) {
    keep(RenderEffect::new(move |_: Option<()>| f()));
}

/// One item of a keyed list: its key, and how to build its element if the
/// key is new.
type KeyedItem = (String, Box<dyn FnOnce() -> El>);

/// An element being built (and, once built, the element itself).
pub struct El(Element);

impl El {
    /// A new HTML element.
    pub fn new(tag: &str) -> Self {
        Self(document().create_element(tag).expect_throw("an element"))
    }

    /// A new SVG element.
    pub fn svg(tag: &str) -> Self {
        Self(
            document()
                .create_element_ns(Some(SVG_NS), tag)
                .expect_throw("an SVG element"),
        )
    }

    /// The page's `<body>`.
    pub fn body() -> Self {
        Self(document().body().expect_throw("a body").into())
    }

    /// The element.
    pub fn element(&self) -> &Element {
        &self.0
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets the `class` attribute.
    pub fn class(self, value: &str) -> Self {
        self.attr("class", value)
    }

    /// Sets the `data-testid` attribute the browser tests find it by.
    pub fn testid(self, value: &str) -> Self {
        self.attr("data-testid", value)
    }

    /// Appends a text node.
    pub fn text(self, text: &str) -> Self {
        _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child element.
    pub fn child(self, child: El) -> Self {
        _ = self.0.append_child(&child.0);
        self
    }

    /// Appends child elements.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        for c in children {
            _ = self.0.append_child(&c.0);
        }
        self
    }

    /// Appends markup that never changes: literals, or text escaped by
    /// [`crate::markup`].
    pub fn markup(self, html: &str) -> Self {
        _ = self.0.insert_adjacent_html("beforeend", html);
        self
    }

    /// Appends a text node that follows `f`.
    pub fn dyn_text(self, f: impl Fn() -> String + 'static) -> Self {
        self.bind_text(Box::new(f))
    }

    fn bind_text(self, f: Box<dyn Fn() -> String>) -> Self {
        let node = document().create_text_node("");
        _ = self.0.append_child(&node);
        effect(Box::new(move || {
            let text = f();
            if node.data() != text {
                node.set_data(&text);
            }
        }));
        self
    }

    /// An attribute that follows `f`: present with its value, or absent.
    pub fn dyn_attr(self, name: &'static str, f: impl Fn() -> Option<String> + 'static) -> Self {
        self.bind_attr(name, Box::new(f))
    }

    fn bind_attr(self, name: &'static str, f: Box<dyn Fn() -> Option<String>>) -> Self {
        let el = self.0.clone();
        effect(Box::new(move || match f() {
            Some(v) => {
                if el.get_attribute(name).as_deref() != Some(&v) {
                    _ = el.set_attribute(name, &v);
                }
            }
            None => _ = el.remove_attribute(name),
        }));
        self
    }

    /// Content that follows `f`: markup of literals, or text escaped by
    /// [`crate::markup`], written in one go.
    pub fn dyn_html(self, f: impl Fn() -> String + 'static) -> Self {
        self.bind_html(Box::new(f))
    }

    fn bind_html(self, f: Box<dyn Fn() -> String>) -> Self {
        let el = self.0.clone();
        effect(Box::new(move || el.set_inner_html(&f())));
        self
    }

    /// A boolean attribute (`disabled`, `hidden`) that follows `f`.
    pub fn dyn_flag(self, name: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        self.bind_attr(name, Box::new(move || f().then(String::new)))
    }

    /// One class that is there while `f` says so.
    pub fn dyn_class(self, name: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        self.bind_class(name, Box::new(f))
    }

    fn bind_class(self, name: &'static str, f: Box<dyn Fn() -> bool>) -> Self {
        let list = self.0.class_list();
        effect(Box::new(move || {
            _ = list.toggle_with_force(name, f());
        }));
        self
    }

    /// A DOM property (`checked`, `value`) that follows `f`.
    pub fn dyn_prop(self, name: &'static str, f: impl Fn() -> JsValue + 'static) -> Self {
        self.bind_prop(name, Box::new(f))
    }

    fn bind_prop(self, name: &'static str, f: Box<dyn Fn() -> JsValue>) -> Self {
        let el: JsValue = self.0.clone().into();
        let key = JsValue::from_str(name);
        effect(Box::new(move || {
            _ = js_sys::Reflect::set(&el, &key, &f());
        }));
        self
    }

    /// Runs `f` on the element now and again whenever a signal it read
    /// changes: for what the other bindings do not cover.
    pub fn effect(self, f: impl Fn(&Element) + 'static) -> Self {
        let el = self.0.clone();
        effect(Box::new(move || f(&el)));
        self
    }

    /// Calls `f` on each `event` at this element.
    pub fn on(self, event: &str, f: impl FnMut(Event) + 'static) -> Self {
        self.listen(event, Closure::new(f))
    }

    fn listen(self, event: &str, f: Closure<dyn FnMut(Event)>) -> Self {
        _ = self
            .0
            .add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        keep(f);
        self
    }

    /// A child that follows `f`: rebuilt whenever a signal `f` read
    /// changes, and absent while `f` gives `None`. What the old child's
    /// bindings held is dropped with it.
    pub fn dyn_child(self, f: impl Fn() -> Option<El> + 'static) -> Self {
        self.bind_nodes(Box::new(move || f().into_iter().collect()))
    }

    /// Children that follow `f`, as [`El::dyn_child`] does one.
    pub fn dyn_nodes(self, f: impl Fn() -> Vec<El> + 'static) -> Self {
        self.bind_nodes(Box::new(f))
    }

    fn bind_nodes(self, f: Box<dyn Fn() -> Vec<El>>) -> Self {
        let anchor: Node = document().create_comment("").into();
        _ = self.0.append_child(&anchor);
        let parent = self.0.clone();
        keep(RenderEffect::new(move |old: Option<Vec<El>>| {
            for old in old.unwrap_or_default() {
                old.0.remove();
            }
            let new = f();
            for el in &new {
                _ = parent.insert_before(&el.0, Some(&anchor));
            }
            new
        }));
        self
    }

    /// Puts one child per item of `items` first among this element's
    /// element children (others may follow), keyed by `key`: an item whose
    /// key was there before keeps its element, and only new items are
    /// rendered. Only elements out of order are moved, and a moved element
    /// loses focus: an insertion or removal moves none. `render` runs
    /// untracked, under an owner of the item's own, dropped when the item
    /// goes.
    pub fn keyed<T: 'static>(
        self,
        items: impl Fn() -> Vec<T> + 'static,
        key: impl Fn(&T) -> String + 'static,
        render: impl Fn(T) -> El + 'static,
    ) -> Self {
        let render = Rc::new(render);
        self.bind_keyed(Box::new(move || {
            items()
                .into_iter()
                .map(|item| {
                    let k = key(&item);
                    let render = Rc::clone(&render);
                    let item: KeyedItem = (k, Box::new(move || render(item)));
                    item
                })
                .collect()
        }))
    }

    fn bind_keyed(self, items: Box<dyn Fn() -> Vec<KeyedItem>>) -> Self {
        let parent = self.0.clone();
        let owner = Owner::current().unwrap_or_default();
        keep(RenderEffect::new(
            move |old: Option<Vec<(String, Element, Owner)>>| {
                let mut old = old.unwrap_or_default();
                let mut rows = Vec::new();
                for (k, build) in items() {
                    let row = match old.iter().position(|(o, ..)| *o == k) {
                        Some(i) => old.swap_remove(i),
                        None => {
                            let child = owner.child();
                            let el = untrack(|| child.with(build)).0;
                            (k, el, child)
                        }
                    };
                    rows.push(row);
                }
                for (_, el, child) in old {
                    el.remove();
                    child.cleanup();
                }
                place(&parent, rows.iter().map(|(_, el, _)| el));
                rows
            },
        ));
        self
    }
}

/// Puts `elements` in order as `parent`'s children, moving only those out
/// of place (a moved element loses focus).
fn place<'a>(parent: &Element, elements: impl Iterator<Item = &'a Element>) {
    let mut at = parent.first_element_child();
    for el in elements {
        if at.as_ref() == Some(el) {
            at = el.next_element_sibling();
        } else {
            _ = parent.insert_before(el, at.as_ref().map(|a| a.unchecked_ref::<Node>()));
        }
    }
}

impl From<El> for Element {
    fn from(el: El) -> Self {
        el.0
    }
}
