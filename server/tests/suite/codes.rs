//! Event codes (issue 30, first slice): their uses are counted with the seats,
//! exactly, under a rush; they unlock hidden types and take their discount off
//! what is charged and what each ticket records.

use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::backend::codes::{self, EventCodes, NewCode};
use app::backend::orders::release::release_overdue;
use app::backend::orders::reserve::{Reservation, reserve, reserve_with_codes};
use app::backend::orders::settle::{Payment, PaymentOutcome, confirm_payment};
use app::backend::payments::EventKind;
use app::backend::{BackendError, BackendResult};
use app::error::AppError;
use app::model::CheckoutRefusal;
use app::model::price::Discount;
use sqlx::PgPool;
use support::fixtures::{self, BuiltEvent};
use support::{eur, session_user};
use uuid::Uuid;

const HOLD: Duration = Duration::from_secs(1800);

fn cart(ticket: Uuid, quantity: i64) -> BTreeMap<Uuid, i64> {
    BTreeMap::from([(ticket, quantity)])
}

/// A code for `event` covering `types`, made by its organizer.
async fn code(
    db: &PgPool,
    event: &BuiltEvent,
    types: &[Uuid],
    max_uses: Option<i32>,
    discount: Discount,
) -> String {
    let organizer = session_user(db, event.organizer).await;
    let made = codes::create_bulk(
        db,
        &organizer,
        event.id,
        1,
        &NewCode {
            discount,
            max_uses,
            ticket_types: types.to_vec(),
            ..NewCode::default()
        },
    )
    .await
    .expect("code made");
    made[0].clone()
}

fn with(event: &BuiltEvent, code: &str) -> EventCodes {
    BTreeMap::from([(event.id, code.to_string())])
}

async fn used(db: &PgPool, code: &str) -> i32 {
    sqlx::query_scalar("SELECT used FROM event_codes WHERE code = $1")
        .bind(code)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn hide(db: &PgPool, ticket: Uuid) {
    sqlx::query("UPDATE ticket_types SET hidden = true WHERE id = $1")
        .bind(ticket)
        .execute(db)
        .await
        .unwrap();
}

fn refused_code(result: &BackendResult<Reservation>) -> bool {
    matches!(
        result,
        Err(BackendError::User(AppError::Refused(
            CheckoutRefusal::CodeNotAccepted { .. }
        )))
    )
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_hundred_buyers_racing_for_a_code_with_fifty_uses_get_exactly_fifty(db: PgPool) {
    // Seats enough for all: the code is what runs out.
    let event = fixtures::event(&db)
        .ticket_type("Friends", 2500, 500)
        .create()
        .await;
    let friends = event.types[0];
    hide(&db, friends).await;
    let fans = code(&db, &event, &[friends], Some(50), Discount::Percent(20)).await;
    let mut buyers = Vec::new();
    for _ in 0..200 {
        buyers.push(fixtures::buyer(&db).await);
    }
    let start = Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = buyers
        .into_iter()
        .map(|user| {
            let (db, start, codes) = (db.clone(), start.clone(), with(&event, &fans));
            tokio::spawn(async move {
                start.wait().await;
                reserve_with_codes(&db, user, &cart(friends, 1), &codes, HOLD).await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        let result = task.await.unwrap();
        match &result {
            Ok(Reservation::New(order)) => {
                won += 1;
                assert_eq!(order.total, eur(2000), "20% off €25");
            }
            // Every loser is told the code cannot be used: the CHECK never fired.
            _ => assert!(refused_code(&result), "{result:?}"),
        }
    }
    assert_eq!(won, 50);
    assert_eq!(used(&db, &fans).await, 50);
    let (reserved, sold): (i32, i32) =
        sqlx::query_as("SELECT reserved, sold FROM ticket_types WHERE id = $1")
            .bind(friends)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((reserved, sold), (50, 0));
    let lines: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM order_items i JOIN event_codes c ON c.id = i.code_id
         WHERE c.code = $1 AND i.discount_minor = 500 AND i.amount_minor = 2000",
    )
    .bind(&fans)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(lines, 50);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_expired_hold_gives_its_code_uses_back(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 100)
        .max_per_order(5)
        .create()
        .await;
    let ticket = event.types[0];
    let two = code(&db, &event, &[ticket], Some(2), Discount::None).await;
    let (ada, bob) = (fixtures::buyer(&db).await, fixtures::buyer(&db).await);
    let Reservation::New(held) =
        reserve_with_codes(&db, ada, &cart(ticket, 2), &with(&event, &two), HOLD)
            .await
            .unwrap()
    else {
        panic!("a new hold");
    };
    assert_eq!(used(&db, &two).await, 2, "a use is a ticket");
    let refused = reserve_with_codes(&db, bob, &cart(ticket, 1), &with(&event, &two), HOLD).await;
    assert!(refused_code(&refused), "{refused:?}");

    sqlx::query("UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = $1")
        .bind(held.id)
        .execute(&db)
        .await
        .unwrap();
    assert!(release_overdue(&db, held.id).await.unwrap());
    assert_eq!(used(&db, &two).await, 0, "given back with the seats");
    let again = reserve_with_codes(&db, bob, &cart(ticket, 1), &with(&event, &two), HOLD).await;
    assert!(matches!(again, Ok(Reservation::New(_))), "{again:?}");
    assert_eq!(used(&db, &two).await, 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_discount_is_what_is_charged_and_what_each_ticket_records(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2550, 100)
        .max_per_order(5)
        .create()
        .await;
    let ticket = event.types[0];
    let tenth = code(&db, &event, &[ticket], None, Discount::Percent(10)).await;
    let ada = fixtures::buyer(&db).await;
    let Reservation::New(order) =
        reserve_with_codes(&db, ada, &cart(ticket, 3), &with(&event, &tenth), HOLD)
            .await
            .unwrap()
    else {
        panic!("a new hold");
    };
    // 10% off €25.50 is €2.55: €22.95 a ticket, €68.85 for three.
    assert_eq!(order.total, eur(6885));
    assert_eq!(
        order.lines[0].ticket_price,
        eur(2550),
        "the list price stays"
    );
    assert_eq!(order.lines[0].charged(), eur(2295));
    let outcome = confirm_payment(
        &db,
        &Payment {
            event_id: "evt_code_paid".into(),
            event_type: EventKind::CheckoutCompleted,
            order_id: order.id,
            amount: eur(6885),
            payment_intent: Some("pi_code".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome, PaymentOutcome::Fulfilled);
    let prices: Vec<i64> =
        sqlx::query_scalar("SELECT price_minor FROM tickets WHERE order_id = $1")
            .bind(order.id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(prices, vec![2295, 2295, 2295]);
    // Paid: the uses stay counted.
    assert_eq!(used(&db, &tenth).await, 3);

    // Charged the list price instead (a wrong session): not kept, and the
    // hold's uses come back with its seats.
    let bob = fixtures::buyer(&db).await;
    let Reservation::New(other) =
        reserve_with_codes(&db, bob, &cart(ticket, 1), &with(&event, &tenth), HOLD)
            .await
            .unwrap()
    else {
        panic!("a new hold");
    };
    assert_eq!(used(&db, &tenth).await, 4);
    let outcome = confirm_payment(
        &db,
        &Payment {
            event_id: "evt_code_list_price".into(),
            event_type: EventKind::CheckoutCompleted,
            order_id: other.id,
            amount: eur(2550),
            payment_intent: Some("pi_list".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome, PaymentOutcome::MustRefund);
    assert_eq!(used(&db, &tenth).await, 3);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_hidden_type_is_sold_only_with_a_code_that_covers_it(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Public", 2500, 10)
        .ticket_type("Guest list", 0, 10)
        .create()
        .await;
    let (public, guests) = (event.types[0], event.types[1]);
    hide(&db, guests).await;
    let for_public = code(&db, &event, &[public], None, Discount::None).await;
    let for_guests = code(&db, &event, &[guests], Some(5), Discount::None).await;
    let other = fixtures::event(&db)
        .ticket_type("Elsewhere", 2500, 10)
        .create()
        .await;
    let of_other = code(&db, &other, &[other.types[0]], None, Discount::None).await;
    let buyer = fixtures::buyer(&db).await;
    let not_on_sale = |r: &BackendResult<Reservation>| {
        matches!(
            r,
            Err(BackendError::User(AppError::Refused(
                CheckoutRefusal::NotOnSale { .. }
            )))
        )
    };
    // No code, a code for another type, or another event's code: not on sale.
    let r = reserve(&db, buyer, &cart(guests, 1), HOLD).await;
    assert!(not_on_sale(&r), "{r:?}");
    let r = reserve_with_codes(
        &db,
        buyer,
        &cart(guests, 1),
        &with(&event, &for_public),
        HOLD,
    )
    .await;
    assert!(not_on_sale(&r), "{r:?}");
    let r = reserve_with_codes(&db, buyer, &cart(guests, 1), &with(&event, &of_other), HOLD).await;
    assert!(
        refused_code(&r),
        "another event's code is unknown here: {r:?}"
    );
    // An unknown code and a disabled one read the same.
    let r = reserve_with_codes(
        &db,
        buyer,
        &cart(guests, 1),
        &with(&event, "NOSUCHCODE"),
        HOLD,
    )
    .await;
    assert!(refused_code(&r), "{r:?}");
    // The right code: a free guest-list ticket.
    let r = reserve_with_codes(
        &db,
        buyer,
        &cart(guests, 1),
        &with(&event, &for_guests),
        HOLD,
    )
    .await;
    assert!(matches!(r, Ok(Reservation::New(_))), "{r:?}");
    assert_eq!(used(&db, &for_guests).await, 1);
    let organizer = session_user(&db, event.organizer).await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM event_codes WHERE code = $1")
        .bind(&for_guests)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(
        !codes::disable(&db, &organizer, Uuid::new_v4(), id)
            .await
            .unwrap(),
        "only as the code's own event's"
    );
    assert!(codes::disable(&db, &organizer, event.id, id).await.unwrap());
    let late = fixtures::buyer(&db).await;
    let r = reserve_with_codes(
        &db,
        late,
        &cart(guests, 1),
        &with(&event, &for_guests),
        HOLD,
    )
    .await;
    assert!(refused_code(&r), "disabled reads as unknown: {r:?}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_the_events_organizer_makes_codes_and_bad_ones_are_refused(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 10)
        .create()
        .await;
    let organizer = session_user(&db, event.organizer).await;
    let spec = NewCode {
        ticket_types: event.types.clone(),
        ..NewCode::default()
    };
    let made = codes::create_bulk(&db, &organizer, event.id, 20, &spec)
        .await
        .unwrap();
    let distinct: std::collections::BTreeSet<_> = made.iter().collect();
    assert_eq!(distinct.len(), 20);
    // Another organizer: the event does not exist for them.
    let stranger = session_user(&db, fixtures::organizer(&db).await).await;
    let refused = codes::create_bulk(&db, &stranger, event.id, 1, &spec).await;
    assert!(
        matches!(refused, Err(BackendError::User(AppError::NotFound))),
        "{refused:?}"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM event_codes")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 20, "nothing made by the refusal");
    // One chosen code, typed loosely, and the same again.
    codes::create(&db, &organizer, event.id, "fan-club 2026", &spec)
        .await
        .unwrap();
    let again = codes::create(&db, &organizer, event.id, "FANCLUB2026", &spec).await;
    assert!(matches!(
        again,
        Err(BackendError::User(AppError::Invalid { .. }))
    ));
    // Bad specs: refused with a field, nothing written.
    for bad in [
        NewCode {
            discount: Discount::Percent(120),
            ..spec.clone()
        },
        NewCode {
            max_uses: Some(0),
            ..spec.clone()
        },
        NewCode {
            ticket_types: vec![Uuid::new_v4()],
            ..spec.clone()
        },
        NewCode {
            ticket_types: vec![],
            ..spec.clone()
        },
    ] {
        let refused = codes::create(&db, &organizer, event.id, "ANOTHER1", &bad).await;
        assert!(
            matches!(refused, Err(BackendError::User(AppError::Invalid { .. }))),
            "{bad:?}: {refused:?}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM event_codes")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 21);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_database_refuses_more_uses_than_a_code_has(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 10)
        .create()
        .await;
    let three = code(&db, &event, &event.types, Some(3), Discount::None).await;
    for (used, allowed) in [(3, true), (4, false), (-1, false)] {
        let result = sqlx::query("UPDATE event_codes SET used = $2 WHERE code = $1")
            .bind(&three)
            .bind(used)
            .execute(&db)
            .await;
        match result {
            Ok(_) => assert!(allowed, "used = {used} was let through"),
            Err(err) => {
                assert!(!allowed, "used = {used}: {err}");
                assert_eq!(
                    app::backend::db::violated_constraint(&err),
                    Some("event_codes_within_uses")
                );
            }
        }
    }
}
