//! Checkout through the real async-stripe client against the Stripe emulator,
//! with webhooks signed as Stripe signs them: duplicates, replays, late and
//! forged deliveries, the sweeper, and Stripe being unreachable.

use crate::support;

use std::time::Duration;

use app::backend::jobs::sweep_once;
use app::model::Role;
use reqwest::StatusCode;
use sqlx::PgPool;
use stripe_emulator::sign;
use support::create_user;
use support::shop::{
    SECRET, checked_out, counters, listing, order_status, run_out_hold, shop, until_status,
};

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn paying_on_stripe_fulfils_the_order_once(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (buyer, order, session) = checked_out(&shop, ticket, 2).await;
    assert_eq!(counters(&db, ticket).await, (2, 0));

    // Checking out again returns the same session and holds nothing more.
    shop.app
        .call(
            &buyer,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "3"),
            ],
        )
        .await;
    let again = shop.app.call(&buyer, "checkout/start", &[]).await;
    assert!(
        again.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with(&session)
    );
    assert_eq!(counters(&db, ticket).await, (2, 0));

    // Delivered twice by the emulator: one outcome.
    shop.control(&format!("sessions/{session}/pay?deliver=twice"))
        .await;
    until_status(&db, order, "paid").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(counters(&db, ticket).await, (0, 2));
    let tickets = support::pass_count(&db, order).await;
    assert_eq!(tickets, 2);

    // Every event replayed five more times: nothing changes.
    for event in shop.events().await {
        let id = event["id"].as_str().unwrap().to_string();
        for _ in 0..5 {
            shop.control(&format!("events/{id}/deliver")).await;
        }
    }
    assert_eq!(counters(&db, ticket).await, (0, 2));
    assert_eq!(order_status(&db, order).await, "paid");
    // The cart was cleared on payment.
    let cart = shop.cart_of(&buyer).await;
    assert!(cart.lines.is_empty());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_expired_session_releases_the_seats(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 3).await;
    shop.control(&format!("sessions/{session}/expire")).await;
    until_status(&db, order, "expired").await;
    assert_eq!(counters(&db, ticket).await, (0, 0));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_sweeper_expires_the_session_first_then_releases(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 2).await;
    run_out_hold(&db, order).await;
    let state = &shop.app.state;
    let (a, b) = tokio::join!(
        sweep_once(&db, &state.valkey, state.payments.as_deref()),
        sweep_once(&db, &state.valkey, state.payments.as_deref())
    );
    // Expiring the session makes the emulator send `checkout.session.expired`, so the
    // webhook may release the order before either sweeper does: at most one sweeper
    // releases it, and the counters below show the seats came back exactly once
    // (a second release would have broken the CHECK constraint).
    let released = a.unwrap().released + b.unwrap().released;
    assert!(released <= 1, "released {released} times by the sweepers");
    // A sweeper that found the row locked by the webhook's transaction skips
    // it; the webhook then commits the release a moment later.
    until_status(&db, order, "expired").await;
    assert_eq!(counters(&db, ticket).await, (0, 0));
    let sessions = shop.listed("sessions").await;
    let at_stripe = sessions
        .iter()
        .find(|s| s["id"] == session.as_str())
        .unwrap();
    assert_eq!(
        at_stripe["status"], "expired",
        "the session can no longer be paid"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_payment_the_sweeper_finds_is_settled_and_the_late_webhook_changes_nothing(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 1).await;
    // Paid at Stripe, but the webhook is held back.
    shop.control(&format!("sessions/{session}/pay?deliver=none"))
        .await;
    run_out_hold(&db, order).await;
    let state = &shop.app.state;
    let report = sweep_once(&db, &state.valkey, state.payments.as_deref())
        .await
        .unwrap();
    assert_eq!(report.settled, 1);
    assert_eq!(order_status(&db, order).await, "paid");
    for event in shop.events().await {
        let id = event["id"].as_str().unwrap().to_string();
        shop.control(&format!("events/{id}/deliver")).await;
    }
    assert_eq!(counters(&db, ticket).await, (0, 1));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn paid_after_the_hold_was_released_and_sold_out_is_refunded(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 1).await;
    let (_, late, late_session) = checked_out(&shop, ticket, 1).await;
    // The hold is released (say the sweeper ran while Stripe delayed the webhook)...
    app::backend::orders::release::release_now(&db, late, app::model::OrderStatus::Expired)
        .await
        .unwrap();
    // ...someone else buys the last seat...
    let (_, other, other_session) = checked_out(&shop, ticket, 1).await;
    shop.control(&format!("sessions/{other_session}/pay")).await;
    until_status(&db, other, "paid").await;
    // ...and then the first payment arrives.
    shop.control(&format!("sessions/{late_session}/pay")).await;
    until_status(&db, late, "refunded").await;
    // Stripe's `charge.refunded` may be recorded first (its event id, until the
    // shop records the refund's own id): wait for the refund's id.
    for _ in 0..200 {
        let refund: Option<String> =
            sqlx::query_scalar("SELECT stripe_refund_id FROM orders WHERE id = $1")
                .bind(late)
                .fetch_one(&db)
                .await
                .unwrap();
        if refund.is_some_and(|id| id.starts_with("re_")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (reason, refund): (String, Option<String>) =
        sqlx::query_as("SELECT refund_cause::text, stripe_refund_id FROM orders WHERE id = $1")
            .bind(late)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(reason, "paid_too_late");
    assert!(
        refund.is_some_and(|id| id.starts_with("re_")),
        "the refund went to Stripe"
    );
    assert_eq!(counters(&db, ticket).await, (0, 1), "nothing oversold");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn forged_stale_and_tampered_webhooks_are_refused(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let (_, order, session) = checked_out(&shop, ticket, 1).await;
    shop.control(&format!("sessions/{session}/pay?deliver=none"))
        .await;
    let events = shop.events().await;
    let completed = events
        .iter()
        .find(|e| e["type"] == "checkout.session.completed")
        .unwrap();
    let payload = completed["payload"]
        .as_str()
        .expect("the event's exact payload")
        .to_string();
    let hook = format!("{}/stripe/webhook", shop.app.base_url);
    let post = |body: String, signature: Option<String>| {
        let mut req = shop.http.post(&hook).body(body);
        if let Some(signature) = signature {
            req = req.header("stripe-signature", signature);
        }
        req.send()
    };
    let now = chrono::Utc::now().timestamp();
    let tampered = payload.replace("\"amount_total\":2500", "\"amount_total\":1");
    assert_ne!(tampered, payload);
    for (body, signature) in [
        (payload.clone(), None),
        (payload.clone(), Some(sign(&payload, "whsec_wrong", now))),
        (payload.clone(), Some(sign(&payload, SECRET, now - 600))),
        (tampered.clone(), Some(sign(&payload, SECRET, now))),
        ("{}".to_string(), Some(sign("{}", SECRET, now))),
    ] {
        let res = post(body, signature).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    assert_eq!(order_status(&db, order).await, "pending");
    assert_eq!(counters(&db, ticket).await, (1, 0));
    // The genuine article, correctly signed, is accepted.
    let res = post(payload.clone(), Some(sign(&payload, SECRET, now)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(order_status(&db, order).await, "paid");
}

/// A buyer checks out two seats on a shop whose Stripe is `stripe`: it must be
/// refused with 503, the buyer told, and no seat left held.
async fn checkout_is_refused_and_nothing_held(db: PgPool, stripe: &[(&str, &str)]) {
    let state = support::state_with(db.clone(), &support::valkey_url(), stripe).await;
    let app = support::spawn_with_state(state).await;
    let ticket = listing(&db, 10).await;
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    let buyer = app.signed_in("buyer@example.com").await;
    app.call(
        &buyer,
        "cart/add",
        &[
            ("picks[0][ticket_type_id]", &ticket.to_string()),
            ("picks[0][quantity]", "2"),
        ],
    )
    .await;
    let res = app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let err = support::app_error(res).await;
    assert!(
        err.to_string()
            .contains("Nothing was charged and your seats were released"),
        "{err}"
    );
    assert_eq!(counters(&db, ticket).await, (0, 0));
    let status: String = sqlx::query_scalar("SELECT status::text FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn when_stripe_is_unreachable_the_seats_are_released_and_the_buyer_told(db: PgPool) {
    checkout_is_refused_and_nothing_held(
        db,
        &[
            ("STRIPE_SECRET_KEY", "sk_test_shop"),
            ("STRIPE_WEBHOOK_SECRET", SECRET),
            ("STRIPE_API_BASE", "http://127.0.0.1:1/"),
        ],
    )
    .await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn without_stripe_configured_a_paid_cart_is_refused_and_nothing_held(db: PgPool) {
    // Free orders need no Stripe, so the cart is read first; a paid one still stops here.
    checkout_is_refused_and_nothing_held(db, &[]).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn checkout_needs_a_signed_in_buyer(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let guest = shop.app.browser();
    let res = shop
        .app
        .call(
            &guest,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "guests keep a cart");
    let cart = shop.cart_of(&guest).await;
    assert_eq!(cart.count(), 1);
    let res = shop.app.call(&guest, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(counters(&db, ticket).await, (0, 0));

    // Signing in merges the guest's cart into the buyer's.
    create_user(&db, "merge@example.com", Role::Buyer).await;
    let owner = shop.app.signed_in("merge@example.com").await;
    shop.app
        .call(
            &owner,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "2"),
            ],
        )
        .await;
    let res = shop
        .app
        .call(
            &guest,
            "auth/sign_in",
            &[
                ("email", "merge@example.com"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cart = shop.cart_of(&guest).await;
    assert_eq!(cart.count(), 3, "merged, not overwritten");
}
