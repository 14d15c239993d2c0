mod support;

use app::backend::seed::seed_demo;
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn home_page_is_rendered_on_the_server_with_published_events(db: PgPool) {
    let report = seed_demo(&db).await.unwrap();
    assert_eq!(report.events_created, 12);
    let app = support::spawn(db).await;

    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Jazz on the Quay"), "seeded event missing");
    assert!(html.contains("Rust Nation Conference 2027"));
    assert!(html.contains("£25.00"), "price not formatted");
    assert!(html.contains("Only 8 left"), "low-stock badge missing");
    assert!(
        !html.contains("Spring Gala"),
        "a draft reached the catalogue"
    );
    // The page is set up to hydrate.
    assert!(
        html.contains("/pkg/ticket-sales.js"),
        "hydration script missing"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn seeding_twice_adds_nothing(db: PgPool) {
    seed_demo(&db).await.unwrap();
    let again = seed_demo(&db).await.unwrap();
    assert_eq!(again.events_created, 0);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 3);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn events_that_ended_are_not_listed(db: PgPool) {
    seed_demo(&db).await.unwrap();
    sqlx::query(
        "UPDATE tickets SET starts_at = now() - interval '3 days', ends_at = now() - interval '2 days',
                            sale_starts_at = now() - interval '9 days', sale_ends_at = now() - interval '2 days'
         WHERE title = 'Jazz on the Quay'",
    )
    .execute(&db)
    .await
    .unwrap();
    let app = support::spawn(db).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(!html.contains("Jazz on the Quay"));
    assert!(html.contains("Berlin Techno Marathon"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn unknown_pages_get_the_friendly_404(db: PgPool) {
    let app = support::spawn(db).await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_database_outage_shows_a_plain_message_without_internals(db: PgPool) {
    seed_demo(&db).await.unwrap();
    let app = support::spawn(db).await;
    app.state.db.close().await;

    let html = app.get("/").await.text().await.unwrap();
    assert!(
        html.contains("The shop is temporarily unavailable"),
        "no friendly message in: {html}"
    );
    for leak in ["sqlx", "PoolClosed", "pool", "SELECT", "tickets"] {
        assert!(!html.contains(leak), "page leaks {leak:?}");
    }
}
