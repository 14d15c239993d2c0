//! Holds that ran out: each is expired at Stripe first (so its payment page
//! can no longer be paid), then released; a session that turns out to be paid
//! is settled instead, and one Stripe no longer knows is released.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::backend::orders::{release, webhook};
use crate::backend::payments::{EventKind, Payments, SessionState};
use crate::backend::retry::{Lease, backoff, work_through};
use crate::backend::valkey::Valkey;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expired {
    pub released: usize,
    pub settled: usize,
    /// Holds whose session Stripe could not be asked about: retried after a backoff.
    pub failed: usize,
}

/// One pass: claims overdue holds (with a lease, so with several servers each
/// is handled by one of them) and works through them.
pub async fn run(
    db: &PgPool,
    valkey: &Valkey,
    payments: Option<&Payments>,
    lease: Lease,
) -> BackendResult<Expired> {
    let claimed = claim_overdue(db, lease.batch, lease.lease).await?;
    let outcomes = work_through(claimed, lease.concurrency, |order| {
        sweep_order(db, valkey, payments, order)
    })
    .await;
    let mut expired = Expired::default();
    for outcome in outcomes {
        match outcome? {
            Swept::Released => expired.released += 1,
            Swept::Settled => expired.settled += 1,
            Swept::Failed => expired.failed += 1,
            Swept::Nothing => {}
        }
    }
    Ok(expired)
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

enum Swept {
    Released,
    Settled,
    Failed,
    Nothing,
}

async fn sweep_order(
    db: &PgPool,
    valkey: &Valkey,
    payments: Option<&Payments>,
    order: Overdue,
) -> BackendResult<Swept> {
    let release = || async {
        Ok(if release::release_overdue(db, order.id).await? {
            Swept::Released
        } else {
            Swept::Nothing
        })
    };
    let (Some(payments), Some(session_id)) = (payments, order.stripe_session_id.as_deref()) else {
        // No session was ever made (or no Stripe): nothing can pay it any more.
        return release().await;
    };
    match payments.expire_session(session_id).await {
        Ok(SessionState::Open | SessionState::Expired | SessionState::Unknown) => release().await,
        Ok(SessionState::Paid(payment)) => {
            let event_id = format!("sweeper:{session_id}:paid");
            webhook::settle(
                db,
                valkey,
                payments,
                &event_id,
                EventKind::SweeperFoundPaid,
                &payment,
            )
            .await?;
            Ok(Swept::Settled)
        }
        // An async payment is still being processed: keep the hold, look again later.
        Ok(SessionState::Processing) => {
            sweep_later(db, order.id, order.attempts).await?;
            Ok(Swept::Nothing)
        }
        Err(err) => {
            tracing::warn!(order = %order.id, attempt = order.attempts, error = %err, "could not expire the session; will retry");
            sweep_later(db, order.id, order.attempts).await?;
            Ok(Swept::Failed)
        }
    }
}
