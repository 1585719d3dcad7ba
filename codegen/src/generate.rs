//! The entry points: the SDK program or the CLI command for one language,
//! pointed at one Temporal ([`Target`]).

use proto::{ActivityConfig, FailureScenario, Language, Snippet};

use crate::writer::Writer;
use crate::{cli, dotnet, go, java, notes, python, ruby, typescript};

/// Where the generated code connects: the demo's own Temporal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Temporal frontend `host:port`.
    pub address: String,
    /// Namespace.
    pub namespace: String,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            address: "localhost:7233".to_owned(),
            namespace: "default".to_owned(),
        }
    }
}

/// The SDK snippet for `lang`: a complete program that connects to `target`,
/// executes the activity as configured and prints the result.
pub fn sdk_snippet(lang: Language, config: &ActivityConfig, target: &Target) -> Snippet {
    sdk_snippet_with(lang, config, FailureScenario::None, target)
}

/// [`sdk_snippet`], saying in a comment how the demo would pass `scenario`
/// to its Worker (an SDK program sends no such header), unless it is
/// [`FailureScenario::None`].
pub fn sdk_snippet_with(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    let program = match lang {
        Language::Go => go::snippet(config, target),
        Language::Python => python::snippet(config, target),
        Language::Dotnet => dotnet::snippet(config, target),
        Language::Java => java::snippet(config, target),
        Language::Typescript => typescript::snippet(config, target),
        Language::Ruby => ruby::snippet(config, target),
    };
    let mut w = Writer::new();
    notes::scenario_comment(&mut w, lang, scenario);
    w.append(program);
    notes::waiting(&mut w, config, Some(lang));
    w.finish()
}

/// The `temporal activity execute` command equivalent to the snippet for
/// `lang` (same activity type name and argument shape).
pub fn cli_command(lang: Language, config: &ActivityConfig, target: &Target) -> Snippet {
    cli_command_with(lang, config, FailureScenario::None, target)
}

/// [`cli_command`], carrying `scenario` in `--headers` exactly as the demo
/// passes it to its Worker (unless it is [`FailureScenario::None`]), so the
/// command reproduces the same failures against this demo's Worker.
pub fn cli_command_with(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    cli::command(lang, config, scenario, target)
}
