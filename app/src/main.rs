//! Browser entry point of the standalone activity demo: mounts [`app::App`].

mod advanced;
mod api;
mod app;
mod browser;
mod code;
mod config;
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
    leptos::mount::mount_to_body(app::App);
}
