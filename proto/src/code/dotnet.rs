//! Placeholder: filled in by the code-generation work.

use super::{Snippet, Target};
use crate::config::ActivityConfig;

pub(super) fn snippet(_config: &ActivityConfig, _target: &Target) -> Snippet {
    Snippet::default()
}
