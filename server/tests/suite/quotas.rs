//! A quota (issue 30): a hidden type whose seats the event's shared capacity
//! sets aside for code holders until a set time, then sells to everyone.

use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::backend::catalogue;
use app::backend::codes::{self, EventCodes, NewCode};
use app::backend::orders::reserve::{Reservation, reserve, reserve_with_codes};
use app::backend::{BackendError, BackendResult};
use app::error::AppError;
use app::i18n::Locale;
use app::model::CheckoutRefusal;
use app::model::Role;
use app::model::price::Discount;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::fixtures::{self, BuiltEvent};
use support::{create_user, session_user};
use uuid::Uuid;

use super::events::{listing, save};

const HOLD: Duration = Duration::from_secs(1800);

fn cart(ticket: Uuid, quantity: i64) -> BTreeMap<Uuid, i64> {
    BTreeMap::from([(ticket, quantity)])
}

/// An event with a capacity of `capacity` shared by "Standing" (as many) and
/// a "Fan club" quota of `quota` seats set aside until an hour from now, and a code
/// covering the quota.
async fn event_with_quota(db: &PgPool, capacity: i32, quota: i32) -> (BuiltEvent, EventCodes) {
    let event = fixtures::event(db)
        .capacity(capacity)
        .ticket_type("Standing", 2500, capacity)
        .max_per_order(100)
        .ticket_type("Fan club", 2500, quota)
        .max_per_order(100)
        .create()
        .await;
    sqlx::query(
        "UPDATE ticket_types SET hidden = true, quota_until = now() + interval '1 hour' WHERE id = $1",
    )
    .bind(event.types[1])
    .execute(db)
    .await
    .unwrap();
    let organizer = session_user(db, event.organizer).await;
    let made = codes::create_bulk(
        db,
        &organizer,
        event.id,
        1,
        &NewCode {
            discount: Discount::None,
            ticket_types: vec![event.types[1]],
            ..NewCode::default()
        },
    )
    .await
    .expect("code made");
    let codes = BTreeMap::from([(event.id, made[0].clone())]);
    (event, codes)
}

fn refusal(result: &BackendResult<Reservation>) -> Option<&CheckoutRefusal> {
    match result {
        Err(BackendError::User(AppError::Refused(refusal))) => Some(refusal),
        _ => None,
    }
}

/// (name, available, hidden) of each type a visitor without a code sees.
async fn listed(db: &PgPool, event: Uuid) -> Vec<(String, i32, bool)> {
    catalogue::detail(db, event, None, Locale::default(), None)
        .await
        .unwrap()
        .types
        .into_iter()
        .map(|t| (t.name, t.available, t.quota_until.is_some()))
        .collect()
}

async fn event_counters(db: &PgPool, event: Uuid) -> (i32, i32) {
    sqlx::query_as("SELECT reserved, sold FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_quota_sets_its_seats_aside_for_code_holders_until_it_ends(db: PgPool) {
    let (event, code) = event_with_quota(&db, 10, 4).await;
    let (standing, fans) = (event.types[0], event.types[1]);
    assert_eq!(listed(&db, event.id).await, [("Standing".into(), 6, false)]);

    // Everyone else shares the 6 seats the quota leaves.
    let ada = fixtures::buyer(&db).await;
    let r = reserve(&db, ada, &cart(standing, 7), HOLD).await;
    assert_eq!(
        refusal(&r),
        Some(&CheckoutRefusal::OnlyLeft {
            title: "Test Event · Standing".into(),
            left: 6
        }),
        "{r:?}"
    );
    assert!(matches!(
        reserve(&db, ada, &cart(standing, 5), HOLD).await,
        Ok(Reservation::New(_))
    ));
    // A code holder takes two of the four; two stay set aside.
    let holder = fixtures::buyer(&db).await;
    assert!(matches!(
        reserve_with_codes(&db, holder, &cart(fans, 2), &code, HOLD).await,
        Ok(Reservation::New(_))
    ));
    let bob = fixtures::buyer(&db).await;
    assert!(matches!(
        reserve(&db, bob, &cart(standing, 1), HOLD).await,
        Ok(Reservation::New(_))
    ));
    assert_eq!(listed(&db, event.id).await, [("Standing".into(), 0, false)]);
    let cy = fixtures::buyer(&db).await;
    let r = reserve(&db, cy, &cart(standing, 1), HOLD).await;
    assert!(
        matches!(refusal(&r), Some(CheckoutRefusal::SoldOut { .. })),
        "{r:?}"
    );
    // Without the code the quota is not for sale at all.
    let r = reserve(&db, cy, &cart(fans, 1), HOLD).await;
    assert!(
        matches!(refusal(&r), Some(CheckoutRefusal::NotOnSale { .. })),
        "{r:?}"
    );
    // The holder's page shows the quota and when it ends.
    let offers = codes::usable(&db, &code).await.unwrap();
    let page = catalogue::detail(
        &db,
        event.id,
        Some(holder),
        Locale::default(),
        offers.get(&event.id),
    )
    .await
    .unwrap();
    let quota = page.types.iter().find(|t| t.name == "Fan club").unwrap();
    assert!(quota.hidden && quota.quota_until.is_some());
    assert_eq!(quota.available, 2);

    // The quota ends: its two seats are everyone's, listed, without a code.
    sqlx::query("UPDATE ticket_types SET quota_until = now() - interval '1 second' WHERE id = $1")
        .bind(fans)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        listed(&db, event.id).await,
        [("Standing".into(), 2, false), ("Fan club".into(), 2, false)]
    );
    assert!(matches!(
        reserve(&db, cy, &cart(fans, 1), HOLD).await,
        Ok(Reservation::New(_))
    ));
    let dan = fixtures::buyer(&db).await;
    assert!(matches!(
        reserve(&db, dan, &cart(standing, 1), HOLD).await,
        Ok(Reservation::New(_))
    ));
    assert_eq!(event_counters(&db, event.id).await, (10, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_rush_for_the_general_seats_never_takes_the_quotas(db: PgPool) {
    // 50 seats, 20 set aside: 60 buyers race for the other 30 while 20 holders
    // take the quota's, all at once.
    let (event, code) = event_with_quota(&db, 50, 20).await;
    let (standing, fans) = (event.types[0], event.types[1]);
    let start = Arc::new(tokio::sync::Barrier::new(80));
    let mut tasks = Vec::new();
    for n in 0..80 {
        let user = fixtures::buyer(&db).await;
        let (db, start, code) = (db.clone(), start.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            if n % 4 == 0 {
                (
                    true,
                    reserve_with_codes(&db, user, &cart(fans, 1), &code, HOLD).await,
                )
            } else {
                (false, reserve(&db, user, &cart(standing, 1), HOLD).await)
            }
        }));
    }
    let (mut general, mut holders) = (0, 0);
    for task in tasks {
        let (holder, result) = task.await.unwrap();
        match (&result, holder) {
            (Ok(Reservation::New(_)), true) => holders += 1,
            (Ok(Reservation::New(_)), false) => general += 1,
            // Losers are told it is sold out: no constraint fired.
            _ => assert!(
                !holder && matches!(refusal(&result), Some(CheckoutRefusal::SoldOut { .. })),
                "{result:?}"
            ),
        }
    }
    assert_eq!((general, holders), (30, 20));
    assert_eq!(event_counters(&db, event.id).await, (50, 0));
    let held: Vec<i32> = sqlx::query_scalar(
        "SELECT reserved FROM ticket_types WHERE event_id = $1 ORDER BY position",
    )
    .bind(event.id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(held, [30, 20]);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_editor_sets_a_quota_on_a_hidden_type_within_its_sale(db: PgPool) {
    create_user(&db, "org@example.com", Role::Organizer).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    let with_quota = |overrides: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("capacity", "100"),
            ("types[1].id", ""),
            ("types[1].name", "Fan club"),
            ("types[1].price", "25.00"),
            ("types[1].quantity", "30"),
            ("types[1].sale_starts_at", "2026-01-01T09:00"),
            ("types[1].sale_ends_at", "2030-06-01T20:00"),
            ("types[1].max_per_order", "4"),
            ("types[1].hidden", "true"),
            ("types[1].quota_until", "2030-05-01T10:00"),
        ];
        for (key, value) in overrides {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
        }
        listing(&fields)
    };
    let refused = |overrides: &'static [(&'static str, &'static str)], field: &'static str| {
        let (app, org) = (&app, &org);
        async move {
            let res = save(app, org, None, with_quota(overrides)).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{overrides:?}"
            );
            let error = support::app_error(res).await;
            assert!(
                format!("{error:?}").contains(field),
                "{overrides:?}: {error:?}"
            );
            error.to_string()
        }
    };
    // Only a hidden type, released while its sale is open, within the capacity.
    let said = refused(&[("types[1].hidden", "")], "types[1].quota_until").await;
    assert!(said.contains("Only a hidden type"), "{said}");
    let said = refused(
        &[("types[1].quota_until", "2030-06-02T10:00")],
        "types[1].quota_until",
    )
    .await;
    assert!(said.contains("while sales are open"), "{said}");
    refused(
        &[("types[1].quota_until", "someday")],
        "types[1].quota_until",
    )
    .await;
    let said = refused(&[("capacity", "20")], "capacity").await;
    assert!(said.contains("The quotas set aside 30 seats"), "{said}");
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(before, 0, "nothing refused was saved");

    let res = save(&app, &org, None, with_quota(&[])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: Uuid = res.json().await.unwrap();
    let until: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT quota_until FROM ticket_types WHERE event_id = $1 AND hidden")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    // 10:00 in London on 1 May is British Summer Time.
    assert_eq!(until.to_rfc3339(), "2030-05-01T09:00:00+00:00");
    let loaded: app::api::events::EditableEvent = app
        .call(&org, "organizer/event", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(loaded.form.types[1].quota_until, "2030-05-01T10:00");
    assert_eq!(loaded.form.types[0].quota_until, "");
    // The visitor's page sets 30 of the 100 seats aside from Standing's.
    assert_eq!(listed(&db, id).await, [("Standing".into(), 70, false)]);
}
