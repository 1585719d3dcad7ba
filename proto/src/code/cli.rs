//! Placeholder: filled in by the code-generation work.

use super::{Snippet, Target};
use crate::config::ActivityConfig;
use crate::language::Language;

pub(super) fn command(_lang: Language, _config: &ActivityConfig, _target: &Target) -> Snippet {
    Snippet::default()
}

/// Quotes `s` for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
