//! The configurations both snapshot suites (`snapshots.rs` and
//! `workflow_snapshots.rs`) render, so the Standalone and Workflow
//! programs are reviewed at the same settings.

use proto::{ActivityConfig, IdConflictPolicy, IdReusePolicy, RetryPolicy, TimeoutKind};

/// Every optional field set, nothing at its default.
pub fn everything() -> ActivityConfig {
    ActivityConfig {
        activity_id: "order-42".to_owned(),
        task_queue: "payments".to_owned(),
        input: "Ada".to_owned(),
        timeout_kind: TimeoutKind::ScheduleToClose,
        timeout_ms: 90_000,
        schedule_to_start_timeout_ms: Some(5_000),
        heartbeat_timeout_ms: Some(1_500),
        retry: RetryPolicy {
            initial_interval_ms: 500,
            backoff_coefficient: 1.5,
            maximum_interval_ms: 20_000,
            maximum_attempts: 6,
            non_retryable_error_types: vec!["ValidationError".to_owned(), "Fatal".to_owned()],
        },
        id_reuse_policy: IdReusePolicy::RejectDuplicate,
        id_conflict_policy: IdConflictPolicy::UseExisting,
        start_delay_ms: Some(2_500),
    }
}
