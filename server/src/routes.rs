//! Every HTTP route, registered in one place, and their handlers (the run
//! actions' in `actions`). Handlers only parse and answer; the run service
//! does the work. Every error, on
//! every route (bad JSON, unknown API path, wrong method), is the same JSON
//! `ApiError`.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use codegen::{
    Snippet, Target, cli_command_with, cli_workflow_command_with, sdk_snippet_with,
    sdk_snippet_with_operator_calls, sdk_workflow_snippet_with,
};
use proto::api::RunAs;
use proto::runs::RunsParams;
use proto::{
    ActivityConfig, CodeRequest, CodeResponse, CommandsFor, Cursor, FailureScenario, Language,
    Limits, RunCommand, RunOptions, RunRequest, RunStarted, RunsPage, RunsQuery, ServerInfo,
    validate::validate,
};
use serde::Deserialize;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::AppError;
use crate::hosting::{self, Guard};
use crate::runs::RunKey;
use crate::sse;
use crate::static_files;

mod actions;

pub use actions::CONTROL_TOKEN_HEADER;

/// The whole application: JSON API, SSE, probes and the UI bundle, behind
/// the hosting policy `guard` (limits, tokens) and the security headers.
pub fn router(state: AppState, guard: Arc<Guard>, frame_ancestors: &str) -> Router {
    let static_dir = state.static_dir.clone();
    let routes = Router::new()
        .route("/api/info", get(info))
        .route("/api/runs", post(start_run).get(list_runs))
        .route("/api/code", post(code))
        .route("/api/runs/{activity_id}/{run_id}/events", get(events))
        .route(
            "/api/workflows/{workflow_id}/{run_id}/events",
            get(workflow_events),
        )
        .route(
            "/api/workflows/{workflow_id}/{run_id}/{action}",
            post(actions::workflow_action),
        )
        .route("/api/runs/{activity_id}/{run_id}/options", get(run_options))
        .route(
            "/api/runs/{activity_id}/{run_id}/{action}",
            post(actions::run_action),
        )
        .route("/api/{*rest}", any(api_not_found))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(static_files::service(&static_dir))
        .layer(Extension(Arc::clone(&guard)));
    let limited = routes.layer(axum::middleware::from_fn_with_state(
        guard,
        hosting::limits::enforce,
    ));
    hosting::headers::protect(limited, frame_ancestors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A Worker process's routes (`--role worker`): its probes, and the same
/// JSON 404 and 405 for anything else.
pub fn probes(state: AppState, frame_ancestors: &str) -> Router {
    let routes = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_served);
    hosting::headers::protect(routes, frame_ancestors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_served() -> AppError {
    AppError::NotFound("this process runs the demo's Workers only (--role worker)".to_owned())
}

async fn info(State(state): State<AppState>) -> Json<ServerInfo> {
    Json(state.info.clone())
}

async fn start_run(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    body: Result<Json<RunRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<RunStarted>), AppError> {
    let Json(req) = body?;
    validate(&req).map_err(AppError::Validation)?;
    let mut started = state.start(&req).await?;
    // A run handed back by UseExisting is someone else's: no token for it.
    if started.started {
        started.control_token = Some(guard.tokens.sign(
            &state.info.namespace,
            &started.activity_id,
            &started.run_id,
        ));
    }
    Ok((StatusCode::CREATED, Json(started)))
}

/// The exact code the page shows for a form state, for tests and tools;
/// validated exactly as a start would be.
async fn code(
    State(state): State<AppState>,
    body: Result<Json<CodeRequest>, JsonRejection>,
) -> Result<Json<CodeResponse>, AppError> {
    let Json(req) = body?;
    validate(&RunRequest {
        config: req.config.clone(),
        scenario: req.scenario,
        language: req.language,
        run_as: req.run_as,
    })
    .map_err(AppError::Validation)?;
    let target = Target {
        address: state.info.address.clone(),
        namespace: state.info.namespace.clone(),
    };
    // From a Workflow: the Workflow program and `temporal workflow` commands
    // (the operator calls are a Standalone handle's).
    type Generator = fn(Language, &ActivityConfig, FailureScenario, &Target) -> Snippet;
    let (sdk, cli): (Generator, Generator) = match req.run_as {
        RunAs::Workflow => (sdk_workflow_snippet_with, cli_workflow_command_with),
        RunAs::Standalone if req.operator_calls => {
            (sdk_snippet_with_operator_calls, cli_command_with)
        }
        RunAs::Standalone => (sdk_snippet_with, cli_command_with),
    };
    let commands = match &req.commands_for {
        Some(run) => run_commands(run, &target)?,
        None => Vec::new(),
    };
    Ok(Json(CodeResponse {
        sdk: sdk(req.language, &req.config, req.scenario, &target),
        cli: cli(req.language, &req.config, req.scenario, &target),
        commands,
    }))
}

/// The `temporal activity` operator commands for `run`, as the CLI panel
/// shows them.
fn run_commands(run: &CommandsFor, target: &Target) -> Result<Vec<RunCommand>, AppError> {
    for (what, id) in [("activity_id", &run.activity_id), ("run_id", &run.run_id)] {
        let chars = id.chars().count();
        if id.trim().is_empty() || chars > Limits::MAX_NAME_CHARS {
            return Err(AppError::BadRequest(format!(
                "commands_for.{what}: must be 1 to {} characters",
                Limits::MAX_NAME_CHARS
            )));
        }
    }
    if !run.update.is_empty() {
        run.update.validate().map_err(AppError::Validation)?;
    }
    Ok(codegen::run_commands(
        target,
        &run.activity_id,
        &run.run_id,
        &run.update,
    ))
}

/// `GET /api/runs?status=&ids=&queue=&page_token=&page_size=`: one page of
/// the runs Temporal lists, newest first, with a count per status.
async fn list_runs(
    State(state): State<AppState>,
    query: Result<Query<RunsParams>, QueryRejection>,
) -> Result<Json<RunsPage>, AppError> {
    let Query(params) = query?;
    let q = RunsQuery::parse(&params).map_err(AppError::BadRequest)?;
    Ok(Json(state.list_runs(&q).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Token {
    /// The run's control token: in public mode, the input is shown only to
    /// the client that has it.
    token: Option<String>,
}

/// `GET /api/runs/{activity_id}/{run_id}/options`: what Temporal recorded
/// the run was started with.
async fn run_options(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Token>, QueryRejection>,
) -> Result<Json<RunOptions>, AppError> {
    let Path((activity_id, run_id)) = path?;
    let Query(q) = query?;
    let key = RunKey {
        activity_id,
        run_id,
    };
    let with_input = guard.may_control(&state.info.namespace, &key, q.token.as_deref());
    Ok(Json(state.run_options(&key, with_input).await?))
}

#[derive(Deserialize)]
struct After {
    /// Where to resume, for a client that is not an `EventSource` reconnect.
    after: Option<String>,
    /// The run's control token: in public mode, the payloads are streamed
    /// only to the client that has it.
    token: Option<String>,
}

fn parse_cursor(text: &str, what: &str) -> Result<Cursor, AppError> {
    text.trim()
        .parse()
        .map_err(|e| AppError::BadRequest(format!("{what}: {e}")))
}

async fn events(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<After>, QueryRejection>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    stream_of(state, guard, path, query, headers, false).await
}

/// A run from a Workflow: the same stream, fed from its Event History.
async fn workflow_events(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<After>, QueryRejection>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    stream_of(state, guard, path, query, headers, true).await
}

async fn stream_of(
    state: AppState,
    guard: Arc<Guard>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<After>, QueryRejection>,
    headers: HeaderMap,
    workflow: bool,
) -> Result<impl IntoResponse + use<>, AppError> {
    let Path((activity_id, run_id)) = path?;
    let Query(q) = query?;
    // A reconnecting EventSource says where it stopped; that wins.
    let cursor = match headers.get("last-event-id") {
        Some(v) => parse_cursor(
            v.to_str()
                .map_err(|_| AppError::BadRequest("Last-Event-ID: not text".to_owned()))?,
            "Last-Event-ID",
        )?,
        None => match q.after.as_deref() {
            Some(a) => parse_cursor(a, "after")?,
            None => Cursor::default(),
        },
    };
    let key = RunKey {
        activity_id,
        run_id,
    };
    let redact = !guard.may_control(&state.info.namespace, &key, q.token.as_deref());
    let run = if workflow {
        state.follow_workflow(key).await?
    } else {
        state.follow(key).await?
    };
    Ok(sse::stream(run, cursor, redact))
}

async fn api_not_found() -> AppError {
    AppError::NotFound("no such API endpoint".to_owned())
}

async fn method_not_allowed(method: Method) -> AppError {
    AppError::MethodNotAllowed(method.to_string())
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
