//! The organizer's editor over HTTP: an event and its ticket types,
//! validation, ownership and the rules that need the database (quantities and
//! capacity below what is sold, prices after sales, types that have orders).

use crate::support;

use app::backend::events::EditRefusal;
use app::model::Role;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{TestApp, app_error, create_user};
use uuid::Uuid;

/// The editor's form for a published event with one ticket type, with
/// `overrides` by field (`title`, `types[0].price`); a value of "" for an
/// unknown field adds it (`types[1].name`).
pub(crate) fn listing(overrides: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", "Harbour Jazz Night"),
        ("description", "Late sets by the water."),
        ("venue", "Harbour Stage, Bristol"),
        ("starts_at", "2030-06-01T20:00"),
        ("ends_at", "2030-06-01T23:00"),
        ("time_zone", "Europe/London"),
        ("currency", "GBP"),
        ("capacity", ""),
        ("status", "published"),
        ("language", "en"),
        ("types[0].id", ""),
        ("types[0].name", "Standing"),
        ("types[0].price", "25.00"),
        ("types[0].quantity", "100"),
        ("types[0].sale_starts_at", "2026-01-01T09:00"),
        ("types[0].sale_ends_at", "2030-06-01T20:00"),
        ("types[0].max_per_order", "6"),
    ];
    for (key, value) in overrides {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    fields
        .into_iter()
        .map(|(k, v)| (form_name(k), v.to_string()))
        .collect()
}

/// `types[0].price` -> `form[types][0][price]`; `title` -> `form[title]`.
fn form_name(field: &str) -> String {
    match field.split_once('.') {
        Some((list, name)) => {
            let (list, index) = list
                .trim_end_matches(']')
                .split_once('[')
                .expect("types[i]");
            format!("form[{list}][{index}][{name}]")
        }
        None => format!("form[{field}]"),
    }
}

/// The event's first ticket type's id, as the editor sends it back.
async fn first_type(db: &PgPool, event: Uuid) -> String {
    let id: Uuid = sqlx::query_scalar(
        "SELECT id FROM ticket_types WHERE event_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(event)
    .fetch_one(db)
    .await
    .unwrap();
    id.to_string()
}

/// `listing(overrides)` for an existing event: its first type keeps its id.
async fn edit(
    db: &PgPool,
    event: Uuid,
    overrides: &[(&'static str, &'static str)],
) -> Vec<(String, String)> {
    let mut fields = listing(overrides);
    let id = first_type(db, event).await;
    fields
        .iter_mut()
        .find(|(k, _)| k == "form[types][0][id]")
        .expect("types[0].id")
        .1 = id;
    fields
}

pub(crate) async fn save(
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
    app.call(client, "organizer/save_event", &pairs).await
}

/// The first type's quantity and price, and the event's title.
async fn counters(db: &PgPool, id: Uuid) -> (i32, i64, String) {
    sqlx::query_as(
        "SELECT t.quantity, t.price_minor, e.title FROM events e JOIN ticket_types t ON t.event_id = e.id
         WHERE e.id = $1 ORDER BY t.position, t.id LIMIT 1",
    )
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
    let owner: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
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
        edit(
            &db,
            id,
            &[
                ("types[0].quantity", "150"),
                ("title", "Harbour Jazz Night II"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        counters(&db, id).await,
        (150, 2500, "Harbour Jazz Night II".into())
    );

    let mine: Vec<app::model::OrganizerEventRow> = app
        .call(&org, "organizer/events", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].types[0].quantity, 150);

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
        (
            &[("types[0].sale_ends_at", "2030-06-02T00:00")],
            "types[0].sale_ends_at",
        ),
        (&[("types[0].price", "-5")], "types[0].price"),
        (&[("types[0].price", "twelve")], "types[0].price"),
        (&[("types[0].quantity", "0")], "types[0].quantity"),
        (
            &[("types[0].max_per_order", "500")],
            "types[0].max_per_order",
        ),
        (&[("types[0].name", "")], "types[0].name"),
        (
            &[
                ("types[1].name", "STANDING"),
                ("types[1].price", "5"),
                ("types[1].quantity", "5"),
                ("types[1].sale_starts_at", "2026-01-01T09:00"),
                ("types[1].sale_ends_at", "2030-06-01T20:00"),
                ("types[1].max_per_order", "6"),
            ],
            "types[1].name",
        ),
        (&[("capacity", "0")], "capacity"),
        (&[("time_zone", "Mars/Olympus_Mons")], "time_zone"),
        (&[("time_zone", "")], "time_zone"),
        // 31 March 2030: London's clocks go from 01:00 straight to 02:00.
        (&[("starts_at", "2030-03-31T01:30")], "starts_at"),
        // 27 October 2030: they show 01:00-02:00 twice.
        (
            &[("types[0].sale_starts_at", "2030-10-27T01:30")],
            "types[0].sale_starts_at",
        ),
        (&[("currency", "ABC")], "currency"),
        (&[("title", " ")], "title"),
        (&[("status", "sold")], "status"),
        (&[("language", "es")], "language"),
        (&[("language", "")], "language"),
        // A language the shop is not written in.
        (
            &[("translations[es].title", "Noche de jazz")],
            "translations",
        ),
        // The event's own language is the text above.
        (
            &[("translations[en].title", "Harbour Jazz Night")],
            "translations[en].title",
        ),
        // A description needs its title.
        (
            &[("translations[de].description", "Späte Sets am Wasser.")],
            "translations[de].title",
        ),
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
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn quantity_and_capacity_cannot_go_below_tickets_sold_or_held(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let id: Uuid = save(&app, &org, None, listing(&[]))
        .await
        .json()
        .await
        .unwrap();
    for sql in [
        "UPDATE ticket_types SET reserved = 10, sold = 30 WHERE event_id = $1",
        "UPDATE events SET reserved = 10, sold = 30 WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&db).await.unwrap();
    }

    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("types[0].quantity", "39")]).await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = app_error(res).await;
    let refusal = EditRefusal::QuantityBelowTaken {
        position: 0,
        type_name: "Standing".into(),
        taken: 40,
    };
    assert_eq!(err, refusal.clone().into());
    assert_eq!(
        refusal.to_string(),
        "40 Standing tickets are already sold or held, so the quantity cannot go below 40."
    );
    assert_eq!(counters(&db, id).await.0, 100);
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("capacity", "39")]).await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await,
        EditRefusal::CapacityBelowCommitted { committed: 40 }.into()
    );

    for ok in [
        &[("types[0].quantity", "40")][..],
        &[("types[0].quantity", "500"), ("capacity", "40")][..],
    ] {
        assert_eq!(
            save(&app, &org, Some(id), edit(&db, id, ok).await)
                .await
                .status(),
            StatusCode::OK
        );
    }
    assert_eq!(counters(&db, id).await.0, 500);
    // A type with orders cannot be removed; the event keeps it.
    let other = listing(&[("types[0].name", "Seated")]);
    sqlx::query(
        "INSERT INTO orders (id, user_id, total_minor, currency, reserved_until, status, paid_at)
         SELECT gen_random_uuid(), organizer_id, 0, 'GBP', now(), 'paid', now() FROM events WHERE id = $1",
    )
    .bind(id)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor, currency)
         SELECT o.id, t.id, 1, 0, 0, 'GBP' FROM orders o, ticket_types t WHERE t.event_id = $1",
    )
    .bind(id)
    .execute(&db)
    .await
    .unwrap();
    let res = save(&app, &org, Some(id), other).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await,
        EditRefusal::TypeHasOrders {
            type_name: "Standing".into()
        }
        .into()
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn price_is_fixed_once_a_published_type_has_sales(db: PgPool) {
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
        save(
            &app,
            &org,
            Some(id),
            edit(&db, id, &[("types[0].price", "30")]).await
        )
        .await
        .status(),
        StatusCode::OK
    );
    for sql in [
        "UPDATE ticket_types SET sold = 1 WHERE event_id = $1",
        "UPDATE events SET sold = 1 WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&db).await.unwrap();
    }

    for (overrides, refusal) in [
        (
            &[("types[0].price", "35")][..],
            EditRefusal::PriceFixed {
                position: 0,
                type_name: "Standing".into(),
            },
        ),
        (
            &[("types[0].price", "30"), ("currency", "EUR")][..],
            EditRefusal::CurrencyFixed,
        ),
    ] {
        let res = save(&app, &org, Some(id), edit(&db, id, overrides).await).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app_error(res).await, refusal.into());
    }
    assert_eq!(counters(&db, id).await.1, 3000);
    // Nor through a detour: saved as a draft, then repriced, then published.
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("types[0].price", "30"), ("status", "draft")]).await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("types[0].price", "1")]).await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await,
        EditRefusal::PriceFixed {
            position: 0,
            type_name: "Standing".into(),
        }
        .into()
    );
    assert_eq!(counters(&db, id).await.1, 3000);
    // Other fields still can.
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("types[0].price", "30"), ("title", "Renamed")]).await,
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

    let res = app.call(&bob, "organizer/event", &[("id", &id)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = save(&app, &bob, Some(draft), listing(&[("title", "Hijacked")])).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(counters(&db, draft).await.2, "Harbour Jazz Night");
    let bobs: Vec<app::model::OrganizerEventRow> = app
        .call(&bob, "organizer/events", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(bobs.is_empty());
    // Nor the draft's public page, nor its edit page.
    let res = app.get_with(&bob, &format!("/events/{id}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .get_with(&bob, &format!("/organizer/events/{id}/edit"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res = app
        .get_with(&alice, &format!("/organizer/events/{id}/edit"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Harbour Jazz Night"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn times_are_on_the_venues_clock_and_types_can_be_hidden(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    // 08:00 on 1 June in Auckland (NZST, UTC+12) is still 31 May in UTC.
    let fields = listing(&[
        ("time_zone", "Pacific/Auckland"),
        ("starts_at", "2030-06-01T08:00"),
        ("ends_at", "2030-06-01T11:00"),
        ("types[0].sale_ends_at", "2030-06-01T08:00"),
        ("types[1].id", ""),
        ("types[1].name", "Crew"),
        ("types[1].description", "Backstage all night"),
        ("types[1].price", "0"),
        ("types[1].quantity", "5"),
        ("types[1].sale_starts_at", "2026-01-01T09:00"),
        ("types[1].sale_ends_at", "2030-06-01T08:00"),
        ("types[1].max_per_order", "2"),
        ("types[1].hidden", "true"),
        // The spare row the editor shows without JavaScript, left empty.
        ("types[2].id", ""),
        ("types[2].name", ""),
        ("types[2].price", ""),
        ("types[2].quantity", ""),
        ("types[2].sale_starts_at", "2026-01-01T09:00"),
        ("types[2].max_per_order", "10"),
    ]);
    let res = save(&app, &org, None, fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: Uuid = res.json().await.unwrap();

    let (starts_at, zone): (chrono::DateTime<chrono::Utc>, String) =
        sqlx::query_as("SELECT starts_at, time_zone FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(starts_at.to_rfc3339(), "2030-05-31T20:00:00+00:00");
    assert_eq!(zone, "Pacific/Auckland");
    let types: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT name, description, hidden FROM ticket_types WHERE event_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        types,
        [
            ("Standing".into(), String::new(), false),
            ("Crew".into(), "Backstage all night".into(), true)
        ]
    );

    // "My events" lists both, the hidden one marked.
    let mine: Vec<app::model::OrganizerEventRow> = app
        .call(&org, "organizer/events", &[])
        .await
        .json()
        .await
        .unwrap();
    let hidden: Vec<(String, bool)> = mine[0]
        .types
        .iter()
        .map(|t| (t.name.clone(), t.hidden))
        .collect();
    assert_eq!(
        hidden,
        [("Standing".to_string(), false), ("Crew".to_string(), true)]
    );

    // The event's page: the venue's clock, its zone named; the hidden type not listed.
    let page = app
        .get(&format!("/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sat, 1 Jun 2030, 08:00 NZST"), "{page}");
    assert!(page.contains("Pacific/Auckland"));
    assert!(page.contains("Standing") && !page.contains("Crew"));

    // The catalogue's days are the venue's days.
    let on = app
        .get("/?from=2030-06-01&to=2030-06-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(on.contains("Harbour Jazz Night"), "listed on 1 June");
    let before = app.get("/?to=2030-05-31").await.text().await.unwrap();
    assert!(!before.contains("Harbour Jazz Night"), "not on 31 May");

    // The editor gets the times back as they were typed.
    let loaded: app::api::events::EditableEvent = app
        .call(&org, "organizer/event", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(loaded.form.time_zone, "Pacific/Auckland");
    assert_eq!(loaded.form.starts_at, "2030-06-01T08:00");
    assert_eq!(loaded.form.types[1].hidden, "true");
    assert!(
        loaded
            .time_zones
            .iter()
            .any(|z| z.name == "Pacific/Auckland" && [720, 780].contains(&z.utc_offset_minutes))
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_constraint_that_fires_anyway_is_answered_in_words(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let event = support::published_listing(&db, me, "Tight Gig", 1000, 10).await;
    sqlx::query("UPDATE ticket_types SET sold = 8 WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap();
    // A quantity below what is sold, as a racing edit could write it.
    let err = sqlx::query("UPDATE ticket_types SET quantity = 5 WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap_err();
    let expected = app::error::AppError::invalid(
        "types",
        "A ticket type's quantity cannot go below the tickets already sold or held.",
    );
    assert_eq!(
        app::backend::db::constraint_refusal(&err),
        Some(expected.clone())
    );
    assert_eq!(
        app::error::AppError::from(app::backend::BackendError::from(err)),
        expected
    );
    // A time zone PostgreSQL does not know fails inside its CHECK (a data
    // error, not a violation): still the sender's fault, never a 500.
    let err = sqlx::query("UPDATE events SET time_zone = 'Mars/Olympus_Mons' WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(app::backend::db::constraint_refusal(&err), None);
    let answer = app::error::AppError::from(app::backend::BackendError::from(err));
    assert_eq!(answer.status_code(), 422, "{answer:?}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_cancelled_event_stays_cancelled(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let id: Uuid = save(&app, &org, None, listing(&[]))
        .await
        .json()
        .await
        .unwrap();
    // The editor is no way to cancel: that is the job that refunds buyers.
    for id in [Some(id), None] {
        let fields = match id {
            Some(id) => edit(&db, id, &[("status", "cancelled")]).await,
            None => listing(&[("status", "cancelled")]),
        };
        let res = save(&app, &org, id, fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app_error(res).await, EditRefusal::CancelOnSalesPage.into());
    }
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    for overrides in [
        &[("status", "published")][..],
        &[("status", "draft")][..],
        &[("status", "cancelled"), ("title", "Renamed")][..],
    ] {
        let res = save(&app, &org, Some(id), edit(&db, id, overrides).await).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{overrides:?}"
        );
        assert_eq!(app_error(res).await, EditRefusal::Cancelled.into());
    }
    let status: String = sqlx::query_scalar("SELECT status::text FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    assert_eq!(counters(&db, id).await.2, "Harbour Jazz Night");
    // The database holds the rule too, whatever the code does.
    let reopened = sqlx::query("UPDATE events SET status = 'published' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await;
    assert!(reopened.is_err(), "a cancelled event was published again");
}

/// The event's rows in `event_translations`: (language, title, description).
async fn translations(db: &PgPool, event: Uuid) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT locale, title, description FROM event_translations WHERE event_id = $1 ORDER BY locale",
    )
    .bind(event)
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_event_carries_its_title_and_description_in_other_languages(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;

    let res = save(
        &app,
        &org,
        None,
        listing(&[
            ("translations[de].title", " Hafen-Jazznacht "),
            ("translations[de].description", "Späte Sets am Wasser."),
            ("translations[fr].title", "Nuit du jazz au port"),
            ("translations[fr].description", ""),
        ]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: Uuid = res.json().await.unwrap();
    assert_eq!(
        translations(&db, id).await,
        [
            (
                "de".into(),
                "Hafen-Jazznacht".into(),
                "Späte Sets am Wasser.".into()
            ),
            ("fr".into(), "Nuit du jazz au port".into(), String::new()),
        ]
    );

    // The editor loads them back as they were saved.
    let editable: app::api::events::EditableEvent = app
        .call(&org, "organizer/event", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(editable.form.language, "en");
    assert_eq!(editable.form.translations["de"].title, "Hafen-Jazznacht");
    assert_eq!(
        editable.form.translations["fr"].title,
        "Nuit du jazz au port"
    );

    // Written in German now: the German text moves up, the English one becomes
    // a translation, and a French one cleared is gone.
    let res = save(
        &app,
        &org,
        Some(id),
        edit(
            &db,
            id,
            &[
                ("language", "de"),
                ("title", "Hafen-Jazznacht"),
                ("description", "Späte Sets am Wasser."),
                ("translations[en].title", "Harbour Jazz Night"),
                ("translations[en].description", "Late sets by the water."),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let locale: String = sqlx::query_scalar("SELECT locale FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(locale, "de");
    assert_eq!(
        translations(&db, id).await,
        [(
            "en".into(),
            "Harbour Jazz Night".into(),
            "Late sets by the water.".into()
        )]
    );

    // A refused edit changes none of them.
    let res = save(
        &app,
        &org,
        Some(id),
        edit(
            &db,
            id,
            &[
                ("language", "de"),
                ("title", "Hafen-Jazznacht"),
                ("translations[de].title", "Doppelt"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app_error(res)
            .await
            .for_field("translations[de].title")
            .is_some()
    );
    assert_eq!(translations(&db, id).await.len(), 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_code_taking_an_amount_off_fixes_the_currency(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let id: Uuid = save(&app, &org, None, listing(&[]))
        .await
        .json()
        .await
        .unwrap();
    let organizer: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    // 500 off in the event's currency: in another it would be another amount.
    sqlx::query(
        "INSERT INTO event_codes (event_id, code, amount_off_minor, created_by)
         VALUES ($1, 'FIVEOFF', 500, $2)",
    )
    .bind(id)
    .bind(organizer)
    .execute(&db)
    .await
    .unwrap();
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("currency", "EUR")]).await,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await,
        EditRefusal::CurrencyFixedByCodes.into()
    );
    // Disabled, it no longer binds the currency.
    sqlx::query("UPDATE event_codes SET disabled_at = now()")
        .execute(&db)
        .await
        .unwrap();
    let res = save(
        &app,
        &org,
        Some(id),
        edit(&db, id, &[("currency", "EUR")]).await,
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}
