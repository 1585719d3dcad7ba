//! [`ToJson`]: the app's two JSON bodies (a run request, its `localStorage`
//! entries) written with serde's names and shapes, so the app needs no serde
//! serializer either. The tests check that serde reads them back equal.

use super::Json;
use crate::api::RunRequest;
use crate::config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, RetryPolicy, TimeoutKind};
use crate::language::Language;
use crate::scenario::FailureScenario;

/// A type written as JSON that serde reads back as it.
pub trait ToJson {
    /// The value as a tree; [`Json::to_compact`] makes it text.
    fn to_json(&self) -> Json;
}

/// An object of `fields`, in order.
pub fn object(fields: impl IntoIterator<Item = (&'static str, Json)>) -> Json {
    Json::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::String(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::String(self.clone())
    }
}

impl ToJson for u64 {
    fn to_json(&self) -> Json {
        Json::Number(self.to_string())
    }
}

impl ToJson for u32 {
    fn to_json(&self) -> Json {
        Json::Number(self.to_string())
    }
}

/// A float the way JSON can hold it: `null` when it is not finite (as serde_json writes it).
impl ToJson for f64 {
    fn to_json(&self) -> Json {
        if self.is_finite() {
            Json::Number(crate::decimal::shortest(*self))
        } else {
            Json::Null
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl ToJson for Language {
    fn to_json(&self) -> Json {
        self.slug().to_json()
    }
}

impl ToJson for TimeoutKind {
    fn to_json(&self) -> Json {
        self.slug().to_json()
    }
}

impl ToJson for IdReusePolicy {
    fn to_json(&self) -> Json {
        match self {
            IdReusePolicy::AllowDuplicate => "allow_duplicate",
            IdReusePolicy::AllowDuplicateFailedOnly => "allow_duplicate_failed_only",
            IdReusePolicy::RejectDuplicate => "reject_duplicate",
        }
        .to_json()
    }
}

impl ToJson for IdConflictPolicy {
    fn to_json(&self) -> Json {
        match self {
            IdConflictPolicy::Fail => "fail",
            IdConflictPolicy::UseExisting => "use_existing",
        }
        .to_json()
    }
}

impl ToJson for FailureScenario {
    fn to_json(&self) -> Json {
        let kind = |k: &str| ("kind", k.to_json());
        match *self {
            FailureScenario::None => object([kind("none")]),
            FailureScenario::FailFirst { attempts } => {
                object([kind("fail_first"), ("attempts", attempts.to_json())])
            }
            FailureScenario::NonRetryable => object([kind("non_retryable")]),
            FailureScenario::TooSlow { attempts } => {
                object([kind("too_slow"), ("attempts", attempts.to_json())])
            }
            FailureScenario::LongRunning { seconds } => {
                object([kind("long_running"), ("seconds", seconds.to_json())])
            }
            FailureScenario::Crash { attempts } => {
                object([kind("crash"), ("attempts", attempts.to_json())])
            }
            FailureScenario::Outage { seconds } => {
                object([kind("outage"), ("seconds", seconds.to_json())])
            }
        }
    }
}

impl ToJson for RetryPolicy {
    fn to_json(&self) -> Json {
        object([
            ("initial_interval_ms", self.initial_interval_ms.to_json()),
            ("backoff_coefficient", self.backoff_coefficient.to_json()),
            ("maximum_interval_ms", self.maximum_interval_ms.to_json()),
            ("maximum_attempts", self.maximum_attempts.to_json()),
            (
                "non_retryable_error_types",
                self.non_retryable_error_types.to_json(),
            ),
        ])
    }
}

impl ToJson for ActivityConfig {
    fn to_json(&self) -> Json {
        object([
            ("activity_id", self.activity_id.to_json()),
            ("task_queue", self.task_queue.to_json()),
            ("input", self.input.to_json()),
            ("timeout_kind", self.timeout_kind.to_json()),
            ("timeout_ms", self.timeout_ms.to_json()),
            (
                "schedule_to_start_timeout_ms",
                self.schedule_to_start_timeout_ms.to_json(),
            ),
            ("heartbeat_timeout_ms", self.heartbeat_timeout_ms.to_json()),
            ("retry", self.retry.to_json()),
            ("id_reuse_policy", self.id_reuse_policy.to_json()),
            ("id_conflict_policy", self.id_conflict_policy.to_json()),
        ])
    }
}

impl ToJson for RunRequest {
    fn to_json(&self) -> Json {
        object([
            ("config", self.config.to_json()),
            ("scenario", self.scenario.to_json()),
            ("language", self.language.to_json()),
        ])
    }
}
