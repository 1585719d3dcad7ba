//! The Runs list, from Temporal's own record: one page of the runs on the
//! demo's task queues (or of the runs a browser names as its own), a count
//! per status, each with its Web UI link when the demo knows the UI; and
//! what a listed run was started with, for "Start like this one". Nothing
//! here is kept by the demo: every answer is Temporal's.

use proto::runs::language_of;
use proto::{Language, RunOptions, RunSummary, RunsPage, RunsQuery, StatusCount};

use crate::AppState;
use crate::error::AppError;
use crate::gateway::{GatewayError, list_query, scope_query};
use crate::runs::RunKey;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes [`hex`]; the query's validation already checked the digits.
fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

impl AppState {
    /// One page of the runs `q` asks for, newest first, with the counts of
    /// its scope.
    pub async fn list_runs(&self, q: &RunsQuery) -> Result<RunsPage, AppError> {
        let mut queues = self.workers.served();
        if let Some(extra) = &q.task_queue
            && !queues.contains(extra)
        {
            queues.push(extra.clone());
        }
        let token = q.page_token.as_deref().map(unhex).unwrap_or_default();
        let scope = scope_query(q, &queues);
        let (page, counts) = tokio::join!(
            self.gateway
                .list(list_query(q, &queues), q.page_size, token),
            self.gateway.count_by_status(&scope),
        );
        let (listed, next) = match page {
            Ok(page) => page,
            // The one value only Temporal can judge is a page token: one it
            // never gave fails the call with a code that may also mean a
            // transport error, so ask whether Temporal answers at all.
            Err(e) if q.page_token.is_some() && !matches!(e, GatewayError::NotFound(_)) => {
                return Err(match self.gateway.check().await {
                    Ok(()) => AppError::BadRequest(
                        "page_token: Temporal refused it; start again from the first page"
                            .to_owned(),
                    ),
                    Err(_) => e.into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        let (total, groups) = counts?;
        Ok(RunsPage {
            runs: listed
                .into_iter()
                .map(|r| RunSummary {
                    web_ui_url: self.web_ui_link(&r.activity_id, &r.run_id),
                    ..r
                })
                .collect(),
            counts: groups
                .into_iter()
                .map(|(status, count)| StatusCount { status, count })
                .collect(),
            total,
            next_page_token: (!next.is_empty()).then(|| hex(&next)),
            task_queues: if q.run_ids.is_empty() {
                queues
            } else {
                Vec::new()
            },
        })
    }

    /// What Temporal recorded `key` was started with; the input only when
    /// `with_input` (a public demo shows it to the run's starter alone).
    pub async fn run_options(
        &self,
        key: &RunKey,
        with_input: bool,
    ) -> Result<RunOptions, AppError> {
        if key.activity_id.is_empty() || key.run_id.is_empty() {
            return Err(AppError::NotFound(
                "a run needs both an activity id and a run id".to_owned(),
            ));
        }
        let mut options = self
            .gateway
            .recorded_options(&key.activity_id, &key.run_id)
            .await
            .map_err(|e| match e {
                GatewayError::NotFound(_) => AppError::NotFound(format!(
                    "no activity {} with run {}",
                    key.activity_id, key.run_id
                )),
                e => e.into(),
            })?;
        options.language = language_of(&options.activity_type, Language::default());
        if !with_input {
            options.input = None;
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip() {
        let token = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex(&token), "0001abff");
        assert_eq!(unhex(&hex(&token)), token);
    }
}
