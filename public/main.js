// Loads the app's WebAssembly module. A file, not an inline script, so the
// Content Security Policy can forbid inline scripts altogether.
import init from '/pkg/sa_demo_app.js';
init();
