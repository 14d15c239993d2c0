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
    assert_eq!(
        body,
        json!({ "postgres": "up", "valkey": "up", "degraded": false, "draining": false })
    );
}

/// Valkey down degrades an instance but keeps it in the balancer (every
/// instance shares the one Valkey: failing on it would empty the balancer);
/// PostgreSQL down takes it out.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn readyz_is_degraded_without_valkey_and_down_without_postgres(db: PgPool) {
    // Nothing listens on port 1: Valkey is "down" for this instance only.
    let state = support::state_for(db, "redis://127.0.0.1:1").await;
    let app = support::spawn_with_state(state).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "postgres": "up", "valkey": "down", "degraded": true, "draining": false })
    );

    app.state.db.close().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "postgres": "down", "valkey": "down", "degraded": true, "draining": false })
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn valkey_keys_are_namespaced_per_instance(db: PgPool) {
    let app = support::spawn(db).await;
    let key = app.state.valkey.key("cart:42");
    assert!(key.starts_with("test:"), "{key}");
    assert!(key.ends_with(":cart:42"), "{key}");
}

/// Sessions too live under the instance's prefix (so shops sharing a Valkey
/// never read each other's), and a signed-in session is found there.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sessions_are_stored_under_the_key_prefix(db: PgPool) {
    use fred::prelude::ClientLike;
    let app = support::spawn(db.clone()).await;
    let email = "prefixed@example.com";
    support::create_user(&db, email, app::model::Role::Buyer).await;
    let client = app.signed_in(email).await;
    assert!(app.me(&client).await.is_some());
    let pattern = app.state.valkey.key("session:*");
    // Few keys carry this test's own prefix: KEYS is fine here.
    let keys: Vec<String> = app
        .state
        .valkey
        .pool()
        .next()
        .custom(fred::cmd!("KEYS"), vec![pattern.clone()])
        .await
        .unwrap();
    assert_eq!(keys.len(), 1, "one session under {pattern}: {keys:?}");
}
