//! Tests of the Runs query's validation and of "Start like this one".

use super::*;

fn params(f: impl FnOnce(&mut RunsParams)) -> RunsParams {
    let mut p = RunsParams::default();
    f(&mut p);
    p
}

#[test]
fn empty_query_lists_everything_newest_page() {
    let q = RunsQuery::parse(&RunsParams::default()).unwrap();
    assert_eq!(q.status, None);
    assert!(q.run_ids.is_empty());
    assert_eq!(q.page_size, DEFAULT_PAGE_SIZE);
    assert_eq!(q.to_query_string(str::to_owned), "");
}

#[test]
fn statuses_round_trip_and_unknown_ones_are_named() {
    for s in RunStatus::LISTED {
        let q = RunsQuery::parse(&params(|p| p.status = Some(s.slug().into()))).unwrap();
        assert_eq!(q.status, Some(s));
    }
    let e = RunsQuery::parse(&params(|p| p.status = Some("Running') OR (1=1".into())));
    let e = e.unwrap_err();
    assert!(e.starts_with("status: must be one of all, running,"), "{e}");
}

#[test]
fn limits_name_the_parameter_and_the_limit() {
    let many = (0..=MAX_IDS).map(|i| format!("r{i}")).collect::<Vec<_>>();
    let e = RunsQuery::parse(&params(|p| p.ids = Some(many.join(",")))).unwrap_err();
    assert_eq!(
        e,
        format!("ids: at most {MAX_IDS} run ids (got {})", MAX_IDS + 1)
    );
    let e = RunsQuery::parse(&params(|p| p.queue = Some("q".repeat(201)))).unwrap_err();
    assert!(
        e.starts_with("queue: must be at most 200 characters"),
        "{e}"
    );
    let e = RunsQuery::parse(&params(|p| p.ids = Some("a\u{7}b".into()))).unwrap_err();
    assert_eq!(e, "ids: must not contain control characters");
    let e = RunsQuery::parse(&params(|p| p.page_size = Some("0".into()))).unwrap_err();
    assert_eq!(
        e,
        format!("page_size: must be between 1 and {MAX_PAGE_SIZE}")
    );
    let e = RunsQuery::parse(&params(|p| p.page_token = Some("xyz".into()))).unwrap_err();
    assert!(e.starts_with("page_token:"), "{e}");
}

#[test]
fn query_string_reads_back() {
    let q = RunsQuery {
        status: Some(RunStatus::TimedOut),
        run_ids: vec!["a".into(), "b".into()],
        task_queue: Some("my queue".into()),
        page_token: Some("0a0b".into()),
        page_size: 5,
    };
    let s = q.to_query_string(|v| v.replace(' ', "%20").replace(',', "%2C"));
    assert_eq!(
        s,
        "status=timed_out&ids=a%2Cb&queue=my%20queue&page_token=0a0b&page_size=5"
    );
}

fn recorded() -> RunOptions {
    RunOptions {
        activity_id: "cli-run".into(),
        run_id: "r1".into(),
        activity_type: "greet".into(),
        language: language_of("greet", Language::Go),
        task_queue: "q".into(),
        schedule_to_close_ms: None,
        start_to_close_ms: Some(7_000),
        schedule_to_start_ms: Some(3_000),
        heartbeat_ms: None,
        start_delay_ms: Some(2_000),
        retry: Some(RetryPolicy {
            initial_interval_ms: 500,
            backoff_coefficient: 3.0,
            maximum_interval_ms: 9_000,
            maximum_attempts: 2,
            non_retryable_error_types: vec!["Bad".into()],
        }),
        input: Some("Ada".into()),
        scenario: None,
    }
}

#[test]
fn a_recorded_run_fills_every_option_the_form_has() {
    let o = recorded();
    assert_eq!(o.language, Some(Language::Typescript));
    let (c, notes) = o.to_config(&ActivityConfig::default());
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(c.activity_id, "cli-run");
    assert_eq!(c.task_queue, "q");
    assert_eq!(c.input, "Ada");
    assert_eq!(
        (c.timeout_kind, c.timeout_ms),
        (TimeoutKind::StartToClose, 7_000)
    );
    assert_eq!(c.schedule_to_start_timeout_ms, Some(3_000));
    assert_eq!(c.retry, o.retry.unwrap());
}

#[test]
fn schedule_to_close_alone_is_recognised_and_what_cannot_be_carried_is_said() {
    let mut o = recorded();
    (o.schedule_to_close_ms, o.start_to_close_ms) = (Some(20_000), Some(20_000));
    let (c, _) = o.to_config(&ActivityConfig::default());
    assert_eq!(
        (c.timeout_kind, c.timeout_ms),
        (TimeoutKind::ScheduleToClose, 20_000)
    );
    o.start_to_close_ms = Some(5_000);
    o.input = None;
    o.activity_type = "Other".into();
    o.language = language_of("Other", Language::Go);
    let (c, notes) = o.to_config(&ActivityConfig::default());
    assert_eq!(
        (c.timeout_kind, c.timeout_ms),
        (TimeoutKind::StartToClose, 5_000)
    );
    assert_eq!(c.input, ActivityConfig::default().input);
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes[2].starts_with("Activity type \"Other\" "),
        "{notes:?}"
    );
    o.activity_type = "Ot\u{202e}her".into();
    let (_, notes) = o.to_config(&ActivityConfig::default());
    assert!(notes[2].contains(r#""Ot\u{202e}her""#), "{notes:?}");
}

#[test]
fn the_current_tab_wins_when_it_serves_the_type() {
    assert_eq!(
        language_of("ComposeGreeting", Language::Java),
        Some(Language::Java)
    );
    assert_eq!(
        language_of("ComposeGreeting", Language::Go),
        Some(Language::Dotnet)
    );
}
