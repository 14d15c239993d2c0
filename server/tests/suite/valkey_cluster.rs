//! The shop on a Valkey (Redis) Cluster of three primaries with a replica
//! each: sessions, rate limits, carts and the waiting room work as on one
//! node (the queue's keys of one event share a hash slot), and when the
//! primary holding the queue dies mid-sale its replica takes over: the queue
//! pauses and resumes, and nothing sold is lost.

use crate::support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sqlx::PgPool;
use support::scratch::ScratchCluster;
use support::shop::{self, Shop, until_status};
use uuid::Uuid;

/// Retries `step` through a failover (its errors say what went wrong) for up to 20 s.
async fn through_failover<T, F, Fut>(what: &str, mut step: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match step().await {
            Ok(value) => return value,
            Err(err) => {
                assert!(Instant::now() < deadline, "{what}: {err}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// One buyer's whole path: an account and its session, a cart, a place in
/// the queue, the turn, checkout and payment. Returns the order.
async fn buy_one(shop: &Shop, event: Uuid, ticket: Uuid, email: &str) -> Uuid {
    support::create_user(&shop.app.state.db, email, app::model::Role::Buyer).await;
    let browser = shop.app.browser();
    through_failover("sign-in", || async {
        let res = shop
            .app
            .call(
                &browser,
                "auth/sign_in",
                &[("email", email), ("password", support::PASSWORD)],
            )
            .await;
        (res.status() == StatusCode::OK)
            .then_some(())
            .ok_or(format!("{}", res.status()))
    })
    .await;
    through_failover("cart", || async {
        let res = shop
            .app
            .call(
                &browser,
                "cart/add",
                &[
                    ("picks[0][ticket_type_id]", &ticket.to_string()),
                    ("picks[0][quantity]", "1"),
                ],
            )
            .await;
        let status = res.status();
        (status == StatusCode::OK).then_some(()).ok_or(format!(
            "{status}: {}",
            res.text().await.unwrap_or_default()
        ))
    })
    .await;
    through_failover("place and turn", || async {
        let res = support::join_queue(&shop.app.base_url, &browser, event).await;
        if res.status() != StatusCode::SEE_OTHER {
            return Err(format!("join: {}", res.status()));
        }
        let res = browser
            .get(format!("{}/queue/{event}/status", shop.app.base_url))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let admitted = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or("").starts_with("ts_admit_"));
        admitted
            .then_some(())
            .ok_or(format!("not let through yet ({})", res.status()))
    })
    .await;
    let location = through_failover("checkout", || async {
        let res = shop.app.call(&browser, "checkout/start", &[]).await;
        match res.headers().get("location").and_then(|l| l.to_str().ok()) {
            Some(location) if res.status() == StatusCode::OK => Ok(location.to_string()),
            _ => Err(format!(
                "{}: {}",
                res.status(),
                res.text().await.unwrap_or_default()
            )),
        }
    })
    .await;
    let session = location.rsplit('/').next().unwrap().to_string();
    shop.control(&format!("sessions/{session}/pay")).await;
    let order: Uuid = sqlx::query_scalar("SELECT id FROM orders WHERE stripe_session_id = $1")
        .bind(&session)
        .fetch_one(&shop.app.state.db)
        .await
        .unwrap();
    until_status(&shop.app.state.db, order, "paid").await;
    order
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_queued_sale_goes_on_through_a_primarys_failure(db: PgPool) {
    let mut cluster = ScratchCluster::start().await;
    let url = cluster.url();
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("VALKEY_URL", url.as_str()),
            ("QUEUE_ADMIT_PER_SEC", "50"),
            ("QUEUE_DRAW_SECS", "0"),
            ("QUEUE_PLACES_PER_ADDRESS", "100"),
        ],
    )
    .await;
    let (event, ticket) = crate::queue::queued_sale(&shop, &db).await;
    let mut orders = Vec::new();
    for i in 0..3 {
        orders.push(buy_one(&shop, event, ticket, &format!("before{i}@example.com")).await);
    }
    // The primary holding this event's queue dies; its replica takes over.
    let queue_key = shop
        .app
        .state
        .valkey
        .key(&format!("q:{{{}}}:m", event.simple()));
    cluster.kill_primary_of(&queue_key);
    cluster.until_healthy().await;
    for i in 0..3 {
        orders.push(buy_one(&shop, event, ticket, &format!("after{i}@example.com")).await);
    }
    // Nothing sold is lost: six paid orders, six seats sold, none held.
    for order in &orders {
        assert_eq!(shop::order_status(&db, *order).await, "paid");
    }
    assert_eq!(shop::counters(&db, ticket).await, (0, 6));
    // The queue went on where it was: six numbers given, in order.
    let progress = queue_progress(&shop, event).await;
    assert_eq!(progress["last_number"], 6, "{progress}");
}

async fn queue_progress(shop: &Shop, event: Uuid) -> serde_json::Value {
    reqwest::get(format!("{}/queue/{event}/progress", shop.app.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
