//! Checkout and payment, as database transactions. Stock moves only here:
//! reserve (cart -> pending order), release (pending -> expired/cancelled) and
//! fulfil (reserved -> sold, passes issued). Each is one transaction whose state
//! change on the order is conditional, so it happens exactly once however many
//! requests, webhooks or sweepers race for it. No transaction spans a call to Stripe.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::RngCore;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{BackendError, BackendResult, db};
use crate::error::AppError;
use crate::model::{OrderStatus, TicketStatus};

/// A pending order holding seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOrder {
    pub id: Uuid,
    pub total_minor: i64,
    pub currency: String,
    pub reserved_until: DateTime<Utc>,
    pub stripe_session_id: Option<String>,
    pub stripe_session_url: Option<String>,
    pub lines: Vec<ReservedLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedLine {
    pub ticket_id: Uuid,
    pub title: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Seats were reserved just now.
    New(PendingOrder),
    /// The buyer already had a pending order: it is returned, nothing more is held.
    Existing(PendingOrder),
}

/// What decides whether a listing can be bought right now.
pub struct Buyable<'a> {
    pub title: &'a str,
    pub status: TicketStatus,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    pub available: i32,
    pub max_per_order: i32,
}

impl Buyable<'_> {
    /// Why this listing cannot be bought in this quantity at `now`, if it cannot.
    pub fn problem(&self, quantity: i64, now: DateTime<Utc>) -> Option<String> {
        let title = self.title;
        if self.status != TicketStatus::Published {
            Some(format!("{title} is no longer on sale."))
        } else if now < self.sale_starts_at {
            Some(format!("Sales for {title} have not opened yet."))
        } else if now >= self.sale_ends_at {
            Some(format!("Sales for {title} have ended."))
        } else if self.available <= 0 {
            Some(format!("{title} is sold out."))
        } else if quantity > i64::from(self.max_per_order) {
            Some(format!(
                "At most {} tickets per order for {title}.",
                self.max_per_order
            ))
        } else if quantity > i64::from(self.available) {
            Some(format!("Only {} left for {title}.", self.available))
        } else {
            None
        }
    }
}

/// Reserves every line of the cart in one transaction, or none.
///
/// The order and its lines are written first and the seats taken last, each
/// line one conditional UPDATE (`stock - reserved - sold >= q`) in ticket-id
/// order (so two checkouts can never deadlock): a ticket row everyone wants
/// during an on-sale rush is then locked only from its UPDATE to COMMIT, not
/// while the order is written. The UPDATE also requires the price read
/// beforehand, so the price copied into the order is the one in force.
pub async fn reserve(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    hold: Duration,
) -> BackendResult<Reservation> {
    if let Some(existing) = pending_for_user(db, user).await? {
        return Ok(Reservation::Existing(existing));
    }
    let (lines, currency) = priced_lines(db, cart).await?;
    let total_minor: i64 = lines
        .iter()
        .map(|l| l.unit_price_minor * i64::from(l.quantity))
        .sum();
    let reserved_until = Utc::now() + TimeDelta::from_std(hold).unwrap_or(TimeDelta::minutes(30));
    let ticket_ids: Vec<Uuid> = lines.iter().map(|l| l.ticket_id).collect();
    let quantities: Vec<i32> = lines.iter().map(|l| l.quantity).collect();
    let prices: Vec<i64> = lines.iter().map(|l| l.unit_price_minor).collect();
    let mut tx = db.begin().await?;
    let inserted = sqlx::query_scalar!(
        r#"WITH new_order AS (
               INSERT INTO orders (user_id, total_minor, currency, reserved_until)
               VALUES ($1, $2, $3, $4) RETURNING id
           ), new_items AS (
               INSERT INTO order_items (order_id, ticket_id, quantity, unit_price_minor, currency)
               SELECT new_order.id, line.ticket_id, line.quantity, line.price, $3
               FROM new_order, unnest($5::uuid[], $6::int[], $7::bigint[]) AS line(ticket_id, quantity, price)
           )
           SELECT id AS "id!" FROM new_order"#,
        user,
        total_minor,
        currency,
        reserved_until,
        &ticket_ids,
        &quantities,
        &prices
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // A concurrent checkout by the same buyer won: drop ours, return theirs.
        Err(err) if db::violated_constraint(&err) == Some("orders_one_pending_per_user") => {
            drop(tx);
            return pending_for_user(db, user)
                .await?
                .map(Reservation::Existing)
                .ok_or_else(|| BackendError::Database(err));
        }
        Err(err) => return Err(err.into()),
    };
    for line in &lines {
        let taken = sqlx::query_scalar!(
            r#"UPDATE tickets SET reserved = reserved + $2
               WHERE id = $1 AND status = 'published' AND now() >= sale_starts_at AND now() < sale_ends_at
                 AND $2 <= max_per_order AND stock - reserved - sold >= $2
                 AND price_minor = $3 AND currency = $4
               RETURNING 1 AS "taken!""#,
            line.ticket_id,
            line.quantity,
            line.unit_price_minor,
            currency
        )
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_none() {
            let message = explain_refusal(&mut tx, line, &currency).await?;
            return Err(AppError::Invalid {
                field: None,
                message,
            }
            .into());
        }
    }
    tx.commit().await?;
    Ok(Reservation::New(PendingOrder {
        id,
        total_minor,
        currency,
        reserved_until,
        stripe_session_id: None,
        stripe_session_url: None,
        lines,
    }))
}

/// The cart's lines with their current titles and prices (read without locks;
/// `reserve` takes the seats only at these prices), in ticket-id order, and
/// their one currency. A line that cannot be bought as things stand (sold out,
/// sale closed, ...) is refused here, before any transaction: after a sell-out
/// most checkouts of a rush end here, cheaply. Seats this read shows as free
/// are still only taken by the conditional UPDATE.
async fn priced_lines(
    db: &PgPool,
    cart: &BTreeMap<Uuid, i64>,
) -> BackendResult<(Vec<ReservedLine>, String)> {
    if cart.is_empty() {
        return Err(AppError::Invalid {
            field: None,
            message: "Your cart is empty.".into(),
        }
        .into());
    }
    let ids: Vec<Uuid> = cart.keys().copied().collect();
    let rows = sqlx::query!(
        r#"SELECT id, title, price_minor, currency AS "currency!: String",
                  status AS "status: TicketStatus", sale_starts_at, sale_ends_at,
                  stock - reserved - sold AS "available!", max_per_order
           FROM tickets WHERE id = ANY($1) ORDER BY id"#,
        &ids
    )
    .fetch_all(db)
    .await?;
    if rows.len() != cart.len() {
        return Err(AppError::Invalid {
            field: None,
            message: "A ticket in your cart no longer exists; please remove it.".into(),
        }
        .into());
    }
    let now = Utc::now();
    if let Some(problem) = rows.iter().find_map(|row| {
        Buyable {
            title: &row.title,
            status: row.status,
            sale_starts_at: row.sale_starts_at,
            sale_ends_at: row.sale_ends_at,
            available: row.available,
            max_per_order: row.max_per_order,
        }
        .problem(cart[&row.id], now)
    }) {
        return Err(AppError::Invalid {
            field: None,
            message: problem,
        }
        .into());
    }
    let currency = rows[0].currency.clone();
    if rows.iter().any(|row| row.currency != currency) {
        return Err(AppError::Invalid {
            field: None,
            message: "Your cart has tickets priced in different currencies; please buy them in separate orders."
                .into(),
        }
        .into());
    }
    let lines = rows
        .into_iter()
        .map(|row| ReservedLine {
            quantity: i32::try_from(cart[&row.id]).unwrap_or(i32::MAX),
            ticket_id: row.id,
            title: row.title,
            unit_price_minor: row.price_minor,
        })
        .collect();
    Ok((lines, currency))
}

/// Why `line` could not be reserved, in words for the buyer.
async fn explain_refusal(
    conn: &mut PgConnection,
    line: &ReservedLine,
    currency: &str,
) -> BackendResult<String> {
    let row = sqlx::query!(
        r#"SELECT title, status AS "status: TicketStatus", sale_starts_at, sale_ends_at,
                  stock - reserved - sold AS "available!", max_per_order, price_minor,
                  currency AS "currency!: String"
           FROM tickets WHERE id = $1"#,
        line.ticket_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => "A ticket in your cart no longer exists; please remove it.".into(),
        Some(r) => Buyable {
            title: &r.title,
            status: r.status,
            sale_starts_at: r.sale_starts_at,
            sale_ends_at: r.sale_ends_at,
            available: r.available,
            max_per_order: r.max_per_order,
        }
        .problem(i64::from(line.quantity), Utc::now())
        .unwrap_or_else(|| {
            if r.price_minor != line.unit_price_minor || r.currency != currency {
                format!(
                    "The price of {} has just changed; please check your cart and try again.",
                    r.title
                )
            } else {
                format!("{} could not be reserved; please try again.", r.title)
            }
        }),
    })
}

pub async fn pending_for_user(db: &PgPool, user: Uuid) -> BackendResult<Option<PendingOrder>> {
    let Some(order) = sqlx::query!(
        r#"SELECT id, total_minor, currency AS "currency!: String", reserved_until, stripe_session_id,
                  stripe_session_url
           FROM orders WHERE user_id = $1 AND status = 'pending'"#,
        user
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query_as!(
        ReservedLine,
        r#"SELECT i.ticket_id, t.title, i.quantity, i.unit_price_minor
           FROM order_items i JOIN tickets t ON t.id = i.ticket_id
           WHERE i.order_id = $1 ORDER BY i.ticket_id"#,
        order.id
    )
    .fetch_all(db)
    .await?;
    Ok(Some(PendingOrder {
        id: order.id,
        total_minor: order.total_minor,
        currency: order.currency,
        reserved_until: order.reserved_until,
        stripe_session_id: order.stripe_session_id,
        stripe_session_url: order.stripe_session_url,
        lines,
    }))
}

pub async fn attach_session(
    db: &PgPool,
    order: Uuid,
    session_id: &str,
    url: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET stripe_session_id = $2, stripe_session_url = $3, updated_at = now() WHERE id = $1",
        order,
        session_id,
        url
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ends a pending order (expired or cancelled) and gives its seats back. Returns
/// false, changing nothing, when the order was no longer pending.
pub async fn release(conn: &mut PgConnection, order: Uuid, to: OrderStatus) -> BackendResult<bool> {
    debug_assert!(matches!(to, OrderStatus::Expired | OrderStatus::Cancelled));
    let moved = sqlx::query!(
        "UPDATE orders SET status = $2, updated_at = now() WHERE id = $1 AND status = 'pending'",
        order,
        to as OrderStatus
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved == 0 {
        return Ok(false);
    }
    let items = items(&mut *conn, order).await?;
    for (ticket, quantity) in items {
        sqlx::query!(
            "UPDATE tickets SET reserved = reserved - $2 WHERE id = $1",
            ticket,
            quantity
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// Releases in its own transaction.
pub async fn release_now(db: &PgPool, order: Uuid, to: OrderStatus) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    let released = release(&mut tx, order, to).await?;
    tx.commit().await?;
    Ok(released)
}

/// The order's lines in ticket-id order (the lock order).
async fn items(conn: &mut PgConnection, order: Uuid) -> BackendResult<Vec<(Uuid, i32)>> {
    Ok(sqlx::query!(
        "SELECT ticket_id, quantity FROM order_items WHERE order_id = $1 ORDER BY ticket_id",
        order
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.ticket_id, r.quantity))
    .collect())
}

/// A payment Stripe reports for an order (from a webhook or a session lookup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The Stripe event id, recorded so a redelivery changes nothing.
    pub event_id: String,
    pub event_type: String,
    pub order_id: Uuid,
    pub amount_total: i64,
    pub currency: String,
    pub payment_intent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Seats sold and passes issued now.
    Fulfilled,
    /// The event was seen before, or the order was already settled.
    AlreadyHandled,
    /// Paid after the hold was released and the seats were gone: refund it.
    MustRefund {
        payment_intent: Option<String>,
    },
    /// The amount or currency does not match the order: nothing is fulfilled.
    Mismatch,
    UnknownOrder,
}

pub const REFUND_REASON_SOLD_OUT: &str = "Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.";

/// Records the event and settles the order in one transaction: pending orders
/// move their reserved seats to sold; orders whose hold was already released take
/// the seats again if they are still there, and are marked for refund if not.
pub async fn confirm_payment(db: &PgPool, payment: &Payment) -> BackendResult<PaymentOutcome> {
    let mut tx = db.begin().await?;
    if !record_event(
        &mut tx,
        &payment.event_id,
        &payment.event_type,
        Some(payment.order_id),
    )
    .await?
    {
        return Ok(PaymentOutcome::AlreadyHandled);
    }
    let order = sqlx::query!(
        r#"SELECT status AS "status: OrderStatus", total_minor, currency AS "currency!: String"
           FROM orders WHERE id = $1 FOR UPDATE"#,
        payment.order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order else {
        tx.commit().await?;
        tracing::error!(order = %payment.order_id, event = %payment.event_id, "payment for an unknown order");
        return Ok(PaymentOutcome::UnknownOrder);
    };
    if order.total_minor != payment.amount_total
        || !order.currency.eq_ignore_ascii_case(&payment.currency)
    {
        tx.commit().await?;
        tracing::error!(
            order = %payment.order_id, expected = order.total_minor, got = payment.amount_total,
            "payment amount or currency does not match the order; not fulfilled"
        );
        return Ok(PaymentOutcome::Mismatch);
    }
    let items = items(&mut tx, payment.order_id).await?;
    let outcome = match order.status {
        OrderStatus::Paid | OrderStatus::Refunded => PaymentOutcome::AlreadyHandled,
        OrderStatus::Pending => {
            for (ticket, quantity) in &items {
                sqlx::query!(
                    "UPDATE tickets SET reserved = reserved - $2, sold = sold + $2 WHERE id = $1",
                    ticket,
                    quantity
                )
                .execute(&mut *tx)
                .await?;
            }
            fulfil(&mut tx, payment, &items).await?;
            PaymentOutcome::Fulfilled
        }
        OrderStatus::Expired | OrderStatus::Cancelled => {
            // The hold is gone: take the seats again if they are all still there.
            let mut retake = sqlx::Acquire::begin(&mut *tx).await?;
            let mut all_taken = true;
            for (ticket, quantity) in &items {
                let taken = sqlx::query!(
                    "UPDATE tickets SET sold = sold + $2 WHERE id = $1 AND stock - reserved - sold >= $2",
                    ticket,
                    quantity
                )
                .execute(&mut *retake)
                .await?
                .rows_affected();
                if taken == 0 {
                    all_taken = false;
                    break;
                }
            }
            if all_taken {
                retake.commit().await?;
                fulfil(&mut tx, payment, &items).await?;
                PaymentOutcome::Fulfilled
            } else {
                retake.rollback().await?;
                sqlx::query!(
                    "UPDATE orders SET status = 'refunded', paid_at = now(), refund_reason = $2,
                            stripe_payment_intent = $3, updated_at = now()
                     WHERE id = $1",
                    payment.order_id,
                    REFUND_REASON_SOLD_OUT,
                    payment.payment_intent
                )
                .execute(&mut *tx)
                .await?;
                PaymentOutcome::MustRefund {
                    payment_intent: payment.payment_intent.clone(),
                }
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Marks the order paid and issues one pass per seat.
async fn fulfil(
    conn: &mut PgConnection,
    payment: &Payment,
    items: &[(Uuid, i32)],
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'paid', paid_at = now(), stripe_payment_intent = $2, updated_at = now() WHERE id = $1",
        payment.order_id,
        payment.payment_intent
    )
    .execute(&mut *conn)
    .await?;
    for (ticket, quantity) in items {
        for seat in 1..=*quantity {
            sqlx::query!(
                "INSERT INTO passes (order_id, ticket_id, seat_no, code) VALUES ($1, $2, $3, $4)",
                payment.order_id,
                ticket,
                seat,
                pass_code()
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// 160 random bits, hex: what a pass's QR code carries. Never derived from ids.
pub fn pass_code() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Records a webhook event id; false when it was recorded before (a redelivery).
pub async fn record_event(
    conn: &mut PgConnection,
    id: &str,
    kind: &str,
    order: Option<Uuid>,
) -> BackendResult<bool> {
    let inserted = sqlx::query!(
        "INSERT INTO stripe_events (id, type, order_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        id,
        kind,
        order
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// A session ended unpaid (expired at Stripe, or its async payment failed):
/// record the event and release the hold, in one transaction.
pub async fn session_ended_unpaid(
    db: &PgPool,
    event_id: &str,
    event_type: &str,
    order: Uuid,
) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    if !record_event(&mut tx, event_id, event_type, Some(order)).await? {
        return Ok(false);
    }
    let released = release(&mut tx, order, OrderStatus::Expired).await?;
    tx.commit().await?;
    Ok(released)
}

/// Pending orders whose hold has run out, oldest first, for the sweeper.
pub async fn overdue_orders(db: &PgPool, limit: i64) -> BackendResult<Vec<(Uuid, Option<String>)>> {
    Ok(sqlx::query!(
        "SELECT id, stripe_session_id FROM orders WHERE status = 'pending' AND reserved_until < now()
         ORDER BY reserved_until LIMIT $1",
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.id, r.stripe_session_id))
    .collect())
}

/// Releases one overdue order unless another sweeper holds it right now
/// (`SKIP LOCKED`) or it is no longer pending. True when this call released it.
pub async fn release_overdue(db: &PgPool, order: Uuid) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    let claimed = sqlx::query_scalar!(
        "SELECT id FROM orders WHERE id = $1 AND status = 'pending' AND reserved_until < now() FOR UPDATE SKIP LOCKED",
        order
    )
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        return Ok(false);
    }
    let released = release(&mut tx, order, OrderStatus::Expired).await?;
    tx.commit().await?;
    Ok(released)
}
