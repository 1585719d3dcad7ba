//! The SDK languages the demo generates code for, and the activity type name
//! each one's conventional sample registers (the demo's Worker serves them all).

use serde::{Deserialize, Serialize};

/// A Temporal SDK language shown in the SDK Code panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Go SDK (`go.temporal.io/sdk`).
    #[default]
    Go,
    /// Python SDK (`temporalio`).
    Python,
    /// .NET SDK (`Temporalio`).
    Dotnet,
    /// Java SDK (`io.temporal:temporal-sdk`).
    Java,
    /// TypeScript SDK (`@temporalio/client`).
    Typescript,
    /// Ruby SDK (`temporalio` gem).
    Ruby,
}

impl Language {
    /// Every language, in the order of the tabs.
    pub const ALL: [Language; 6] = [
        Language::Go,
        Language::Python,
        Language::Dotnet,
        Language::Java,
        Language::Typescript,
        Language::Ruby,
    ];

    /// The activity type name the language's sample function registers under.
    ///
    /// Go registers the short function name, Python the function name, .NET
    /// drops the `Async` suffix, Java upper-cases the method's first letter,
    /// Ruby uses the class name and TypeScript the key in the activities object.
    pub const fn activity_type(self) -> &'static str {
        match self {
            Language::Go => "Activity",
            Language::Python => "compose_greeting",
            Language::Dotnet | Language::Java | Language::Ruby => "ComposeGreeting",
            Language::Typescript => "greet",
        }
    }

    /// The Workflow type the language's conventional sample registers for
    /// the run-as-Workflow variant (`GreetingWorkflow`; TypeScript names the
    /// exported function, `greetingWorkflow`).
    pub const fn workflow_type(self) -> &'static str {
        match self {
            Language::Typescript => "greetingWorkflow",
            _ => "GreetingWorkflow",
        }
    }

    /// The Workflow type the demo's own Worker serves and the page's "From a
    /// Workflow" runs start. Not a name a generated program registers: the
    /// program's Worker and the demo's poll the same task queue, and a
    /// Workflow Task must reach the Worker whose definition it was started
    /// for (the demo's takes the form's options as its input).
    pub const DEMO_WORKFLOW_TYPE: &'static str = "DemoGreetingWorkflow";

    /// Every activity type name the demo's Worker serves.
    pub const ACTIVITY_TYPES: [&'static str; 4] =
        ["Activity", "compose_greeting", "ComposeGreeting", "greet"];

    /// Label shown on the tab.
    pub const fn label(self) -> &'static str {
        match self {
            Language::Go => "Go",
            Language::Python => "Python",
            Language::Dotnet => ".NET",
            Language::Java => "Java",
            Language::Typescript => "TypeScript",
            Language::Ruby => "Ruby",
        }
    }

    /// Stable identifier used in URLs (`?lang=`) and storage.
    pub const fn slug(self) -> &'static str {
        match self {
            Language::Go => "go",
            Language::Python => "python",
            Language::Dotnet => "dotnet",
            Language::Java => "java",
            Language::Typescript => "typescript",
            Language::Ruby => "ruby",
        }
    }

    /// Parses [`Language::slug`] back.
    pub fn from_slug(slug: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_slug(lang.slug()), Some(lang));
        }
        assert_eq!(Language::from_slug("cobol"), None);
    }

    #[test]
    fn every_type_is_served() {
        for lang in Language::ALL {
            assert!(Language::ACTIVITY_TYPES.contains(&lang.activity_type()));
        }
    }
}
