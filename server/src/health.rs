//! Liveness and readiness probes, and the last-resort answer to a panic.

use std::any::Any;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// Set when the process was asked to stop: from then on `/readyz` answers 503
/// so balancers send new requests elsewhere while in-flight ones finish.
static DRAINING: AtomicBool = AtomicBool::new(false);

pub fn start_draining() {
    DRAINING.store(true, Ordering::SeqCst);
}

/// Can this instance serve traffic? PostgreSQL is required (503 without it).
/// Valkey down only degrades it (200, `"valkey": "down"`, `"degraded": true`):
/// every instance shares the one Valkey, so failing on it would take them all
/// out of the balancer at once, while pages, sign-in (sessions fail closed
/// with a clear message) and payments' webhooks still work on PostgreSQL.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let probe = Duration::from_secs(2);
    let (postgres, valkey) = tokio::join!(
        tokio::time::timeout(probe, sqlx::query("SELECT 1").execute(&state.db)),
        tokio::time::timeout(probe, state.valkey.ping()),
    );
    let postgres = matches!(postgres, Ok(Ok(_)));
    let valkey = matches!(valkey, Ok(Ok(_)));
    let draining = DRAINING.load(Ordering::SeqCst);
    let status = if postgres && !draining {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |up: bool| if up { "up" } else { "down" };
    (
        status,
        Json(json!({
            "postgres": word(postgres),
            "valkey": word(valkey),
            "degraded": !valkey,
            "draining": draining,
        })),
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
