//! The shop behind PgBouncer in transaction mode: it keeps nothing on a
//! database connection between transactions, so any server connection may
//! carry any client's next one.

use crate::support;

use std::str::FromStr;

use app::error::AppError;
use app::model::{CheckoutRefusal, EventDetail, OrderStatus, OrderView};
use futures::future::join_all;
use reqwest::StatusCode;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use support::scratch::ScratchPgBouncer;
use support::shop::{buyer_with_cart, counters, listing, shop_with, until_status};
use uuid::Uuid;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_rush_through_pgbouncer_in_transaction_mode_sells_exactly_the_stock(db: PgPool) {
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&db)
        .await
        .unwrap();
    let direct = PgConnectOptions::from_str(
        &std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| app::backend::config::DEFAULT_DATABASE_URL.to_string()),
    )
    .unwrap();
    // Two server connections for the shop's twenty: every transaction may
    // land on a connection another client used last.
    let bouncer = ScratchPgBouncer::start(direct.get_port(), 2);
    let pooled = app::backend::db::connect_lazy(&bouncer.url(&database), 20).unwrap();
    let direct_url = format!(
        "postgres://ticket_sales@127.0.0.1:{}/{database}",
        direct.get_port()
    );
    let shop = shop_with(
        pooled.clone(),
        &[
            ("DATABASE_LISTEN_URL", &direct_url),
            // Forty buyers from one address.
            ("AUTH_RATE_LIMIT_PER_IP", "100000"),
            ("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "100000"),
            ("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "100000"),
        ],
    )
    .await;
    let ticket = listing(&db, 30).await;
    let event: Uuid = sqlx::query_scalar("SELECT event_id FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();

    // Forty buyers at once for thirty seats, each paying as soon as Stripe
    // has a session for them.
    let outcomes = join_all((0..40).map(|_| async {
        let (buyer, email) = buyer_with_cart(&shop, ticket, 1).await;
        let res = shop.app.call(&buyer, "checkout/start", &[]).await;
        if res.status() != StatusCode::OK {
            return (buyer, email, Err(support::app_error(res).await));
        }
        let session: String = sqlx::query_scalar(
            "SELECT o.stripe_session_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1",
        )
        .bind(&email)
        .fetch_one(&shop.app.state.db)
        .await
        .unwrap();
        shop.control(&format!("sessions/{session}/pay")).await;
        (buyer, email, Ok(()))
    }))
    .await;
    let mut paid = Vec::new();
    for (buyer, email, outcome) in outcomes {
        match outcome {
            Ok(()) => paid.push((buyer, email)),
            Err(AppError::Refused(CheckoutRefusal::SoldOut { .. })) => {}
            Err(other) => panic!("a buyer got {other:?}"),
        }
    }
    assert_eq!(paid.len(), 30);
    for (buyer, email) in &paid {
        let order: Uuid = sqlx::query_scalar(
            "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1",
        )
        .bind(email)
        .fetch_one(&db)
        .await
        .unwrap();
        until_status(&db, order, "paid").await;
        let seen: OrderView = shop
            .app
            .call(buyer, "orders/get", &[("id", &order.to_string())])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen.status, OrderStatus::Paid);
    }
    assert_eq!(counters(&db, ticket).await, (0, 30));
    let tickets: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(tickets, 30);

    // A text search (its plan setting is local to its transaction) and the
    // event's page, through the pooler.
    let res = shop
        .app
        .call(
            &shop.app.client,
            "catalogue/search",
            &[("query[q]", "paid gig")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(&event.to_string()));
    let page: EventDetail = shop
        .app
        .call(
            &shop.app.client,
            "catalogue/event",
            &[("id", &event.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.available, 0);
    pooled.close().await;
}
