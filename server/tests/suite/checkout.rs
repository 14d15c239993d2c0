//! Reservation and payment settlement against real PostgreSQL: stock stays exact
//! under concurrency, duplicates and any order of events.

use crate::support;
use app::backend::payments::EventKind;

use std::collections::BTreeMap;
use std::time::Duration;

use app::backend::orders::pending::PendingOrder;

use app::backend::orders::release::{release_overdue, session_ended_unpaid};
use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::orders::settle::{self, Payment, PaymentOutcome, confirm_payment};
use app::backend::{BackendError, BackendResult};
use app::error::AppError;
use app::model::{CheckoutRefusal, Currency};
use sqlx::PgPool;
use support::{eur, fixtures};
use uuid::Uuid;

const HOLD: Duration = Duration::from_secs(1800);

/// "Rush Gig": one type at €25.00 that has the event's id.
async fn listing(db: &PgPool, stock: i32, max_per_order: i32) -> Uuid {
    fixtures::event(db)
        .title("Rush Gig")
        .ticket_type("Admission", 2500, stock)
        .max_per_order(max_per_order)
        .first_type_has_event_id()
        .create()
        .await
        .id
}

async fn counters(db: &PgPool, ticket: Uuid) -> (i32, i32, i32) {
    sqlx::query_as("SELECT quantity, reserved, sold FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn buyer(db: &PgPool) -> Uuid {
    fixtures::buyer(db).await
}

fn cart(ticket: Uuid, quantity: i64) -> BTreeMap<Uuid, i64> {
    BTreeMap::from([(ticket, quantity)])
}

fn new_order(r: BackendResult<Reservation>) -> PendingOrder {
    match r.expect("reserved") {
        Reservation::New(order) => order,
        Reservation::Existing(_) => panic!("expected a new reservation"),
    }
}

fn paid(order: Uuid, event: &str, amount: i64) -> Payment {
    Payment {
        event_id: event.into(),
        event_type: EventKind::CheckoutCompleted,
        order_id: order,
        amount: eur(amount),
        payment_intent: Some(format!("pi_{event}")),
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_hundred_buyers_race_for_fifty_seats(db: PgPool) {
    let ticket = listing(&db, 50, 4).await;
    let mut buyers = Vec::new();
    for _ in 0..200 {
        buyers.push(buyer(&db).await);
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = buyers
        .into_iter()
        .map(|user| {
            let db = db.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                reserve(&db, user, &cart(ticket, 1), HOLD).await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(Reservation::New(_)) => won += 1,
            Ok(Reservation::Existing(_)) => panic!("each buyer checks out once"),
            // Refusals are plain user errors: the CHECK constraint never had to fire.
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
    assert_eq!(won, 50);
    assert_eq!(counters(&db, ticket).await, (50, 50, 0));
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'pending'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 50);
}

/// The control: read-then-write without the conditional update races, and only
/// the database constraint stops the oversell.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn without_the_conditional_update_the_race_is_real(db: PgPool) {
    let ticket = listing(&db, 50, 4).await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let db = db.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let mut tx = db.begin().await?;
                let available: i32 = sqlx::query_scalar(
                    "SELECT quantity - reserved - sold FROM ticket_types WHERE id = $1",
                )
                .bind(ticket)
                .fetch_one(&mut *tx)
                .await?;
                if available < 1 {
                    return Ok::<_, sqlx::Error>(false);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                sqlx::query("UPDATE ticket_types SET reserved = reserved + 1 WHERE id = $1")
                    .bind(ticket)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            })
        })
        .collect();
    let mut constraint_fired = 0;
    for task in tasks {
        if let Err(sqlx::Error::Database(err)) = task.await.unwrap() {
            assert_eq!(err.constraint(), Some("ticket_types_no_oversell"));
            constraint_fired += 1;
        }
    }
    assert!(
        constraint_fired > 0,
        "the naive check-then-update never raced"
    );
    assert_eq!(
        counters(&db, ticket).await.1,
        50,
        "the constraint still kept stock exact"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn all_lines_or_none_and_one_pending_order_per_buyer(db: PgPool) {
    let plenty = listing(&db, 100, 10).await;
    let scarce = listing(&db, 2, 10).await;
    let user = buyer(&db).await;
    let both = BTreeMap::from([(plenty, 3), (scarce, 3)]);
    let err = reserve(&db, user, &both, HOLD).await.unwrap_err();
    assert!(
        matches!(
            err,
            BackendError::User(AppError::Refused(CheckoutRefusal::OnlyLeft { left: 2, .. }))
        ),
        "{err}"
    );
    assert_eq!(
        counters(&db, plenty).await.1,
        0,
        "the first line was rolled back"
    );

    let over = reserve(&db, user, &cart(plenty, 11), HOLD)
        .await
        .unwrap_err();
    assert!(
        matches!(
            over,
            BackendError::User(AppError::Refused(CheckoutRefusal::OverPerOrderMaximum {
                max: 10,
                ..
            }))
        ),
        "{over}"
    );

    let order = new_order(reserve(&db, user, &cart(plenty, 3), HOLD).await);
    assert_eq!(order.total.minor, 7500);
    // Checking out again returns the same order and holds nothing more.
    match reserve(&db, user, &cart(plenty, 5), HOLD).await.unwrap() {
        Reservation::Existing(existing) => assert_eq!(existing.id, order.id),
        Reservation::New(_) => panic!("a second pending order was created"),
    }
    assert_eq!(counters(&db, plenty).await.1, 3);
}

/// Each line's amount and the order's total are what `model::price` makes of
/// them, stored on the order; a total one payment cannot charge is refused
/// before any seat is held.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_order_keeps_what_each_line_costs_and_never_exceeds_one_payment(db: PgPool) {
    let gig = fixtures::event(&db)
        .ticket_type("Standing", 2500, 10)
        .ticket_type("Seated", 4000, 10)
        .create()
        .await;
    let lines = BTreeMap::from([(gig.types[0], 3), (gig.types[1], 2)]);
    let order = new_order(reserve(&db, buyer(&db).await, &lines, HOLD).await);
    assert_eq!(order.total, eur(15_500));
    let mut amounts: Vec<i64> = sqlx::query_scalar(
        "SELECT amount_minor FROM order_items WHERE order_id = $1 ORDER BY amount_minor",
    )
    .bind(order.id)
    .fetch_all(&db)
    .await
    .unwrap();
    amounts.sort();
    assert_eq!(amounts, [7_500, 8_000]);

    let dear = fixtures::event(&db)
        .ticket_type("Box", app::model::MAXIMUM_CHARGE, 10)
        .max_per_order(2)
        .create()
        .await;
    let too_much = reserve(&db, buyer(&db).await, &cart(dear.types[0], 2), HOLD)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &too_much,
            BackendError::User(AppError::Refused(CheckoutRefusal::OverMaximumCharge { most }))
                if most.minor == app::model::MAXIMUM_CHARGE
        ),
        "{too_much}"
    );
    assert_eq!(counters(&db, dear.types[0]).await, (10, 0, 0));
    let one = new_order(reserve(&db, buyer(&db).await, &cart(dear.types[0], 1), HOLD).await);
    assert_eq!(one.total.minor, app::model::MAXIMUM_CHARGE);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_payment_is_settled_once_however_often_it_is_reported(db: PgPool) {
    let ticket = listing(&db, 10, 10).await;
    let order = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 3), HOLD).await);
    let payment = paid(order.id, "evt_1", 7500);
    assert_eq!(
        confirm_payment(&db, &payment).await.unwrap(),
        PaymentOutcome::Fulfilled
    );
    assert_eq!(
        confirm_payment(&db, &payment).await.unwrap(),
        PaymentOutcome::AlreadyHandled
    );
    // A different event for the same payment (say async_payment_succeeded) changes nothing either.
    let again = Payment {
        event_id: "evt_2".into(),
        ..payment.clone()
    };
    assert_eq!(
        confirm_payment(&db, &again).await.unwrap(),
        PaymentOutcome::AlreadyHandled
    );
    // An expiry arriving late changes nothing.
    assert!(
        !session_ended_unpaid(&db, "evt_3", EventKind::CheckoutExpired, order.id)
            .await
            .unwrap()
    );

    assert_eq!(counters(&db, ticket).await, (10, 0, 3));
    let tickets: Vec<(i32, String)> =
        sqlx::query_as("SELECT seat_no, code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order.id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(tickets.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        tickets.iter().all(|p| p.1.len() == 40),
        "codes carry 160 random bits"
    );
    let status: String = sqlx::query_scalar("SELECT status::text FROM orders WHERE id = $1")
        .bind(order.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "paid");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_wrong_amount_is_not_fulfilled_and_is_refunded(db: PgPool) {
    let ticket = listing(&db, 10, 10).await;
    let order = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 1), HOLD).await);
    assert_eq!(
        confirm_payment(&db, &paid(order.id, "evt_x", 1))
            .await
            .unwrap(),
        PaymentOutcome::MustRefund
    );
    // No tickets, the held seat is back, and the money is owed back with the reason.
    assert_eq!(counters(&db, ticket).await, (10, 0, 0));
    let (status, reason, intent, refund_id): (String, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT status::text, refund_cause::text, stripe_payment_intent, stripe_refund_id FROM orders WHERE id = $1",
        )
        .bind(order.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "refunded");
    assert_eq!(reason.as_deref(), Some("amount_mismatch"));
    assert_eq!(intent.as_deref(), Some("pi_evt_x"));
    assert_eq!(refund_id, None, "due at Stripe");
    // A wrong currency is the same.
    let other = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 1), HOLD).await);
    let mut in_usd = paid(other.id, "evt_usd", 2500);
    in_usd.amount = Currency::from_stripe("usd").amount(2500);
    assert_eq!(
        confirm_payment(&db, &in_usd).await.unwrap(),
        PaymentOutcome::MustRefund
    );
    assert_eq!(counters(&db, ticket).await, (10, 0, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_payment_for_an_unknown_order_is_recorded_once(db: PgPool) {
    let stranger = Uuid::new_v4();
    assert_eq!(
        confirm_payment(&db, &paid(stranger, "evt_elsewhere", 2500))
            .await
            .unwrap(),
        PaymentOutcome::UnknownOrder
    );
    assert_eq!(
        confirm_payment(&db, &paid(stranger, "evt_elsewhere", 2500))
            .await
            .unwrap(),
        PaymentOutcome::AlreadyHandled
    );
    assert!(
        !session_ended_unpaid(&db, "evt_gone", EventKind::CheckoutExpired, stranger)
            .await
            .unwrap()
    );
    assert_eq!(support::stripe_event_count(&db).await, 2);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_settlements_of_one_order_at_once_never_deadlock(db: PgPool) {
    // Duplicate deliveries to two instances: two different events (the webhook
    // and the sweeper's lookup, say) settle the same order at the same moment.
    let ticket = listing(&db, 400, 10).await;
    for round in 0..40 {
        let order = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 1), HOLD).await);
        let a = paid(order.id, &format!("evt_a{round}"), 2500);
        let b = paid(order.id, &format!("evt_b{round}"), 2500);
        let expired = format!("evt_e{round}");
        let (x, y, z) = tokio::join!(
            confirm_payment(&db, &a),
            confirm_payment(&db, &b),
            session_ended_unpaid(&db, &expired, EventKind::CheckoutExpired, order.id)
        );
        let outcomes = [x.expect("no deadlock"), y.expect("no deadlock")];
        z.expect("no deadlock");
        assert_eq!(
            outcomes
                .iter()
                .filter(|o| **o == PaymentOutcome::Fulfilled)
                .count(),
            1,
            "{outcomes:?}"
        );
    }
    assert_eq!(counters(&db, ticket).await, (400, 0, 40));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_free_order_is_confirmed_at_once_without_a_payment(db: PgPool) {
    let ticket = listing(&db, 10, 4).await;
    sqlx::query("UPDATE ticket_types SET price_minor = 0 WHERE id = $1")
        .bind(ticket)
        .execute(&db)
        .await
        .unwrap();
    let order = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 3), HOLD).await);
    assert_eq!(order.total.minor, 0);
    assert!(settle::confirm_free(&db, order.id).await.unwrap());
    assert!(!settle::confirm_free(&db, order.id).await.unwrap(), "once");
    assert_eq!(counters(&db, ticket).await, (10, 0, 3));
    let tickets = support::pass_count(&db, order.id).await;
    assert_eq!(tickets, 3);
    // The same per-order limit as a paid checkout.
    assert!(
        reserve(&db, buyer(&db).await, &cart(ticket, 5), HOLD)
            .await
            .is_err()
    );
    // A paid order is never confirmed without its payment.
    let paid_listing = listing(&db, 10, 4).await;
    let paid_order = new_order(reserve(&db, buyer(&db).await, &cart(paid_listing, 1), HOLD).await);
    assert!(!settle::confirm_free(&db, paid_order.id).await.unwrap());
    assert_eq!(counters(&db, paid_listing).await, (10, 1, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn paid_after_expiry_takes_the_seats_again_while_they_last(db: PgPool) {
    let ticket = listing(&db, 2, 10).await;
    let late = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 2), HOLD).await);
    // Expired first, then the payment arrives (events out of order).
    assert!(
        session_ended_unpaid(&db, "evt_exp", EventKind::CheckoutExpired, late.id)
            .await
            .unwrap()
    );
    assert_eq!(counters(&db, ticket).await, (2, 0, 0));
    assert_eq!(
        confirm_payment(&db, &paid(late.id, "evt_paid", 5000))
            .await
            .unwrap(),
        PaymentOutcome::Fulfilled
    );
    assert_eq!(counters(&db, ticket).await, (2, 0, 2));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn paid_after_expiry_with_the_seats_gone_is_refunded(db: PgPool) {
    let ticket = listing(&db, 2, 10).await;
    let late = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 2), HOLD).await);
    assert!(
        session_ended_unpaid(&db, "evt_exp", EventKind::CheckoutExpired, late.id)
            .await
            .unwrap()
    );
    let other = new_order(reserve(&db, buyer(&db).await, &cart(ticket, 1), HOLD).await);
    assert_eq!(
        confirm_payment(&db, &paid(other.id, "evt_other", 2500))
            .await
            .unwrap(),
        PaymentOutcome::Fulfilled
    );

    let outcome = confirm_payment(&db, &paid(late.id, "evt_late", 5000))
        .await
        .unwrap();
    assert_eq!(outcome, PaymentOutcome::MustRefund);
    assert_eq!(counters(&db, ticket).await, (2, 0, 1), "nothing oversold");
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status::text, refund_cause::text FROM orders WHERE id = $1")
            .bind(late.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(status, "refunded");
    assert_eq!(reason.as_deref(), Some("paid_too_late"));
    let tickets = support::pass_count(&db, late.id).await;
    assert_eq!(tickets, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_sweepers_release_each_order_exactly_once(db: PgPool) {
    let ticket = listing(&db, 100, 10).await;
    let mut orders = Vec::new();
    for _ in 0..20 {
        orders.push(new_order(reserve(&db, buyer(&db).await, &cart(ticket, 2), HOLD).await).id);
    }
    sqlx::query("UPDATE orders SET reserved_until = now() - interval '1 minute'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(counters(&db, ticket).await.1, 40);
    let sweep = |db: PgPool, orders: Vec<Uuid>| async move {
        let mut released = 0;
        for order in orders {
            if release_overdue(&db, order).await.unwrap() {
                released += 1;
            }
        }
        released
    };
    let (a, b) = tokio::join!(
        tokio::spawn(sweep(db.clone(), orders.clone())),
        tokio::spawn(sweep(db.clone(), orders.iter().rev().copied().collect()))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 20);
    assert_eq!(counters(&db, ticket).await, (100, 0, 0));
    let expired: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'expired'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(expired, 20);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn one_buyer_holds_at_most_the_per_order_maximum_across_orders(db: PgPool) {
    let ticket = listing(&db, 100, 4).await;
    let hoarder = buyer(&db).await;
    let first = new_order(reserve(&db, hoarder, &cart(ticket, 3), HOLD).await);
    assert_eq!(
        confirm_payment(&db, &paid(first.id, "evt_first", 7500))
            .await
            .unwrap(),
        PaymentOutcome::Fulfilled
    );
    // Buying again cannot take the buyer past the per-order maximum.
    match reserve(&db, hoarder, &cart(ticket, 2), HOLD).await {
        Err(BackendError::User(AppError::Refused(refusal))) => assert_eq!(
            refusal,
            CheckoutRefusal::BuyerMayAdd {
                title: "Rush Gig · Admission".into(),
                have: 3,
                max: 4,
                more: 1
            }
        ),
        other => panic!("a fifth seat was held: {other:?}"),
    }
    let second = new_order(reserve(&db, hoarder, &cart(ticket, 1), HOLD).await);
    // Held (pending) seats count too: a released hold frees the buyer's share.
    assert!(
        reserve(&db, hoarder, &cart(ticket, 1), HOLD)
            .await
            .is_ok_and(|r| matches!(r, Reservation::Existing(_)))
    );
    app::backend::orders::release::release_now(&db, second.id, app::model::OrderStatus::Cancelled)
        .await
        .unwrap();
    assert!(matches!(
        reserve(&db, hoarder, &cart(ticket, 2), HOLD).await,
        Err(BackendError::User(AppError::Refused(
            CheckoutRefusal::BuyerMayAdd { more: 1, .. }
        )))
    ));
    new_order(reserve(&db, hoarder, &cart(ticket, 1), HOLD).await);
    // Another buyer is not affected.
    new_order(reserve(&db, buyer(&db).await, &cart(ticket, 4), HOLD).await);
    assert_eq!(counters(&db, ticket).await, (100, 5, 3));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn forty_adds_at_once_never_fill_a_cart_past_its_lines(db: PgPool) {
    use app::backend::cart::store::{self, CartOwner, LINE_LIMIT, MAX_LINES};
    let state = support::state_for(db, &support::valkey_url()).await;
    let owner = CartOwner::Guest(Uuid::new_v4());
    // Forty different listings added at the same moment (a script firing
    // requests in parallel): the check and the add are one step in Valkey.
    let adds = (0..40).map(|_| {
        let valkey = state.valkey.clone();
        async move { store::add(&valkey, owner, Uuid::new_v4(), 1).await }
    });
    let results = futures::future::join_all(adds).await;
    let refused = results.iter().filter(|r| r.is_err()).count();
    let lines = store::lines(&state.valkey, owner).await.unwrap();
    assert_eq!(lines.len() as u64, MAX_LINES, "{refused} refused");
    assert_eq!(refused as u64, 40 - MAX_LINES);
    // One line's quantity stays capped however it is added to.
    let ticket = *lines.keys().next().unwrap();
    let more = (0..30).map(|_| {
        let valkey = state.valkey.clone();
        async move { store::add(&valkey, owner, ticket, 7).await }
    });
    futures::future::join_all(more).await;
    assert_eq!(
        store::lines(&state.valkey, owner).await.unwrap()[&ticket],
        LINE_LIMIT
    );
    // Setting a line that is gone does not bring it back.
    store::set(&state.valkey, owner, ticket, 0).await.unwrap();
    store::set(&state.valkey, owner, ticket, 3).await.unwrap();
    assert!(
        !store::lines(&state.valkey, owner)
            .await
            .unwrap()
            .contains_key(&ticket)
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_reservation_says_when_it_took_the_last_seats(db: PgPool) {
    use app::backend::orders::reserve::{Seats, reserve_noting_the_last};
    let ticket = listing(&db, 3, 5).await;
    let take = |quantity| {
        let db = db.clone();
        async move {
            let user = buyer(&db).await;
            reserve_noting_the_last(
                &db,
                user,
                &cart(ticket, quantity),
                &Default::default(),
                HOLD,
                Seats::ForSale,
            )
            .await
            .expect("reserved")
            .1
        }
    };
    assert!(!take(2).await, "one seat of the type is left");
    assert!(take(1).await, "the type's last seat");

    // An event's capacity running out, with seats of its types still left.
    let event = fixtures::event(&db)
        .capacity(2)
        .ticket_type("Front", 2500, 5)
        .ticket_type("Back", 1500, 5)
        .create()
        .await;
    let user = buyer(&db).await;
    let (_, the_last) = reserve_noting_the_last(
        &db,
        user,
        &cart(event.types[0], 1),
        &Default::default(),
        HOLD,
        Seats::ForSale,
    )
    .await
    .unwrap();
    assert!(!the_last);
    let user = buyer(&db).await;
    let (_, the_last) = reserve_noting_the_last(
        &db,
        user,
        &cart(event.types[1], 1),
        &Default::default(),
        HOLD,
        Seats::ForSale,
    )
    .await
    .unwrap();
    assert!(the_last, "the event's capacity is taken");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_buyer_holding_the_last_seat_gets_their_order_back_not_sold_out(db: PgPool) {
    let ticket = listing(&db, 1, 5).await;
    let ada = buyer(&db).await;
    let held = new_order(reserve(&db, ada, &cart(ticket, 1), HOLD).await);
    // Sold out now, and Ada checks out again (a second tab, a retry).
    match reserve(&db, ada, &cart(ticket, 1), HOLD).await.unwrap() {
        Reservation::Existing(order) => assert_eq!(order.id, held.id),
        Reservation::New(_) => panic!("a second order"),
    }
    // An empty cart too.
    match reserve(&db, ada, &BTreeMap::new(), HOLD).await.unwrap() {
        Reservation::Existing(order) => assert_eq!(order.id, held.id),
        Reservation::New(_) => panic!("a second order"),
    }
    // Anyone else is told it is sold out.
    let bob = buyer(&db).await;
    let refused = reserve(&db, bob, &cart(ticket, 1), HOLD).await;
    assert!(
        matches!(
            refused,
            Err(BackendError::User(AppError::Refused(
                CheckoutRefusal::SoldOut { .. }
            )))
        ),
        "{refused:?}"
    );
    assert_eq!(counters(&db, ticket).await, (1, 1, 0));
}
