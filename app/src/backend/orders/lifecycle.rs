//! Checkout and payment, as database transactions. Stock moves only here:
//! reserve (cart -> pending order), release (pending -> expired/cancelled) and
//! fulfil (reserved -> sold, passes issued). Each is one transaction whose state
//! change on the order is conditional, so it happens exactly once however many
//! requests, webhooks or sweepers race for it; the buyer's message (confirmation,
//! refund, expiry) is written to the outbox in that same transaction. No
//! transaction spans a call to Stripe.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::RngCore;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::stock::{self, Shift, StockLine};
use crate::backend::mail::{MailKind, outbox};
use crate::backend::{BackendError, BackendResult, db, metrics};
use crate::error::AppError;
use crate::model::{CheckoutRefusal, EventStatus, OrderStatus};

/// A pending order holding seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOrder {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub total_minor: i64,
    pub currency: String,
    pub reserved_until: DateTime<Utc>,
    pub stripe_session_id: Option<String>,
    pub stripe_session_url: Option<String>,
    pub lines: Vec<ReservedLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedLine {
    pub ticket_type_id: Uuid,
    pub event_id: Uuid,
    /// The event's title and the type's name, as the buyer sees the line.
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

/// What decides whether a ticket type can be bought right now.
pub struct Buyable<'a> {
    /// The event's title and the type's name.
    pub title: &'a str,
    pub status: EventStatus,
    /// The organizer is suspended by an admin.
    pub paused: bool,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    /// What the type has left, and never more than the event's capacity has left.
    pub available: i32,
    pub max_per_order: i32,
}

impl Buyable<'_> {
    /// Why this listing cannot be bought in this quantity at `now`, if it cannot.
    pub fn problem(&self, quantity: i64, now: DateTime<Utc>) -> Option<CheckoutRefusal> {
        let title = self.title.to_string();
        if self.status != EventStatus::Published {
            Some(CheckoutRefusal::NotOnSale { title })
        } else if self.paused {
            Some(CheckoutRefusal::SalesPaused { title })
        } else if now < self.sale_starts_at {
            Some(CheckoutRefusal::NotOpenYet { title })
        } else if now >= self.sale_ends_at {
            Some(CheckoutRefusal::SaleEnded { title })
        } else if self.available <= 0 {
            Some(CheckoutRefusal::SoldOut { title })
        } else if quantity > i64::from(self.max_per_order) {
            Some(CheckoutRefusal::OverPerOrderMaximum {
                title,
                max: self.max_per_order,
            })
        } else if quantity > i64::from(self.available) {
            Some(CheckoutRefusal::OnlyLeft {
                title,
                left: self.available,
            })
        } else {
            None
        }
    }
}

/// Reserves every line of the cart in one transaction, or none.
///
/// The order and its lines are written first and the seats taken last, in the
/// lock order of [`stock`]: each event's row (its capacity, when it has one),
/// then each type's row, every one a conditional UPDATE, so a row everyone
/// wants during an on-sale rush is locked only from its UPDATE to COMMIT, not
/// while the order is written, and two carts spanning the same events never
/// deadlock. The type's UPDATE also requires the price read beforehand, so the
/// price copied into the order is the one in force.
pub async fn reserve(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    hold: Duration,
) -> BackendResult<Reservation> {
    reserve_with(db, user, cart, hold, Seats::ForSale).await
}

/// Which seats a reservation may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seats {
    /// Those on sale: none of a type while people are on its waiting list.
    ForSale,
    /// Those that came back, for the next buyer on the waiting list.
    ForWaitingList,
}

/// [`reserve`], choosing which seats it may take.
pub async fn reserve_with(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    hold: Duration,
    seats: Seats,
) -> BackendResult<Reservation> {
    if let Some(existing) = pending_for_user(db, user).await? {
        return Ok(Reservation::Existing(existing));
    }
    let for_waiting_list = seats == Seats::ForWaitingList;
    let (lines, currency) = priced_lines(db, user, cart, for_waiting_list).await?;
    let total_minor: i64 = lines
        .iter()
        .map(|l| l.unit_price_minor * i64::from(l.quantity))
        .sum();
    let created_at = Utc::now();
    let reserved_until = created_at + TimeDelta::from_std(hold).unwrap_or(TimeDelta::minutes(30));
    let type_ids: Vec<Uuid> = lines.iter().map(|l| l.ticket_type_id).collect();
    let quantities: Vec<i32> = lines.iter().map(|l| l.quantity).collect();
    let prices: Vec<i64> = lines.iter().map(|l| l.unit_price_minor).collect();
    let mut tx = db.begin().await?;
    let inserted = sqlx::query_scalar!(
        r#"WITH new_order AS (
               INSERT INTO orders (user_id, total_minor, currency, reserved_until, created_at)
               VALUES ($1, $2, $3, $4, $8) RETURNING id
           ), new_items AS (
               -- The cancellation policy the buyer buys under stays with the line.
               INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, currency,
                                        cancel_hours, cancel_fee_percent)
               SELECT new_order.id, line.type_id, line.quantity, line.price, $3,
                      e.buyer_cancel_hours, e.buyer_cancel_fee_percent
               FROM new_order, unnest($5::uuid[], $6::int[], $7::bigint[]) AS line(type_id, quantity, price)
               JOIN ticket_types t ON t.id = line.type_id JOIN events e ON e.id = t.event_id
           )
           SELECT id AS "id!" FROM new_order"#,
        user,
        total_minor,
        currency,
        reserved_until,
        &type_ids,
        &quantities,
        &prices,
        created_at
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
    let per_event = stock::seats_per_event(lines.iter().map(|l| (l.event_id, l.quantity)));
    for (event, seats) in &per_event {
        let taken = sqlx::query_scalar!(
            r#"UPDATE events SET reserved = reserved + $2
               WHERE id = $1 AND status = 'published' AND currency = $3
                 AND (capacity IS NULL OR capacity - reserved - sold >= $2)
                 AND NOT EXISTS (SELECT 1 FROM users u
                                 WHERE u.id = events.organizer_id AND u.suspended_at IS NOT NULL)
               RETURNING 1 AS "taken!""#,
            event,
            seats,
            currency
        )
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_none() {
            let line = lines
                .iter()
                .find(|l| l.event_id == *event)
                .unwrap_or(&lines[0]);
            let refusal = explain_refusal(&mut tx, line, &currency).await?;
            return Err(AppError::Refused(refusal).into());
        }
    }
    for line in &lines {
        let taken = sqlx::query_scalar!(
            r#"UPDATE ticket_types SET reserved = reserved + $2
               WHERE id = $1 AND now() >= sale_starts_at AND now() < sale_ends_at
                 AND $2 <= max_per_order AND quantity - reserved - sold >= $2
                 AND price_minor = $3 AND (waiting = 0 OR $4)
               RETURNING 1 AS "taken!""#,
            line.ticket_type_id,
            line.quantity,
            line.unit_price_minor,
            for_waiting_list
        )
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_none() {
            let refusal = explain_refusal(&mut tx, line, &currency).await?;
            return Err(AppError::Refused(refusal).into());
        }
    }
    tx.commit().await?;
    Ok(Reservation::New(PendingOrder {
        id,
        created_at,
        total_minor,
        currency,
        reserved_until,
        stripe_session_id: None,
        stripe_session_url: None,
        lines,
    }))
}

/// The cart's lines with their current titles and prices (read without locks;
/// `reserve` takes the seats only at these prices), in ticket-type order, and
/// their one currency. A line that cannot be bought as things stand (sold out,
/// sale closed, more than one buyer may hold, ...) is refused here, before any
/// transaction: after a sell-out most checkouts of a rush end here, cheaply.
/// Seats this read shows as free are still only taken by the conditional UPDATE.
async fn priced_lines(
    db: &PgPool,
    buyer: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    for_waiting_list: bool,
) -> BackendResult<(Vec<ReservedLine>, String)> {
    if cart.is_empty() {
        return Err(AppError::Refused(CheckoutRefusal::EmptyCart).into());
    }
    let ids: Vec<Uuid> = cart.keys().copied().collect();
    let rows = sqlx::query!(
        r#"SELECT t.id, t.event_id, e.title || ' · ' || t.name AS "title!", t.price_minor,
                  e.currency AS "currency!: String", e.status AS "status: EventStatus",
                  u.suspended_at IS NOT NULL AS "paused!",
                  t.sale_starts_at, t.sale_ends_at, t.max_per_order,
                  CASE WHEN $2 THEN LEAST(t.quantity - t.reserved - t.sold,
                                          COALESCE(e.capacity - e.reserved - e.sold, t.quantity - t.reserved - t.sold))
                       ELSE tickets_left(t, e) END AS "available!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id JOIN users u ON u.id = e.organizer_id
           WHERE t.id = ANY($1) ORDER BY t.id"#,
        &ids,
        for_waiting_list
    )
    .fetch_all(db)
    .await?;
    if rows.len() != cart.len() {
        return Err(AppError::Refused(CheckoutRefusal::NoLongerExists).into());
    }
    let now = Utc::now();
    if let Some(problem) = rows.iter().find_map(|row| {
        Buyable {
            title: &row.title,
            status: row.status,
            paused: row.paused,
            sale_starts_at: row.sale_starts_at,
            sale_ends_at: row.sale_ends_at,
            available: row.available,
            max_per_order: row.max_per_order,
        }
        .problem(cart[&row.id], now)
    }) {
        return Err(AppError::Refused(problem).into());
    }
    // The per-order maximum is also what one buyer may hold of a listing across
    // all their orders, as box offices cap it: no renewing holds or buying again
    // to hoard. Racing checkouts of one buyer cannot both pass, since a buyer has
    // at most one pending order (`orders_one_pending_per_user`).
    let held: BTreeMap<Uuid, i64> = sqlx::query!(
        r#"SELECT i.ticket_type_id, sum(i.quantity)::bigint AS "seats!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.user_id = $1 AND o.status IN ('pending', 'paid') AND i.ticket_type_id = ANY($2)
           GROUP BY i.ticket_type_id"#,
        buyer,
        &ids
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.ticket_type_id, r.seats))
    .collect();
    if let Some(refusal) = rows.iter().find_map(|row| {
        let have = held.get(&row.id).copied().unwrap_or(0);
        per_buyer_cap(&row.title, have, cart[&row.id], row.max_per_order)
    }) {
        return Err(AppError::Refused(refusal).into());
    }
    let currency = rows[0].currency.clone();
    if rows.iter().any(|row| row.currency != currency) {
        return Err(AppError::Refused(CheckoutRefusal::MixedCurrencies).into());
    }
    let lines = rows
        .into_iter()
        .map(|row| ReservedLine {
            quantity: i32::try_from(cart[&row.id]).unwrap_or(i32::MAX),
            ticket_type_id: row.id,
            event_id: row.event_id,
            title: row.title,
            unit_price_minor: row.price_minor,
        })
        .collect();
    Ok((lines, currency))
}

/// Why a buyer who already holds `have` seats of a listing may not add `want`
/// more, if they may not.
pub fn per_buyer_cap(title: &str, have: i64, want: i64, max: i32) -> Option<CheckoutRefusal> {
    let max = i64::from(max);
    let title = title.to_string();
    if have + want <= max {
        None
    } else if have >= max {
        Some(CheckoutRefusal::BuyerHoldsMaximum { title, have })
    } else {
        Some(CheckoutRefusal::BuyerMayAdd {
            title,
            have,
            max,
            more: max - have,
        })
    }
}

/// Why `line` could not be reserved.
async fn explain_refusal(
    conn: &mut PgConnection,
    line: &ReservedLine,
    currency: &str,
) -> BackendResult<CheckoutRefusal> {
    let row = sqlx::query!(
        r#"SELECT e.title || ' · ' || t.name AS "title!", e.status AS "status: EventStatus",
                  u.suspended_at IS NOT NULL AS "paused!",
                  t.sale_starts_at, t.sale_ends_at, t.max_per_order, t.price_minor,
                  e.currency AS "currency!: String",
                  tickets_left(t, e) AS "available!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id JOIN users u ON u.id = e.organizer_id
           WHERE t.id = $1"#,
        line.ticket_type_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => CheckoutRefusal::NoLongerExists,
        Some(r) => Buyable {
            title: &r.title,
            status: r.status,
            paused: r.paused,
            sale_starts_at: r.sale_starts_at,
            sale_ends_at: r.sale_ends_at,
            available: r.available,
            max_per_order: r.max_per_order,
        }
        .problem(i64::from(line.quantity), Utc::now())
        .unwrap_or_else(|| {
            if r.price_minor != line.unit_price_minor || r.currency != currency {
                CheckoutRefusal::PriceChanged {
                    title: r.title.clone(),
                }
            } else {
                CheckoutRefusal::TryAgain {
                    title: r.title.clone(),
                }
            }
        }),
    })
}

pub async fn pending_for_user(db: &PgPool, user: Uuid) -> BackendResult<Option<PendingOrder>> {
    let Some(order) = sqlx::query!(
        r#"SELECT id, created_at, total_minor, currency AS "currency!: String", reserved_until,
                  stripe_session_id, stripe_session_url
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
        r#"SELECT i.ticket_type_id, t.event_id, e.title || ' · ' || t.name AS "title!", i.quantity,
                  i.unit_price_minor
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE i.order_id = $1 ORDER BY i.ticket_type_id"#,
        order.id
    )
    .fetch_all(db)
    .await?;
    Ok(Some(PendingOrder {
        id: order.id,
        created_at: order.created_at,
        total_minor: order.total_minor,
        currency: order.currency,
        reserved_until: order.reserved_until,
        stripe_session_id: order.stripe_session_id,
        stripe_session_url: order.stripe_session_url,
        lines,
    }))
}

/// Records the order's Checkout Session. Only a still pending order takes it:
/// false when the order was settled or released meanwhile.
pub async fn attach_session(
    db: &PgPool,
    order: Uuid,
    session_id: &str,
    url: &str,
) -> BackendResult<bool> {
    let attached = sqlx::query!(
        "UPDATE orders SET stripe_session_id = $2, stripe_session_url = $3, updated_at = now()
         WHERE id = $1 AND status = 'pending'",
        order,
        session_id,
        url
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(attached == 1)
}

/// The payment page of a still pending order, once a session was attached.
pub async fn session_url(db: &PgPool, order: Uuid) -> BackendResult<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT stripe_session_url FROM orders WHERE id = $1 AND status = 'pending'",
        order
    )
    .fetch_optional(db)
    .await?
    .flatten())
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
    metrics::order(to);
    let lines = stock::lines(&mut *conn, order).await?;
    stock::shift(&mut *conn, &lines, Shift::Release).await?;
    if to == OrderStatus::Expired {
        // The buyer cancelling knows; a hold that ran out is news.
        outbox::enqueue_for_order(&mut *conn, MailKind::OrderExpired, order).await?;
    }
    Ok(true)
}

/// The order's row lock, taken first by every transaction that settles or
/// releases an order (then the events' and types' rows, see [`stock`]), so two
/// settlements of one order queue up instead of deadlocking.
async fn lock_order(conn: &mut PgConnection, order: Uuid) -> BackendResult<Option<LockedOrder>> {
    Ok(sqlx::query_as!(
        LockedOrder,
        r#"SELECT status AS "status: OrderStatus", total_minor, currency AS "currency!: String",
                  stripe_payment_intent, cancel_requested_at IS NOT NULL AS "cancel_requested!"
           FROM orders WHERE id = $1 FOR UPDATE"#,
        order
    )
    .fetch_optional(conn)
    .await?)
}

struct LockedOrder {
    status: OrderStatus,
    total_minor: i64,
    currency: String,
    stripe_payment_intent: Option<String>,
    cancel_requested: bool,
}

/// The buyer asked to cancel the pending order (before its session is expired).
pub async fn request_cancel(db: &PgPool, order: Uuid) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET cancel_requested_at = now() WHERE id = $1 AND status = 'pending'",
        order
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Releases in its own transaction.
pub async fn release_now(db: &PgPool, order: Uuid, to: OrderStatus) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    let released = release(&mut tx, order, to).await?;
    tx.commit().await?;
    Ok(released)
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
    /// The money cannot be kept (the seats were gone, or the amount or currency
    /// does not match the order): the order is marked refunded with the reason
    /// and the refund is due at Stripe.
    MustRefund,
    /// No such order here (another environment sharing the Stripe account, a
    /// restored database): recorded and acknowledged.
    UnknownOrder,
    /// Stripe had already reported the payment refunded in full: the order is
    /// refunded, with no tickets and nothing left to refund.
    RefundedAtStripe,
}

pub const REFUND_REASON_SOLD_OUT: &str = "Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.";
pub const REFUND_REASON_MISMATCH: &str = "The amount paid did not match the order, so no tickets were issued and the payment has been refunded in full.";
pub const REFUND_REASON_AT_STRIPE: &str =
    "This order was refunded in full, so its tickets no longer admit.";
pub const REFUND_REASON_PART_AT_STRIPE: &str =
    "The organizer refunded part of your payment; your tickets still admit.";
pub const REFUND_REASON_DISPUTE_LOST: &str = "Your bank gave the payment back to you after a dispute, so the order's tickets no longer admit.";

/// Records the event and settles the order in one transaction: pending orders
/// move their reserved seats to sold; orders whose hold was already released take
/// the seats again if they are still there, and are marked for refund if not. A
/// payment that does not match the order (amount or currency) is never kept: the
/// order is marked for refund and its held seats go back.
pub async fn confirm_payment(db: &PgPool, payment: &Payment) -> BackendResult<PaymentOutcome> {
    let mut tx = db.begin().await?;
    let order = lock_order(&mut tx, payment.order_id).await?;
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
    let Some(order) = order else {
        tx.commit().await?;
        // Logged once: a redelivery finds the event recorded above.
        tracing::warn!(
            order = %payment.order_id, event = %payment.event_id,
            "payment for an order this shop does not know (another environment on the same Stripe account?); acknowledged"
        );
        return Ok(PaymentOutcome::UnknownOrder);
    };
    let items = stock::lines(&mut tx, payment.order_id).await?;
    let matches = order.total_minor == payment.amount_total
        && order.currency.eq_ignore_ascii_case(&payment.currency);
    // Stripe reported the payment refunded in full before it reported the
    // payment (events arrive in any order): no tickets for money given back.
    let refunded_early = match payment.payment_intent.as_deref() {
        Some(intent)
            if matches!(
                order.status,
                OrderStatus::Pending | OrderStatus::Expired | OrderStatus::Cancelled
            ) =>
        {
            sqlx::query_scalar!(
                "SELECT event_id FROM stripe_early_refunds WHERE payment_intent = $1 AND fully",
                intent
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        _ => None,
    };
    if let Some(refund_event) = refunded_early {
        tracing::warn!(
            order = %payment.order_id, event = %payment.event_id,
            "payment reported after Stripe reported it refunded in full; no tickets issued"
        );
        if order.status == OrderStatus::Pending {
            stock::shift(&mut tx, &items, Shift::Release).await?;
        }
        mark_refunded(&mut tx, payment, REFUND_REASON_AT_STRIPE).await?;
        // Stripe has refunded it already: nothing for the sweeper to do.
        sqlx::query!(
            "UPDATE orders SET stripe_refund_id = $2, refunded_minor = total_minor WHERE id = $1",
            payment.order_id,
            refund_event
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(PaymentOutcome::RefundedAtStripe);
    }
    let outcome = match order.status {
        OrderStatus::Paid | OrderStatus::Refunded => {
            if order.stripe_payment_intent.is_some()
                && order.stripe_payment_intent != payment.payment_intent
            {
                tracing::error!(
                    order = %payment.order_id, event = %payment.event_id,
                    "a second payment for a settled order; refund it in Stripe's dashboard"
                );
            }
            PaymentOutcome::AlreadyHandled
        }
        _ if !matches => {
            tracing::error!(
                order = %payment.order_id, expected = order.total_minor, got = payment.amount_total,
                currency = %payment.currency,
                "payment amount or currency does not match the order; refunding it"
            );
            if order.status == OrderStatus::Pending {
                stock::shift(&mut tx, &items, Shift::Release).await?;
            }
            mark_refunded(&mut tx, payment, REFUND_REASON_MISMATCH).await?;
            PaymentOutcome::MustRefund
        }
        OrderStatus::Pending => {
            stock::shift(&mut tx, &items, Shift::Sell).await?;
            fulfil(
                &mut tx,
                payment.order_id,
                payment.payment_intent.as_deref(),
                &items,
            )
            .await?;
            PaymentOutcome::Fulfilled
        }
        OrderStatus::Expired | OrderStatus::Cancelled => {
            // The hold is gone: take the seats again if they are all still there.
            let mut retake = sqlx::Acquire::begin(&mut *tx).await?;
            if stock::take_sold(&mut retake, &items).await? {
                retake.commit().await?;
                fulfil(
                    &mut tx,
                    payment.order_id,
                    payment.payment_intent.as_deref(),
                    &items,
                )
                .await?;
                PaymentOutcome::Fulfilled
            } else {
                retake.rollback().await?;
                mark_refunded(&mut tx, payment, REFUND_REASON_SOLD_OUT).await?;
                PaymentOutcome::MustRefund
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The order keeps no tickets: refunded with `reason`, the refund due at Stripe
/// (the sweeper retries it until Stripe takes it).
async fn mark_refunded(
    conn: &mut PgConnection,
    payment: &Payment,
    reason: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'refunded', paid_at = now(), refund_reason = $2,
                stripe_payment_intent = $3, refund_after = NULL, updated_at = now()
         WHERE id = $1",
        payment.order_id,
        reason,
        payment.payment_intent
    )
    .execute(&mut *conn)
    .await?;
    metrics::order(OrderStatus::Refunded);
    outbox::enqueue_for_order(conn, MailKind::OrderRefunded, payment.order_id).await?;
    Ok(())
}

/// Confirms a pending order whose total is 0 at once, with no payment: the same
/// transaction as a paid one (seats sold, passes issued). False when the order
/// was not pending or not free.
pub async fn confirm_free(db: &PgPool, order: Uuid) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    match lock_order(&mut tx, order).await? {
        Some(o) if o.status == OrderStatus::Pending && o.total_minor == 0 => {}
        _ => return Ok(false),
    }
    let items = stock::lines(&mut tx, order).await?;
    stock::shift(&mut tx, &items, Shift::Sell).await?;
    fulfil(&mut tx, order, None, &items).await?;
    tx.commit().await?;
    Ok(true)
}

/// Marks the order paid and issues one pass per seat.
async fn fulfil(
    conn: &mut PgConnection,
    order: Uuid,
    payment_intent: Option<&str>,
    items: &[StockLine],
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'paid', paid_at = now(), stripe_payment_intent = $2, updated_at = now() WHERE id = $1",
        order,
        payment_intent
    )
    .execute(&mut *conn)
    .await?;
    metrics::order(OrderStatus::Paid);
    // Seats are numbered across the order, in the order the buyer sees its lines.
    let lines = sqlx::query!(
        r#"SELECT i.ticket_type_id, i.quantity
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE i.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id"#,
        order
    )
    .fetch_all(&mut *conn)
    .await?;
    debug_assert_eq!(lines.len(), items.len());
    let mut seat = 0;
    for line in lines {
        for _ in 0..line.quantity {
            seat += 1;
            sqlx::query!(
                "INSERT INTO passes (order_id, ticket_type_id, seat_no, code) VALUES ($1, $2, $3, $4)",
                order,
                line.ticket_type_id,
                seat,
                pass_code()
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    outbox::enqueue_for_order(conn, MailKind::OrderConfirmed, order).await?;
    Ok(())
}

/// 160 random bits, hex: what a pass's QR code carries. Never derived from ids.
pub fn pass_code() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Records a webhook event id; false when it was recorded before (a redelivery).
/// `order` may name an order this database does not have.
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
    let locked = lock_order(&mut tx, order).await?;
    if !record_event(&mut tx, event_id, event_type, Some(order)).await? {
        return Ok(false);
    }
    let Some(locked) = locked else {
        tx.commit().await?;
        tracing::warn!(%order, event = %event_id, "session event for an order this shop does not know; acknowledged");
        return Ok(false);
    };
    // The buyer's own cancel expired the session: it ends as they asked.
    let to = if locked.cancel_requested {
        OrderStatus::Cancelled
    } else {
        OrderStatus::Expired
    };
    let released = release(&mut tx, order, to).await?;
    tx.commit().await?;
    Ok(released)
}

/// What a refund or dispute reported by Stripe did to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeNews {
    /// A paid order was refunded in full: its passes stop admitting and its
    /// seats go back on sale.
    Refunded,
    /// The shop's own refund (or an earlier report) is now confirmed by Stripe.
    RefundConfirmed,
    /// Part of the charge was refunded: the order and its passes stand.
    PartlyRefunded,
    /// A dispute was opened: the passes stop admitting.
    Disputed,
    /// The dispute was won: the passes admit again.
    DisputeWon,
    /// The dispute was lost: the money went back, the order is refunded.
    DisputeLost,
    /// A refund for a payment not settled yet: kept for when it is.
    RefundedEarly,
    /// Seen before, or no order of ours has this payment.
    Nothing,
}

/// `charge.refunded`: a refund at Stripe (made in its dashboard, or the shop's
/// own). One transaction with the event's record, so a redelivery changes nothing.
pub async fn refunded_at_stripe(
    db: &PgPool,
    event_id: &str,
    payment_intent: &str,
    fully: bool,
    amount_refunded: i64,
) -> BackendResult<ChargeNews> {
    let mut tx = db.begin().await?;
    let order = order_of_payment(&mut tx, payment_intent).await?;
    if !record_event(&mut tx, event_id, "charge.refunded", order.map(|o| o.0)).await? {
        return Ok(ChargeNews::Nothing);
    }
    let Some((order, status)) = order else {
        // Not settled here yet (its checkout.session.completed may be late),
        // or not ours: kept, so that a late payment issues no tickets.
        sqlx::query!(
            "INSERT INTO stripe_early_refunds (payment_intent, event_id, amount_refunded, fully)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (payment_intent) DO UPDATE
             SET amount_refunded = GREATEST(stripe_early_refunds.amount_refunded, EXCLUDED.amount_refunded),
                 fully = stripe_early_refunds.fully OR EXCLUDED.fully,
                 event_id = CASE WHEN EXCLUDED.fully THEN EXCLUDED.event_id ELSE stripe_early_refunds.event_id END",
            payment_intent,
            event_id,
            amount_refunded.max(0),
            fully
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::warn!(%payment_intent, event = %event_id, "refund of a payment this shop has not settled (yet); kept");
        return Ok(ChargeNews::RefundedEarly);
    };
    let news = match (status, fully) {
        (OrderStatus::Paid, true) => {
            void_paid_order(&mut tx, order, REFUND_REASON_AT_STRIPE, event_id).await?;
            ChargeNews::Refunded
        }
        (OrderStatus::Refunded, true) => {
            // Our own refund: Stripe has it, so the sweeper stops retrying it.
            sqlx::query!(
                "UPDATE orders SET stripe_refund_id = coalesce(stripe_refund_id, $2) WHERE id = $1",
                order,
                event_id
            )
            .execute(&mut *tx)
            .await?;
            ChargeNews::RefundConfirmed
        }
        (OrderStatus::Paid, false) => {
            // The shop's own refunds are counted in `refunded_minor` before
            // Stripe is asked: more than that was refunded in Stripe's
            // dashboard. The buyer is told; the order and its passes stand.
            let known =
                sqlx::query_scalar!("SELECT refunded_minor FROM orders WHERE id = $1", order)
                    .fetch_one(&mut *tx)
                    .await?;
            let outside = amount_refunded - known;
            if outside > 0 {
                let refund = sqlx::query_scalar!(
                    "INSERT INTO refunds (order_id, amount_minor, reason, restocked, stripe_refund_id)
                     VALUES ($1, $2, $3, false, $4) RETURNING id",
                    order,
                    outside,
                    REFUND_REASON_PART_AT_STRIPE,
                    event_id
                )
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query!(
                    "UPDATE orders SET refunded_minor = LEAST(total_minor, refunded_minor + $2), updated_at = now()
                     WHERE id = $1",
                    order,
                    outside
                )
                .execute(&mut *tx)
                .await?;
                outbox::enqueue_for_order_about(&mut tx, MailKind::TicketsRefunded, refund, order)
                    .await?;
                tracing::info!(%order, outside, "part of a payment was refunded in Stripe's dashboard; the buyer is told");
            }
            ChargeNews::PartlyRefunded
        }
        (_, false) => {
            tracing::info!(%order, "part of a payment was refunded at Stripe; the order stands");
            ChargeNews::PartlyRefunded
        }
        (other, true) => {
            tracing::warn!(%order, status = ?other, "full refund reported for an order that was not paid");
            ChargeNews::Nothing
        }
    };
    tx.commit().await?;
    Ok(news)
}

/// `charge.dispute.created`: the order is marked disputed and its passes stop
/// admitting at the door.
pub async fn disputed_at_stripe(
    db: &PgPool,
    event_id: &str,
    payment_intent: &str,
    dispute_id: &str,
) -> BackendResult<ChargeNews> {
    let mut tx = db.begin().await?;
    let order = order_of_payment(&mut tx, payment_intent).await?;
    if !record_event(
        &mut tx,
        event_id,
        "charge.dispute.created",
        order.map(|o| o.0),
    )
    .await?
    {
        return Ok(ChargeNews::Nothing);
    }
    let Some((order, _)) = order else {
        tx.commit().await?;
        tracing::warn!(%payment_intent, event = %event_id, "dispute of a payment this shop does not know; acknowledged");
        return Ok(ChargeNews::Nothing);
    };
    sqlx::query!(
        "UPDATE orders SET disputed_at = coalesce(disputed_at, now()), stripe_dispute_id = $2,
                updated_at = now()
         WHERE id = $1",
        order,
        dispute_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::warn!(%order, %dispute_id, "payment disputed; the order's passes no longer admit");
    Ok(ChargeNews::Disputed)
}

/// A paid order whose money went back outside the shop (a refund in Stripe's
/// dashboard, a lost dispute): refunded with `reason`, Stripe's `event_id` as
/// its settled refund, its passes void, its seats back on sale, the buyer told.
async fn void_paid_order(
    tx: &mut PgConnection,
    order: Uuid,
    reason: &str,
    event_id: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'refunded', refund_reason = $2,
                stripe_refund_id = coalesce(stripe_refund_id, $3), updated_at = now()
         WHERE id = $1",
        order,
        reason,
        event_id
    )
    .execute(&mut *tx)
    .await?;
    metrics::order(OrderStatus::Refunded);
    // Tickets the organizer refunded before went back (or not) then.
    let items = crate::backend::refunds::unrefunded_lines(&mut *tx, order).await?;
    stock::shift(&mut *tx, &items, Shift::Unsell).await?;
    sqlx::query!(
        "UPDATE passes SET refunded_at = now() WHERE order_id = $1 AND refunded_at IS NULL",
        order
    )
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_for_order(&mut *tx, MailKind::OrderRefunded, order).await?;
    Ok(())
}

/// `charge.dispute.closed`: won (or closed as a warning), the passes admit
/// again; lost, the bank gave the money back, so the order is refunded (its
/// passes stop admitting, the seats go back on sale, the buyer is told).
pub async fn dispute_closed_at_stripe(
    db: &PgPool,
    event_id: &str,
    payment_intent: &str,
    won: bool,
) -> BackendResult<ChargeNews> {
    let mut tx = db.begin().await?;
    let order = order_of_payment(&mut tx, payment_intent).await?;
    if !record_event(
        &mut tx,
        event_id,
        "charge.dispute.closed",
        order.map(|o| o.0),
    )
    .await?
    {
        return Ok(ChargeNews::Nothing);
    }
    let Some((order, status)) = order else {
        tx.commit().await?;
        tracing::warn!(%payment_intent, event = %event_id, "dispute closed for a payment this shop does not know; acknowledged");
        return Ok(ChargeNews::Nothing);
    };
    let news = if won {
        sqlx::query!(
            "UPDATE orders SET disputed_at = NULL, dispute_outcome = 'won', updated_at = now() WHERE id = $1",
            order
        )
        .execute(&mut *tx)
        .await?;
        tracing::info!(%order, "dispute won; the order's passes admit again");
        ChargeNews::DisputeWon
    } else {
        // The bank took all of it back: the order's total counts as refunded.
        sqlx::query!(
            "UPDATE orders SET dispute_outcome = 'lost', updated_at = now(),
                    refunded_minor = CASE WHEN status = 'paid' THEN total_minor ELSE refunded_minor END
             WHERE id = $1",
            order
        )
        .execute(&mut *tx)
        .await?;
        if status == OrderStatus::Paid {
            void_paid_order(&mut tx, order, REFUND_REASON_DISPUTE_LOST, event_id).await?;
        }
        tracing::warn!(%order, "dispute lost; the order is refunded");
        ChargeNews::DisputeLost
    };
    tx.commit().await?;
    Ok(news)
}

/// The order a payment belongs to, locked (the first lock, as everywhere).
async fn order_of_payment(
    conn: &mut PgConnection,
    payment_intent: &str,
) -> BackendResult<Option<(Uuid, OrderStatus)>> {
    Ok(sqlx::query!(
        r#"SELECT id, status AS "status: OrderStatus" FROM orders
           WHERE stripe_payment_intent = $1 ORDER BY created_at LIMIT 1 FOR UPDATE"#,
        payment_intent
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.id, r.status)))
}

/// An overdue hold the sweeper has claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub id: Uuid,
    pub stripe_session_id: Option<String>,
    /// How many times a sweeper has claimed it (1 the first time).
    pub attempts: i32,
}

/// Claims up to `limit` pending orders whose hold ran out for `lease`: no other
/// sweeper takes them until the lease ends, so each overdue order is worked on
/// (and Stripe called) by one instance at a time. An order whose last attempt
/// failed waits out its backoff and never blocks the ones behind it.
pub async fn claim_overdue(
    db: &PgPool,
    limit: i64,
    lease: Duration,
) -> BackendResult<Vec<Overdue>> {
    Ok(sqlx::query_as!(
        Overdue,
        r#"UPDATE orders o
           SET sweep_after = now() + make_interval(secs => $2), sweep_attempts = o.sweep_attempts + 1
           FROM (SELECT id FROM orders
                 WHERE status = 'pending' AND reserved_until < now()
                   AND (sweep_after IS NULL OR sweep_after <= now())
                 ORDER BY reserved_until LIMIT $1 FOR UPDATE SKIP LOCKED) due
           WHERE o.id = due.id
           RETURNING o.id, o.stripe_session_id, o.sweep_attempts AS attempts"#,
        limit,
        lease.as_secs_f64()
    )
    .fetch_all(db)
    .await?)
}

/// After a failed attempt: try again after a backoff that doubles with each
/// attempt (5 s, 10 s, 20 s, ... at most 10 minutes).
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(10);
    Duration::from_secs((5u64 << exponent).min(600))
}

/// Puts a claimed hold back in the queue after its backoff.
pub async fn sweep_later(db: &PgPool, order: Uuid, attempts: i32) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET sweep_after = now() + make_interval(secs => $2) WHERE id = $1",
        order,
        backoff(attempts).as_secs_f64()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Releases one overdue order unless another transaction holds it right now
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

/// A refund the shop owes and Stripe has not confirmed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundDue {
    pub id: Uuid,
    pub payment_intent: Option<String>,
    pub stripe_session_id: Option<String>,
    pub attempts: i32,
}

/// Claims up to `limit` refunds that are due, with a lease, like [`claim_overdue`].
pub async fn claim_refunds(
    db: &PgPool,
    limit: i64,
    lease: Duration,
) -> BackendResult<Vec<RefundDue>> {
    Ok(sqlx::query_as!(
        RefundDue,
        r#"UPDATE orders o
           SET refund_after = now() + make_interval(secs => $2), refund_attempts = o.refund_attempts + 1
           FROM (SELECT id FROM orders
                 WHERE status = 'refunded' AND stripe_refund_id IS NULL
                   AND (refund_after IS NULL OR refund_after <= now())
                   -- An organizer's refunds are retried one by one (refunds::retry_due).
                   AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = orders.id)
                 ORDER BY refund_after NULLS FIRST, updated_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
           WHERE o.id = due.id
           RETURNING o.id, o.stripe_payment_intent AS payment_intent, o.stripe_session_id,
                     o.refund_attempts AS attempts"#,
        limit,
        lease.as_secs_f64()
    )
    .fetch_all(db)
    .await?)
}

/// After a failed refund: retry after the backoff.
pub async fn refund_later(db: &PgPool, order: Uuid, attempts: i32) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET refund_after = now() + make_interval(secs => $2) WHERE id = $1",
        order,
        backoff(attempts).as_secs_f64()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Stripe took the refund: record its id (the retry stops).
pub async fn refund_recorded(
    db: &PgPool,
    order: Uuid,
    refund_id: &str,
    payment_intent: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET stripe_refund_id = $2, stripe_payment_intent = coalesce(stripe_payment_intent, $3)
         WHERE id = $1",
        order,
        refund_id,
        payment_intent
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_buyer_holds_at_most_the_per_order_maximum() {
        assert_eq!(per_buyer_cap("Gig", 0, 4, 4), None);
        assert_eq!(per_buyer_cap("Gig", 2, 2, 4), None);
        let may_add = per_buyer_cap("Gig", 3, 2, 4).unwrap();
        assert_eq!(
            may_add,
            CheckoutRefusal::BuyerMayAdd {
                title: "Gig".into(),
                have: 3,
                max: 4,
                more: 1
            }
        );
        assert_eq!(
            may_add.to_string(),
            "You already have 3 tickets for Gig; one buyer may hold 4, so you can add 1 more."
        );
        let full = per_buyer_cap("Gig", 4, 1, 4).unwrap();
        assert_eq!(
            full,
            CheckoutRefusal::BuyerHoldsMaximum {
                title: "Gig".into(),
                have: 4
            }
        );
        assert_eq!(
            full.to_string(),
            "You already have 4 tickets for Gig, the most one buyer may hold."
        );
    }

    #[test]
    fn backoff_doubles_up_to_ten_minutes() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(4), Duration::from_secs(40));
        assert_eq!(backoff(30), Duration::from_secs(600));
        assert_eq!(backoff(0), Duration::from_secs(5));
    }
}
