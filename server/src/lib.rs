//! The shop's HTTP server as a library, so tests and tools build the exact router
//! the binary serves.

pub mod covers;
pub mod error_status;
pub mod exports;
pub mod headers;
pub mod health;
pub mod html_fixes;
pub mod language;
pub mod mail_worker;
pub mod metrics;
pub mod queue;
pub mod redirects;
pub mod same_origin;
pub mod signed_errors;
pub mod sweeper;
pub mod telemetry;
pub mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::backend::config::Config;
use app::backend::payments::Payments;
use app::backend::valkey::Valkey;
use app::backend::{AppState, BackendError, BackendResult, auth, db};
use app::{App, shell};
use axum::Router;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use secrecy::ExposeSecret;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use app::backend::MIGRATOR;

/// Answers smaller than this go out uncompressed.
const MIN_COMPRESSED_BYTES: u16 = 1024;

/// Turns on hashed asset names when the build made them: cargo-leptos
/// (`hash-files`) writes the hashes to a file beside the server binary, which
/// is where Leptos reads them from.
pub fn use_hashed_assets(options: &mut LeptosOptions) {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
    if beside_binary.is_some_and(|file| file.exists()) {
        options.hash_files = true;
    }
}

/// Connects to PostgreSQL (lazily) and Valkey and assembles the shared state.
pub async fn build_state(config: Config, leptos_options: LeptosOptions) -> BackendResult<AppState> {
    let db = db::connect_lazy(
        config.database_url.expose_secret(),
        config.database_max_connections,
    )?;
    let replica = db::replica::Replica::for_config(&db, &config)?;
    let valkey = Valkey::connect(config.valkey_url.expose_secret(), &config.valkey_prefix).await?;
    let payments = match &config.stripe {
        Some(stripe) => Some(Arc::new(Payments::new(stripe).map_err(|err| {
            BackendError::Setup(format!("Stripe could not be set up: {err}"))
        })?)),
        // Said by `serve` only: `seed` and `migrate` need no Stripe.
        None => None,
    };
    let covers =
        app::backend::covers::CoverStore::open(&config.cover_store_url).map_err(|err| {
            BackendError::Setup(format!(
                "The cover store (COVER_STORE_URL) could not be opened: {err}"
            ))
        })?;
    Ok(AppState {
        leptos_options,
        db,
        replica,
        valkey,
        covers,
        catalogue: app::backend::fresh::Fresh::new(config.catalogue_fresh),
        queue_progress: app::backend::fresh::Fresh::default(),
        queue_events: app::backend::fresh::Fresh::default(),
        config: Arc::new(config),
        payments,
    })
}

/// Every route the shop serves: probes, Leptos pages and server functions behind
/// the session and auth layers (gzip), and static files (brotli or gzip) with
/// the friendly 404 page as fallback.
pub async fn router(state: AppState) -> BackendResult<Router> {
    let auth = auth::auth_layer(state.db.clone(), &state.valkey, &state.config).await?;
    let routes = routes();
    let options = state.leptos_options.clone();
    let own_origin = same_origin::origin_of(&state.config.app_base_url)
        .unwrap_or_else(|| state.config.app_base_url.clone());
    metrics::handle();
    let mut router = Router::new();
    if let Some(token) = &state.config.metrics.token {
        // On the public port only for those bearing METRICS_TOKEN.
        router = router.route(
            "/metrics",
            get(metrics::serve_metrics).layer(axum::middleware::from_fn_with_state(
                metrics::BearerToken::new(token.expose_secret()),
                metrics::require_bearer,
            )),
        );
    }
    let shop = router
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/covers/{key}", get(covers::serve_cover))
        .route("/passes/{id}", get(redirects::pass))
        .route("/favicon.ico", get(redirects::favicon))
        .route("/organizer/events/{id}/{file}", get(exports::export_csv))
        .route(
            "/events/{id}/queue/join",
            get(queue::join).post(queue::take_checked),
        )
        .route("/language", axum::routing::post(language::switch))
        .route(
            "/stripe/webhook",
            axum::routing::post(webhook::stripe_webhook),
        )
        .leptos_routes(&state, routes, move || shell(options.clone()))
        // Valid HTML from what the framework writes (before compression).
        .layer(axum::middleware::from_fn(html_fixes::mend_pages))
        // Pages and server function replies are made per request: gzip only.
        // Brotli's 4 MB window per response cost ten times the memory and a
        // third of the home page's throughput in `make bench-pages`.
        .layer(compression(false))
        // Static files (wasm, JS, CSS: brotli or gzip as compressed by the
        // build, `--precompress`; else here), cached by their hashed names; and
        // the 404 page.
        .fallback(
            leptos_axum::file_and_error_handler::<AppState, _>(shell)
                .layer(axum::middleware::from_fn(html_fixes::mend_pages))
                .layer(compression(true))
                .layer(axum::middleware::from_fn_with_state(
                    state.leptos_options.hash_files,
                    headers::static_cache,
                )),
        )
        .layer(axum::middleware::from_fn(
            error_status::map_server_fn_error_status,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.config.session_idle_timeout,
            auth::keep_session_alive,
        ))
        .layer(auth)
        // The holding page's refreshes: no session, no user, no database.
        .route("/queue/{id}", get(queue::wait))
        .route("/queue/{id}/status", get(queue::status))
        .layer(axum::middleware::from_fn(
            error_status::explain_session_store_outage,
        ))
        // The language each answer is written in.
        .layer(axum::middleware::from_fn(language::choose_locale))
        // Where the client's address comes from (axum-client-ip, CLIENT_IP_SOURCE).
        .layer(state.config.client_ip_source.clone().into_extension())
        // Error messages carried in links are the server's own, or dropped.
        .layer(axum::middleware::from_fn_with_state(
            signed_errors::MessageKey::new(
                state.config.app_secret.expose_secret().as_bytes(),
                state.config.is_https(),
            ),
            signed_errors::sign_error_links,
        ))
        // Before sessions are touched: a write from another origin is refused outright.
        .layer(axum::middleware::from_fn_with_state(
            own_origin,
            same_origin::refuse_cross_origin,
        ))
        .layer(CatchPanicLayer::custom(health::panic_response))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            error_status::MAX_UPLOAD_BODY_BYTES as usize,
        ))
        .layer(axum::middleware::from_fn(
            error_status::refuse_unreadable_bodies,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.config.is_https(),
            headers::security_headers,
        ))
        // No request may hang for ever (a stuck dependency answers 408 instead).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // One line per request at info (method, route, status, latency), every
        // log line of the request inside its span with the request id.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        // The balancer's `x-request-id`, or a new one; sent back with the answer.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state.clone());
    // The waiting room's public progress, outside every layer above: each
    // waiting visitor asks for it every few seconds, and it reads no cookie,
    // session or body and writes no log line (its answer sets its own headers).
    let lean = Router::new()
        .route("/queue/{id}/progress", get(queue::progress))
        .with_state(state);
    Ok(lean.merge(shop))
}

/// The span of one request: what the access log line and every line logged
/// while serving it carry.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = metrics::route_of(request);
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        route,
        path = %request.uri().path(),
        request_id = id,
    )
}

/// The app's routes, generated once per process. Generating them switches
/// resource loading off for the whole process while it runs (leptos_server's
/// `SuppressResourceLoad` is a global flag), so a second router built while
/// another serves pages (several servers in one test binary) left pages
/// waiting for ever now and then.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Compression for answers of 1 KB and more; smaller ones (most server
/// function replies) are not worth an encoder's time and memory. Pages
/// (`brotli` false) are compressed at gzip's fastest level: at the default
/// level deflate was the largest single cost of serving the home page (18% of
/// the server's CPU in a `perf` profile), for a few percent fewer bytes.
fn compression(brotli: bool) -> CompressionLayer<impl Predicate> {
    let layer = if brotli {
        CompressionLayer::new()
    } else {
        CompressionLayer::new()
            .no_br()
            .quality(tower_http::CompressionLevel::Fastest)
    };
    layer.compress_when(DefaultPredicate::new().and(SizeAbove::new(MIN_COMPRESSED_BYTES)))
}

/// Serves `router` on `listener` until `shutdown` resolves, with the client
/// address available to handlers (rate limits key on it).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
