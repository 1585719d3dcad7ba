//! proto::json against serde: every wire type and every variant serde writes
//! is read back equal, what serde rejects is rejected, and serde reads the
//! request bodies written here back equal.

use super::{FromJson, Json, ToJson, decode};
use crate::api::RunRequest;
use crate::api::{ApiError, RunStarted, RunStatus, ServerInfo};
use crate::config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, RetryPolicy, TimeoutKind};
use crate::event::{AttemptPhase, EventKind, RunEvent, Source};
use crate::failure::{FailureInfo, RetryState, TimeoutType};
use crate::language::Language;
use crate::runs::{RunOptions, RunSummary, RunsPage, StatusCount};
use crate::scenario::FailureScenario;
use crate::validate::{Field, FieldError};

/// What serde writes for `value`, read back by [`decode`].
fn round_trip<T>(value: &T)
where
    T: serde::Serialize + FromJson + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serde writes it");
    let back: T = decode(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(&back, value, "{text}");
}

fn failure(timeout: Option<TimeoutType>) -> Option<FailureInfo> {
    Some(FailureInfo {
        message: "boom \"quoted\" \\ \n ✓ 𝄞".to_owned(),
        error_type: timeout.is_none().then(|| "SimFail".to_owned()),
        non_retryable: timeout.is_none(),
        timeout,
    })
}

/// One of every variant, with its options both set and unset.
fn every_kind() -> Vec<EventKind> {
    let phases = [
        AttemptPhase::Running,
        AttemptPhase::Waiting,
        AttemptPhase::Unknown,
    ];
    let mut kinds = vec![
        EventKind::StartRequested {
            address: "localhost:7233".into(),
            namespace: "default".into(),
            started: false,
        },
        EventKind::Scheduled {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "greet".into(),
            task_queue: "q".into(),
        },
        EventKind::AttemptStarted {
            attempt: 1,
            worker_identity: Some("w@host".into()),
        },
        EventKind::AttemptStarted {
            attempt: u32::MAX,
            worker_identity: None,
        },
        EventKind::WorkerExecuting { attempt: 2 },
        EventKind::WorkerReturned {
            attempt: 2,
            duration_ms: u64::MAX,
            error: Some("e".into()),
        },
        EventKind::WorkerReturned {
            attempt: 2,
            duration_ms: 0,
            error: None,
        },
        EventKind::Heartbeat {
            attempt: Some(1),
            count: 7,
            details: Some(r#"{"step":4,"of":10}"#.into()),
        },
        EventKind::Heartbeat {
            attempt: None,
            count: 0,
            details: None,
        },
        EventKind::WorkerOffline {
            task_queue: "q".into(),
            seconds: 5,
        },
        EventKind::WorkerOnline {
            task_queue: "q".into(),
        },
        EventKind::AttemptFailed {
            attempt: 1,
            failure: failure(None),
            next_attempt_at_ms: Some(1_764_000_000_123),
            retry_in_ms: Some(2000),
        },
        EventKind::AttemptFailed {
            attempt: 1,
            failure: None,
            next_attempt_at_ms: None,
            retry_in_ms: None,
        },
        EventKind::CancelRequested { reason: "".into() },
        EventKind::Completed {
            attempt: 3,
            result: Some(r#""Hello, World!""#.into()),
        },
        EventKind::Completed {
            attempt: 3,
            result: None,
        },
        EventKind::TemporalUnreachable {
            address: "a".into(),
            outage: 1,
        },
        EventKind::TemporalReachable {
            address: "a".into(),
            outage: 1,
        },
        EventKind::Lost {
            message: "gone".into(),
        },
    ];
    let states = [
        RetryState::MaximumAttemptsReached,
        RetryState::NonRetryableFailure,
        RetryState::Timeout,
        RetryState::RetryPolicyNotSet,
        RetryState::CancelRequested,
        RetryState::InternalServerError,
    ];
    for state in states {
        kinds.push(EventKind::Failed {
            attempt: 1,
            failure: failure(None),
            retry_state: Some(state),
        });
    }
    kinds.push(EventKind::Failed {
        attempt: 1,
        failure: None,
        retry_state: None,
    });
    let timeouts = [
        TimeoutType::StartToClose,
        TimeoutType::ScheduleToStart,
        TimeoutType::ScheduleToClose,
        TimeoutType::Heartbeat,
    ];
    for (phase, timeout) in phases.iter().cycle().zip(timeouts) {
        kinds.push(EventKind::TimedOut {
            attempt: 2,
            phase: *phase,
            failure: failure(Some(timeout)),
            retry_state: Some(RetryState::Timeout),
        });
    }
    for phase in phases {
        kinds.push(EventKind::Canceled { attempt: 1, phase });
        kinds.push(EventKind::Terminated {
            attempt: 1,
            phase,
            reason: Some("stop".into()),
        });
    }
    kinds.push(EventKind::TimedOut {
        attempt: 1,
        phase: AttemptPhase::Waiting,
        failure: None,
        retry_state: None,
    });
    kinds.push(EventKind::Terminated {
        attempt: 1,
        phase: AttemptPhase::Unknown,
        reason: None,
    });
    kinds
}

#[test]
fn every_event_variant_reads_back_as_serde_wrote_it() {
    let kinds = every_kind();
    for name in EventKind::NAMES {
        assert!(
            kinds.iter().any(|k| k.name() == name),
            "no sample of `{name}`: add one so its reader is tested"
        );
    }
    for (i, kind) in kinds.into_iter().enumerate() {
        let source = [Source::Client, Source::Server, Source::Worker][i % 3];
        let mut event = RunEvent::reported(source, Some(-5 + i as i64), kind.clone());
        round_trip(&event);
        event.at_ms = None;
        round_trip(&event);
        round_trip(&RunEvent::inferred(source, kind));
    }
}

#[test]
fn every_response_type_reads_back_as_serde_wrote_it() {
    round_trip(&ServerInfo {
        address: "a:1".into(),
        namespace: "n".into(),
        web_ui_url: Some("http://localhost:8233".into()),
    });
    round_trip(&ServerInfo {
        address: "a:1".into(),
        namespace: "n".into(),
        web_ui_url: None,
    });
    for (url, token) in [(None, None), (Some("u".into()), Some("t".into()))] {
        round_trip(&RunStarted {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: "greet".into(),
            started: true,
            web_ui_url: url,
            control_token: token,
        });
    }
    let fields = [
        Field::ActivityId,
        Field::TaskQueue,
        Field::Input,
        Field::Timeout,
        Field::ScheduleToStartTimeout,
        Field::HeartbeatTimeout,
        Field::InitialInterval,
        Field::BackoffCoefficient,
        Field::MaximumInterval,
        Field::MaximumAttempts,
        Field::NonRetryableErrorTypes,
        Field::FailAttempts,
        Field::ScenarioSeconds,
    ];
    round_trip(&ApiError {
        message: "bad".into(),
        code: "validation".into(),
        fields: fields
            .map(|field| FieldError {
                field,
                message: format!("{} is wrong", field.label()),
            })
            .to_vec(),
        existing_run_id: Some("r".into()),
    });
    round_trip(&ApiError {
        message: "gone".into(),
        code: "not_found".into(),
        fields: Vec::new(),
        existing_run_id: None,
    });
    let mut statuses = RunStatus::LISTED.to_vec();
    statuses.push(RunStatus::Unknown);
    round_trip(&RunsPage {
        runs: statuses
            .iter()
            .enumerate()
            .map(|(i, &status)| RunSummary {
                activity_id: format!("a{i}"),
                run_id: format!("r{i}"),
                activity_type: "greet".into(),
                task_queue: "q".into(),
                status,
                scheduled_ms: (i % 2 == 0).then_some(1_764_000_000_000),
                closed_ms: (i % 3 == 0).then_some(1_764_000_000_001),
                web_ui_url: (i % 2 == 1).then(|| "http://ui".into()),
            })
            .collect(),
        counts: statuses
            .iter()
            .map(|&status| StatusCount { status, count: 3 })
            .collect(),
        total: 21,
        next_page_token: Some("dG9rZW4=".into()),
        task_queues: vec!["q".into(), "other".into()],
    });
    round_trip(&RunsPage {
        runs: Vec::new(),
        counts: Vec::new(),
        total: 0,
        next_page_token: None,
        task_queues: Vec::new(),
    });
}

#[test]
fn run_options_read_back_with_every_language_and_scenario() {
    for (lang, scenario) in Language::ALL
        .into_iter()
        .cycle()
        .zip(FailureScenario::EVERY)
    {
        round_trip(&RunOptions {
            activity_id: "a".into(),
            run_id: "r".into(),
            activity_type: lang.activity_type().into(),
            language: Some(lang),
            task_queue: "q".into(),
            schedule_to_close_ms: Some(60_000),
            start_to_close_ms: Some(10_000),
            schedule_to_start_ms: Some(1),
            heartbeat_ms: Some(2),
            retry: Some(RetryPolicy {
                backoff_coefficient: 1.5,
                non_retryable_error_types: vec!["A".into(), "B".into()],
                ..RetryPolicy::default()
            }),
            input: Some("World".into()),
            scenario: Some(scenario),
        });
    }
    round_trip(&RunOptions {
        activity_id: "a".into(),
        run_id: "r".into(),
        activity_type: "x".into(),
        language: None,
        task_queue: "q".into(),
        schedule_to_close_ms: None,
        start_to_close_ms: None,
        schedule_to_start_ms: None,
        heartbeat_ms: None,
        retry: None,
        input: None,
        scenario: None,
    });
}

#[test]
fn defaults_unknown_fields_and_errors_follow_serde() {
    // A missing `#[serde(default)]` field takes its default; unknown fields
    // are ignored; `null` is `None`.
    let ev: RunEvent = decode(
        r#"{"id":"end","at_ms":null,"source":"server","type":"lost","message":"m","extra":[1,{"x":null}]}"#,
    )
    .expect("reads");
    assert_eq!(
        ev,
        RunEvent::reported(
            Source::Server,
            None,
            EventKind::Lost {
                message: "m".into()
            }
        )
    );
    let retry: RetryPolicy = decode(
        r#"{"initial_interval_ms":1,"backoff_coefficient":2,"maximum_interval_ms":3,"maximum_attempts":4}"#,
    )
    .expect("reads");
    assert!(retry.non_retryable_error_types.is_empty());
    assert_eq!(retry.backoff_coefficient, 2.0);

    // Errors name the path and what was wrong; serde_json rejects the same.
    let cases: [(&str, &str); 6] = [
        (
            r#"{"id":"x","source":"server","type":"completed"}"#,
            "completed.attempt: missing",
        ),
        (
            r#"{"id":"x","source":"server","type":"completed","attempt":-1}"#,
            "completed.attempt: expected an unsigned integer",
        ),
        (
            r#"{"id":"x","source":"server","type":"completed","attempt":4294967296}"#,
            "completed.attempt: out of range",
        ),
        (
            r#"{"id":"x","source":"moon","type":"lost","message":""}"#,
            "source: unknown variant `moon`",
        ),
        (
            r#"{"id":"x","source":"server","type":"exploded"}"#,
            "unknown variant `exploded`",
        ),
        (r#"{"id":"x","source":"server"}"#, "type: missing"),
    ];
    for (text, want) in cases {
        let err = decode::<RunEvent>(text).expect_err(text);
        assert!(err.contains(want), "{text}: {err}");
        assert!(
            serde_json::from_str::<RunEvent>(text).is_err(),
            "serde accepts {text}"
        );
    }
}

/// What [`ToJson`] writes, serde (the server) reads back equal, field for
/// field: the same names and shapes as serde's own output (numbers may be
/// spelled differently: `2` for serde's `2.0`).
fn written_for_serde<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + ToJson + PartialEq + std::fmt::Debug,
{
    let ours = value.to_json().to_compact();
    let back: T = serde_json::from_str(&ours).unwrap_or_else(|e| panic!("{ours}: {e}"));
    assert_eq!(&back, value, "{ours}");
    let keys = |text: &str| {
        let mut keys = Vec::new();
        fn walk(v: &serde_json::Value, path: String, keys: &mut Vec<String>) {
            if let Some(o) = v.as_object() {
                for (k, v) in o {
                    keys.push(format!("{path}.{k}"));
                    walk(v, format!("{path}.{k}"), keys);
                }
            }
        }
        walk(
            &serde_json::from_str(text).expect("json"),
            String::new(),
            &mut keys,
        );
        keys.sort();
        keys
    };
    let theirs = serde_json::to_string(value).expect("serde writes it");
    assert_eq!(keys(&ours), keys(&theirs), "{ours}\n{theirs}");
}

#[test]
fn run_requests_are_written_for_serde_to_read() {
    let policies = [
        (IdReusePolicy::AllowDuplicate, IdConflictPolicy::Fail),
        (
            IdReusePolicy::AllowDuplicateFailedOnly,
            IdConflictPolicy::UseExisting,
        ),
        (IdReusePolicy::RejectDuplicate, IdConflictPolicy::Fail),
    ];
    let coefficients = [2.0, 1.5, 1.0000001, 10.25, 100.0, 1e-7, 1e21];
    let mut cases = FailureScenario::EVERY
        .iter()
        .zip(Language::ALL.iter().cycle());
    for (i, (&(reuse, conflict), coefficient)) in
        policies.iter().cycle().zip(coefficients).enumerate()
    {
        let (&scenario, &language) = cases
            .next()
            .unwrap_or((&FailureScenario::None, &Language::Go));
        let config = ActivityConfig {
            activity_id: format!("id \"{i}\" \\ ✓\u{1}"),
            input: "Wörld\n\t".into(),
            timeout_kind: [TimeoutKind::StartToClose, TimeoutKind::ScheduleToClose][i % 2],
            schedule_to_start_timeout_ms: (i % 2 == 0).then_some(5_000),
            heartbeat_timeout_ms: (i % 3 == 0).then_some(u64::MAX),
            retry: RetryPolicy {
                backoff_coefficient: coefficient,
                maximum_attempts: i as u32,
                non_retryable_error_types: (0..i % 3).map(|n| format!("E{n}")).collect(),
                ..RetryPolicy::default()
            },
            id_reuse_policy: reuse,
            id_conflict_policy: conflict,
            ..ActivityConfig::default()
        };
        written_for_serde(&RunRequest {
            config,
            scenario,
            language,
        });
    }
    // Every scenario and language, not only those the loop reached.
    for (&scenario, &language) in FailureScenario::EVERY
        .iter()
        .zip(Language::ALL.iter().cycle())
    {
        written_for_serde(&RunRequest {
            config: ActivityConfig::default(),
            scenario,
            language,
        });
    }
    // A float JSON cannot hold is written as serde_json writes it: null.
    assert_eq!(f64::NAN.to_json(), Json::Null);
    assert_eq!(
        f64::INFINITY.to_json().to_compact(),
        serde_json::to_string(&f64::INFINITY).expect("serde")
    );
}
