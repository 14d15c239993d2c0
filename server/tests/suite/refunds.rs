//! An organizer's refunds: chosen tickets or the whole order, through Stripe
//! (the emulator) with one idempotency key per refund, the door refusing the
//! refunded tickets, the seats back on sale or not, the buyer's message, and
//! the refusals (another organizer, twice, more than was paid).

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use app::backend::config::StripeConfig;
use app::backend::mail::{Delivery, Mailer, deliver_due};
use app::backend::orders::refund::{self as refunds, RefundRequest};
use app::backend::payments::Payments;
use app::error::AppError;
use app::model::{OrderView, OrganizerOrderView, OrganizerOrders, Role};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::mail::MailCatcher;
use support::shop::{
    Shop, checked_out, counters, listing, order_status, shop, shop_with, until_status,
};
use support::{app_error, create_user, fixtures};
use uuid::Uuid;

/// A paid order of 2 tickets of a €25.00 listing (10 seats), paid at the
/// emulator: the buyer's client, the order, the listing and its organizer's client.
async fn paid_two(shop: &Shop) -> (reqwest::Client, Uuid, Uuid, reqwest::Client) {
    let ticket = listing(&shop.app.state.db, 10).await;
    let (buyer, order, session) = checked_out(shop, ticket, 2).await;
    shop.control(&format!("sessions/{session}/pay")).await;
    until_status(&shop.app.state.db, order, "paid").await;
    let organizer_email: String = sqlx::query_scalar(
        "SELECT u.email FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.id = $1",
    )
    .bind(ticket)
    .fetch_one(&shop.app.state.db)
    .await
    .unwrap();
    let organizer = shop.app.signed_in(&organizer_email).await;
    (buyer, order, ticket, organizer)
}

async fn tickets_of(db: &PgPool, order: Uuid) -> Vec<(Uuid, String)> {
    sqlx::query_as("SELECT id, code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
        .bind(order)
        .fetch_all(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn one_ticket_of_two_is_refunded_and_stops_admitting(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let shop = shop_with(db.clone(), &[("SMTP_URL", &catcher.smtp_url())]).await;
    let (buyer, order, ticket, organizer) = paid_two(&shop).await;
    let tickets = tickets_of(&db, order).await;

    // The organizer finds the order by the buyer's address and by its reference.
    let buyer_email: String = sqlx::query_scalar(
        "SELECT u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1",
    )
    .bind(order)
    .fetch_one(&db)
    .await
    .unwrap();
    for q in [&buyer_email[..12], &app::model::order_reference(order)[..6]] {
        let res = shop
            .app
            .call(
                &organizer,
                "organizer/orders",
                &[("event", &ticket.to_string()), ("q", q)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let list: OrganizerOrders = res.json().await.unwrap();
        assert_eq!(list.rows.len(), 1, "{q}");
        assert_eq!(list.rows[0].id, order);
    }
    let res = shop
        .app
        .call(
            &organizer,
            "organizer/orders",
            &[("event", &ticket.to_string()), ("status", "refunded")],
        )
        .await;
    assert!(res.json::<OrganizerOrders>().await.unwrap().rows.is_empty());

    // Refund the first ticket, putting its seat back on sale.
    let res = shop
        .app
        .call(
            &organizer,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &tickets[0].0.to_string()),
                ("reason", "The buyer cannot come."),
                ("restock", "1"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(order_status(&db, order).await, "paid");
    assert_eq!(counters(&db, ticket).await, (0, 1), "one seat back on sale");

    // Stripe refunded €25.00 of the €50.00 under the refund's own key.
    let stripe = shop.listed("refunds").await;
    assert_eq!(stripe.len(), 1, "{stripe:?}");
    assert_eq!(stripe[0]["amount"], 2500);
    let (refund_id, stripe_id): (Uuid, Option<String>) =
        sqlx::query_as("SELECT id, stripe_refund_id FROM refunds WHERE order_id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(stripe_id.as_deref(), stripe[0]["id"].as_str());

    // The buyer's order shows it; the message is in the outbox.
    let res = shop
        .app
        .call(&buyer, "orders/get", &[("id", &order.to_string())])
        .await;
    let seen: OrderView = res.json().await.unwrap();
    assert_eq!(seen.refunded.minor, 2500);
    assert!(seen.tickets[0].refunded_at.is_some());
    assert!(seen.tickets[1].refunded_at.is_none());
    let messages: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'tickets_refunded' AND about = $1",
    )
    .bind(refund_id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(messages, 1);
    let mailer = Mailer::from_config(&shop.app.state.config)
        .unwrap()
        .unwrap();
    deliver_due(&db, &mailer, Delivery::default())
        .await
        .unwrap();
    let mail = catcher
        .wait_for(&buyer_email, 2)
        .await
        .into_iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Refund for order")
        })
        .expect("the refund message");
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("The buyer cannot come."), "{text}");
    assert!(text.contains("Paid Gig · Admission · ticket 1"), "{text}");
    assert!(text.contains("€25.00"), "{text}");

    // The door refuses the refunded ticket and admits the other.
    for (code, want) in [
        (
            &tickets[0].1,
            "This ticket was refunded and no longer admits.",
        ),
        (&tickets[1].1, ""),
    ] {
        let res = shop
            .app
            .call(
                &organizer,
                "checkin/scan",
                &[("event", &ticket.to_string()), ("code", code)],
            )
            .await;
        let body = res.text().await.unwrap();
        if want.is_empty() {
            assert!(body.contains("Admitted"), "{body}");
        } else {
            assert!(body.contains("Refunded"), "{body}");
        }
    }

    // The same ticket again: refused, nothing changes.
    let res = shop
        .app
        .call(
            &organizer,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &tickets[0].0.to_string()),
                ("reason", "Again"),
            ],
        )
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "These tickets have been refunded already."
    );
    assert_eq!(shop.listed("refunds").await.len(), 1);

    // The organizer's order page lists the refund.
    let res = shop
        .app
        .call(&organizer, "organizer/order", &[("id", &order.to_string())])
        .await;
    let view: OrganizerOrderView = res.json().await.unwrap();
    assert_eq!(view.refunds.len(), 1);
    assert!(view.refunds[0].settled);
    assert_eq!(view.refunded.minor, 2500);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_organizers_refunding_the_whole_order_at_once_refund_it_once(db: PgPool) {
    let shop = shop(db.clone()).await;
    let (_buyer, order, ticket, organizer) = paid_two(&shop).await;
    let form = [
        ("order", order.to_string()),
        ("reason", "Double booked".to_string()),
        ("whole", "1".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) = tokio::join!(
        shop.app.call(&organizer, "organizer/refund", &form),
        shop.app.call(&organizer, "organizer/refund", &form)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 422]);
    assert_eq!(order_status(&db, order).await, "refunded");
    let refunds: Vec<(i64,)> = sqlx::query_as("SELECT amount_minor FROM refunds")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(refunds, [(5000,)]);
    let stripe = shop.listed("refunds").await;
    assert_eq!(stripe.len(), 1);
    assert_eq!(stripe[0]["amount"], 5000);
    // Not restocked: the seats stay sold.
    assert_eq!(counters(&db, ticket).await, (0, 2));

    // Stripe's charge.refunded (full) for it confirms; nothing moves twice.
    // Waited for: the event is recorded in the transaction that applies it.
    let mut applied = false;
    for _ in 0..200 {
        let seen: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM stripe_events WHERE type = 'charge.refunded' AND order_id = $1",
        )
        .bind(order)
        .fetch_one(&db)
        .await
        .unwrap();
        if seen == 1 {
            applied = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(applied, "Stripe's charge.refunded came and was applied");
    assert_eq!(counters(&db, ticket).await, (0, 2));
    assert_eq!(order_status(&db, order).await, "refunded");
    // The sweeper never sends the order-level refund on top of it.
    app::backend::jobs::sweep_once(
        &db,
        &shop.app.state.valkey,
        shop.app.state.payments.as_deref(),
    )
    .await
    .unwrap();
    assert_eq!(shop.listed("refunds").await.len(), 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_the_events_organizer_may_refund(db: PgPool) {
    let shop = shop(db.clone()).await;
    let (buyer, order, ticket, _organizer) = paid_two(&shop).await;
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = shop.app.signed_in("rival@example.com").await;
    for (client, want) in [
        (&rival, StatusCode::NOT_FOUND),
        (&buyer, StatusCode::FORBIDDEN),
    ] {
        let res = shop
            .app
            .call(
                client,
                "organizer/refund",
                &[
                    ("order", &order.to_string()),
                    ("reason", "Mine now"),
                    ("whole", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), want);
        let res = shop
            .app
            .call(client, "organizer/order", &[("id", &order.to_string())])
            .await;
        assert_eq!(res.status(), want);
        let res = shop
            .app
            .call(
                client,
                "organizer/orders",
                &[("event", &ticket.to_string())],
            )
            .await;
        assert_eq!(res.status(), want);
    }
    // A ticket of another order is not this order's to refund.
    let other = fixtures::buyer(&db).await;
    let other_order = fixtures::paid_order(&db, other, &[(ticket, 1)]).await;
    let foreign = tickets_of(&db, other_order).await[0].0;
    let organizer_id: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    let organizer = crate::support::session_user(&db, organizer_id).await;
    let err = refunds::refund(
        &db,
        shop.app.state.payments.as_deref(),
        &organizer,
        RefundRequest {
            order,
            tickets: Some(vec![foreign]),
            cause: app::model::RefundCause::Organizer,
            reason: "Wrong order".into(),
            restock: true,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        AppError::from(err).to_string(),
        "A chosen ticket is not one of this order's tickets for your events."
    );
    let refunds: i64 = sqlx::query_scalar("SELECT count(*) FROM refunds")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(refunds, 0);
    // The database refuses a refund larger than the payment, whatever the code does.
    let over = sqlx::query("UPDATE orders SET refunded_minor = total_minor + 1 WHERE id = $1")
        .bind(order)
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(
        app::backend::db::violated_constraint(&over),
        Some("orders_refund_within_total")
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_refund_stripe_does_not_take_is_retried_by_the_sweeper(db: PgPool) {
    let shop = shop(db.clone()).await;
    let (_buyer, order, _ticket, _organizer) = paid_two(&shop).await;
    let organizer_id: Uuid = sqlx::query_scalar(
        "SELECT e.organizer_id FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
         JOIN events e ON e.id = t.event_id WHERE i.order_id = $1",
    )
    .bind(order)
    .fetch_one(&db)
    .await
    .unwrap();
    let organizer = crate::support::session_user(&db, organizer_id).await;
    // Stripe unreachable for this request.
    let dead = Payments::new(&StripeConfig {
        secret_key: "sk_test_dead".to_string().into(),
        webhook_secrets: vec!["whsec_x".to_string().into()],
        api_base: Some("http://127.0.0.1:9/".into()),
    })
    .unwrap();
    let done = refunds::refund(
        &db,
        Some(&dead),
        &organizer,
        RefundRequest {
            order,
            tickets: None,
            cause: app::model::RefundCause::Organizer,
            reason: "Event moved".into(),
            restock: true,
        },
    )
    .await
    .unwrap();
    assert!(!done.sent);
    assert!(done.order_refunded);
    assert!(shop.listed("refunds").await.is_empty());

    // Due again (its backoff over): the sweeper with the real Stripe sends it, once.
    sqlx::query("UPDATE refunds SET retry_after = now()")
        .execute(&db)
        .await
        .unwrap();
    let payments: Arc<Payments> = shop.app.state.payments.clone().unwrap();
    for _ in 0..2 {
        app::backend::jobs::sweep_once(&db, &shop.app.state.valkey, Some(payments.as_ref()))
            .await
            .unwrap();
    }
    let stripe = shop.listed("refunds").await;
    assert_eq!(stripe.len(), 1, "{stripe:?}");
    assert_eq!(stripe[0]["amount"], 5000);
    let settled: bool =
        sqlx::query_scalar("SELECT stripe_refund_id IS NOT NULL FROM refunds WHERE order_id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(settled);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn free_tickets_are_cancelled_without_stripe(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Free entry", 0, 10)
        .create()
        .await;
    let buyer = fixtures::buyer(&db).await;
    let cart = [(event.types[0], 2)].into_iter().collect();
    let app::backend::orders::reserve::Reservation::New(order) =
        app::backend::orders::reserve::reserve(&db, buyer, &cart, Duration::from_secs(600))
            .await
            .unwrap()
    else {
        panic!("a new order")
    };
    assert!(
        app::backend::orders::settle::confirm_free(&db, order.id)
            .await
            .unwrap()
    );
    let organizer = crate::support::session_user(&db, event.organizer).await;
    let done = refunds::refund(
        &db,
        None,
        &organizer,
        RefundRequest {
            order: order.id,
            tickets: None,
            cause: app::model::RefundCause::Organizer,
            reason: "Rehearsal cancelled".into(),
            restock: true,
        },
    )
    .await
    .unwrap();
    assert_eq!((done.amount.minor, done.tickets, done.sent), (0, 2, false));
    assert!(done.order_refunded);
    let pending: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM refunds WHERE stripe_refund_id IS NULL AND amount_minor > 0",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(pending, 0, "nothing for the sweeper to send");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn buyers_cancel_within_the_organizers_policy(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).title("Flexible Night").create().await;
    let organizer_email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&organizer_email).await;
    create_user(&db, "flex@example.com", Role::Buyer).await;
    create_user(&db, "nosy@example.com", Role::Buyer).await;
    let buyer_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'flex@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    // Bought before there was a policy: never cancellable online, even once
    // the organizer sets one (the policy bought under stays with the order).
    let before = fixtures::paid_order(&db, buyer_id, &[(event.types[0], 1)]).await;
    let buyer = app.signed_in("flex@example.com").await;
    let cancel_order = |client: reqwest::Client, order: Uuid, refund: i64| {
        let app = &app;
        async move {
            app.call(
                &client,
                "orders/cancel_tickets",
                &[
                    ("order", &order.to_string()),
                    ("refund_minor", &refund.to_string()),
                ],
            )
            .await
        }
    };
    let res = cancel_order(buyer.clone(), before, 0).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "These tickets can no longer be cancelled online; please contact the organizer."
    );
    // Only the organizer sets it, within bounds.
    let event_id = event.id.to_string();
    let res = app
        .call(
            &buyer,
            "organizer/cancel_policy",
            &[("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .call(
            &organizer,
            "organizer/cancel_policy",
            &[
                ("event", &event_id),
                ("hours", "48"),
                ("fee_percent", "101"),
            ],
        )
        .await;
    assert!(app_error(res).await.for_field("fee_percent").is_some());
    let res = app
        .call(
            &organizer,
            "organizer/cancel_policy",
            &[("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = cancel_order(buyer.clone(), before, 2250).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(order_status(&db, before).await, "paid");

    // Bought under 48 h and 10%: the organizer raising the fee afterwards
    // changes nothing for this order.
    let order = fixtures::paid_order(&db, buyer_id, &[(event.types[0], 2)]).await;
    let cancel = |client: reqwest::Client| cancel_order(client, order, 4500);
    let res = app
        .call(
            &organizer,
            "organizer/cancel_policy",
            &[
                ("event", &event_id),
                ("hours", "48"),
                ("fee_percent", "100"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The buyer's order offers it: €45.00 back of €50.00, until 48 h before.
    let res = app
        .call(&buyer, "orders/get", &[("id", &order.to_string())])
        .await;
    let seen: OrderView = res.json().await.unwrap();
    let offer = seen.cancel_offer.expect("an offer");
    assert_eq!(
        (offer.tickets, offer.refund.minor, offer.fee.minor),
        (2, 4500, 500)
    );

    // Another buyer cannot cancel it.
    let nosy = app.signed_in("nosy@example.com").await;
    assert_eq!(cancel(nosy).await.status(), StatusCode::NOT_FOUND);
    // A call that expects another amount than cancelling gives is refused.
    for wrong in [0, 4499, 5000] {
        let res = cancel_order(buyer.clone(), order, wrong).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: app::error::AppError = refunds::RefundRefusal::AmountChanged {
            now: app::model::Currency::from_stored("EUR".into()).amount(4500),
        }
        .into();
        assert_eq!(
            app_error(res).await,
            refused.in_language(app::i18n::Locale::En)
        );
    }
    assert_eq!(order_status(&db, order).await, "paid");

    let res = cancel(buyer.clone()).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(order_status(&db, order).await, "refunded");
    let (amount, restocked): (i64, bool) =
        sqlx::query_as("SELECT amount_minor, restocked FROM refunds WHERE order_id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((amount, restocked), (4500, true));
    assert_eq!(
        counters(&db, event.types[0]).await,
        (0, 1),
        "seats back on sale (the ticket bought before the policy stays sold)"
    );
    let res = cancel(buyer.clone()).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "These tickets have been refunded already."
    );

    // Past the deadline (the event in an hour, cancellations close 48 h before): refused.
    let late = fixtures::paid_order(&db, buyer_id, &[(event.types[0], 1)]).await;
    sqlx::query("UPDATE events SET starts_at = now() + interval '1 hour', ends_at = now() + interval '3 hours' WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let res = app
        .call(&buyer, "orders/get", &[("id", &late.to_string())])
        .await;
    assert!(
        res.json::<OrderView>()
            .await
            .unwrap()
            .cancel_offer
            .is_none()
    );
    let res = cancel_order(buyer.clone(), late, 0).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn each_organizer_of_a_shared_order_sees_only_their_own_lines_and_refunds(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    // One order: two €25.00 tickets of Alice's event and one of Bob's.
    let alices = fixtures::event(&db).title("Alice Night").create().await;
    let bobs = fixtures::event(&db).title("Bob Night").create().await;
    let buyer = fixtures::buyer(&db).await;
    let order = fixtures::paid_order(&db, buyer, &[(alices.types[0], 2), (bobs.types[0], 1)]).await;
    let alice = app
        .signed_in(&support::email_of(&db, alices.organizer).await)
        .await;
    let bob = app
        .signed_in(&support::email_of(&db, bobs.organizer).await)
        .await;
    let alice_ticket: Uuid = sqlx::query_scalar(
        "SELECT p.id FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
         WHERE p.order_id = $1 AND t.event_id = $2 ORDER BY p.seat_no LIMIT 1",
    )
    .bind(order)
    .bind(alices.id)
    .fetch_one(&db)
    .await
    .unwrap();
    // Alice refunds one of hers, with a reason meant for her records.
    let res = app
        .call(
            &alice,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &alice_ticket.to_string()),
                ("reason", "Alice's private note about the buyer"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );

    // Bob: his line's total, none of Alice's refund.
    let view: OrganizerOrderView = app
        .call(&bob, "organizer/order", &[("id", &order.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((view.total.minor, view.refunded.minor), (2500, 0));
    assert!(view.refunds.is_empty(), "{:?}", view.refunds);
    assert_eq!(view.tickets.len(), 1);
    let list: OrganizerOrders = app
        .call(&bob, "organizer/orders", &[("event", &bobs.id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (list.rows[0].total.minor, list.rows[0].refunded.minor),
        (2500, 0)
    );
    let csv = app
        .get_with(&bob, &format!("/organizer/events/{}/orders.csv", bobs.id))
        .await
        .text()
        .await
        .unwrap();
    let row = csv.lines().nth(1).expect("one order");
    assert!(row.contains(",25.00,0.00,EUR"), "{row}");
    assert!(!row.contains("75.00") && !row.contains("50.00"), "{row}");

    // Alice: her two tickets' total and her refund, with its reason.
    let view: OrganizerOrderView = app
        .call(&alice, "organizer/order", &[("id", &order.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((view.total.minor, view.refunded.minor), (5000, 2500));
    assert_eq!(view.refunds.len(), 1);
    assert_eq!(view.refunds[0].amount.minor, 2500);
    assert_eq!(
        view.refunds[0].reason,
        "Alice's private note about the buyer"
    );
    let csv = app
        .get_with(
            &alice,
            &format!("/organizer/events/{}/orders.csv", alices.id),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines().nth(1).unwrap().contains(",50.00,25.00,EUR"),
        "{csv}"
    );
}
