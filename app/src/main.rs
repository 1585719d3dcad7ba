//! Browser entry point of the standalone activity demo: mounts [`app::App`].

mod advanced;
mod api;
mod app;
mod browser;
mod code;
mod compare;
mod config;
mod copy;
mod draft;
mod execute;
mod failure;
mod fields;
mod flow;
mod header;
mod like;
mod log;
mod log_rows;
mod measured;
mod operator;
mod result;
mod run_commands;
mod runs;
mod runs_item;
mod session;
mod setup;
mod share;
mod state;
mod ticker;
mod timeline;
mod timeline_parts;
mod timeline_table;

fn main() {
    // The page's root owner lives until the page is hidden for good: then
    // dropping it unmounts the app and runs its cleanups (the run's
    // EventSource is closed instead of left to the browser).
    let page = leptos::mount::mount_to(
        leptos::prelude::document().body().expect("a body"),
        app::App,
    );
    browser::on_page_hide(move || drop(page));
}
