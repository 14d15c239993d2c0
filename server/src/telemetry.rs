//! Structured logs: human-readable by default, JSON with `LOG_FORMAT=json`.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn,fred=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // try_init: tests may initialise more than once.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
