//! What Stripe's news does to orders: shared by the webhook route and the sweeper.

use std::time::Duration;

use futures::StreamExt;
use sqlx::PgPool;
use uuid::Uuid;

use super::lifecycle::{self, Overdue, Payment, PaymentOutcome, RefundDue};
use crate::backend::BackendResult;
use crate::backend::cache::Cache;
use crate::backend::cart::store::{self as cart, CartOwner};
use crate::backend::payments::{Payments, SessionPayment, SessionState, WebhookEvent};

/// Applies one verified webhook event. Safe to call again with the same event,
/// and in any order relative to the others.
pub async fn apply_event(
    db: &PgPool,
    cache: &Cache,
    payments: &Payments,
    event: WebhookEvent,
) -> BackendResult<()> {
    match event {
        WebhookEvent::Completed {
            event_id,
            session,
            paid: true,
        } => {
            settle(
                db,
                cache,
                payments,
                &event_id,
                "checkout.session.completed",
                &session,
            )
            .await
        }
        WebhookEvent::AsyncPaymentSucceeded { event_id, session } => {
            settle(
                db,
                cache,
                payments,
                &event_id,
                "checkout.session.async_payment_succeeded",
                &session,
            )
            .await
        }
        // Completed but not paid yet (a bank debit, say): the hold stays until the
        // async result arrives.
        WebhookEvent::Completed {
            event_id,
            session,
            paid: false,
        } => {
            let mut tx = db.begin().await?;
            lifecycle::record_event(
                &mut tx,
                &event_id,
                "checkout.session.completed",
                Some(session.order_id),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        WebhookEvent::AsyncPaymentFailed { event_id, order_id } => {
            lifecycle::session_ended_unpaid(
                db,
                &event_id,
                "checkout.session.async_payment_failed",
                order_id,
            )
            .await?;
            Ok(())
        }
        WebhookEvent::Expired { event_id, order_id } => {
            lifecycle::session_ended_unpaid(db, &event_id, "checkout.session.expired", order_id)
                .await?;
            Ok(())
        }
        WebhookEvent::ChargeRefunded {
            event_id,
            payment_intent,
            fully,
            amount_refunded,
        } => {
            let news = lifecycle::refunded_at_stripe(
                db,
                &event_id,
                &payment_intent,
                fully,
                amount_refunded,
            )
            .await?;
            tracing::info!(%payment_intent, amount_refunded, ?news, "refund reported by Stripe");
            Ok(())
        }
        WebhookEvent::DisputeCreated {
            event_id,
            payment_intent,
            dispute_id,
        } => {
            lifecycle::disputed_at_stripe(db, &event_id, &payment_intent, &dispute_id).await?;
            Ok(())
        }
        WebhookEvent::DisputeClosed {
            event_id,
            payment_intent,
            dispute_id,
            won,
        } => {
            let news =
                lifecycle::dispute_closed_at_stripe(db, &event_id, &payment_intent, won).await?;
            tracing::info!(%payment_intent, %dispute_id, ?news, "dispute closed at Stripe");
            Ok(())
        }
        WebhookEvent::Ignored { event_id, kind } => {
            tracing::debug!(%event_id, %kind, "webhook event ignored");
            Ok(())
        }
    }
}

async fn settle(
    db: &PgPool,
    cache: &Cache,
    payments: &Payments,
    event_id: &str,
    event_type: &str,
    session: &SessionPayment,
) -> BackendResult<()> {
    let payment = Payment {
        event_id: event_id.to_string(),
        event_type: event_type.to_string(),
        order_id: session.order_id,
        amount_total: session.amount_total,
        currency: session.currency.clone(),
        payment_intent: session.payment_intent.clone(),
    };
    match lifecycle::confirm_payment(db, &payment).await? {
        PaymentOutcome::Fulfilled => {
            tracing::info!(order = %session.order_id, "order paid");
            clear_buyers_cart(db, cache, session.order_id).await;
        }
        PaymentOutcome::MustRefund => {
            // Tried now; if Stripe does not take it, the sweeper retries with backoff.
            let due = RefundDue {
                id: session.order_id,
                payment_intent: session.payment_intent.clone(),
                stripe_session_id: None,
                attempts: 1,
            };
            if let Err(err) = refund(db, payments, &due).await {
                tracing::warn!(order = %session.order_id, error = %err, "refund not recorded now; the sweeper retries it");
            }
        }
        other => {
            tracing::debug!(order = %session.order_id, ?other, "payment already settled or not ours")
        }
    }
    Ok(())
}

/// Refunds an order's payment at Stripe and records the refund id; a failure is
/// logged and retried after a backoff. The payment is looked up from the order's
/// session when it was not known yet.
async fn refund(db: &PgPool, payments: &Payments, due: &RefundDue) -> BackendResult<bool> {
    let mut intent = due.payment_intent.clone();
    if intent.is_none()
        && let Some(session) = &due.stripe_session_id
        && let Ok(SessionState::Paid(paid)) = payments.session_state(session).await
    {
        intent = paid.payment_intent;
    }
    let result = match &intent {
        Some(intent) => payments
            .refund(intent, due.id, None)
            .await
            .map(|id| (id, intent)),
        None => Err(crate::backend::payments::PaymentError::Stripe(
            "the payment to refund is not known yet".into(),
        )),
    };
    match result {
        Ok((refund_id, intent)) => {
            lifecycle::refund_recorded(db, due.id, &refund_id, intent).await?;
            Ok(true)
        }
        Err(err) => {
            tracing::error!(order = %due.id, attempt = due.attempts, error = %err, "refund failed; will retry");
            lifecycle::refund_later(db, due.id, due.attempts).await?;
            Ok(false)
        }
    }
}

async fn clear_buyers_cart(db: &PgPool, cache: &Cache, order: Uuid) {
    let buyer = sqlx::query_scalar!("SELECT user_id FROM orders WHERE id = $1", order)
        .fetch_one(db)
        .await;
    match buyer {
        Ok(user) => {
            if let Err(err) = cart::clear(cache, CartOwner::User(user)).await {
                tracing::warn!(%order, error = %err, "cart not cleared after payment");
            }
        }
        Err(err) => tracing::warn!(%order, error = %err, "buyer of a paid order not found"),
    }
}

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
    cache: &Cache,
    payments: Option<&Payments>,
) -> BackendResult<SweepReport> {
    sweep_with(db, cache, payments, Sweep::default()).await
}

/// One pass of the sweeper: holds that ran out are expired at Stripe first (so
/// the session can no longer be paid), then released; a session that turns out
/// to be paid is settled instead, and one Stripe no longer knows is released.
/// Each order is claimed with a lease first, so with several servers each is
/// handled by one of them; a call that fails puts its order back after a backoff.
pub async fn sweep_with(
    db: &PgPool,
    cache: &Cache,
    payments: Option<&Payments>,
    sweep: Sweep,
) -> BackendResult<SweepReport> {
    let mut report = SweepReport::default();
    let claimed = lifecycle::claim_overdue(db, sweep.batch, sweep.lease).await?;
    let outcomes: Vec<BackendResult<Swept>> = futures::stream::iter(claimed)
        .map(|order| sweep_order(db, cache, payments, order))
        .buffer_unordered(sweep.concurrency.max(1))
        .collect()
        .await;
    for outcome in outcomes {
        match outcome? {
            Swept::Released => report.released += 1,
            Swept::Settled => report.settled += 1,
            Swept::Failed => report.failed += 1,
            Swept::Nothing => {}
        }
    }
    if let Some(payments) = payments {
        let due = lifecycle::claim_refunds(db, sweep.batch, sweep.lease).await?;
        let outcomes: Vec<BackendResult<bool>> = futures::stream::iter(due)
            .map(|due| async move { refund(db, payments, &due).await })
            .buffer_unordered(sweep.concurrency.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            outcome?;
            report.refunds_retried += 1;
        }
        report.refunds_retried +=
            crate::backend::refunds::retry_due(db, payments, sweep.batch, sweep.lease).await?;
    }
    // Cancelled events: a batch of their paid orders refunded per pass.
    report.cancellation_refunds =
        crate::backend::cancellation::work(db, payments, sweep.batch).await?;
    // Seats that came back go to the waiting lists first.
    report.waiting_list_offers =
        crate::backend::waiting_list::offer_due(db, sweep.offer_hold).await?;
    // What the queues know (opening, sold out), from the database; Valkey
    // being down must not stop the rest of the sweep.
    if let Err(err) = crate::backend::queue::refresh(db, cache).await {
        tracing::warn!(error = %err, "queue facts not refreshed");
    }
    Ok(report)
}

enum Swept {
    Released,
    Settled,
    Failed,
    Nothing,
}

async fn sweep_order(
    db: &PgPool,
    cache: &Cache,
    payments: Option<&Payments>,
    order: Overdue,
) -> BackendResult<Swept> {
    let release = || async {
        Ok(if lifecycle::release_overdue(db, order.id).await? {
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
            settle(
                db,
                cache,
                payments,
                &event_id,
                "sweeper.session_paid",
                &payment,
            )
            .await?;
            Ok(Swept::Settled)
        }
        // An async payment is still being processed: keep the hold, look again later.
        Ok(SessionState::Processing) => {
            lifecycle::sweep_later(db, order.id, order.attempts).await?;
            Ok(Swept::Nothing)
        }
        Err(err) => {
            tracing::warn!(order = %order.id, attempt = order.attempts, error = %err, "could not expire the session; will retry");
            lifecycle::sweep_later(db, order.id, order.attempts).await?;
            Ok(Swept::Failed)
        }
    }
}
