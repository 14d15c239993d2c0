//! Two ticket types sharing an event's capacity smaller than their sum, under
//! a rush of buyers with mixed carts: exactly the capacity is held, no type goes
//! over its own quantity, and every order is all or nothing.

use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::{BackendError, BackendResult};
use app::error::AppError;
use app::model::CheckoutRefusal;
use sqlx::PgPool;
use support::fixtures;
use uuid::Uuid;

const HOLD: Duration = Duration::from_secs(900);

/// An event with `capacity` shared by two types, "Standing" and "Seated", of
/// `quantity` each.
async fn event_with_two_types(db: &PgPool, capacity: i32, quantity: i32) -> (Uuid, Uuid, Uuid) {
    let event = fixtures::event(db)
        .title("Harbour Hall Night")
        .capacity(capacity)
        .ticket_type("Standing", 2500, quantity)
        .max_per_order(4)
        .ticket_type("Seated", 2500, quantity)
        .max_per_order(4)
        .create()
        .await;
    (event.id, event.types[0], event.types[1])
}

/// Held + sold on the event's row and on each type's.
async fn held(db: &PgPool, event: Uuid, types: [Uuid; 2]) -> (i32, i32, i32) {
    sqlx::query_as(
        "SELECT e.reserved + e.sold,
                (SELECT reserved + sold FROM ticket_types WHERE id = $2),
                (SELECT reserved + sold FROM ticket_types WHERE id = $3)
         FROM events e WHERE e.id = $1",
    )
    .bind(event)
    .bind(types[0])
    .bind(types[1])
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn mixed_carts_never_take_more_than_the_shared_capacity(db: PgPool) {
    // 600 standing + 400 seated would be 1,000; the hall holds 80 (scaled down:
    // 60 standing + 60 seated sharing 80).
    let (event, standing, seated) = event_with_two_types(&db, 80, 60).await;
    let mut buyers = Vec::new();
    for _ in 0..150 {
        buyers.push(fixtures::buyer(&db).await);
    }
    let start = Arc::new(tokio::sync::Barrier::new(buyers.len()));
    let tasks: Vec<_> = buyers
        .into_iter()
        .enumerate()
        .map(|(i, user)| {
            let db = db.clone();
            let start = start.clone();
            // A third standing, a third seated, a third one of each.
            let cart = match i % 3 {
                0 => BTreeMap::from([(standing, 2)]),
                1 => BTreeMap::from([(seated, 2)]),
                _ => BTreeMap::from([(standing, 1), (seated, 1)]),
            };
            tokio::spawn(async move {
                start.wait().await;
                reserve(&db, user, &cart, HOLD).await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        let result: BackendResult<Reservation> = task.await.unwrap();
        match result {
            Ok(Reservation::New(order)) => {
                assert_eq!(order.lines.iter().map(|l| l.quantity).sum::<i32>(), 2);
                won += 1;
            }
            Ok(Reservation::Existing(_)) => panic!("each buyer checks out once"),
            Err(BackendError::User(AppError::Refused(refusal))) => assert!(
                matches!(
                    refusal,
                    CheckoutRefusal::SoldOut { .. } | CheckoutRefusal::OnlyLeft { .. }
                ),
                "{refusal:?}"
            ),
            Err(other) => panic!("unexpected failure: {other}"),
        }
    }
    // Two seats per order, 300 asked for: exactly the 80 of the hall are held.
    assert_eq!(won, 40);
    let (all, s, t) = held(&db, event, [standing, seated]).await;
    assert_eq!(all, 80);
    assert_eq!(s + t, 80, "the event's counter is the sum of its types'");
    assert!(
        s <= 60 && t <= 60,
        "no type over its quantity: {s} standing, {t} seated"
    );
    // Every order took all its lines or none.
    let lines: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(i.quantity), 0)::bigint FROM order_items i
         JOIN orders o ON o.id = i.order_id WHERE o.status = 'pending'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(lines, 80);
}

/// The control: taking the types' seats with their guard but checking the
/// capacity by reading it first races, and only the CHECK constraint on the
/// event row stops the oversell.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn without_the_capacity_guard_the_race_is_real(db: PgPool) {
    let (event, standing, seated) = event_with_two_types(&db, 50, 50).await;
    let start = Arc::new(tokio::sync::Barrier::new(150));
    let tasks: Vec<_> = (0..150)
        .map(|i| {
            let db = db.clone();
            let start = start.clone();
            let ticket_type = if i % 2 == 0 { standing } else { seated };
            tokio::spawn(async move {
                start.wait().await;
                let mut tx = db.begin().await?;
                let left: i32 = sqlx::query_scalar("SELECT capacity - reserved - sold FROM events WHERE id = $1")
                    .bind(event)
                    .fetch_one(&mut *tx)
                    .await?;
                if left < 1 {
                    return Ok::<_, sqlx::Error>(false);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                sqlx::query("UPDATE events SET reserved = reserved + 1 WHERE id = $1")
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
                let taken = sqlx::query(
                    "UPDATE ticket_types SET reserved = reserved + 1 WHERE id = $1 AND quantity - reserved - sold >= 1",
                )
                .bind(ticket_type)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(taken == 1)
            })
        })
        .collect();
    let mut constraint_fired = 0;
    for task in tasks {
        if let Err(sqlx::Error::Database(err)) = task.await.unwrap() {
            assert_eq!(err.constraint(), Some("events_within_capacity"));
            constraint_fired += 1;
        }
    }
    assert!(constraint_fired > 0, "the naive capacity check never raced");
    assert_eq!(
        held(&db, event, [standing, seated]).await.0,
        50,
        "the constraint held the line"
    );
}
