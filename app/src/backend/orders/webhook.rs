//! Stripe's events applied to orders: shared by the webhook route and the
//! sweeper (a hold whose session turns out to be paid). Safe to apply again,
//! and in any order relative to each other.

use sqlx::PgPool;
use uuid::Uuid;

use super::ledger::record_event;
use super::refund::stripe::{self, OrderRefundDue};
use super::release::session_ended_unpaid;
use super::settle::{Payment, PaymentOutcome, confirm_payment};
use super::stripe_news;

use crate::backend::cart::store::{self as cart, CartOwner};
use crate::backend::error::BackendResult;
use crate::backend::payments::{EventKind, Payments, SessionPayment, WebhookEvent};
use crate::backend::valkey::Valkey;

/// Applies one verified webhook event. Safe to call again with the same event,
/// and in any order relative to the others.
pub async fn apply_event(
    db: &PgPool,
    valkey: &Valkey,
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
                valkey,
                payments,
                &event_id,
                EventKind::CheckoutCompleted,
                &session,
            )
            .await
        }
        WebhookEvent::AsyncPaymentSucceeded { event_id, session } => {
            settle(
                db,
                valkey,
                payments,
                &event_id,
                EventKind::AsyncPaymentSucceeded,
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
            record_event(
                &mut tx,
                &event_id,
                EventKind::CheckoutCompleted,
                Some(session.order_id),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        WebhookEvent::AsyncPaymentFailed { event_id, order_id } => {
            session_ended_unpaid(db, &event_id, EventKind::AsyncPaymentFailed, order_id).await?;
            Ok(())
        }
        WebhookEvent::Expired { event_id, order_id } => {
            session_ended_unpaid(db, &event_id, EventKind::CheckoutExpired, order_id).await?;
            Ok(())
        }
        WebhookEvent::ChargeRefunded {
            event_id,
            payment_intent,
            fully,
            amount_refunded,
        } => {
            let news = stripe_news::refunded_at_stripe(
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
            stripe_news::disputed_at_stripe(db, &event_id, &payment_intent, &dispute_id).await?;
            Ok(())
        }
        WebhookEvent::DisputeClosed {
            event_id,
            payment_intent,
            dispute_id,
            won,
        } => {
            let news =
                stripe_news::dispute_closed_at_stripe(db, &event_id, &payment_intent, won).await?;
            tracing::info!(%payment_intent, %dispute_id, ?news, "dispute closed at Stripe");
            Ok(())
        }
        WebhookEvent::Ignored { event_id, kind } => {
            tracing::debug!(%event_id, %kind, "webhook event ignored");
            Ok(())
        }
    }
}

pub async fn settle(
    db: &PgPool,
    valkey: &Valkey,
    payments: &Payments,
    event_id: &str,
    event_type: EventKind,
    session: &SessionPayment,
) -> BackendResult<()> {
    let payment = Payment {
        event_id: event_id.to_string(),
        event_type,
        order_id: session.order_id,
        amount: session.amount.clone(),
        payment_intent: session.payment_intent.clone(),
    };
    match confirm_payment(db, &payment).await? {
        PaymentOutcome::Fulfilled => {
            tracing::info!(order = %session.order_id, "order paid");
            clear_buyers_cart(db, valkey, session.order_id).await;
        }
        PaymentOutcome::MustRefund => {
            // Tried now; if Stripe does not take it, the sweeper retries with backoff.
            let due = OrderRefundDue {
                id: session.order_id,
                payment_intent: session.payment_intent.clone(),
                stripe_session_id: None,
                attempts: 1,
            };
            if let Err(err) = stripe::refund_order(db, payments, &due).await {
                tracing::warn!(order = %session.order_id, error = %err, "refund not recorded now; the sweeper retries it");
            }
        }
        other => {
            tracing::debug!(order = %session.order_id, ?other, "payment already settled or not ours")
        }
    }
    Ok(())
}

async fn clear_buyers_cart(db: &PgPool, valkey: &Valkey, order: Uuid) {
    let buyer = sqlx::query_scalar!("SELECT user_id FROM orders WHERE id = $1", order)
        .fetch_one(db)
        .await;
    match buyer {
        Ok(user) => {
            if let Err(err) = cart::clear(valkey, CartOwner::User(user)).await {
                tracing::warn!(%order, error = %err, "cart not cleared after payment");
            }
        }
        Err(err) => tracing::warn!(%order, error = %err, "buyer of a paid order not found"),
    }
}
