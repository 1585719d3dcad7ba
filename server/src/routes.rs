//! Every HTTP route, registered in one place, and their handlers.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use proto::code::{Target, cli_command, sdk_snippet};
use proto::{CodeRequest, CodeResponse, RunRequest, RunStarted, ServerInfo, validate::validate};
use serde::Deserialize;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::AppError;
use crate::gateway::Stop;
use crate::runs::RunKey;
use crate::sse;
use crate::static_files;

/// The whole application: JSON API, SSE, probes and the UI bundle.
pub fn router(state: AppState) -> Router {
    let static_dir = state.static_dir.clone();
    Router::new()
        .route("/api/info", get(info))
        .route("/api/runs", post(start_run))
        .route("/api/code", post(code))
        .route("/api/runs/{activity_id}/{run_id}/events", get(events))
        .route("/api/runs/{activity_id}/{run_id}/{action}", post(stop))
        .route("/api/{*rest}", any(api_not_found))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .fallback_service(static_files::service(&static_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn info(State(state): State<AppState>) -> Json<ServerInfo> {
    Json(state.info.clone())
}

async fn start_run(
    State(state): State<AppState>,
    body: Result<Json<RunRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<RunStarted>), AppError> {
    let Json(req) = body?;
    validate(&req).map_err(AppError::Validation)?;
    let started = state.start(&req).await?;
    Ok((StatusCode::CREATED, Json(started)))
}

/// The exact code the page shows for a form state, for tests and tools.
async fn code(
    State(state): State<AppState>,
    body: Result<Json<CodeRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<CodeResponse>, AppError> {
    let Json(req) = body?;
    let target = Target {
        address: state.info.address.clone(),
        namespace: state.info.namespace.clone(),
    };
    Ok(Json(CodeResponse {
        sdk: sdk_snippet(req.language, &req.config, &target),
        cli: cli_command(req.language, &req.config, &target),
    }))
}

#[derive(Deserialize)]
struct After {
    after: Option<u64>,
}

async fn events(
    State(state): State<AppState>,
    Path((activity_id, run_id)): Path<(String, String)>,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    // A reconnecting EventSource says where it stopped; that wins.
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or(q.after)
        .unwrap_or(0);
    let run = state
        .follow(RunKey {
            activity_id,
            run_id,
        })
        .await?;
    Ok(sse::stream(run, after))
}

#[derive(Deserialize, Default)]
struct Reason {
    reason: Option<String>,
}

/// `POST /api/runs/{activity_id}/{run_id}/{cancel|terminate}`, with an
/// optional `{"reason": ".."}` body.
async fn stop(
    State(state): State<AppState>,
    Path((activity_id, run_id, action)): Path<(String, String, String)>,
    body: Option<Json<Reason>>,
) -> Result<StatusCode, AppError> {
    let how = Stop::from_action(&action)
        .ok_or_else(|| AppError::NotFound(format!("no run action {action:?}")))?;
    let reason = body
        .and_then(|Json(r)| r.reason)
        .unwrap_or_else(|| format!("{action} from the demo page"));
    state
        .gateway
        .stop(&activity_id, &run_id, how, &reason)
        .await?;
    Ok(StatusCode::ACCEPTED)
}

async fn api_not_found() -> AppError {
    AppError::NotFound("no such API endpoint".to_owned())
}

async fn ready(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.gateway.check().await?;
    if !state.workers.polling() {
        return Err(AppError::Unavailable(
            "the Worker is not polling".to_owned(),
        ));
    }
    Ok("ready")
}
