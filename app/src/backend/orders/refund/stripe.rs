//! Asking Stripe for the money a refund pays back, with the refund's id as
//! idempotency key; a failure waits out its backoff and the sweeper asks
//! again (`jobs::refunds`).

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::backend::payments::{PaymentError, Payments, RefundPart, SessionState};
use crate::backend::retry::backoff;

/// A refund Stripe has not taken yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: Uuid,
    pub order: Uuid,
    pub amount_minor: i64,
    pub payment_intent: Option<String>,
    pub attempts: i32,
}

/// Asks Stripe for one refund; on failure it is retried after a backoff.
/// True when Stripe took it.
pub async fn send(db: &PgPool, payments: Option<&Payments>, due: &Due) -> BackendResult<bool> {
    let result = match (payments, &due.payment_intent) {
        (Some(payments), Some(intent)) => payments
            .refund(
                intent,
                due.order,
                Some(RefundPart {
                    refund: due.id,
                    amount_minor: due.amount_minor,
                }),
            )
            .await
            .map_err(|err| err.to_string()),
        (None, _) => Err("payments are not configured".to_string()),
        (_, None) => Err("the order's payment is not known".to_string()),
    };
    match result {
        Ok(stripe_id) => {
            sqlx::query!(
                "UPDATE refunds SET stripe_refund_id = $2, retry_after = NULL WHERE id = $1",
                due.id,
                stripe_id
            )
            .execute(db)
            .await?;
            Ok(true)
        }
        Err(reason) => {
            tracing::error!(refund = %due.id, attempt = due.attempts, %reason, "refund not taken by Stripe; will retry");
            sqlx::query!(
                "UPDATE refunds SET retry_after = now() + make_interval(secs => $2) WHERE id = $1",
                due.id,
                backoff(due.attempts).as_secs_f64()
            )
            .execute(db)
            .await?;
            Ok(false)
        }
    }
}

/// A whole order's refund the shop owes (a payment it could not keep) and
/// Stripe has not confirmed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRefundDue {
    pub id: Uuid,
    pub payment_intent: Option<String>,
    pub stripe_session_id: Option<String>,
    pub attempts: i32,
}

/// After a failed refund: retry after the backoff.
async fn refund_later(db: &PgPool, order: Uuid, attempts: i32) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET refund_after = now() + make_interval(secs => $2) WHERE id = $1",
        order,
        backoff(attempts).as_secs_f64()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Stripe took the refund: record its id (the retry stops).
async fn refund_recorded(
    db: &PgPool,
    order: Uuid,
    refund_id: &str,
    payment_intent: &str,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET stripe_refund_id = $2, stripe_payment_intent = coalesce(stripe_payment_intent, $3)
         WHERE id = $1",
        order,
        refund_id,
        payment_intent
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Refunds an order's payment at Stripe and records the refund id; a failure is
/// logged and retried after a backoff. The payment is looked up from the order's
/// session when it was not known yet.
pub async fn refund_order(
    db: &PgPool,
    payments: &Payments,
    due: &OrderRefundDue,
) -> BackendResult<bool> {
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
        None => Err(PaymentError::Stripe(
            "the payment to refund is not known yet".into(),
        )),
    };
    match result {
        Ok((refund_id, intent)) => {
            refund_recorded(db, due.id, &refund_id, intent).await?;
            Ok(true)
        }
        Err(err) => {
            tracing::error!(order = %due.id, attempt = due.attempts, error = %err, "refund failed; will retry");
            refund_later(db, due.id, due.attempts).await?;
            Ok(false)
        }
    }
}
