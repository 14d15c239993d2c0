//! A streaming replica behind the catalogue and event pages (`db::replica`):
//! its lag shows in what those pages say, never in what is sold or paid.

use crate::support;

use std::time::Duration;

use app::error::AppError;
use app::model::{CheckoutRefusal, EventDetail, OrderStatus, OrderView};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::eventually;
use support::scratch::ScratchPostgres;
use support::shop::{
    Shop, buyer_with_cart, checked_out, counters, listing, shop_with, until_status,
};
use uuid::Uuid;

/// What the event's page says is left, as a visitor's browser asks.
async fn page_says_left(shop: &Shop, event: Uuid) -> i32 {
    let res = shop
        .app
        .call(
            &shop.app.client,
            "catalogue/event",
            &[("id", &event.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<EventDetail>().await.unwrap().available
}

/// What the replica itself holds for the ticket type.
async fn replica_left(replica: &PgPool, ticket: Uuid) -> i32 {
    sqlx::query_scalar("SELECT quantity - reserved - sold FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_optional(replica)
        .await
        .unwrap()
        .unwrap_or(-1)
}

/// A primary of the test's own with a migrated database `shop`, its streaming
/// replica, and pools on both (the primary's as the server makes it).
async fn primary_and_replica() -> (ScratchPostgres, ScratchPostgres, PgPool, PgPool) {
    let primary = ScratchPostgres::new();
    let admin = PgPool::connect(&primary.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE shop")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let db = app::backend::db::connect_lazy(&primary.url("shop"), 10).unwrap();
    server::MIGRATOR.run(&db).await.unwrap();
    let standby = ScratchPostgres::replica_of(&primary);
    let replica = PgPool::connect(&standby.url("shop")).await.unwrap();
    (primary, standby, db, replica)
}

#[tokio::test]
async fn a_lagging_replica_never_oversells_nor_shows_a_paid_order_unpaid() {
    // `_primary` lives to the end of the test: dropping it destroys the cluster.
    let (_primary, standby, db, replica) = primary_and_replica().await;
    let replica_url = standby.url("shop");

    // Two shops on the same primary and replica: one that reads the replica
    // however far behind it is (an hour's bound), to see what a lag does to
    // the pages, and one with the default bound of two seconds.
    let lagging = shop_with(
        db.clone(),
        &[
            ("DATABASE_REPLICA_URL", &replica_url),
            ("DATABASE_REPLICA_MAX_LAG_SECS", "3600"),
        ],
    )
    .await;
    let bounded = shop_with(db.clone(), &[("DATABASE_REPLICA_URL", &replica_url)]).await;
    let ticket = listing(&db, 2).await;
    let event: Uuid = sqlx::query_scalar("SELECT event_id FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    for shop in [&lagging, &bounded] {
        eventually(
            Duration::from_secs(20),
            "pages to read the replica",
            || async { shop.app.state.replica.in_use() },
        )
        .await;
        assert_eq!(page_says_left(shop, event).await, 2);
    }

    // The replica stops replaying; the primary sells out meanwhile.
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&replica)
        .await
        .unwrap();
    let (ada, order, session) = checked_out(&lagging, ticket, 2).await;
    lagging.control(&format!("sessions/{session}/pay")).await;
    until_status(&db, order, "paid").await;
    assert_eq!(replica_left(&replica, ticket).await, 2, "the replica lags");

    // The lagging shop's page still says two are left: it reads the replica.
    assert_eq!(page_says_left(&lagging, event).await, 2);
    // A buyer who believes it is refused: the checkout decides on the primary.
    let (bob, _) = buyer_with_cart(&lagging, ticket, 1).await;
    let res = lagging.app.call(&bob, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = support::app_error(res).await;
    assert!(
        matches!(refusal, AppError::Refused(CheckoutRefusal::SoldOut { .. })),
        "{refusal:?}"
    );
    assert_eq!(counters(&db, ticket).await, (0, 2), "nothing oversold");
    // The buyer who paid sees the order paid, and both tickets.
    let mine: Vec<OrderView> = lagging
        .app
        .call(&ada, "orders/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, OrderStatus::Paid);
    let seen: OrderView = lagging
        .app
        .call(&ada, "orders/get", &[("id", &order.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen.status, OrderStatus::Paid);
    assert_eq!(support::pass_count(&db, order).await, 2);

    // The bounded shop stops reading the replica once it is two seconds
    // behind, and its page tells the truth from the primary.
    eventually(
        Duration::from_secs(10),
        "the bound to take the replica out",
        || async { !bounded.app.state.replica.in_use() },
    )
    .await;
    assert_eq!(page_says_left(&bounded, event).await, 0);
    assert_eq!(replica_left(&replica, ticket).await, 2, "still lagging");

    // Replaying again, the replica catches up and is read again.
    sqlx::query("SELECT pg_wal_replay_resume()")
        .execute(&replica)
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the replica to be read again",
        || async { bounded.app.state.replica.in_use() },
    )
    .await;
    assert_eq!(page_says_left(&bounded, event).await, 0);
    assert_eq!(page_says_left(&lagging, event).await, 0);
}

#[tokio::test]
async fn an_event_too_new_for_the_replica_is_found_on_the_primary() {
    // `_primary` lives to the end of the test: dropping it destroys the cluster.
    let (_primary, standby, db, replica) = primary_and_replica().await;
    let replica_url = standby.url("shop");
    let shop = shop_with(
        db.clone(),
        &[
            ("DATABASE_REPLICA_URL", &replica_url),
            ("DATABASE_REPLICA_MAX_LAG_SECS", "3600"),
        ],
    )
    .await;
    eventually(
        Duration::from_secs(20),
        "pages to read the replica",
        || async { shop.app.state.replica.in_use() },
    )
    .await;
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&replica)
        .await
        .unwrap();
    let ticket = listing(&db, 3).await;
    let event: Uuid = sqlx::query_scalar("SELECT event_id FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        replica_left(&replica, ticket).await,
        -1,
        "not on the replica"
    );
    // Its page is found (on the primary), not a 404.
    assert_eq!(page_says_left(&shop, event).await, 3);
    // And a replica that stops answering sends the pages to the primary.
    drop(replica);
    standby.stop();
    assert_eq!(page_says_left(&shop, event).await, 3);
    let res = shop
        .app
        .call(
            &shop.app.client,
            "catalogue/search",
            &[("query[q]", "paid")],
        )
        .await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&event.to_string()));
}
