//! Links round-trip every field, stay short, and a tampered link falls back
//! field by field with a reason.

use super::*;
use proto::config::RetryPolicy;

fn base() -> SharedForm {
    let mut form = SharedForm::default();
    form.request.config.activity_id = "greeting-abc123".to_owned();
    form
}

/// Every field away from its default.
fn everything() -> SharedForm {
    SharedForm {
        request: RunRequest {
            config: ActivityConfig {
                activity_id: "order 42 & co?".to_owned(),
                task_queue: "payments/eu".to_owned(),
                input: "O'Brien \"$HOME\" \\ é 🎉 #{x} +%".to_owned(),
                timeout_kind: TimeoutKind::ScheduleToClose,
                timeout_ms: 90_500,
                schedule_to_start_timeout_ms: Some(5_000),
                heartbeat_timeout_ms: Some(1_500),
                retry: RetryPolicy {
                    initial_interval_ms: 500,
                    backoff_coefficient: 1.5,
                    maximum_interval_ms: 20_000,
                    maximum_attempts: 6,
                    non_retryable_error_types: vec!["ValidationError".into(), "Fatal".into()],
                },
                id_reuse_policy: IdReusePolicy::RejectDuplicate,
                id_conflict_policy: IdConflictPolicy::UseExisting,
                start_delay_ms: Some(4_000),
            },
            scenario: FailureScenario::Crash { attempts: 2 },
            language: Language::Java,
            run_as: proto::api::RunAs::Workflow,
        },
        include_scenario: true,
    }
}

fn link(form: &SharedForm) -> String {
    format!("?{}", merge_query("", form))
}

#[test]
fn every_field_round_trips() {
    let form = everything();
    let decoded = decode(&link(&form), &base());
    assert_eq!(decoded.ignored, []);
    assert!(decoded.is_link);
    assert_eq!(decoded.form, form);
}

#[test]
fn every_scenario_round_trips() {
    for scenario in FailureScenario::EVERY {
        let mut form = base();
        form.request.scenario = scenario;
        let decoded = decode(&link(&form), &SharedForm::default());
        assert_eq!(decoded.ignored, [], "{scenario:?}");
        assert_eq!(decoded.form, form, "{scenario:?}");
    }
}

#[test]
fn defaults_are_left_out() {
    assert_eq!(link(&SharedForm::default()), "?lang=go");
    assert_eq!(link(&base()), "?lang=go&id=greeting-abc123");
    let mut form = base();
    form.request.scenario = FailureScenario::FailFirst { attempts: 2 };
    assert_eq!(link(&form), "?lang=go&id=greeting-abc123&sim=fail_first-2");
}

#[test]
fn foreign_keys_keep_their_place_and_old_values_are_replaced() {
    let q = merge_query("?utm=x&lang=python&id=old&run=7", &base());
    assert_eq!(q, "utm=x&run=7&lang=go&id=greeting-abc123");
}

#[test]
fn no_form_key_is_not_a_link() {
    let decoded = decode("?utm=x", &base());
    assert!(!decoded.is_link);
    assert_eq!(decoded.form, base());
    assert!(!decode("", &base()).is_link);
}

#[test]
fn tampered_values_fall_back_field_by_field_and_are_named() {
    let q = "?lang=cobol&q=orders&t=abc&ra=99&sim=explode-3&rb=1.5&reuse=Sometimes&hdr=yes";
    let decoded = decode(q, &base());
    let mut expected = base();
    expected.request.config.task_queue = "orders".to_owned();
    expected.request.config.retry.backoff_coefficient = 1.5;
    assert_eq!(decoded.form, expected);
    let keys: Vec<&str> = decoded.ignored.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["lang", "t", "sim", "reuse", "hdr", "ra"]);
    let ra = &decoded.ignored[5];
    assert_eq!(ra.value, "99");
    assert!(ra.reason.contains("Max retries"), "{}", ra.reason);
    let note = ignored_note(&decoded.ignored).expect("a note");
    assert!(
        note.contains("t=\"abc\" (not a number of seconds)"),
        "{note}"
    );
    assert!(note.contains("lang=\"cobol\""), "{note}");
}

#[test]
fn out_of_bounds_values_fall_back_with_the_validators_reason() {
    let decoded = decode("?t=9999&id=%20padded&in=ok&hb=0.2", &base());
    let mut expected = base();
    expected.request.config.input = "ok".to_owned();
    assert_eq!(decoded.form, expected);
    let reasons: Vec<(&str, &str)> = decoded
        .ignored
        .iter()
        .map(|i| (i.key.as_str(), i.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("id", "Activity ID must not start or end with whitespace"),
            ("t", "Timeout must be between 1 and 120 seconds"),
            ("hb", "Heartbeat timeout must be between 1 and 120 seconds"),
        ]
    );
}

#[test]
fn a_repeated_key_counts_once() {
    let decoded = decode("?q=a&q=b", &base());
    assert_eq!(decoded.form.request.config.task_queue, "a");
    assert_eq!(decoded.ignored.len(), 1);
    assert_eq!(decoded.ignored[0].value, "b");
}

#[test]
fn garbage_never_panics() {
    for q in [
        "?%",
        "?=&=",
        "?t=%FF",
        "?sim=-",
        "?sim=fail_first-",
        "?t=1e999",
        "?t=-1",
        "?&&&",
    ] {
        let decoded = decode(q, &base());
        assert!(validate(&decoded.form.request).is_ok(), "{q}");
    }
}

#[test]
fn cross_field_errors_the_link_did_not_cause_stay() {
    // A crash without a heartbeat timeout: the link did not set `hb`, so
    // the form keeps the scenario and shows its own error.
    let decoded = decode("?sim=crash-1", &base());
    assert_eq!(decoded.ignored, []);
    assert_eq!(
        decoded.form.request.scenario,
        FailureScenario::Crash { attempts: 1 }
    );
}

#[test]
fn the_note_shows_hidden_characters_escaped() {
    // A right-to-left override (%E2%80%AE) would reorder the sentence if
    // shown as is.
    let decoded = decode("?lang=%E2%80%AEcobol", &base());
    let note = ignored_note(&decoded.ignored).expect("a note");
    assert!(note.contains(r#"lang="\u{202e}cobol""#), "{note}");
}
