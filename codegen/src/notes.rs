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

/// The longest the run can take once a Worker polls its queue (the
/// schedule-to-close timeout, or every attempt's timeouts plus every
/// backoff), plus a minute for a Worker to show up, in whole seconds: the
/// Go program's context deadline.
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
    (longest + WAIT_FOR_WORKER_MS).div_ceil(1000) * 1000
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

/// The scenario's header value, `{"kind":"fail_first","attempts":2}`: the
/// text `serde_json` writes for [`FailureScenario`], which the demo's Worker
/// decodes with the same derive.
pub(crate) fn scenario_json(scenario: FailureScenario) -> String {
    // A plain enum of numbers serialises infallibly; the default is never used.
    serde_json::to_string(&scenario).unwrap_or_default()
}

/// A comment at the top of an SDK program: how the demo passes `scenario`.
pub(crate) fn scenario_comment(w: &mut Writer, lang: Language, scenario: FailureScenario) {
    if scenario == FailureScenario::None {
        return;
    }
    let marker = match lang {
        Language::Python | Language::Ruby => "#",
        _ => "//",
    };
    let lines = [
        "The demo tells its Worker how to misbehave in the activity's Header:".to_owned(),
        format!(
            "key \"{SCENARIO_HEADER}\", a JSON payload {}.",
            scenario_json(scenario)
        ),
        "This program sends no such header, so the demo's Worker simply succeeds;".to_owned(),
        "the CLI command (with --headers) reproduces the failures.".to_owned(),
    ];
    for line in lines {
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
    }
}
