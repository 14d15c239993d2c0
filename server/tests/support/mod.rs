//! Spawns the real router on a random port against the test's own database
//! (from `#[sqlx::test]`) and its own Valkey key prefix.

#![allow(dead_code)] // each test binary uses a different part of the helper

use std::sync::Arc;

use app::backend::AppState;
use app::backend::cache::Cache;
use app::backend::config::Config;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub state: AppState,
}

pub fn valkey_url() -> String {
    std::env::var("VALKEY_URL").unwrap_or_else(|_| app::backend::config::DEFAULT_VALKEY_URL.into())
}

/// A state for `db`, with a Valkey prefix no other test shares.
pub async fn state_for(db: PgPool, valkey_url: &str) -> AppState {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4());
    let config = Config::from_lookup(|name| match name {
        "VALKEY_PREFIX" => Some(prefix.clone()),
        "VALKEY_URL" => Some(valkey_url.to_string()),
        _ => None,
    })
    .expect("test configuration");
    let cache = Cache::connect(valkey_url, &config.valkey_prefix)
        .await
        .expect("valkey client");
    AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("ticket-sales")
            .site_root("target/site")
            .build(),
        db,
        cache,
        config: Arc::new(config),
    }
}

pub async fn spawn(db: PgPool) -> TestApp {
    spawn_with_state(state_for(db, &valkey_url()).await).await
}

pub async fn spawn_with_state(state: AppState) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    let router = server::router(state.clone()).await.expect("router");
    tokio::spawn(async move {
        server::serve(listener, router, std::future::pending())
            .await
            .expect("test server");
    });
    TestApp {
        base_url: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        state,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("request sent")
    }
}
