//! What Stripe's news does to orders: shared by the webhook route and the sweeper.

use sqlx::PgPool;
use uuid::Uuid;

use super::BackendResult;
use super::cache::Cache;
use super::cart::{self, CartOwner};
use super::checkout::{self, Payment, PaymentOutcome};
use super::payments::{Payments, SessionPayment, SessionState, WebhookEvent};

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
            checkout::record_event(
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
            checkout::session_ended_unpaid(
                db,
                &event_id,
                "checkout.session.async_payment_failed",
                order_id,
            )
            .await?;
            Ok(())
        }
        WebhookEvent::Expired { event_id, order_id } => {
            checkout::session_ended_unpaid(db, &event_id, "checkout.session.expired", order_id)
                .await?;
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
    match checkout::confirm_payment(db, &payment).await? {
        PaymentOutcome::Fulfilled => {
            tracing::info!(order = %session.order_id, "order paid");
            clear_buyers_cart(db, cache, session.order_id).await;
        }
        PaymentOutcome::MustRefund {
            payment_intent: Some(intent),
        } => {
            refund(db, payments, session.order_id, &intent).await;
        }
        PaymentOutcome::MustRefund {
            payment_intent: None,
        } => {
            tracing::error!(order = %session.order_id, "a payment to refund carries no payment intent");
        }
        other => {
            tracing::debug!(order = %session.order_id, ?other, "payment already settled or not ours")
        }
    }
    Ok(())
}

/// Refunds at Stripe and records the refund id. A failure is logged and retried
/// by the sweeper (orders refunded without a refund id).
pub async fn refund(db: &PgPool, payments: &Payments, order: Uuid, payment_intent: &str) {
    match payments.refund(payment_intent, order).await {
        Ok(refund_id) => {
            if let Err(err) = sqlx::query!(
                "UPDATE orders SET stripe_refund_id = $2 WHERE id = $1",
                order,
                refund_id
            )
            .execute(db)
            .await
            {
                tracing::error!(%order, error = %err, "refund issued but not recorded; the retry will reuse its idempotency key");
            }
        }
        Err(err) => tracing::error!(%order, error = %err, "refund failed; will retry"),
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
}

/// One pass of the sweeper: holds that ran out are expired at Stripe first (so
/// the session can no longer be paid), then released; a session that turns out
/// to be paid is settled instead. Several servers may sweep at once: each order
/// is released by exactly one of them (`release_overdue` skips locked rows and
/// only moves pending orders).
pub async fn sweep_once(
    db: &PgPool,
    cache: &Cache,
    payments: Option<&Payments>,
) -> BackendResult<SweepReport> {
    let mut report = SweepReport::default();
    for (order, session) in checkout::overdue_orders(db, 200).await? {
        match (payments, session.as_deref()) {
            (Some(payments), Some(session_id)) => match payments.expire_session(session_id).await {
                Ok(SessionState::Open | SessionState::Expired) => {
                    report.released += usize::from(checkout::release_overdue(db, order).await?);
                }
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
                    report.settled += 1;
                }
                // An async payment is still being processed: keep the hold.
                Ok(SessionState::Processing) => {}
                Err(err) => {
                    tracing::warn!(%order, error = %err, "could not expire the session; will retry")
                }
            },
            // No session was ever made (or no Stripe): nothing can pay it any more.
            _ => report.released += usize::from(checkout::release_overdue(db, order).await?),
        }
    }
    if let Some(payments) = payments {
        let due = sqlx::query!(
            "SELECT id, stripe_payment_intent FROM orders
             WHERE status = 'refunded' AND stripe_refund_id IS NULL AND stripe_payment_intent IS NOT NULL
             ORDER BY updated_at LIMIT 50"
        )
        .fetch_all(db)
        .await?;
        for row in due {
            if let Some(intent) = row.stripe_payment_intent {
                refund(db, payments, row.id, &intent).await;
                report.refunds_retried += 1;
            }
        }
    }
    Ok(report)
}
