//! What Stripe reports after a payment: refunds made in its dashboard (or
//! confirming the shop's own) and disputes opened and closed.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::ledger::record_event;
use super::refund::unrefunded_lines;
use super::stock::{self, Shift};
use crate::backend::error::BackendResult;
use crate::backend::metrics;
use crate::backend::outbox::{self, MailKind};
use crate::backend::payments::EventKind;
use crate::model::{OrderStatus, RefundCause};

/// What a refund or dispute reported by Stripe did to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeNews {
    /// A paid order was refunded in full: its tickets stop admitting and its
    /// seats go back on sale.
    Refunded,
    /// The shop's own refund (or an earlier report) is now confirmed by Stripe.
    RefundConfirmed,
    /// Part of the charge was refunded: the order and its tickets stand.
    PartlyRefunded,
    /// A dispute was opened: the tickets stop admitting.
    Disputed,
    /// The dispute was won: the tickets admit again.
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
    if !record_event(
        &mut tx,
        event_id,
        EventKind::ChargeRefunded,
        order.map(|o| o.0),
    )
    .await?
    {
        return Ok(ChargeNews::Nothing);
    }
    let Some((order, status)) = order else {
        // Not settled here yet (its checkout.session.completed may be late),
        // or not ours: kept, so that a late payment issues no tickets.
        keep_early_refund(&mut tx, payment_intent, event_id, amount_refunded, fully).await?;
        tx.commit().await?;
        tracing::warn!(%payment_intent, event = %event_id, "refund of a payment this shop has not settled (yet); kept");
        return Ok(ChargeNews::RefundedEarly);
    };
    let news = match (status, fully) {
        (OrderStatus::Paid, true) => {
            void_paid_order(&mut tx, order, RefundCause::RefundedAtStripe, event_id).await?;
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
            refunded_partly(&mut tx, order, event_id, amount_refunded).await?;
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

/// A refund of a payment not settled here (yet), kept for when it is: the
/// largest amount reported, and whether it was all of it.
async fn keep_early_refund(
    tx: &mut PgConnection,
    payment_intent: &str,
    event_id: &str,
    amount_refunded: i64,
    fully: bool,
) -> BackendResult<()> {
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
    .execute(tx)
    .await?;
    Ok(())
}

/// Part of a paid order's payment refunded at Stripe. The shop's own refunds
/// are counted in `refunded_minor` before Stripe is asked: more than that was
/// refunded in Stripe's dashboard, recorded as a refund and told to the
/// buyer; the order and its tickets stand.
async fn refunded_partly(
    tx: &mut PgConnection,
    order: Uuid,
    event_id: &str,
    amount_refunded: i64,
) -> BackendResult<()> {
    let known = sqlx::query_scalar!("SELECT refunded_minor FROM orders WHERE id = $1", order)
        .fetch_one(&mut *tx)
        .await?;
    let outside = amount_refunded - known;
    if outside <= 0 {
        return Ok(());
    }
    let refund = sqlx::query_scalar!(
        "INSERT INTO refunds (order_id, amount_minor, cause, reason, restocked, stripe_refund_id)
         VALUES ($1, $2, $3, '', false, $4) RETURNING id",
        order,
        outside,
        RefundCause::PartlyRefundedAtStripe as RefundCause,
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
    outbox::enqueue_for_order_about(tx, MailKind::TicketsRefunded, refund, order).await?;
    tracing::info!(%order, outside, "part of a payment was refunded in Stripe's dashboard; the buyer is told");
    Ok(())
}

/// `charge.dispute.created`: the order is marked disputed and its tickets stop
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
        EventKind::DisputeCreated,
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
    tracing::warn!(%order, %dispute_id, "payment disputed; the order's tickets no longer admit");
    Ok(ChargeNews::Disputed)
}

/// A paid order whose money went back outside the shop (a refund in Stripe's
/// dashboard, a lost dispute): refunded with `reason`, Stripe's `event_id` as
/// its settled refund, its tickets void, its seats back on sale, the buyer told.
async fn void_paid_order(
    tx: &mut PgConnection,
    order: Uuid,
    cause: RefundCause,
    event_id: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'refunded', refund_cause = $2, refund_reason = NULL,
                stripe_refund_id = coalesce(stripe_refund_id, $3), updated_at = now()
         WHERE id = $1",
        order,
        cause as RefundCause,
        event_id
    )
    .execute(&mut *tx)
    .await?;
    metrics::order(OrderStatus::Refunded);
    // Tickets the organizer refunded before went back (or not) then.
    let items = unrefunded_lines(&mut *tx, order).await?;
    stock::shift(&mut *tx, &items, Shift::Unsell).await?;
    let tickets = sqlx::query_scalar!(
        "SELECT id FROM tickets WHERE order_id = $1 AND refunded_at IS NULL",
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    crate::backend::codes::give_back_on_refund(&mut *tx, &tickets).await?;
    sqlx::query!(
        "UPDATE tickets SET refunded_at = now() WHERE order_id = $1 AND refunded_at IS NULL",
        order
    )
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_for_order(&mut *tx, MailKind::OrderRefunded, order).await?;
    Ok(())
}

/// `charge.dispute.closed`: won (or closed as a warning), the tickets admit
/// again; lost, the bank gave the money back, so the order is refunded (its
/// tickets stop admitting, the seats go back on sale, the buyer is told).
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
        EventKind::DisputeClosed,
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
        tracing::info!(%order, "dispute won; the order's tickets admit again");
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
            void_paid_order(&mut tx, order, RefundCause::DisputeLost, event_id).await?;
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
