//! Browser entry point of the standalone activity demo: builds the page ([`app::mount`]).

mod advanced;
mod api;
mod app;
mod browser;
mod code;
mod config;
mod copy;
mod dom;
mod draft;
mod execute;
mod failure;
mod fields;
mod flow;
mod header;
mod like;
mod log;
mod log_rows;
mod markup;
mod result;
mod runs;
mod runs_item;
mod session;
mod setup;
mod share;
mod state;
mod ticker;
mod timeline;
mod timeline_parts;
mod timeline_svg;
mod timeline_table;

fn main() {
    _ = any_spawner::Executor::init_wasm_bindgen();
    // The page's root owner: it lives as long as the page.
    let owner = leptos::prelude::Owner::new();
    owner.set();
    app::mount(dom::El::body());
    std::mem::forget(owner);
}
