//! The tracker against describe answers recorded from a real dev server
//! (`fixtures/*.json`: every long-poll answer of one run, in Temporal's JSON
//! form, stack traces trimmed). Each test asserts the exact log, including
//! which lines are inferred and which carry no time.

use proto::{AttemptPhase, EventKind, FailureInfo, RetryState, RunEvent};
use serde_json::Value;

use super::*;

mod operator;

/// Unix ms of an RFC 3339 UTC timestamp (`2026-11-30T15:36:34.140965527Z`).
fn ts(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    let (date, time) = s.trim_end_matches('Z').split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let ms: i64 = format!("{frac:0<3}")[..3].parse().ok()?;
    // Days since the epoch of a civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1_000 + ms)
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        _ => 63,
    };
    let bits: Vec<u8> = s.bytes().filter(|c| *c != b'=').map(val).collect();
    bits.chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |n, b| (n << 6) | u32::from(*b)) << (6 * (4 - c.len()));
            let bytes = n.to_be_bytes();
            bytes[1..c.len()].to_vec()
        })
        .collect()
}

fn payload_text(v: &Value) -> Option<String> {
    let data = v["payloads"][0]["data"].as_str()?;
    String::from_utf8(base64(data)).ok()
}

fn failure(v: &Value) -> Option<FailureInfo> {
    v.get("message")?;
    let timeout = v["timeoutFailureInfo"]["timeoutType"]
        .as_str()
        .and_then(|t| match t {
            "TIMEOUT_TYPE_START_TO_CLOSE" => timeout_type(1),
            "TIMEOUT_TYPE_SCHEDULE_TO_START" => timeout_type(2),
            "TIMEOUT_TYPE_SCHEDULE_TO_CLOSE" => timeout_type(3),
            "TIMEOUT_TYPE_HEARTBEAT" => timeout_type(4),
            _ => None,
        });
    Some(FailureInfo {
        message: v["message"].as_str()?.to_owned(),
        error_type: v["applicationFailureInfo"]["type"]
            .as_str()
            .map(str::to_owned),
        non_retryable: v["applicationFailureInfo"]["nonRetryable"] == true,
        timeout,
    })
}

fn snapshot(answer: &Value) -> Snapshot {
    let i = &answer["info"];
    let text = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
    let number = |k: &str| match &i[k] {
        Value::String(s) => s.parse().unwrap_or(0),
        v => v.as_u64().unwrap_or(0),
    };
    let o = &answer["outcome"];
    Snapshot {
        activity_id: text("activityId"),
        run_id: text("runId"),
        activity_type: i["activityType"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        task_queue: text("taskQueue"),
        status: match i["status"].as_str().unwrap_or_default() {
            "ACTIVITY_EXECUTION_STATUS_COMPLETED" => Status::Completed,
            "ACTIVITY_EXECUTION_STATUS_FAILED" => Status::Failed,
            "ACTIVITY_EXECUTION_STATUS_CANCELED" => Status::Canceled,
            "ACTIVITY_EXECUTION_STATUS_TERMINATED" => Status::Terminated,
            "ACTIVITY_EXECUTION_STATUS_TIMED_OUT" => Status::TimedOut,
            "ACTIVITY_EXECUTION_STATUS_PAUSED" => Status::Paused,
            _ => Status::Running,
        },
        run_state: match i["runState"].as_str().unwrap_or_default() {
            "PENDING_ACTIVITY_STATE_SCHEDULED" => RunState::Scheduled,
            "PENDING_ACTIVITY_STATE_STARTED" => RunState::Started,
            "PENDING_ACTIVITY_STATE_CANCEL_REQUESTED" => RunState::CancelRequested,
            "PENDING_ACTIVITY_STATE_PAUSE_REQUESTED" => RunState::PauseRequested,
            "PENDING_ACTIVITY_STATE_PAUSED" => RunState::Paused,
            _ => RunState::Other,
        },
        attempt: number("attempt") as u32,
        schedule_ms: ts(&i["scheduleTime"]),
        last_started_ms: ts(&i["lastStartedTime"]),
        last_attempt_complete_ms: ts(&i["lastAttemptCompleteTime"]),
        last_worker_identity: text("lastWorkerIdentity"),
        last_failure: failure(&i["lastFailure"]),
        next_attempt_ms: ts(&i["nextAttemptScheduleTime"]),
        current_retry_interval_ms: i["currentRetryInterval"]
            .as_str()
            .and_then(|d| d.trim_end_matches('s').parse::<f64>().ok())
            .map(|s| (s * 1_000.0).round() as u64),
        heartbeat_count: number("totalHeartbeatCount"),
        last_heartbeat_ms: ts(&i["lastHeartbeatTime"]),
        heartbeat_details: payload_text(&i["heartbeatDetails"]),
        close_ms: ts(&i["closeTime"]),
        outcome: if o["result"].is_object() {
            Some(Outcome::Result(payload_text(&o["result"])))
        } else {
            failure(&o["failure"]).map(Outcome::Failure)
        },
        retry_state: match o["retryState"].as_str().unwrap_or_default() {
            "RETRY_STATE_NON_RETRYABLE_FAILURE" => retry_state(2),
            "RETRY_STATE_TIMEOUT" => retry_state(3),
            "RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED" => retry_state(4),
            _ => None,
        },
        canceled_reason: text("canceledReason"),
        options: proto::RunOptionsNow {
            task_queue: text("taskQueue"),
            start_to_close_ms: duration(&i["startToCloseTimeout"]),
            schedule_to_close_ms: duration(&i["scheduleToCloseTimeout"]),
            schedule_to_start_ms: duration(&i["scheduleToStartTimeout"]),
            heartbeat_ms: duration(&i["heartbeatTimeout"]),
            retry: None,
        },
        start_delay_ms: duration(&i["startDelay"]),
        execution_ms: ts(&i["executionTime"]),
        scenario: None,
    }
}

/// Milliseconds of a proto JSON duration (`"1.5s"`); `None` for absent or zero.
fn duration(v: &Value) -> Option<u64> {
    let secs: f64 = v.as_str()?.strip_suffix('s')?.parse().ok()?;
    Some((secs * 1_000.0).round() as u64).filter(|ms| *ms > 0)
}

fn recording(name: &str) -> Vec<Snapshot> {
    // Cargo's runtime value: a binary another clone built has its path
    // compiled in.
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let path = format!("{dir}/src/tracker/fixtures/{name}.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let answers: Vec<Value> = serde_json::from_str(&text).expect("fixture JSON");
    answers.iter().map(snapshot).collect()
}

/// The log of `snaps` fed in order: `id` for a timed line, `id?` for a
/// reported line with no time, `id~` for an inferred one.
fn log(snaps: &[Snapshot]) -> (Vec<String>, Vec<RunEvent>) {
    let mut t = Tracker::default();
    let events: Vec<RunEvent> = snaps.iter().flat_map(|s| t.observe(s)).collect();
    assert!(t.is_done(), "the recording ends with a closed run");
    let ids = events
        .iter()
        .map(|e| match (e.inferred, e.at_ms) {
            (true, None) => format!("{}~", e.id),
            (false, None) => format!("{}?", e.id),
            (false, Some(_)) => e.id.clone(),
            (true, Some(_)) => panic!("an inferred line with a time: {e:?}"),
        })
        .collect();
    // Timed lines are in time order.
    let times: Vec<i64> = events.iter().filter_map(|e| e.at_ms).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    (ids, events)
}

fn last(events: &[RunEvent]) -> &EventKind {
    &events.last().expect("events").kind
}

#[test]
fn terminate_during_backoff_never_starts_the_next_attempt() {
    let (ids, events) = log(&recording("terminate_backoff"));
    assert_eq!(ids, ["scheduled", "a1-started", "a1-failed", "end"]);
    assert_eq!(
        *last(&events),
        EventKind::Terminated {
            attempt: 2,
            phase: AttemptPhase::Waiting,
            reason: Some("terminated in backoff".into()),
        }
    );
    // Attempt 1's failure time is Temporal's, not a computed one.
    let snaps = recording("terminate_backoff");
    assert_eq!(events[2].at_ms, snaps[2].last_attempt_complete_ms);
}

#[test]
fn terminate_during_backoff_seen_only_at_the_end() {
    // A process that first looks after the run closed (a restart).
    let snaps = recording("terminate_backoff");
    let (ids, events) = log(&snaps[3..]);
    assert_eq!(ids, ["scheduled", "a1-started", "a1-failed", "end"]);
    // Attempt 1's start, failure and Worker are still on record.
    assert!(matches!(
        &events[2].kind,
        EventKind::AttemptFailed { failure: Some(f), next_attempt_at_ms: None, .. }
            if f.message == "fail attempt 1"
    ));
}

#[test]
fn cancel_during_backoff() {
    let (ids, events) = log(&recording("cancel_backoff"));
    assert_eq!(
        ids,
        ["scheduled", "a1-started", "a1-failed", "cancel?", "end"]
    );
    assert_eq!(
        *last(&events),
        EventKind::Canceled {
            attempt: 2,
            phase: AttemptPhase::Waiting
        }
    );
}

#[test]
fn schedule_to_close_fires_while_the_next_attempt_waits() {
    let (ids, events) = log(&recording("s2c_waiting"));
    assert_eq!(ids, ["scheduled", "a1-started", "a1-failed", "end"]);
    assert!(matches!(
        last(&events),
        EventKind::TimedOut { attempt: 2, phase: AttemptPhase::Waiting, failure: Some(f), .. }
            if f.timeout == Some(proto::TimeoutType::ScheduleToClose)
    ));
}

#[test]
fn schedule_to_close_fires_while_an_attempt_runs() {
    let (ids, events) = log(&recording("s2c_running"));
    assert_eq!(
        ids,
        ["scheduled", "a1-started", "a1-failed", "a2-started", "end"]
    );
    assert!(matches!(
        last(&events),
        EventKind::TimedOut {
            attempt: 2,
            phase: AttemptPhase::Running,
            ..
        }
    ));
}

#[test]
fn a_long_poll_that_skipped_two_attempts() {
    // First answer, then the closed one: attempts 1 and 2 ran unseen.
    let snaps = recording("fail3max3");
    let (ids, events) = log(&[snaps[0].clone(), snaps[6].clone()]);
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started~",
            "a1-failed~",
            "a2-started~",
            // The last attempt's own failure replaced attempt 2's.
            "a2-failed~",
            "a3-started",
            "end"
        ]
    );
    assert_eq!(
        *last(&events),
        EventKind::Failed {
            attempt: 3,
            failure: events_failure(&snaps[6]),
            retry_state: Some(RetryState::MaximumAttemptsReached),
        }
    );
}

fn events_failure(s: &Snapshot) -> Option<FailureInfo> {
    s.outcome_failure()
}

#[test]
fn a_completion_keeps_the_failure_before_it() {
    // Seen only at the end: a success does not replace `last_failure`, so
    // attempt 2's failure is reported (untimed), attempt 1's inferred.
    let snaps = recording("fail2");
    let (ids, _) = log(&snaps[6..]);
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started~",
            "a1-failed~",
            "a2-started~",
            "a2-failed?",
            "a3-started",
            "end"
        ]
    );
    // Followed live, every line is reported with its time.
    let (ids, events) = log(&snaps);
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started",
            "a1-failed",
            "a2-started",
            "a2-failed",
            "a3-started",
            "end"
        ]
    );
    match &events[2].kind {
        EventKind::AttemptFailed {
            retry_in_ms,
            next_attempt_at_ms,
            ..
        } => {
            assert_eq!(*retry_in_ms, Some(1_000));
            assert_eq!(*next_attempt_at_ms, Some(events[2].at_ms.unwrap() + 1_000));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        *last(&events),
        EventKind::Completed {
            attempt: 3,
            result: Some("\"ok\"".into())
        }
    );
}

#[test]
fn a_close_with_no_outcome_invents_none() {
    let mut s = recording("terminate_running").pop().expect("closed");
    s.outcome = None;
    let (ids, events) = log(&[s]);
    assert_eq!(ids, ["scheduled", "a1-started", "hb-3", "end"]);
    assert_eq!(
        *last(&events),
        EventKind::Terminated {
            attempt: 1,
            phase: AttemptPhase::Running,
            reason: None
        }
    );
}

#[test]
fn heartbeats_and_cancel_while_running() {
    let (ids, _) = log(&recording("cancel_running"));
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started",
            "hb-1",
            "hb-2",
            "hb-3",
            "cancel?",
            "hb-4",
            "end"
        ]
    );
}

#[test]
fn a_crash_is_a_heartbeat_timeout_and_its_heartbeats_stay_with_attempt_one() {
    let snaps = recording("crash");
    let (ids, events) = log(&snaps);
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started",
            "hb-1",
            "hb-2",
            "a1-failed",
            "a2-started",
            "end"
        ]
    );
    assert!(matches!(
        &events[4].kind,
        EventKind::AttemptFailed { failure: Some(f), .. }
            if f.timeout == Some(proto::TimeoutType::Heartbeat)
    ));
    // Seen late (attempt 2 running): the heartbeats came before attempt 1
    // ended, so attempt 1 sent them; attempt 1's start time is gone.
    let (ids, events) = log(&snaps[5..]);
    assert_eq!(
        ids,
        [
            "scheduled",
            "a1-started~",
            "hb-2",
            "a1-failed",
            "a2-started",
            "end"
        ]
    );
    assert!(matches!(
        events[2].kind,
        EventKind::Heartbeat {
            attempt: Some(1),
            ..
        }
    ));
}

#[test]
fn schedule_to_start_timeout_never_started() {
    let (ids, events) = log(&recording("sched_to_start"));
    assert_eq!(ids, ["scheduled", "end"]);
    assert!(matches!(
        last(&events),
        EventKind::TimedOut {
            attempt: 1,
            phase: AttemptPhase::Waiting,
            ..
        }
    ));
}

#[test]
fn start_to_close_on_the_last_attempt_and_non_retryable() {
    let (ids, events) = log(&recording("stc_timeout_final"));
    assert_eq!(
        ids,
        ["scheduled", "a1-started", "a1-failed", "a2-started", "end"]
    );
    assert!(matches!(
        last(&events),
        EventKind::TimedOut {
            attempt: 2,
            phase: AttemptPhase::Running,
            retry_state: Some(RetryState::MaximumAttemptsReached),
            ..
        }
    ));
    let (ids, events) = log(&recording("nonretry"));
    assert_eq!(ids, ["scheduled", "a1-started", "end"]);
    assert!(matches!(
        last(&events),
        EventKind::Failed {
            retry_state: Some(RetryState::NonRetryableFailure),
            ..
        }
    ));
    let (ids, events) = log(&recording("s2c_backoff"));
    assert_eq!(ids, ["scheduled", "a1-started", "end"]);
    assert!(matches!(
        last(&events),
        EventKind::Failed {
            attempt: 1,
            retry_state: Some(RetryState::Timeout),
            ..
        }
    ));
}

#[test]
fn the_same_run_rebuilt_anywhere_has_the_same_ids() {
    // Followed live vs. first seen at each later point: every line a late
    // follower emits names a fact the live follower also reported.
    let snaps = recording("fail2");
    let (live, _) = log(&snaps);
    let live: Vec<String> = live
        .iter()
        .map(|i| i.trim_end_matches(['?', '~']).to_owned())
        .collect();
    for from in 0..snaps.len() {
        let (late, _) = log(&snaps[from..]);
        for id in late {
            assert!(
                live.contains(&id.trim_end_matches(['?', '~']).to_owned()),
                "{id}"
            );
        }
    }
}
