//! Paying through the emulator and waiting for the shop to agree: every change of
//! an order's state after checkout reaches the shop asynchronously (webhooks to
//! either instance, the sweepers), so the bench polls the database for it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::PgPool;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::BenchResult;

/// Pays each session as card 4242 would (`POST /_test/sessions/{id}/pay`), which
/// sends the signed `checkout.session.completed` webhook. Returns the sessions
/// the emulator accepted and the refusals' text.
pub async fn pay(
    emulator: &str,
    sessions: &[String],
    concurrency: usize,
) -> BenchResult<(Vec<String>, Vec<String>)> {
    let http = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = Vec::new();
    for session in sessions {
        let (http, gate, session) = (http.clone(), gate.clone(), session.clone());
        let url = format!("{emulator}_test/sessions/{session}/pay");
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.expect("semaphore open");
            let res = http.post(url).send().await.map_err(|e| e.to_string())?;
            let status = res.status();
            if status.is_success() {
                Ok(session)
            } else {
                Err(format!(
                    "{session}: {status} {}",
                    res.text().await.unwrap_or_default()
                ))
            }
        }));
    }
    let (mut paid, mut refused) = (Vec::new(), Vec::new());
    for task in tasks {
        match task.await? {
            Ok(session) => paid.push(session),
            Err(err) => refused.push(err),
        }
    }
    Ok((paid, refused))
}

/// Sessions the emulator reports as paid.
pub async fn paid_at_emulator(emulator: &str) -> BenchResult<Vec<String>> {
    let sessions: Vec<Value> = reqwest::get(format!("{emulator}_test/sessions"))
        .await?
        .json()
        .await?;
    Ok(sessions
        .iter()
        .filter(|s| s["payment_status"] == "paid")
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect())
}

/// The listing and its orders as the database has them.
#[derive(Debug, Clone, Default)]
pub struct Stock {
    pub stock: i64,
    pub reserved: i64,
    pub sold: i64,
    pub tickets: i64,
    pub pending_orders: i64,
    /// Seats the pending orders hold (what `reserved` must equal).
    pub pending_quantity: i64,
    pub paid_orders: i64,
    pub expired_orders: i64,
    pub other_orders: i64,
}

impl Stock {
    pub fn available(&self) -> i64 {
        self.stock - self.reserved - self.sold
    }
}

/// The event's seats across all its ticket types: its capacity when it has
/// one (else the types' quantities added up), and its counters.
pub async fn stock(db: &PgPool, event: Uuid) -> BenchResult<Stock> {
    let (stock, reserved, sold): (i32, i32, i32) = sqlx::query_as(
        "SELECT coalesce(e.capacity, (SELECT sum(quantity)::int FROM ticket_types WHERE event_id = e.id)),
                e.reserved, e.sold
         FROM events e WHERE e.id = $1",
    )
    .bind(event)
    .fetch_one(db)
    .await?;
    let tickets: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id WHERE t.event_id = $1",
    )
    .bind(event)
    .fetch_one(db)
    .await?;
    let (pending_orders, pending_quantity, paid_orders, expired_orders, other_orders): (
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE o.status = 'pending'),
                coalesce(sum(i.quantity) FILTER (WHERE o.status = 'pending'), 0)::bigint,
                count(*) FILTER (WHERE o.status = 'paid'),
                count(*) FILTER (WHERE o.status = 'expired'),
                count(*) FILTER (WHERE o.status NOT IN ('pending', 'paid', 'expired'))
         FROM orders o JOIN order_items i ON i.order_id = o.id
         JOIN ticket_types t ON t.id = i.ticket_type_id
         WHERE t.event_id = $1",
    )
    .bind(event)
    .fetch_one(db)
    .await?;
    Ok(Stock {
        stock: stock.into(),
        reserved: reserved.into(),
        sold: sold.into(),
        tickets,
        pending_orders,
        pending_quantity,
        paid_orders,
        expired_orders,
        other_orders,
    })
}

/// How many of `sessions` the database has as paid orders.
pub async fn paid_in_db(db: &PgPool, sessions: &[String]) -> BenchResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM orders WHERE status = 'paid' AND stripe_session_id = ANY($1)",
    )
    .bind(sessions)
    .fetch_one(db)
    .await?)
}

/// Types of the event whose held + sold went over their own quantity (the
/// CHECK constraint says there are none; the bench checks it did its job).
pub async fn types_over_quantity(db: &PgPool, event: Uuid) -> BenchResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM ticket_types WHERE event_id = $1 AND reserved + sold > quantity",
    )
    .bind(event)
    .fetch_one(db)
    .await?)
}

/// A code's count against the tickets bought with it.
#[derive(Debug, Clone, Copy)]
pub struct CodeUses {
    pub max_uses: i32,
    pub used: i32,
    /// Tickets of pending and paid orders bought with it.
    pub tickets: i64,
    /// Of those, the ones whose line took the discount off.
    pub discounted: i64,
}

impl CodeUses {
    /// Counted exactly, within its uses, every use discounted.
    pub fn exact(&self) -> bool {
        i64::from(self.used) == self.tickets
            && self.used <= self.max_uses
            && self.discounted == self.tickets
    }
}

pub async fn code_uses(db: &PgPool, code: Uuid) -> BenchResult<CodeUses> {
    let (max_uses, used, tickets, discounted): (i32, i32, i64, i64) = sqlx::query_as(
        "SELECT c.max_uses, c.used,
                coalesce(sum(i.quantity) FILTER (WHERE o.status IN ('pending', 'paid')), 0)::bigint,
                coalesce(sum(i.quantity) FILTER (WHERE o.status IN ('pending', 'paid')
                                                   AND i.discount_minor > 0), 0)::bigint
         FROM event_codes c
         LEFT JOIN order_items i ON i.code_id = c.id LEFT JOIN orders o ON o.id = i.order_id
         WHERE c.id = $1 GROUP BY c.id",
    )
    .bind(code)
    .fetch_one(db)
    .await?;
    Ok(CodeUses {
        max_uses,
        used,
        tickets,
        discounted,
    })
}

/// Polls the event every 250 ms until `done` holds or `timeout` passes; returns
/// the last state and whether `done` held.
pub async fn wait_for(
    db: &PgPool,
    ticket: Uuid,
    timeout: Duration,
    mut done: impl FnMut(&Stock) -> bool,
) -> BenchResult<(Stock, bool)> {
    let deadline = Instant::now() + timeout;
    loop {
        let state = stock(db, ticket).await?;
        if done(&state) {
            return Ok((state, true));
        }
        if Instant::now() > deadline {
            return Ok((state, false));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until the database has every one of `sessions` as paid.
pub async fn wait_paid(db: &PgPool, sessions: &[String], timeout: Duration) -> BenchResult<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        if paid_in_db(db, sessions).await? >= sessions.len() as i64 {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
