//! Browsing: search, filters, sorting, paging and listing pages.

use crate::support;

use app::backend::catalogue;
use app::backend::seed::seed_demo;
use app::i18n::Locale;
use app::model::{CatalogueQuery, PAGE_SIZE, SortOrder};
use reqwest::StatusCode;
use sqlx::PgPool;

/// The catalogue as an English visitor sees it.
async fn search(
    db: &PgPool,
    query: &CatalogueQuery,
) -> app::backend::BackendResult<app::model::SearchResults> {
    catalogue::search(db, query, Locale::En).await
}

async fn titles(db: &PgPool, query: CatalogueQuery) -> Vec<String> {
    search(db, &query)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.title)
        .collect()
}

fn q(text: &str) -> CatalogueQuery {
    CatalogueQuery {
        q: text.into(),
        ..Default::default()
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn free_text_matches_title_venue_and_description_by_prefix(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    assert_eq!(titles(&db, q("jaz")).await, ["Jazz on the Quay"]);
    assert_eq!(
        titles(&db, q("GLASGOW")).await,
        ["Midnight Orchestra: Winter Solstice Concert"]
    );
    assert_eq!(
        titles(&db, q("blue whale")).await,
        ["Silent Disco at the Natural History Museum"]
    );
    assert!(titles(&db, q("no such band")).await.is_empty());
    // Punctuation cannot break the query syntax.
    assert!(titles(&db, q("&|!(:*")).await.len() == 12);
    // Drafts never match.
    assert!(titles(&db, q("spring gala")).await.is_empty());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn filters_by_date_price_and_availability(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let day = |days: i64| {
        (chrono::Utc::now() + chrono::TimeDelta::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let soon = titles(
        &db,
        CatalogueQuery {
            to: day(10),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        soon,
        [
            "The Laughing Lighthouse Comedy Night",
            "Kids' Science Show: Fizz, Pop, Bang!"
        ]
    );
    let later = titles(
        &db,
        CatalogueQuery {
            from: day(60),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(later, ["Nordic Folk Festival: Day Pass"]);

    let cheap = titles(
        &db,
        CatalogueQuery {
            max_price: "10".into(),
            ..Default::default()
        },
    )
    .await;
    // Price filters look at the cheapest type on sale: the day pass has a free
    // child ticket.
    assert_eq!(
        cheap,
        [
            "Kids' Science Show: Fizz, Pop, Bang!",
            "Indie Vinyl Market and Live Sets",
            "Nordic Folk Festival: Day Pass"
        ]
    );
    let dear = titles(
        &db,
        CatalogueQuery {
            min_price: "200".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        dear,
        [
            "Rust Nation Conference 2027",
            "Data Science Summit Amsterdam"
        ]
    );

    sqlx::query(
        "UPDATE ticket_types t SET sold = quantity FROM events e
         WHERE e.id = t.event_id AND e.title = 'Jazz on the Quay'",
    )
    .execute(&db)
    .await
    .unwrap();
    let all = titles(&db, CatalogueQuery::default()).await;
    assert!(
        all.contains(&"Jazz on the Quay".to_string()),
        "sold-out events stay listed by default"
    );
    let available = titles(
        &db,
        CatalogueQuery {
            available: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(available.len(), 11);
    assert!(!available.contains(&"Jazz on the Quay".to_string()));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sorts_by_date_or_price_and_pages(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let by_date = titles(&db, CatalogueQuery::default()).await;
    assert_eq!(
        by_date.first().unwrap(),
        "The Laughing Lighthouse Comedy Night"
    );
    assert_eq!(by_date.last().unwrap(), "Nordic Folk Festival: Day Pass");
    let by_price = search(
        &db,
        &CatalogueQuery {
            sort: SortOrder::Price,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // €5 and £5 do not compare: each currency is sorted on its own, EUR then GBP.
    let prices: Vec<(String, i64)> = by_price
        .items
        .iter()
        .map(|e| (e.price.currency.code().to_string(), e.price.minor))
        .collect();
    assert!(prices.is_sorted(), "{prices:?}");
    assert_eq!(prices.first().unwrap().0, "EUR");
    assert_eq!(prices.last().unwrap().0, "GBP");

    // Two more pages' worth of events.
    sqlx::query(
        "WITH e AS (
             INSERT INTO events (organizer_id, title, venue, starts_at, ends_at, currency, status)
             SELECT organizer_id, 'Extra night ' || n, 'Hall', now() + (n || ' days')::interval + interval '200 days',
                    now() + (n || ' days')::interval + interval '201 days', 'EUR', 'published'
             FROM (SELECT organizer_id FROM events LIMIT 1) o, generate_series(1, 14) n
             RETURNING id, starts_at
         )
         INSERT INTO ticket_types (event_id, name, price_minor, quantity, sale_starts_at, sale_ends_at)
         SELECT id, 'Admission', 1000, 10, now() - interval '1 day', starts_at FROM e",
    )
    .execute(&db)
    .await
    .unwrap();
    let first = search(&db, &CatalogueQuery::default()).await.unwrap();
    assert_eq!(first.total, 26);
    assert_eq!(first.items.len(), PAGE_SIZE as usize);
    assert_eq!(first.pages(), 3);
    let last = search(
        &db,
        &CatalogueQuery {
            page: 3,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(last.items.len(), 2);
    assert_eq!(last.items[1].title, "Extra night 14");
    let beyond = search(
        &db,
        &CatalogueQuery {
            page: 9,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(beyond.items.is_empty());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_home_page_renders_the_search_from_the_url(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db).await;
    let html = app.get("/?q=jazz").await.text().await.unwrap();
    assert!(html.contains("Jazz on the Quay"));
    assert!(!html.contains("Berlin Techno Marathon"));
    assert!(
        html.contains("value=\"jazz\""),
        "the search box keeps the query"
    );
    let html = app.get("/?q=zzzz").await.text().await.unwrap();
    assert!(html.contains("No events match your search"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn listing_pages_show_details_and_hide_drafts(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db.clone()).await;
    let id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM events WHERE title = 'Jazz on the Quay'")
            .fetch_one(&db)
            .await
            .unwrap();
    let res = app.get_with(&app.browser(), &format!("/events/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Jazz on the Quay") && html.contains("Severn Quintet"));
    assert!(html.contains("On sale until"));
    assert!(html.contains("Up to 10 per order"));

    let draft: uuid::Uuid = sqlx::query_scalar("SELECT id FROM events WHERE status = 'draft'")
        .fetch_one(&db)
        .await
        .unwrap();
    for path in [
        format!("/events/{draft}"),
        format!("/events/{}", uuid::Uuid::new_v4()),
        "/events/nope".into(),
    ] {
        let res = app.get_with(&app.browser(), &path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.text().await.unwrap().contains("Page not found"));
    }
    // Its organizer sees the draft.
    let organizer = app
        .signed_in_with("organizer@example.com", app::backend::seed::DEMO_PASSWORD)
        .await;
    let res = app.get_with(&organizer, &format!("/events/{draft}")).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sale_windows_show_on_the_listing(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    for sql in [
        "UPDATE ticket_types t SET sale_starts_at = now() + interval '2 days' FROM events e
         WHERE e.id = t.event_id AND e.title = 'Jazz on the Quay'",
        "UPDATE ticket_types t SET quantity = t.sold + t.reserved + 3, max_per_order = 10 FROM events e
         WHERE e.id = t.event_id AND e.title = 'Berlin Techno Marathon'",
    ] {
        sqlx::query(sql).execute(&db).await.unwrap();
    }
    let app = support::spawn(db.clone()).await;
    let page = |title: &'static str| {
        let db = db.clone();
        let app = &app;
        async move {
            let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM events WHERE title = $1")
                .bind(title)
                .fetch_one(&db)
                .await
                .unwrap();
            app.get_with(&app.browser(), &format!("/events/{id}"))
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let not_yet = page("Jazz on the Quay").await;
    // One statement of where the sale stands: no "Available" beside it.
    assert!(not_yet.contains("On sale from"));
    assert!(!not_yet.contains("data-testid=\"availability\""));
    assert!(!not_yet.contains("Tickets cannot be bought right now."));
    let few = page("Berlin Techno Marathon").await;
    assert!(few.contains("Only 3 left"));
    assert!(
        few.contains("Up to 3 per order"),
        "the picker is bounded by what is left"
    );
}
