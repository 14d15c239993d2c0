//! Prometheus metrics: the recorder (one per process), the layer that counts
//! HTTP requests by route and status, and the `/metrics` answer. The shop's own
//! numbers are named and recorded in `app::backend::metrics`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use app::backend::AppState;
use app::backend::metrics::{
    DB_POOL, DB_POOL_MAX, OUTBOX_BACKLOG, OUTBOX_FAILED, OVERDUE_HOLDS, QUEUE_ADMITTED,
    QUEUE_WAITING, SWEEPER_LAG,
};
use app::backend::valkey::Valkey;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_DURATION: &str = "http_request_duration_seconds";

/// Upper bounds of the latency histogram's buckets, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use. Its upkeep (draining
/// histogram samples into their buckets) runs on a thread of its own, so
/// memory stays bounded even when nothing scrapes.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), LATENCY_BUCKETS)
            .expect("latency buckets are not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed");
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                }
            })
            .expect("a thread for metrics upkeep");
        handle
    })
}

/// Counts and times every request by method, route (the matched pattern, never
/// the raw path, so ids do not multiply the series) and status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = route_of(&request).to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    histogram!(HTTP_DURATION, "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    counter!(HTTP_REQUESTS, "method" => method, "route" => route, "status" => status).increment(1);
    response
}

/// The request's route pattern (`/events/{id}`), or `fallback` for static
/// files and the 404 page: the label of its metrics and its log span.
pub fn route_of<B>(request: &axum::http::Request<B>) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or("fallback", |path| path.as_str())
}

/// `GET /metrics`: the gauges read now (at most a second each for PostgreSQL
/// and Valkey), then everything in Prometheus's text format.
pub async fn serve_metrics(State(state): State<AppState>) -> impl IntoResponse {
    sample(&state.db, &state.valkey, Duration::from_secs(1)).await;
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle().render(),
    )
}

/// `METRICS_TOKEN`, compared in constant time.
#[derive(Clone)]
pub struct BearerToken(std::sync::Arc<[u8; 32]>);

impl BearerToken {
    pub fn new(token: &str) -> Self {
        Self(std::sync::Arc::new(Sha256::digest(token.as_bytes()).into()))
    }

    fn admits(&self, header: Option<&str>) -> bool {
        let Some(given) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
            return false;
        };
        // Digests of equal length: comparing them leaks nothing of the token.
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        given
            .iter()
            .zip(self.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// Lets through only requests bearing the metrics token (401 otherwise).
pub async fn require_bearer(
    State(token): State<BearerToken>,
    request: Request,
    next: Next,
) -> Response {
    let header = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if token.admits(header) {
        next.run(request).await
    } else {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
            "Metrics need METRICS_TOKEN as a bearer token.",
        )
            .into_response()
    }
}

/// The router of `METRICS_ADDR`'s own listener: `/metrics` and nothing else.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(serve_metrics))
        .with_state(state)
}

/// Reads the gauges (a scrape's worth): the pool at once, the backlogs from
/// PostgreSQL and the queues from Valkey, each given `within` and skipped when
/// its service does not answer in time (a scrape must not hang on an outage).
pub async fn sample(db: &PgPool, valkey: &Valkey, within: Duration) {
    let idle = db.num_idle() as f64;
    gauge!(DB_POOL, "state" => "idle").set(idle);
    gauge!(DB_POOL, "state" => "in_use").set(f64::from(db.size()) - idle);
    gauge!(DB_POOL_MAX).set(f64::from(db.options().get_max_connections()));

    match tokio::time::timeout(within, app::backend::db::stats::backlog(db)).await {
        Ok(Ok(backlog)) => {
            gauge!(OVERDUE_HOLDS).set(backlog.overdue_holds as f64);
            gauge!(SWEEPER_LAG).set(backlog.oldest_overdue_secs);
            gauge!(OUTBOX_BACKLOG).set(backlog.outbox_due as f64);
            gauge!(OUTBOX_FAILED).set(backlog.outbox_failed as f64);
        }
        Ok(Err(err)) => tracing::debug!(error = %err, "metrics: backlog not read"),
        Err(_) => tracing::debug!("metrics: backlog not read in time"),
    }
    match tokio::time::timeout(within, app::backend::queue::lengths(valkey)).await {
        Ok(Ok(queues)) => {
            for (event, waiting, admitted) in queues {
                let event = event.to_string();
                gauge!(QUEUE_WAITING, "event" => event.clone()).set(waiting as f64);
                counter!(QUEUE_ADMITTED, "event" => event).absolute(admitted);
            }
        }
        Ok(Err(err)) => tracing::debug!(error = %err, "metrics: queues not read"),
        Err(_) => tracing::debug!("metrics: queues not read in time"),
    }
}
