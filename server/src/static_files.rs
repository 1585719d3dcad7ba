//! Serves the built UI bundle: precompressed brotli/gzip variants when the
//! browser accepts them, `application/wasm` for the module, and `index.html`
//! for any other path so client-side URLs (`/?lang=go`) load the app.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

/// The service for every path the API does not claim.
pub fn service(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}
