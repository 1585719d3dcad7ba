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
    program(lang, config, scenario, target, false)
}

/// [`sdk_snippet_with`], where the program also calls the activity handle's
/// operator methods: it starts the activity, pauses it, unpauses it, then
/// waits for the result (Go, Python, TypeScript, Ruby; marked experimental
/// as the SDKs mark them). Java's and .NET's SDKs have no such methods: their
/// programs say so in a comment and run the activity as
/// [`sdk_snippet_with`] does.
pub fn sdk_snippet_with_operator_calls(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    program(lang, config, scenario, target, true)
}

fn program(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
    operator_calls: bool,
) -> Snippet {
    let program = match lang {
        Language::Go => go::snippet(config, target, operator_calls),
        Language::Python => python::snippet(config, target, operator_calls),
        Language::Dotnet => dotnet::snippet(config, target, operator_calls),
        Language::Java => java::snippet(config, target, operator_calls),
        Language::Typescript => typescript::snippet(config, target, operator_calls),
        Language::Ruby => ruby::snippet(config, target, operator_calls),
    };
    let mut w = Writer::new();
    notes::scenario_comment(&mut w, lang, scenario);
    w.append(program);
    notes::waiting(&mut w, config, Some(lang));
    notes::start_delay(&mut w, config, lang);
    if operator_calls {
        notes::operator_calls(&mut w, config, lang);
    }
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
