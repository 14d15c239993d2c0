//! Cancelling an event with a few hundred paid orders: sales stop at once, the
//! job refunds every order exactly once although several workers run at once
//! and one is killed mid-way, and the progress adds up.

mod support;

use std::time::Duration;

use app::backend::cancellation;
use app::backend::orders::lifecycle::reserve;
use app::model::{CheckoutRefusal, Role};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{app_error, create_user, fixtures};
use uuid::Uuid;

const ORDERS: i32 = 300;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_cancelled_event_refunds_every_order_once_whatever_happens_to_the_workers(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db)
        .title("Rained Off")
        .ticket_type("Admission", 2500, 1000)
        .create()
        .await;
    let ticket_type = event.types[0];
    sqlx::query(
        "WITH buyers AS (
             INSERT INTO users (email, name, password_hash, email_verified_at)
             SELECT 'rain' || i || '@example.com', 'Buyer ' || i, 'x', now() FROM generate_series(1, $2) i
             RETURNING id),
         made AS (
             INSERT INTO orders (user_id, status, total_minor, currency, reserved_until, paid_at, stripe_payment_intent)
             SELECT id, 'paid', 5000, 'EUR', now(), now(), 'pi_' || md5(id::text) FROM buyers RETURNING id),
         lines AS (
             INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, currency)
             SELECT id, $1, 2, 2500, 'EUR' FROM made RETURNING order_id)
         INSERT INTO passes (order_id, ticket_type_id, seat_no, code)
         SELECT order_id, $1, s, md5(random()::text) || md5(random()::text) FROM lines, generate_series(1, 2) s",
    )
    .bind(ticket_type)
    .bind(ORDERS)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("UPDATE ticket_types SET sold = $2 WHERE id = $1")
        .bind(ticket_type)
        .bind(ORDERS * 2)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET sold = $2 WHERE id = $1")
        .bind(event.id)
        .bind(ORDERS * 2)
        .execute(&db)
        .await
        .unwrap();

    // Only the organizer may cancel it; with a reason.
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = app.signed_in("rival@example.com").await;
    let form = [
        ("event", event.id.to_string()),
        ("reason", "Storm warning".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call(&rival, "organizer/cancel_event", &form)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;
    let res = app.call(&organizer, "organizer/cancel_event", &form).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app.call(&organizer, "organizer/cancel_event", &form).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This event is already cancelled."
    );

    // Sales stop at once.
    let buyer = fixtures::buyer(&db).await;
    let cart = [(ticket_type, 1)].into_iter().collect();
    let err = reserve(&db, buyer, &cart, Duration::from_secs(600))
        .await
        .unwrap_err();
    assert!(
        matches!(
            app::error::AppError::from(err),
            app::error::AppError::Refused(CheckoutRefusal::NotOnSale { .. })
        ),
        "no new holds"
    );
    let progress = cancellation::progress(&db, event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((progress.orders, progress.refunded), (300, 0));

    // One worker (an instance's sweeper) is killed mid-way; two others finish.
    let worker = |db: PgPool| async move {
        loop {
            if cancellation::work(&db, None, 25).await.unwrap() == 0 {
                break;
            }
        }
    };
    let killed = tokio::spawn(worker(db.clone()));
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM refunds")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    while count().await == 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    killed.abort();
    let at_kill = count().await;
    assert!(at_kill < 300, "killed mid-way ({at_kill} of 300 refunded)");
    let (a, b) = (
        tokio::spawn(worker(db.clone())),
        tokio::spawn(worker(db.clone())),
    );
    a.await.unwrap();
    b.await.unwrap();
    // A last pass finds nothing and marks the job finished.
    assert_eq!(cancellation::work(&db, None, 25).await.unwrap(), 0);

    let per_order: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT o.id, count(r.id) FROM orders o LEFT JOIN refunds r ON r.order_id = o.id
         WHERE o.user_id <> $1 GROUP BY o.id",
    )
    .bind(buyer)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(per_order.len(), ORDERS as usize);
    assert!(
        per_order.iter().all(|(_, refunds)| *refunds == 1),
        "each order refunded once"
    );
    let (admitting, statuses, messages, amount): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM passes WHERE refunded_at IS NULL),
                (SELECT count(*) FROM orders WHERE status = 'refunded'),
                (SELECT count(*) FROM outbox WHERE kind = 'tickets_refunded'),
                (SELECT sum(amount_minor)::bigint FROM refunds)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (admitting, statuses, messages, amount),
        (0, 300, 300, 300 * 5000)
    );
    let progress = cancellation::progress(&db, event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((progress.orders, progress.refunded), (300, 300));
    let finished: bool = sqlx::query_scalar(
        "SELECT finished_at IS NOT NULL FROM event_cancellations WHERE event_id = $1",
    )
    .bind(event.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(finished);
    // Without Stripe here every refund waits for the sweeper to send it.
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM refunds WHERE stripe_refund_id IS NULL")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(waiting, 300);
}
