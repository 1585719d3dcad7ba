//! What the reader must know besides the code: how long a copied program may
//! wait (the form's default timeout bounds one attempt once a Worker has it,
//! not the wait for a Worker), and how the demo passes its failure scenario
//! to its Worker (the activity Header, which SDK programs do not set).

use crate::writer::Writer;
use proto::Language;
use proto::config::ActivityConfig;
use proto::scenario::{FailureScenario, SCENARIO_HEADER};

/// Extra time a generated client allows for a Worker to pick the task up.
const WAIT_FOR_WORKER_MS: u64 = 60_000;

/// The longest the run can take once a Worker polls its queue (the start
/// delay, then the schedule-to-close timeout, which Temporal counts from
/// the end of the delay, or every attempt's timeouts plus every backoff),
/// plus a minute for a Worker to show up, in whole seconds: the Go
/// program's context deadline.
pub fn run_deadline_ms(config: &ActivityConfig) -> u64 {
    let retry = &config.retry;
    let longest = match config.schedule_to_close_ms() {
        Some(ms) => ms,
        None => {
            let attempts = u64::from(retry.maximum_attempts.max(1));
            let per_attempt = config.timeout_ms + config.schedule_to_start_timeout_ms.unwrap_or(0);
            let backoffs: u64 = (1..retry.maximum_attempts.max(1))
                .map(|a| retry.backoff_after(a))
                .sum();
            attempts * per_attempt + backoffs
        }
    };
    let delay = config.start_delay_ms.unwrap_or(0);
    (delay + longest + WAIT_FOR_WORKER_MS).div_ceil(1000) * 1000
}

/// The note under a program or command that nothing bounds its wait for a
/// Worker, when only start-to-close is set.
pub(crate) fn waiting(w: &mut Writer, config: &ActivityConfig, lang: Option<Language>) {
    if config.schedule_to_close_ms().is_some() || config.schedule_to_start_timeout_ms.is_some() {
        return;
    }
    let what = if lang.is_some() { "program" } else { "command" };
    let mut note = format!(
        "Only Start-to-Close is set, and it bounds one attempt once a Worker has picked it \
         up: if no Worker polls the task queue {}, this {what} waits forever. A \
         Schedule-to-Close or Schedule-to-Start timeout bounds that wait.",
        crate::literal::json(&config.task_queue)
    );
    if lang == Some(Language::Go) {
        let secs = run_deadline_ms(config) / 1000;
        note.push_str(&format!(
            " The Go program's context gives up after {secs} s (the longest the run can \
             take, plus a minute)."
        ));
    }
    if config.task_queue != ActivityConfig::default().task_queue {
        note.push_str(
            " This demo's Worker polls a queue other than the default only once the page \
             has started a run on it.",
        );
    }
    w.note(note);
}

/// The note under a program that sets a start delay: Standalone
/// Activities' start delay is newer in every SDK than the oldest release the
/// setup names for the rest of the program.
pub(crate) fn start_delay(w: &mut Writer, config: &ActivityConfig, lang: Language) {
    if config.start_delay_ms.is_none() {
        return;
    }
    let (option, tested) = match lang {
        Language::Go => (
            "StartDelay (sdk-go#2382)",
            Some("go.temporal.io/sdk v1.51.0"),
        ),
        Language::Python => ("start_delay", Some("temporalio 1.35.0")),
        Language::Typescript => (
            "startDelay (sdk-typescript#2048)",
            Some("@temporalio/client 1.24.0"),
        ),
        Language::Java => (
            "setStartDelay (sdk-java#2906)",
            Some("io.temporal:temporal-sdk 1.38.0"),
        ),
        Language::Dotnet => ("StartDelay (sdk-dotnet#691, May 2026)", None),
        Language::Ruby => ("start_delay: (sdk-ruby#455, June 2026, experimental)", None),
    };
    let note = match tested {
        Some(version) => format!(
            "{option} is newer than the rest of this program's API: {version}, which it is \
             tested with, has it."
        ),
        None => format!(
            "{option} is newer than the rest of this program's API: a release from before it \
             rejects that line (not run here)."
        ),
    };
    w.note(note);
}

/// The notes under a program that pauses and unpauses its run: without a
/// start delay the demo's Worker may finish first, and Ruby's methods are
/// newer than the gem release the setup names.
pub(crate) fn operator_calls(w: &mut Writer, config: &ActivityConfig, lang: Language) {
    if matches!(lang, Language::Java | Language::Dotnet) {
        return; // The program says in a comment that it makes no such calls.
    }
    if config.start_delay_ms.is_none() {
        w.note(
            "Without a start delay, this demo's Worker may complete the activity before the \
             pause arrives: Temporal then refuses the pause (the activity is closed) and the \
             program stops there. A start delay of a few seconds keeps the run scheduled \
             while it is paused and unpaused.",
        );
    }
    if lang == Language::Ruby {
        w.note(
            "ActivityHandle#pause and #unpause came to the temporalio gem with sdk-ruby#575 \
             (September 2026): an older gem has no such methods (not run here).",
        );
    }
}

/// The scenario's header value, `{"kind":"fail_first","attempts":2}`: the
/// text `serde_json` writes for [`FailureScenario`], which the demo's Worker
/// decodes with the same derive.
pub(crate) fn scenario_json(scenario: FailureScenario) -> String {
    // A plain enum of numbers serialises infallibly; the default is never used.
    serde_json::to_string(&scenario).unwrap_or_default()
}

/// A comment at the top of an SDK program: how the demo passes `scenario`.
pub(crate) fn scenario_comment(w: &mut Writer, lang: Language, scenario: FailureScenario) {
    scenario_comment_ending(
        w,
        lang,
        scenario,
        &[
            "This program sends no such header, so the demo's Worker simply succeeds;",
            "the CLI command (with --headers) reproduces the failures.",
        ],
    );
}

/// The scenario comment's two opening lines (the header the demo sends),
/// then `ending`, what this program does instead; nothing for
/// [`FailureScenario::None`].
pub(crate) fn scenario_comment_ending(
    w: &mut Writer,
    lang: Language,
    scenario: FailureScenario,
    ending: &[&str],
) {
    if scenario == FailureScenario::None {
        return;
    }
    let marker = match lang {
        Language::Python | Language::Ruby => "#",
        _ => "//",
    };
    let opening = [
        "The demo tells its Worker how to misbehave in the activity's Header:".to_owned(),
        format!(
            "key \"{SCENARIO_HEADER}\", a JSON payload {}.",
            scenario_json(scenario)
        ),
    ];
    for line in opening
        .iter()
        .map(String::as_str)
        .chain(ending.iter().copied())
    {
        w.comment(&format!("{marker} {line}")).nl();
    }
    w.nl();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::config::TimeoutKind;

    #[test]
    fn the_header_json_is_compact_and_tagged_by_kind() {
        assert_eq!(
            scenario_json(FailureScenario::FailFirst { attempts: 2 }),
            r#"{"kind":"fail_first","attempts":2}"#
        );
        for s in FailureScenario::EVERY {
            let back: FailureScenario = serde_json::from_str(&scenario_json(s)).expect("json");
            assert_eq!(back, s);
        }
    }

    #[test]
    fn the_deadline_covers_every_attempt_and_backoff() {
        let c = ActivityConfig::default();
        // 4 attempts of 10 s, backoffs 1 + 2 + 4 s, plus a minute.
        assert_eq!(run_deadline_ms(&c), 107_000);
        let s2c = ActivityConfig {
            timeout_kind: TimeoutKind::ScheduleToClose,
            timeout_ms: 30_500,
            ..ActivityConfig::default()
        };
        assert_eq!(run_deadline_ms(&s2c), 91_000);
        let delayed = ActivityConfig {
            start_delay_ms: Some(2_500),
            ..s2c
        };
        assert_eq!(run_deadline_ms(&delayed), 93_000);
    }
}
