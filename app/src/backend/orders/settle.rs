//! Settle: a payment Stripe reports (or a free order) becomes sold seats and
//! tickets, or, when the money cannot be kept, an order marked for refund. One
//! transaction with the event's record, so a redelivery changes nothing.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::fulfil::fulfil;
use super::ledger::record_event;

use super::stock::{self, LockedOrder, Shift, StockLine, lock_order};
use crate::backend::error::BackendResult;
use crate::backend::metrics;
use crate::backend::outbox::{self, MailKind};
use crate::backend::payments::EventKind;
use crate::model::{Money, OrderStatus, RefundCause};

/// A payment Stripe reports for an order (from a webhook or a session lookup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The Stripe event id, recorded so a redelivery changes nothing.
    pub event_id: String,
    pub event_type: EventKind,
    pub order_id: Uuid,
    /// What Stripe charged.
    pub amount: Money,
    pub payment_intent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Seats sold and tickets issued now.
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
        payment.event_type,
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
    let matches = order.total == payment.amount;
    // Stripe reported the payment refunded in full before it reported the
    // payment (events arrive in any order): no tickets for money given back.
    if refunded_before_paid(&mut tx, payment, &order, &items).await? {
        tx.commit().await?;
        return Ok(PaymentOutcome::RefundedAtStripe);
    }
    let outcome = settle_locked(&mut tx, payment, &order, &items, matches).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// A full refund Stripe reported before the payment (kept in
/// `stripe_early_refunds`): the order is refunded with no tickets, its held
/// seats go back, and nothing is left to refund. True when that was the case.
async fn refunded_before_paid(
    tx: &mut PgConnection,
    payment: &Payment,
    order: &LockedOrder,
    items: &[StockLine],
) -> BackendResult<bool> {
    let refunded_early = match payment.payment_intent.as_deref() {
        Some(intent)
            if matches!(
                order.status,
                OrderStatus::Pending
                    | OrderStatus::Expired
                    | OrderStatus::Cancelled
                    | OrderStatus::Declined
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
            stock::shift(&mut *tx, items, Shift::Release).await?;
        }
        mark_refunded(&mut *tx, payment, RefundCause::RefundedAtStripe).await?;
        // Stripe has refunded it already: nothing for the sweeper to do.
        sqlx::query!(
            "UPDATE orders SET stripe_refund_id = $2, refunded_minor = total_minor WHERE id = $1",
            payment.order_id,
            refund_event
        )
        .execute(&mut *tx)
        .await?;
        return Ok(true);
    }
    Ok(false)
}

/// Settles the locked order with the payment: sold (taking the seats again
/// if its hold had ended and they are still there), or marked for refund.
async fn settle_locked(
    tx: &mut PgConnection,
    payment: &Payment,
    order: &LockedOrder,
    items: &[StockLine],
    matches: bool,
) -> BackendResult<PaymentOutcome> {
    Ok(match order.status {
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
                order = %payment.order_id, expected = %order.total, got = %payment.amount,
                "payment amount or currency does not match the order; refunding it"
            );
            if order.status == OrderStatus::Pending {
                stock::shift(&mut *tx, items, Shift::Release).await?;
            }
            mark_refunded(&mut *tx, payment, RefundCause::AmountMismatch).await?;
            PaymentOutcome::MustRefund
        }
        OrderStatus::Pending => {
            stock::shift(&mut *tx, items, Shift::Sell).await?;
            fulfil(
                &mut *tx,
                payment.order_id,
                payment.payment_intent.as_deref(),
                items,
            )
            .await?;
            PaymentOutcome::Fulfilled
        }
        OrderStatus::Expired | OrderStatus::Cancelled | OrderStatus::Declined => {
            // The hold is gone: take the seats again if they are all still there.
            let mut retake = sqlx::Acquire::begin(&mut *tx).await?;
            if stock::take_sold(&mut retake, items).await? {
                retake.commit().await?;
                fulfil(
                    &mut *tx,
                    payment.order_id,
                    payment.payment_intent.as_deref(),
                    items,
                )
                .await?;
                PaymentOutcome::Fulfilled
            } else {
                retake.rollback().await?;
                mark_refunded(&mut *tx, payment, RefundCause::PaidTooLate).await?;
                PaymentOutcome::MustRefund
            }
        }
    })
}

/// The order keeps no tickets: refunded with `reason`, the refund due at Stripe
/// (the sweeper retries it until Stripe takes it).
async fn mark_refunded(
    conn: &mut PgConnection,
    payment: &Payment,
    cause: RefundCause,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'refunded', paid_at = now(), refund_cause = $2, refund_reason = NULL,
                stripe_payment_intent = $3, refund_after = NULL, updated_at = now()
         WHERE id = $1",
        payment.order_id,
        cause as RefundCause,
        payment.payment_intent
    )
    .execute(&mut *conn)
    .await?;
    metrics::order(OrderStatus::Refunded);
    outbox::enqueue_for_order(conn, MailKind::OrderRefunded, payment.order_id).await?;
    Ok(())
}

/// Confirms a pending order whose total is 0 at once, with no payment: the same
/// transaction as a paid one (seats sold, tickets issued). False when the order
/// was not pending or not free.
pub async fn confirm_free(db: &PgPool, order: Uuid) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    match lock_order(&mut tx, order).await? {
        Some(o) if o.status == OrderStatus::Pending && o.total.minor == 0 => {}
        _ => return Ok(false),
    }
    let items = stock::lines(&mut tx, order).await?;
    stock::shift(&mut tx, &items, Shift::Sell).await?;
    fulfil(&mut tx, order, None, &items).await?;
    tx.commit().await?;
    Ok(true)
}
