//! What the demo's page makes of the wire types, and nothing the server
//! needs: the Execution Flow diagram's state (`flow`), the attempt timeline's
//! layout and hop costs (`timeline`), the words of each Activity Log line
//! (`event_text`), and the form as a link (`share`: short query keys, decoded
//! field by field with what was ignored; `share::query` reads and writes
//! query strings as browsers do). Pure and wasm-clean (it depends on `proto`
//! and `form_urlencoded` only), so all of it is tested natively.

pub mod event_text;
pub mod flow;
pub mod share;
pub mod timeline;

pub use flow::{FlowState, FlowStep, NodeState};
