//! The organizer's editor over HTTP: validation, ownership and the rules that
//! need the database (stock below seats sold, price after sales).

mod support;

use app::model::Role;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{TestApp, app_error, create_user};
use uuid::Uuid;

fn listing(overrides: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("title", "Harbour Jazz Night"),
        ("description", "Late sets by the water."),
        ("venue", "Harbour Stage, Bristol"),
        ("starts_at", "2030-06-01T20:00"),
        ("ends_at", "2030-06-01T23:00"),
        ("sale_starts_at", "2026-01-01T09:00"),
        ("sale_ends_at", "2030-06-01T20:00"),
        ("price", "25.00"),
        ("currency", "GBP"),
        ("stock", "100"),
        ("max_per_order", "6"),
        ("status", "published"),
    ];
    for (key, value) in overrides {
        fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .expect("known field")
            .1 = value;
    }
    fields
        .into_iter()
        .map(|(k, v)| (format!("form[{k}]"), v.to_string()))
        .collect()
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    id: Option<Uuid>,
    fields: Vec<(String, String)>,
) -> reqwest::Response {
    let mut form = fields;
    if let Some(id) = id {
        form.push(("id".into(), id.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, "organizer/save_ticket", &pairs).await
}

async fn counters(db: &PgPool, id: Uuid) -> (i32, i64, String) {
    sqlx::query_as("SELECT stock, price_minor, title FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_organizer_creates_and_updates_a_listing(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;

    let res = save(&app, &org, None, listing(&[])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: Uuid = res.json().await.unwrap();
    let owner: Uuid = sqlx::query_scalar("SELECT organizer_id FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(owner, me);
    assert_eq!(
        counters(&db, id).await,
        (100, 2500, "Harbour Jazz Night".into())
    );

    let res = save(
        &app,
        &org,
        Some(id),
        listing(&[("stock", "150"), ("title", "Harbour Jazz Night II")]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        counters(&db, id).await,
        (150, 2500, "Harbour Jazz Night II".into())
    );

    let mine: Vec<app::model::OrganizerTicketRow> = app
        .call(&org, "organizer/tickets", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].stock, 150);

    let html = app.get("/?q=harbour").await.text().await.unwrap();
    assert!(
        html.contains("Harbour Jazz Night II"),
        "published listing is in the catalogue"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_server_applies_the_editor_rules(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("ends_at", "2030-06-01T19:00")], "ends_at"),
        (&[("sale_ends_at", "2030-06-02T00:00")], "sale_ends_at"),
        (&[("price", "-5")], "price"),
        (&[("price", "twelve")], "price"),
        (&[("stock", "0")], "stock"),
        (&[("max_per_order", "500")], "max_per_order"),
        (&[("currency", "ABC")], "currency"),
        (&[("title", " ")], "title"),
        (&[("status", "sold")], "status"),
    ];
    for (overrides, field) in cases {
        let res = save(&app, &org, None, listing(overrides)).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{overrides:?}"
        );
        let err = app_error(res).await;
        assert!(
            err.for_field(field).is_some(),
            "{overrides:?}: expected {field}, got {err:?}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn stock_cannot_go_below_seats_sold_or_held(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let id: Uuid = save(&app, &org, None, listing(&[]))
        .await
        .json()
        .await
        .unwrap();
    sqlx::query("UPDATE tickets SET reserved = 10, sold = 30 WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();

    let res = save(&app, &org, Some(id), listing(&[("stock", "39")])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = app_error(res).await;
    assert_eq!(
        err.for_field("stock").as_deref(),
        Some("40 seats are already sold or held, so stock cannot go below 40.")
    );
    assert_eq!(counters(&db, id).await.0, 100);

    assert_eq!(
        save(&app, &org, Some(id), listing(&[("stock", "40")]))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        save(&app, &org, Some(id), listing(&[("stock", "500")]))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(counters(&db, id).await.0, 500);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn price_is_fixed_once_a_published_listing_has_sales(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let id: Uuid = save(&app, &org, None, listing(&[]))
        .await
        .json()
        .await
        .unwrap();
    // Without sales the price may change.
    assert_eq!(
        save(&app, &org, Some(id), listing(&[("price", "30")]))
            .await
            .status(),
        StatusCode::OK
    );
    sqlx::query("UPDATE tickets SET sold = 1 WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();

    for overrides in [
        &[("price", "35")][..],
        &[("price", "30"), ("currency", "EUR")][..],
    ] {
        let res = save(&app, &org, Some(id), listing(overrides)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let err = app_error(res).await;
        assert!(
            err.for_field("price").unwrap().contains("cannot change"),
            "{err:?}"
        );
    }
    assert_eq!(counters(&db, id).await.1, 3000);
    // Other fields still can.
    let res = save(
        &app,
        &org,
        Some(id),
        listing(&[("price", "30"), ("title", "Renamed")]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn organizers_never_see_or_edit_each_others_listings(db: PgPool) {
    create_user(&db, "alice@example.com", Role::Organizer).await;
    create_user(&db, "bob@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let alice = app.signed_in("alice@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let draft: Uuid = save(&app, &alice, None, listing(&[("status", "draft")]))
        .await
        .json()
        .await
        .unwrap();
    let id = draft.to_string();

    let res = app.call(&bob, "organizer/ticket", &[("id", &id)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = save(&app, &bob, Some(draft), listing(&[("title", "Hijacked")])).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(counters(&db, draft).await.2, "Harbour Jazz Night");
    let bobs: Vec<app::model::OrganizerTicketRow> = app
        .call(&bob, "organizer/tickets", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(bobs.is_empty());
    // Nor the draft's public page, nor its edit page.
    let res = app.get_with(&bob, &format!("/events/{id}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .get_with(&bob, &format!("/organizer/tickets/{id}/edit"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res = app
        .get_with(&alice, &format!("/organizer/tickets/{id}/edit"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Harbour Jazz Night"));
}
