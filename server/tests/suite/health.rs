use crate::support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn healthz_answers_ok(db: PgPool) {
    let app = support::spawn(db).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn readyz_is_ready_when_postgres_and_valkey_answer(db: PgPool) {
    let app = support::spawn(db).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({ "postgres": "up", "valkey": "up" }));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn readyz_names_the_service_that_is_down(db: PgPool) {
    // Nothing listens on port 1: Valkey is "down" for this instance only.
    let state = support::state_for(db, "redis://127.0.0.1:1").await;
    let app = support::spawn_with_state(state).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({ "postgres": "up", "valkey": "down" }));

    app.state.db.close().await;
    let body: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(body, json!({ "postgres": "down", "valkey": "down" }));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn valkey_keys_are_namespaced_per_instance(db: PgPool) {
    let app = support::spawn(db).await;
    let key = app.state.cache.key("cart:42");
    assert!(key.starts_with("test:"), "{key}");
    assert!(key.ends_with(":cart:42"), "{key}");
}
