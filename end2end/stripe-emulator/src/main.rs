//! `stripe-emulator`: serves the emulator until Ctrl-C.
//!
//! Environment: `STRIPE_EMULATOR_ADDR` (default `127.0.0.1:12111`),
//! `STRIPE_WEBHOOK_URL` (where events are POSTed; several comma-separated URLs
//! take turns; unset: not delivered),
//! `STRIPE_WEBHOOK_SECRET` (default `whsec_emulator_secret`; several
//! comma-separated secrets during a rotation: each event then carries one `v1=`
//! signature per secret),
//! `STRIPE_EMULATOR_PUBLIC_URL` (the URL browsers use; default the listen address),
//! `STRIPE_WEBHOOK_RETRY_BASE_MS` (first retry delay, default 1000).

use std::time::Duration;

use stripe_emulator::{Config, start};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let addr = env("STRIPE_EMULATOR_ADDR").unwrap_or_else(|| "127.0.0.1:12111".into());
    let retry_ms = env("STRIPE_WEBHOOK_RETRY_BASE_MS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let config = Config {
        webhook_url: env("STRIPE_WEBHOOK_URL"),
        webhook_secret: env("STRIPE_WEBHOOK_SECRET")
            .unwrap_or_else(|| "whsec_emulator_secret".into()),
        public_url: env("STRIPE_EMULATOR_PUBLIC_URL"),
        retry_base: Duration::from_millis(retry_ms),
    };
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("stripe-emulator: cannot listen on {addr}: {err}");
            std::process::exit(1);
        }
    };
    let webhook = config
        .webhook_url
        .clone()
        .unwrap_or_else(|| "(none)".into());
    let emulator = start(listener, config).await;
    println!(
        "stripe-emulator: API {} (use any sk_test_... key), webhooks to {webhook}, pay pages at {}pay/<session id>",
        emulator.base_url(),
        emulator.public_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown();
}
