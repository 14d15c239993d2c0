//! Release: a pending order ends unpaid and its seats go back on sale, once.
//! Each end is named for what happened: expired (its hold ran out, or its
//! session at Stripe), cancelled (by its buyer), declined (its payment failed
//! after checkout).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::ledger::record_event;
use super::stock::{self, Shift, lock_order};
use crate::backend::error::BackendResult;
use crate::backend::metrics;
use crate::backend::outbox::{self, MailKind};
use crate::backend::payments::EventKind;
use crate::model::OrderStatus;

/// Ends a pending order (expired, cancelled or declined) and gives its seats
/// back. Returns false, changing nothing, when the order was no longer pending.
pub async fn release(conn: &mut PgConnection, order: Uuid, to: OrderStatus) -> BackendResult<bool> {
    debug_assert!(matches!(
        to,
        OrderStatus::Expired | OrderStatus::Cancelled | OrderStatus::Declined
    ));
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
    // The buyer cancelling knows; a hold that ran out or a declined payment is news.
    let news = match to {
        OrderStatus::Expired => Some(MailKind::OrderExpired),
        OrderStatus::Declined => Some(MailKind::OrderDeclined),
        _ => None,
    };
    if let Some(kind) = news {
        outbox::enqueue_for_order(&mut *conn, kind, order).await?;
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

/// A session ended unpaid (expired at Stripe, or its async payment failed):
/// record the event and release the hold, in one transaction.
pub async fn session_ended_unpaid(
    db: &PgPool,
    event_id: &str,
    event_type: EventKind,
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
    } else if event_type == EventKind::AsyncPaymentFailed {
        OrderStatus::Declined
    } else {
        OrderStatus::Expired
    };
    let released = release(&mut tx, order, to).await?;
    tx.commit().await?;
    Ok(released)
}
