//! [`FromJson`]: reading a type from a [`Json`] tree by the rules serde's
//! derives write it with (`snake_case` names, a missing `Option` field is
//! `None`, a `#[serde(default)]` field its default, unknown fields ignored,
//! internally tagged enums by their tag), for the scalars and the unit
//! enums; the structs and data enums are in `wire`. Every error names the
//! path to the field.

use super::Json;
use crate::api::RunStatus;
use crate::event::{AttemptPhase, Source};
use crate::failure::{RetryState, TimeoutType};
use crate::language::Language;
use crate::validate::Field;

/// A type read from JSON as serde writes it.
pub trait FromJson: Sized {
    /// Reads `v`; the error says what was expected where.
    fn from_json(v: &Json) -> Result<Self, String>;
}

/// One object's fields, read one by one.
pub struct Fields<'a>(&'a Json);

impl<'a> Fields<'a> {
    /// `v`, when it is an object.
    pub fn new(v: &'a Json) -> Result<Fields<'a>, String> {
        match v {
            Json::Object(_) => Ok(Fields(v)),
            _ => Err("expected an object".to_owned()),
        }
    }

    /// A field that must be there.
    pub fn req<T: FromJson>(&self, key: &str) -> Result<T, String> {
        match self.0.get(key) {
            Some(v) => T::from_json(v).map_err(|e| format!("{key}: {e}")),
            None => Err(format!("{key}: missing")),
        }
    }

    /// An `Option` field: absent or `null` is `None`.
    pub fn opt<T: FromJson>(&self, key: &str) -> Result<Option<T>, String> {
        match self.0.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => T::from_json(v).map(Some).map_err(|e| format!("{key}: {e}")),
        }
    }

    /// A `#[serde(default)]` field (absent or `null`: the default).
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, String> {
        Ok(self.opt(key)?.unwrap_or_default())
    }

    /// The tag of an internally tagged enum.
    pub fn tag(&self, key: &str) -> Result<&'a str, String> {
        self.0
            .get(key)
            .and_then(Json::as_str)
            .ok_or_else(|| format!("{key}: missing"))
    }
}

/// A unit variant by its name in `table`.
fn named<T: Copy>(v: &Json, table: &[(&str, T)]) -> Result<T, String> {
    let name = v.as_str().ok_or("expected a string")?;
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("unknown variant `{name}`"))
}

/// The error for a tag no variant has.
pub(super) fn unknown_tag(tag: &str) -> String {
    format!("unknown variant `{tag}`")
}

impl FromJson for String {
    fn from_json(v: &Json) -> Result<Self, String> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| "expected a string".to_owned())
    }
}

impl FromJson for bool {
    fn from_json(v: &Json) -> Result<Self, String> {
        match v {
            Json::Bool(b) => Ok(*b),
            _ => Err("expected a boolean".to_owned()),
        }
    }
}

impl FromJson for u64 {
    fn from_json(v: &Json) -> Result<Self, String> {
        v.as_u64()
            .ok_or_else(|| "expected an unsigned integer".to_owned())
    }
}

impl FromJson for u32 {
    fn from_json(v: &Json) -> Result<Self, String> {
        u32::try_from(u64::from_json(v)?).map_err(|_| "out of range".to_owned())
    }
}

impl FromJson for i64 {
    fn from_json(v: &Json) -> Result<Self, String> {
        v.as_i64().ok_or_else(|| "expected an integer".to_owned())
    }
}

impl FromJson for f64 {
    fn from_json(v: &Json) -> Result<Self, String> {
        v.as_f64().ok_or_else(|| "expected a number".to_owned())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Json) -> Result<Self, String> {
        match v {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item).map_err(|e| format!("[{i}]: {e}")))
                .collect(),
            _ => Err("expected an array".to_owned()),
        }
    }
}

impl FromJson for Json {
    fn from_json(v: &Json) -> Result<Self, String> {
        Ok(v.clone())
    }
}

impl FromJson for Source {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(
            v,
            &[
                ("client", Source::Client),
                ("server", Source::Server),
                ("worker", Source::Worker),
            ],
        )
    }
}

impl FromJson for AttemptPhase {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(
            v,
            &[
                ("running", AttemptPhase::Running),
                ("waiting", AttemptPhase::Waiting),
                ("unknown", AttemptPhase::Unknown),
            ],
        )
    }
}

impl FromJson for TimeoutType {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(
            v,
            &[
                ("start_to_close", TimeoutType::StartToClose),
                ("schedule_to_start", TimeoutType::ScheduleToStart),
                ("schedule_to_close", TimeoutType::ScheduleToClose),
                ("heartbeat", TimeoutType::Heartbeat),
            ],
        )
    }
}

impl FromJson for RetryState {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(
            v,
            &[
                (
                    "maximum_attempts_reached",
                    RetryState::MaximumAttemptsReached,
                ),
                ("non_retryable_failure", RetryState::NonRetryableFailure),
                ("timeout", RetryState::Timeout),
                ("retry_policy_not_set", RetryState::RetryPolicyNotSet),
                ("cancel_requested", RetryState::CancelRequested),
                ("internal_server_error", RetryState::InternalServerError),
            ],
        )
    }
}

impl FromJson for RunStatus {
    fn from_json(v: &Json) -> Result<Self, String> {
        let [a, b, c, d, e, f] = RunStatus::LISTED.map(|s| (s.slug(), s));
        named(v, &[a, b, c, d, e, f, ("unknown", RunStatus::Unknown)])
    }
}

impl FromJson for Language {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(v, &Language::ALL.map(|l| (l.slug(), l)))
    }
}

impl FromJson for Field {
    fn from_json(v: &Json) -> Result<Self, String> {
        named(
            v,
            &[
                ("activity_id", Field::ActivityId),
                ("task_queue", Field::TaskQueue),
                ("input", Field::Input),
                ("timeout", Field::Timeout),
                ("schedule_to_start_timeout", Field::ScheduleToStartTimeout),
                ("heartbeat_timeout", Field::HeartbeatTimeout),
                ("initial_interval", Field::InitialInterval),
                ("backoff_coefficient", Field::BackoffCoefficient),
                ("maximum_interval", Field::MaximumInterval),
                ("maximum_attempts", Field::MaximumAttempts),
                ("non_retryable_error_types", Field::NonRetryableErrorTypes),
                ("fail_attempts", Field::FailAttempts),
                ("scenario_seconds", Field::ScenarioSeconds),
            ],
        )
    }
}
