//! The shop against a Stripe emulator that is as strict as Stripe: session
//! lifetimes with short holds, free orders, double clicks, webhooks for orders we
//! do not know, refunds and disputes made at Stripe, a sweeper queue with stuck
//! sessions, webhook secret rotation and events in another API version's shape.

use crate::support;

use std::time::Duration;

use app::backend::checkin::{CheckIn, check_in};
use app::backend::jobs::{Sweep, sweep_once, sweep_with};

use app::model::Role;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use stripe_emulator::sign;
use support::shop::{
    SECRET, Shop, checked_out, counters, listing, order_status, run_out_hold, shop, shop_with,
    until_status,
};
use support::{app_error, create_user};
use uuid::Uuid;

fn now() -> i64 {
    Utc::now().timestamp()
}

/// A signed-in buyer with `quantity` of `ticket` in the cart, and the buyer's id.
async fn buyer_with_cart(shop: &Shop, ticket: Uuid, quantity: i64) -> (reqwest::Client, Uuid) {
    let (buyer, email) = support::shop::buyer_with_cart(shop, ticket, quantity).await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&shop.app.state.db)
        .await
        .unwrap();
    (buyer, id)
}

async fn count(db: &PgPool, sql: &'static str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

/// Pays the order's session at the emulator and waits for the webhook.
async fn paid(shop: &Shop, order: Uuid, session: &str) -> String {
    shop.control(&format!("sessions/{session}/pay")).await;
    until_status(&shop.app.state.db, order, "paid").await;
    shop.emulator.session(session).unwrap()["payment_intent"]
        .as_str()
        .expect("a paid session names its payment intent")
        .to_string()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_short_hold_gets_a_session_stripe_accepts_and_the_sweeper_expires_it(db: PgPool) {
    // Ten minutes: shorter than the 30 minutes Stripe requires of a session.
    let shop = shop_with(db.clone(), &[("RESERVATION_TIMEOUT_SECS", "600")]).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    let at_stripe = shop.emulator.session(&session).unwrap();
    let created = at_stripe["created"].as_i64().unwrap();
    let lifetime = at_stripe["expires_at"].as_i64().unwrap() - created;
    assert!(
        (30 * 60..=24 * 3600).contains(&lifetime),
        "session lifetime {lifetime} s"
    );
    let held_until: DateTime<Utc> =
        sqlx::query_scalar("SELECT reserved_until FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    let hold = held_until.timestamp() - created;
    assert!((595..=605).contains(&hold), "hold {hold} s");

    // The hold runs out long before the session would: the shop expires it.
    run_out_hold(&db, order).await;
    sweep_once(
        &db,
        &shop.app.state.valkey,
        shop.app.state.payments.as_deref(),
    )
    .await
    .unwrap();
    until_status(&db, order, "expired").await;
    assert_eq!(counters(&db, ticket).await, (0, 0));
    assert_eq!(
        shop.emulator.session(&session).unwrap()["status"],
        "expired"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_order_made_long_ago_checks_out_with_an_expiry_stripe_accepts(db: PgPool) {
    // A waiting-list offer: the order was made 25 minutes ago, its hold runs
    // ten more, and the buyer opens the payment page only now.
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (buyer, buyer_id) = buyer_with_cart(&shop, ticket, 2).await;
    let cart = [(ticket, 2)].into_iter().collect();
    let app::backend::orders::reserve::Reservation::New(order) =
        app::backend::orders::reserve::reserve(&db, buyer_id, &cart, Duration::from_secs(600))
            .await
            .unwrap()
    else {
        panic!("a new hold");
    };
    sqlx::query("UPDATE orders SET created_at = now() - interval '25 minutes' WHERE id = $1")
        .bind(order.id)
        .execute(&db)
        .await
        .unwrap();
    let res = shop.app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let session: String = sqlx::query_scalar("SELECT stripe_session_id FROM orders WHERE id = $1")
        .bind(order.id)
        .fetch_one(&db)
        .await
        .unwrap();
    let at_stripe = shop.emulator.session(&session).unwrap();
    let lifetime = at_stripe["expires_at"].as_i64().unwrap() - now();
    assert!((30 * 60..24 * 3600).contains(&lifetime), "{lifetime} s");
    paid(&shop, order.id, &session).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn free_tickets_are_confirmed_at_once_without_stripe(db: PgPool) {
    let shop = shop(db.clone()).await;
    let organizer = create_user(&db, "free-org@example.com", Role::Organizer).await;
    let ticket = support::published_listing(&db, organizer, "Free Talk", 0, 50).await;
    let (buyer, buyer_id) = buyer_with_cart(&shop, ticket, 2).await;
    let res = shop.app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let order: Uuid = sqlx::query_scalar("SELECT id FROM orders WHERE user_id = $1")
        .bind(buyer_id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("/orders/{order}"),
        "the buyer sees the order, not a payment page"
    );
    assert_eq!(order_status(&db, order).await, "paid");
    assert_eq!(counters(&db, ticket).await, (0, 2));
    assert_eq!(support::pass_count(&db, order).await, 2);
    assert!(
        shop.listed("sessions").await.is_empty(),
        "Stripe is never asked"
    );
    assert!(shop.cart_of(&buyer).await.lines.is_empty());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn ten_simultaneous_checkouts_by_one_buyer_make_one_order_and_one_session(db: PgPool) {
    let shop = shop_with(db.clone(), &[("CHECKOUT_RATE_LIMIT_PER_MINUTE", "100")]).await;
    // Stripe takes a while to answer, so the clicks overlap at Stripe too
    // (`idempotency_key_in_use` for all but the first).
    shop.control_with("config", json!({ "api_latency_ms": 400 }))
        .await;
    let ticket = listing(&db, 10).await;
    let (buyer, buyer_id) = buyer_with_cart(&shop, ticket, 2).await;
    let answers =
        futures::future::join_all((0..10).map(|_| shop.app.call(&buyer, "checkout/start", &[])))
            .await;
    let mut locations = Vec::new();
    for res in answers {
        assert_eq!(res.status(), StatusCode::OK);
        locations.push(res.headers()["location"].to_str().unwrap().to_string());
    }
    locations.dedup();
    assert_eq!(locations.len(), 1, "{locations:?}");
    let orders: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, status::text FROM orders WHERE user_id = $1")
            .bind(buyer_id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0].1, "pending", "nothing released");
    assert_eq!(counters(&db, ticket).await, (2, 0));
    let sessions = shop.listed("sessions").await;
    assert_eq!(sessions.len(), 1);
    assert!(locations[0].ends_with(sessions[0]["id"].as_str().unwrap()));

    shop.control_with("config", json!({ "api_latency_ms": 0 }))
        .await;
    let order = orders[0].0;
    paid(&shop, order, sessions[0]["id"].as_str().unwrap()).await;
    assert_eq!(support::pass_count(&db, order).await, 2);
}

/// A `checkout.session.*` event as Stripe would send it, for `order`.
fn session_event(id: &str, kind: &str, order: Uuid, amount: i64) -> String {
    json!({
        "id": id,
        "object": "event",
        "api_version": stripe_emulator::API_VERSION,
        "created": now(),
        "livemode": false,
        "pending_webhooks": 1,
        "type": kind,
        "data": { "object": {
            "id": format!("cs_test_{id}"),
            "object": "checkout.session",
            "client_reference_id": order.to_string(),
            "amount_total": amount,
            "currency": "eur",
            "payment_status": if kind == "checkout.session.completed" { "paid" } else { "unpaid" },
            "status": if kind == "checkout.session.completed" { "complete" } else { "expired" },
            "payment_intent": format!("pi_{id}"),
        }}
    })
    .to_string()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn webhooks_for_orders_this_shop_does_not_know_are_acknowledged(db: PgPool) {
    // Another environment on the same Stripe account, or a restored database.
    let shop = shop(db.clone()).await;
    let stranger = Uuid::new_v4();
    for (id, kind) in [
        ("evt_elsewhere_paid", "checkout.session.completed"),
        ("evt_elsewhere_expired", "checkout.session.expired"),
    ] {
        let payload = session_event(id, kind, stranger, 2500);
        for _ in 0..2 {
            assert_eq!(
                shop.post_webhook(&payload, &sign(&payload, SECRET, now()))
                    .await,
                StatusCode::OK,
                "{kind}"
            );
        }
    }
    assert_eq!(support::stripe_event_count(&db).await, 2);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_payment_in_an_older_api_versions_shape_is_not_lost(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    // An endpoint created with an old API version: few of today's fields, and
    // the payment intent expanded as an object.
    let payload = json!({
        "id": "evt_old_shape",
        "object": "event",
        "api_version": "2020-08-27",
        "created": now(),
        "type": "checkout.session.completed",
        "data": { "object": {
            "id": session,
            "object": "checkout.session",
            "client_reference_id": order.to_string(),
            "amount_total": 5000,
            "currency": "eur",
            "payment_status": "paid",
            "payment_intent": { "id": "pi_old_shape", "object": "payment_intent" },
            "livemode": false,
        }}
    })
    .to_string();
    assert_eq!(
        shop.post_webhook(&payload, &sign(&payload, SECRET, now()))
            .await,
        StatusCode::OK
    );
    assert_eq!(order_status(&db, order).await, "paid");
    assert_eq!(counters(&db, ticket).await, (0, 2));
}

/// The `v1=` part of a signature header.
fn v1(payload: &str, secret: &str, t: i64) -> String {
    sign(payload, secret, t)
        .split_once(",v1=")
        .unwrap()
        .1
        .to_string()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn during_a_secret_rotation_a_signature_by_either_secret_is_accepted(db: PgPool) {
    let shop = shop_with(
        db.clone(),
        &[("STRIPE_WEBHOOK_SECRET", "whsec_old_one, whsec_new_one")],
    )
    .await;
    let payload = session_event(
        "evt_rotation",
        "checkout.session.expired",
        Uuid::new_v4(),
        0,
    );
    let t = now();
    // Stripe sends one v1 per active secret; the first may be one we do not hold.
    let both = format!(
        "t={t},v1={},v1={}",
        v1(&payload, "whsec_someone_else", t),
        v1(&payload, "whsec_new_one", t)
    );
    assert_eq!(shop.post_webhook(&payload, &both).await, StatusCode::OK);
    let old_only = format!("t={t},v1={}", v1(&payload, "whsec_old_one", t));
    assert_eq!(shop.post_webhook(&payload, &old_only).await, StatusCode::OK);
    let forged = format!("t={t},v1={}", v1(&payload, "whsec_someone_else", t));
    assert_eq!(
        shop.post_webhook(&payload, &forged).await,
        StatusCode::BAD_REQUEST
    );
    let stale = t - 600;
    let replayed = format!("t={stale},v1={}", v1(&payload, "whsec_new_one", stale));
    assert_eq!(
        shop.post_webhook(&payload, &replayed).await,
        StatusCode::BAD_REQUEST
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_emulator_signing_with_two_secrets_reaches_a_shop_holding_one(db: PgPool) {
    let shop = shop(db.clone()).await;
    // Stripe rolls the endpoint's secret: events carry the new and the old one's signatures.
    shop.control_with(
        "config",
        json!({ "webhook_secret": format!("whsec_rolled_new,{SECRET}") }),
    )
    .await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 1).await;
    paid(&shop, order, &session).await;
    let event = shop
        .events()
        .await
        .into_iter()
        .find(|e| e["type"] == "checkout.session.completed")
        .unwrap();
    assert_eq!(event["delivery_status"], "delivered", "{event}");
}

/// An admin, who may check in at any door.
async fn door(db: &PgPool) -> app::backend::auth::SessionUser {
    let id = create_user(db, "door-admin@example.com", Role::Admin).await;
    crate::support::session_user(db, id).await
}

async fn first_pass(db: &PgPool, order: Uuid) -> String {
    sqlx::query_scalar("SELECT code FROM tickets WHERE order_id = $1 ORDER BY seat_no LIMIT 1")
        .bind(order)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_refund_made_in_stripes_dashboard_voids_the_passes(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    let intent = paid(&shop, order, &session).await;
    assert_eq!(counters(&db, ticket).await, (0, 2));

    shop.control(&format!("payments/{intent}/refund")).await;
    until_status(&db, order, "refunded").await;
    let reason: Option<String> =
        sqlx::query_scalar("SELECT refund_cause::text FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("refunded_at_stripe"));
    assert_eq!(
        counters(&db, ticket).await,
        (0, 0),
        "the seats are on sale again"
    );
    let code = first_pass(&db, order).await;
    assert!(matches!(
        check_in(&db, &door(&db).await, ticket, &code)
            .await
            .unwrap(),
        CheckIn::Refused(_)
    ));
    // Every event delivered again: nothing changes.
    for event in shop.events().await {
        shop.control(&format!("events/{}/deliver", event["id"].as_str().unwrap()))
            .await;
    }
    assert_eq!(counters(&db, ticket).await, (0, 0));
    assert_eq!(order_status(&db, order).await, "refunded");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_dispute_stops_the_passes_admitting(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (buyer, order, session) = checked_out(&shop, ticket, 1).await;
    let intent = paid(&shop, order, &session).await;
    shop.control(&format!("payments/{intent}/dispute")).await;
    for _ in 0..100 {
        if count(
            &db,
            "SELECT count(*) FROM orders WHERE id = $1 AND disputed_at IS NOT NULL",
            order,
        )
        .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let code = first_pass(&db, order).await;
    match check_in(&db, &door(&db).await, ticket, &code)
        .await
        .unwrap()
    {
        CheckIn::Refused(reason) => assert_eq!(reason, app::model::DoorRefusal::Disputed),
        other => panic!("a disputed ticket was let in: {other:?}"),
    }
    let seen: app::model::OrderView = shop
        .app
        .call(&buyer, "orders/get", &[("id", &order.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert!(seen.disputed, "the buyer sees it");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_hold_whose_session_stripe_no_longer_knows_is_released(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    shop.control(&format!("sessions/{session}/forget")).await;
    run_out_hold(&db, order).await;
    let state = &shop.app.state;
    let report = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!(report.released, 1);
    assert_eq!(order_status(&db, order).await, "expired");
    assert_eq!(counters(&db, ticket).await, (0, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn fifty_stuck_sessions_do_not_delay_a_normal_expired_hold(db: PgPool) {
    // Fifty buyers sign in from one address.
    let shop = shop_with(
        db.clone(),
        &[
            ("AUTH_RATE_LIMIT_PER_IP", "500"),
            ("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "500"),
        ],
    )
    .await;
    let ticket = listing(&db, 100).await;
    let mut stuck = Vec::new();
    for _ in 0..50 {
        let (_, order, session) = checked_out(&shop, ticket, 1).await;
        shop.control(&format!("sessions/{session}/break")).await;
        stuck.push(order);
    }
    // The stuck holds ran out first, so they head the queue.
    sqlx::query(
        "UPDATE orders SET reserved_until = now() - interval '10 minutes' WHERE id = ANY($1)",
    )
    .bind(&stuck)
    .execute(&db)
    .await
    .unwrap();
    let (_, normal, normal_session) = checked_out(&shop, ticket, 2).await;
    run_out_hold(&db, normal).await;

    let state = &shop.app.state;
    let sweep = Sweep {
        batch: 20,
        concurrency: 8,
        lease: Duration::from_secs(60),
        ..Sweep::default()
    };
    // Done once the normal hold's session is expired at Stripe (the release that
    // follows may be the sweeper's or the `checkout.session.expired` webhook's).
    let mut tickets = 0;
    while shop.emulator.session(&normal_session).unwrap()["status"] == "open" {
        tickets += 1;
        assert!(tickets <= 3, "the normal hold waited behind stuck ones");
        sweep_with(&db, &state.valkey, state.payments.as_deref(), sweep)
            .await
            .unwrap();
    }
    until_status(&db, normal, "expired").await;
    // The stuck ones wait out their backoff, each tried once.
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders WHERE id = ANY($1) AND status = 'pending'
           AND sweep_attempts = 1 AND sweep_after > now()",
    )
    .bind(&stuck)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(waiting, 50);
    let again = sweep_with(&db, &state.valkey, state.payments.as_deref(), sweep)
        .await
        .unwrap();
    assert_eq!(
        again,
        Default::default(),
        "nothing is retried before its backoff"
    );
    assert_eq!(counters(&db, ticket).await, (50, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_refund_stripe_refuses_is_retried_after_a_backoff(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, _) = checked_out(&shop, ticket, 1).await;
    // Owed back, but Stripe does not know the payment (yet).
    sqlx::query(
        "UPDATE orders SET status = 'refunded', paid_at = now(), refund_cause = 'amount_mismatch',
                stripe_payment_intent = 'pi_not_there_yet' WHERE id = $1",
    )
    .bind(order)
    .execute(&db)
    .await
    .unwrap();
    let state = &shop.app.state;
    let first = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!(first.refunds_retried, 1);
    let (attempts, later): (i32, bool) =
        sqlx::query_as("SELECT refund_attempts, refund_after > now() FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((attempts, later), (1, true));
    let second = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!(second.refunds_retried, 0, "waits out its backoff");
}

/// Waits until `sql` (with the order bound) counts 1.
async fn until_one(db: &PgPool, sql: &'static str, order: Uuid) {
    for _ in 0..200 {
        if count(db, sql, order).await == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("never: {sql}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_refund_reported_before_its_payment_issues_no_tickets(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    // Paid, but Stripe's checkout.session.completed is late...
    shop.control_with(
        &format!("sessions/{session}/pay"),
        json!({ "deliver": "none" }),
    )
    .await;
    let intent = shop.emulator.session(&session).unwrap()["payment_intent"]
        .as_str()
        .unwrap()
        .to_string();
    // ...and the payment is refunded in the dashboard, reported at once.
    shop.control(&format!("payments/{intent}/refund")).await;
    until_one(
        &db,
        "SELECT count(*) FROM stripe_early_refunds WHERE fully AND $1 IS NOT NULL",
        order,
    )
    .await;
    // The late payment arrives: no tickets for money given back.
    let completed = shop
        .events()
        .await
        .into_iter()
        .find(|e| e["type"] == "checkout.session.completed")
        .unwrap();
    shop.control(&format!(
        "events/{}/deliver",
        completed["id"].as_str().unwrap()
    ))
    .await;
    until_status(&db, order, "refunded").await;
    assert_eq!(support::pass_count(&db, order).await, 0);
    assert_eq!(counters(&db, ticket).await, (0, 0), "the seats went back");
    // Stripe refunded it already: the sweeper asks for no second refund.
    let state = &shop.app.state;
    sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    let refunds = shop.listed("refunds").await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_closed_dispute_restores_or_refunds_the_order(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let admin = door(&db).await;
    for (outcome, status, admits) in [("won", "paid", true), ("lost", "refunded", false)] {
        let (_, order, session) = checked_out(&shop, ticket, 1).await;
        let intent = paid(&shop, order, &session).await;
        let dispute = shop.control(&format!("payments/{intent}/dispute")).await;
        until_one(
            &db,
            "SELECT count(*) FROM orders WHERE id = $1 AND disputed_at IS NOT NULL",
            order,
        )
        .await;
        shop.control_with(
            &format!("disputes/{}/close", dispute["id"].as_str().unwrap()),
            json!({ "outcome": outcome }),
        )
        .await;
        until_one(
            &db,
            "SELECT count(*) FROM orders WHERE id = $1 AND dispute_outcome IS NOT NULL",
            order,
        )
        .await;
        assert_eq!(order_status(&db, order).await, status, "{outcome}");
        let code = first_pass(&db, order).await;
        let checked = check_in(&db, &admin, ticket, &code).await.unwrap();
        assert_eq!(
            matches!(checked, CheckIn::Admitted { .. }),
            admits,
            "{outcome}: {checked:?}"
        );
    }
    // One of the two seats sold stays sold (the won dispute's).
    assert_eq!(counters(&db, ticket).await, (0, 1));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_partial_refund_in_stripes_dashboard_tells_the_buyer_once(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    let intent = paid(&shop, order, &session).await;
    shop.control_with(
        &format!("payments/{intent}/refund"),
        json!({ "amount": 1000 }),
    )
    .await;
    until_one(
        &db,
        "SELECT count(*) FROM outbox o JOIN refunds r ON r.id = o.about
         WHERE o.kind = 'tickets_refunded' AND r.order_id = $1",
        order,
    )
    .await;
    let (refunded, status): (i64, String) =
        sqlx::query_as("SELECT refunded_minor, status::text FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((refunded, status.as_str()), (1000, "paid"));
    // Every event again: still one message, one refund row.
    for event in shop.events().await {
        shop.control(&format!("events/{}/deliver", event["id"].as_str().unwrap()))
            .await;
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM refunds WHERE order_id = $1",
            order
        )
        .await,
        1
    );
    // The shop's own refund of a ticket (€25.00) is no news from outside.
    let organizer_email: String = sqlx::query_scalar(
        "SELECT u.email FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.id = $1",
    )
    .bind(ticket)
    .fetch_one(&db)
    .await
    .unwrap();
    let organizer = shop.app.signed_in(&organizer_email).await;
    let ticket: Uuid =
        sqlx::query_scalar("SELECT id FROM tickets WHERE order_id = $1 ORDER BY seat_no LIMIT 1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    let res = shop
        .app
        .call(
            &organizer,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &ticket.to_string()),
                ("reason", "Cannot come"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // Stripe's charge.refunded for it has come and been applied.
    until_one(
        &db,
        "SELECT CASE WHEN count(*) = 2 THEN 1 ELSE 0 END::int8 FROM stripe_events
         WHERE type = 'charge.refunded' AND order_id = $1",
        order,
    )
    .await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM refunds WHERE order_id = $1",
            order
        )
        .await,
        2,
        "no third refund row from the shop's own refund's webhook"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_hold_is_released_only_once_its_session_is_expired_at_stripe(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    run_out_hold(&db, order).await;
    // Stripe refuses the expiry (rate limited): the seats stay held, the
    // session cannot be paid for seats sold to someone else.
    shop.control_with("config", json!({ "rate_limit_expires": 1 }))
        .await;
    let state = &shop.app.state;
    let report = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!((report.released, report.failed), (0, 1));
    assert_eq!(order_status(&db, order).await, "pending");
    assert_eq!(shop.emulator.session(&session).unwrap()["status"], "open");
    // Next ticket (after the backoff): expired at Stripe, then released.
    sqlx::query("UPDATE orders SET sweep_after = now() WHERE id = $1")
        .bind(order)
        .execute(&db)
        .await
        .unwrap();
    let report = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!(report.failed, 0);
    assert_eq!(
        shop.emulator.session(&session).unwrap()["status"],
        "expired"
    );
    // Released by this ticket, or by Stripe's checkout.session.expired that the
    // expiry sent, whichever came first.
    until_status(&db, order, "expired").await;
    assert_eq!(counters(&db, ticket).await, (0, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_buyer_cancelling_checkout_releases_the_hold_and_expires_the_session(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (buyer, order, session) = checked_out(&shop, ticket, 2).await;
    assert_eq!(counters(&db, ticket).await, (2, 0));
    let res = shop.app.call(&buyer, "checkout/cancel", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(order_status(&db, order).await, "cancelled");
    assert_eq!(counters(&db, ticket).await, (0, 0), "the seats are back");
    assert_eq!(
        shop.emulator.session(&session).unwrap()["status"],
        "expired",
        "the payment page can no longer be paid"
    );
    // Nothing pending any more: a second cancel changes nothing.
    let res = shop.app.call(&buyer, "checkout/cancel", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(order_status(&db, order).await, "cancelled");

    // Paid at Stripe a moment ago (its webhook not here yet): refused, kept.
    let (payer, paid_order, paid_session) = checked_out(&shop, ticket, 1).await;
    shop.control_with(
        &format!("sessions/{paid_session}/pay"),
        json!({ "deliver": "none" }),
    )
    .await;
    let res = shop.app.call(&payer, "checkout/cancel", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await.to_string(),
        "This order has just been paid, so it can no longer be cancelled."
    );
    assert_eq!(order_status(&db, paid_order).await, "pending");
    assert_eq!(counters(&db, ticket).await, (1, 0));
    // Stripe unreachable: refused plainly, the hold kept.
    let (third, third_order, _) = checked_out(&shop, ticket, 1).await;
    shop.control_with("config", json!({ "rate_limit_expires": 1 }))
        .await;
    let res = shop.app.call(&third, "checkout/cancel", &[]).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(order_status(&db, third_order).await, "pending");
    // Another buyer has no pending order to cancel: theirs stays.
    let (stranger, _) = buyer_with_cart(&shop, ticket, 1).await;
    let res = shop.app.call(&stranger, "checkout/cancel", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(order_status(&db, third_order).await, "pending");
}
