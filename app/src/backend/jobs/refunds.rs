//! Refunds Stripe has not taken yet: whole orders the shop could not keep
//! (a late or wrong payment) and an organizer's or buyer's refunds, each
//! claimed with a lease and asked again after its backoff.

use std::time::Duration;

use sqlx::PgPool;

use crate::backend::error::BackendResult;
use crate::backend::orders::refund::stripe::{self, Due, OrderRefundDue};
use crate::backend::payments::Payments;
use crate::backend::retry::{Lease, work_through};

/// One pass: both kinds claimed and asked for. Returns how many were tried.
pub async fn run(db: &PgPool, payments: &Payments, lease: Lease) -> BackendResult<usize> {
    let mut tried = 0;
    let orders = claim_orders(db, lease.batch, lease.lease).await?;
    for outcome in work_through(orders, lease.concurrency, |due| async move {
        stripe::refund_order(db, payments, &due).await
    })
    .await
    {
        outcome?;
        tried += 1;
    }
    let parts = claim_refunds(db, lease.batch, lease.lease).await?;
    for outcome in work_through(parts, lease.concurrency, |due| async move {
        stripe::send(db, Some(payments), &due).await
    })
    .await
    {
        if outcome? {
            tried += 1;
        }
    }
    Ok(tried)
}

/// Claims up to `limit` refunds that are due, with a lease, like the holds' claim.
async fn claim_orders(
    db: &PgPool,
    limit: i64,
    lease: Duration,
) -> BackendResult<Vec<OrderRefundDue>> {
    Ok(sqlx::query_as!(
        OrderRefundDue,
        r#"UPDATE orders o
           SET refund_after = now() + make_interval(secs => $2), refund_attempts = o.refund_attempts + 1
           FROM (SELECT id FROM orders
                 WHERE status = 'refunded' AND stripe_refund_id IS NULL
                   AND (refund_after IS NULL OR refund_after <= now())
                   -- Refunds of chosen tickets are retried one by one (claim_refunds).
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

/// Claims up to `limit` of the refunds (of chosen tickets) Stripe has not taken.
async fn claim_refunds(db: &PgPool, limit: i64, lease: Duration) -> BackendResult<Vec<Due>> {
    Ok(sqlx::query_as!(
        Due,
        r#"UPDATE refunds r SET retry_after = now() + make_interval(secs => $2), attempts = r.attempts + 1
           FROM (SELECT id FROM refunds
                 WHERE stripe_refund_id IS NULL AND amount_minor > 0
                   AND (retry_after IS NULL OR retry_after <= now())
                 ORDER BY retry_after NULLS FIRST LIMIT $1 FOR UPDATE SKIP LOCKED) d, orders o
           WHERE r.id = d.id AND o.id = r.order_id
           RETURNING r.id, r.order_id AS order, r.amount_minor, o.stripe_payment_intent AS payment_intent,
                     r.attempts"#,
        limit,
        lease.as_secs_f64()
    )
    .fetch_all(db)
    .await?)
}
