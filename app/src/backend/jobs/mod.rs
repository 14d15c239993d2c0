//! The sweeper's periodic work, one file per job, run by every instance (the
//! claims, on the one policy of `backend::retry`, keep two instances off the
//! same piece of work):
//!
//! - [`expire_holds`]: holds that ran out, expired at Stripe and released.
//! - [`refunds`]: refunds Stripe has not taken yet, asked again.
//! - [`cancellations`]: the paid orders of cancelled events, refunded.
//! - [`waiting_lists`]: seats that came back, offered to those waiting.
//!
//! Mail has its own worker (`mail::delivery`), on the same policy.

pub mod cancellations;
pub mod expire_holds;
pub mod refunds;
pub mod waiting_lists;

use std::time::Duration;

use sqlx::PgPool;

use crate::backend::error::BackendResult;
use crate::backend::payments::Payments;
use crate::backend::retry::Lease;
use crate::backend::valkey::Valkey;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub released: usize,
    pub settled: usize,
    pub refunds_retried: usize,
    /// Orders of cancelled events refunded.
    pub cancellation_refunds: usize,
    /// Offers made to buyers on waiting lists.
    pub waiting_list_offers: usize,
    /// Holds whose session Stripe could not be asked about: retried after a backoff.
    pub failed: usize,
}

impl SweepReport {
    /// What the pass did, by action, for the metrics.
    pub fn actions(&self) -> [(&'static str, usize); 6] {
        [
            ("released", self.released),
            ("settled", self.settled),
            ("refunds_retried", self.refunds_retried),
            ("cancellation_refunds", self.cancellation_refunds),
            ("waiting_list_offers", self.waiting_list_offers),
            ("stripe_unreachable", self.failed),
        ]
    }
}

/// How much one sweep takes on.
#[derive(Debug, Clone, Copy)]
pub struct Sweep {
    /// Overdue holds (and due refunds) claimed per pass.
    pub batch: i64,
    /// Calls to Stripe under way at once.
    pub concurrency: usize,
    /// How long a claim keeps other sweepers off an order.
    pub lease: Duration,
    /// How long seats offered to a buyer on a waiting list are held.
    pub offer_hold: Duration,
}

impl Sweep {
    fn lease(&self) -> Lease {
        Lease {
            batch: self.batch,
            lease: self.lease,
            concurrency: self.concurrency,
        }
    }
}

impl Default for Sweep {
    fn default() -> Self {
        Self {
            batch: 200,
            concurrency: 8,
            lease: Duration::from_secs(60),
            offer_hold: Duration::from_secs(1800),
        }
    }
}

/// One pass of the sweeper with the default sizes.
pub async fn sweep_once(
    db: &PgPool,
    valkey: &Valkey,
    payments: Option<&Payments>,
) -> BackendResult<SweepReport> {
    sweep_with(db, valkey, payments, Sweep::default()).await
}

/// One pass of the sweeper: holds that ran out are expired at Stripe first (so
/// the session can no longer be paid), then released; a session that turns out
/// to be paid is settled instead, and one Stripe no longer knows is released.
/// Each order is claimed with a lease first, so with several servers each is
/// handled by one of them; a call that fails puts its order back after a backoff.
pub async fn sweep_with(
    db: &PgPool,
    valkey: &Valkey,
    payments: Option<&Payments>,
    sweep: Sweep,
) -> BackendResult<SweepReport> {
    let mut report = SweepReport::default();
    let lease = sweep.lease();
    let holds = expire_holds::run(db, valkey, payments, lease).await?;
    report.released = holds.released;
    report.settled = holds.settled;
    report.failed = holds.failed;
    if let Some(payments) = payments {
        report.refunds_retried = refunds::run(db, payments, lease).await?;
    }
    // Cancelled events: a batch of their paid orders refunded per pass.
    report.cancellation_refunds = cancellations::run(db, payments, sweep.batch).await?;
    // Seats that came back go to the waiting lists first.
    report.waiting_list_offers = waiting_lists::run(db, sweep.offer_hold).await?;
    // What the queues know (opening, sold out), from the database; Valkey
    // being down must not stop the rest of the sweep.
    if let Err(err) = crate::backend::queue::refresh(db, valkey).await {
        tracing::warn!(error = %err, "queue facts not refreshed");
    }
    Ok(report)
}
