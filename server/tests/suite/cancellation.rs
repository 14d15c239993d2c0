//! Cancelling an event with a few hundred paid orders: sales stop at once, the
//! job refunds every order exactly once although several workers run at once
//! and one (a real second server process) is killed with SIGKILL mid-way, and
//! the progress adds up.

use crate::support;

use std::time::Duration;

use app::backend::cancellation;
use app::backend::orders::reserve::reserve;
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
             INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor, currency)
             SELECT id, $1, 2, 2500, 5000, 'EUR' FROM made RETURNING order_id)
         INSERT INTO tickets (order_id, ticket_type_id, seat_no, code, price_minor)
         SELECT order_id, $1, s, md5(random()::text) || md5(random()::text), 2500 FROM lines, generate_series(1, 2) s",
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

    // A real second instance (the server binary, its sweeper every second)
    // starts on the job and is killed with SIGKILL mid-way; two workers here
    // finish it.
    let worker = |db: PgPool| async move {
        loop {
            if app::backend::jobs::cancellations::run(&db, None, 25)
                .await
                .unwrap()
                == 0
            {
                break;
            }
        }
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM refunds")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    let mut instance = second_instance(&db);
    let started = std::time::Instant::now();
    while count().await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the second instance's sweeper never started on the job"
        );
        if let Some(status) = instance.try_wait().unwrap() {
            panic!("the second instance stopped by itself: {status}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    instance.kill().expect("SIGKILL the second instance");
    instance.wait().unwrap();
    let at_kill = count().await;
    assert!(at_kill < 300, "killed mid-way ({at_kill} of 300 refunded)");
    let (a, b) = (
        tokio::spawn(worker(db.clone())),
        tokio::spawn(worker(db.clone())),
    );
    a.await.unwrap();
    b.await.unwrap();
    // A last pass finds nothing and marks the job finished.
    assert_eq!(
        app::backend::jobs::cancellations::run(&db, None, 25)
            .await
            .unwrap(),
        0
    );

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
        "SELECT (SELECT count(*) FROM tickets WHERE refunded_at IS NULL),
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

/// The server binary serving the test's database, its sweeper every second:
/// another instance of the shop, in a process of its own.
fn second_instance(db: &PgPool) -> std::process::Child {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL for sqlx::test");
    let name = db
        .connect_options()
        .get_database()
        .expect("the test database's name")
        .to_string();
    let (server, _) = base.rsplit_once('/').expect("a database URL");
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", format!("{server}/{name}"))
        .env("VALKEY_URL", support::valkey_url())
        .env("VALKEY_PREFIX", format!("test:{}:", Uuid::new_v4()))
        .env("LEPTOS_OUTPUT_NAME", "ticket-sales")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("METRICS_ADDR", "off")
        .env("MIGRATE_ON_SERVE", "false")
        .env("SWEEPER_INTERVAL_SECS", "1")
        .env("RUST_LOG", "error")
        .env_remove("STRIPE_SECRET_KEY")
        .env_remove("SMTP_URL")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

/// `orders` paid orders of two tickets each through the emulator: the
/// buyer's checkout makes a session, the emulator pays it and Stripe's
/// webhook confirms it.
async fn paid_through_stripe(shop: &support::shop::Shop, ticket_type: Uuid, orders: usize) {
    use app::backend::cart::store::{self, CartOwner};
    use app::backend::orders::checkout::{CheckoutNext, start_checkout};
    use futures::StreamExt;
    let state = &shop.app.state;
    let sessions: Vec<String> = futures::stream::iter(0..orders)
        .map(|_| async move {
            let buyer = fixtures::buyer(&state.db).await;
            let user = crate::support::session_user(&state.db, buyer).await;
            store::add(&state.valkey, CartOwner::User(buyer), ticket_type, 2)
                .await
                .unwrap();
            let no_queue = app::backend::queue::Gate::new(b"", "", Vec::new());
            match start_checkout(&state.checkout(), &user, &no_queue)
                .await
                .unwrap()
            {
                CheckoutNext::Pay { url } => url.rsplit('/').next().unwrap().to_string(),
                CheckoutNext::ShowOrder { .. } => panic!("a paid order needs a session"),
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    futures::stream::iter(sessions)
        .for_each_concurrent(8, |session| async move {
            shop.control(&format!("sessions/{session}/pay")).await;
        })
        .await;
    for _ in 0..200 {
        let paid: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'paid'")
            .fetch_one(&state.db)
            .await
            .unwrap();
        if paid == orders as i64 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the webhooks did not confirm every order");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn refunds_stripe_refuses_or_answers_too_late_are_made_once_each(db: PgPool) {
    const PAID: usize = 200;
    let shop = support::shop::shop(db.clone()).await;
    let event = fixtures::event(&db)
        .title("Flooded Out")
        .ticket_type("Admission", 2500, 1000)
        .create()
        .await;
    paid_through_stripe(&shop, event.types[0], PAID).await;
    let email = support::email_of(&db, event.organizer).await;
    let organizer = shop.app.signed_in(&email).await;
    let res = shop
        .app
        .call(
            &organizer,
            "organizer/cancel_event",
            &[
                ("event", &event.id.to_string()),
                ("reason", "The hall is flooded"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Stripe refuses the first 60 refund requests (its rate limit) and the
    // answers to 30 refunds it made never arrive.
    shop.emulator.rate_limit_refunds(60);
    shop.emulator.lose_refund_responses(30);
    let payments = shop.app.state.payments.clone().unwrap();
    // Each worker is an instance's sweeper; the first is killed mid-way.
    let sweeper = |db: PgPool,
                   valkey: app::backend::valkey::Valkey,
                   payments: std::sync::Arc<app::backend::payments::Payments>| async move {
        loop {
            let report = app::backend::jobs::sweep_once(&db, &valkey, Some(&payments))
                .await
                .unwrap();
            if report.cancellation_refunds == 0 && report.refunds_retried == 0 {
                break;
            }
        }
    };
    let state = &shop.app.state;
    let killed = tokio::spawn(sweeper(db.clone(), state.valkey.clone(), payments.clone()));
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM refunds")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    while count().await < 10 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    killed.abort();
    let _ = killed.await;
    assert!(count().await < PAID as i64, "killed mid-way");
    // The others go on; the refunds Stripe did not take wait out their backoff
    // (moved along here, as time would) and are asked again under the same key.
    for _ in 0..20 {
        let (a, b) = (
            tokio::spawn(sweeper(db.clone(), state.valkey.clone(), payments.clone())),
            tokio::spawn(sweeper(db.clone(), state.valkey.clone(), payments.clone())),
        );
        a.await.unwrap();
        b.await.unwrap();
        let waiting =
            sqlx::query("UPDATE refunds SET retry_after = now() WHERE stripe_refund_id IS NULL")
                .execute(&db)
                .await
                .unwrap()
                .rows_affected();
        if waiting == 0 && count().await == PAID as i64 {
            break;
        }
    }

    // The faults happened…
    let config = shop.control_with("config", serde_json::json!({})).await;
    assert_eq!(
        (
            config["rate_limit_refunds"].as_u64(),
            config["lose_refund_responses"].as_u64()
        ),
        (Some(0), Some(0)),
        "every refusal and lost answer was used"
    );
    // …and every paid order was refunded exactly once, at Stripe and here.
    let stripe = shop.listed("refunds").await;
    let mut intents: Vec<&str> = stripe
        .iter()
        .map(|r| r["payment_intent"].as_str().unwrap())
        .collect();
    intents.sort_unstable();
    intents.dedup();
    assert_eq!(
        (stripe.len(), intents.len()),
        (PAID, PAID),
        "one Stripe refund per payment"
    );
    assert!(stripe.iter().all(|r| r["amount"] == 5000));
    let (refunds, settled, orders, refunded, admitting, messages): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM refunds),
                    (SELECT count(DISTINCT stripe_refund_id) FROM refunds),
                    (SELECT count(DISTINCT order_id) FROM refunds),
                    (SELECT count(*) FROM orders WHERE status = 'refunded' AND refunded_minor = total_minor),
                    (SELECT count(*) FROM tickets WHERE refunded_at IS NULL),
                    (SELECT count(*) FROM outbox WHERE kind = 'tickets_refunded')",
        )
        .fetch_one(&db)
        .await
        .unwrap();
    let n = PAID as i64;
    assert_eq!(
        (refunds, settled, orders, refunded, admitting, messages),
        (n, n, n, n, 0, n)
    );
    let ids: Vec<String> = sqlx::query_scalar("SELECT stripe_refund_id FROM refunds ORDER BY 1")
        .fetch_all(&db)
        .await
        .unwrap();
    let mut at_stripe: Vec<String> = stripe
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    at_stripe.sort();
    assert_eq!(
        ids, at_stripe,
        "each refund recorded with the id Stripe gave it"
    );
    let progress = cancellation::progress(&db, event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((progress.orders, progress.refunded), (n, n));
}
