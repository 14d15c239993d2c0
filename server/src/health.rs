//! Liveness and readiness probes, and the last-resort answer to a panic.

use std::any::Any;
use std::time::Duration;

use app::backend::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode};
use serde_json::{Value, json};

/// The process is up and serving.
pub async fn healthz() -> &'static str {
    "ok"
}

/// PostgreSQL and Valkey are both reachable: 200, otherwise 503 naming which one is not.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let probe = Duration::from_secs(2);
    let postgres = tokio::time::timeout(probe, sqlx::query("SELECT 1").execute(&state.db))
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false);
    let valkey = tokio::time::timeout(probe, state.cache.ping())
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false);
    let status = if postgres && valkey {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |up: bool| if up { "up" } else { "down" };
    (
        status,
        Json(json!({ "postgres": word(postgres), "valkey": word(valkey) })),
    )
}

/// A panic is a bug: log it and answer a plain page, never the panic text.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    crate::error_status::plain_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side",
        "Please try again in a moment.",
    )
}
