//! The shop's own numbers for Prometheus: every metric name lives here, and
//! domain code records through these functions. They go to whatever recorder
//! the process installed (the server installs the Prometheus one; tests and
//! tools that install none record nothing, at no cost).
//!
//! Counters move where the change happens (a reservation made, an order paid);
//! gauges that describe the database or Valkey (backlogs, queue lengths, the
//! connection pool) are read when Prometheus scrapes (the server's `metrics::sample`).

use metrics::counter;

use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;
use crate::model::{CheckoutRefusal, OrderStatus};

/// Reservations: `outcome` is `made`, `existing` (the buyer's pending order
/// again) or `refused`, with the refusal as `reason`.
pub const RESERVATIONS: &str = "shop_reservations_total";
/// Orders moved to `status` (paid, expired, cancelled, refunded).
pub const ORDERS: &str = "shop_orders_total";
/// Stripe webhook events by `type` and `outcome`.
pub const WEBHOOKS: &str = "shop_webhook_events_total";
/// What the sweeper did, by `action` (released, settled, refunds_retried, ...).
pub const SWEEPER: &str = "shop_sweeper_total";
/// Sweeper passes that failed (the next pass retries).
pub const SWEEPER_FAILURES: &str = "shop_sweeper_failures_total";
/// Holds past their end that no sweeper released yet, and the oldest one's lag.
pub const OVERDUE_HOLDS: &str = "shop_overdue_holds";
pub const SWEEPER_LAG: &str = "shop_sweeper_lag_seconds";
/// Messages sent, retried or given up by the mail worker (`outcome`).
pub const MAIL: &str = "shop_mail_total";
/// Messages waiting in the outbox, and those given up for good.
pub const OUTBOX_BACKLOG: &str = "shop_outbox_backlog";
pub const OUTBOX_FAILED: &str = "shop_outbox_failed";
/// Per queued `event`: visitors waiting, and let through so far (its rate is
/// the admission rate).
pub const QUEUE_WAITING: &str = "shop_queue_waiting";
pub const QUEUE_ADMITTED: &str = "shop_queue_admitted_total";
/// Browser checks before a place in a queue: solutions verified (passed or
/// not), the time verifying them took (CPU: no I/O), and those refused by
/// `reason`.
pub const QUEUE_CHECKS_VERIFIED: &str = "shop_queue_checks_verified_total";
pub const QUEUE_CHECK_VERIFY_NANOS: &str = "shop_queue_check_verify_nanoseconds_total";
pub const QUEUE_CHECKS_REFUSED: &str = "shop_queue_checks_refused_total";
/// PostgreSQL connections of this instance's pool by `state` (idle, in_use),
/// and the pool's maximum.
pub const DB_POOL: &str = "shop_db_pool_connections";
pub const DB_POOL_MAX: &str = "shop_db_pool_max_connections";

/// Records how a reservation attempt ended.
pub fn reservation<T>(result: &BackendResult<T>, is_new: impl FnOnce(&T) -> bool) {
    let (outcome, reason) = match result {
        Ok(reservation) if is_new(reservation) => ("made", ""),
        Ok(_) => ("existing", ""),
        Err(BackendError::User(AppError::Refused(refusal))) => ("refused", refusal_label(refusal)),
        Err(_) => ("failed", ""),
    };
    counter!(RESERVATIONS, "outcome" => outcome, "reason" => reason).increment(1);
}

/// A refusal as a label: its kind, never its text (which names events).
pub fn refusal_label(refusal: &CheckoutRefusal) -> &'static str {
    match refusal {
        CheckoutRefusal::EmptyCart => "empty_cart",
        CheckoutRefusal::NoLongerExists => "no_longer_exists",
        CheckoutRefusal::NotOnSale { .. } => "not_on_sale",
        CheckoutRefusal::CodeNotAccepted { .. } => "code_not_accepted",
        CheckoutRefusal::CodeUsedUpByBuyer { .. } => "code_used_up_by_buyer",
        CheckoutRefusal::PresaleOnly { .. } => "presale_only",
        CheckoutRefusal::NotAdmitted { .. } => "not_admitted",
        CheckoutRefusal::SalesPaused { .. } => "sales_paused",
        CheckoutRefusal::NotOpenYet { .. } => "not_open_yet",
        CheckoutRefusal::SaleEnded { .. } => "sale_ended",
        CheckoutRefusal::SoldOut { .. } => "sold_out",
        CheckoutRefusal::OverPerOrderMaximum { .. } => "over_per_order_maximum",
        CheckoutRefusal::OnlyLeft { .. } => "only_left",
        CheckoutRefusal::BuyerHoldsMaximum { .. } | CheckoutRefusal::BuyerMayAdd { .. } => {
            "buyer_maximum"
        }
        CheckoutRefusal::MixedCurrencies => "mixed_currencies",
        CheckoutRefusal::OverMaximumCharge { .. } => "over_maximum_charge",
        CheckoutRefusal::PriceChanged { .. } => "price_changed",
        CheckoutRefusal::TryAgain { .. } => "try_again",
        CheckoutRefusal::EmailNotVerified { .. } => "email_not_verified",
    }
}

/// An order moved to `status` (called once the conditional UPDATE moved it).
pub fn order(status: OrderStatus) {
    counter!(ORDERS, "status" => status.as_str()).increment(1);
}

/// One solution of a browser check verified, in `took`.
pub fn check_verified(took: std::time::Duration) {
    counter!(QUEUE_CHECKS_VERIFIED).increment(1);
    counter!(QUEUE_CHECK_VERIFY_NANOS).increment(took.as_nanos() as u64);
}

/// A browser check refused, for `reason` (the refusal's kind).
pub fn check_refused(reason: &'static str) {
    counter!(QUEUE_CHECKS_REFUSED, "reason" => reason).increment(1);
}

/// A verified webhook event of `kind` ([`WebhookEvent::kind`]), `applied`
/// or `failed` (answered 500 so Stripe delivers it again).
///
pub fn webhook(kind: &'static str, outcome: &'static str) {
    counter!(WEBHOOKS, "type" => kind, "outcome" => outcome).increment(1);
}

/// A webhook refused before it was read (`bad_signature`, `no_signature`).
pub fn webhook_refused(outcome: &'static str) {
    counter!(WEBHOOKS, "type" => "unknown", "outcome" => outcome).increment(1);
}

/// One sweeper pass: how many of each `action` it did (`released`, `settled`, ...).
pub fn swept(actions: &[(&'static str, usize)]) {
    for (action, n) in actions {
        counter!(SWEEPER, "action" => *action).increment(*n as u64);
    }
}

pub fn sweep_failed() {
    counter!(SWEEPER_FAILURES).increment(1);
}

/// One mail worker pass: `sent`, `retrying` and `failed` messages.
pub fn mail(sent: usize, retrying: usize, failed: usize) {
    for (outcome, n) in [("sent", sent), ("retrying", retrying), ("failed", failed)] {
        counter!(MAIL, "outcome" => outcome).increment(n as u64);
    }
}
