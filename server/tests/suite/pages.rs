use crate::support;

use app::backend::seed::seed_demo;
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn home_page_is_rendered_on_the_server_with_published_events(db: PgPool) {
    let report = seed_demo(&db, &support::demo_covers()).await.unwrap();
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
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let again = seed_demo(&db, &support::demo_covers()).await.unwrap();
    assert_eq!((again.events_created, again.orders_paid), (0, 0));
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 9, "the admin, the organizer and seven buyers");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_demo_sales_are_real_orders_whose_figures_agree(db: PgPool) {
    let covers = support::demo_covers();
    let report = seed_demo(&db, &covers).await.unwrap();
    assert_eq!(report.orders_paid, 17);
    // Every published event has its cover, stored where the shop serves it from.
    assert_eq!(report.covers_set, 12);
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT cover_key FROM events WHERE status = 'published' AND cover_key IS NOT NULL",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(keys.len(), 12);
    for key in keys {
        let jpeg = covers.get(&key).await.unwrap().expect("the stored cover");
        assert!(jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");
    }
    // Every type's counter is its tickets; every event's, the sum; nothing held.
    let disagreeing: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT t.name, t.sold::bigint, t.reserved::bigint,
                (SELECT count(*) FROM tickets p WHERE p.ticket_type_id = t.id)
         FROM ticket_types t
         WHERE t.sold <> (SELECT count(*) FROM tickets p WHERE p.ticket_type_id = t.id) OR t.reserved <> 0",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(disagreeing, []);
    let events_disagree: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events e
         WHERE e.sold <> (SELECT coalesce(sum(t.sold), 0) FROM ticket_types t WHERE t.event_id = e.id)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(events_disagree, 0);
    // The VIP type is sold out by 20 tickets in paid orders, each line's amount its price.
    let (tickets, orders, takings): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(p.id), count(DISTINCT o.id), sum(p.price_minor)::bigint
         FROM tickets p JOIN orders o ON o.id = p.order_id JOIN ticket_types t ON t.id = p.ticket_type_id
         WHERE t.name = 'VIP with own headphones' AND o.status = 'paid' AND t.sold = t.quantity",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((tickets, orders, takings), (20, 7, 20 * 4500));
    // Each paid order's confirmation waits in the outbox for its buyer.
    let confirmations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox m JOIN orders o ON o.id = m.about
         JOIN users u ON u.id = o.user_id AND u.email = m.recipient
         WHERE o.status = 'paid'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(confirmations, 17);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn events_that_ended_are_not_listed(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    for sql in [
        "UPDATE ticket_types t SET sale_starts_at = now() - interval '9 days', sale_ends_at = now() - interval '2 days'
         FROM events e WHERE e.id = t.event_id AND e.title = 'Jazz on the Quay'",
        "UPDATE events SET starts_at = now() - interval '3 days', ends_at = now() - interval '2 days'
         WHERE title = 'Jazz on the Quay'",
    ] {
        sqlx::query(sql).execute(&db).await.unwrap();
    }
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
    seed_demo(&db, &support::demo_covers()).await.unwrap();
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

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn pages_are_gzipped_and_static_files_get_brotli(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    // A site root with one large static file in it.
    let site = std::env::temp_dir().join(format!("ts-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/big.js"), "console.log('x');\n".repeat(500)).unwrap();
    let mut state = support::state_for(db, &support::valkey_url()).await;
    state.leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("ticket-sales")
        .site_root(site.to_string_lossy().to_string())
        .build();
    let app = support::spawn_with_state(state).await;
    let fetch = |path: &'static str| {
        let client = app.client.clone();
        let url = format!("{}{path}", app.base_url);
        async move {
            let res = client
                .get(url)
                .header("accept-encoding", "gzip, deflate, br, zstd")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string())
        }
    };
    assert_eq!(fetch("/").await.as_deref(), Some("gzip"));
    assert_eq!(fetch("/pkg/big.js").await.as_deref(), Some("br"));
    std::fs::remove_dir_all(site).unwrap();
}

/// Built assets are served as the build compressed them (never compressed per
/// request) and, named by their content's hash, cached for a year; pages are
/// revalidated every time.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn hashed_assets_are_precompressed_and_cached_for_a_year(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let site = std::env::temp_dir().join(format!("ts-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let wasm = "pkg/ticket-sales.hhcSQwcKvjWhuucQ0M45PA.wasm";
    std::fs::write(site.join(wasm), vec![0u8; 64 * 1024]).unwrap();
    // Not real brotli: if these bytes come back, the file was sent as built.
    std::fs::write(site.join(format!("{wasm}.br")), b"built by --precompress").unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg/>".repeat(300)).unwrap();
    // With hashed names Leptos reads the build's hashes beside the running
    // binary (here the test's), as the server does beside its own.
    let hashes = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .join("hash.txt");
    std::fs::write(
        &hashes,
        "js: hhcSQwcKvjWhuucQ0M45PA\nwasm: hhcSQwcKvjWhuucQ0M45PA\ncss: hhcSQwcKvjWhuucQ0M45PA\n\
         manifest: hhcSQwcKvjWhuucQ0M45PA\nsplit: hhcSQwcKvjWhuucQ0M45PA\n",
    )
    .unwrap();
    let mut state = support::state_for(db, &support::valkey_url()).await;
    state.leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("ticket-sales")
        .site_root(site.to_string_lossy().to_string())
        .hash_files(true)
        .build();
    let app = support::spawn_with_state(state).await;
    let get = |path: String| {
        app.client
            .get(format!("{}{path}", app.base_url))
            .header("accept-encoding", "gzip, deflate, br, zstd")
            .send()
    };

    let res = get(format!("/{wasm}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["vary"], "accept-encoding");
    assert_eq!(&res.bytes().await.unwrap()[..], b"built by --precompress");

    let res = get("/favicon.svg".into()).await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");

    let res = get("/".into()).await.unwrap();
    assert_eq!(res.headers()["cache-control"], "private, no-cache");
    let res = get("/no-such-page".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["cache-control"], "private, no-cache");
    std::fs::remove_dir_all(site).unwrap();
}

/// The catalogue is kept a second on each instance (`backend::fresh`): an
/// organizer's edit made through one instance shows on another's home page
/// within about that, and a search by text is never served from the copy.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_edit_reaches_another_instances_cached_catalogue(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let first = support::spawn(db.clone()).await;
    let second = support::spawn(db.clone()).await;
    // The second instance has the catalogue in memory.
    assert!(
        second
            .get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Jazz on the Quay")
    );
    // The organizer renames the event through the first instance's database.
    sqlx::query("UPDATE events SET title = 'Jazz on the Pier' WHERE title = 'Jazz on the Quay'")
        .execute(&first.state.db)
        .await
        .unwrap();
    // A search by text asks the database at once.
    let searched = second.get("/?q=pier").await.text().await.unwrap();
    assert!(
        searched.contains("Jazz on the Pier"),
        "a search bypasses the copy"
    );
    // The plain catalogue follows within the copy's lifetime.
    let edited = std::time::Instant::now();
    loop {
        let html = second.get("/").await.text().await.unwrap();
        if html.contains("Jazz on the Pier") {
            assert!(!html.contains("Jazz on the Quay"));
            break;
        }
        assert!(
            edited.elapsed()
                < app::backend::fresh::FRESH_FOR + std::time::Duration::from_millis(500),
            "the edit did not reach the other instance in time"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// One copy of the catalogue serves everyone, and what is personal on the page
/// (who is signed in) is never taken from it: two buyers, one cache.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_buyers_share_the_catalogue_copy_but_not_their_pages(db: PgPool) {
    use app::model::Role;
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db.clone()).await;
    for (email, name) in [
        ("ada@example.com", "Ada Lovelace"),
        ("bob@example.com", "Bob Builder"),
    ] {
        support::create_user(&db, email, Role::Buyer).await;
        sqlx::query("UPDATE users SET name = $2 WHERE email = $1")
            .bind(email)
            .bind(name)
            .execute(&db)
            .await
            .unwrap();
    }
    let ada = app.signed_in("ada@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    for _ in 0..3 {
        let page_of = |client: reqwest::Client| {
            let app = &app;
            async move { app.get_with(&client, "/").await.text().await.unwrap() }
        };
        let (for_ada, for_bob, for_nobody) = tokio::join!(
            page_of(ada.clone()),
            page_of(bob.clone()),
            page_of(app.browser())
        );
        for html in [&for_ada, &for_bob, &for_nobody] {
            assert!(html.contains("Jazz on the Quay"), "the shared catalogue");
        }
        assert!(for_ada.contains("Ada Lovelace") && !for_ada.contains("Bob Builder"));
        assert!(for_bob.contains("Bob Builder") && !for_bob.contains("Ada Lovelace"));
        assert!(!for_nobody.contains("Ada Lovelace") && !for_nobody.contains("Bob Builder"));
    }
}
