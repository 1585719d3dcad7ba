//! The `temporal activity execute` command equivalent to a language's snippet
//! (Temporal CLI >= 1.9): same activity type name, same single string
//! argument, same timeouts, retry policy and id policies.
//!
//! With a failure scenario, `--headers` carries it under the Header key the
//! demo's Worker reads, as the same JSON, so the command reproduces the
//! failures against this demo.
//!
//! Every value that is not a plain word is single-quoted for a POSIX shell,
//! and `--input` is the JSON encoding of the input, quoted the same way, so
//! no input can end the argument or expand `$VARS`.

use crate::literal;
use crate::options::{Timeout, conflict_policy, durations, reuse_policy};
use crate::units::{duration_string, float_literal};
use crate::writer::Writer;
use crate::{Snippet, Target, notes};
use proto::Language;
use proto::config::{ActivityConfig, RetryPolicy};
use proto::scenario::{FailureScenario, SCENARIO_HEADER};

/// The `--headers` value that makes the demo's Worker play `scenario`:
/// `demo-scenario={"kind":"fail_first","attempts":2}`, unquoted.
pub fn scenario_header(scenario: FailureScenario) -> String {
    format!("{SCENARIO_HEADER}={}", notes::scenario_json(scenario))
}

/// Quotes `s` for a POSIX shell: inside single quotes nothing is special, and
/// a `'` is written as `'\''` (close, escaped quote, reopen).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `s` as one shell word: bare when it only holds characters no shell treats
/// specially, quoted otherwise.
pub(crate) fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain { s.to_owned() } else { shell_quote(s) }
}

pub(crate) fn timeout_flag(t: Timeout) -> &'static str {
    match t {
        Timeout::StartToClose => "--start-to-close-timeout",
        Timeout::ScheduleToClose => "--schedule-to-close-timeout",
        Timeout::ScheduleToStart => "--schedule-to-start-timeout",
        Timeout::Heartbeat => "--heartbeat-timeout",
        Timeout::StartDelay => "--start-delay",
    }
}

/// A flag's value, by how it is highlighted.
pub(crate) enum Value {
    /// Text (ids, names, JSON), already a shell word: a string.
    Text(String),
    /// A number or duration.
    Number(String),
    /// None: the flag alone (`--yes`).
    Switch,
}

/// `--address` and `--namespace` for `target`, as every command starts.
pub(crate) fn connection(target: &Target) -> Vec<(&'static str, Value)> {
    vec![
        ("--address", Value::Text(shell_word(&target.address))),
        ("--namespace", Value::Text(shell_word(&target.namespace))),
    ]
}

/// The four `--retry-*` flags of `retry` (the CLI has none for
/// non-retryable error types).
pub(crate) fn retry_flags(retry: &RetryPolicy) -> [(&'static str, Value); 4] {
    [
        (
            "--retry-initial-interval",
            Value::Number(duration_string(retry.initial_interval_ms)),
        ),
        (
            "--retry-backoff-coefficient",
            Value::Number(float_literal(retry.backoff_coefficient)),
        ),
        (
            "--retry-maximum-interval",
            Value::Number(duration_string(retry.maximum_interval_ms)),
        ),
        (
            "--retry-maximum-attempts",
            Value::Number(retry.maximum_attempts.to_string()),
        ),
    ]
}

/// `--id-reuse-policy` and `--id-conflict-policy` where the form sets them,
/// then `--input`, the input's JSON quoted for the shell.
pub(crate) fn policy_and_input_flags(config: &ActivityConfig) -> Vec<(&'static str, Value)> {
    let mut flags = Vec::new();
    if let Some(p) = reuse_policy(config) {
        flags.push(("--id-reuse-policy", Value::Text(p.cli_name().to_owned())));
    }
    if let Some(p) = conflict_policy(config) {
        flags.push(("--id-conflict-policy", Value::Text(p.cli_name().to_owned())));
    }
    let input = shell_quote(&literal::json(&config.input));
    flags.push(("--input", Value::Text(input)));
    flags
}

/// `temporal activity <subcommand>`, then one flag a line.
pub(crate) fn write(w: &mut Writer, subcommand: &str, flags: &[(&str, Value)]) {
    write_command(w, "activity", subcommand, flags);
}

/// `temporal <noun> <subcommand>` (`activity`, `workflow`), then one flag
/// a line.
pub(crate) fn write_command(w: &mut Writer, noun: &str, subcommand: &str, flags: &[(&str, Value)]) {
    w.func("temporal").plain(" ").plain(noun).plain(" ");
    w.plain(subcommand);
    for (flag, value) in flags {
        w.plain(" \\").nl().plain("  ").kw(flag);
        match value {
            Value::Text(s) => w.plain(" ").string(s),
            Value::Number(s) => w.plain(" ").num(s),
            Value::Switch => w,
        };
    }
    w.nl();
}

/// The command for `lang`, one flag a line.
pub(crate) fn command(
    lang: Language,
    config: &ActivityConfig,
    scenario: FailureScenario,
    target: &Target,
) -> Snippet {
    let retry = &config.retry;
    let mut flags = connection(target);
    flags.extend([
        (
            "--activity-id",
            Value::Text(shell_word(&config.activity_id)),
        ),
        ("--type", Value::Text(shell_word(lang.activity_type()))),
        ("--task-queue", Value::Text(shell_word(&config.task_queue))),
    ]);
    for (t, ms) in durations(config) {
        flags.push((timeout_flag(t), Value::Number(duration_string(ms))));
    }
    flags.extend(retry_flags(retry));
    flags.extend(policy_and_input_flags(config));
    if scenario != FailureScenario::None {
        let header = shell_quote(&scenario_header(scenario));
        flags.push(("--headers", Value::Text(header)));
    }

    let mut w = Writer::new();
    write(&mut w, "execute", &flags);
    notes::waiting(&mut w, config, None);
    if let FailureScenario::Outage { .. } = scenario {
        w.note(
            "A Worker outage is the demo server not polling the run's task queue; the header \
             cannot reproduce it: with it, the demo's Worker runs the activity normally.",
        );
    }
    if !retry.non_retryable_error_types.is_empty() {
        w.note(format!(
            "The Temporal CLI has no flag for non-retryable error types, so this command \
             does not apply them ({}): failures of those types are retried like any other.",
            retry.non_retryable_error_types.join(", ")
        ));
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_closes_and_reopens_around_single_quotes() {
        assert_eq!(shell_quote("O'Brien"), r"'O'\''Brien'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn plain_words_stay_bare() {
        assert_eq!(shell_word("localhost:7233"), "localhost:7233");
        assert_eq!(shell_word("greeting-activity"), "greeting-activity");
        assert_eq!(shell_word("my queue"), "'my queue'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
        assert_eq!(shell_word(""), "''");
    }

    /// Runs the quoted words through a real shell and reads back what the
    /// command would receive.
    #[cfg(unix)]
    #[test]
    fn a_real_shell_passes_quoted_words_through_unchanged() {
        let inputs = [
            r#"O'Brien "the $HOME" \ "#,
            "$(echo injected) `echo injected` ; echo injected #",
            "''\\'\"",
            "new\nline and 日本 😀",
        ];
        for input in inputs {
            let script = format!("printf %s {}", shell_quote(input));
            let out = std::process::Command::new("sh")
                .args(["-c", &script])
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&out.stdout), input);

            let json = literal::json(input);
            let script = format!("printf %s {}", shell_quote(&json));
            let out = std::process::Command::new("sh")
                .args(["-c", &script])
                .output()
                .expect("sh runs");
            let decoded: String =
                serde_json::from_slice(&out.stdout).expect("the shell passes valid JSON");
            assert_eq!(decoded, input);
        }
    }
}
