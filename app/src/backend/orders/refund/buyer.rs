//! The buyer cancels their own tickets, within the policy the organizer set
//! for the event (until how long before it, less which fee): the same refund
//! as an organizer's from there on.

use sqlx::PgPool;
use uuid::Uuid;

use super::{Candidate, Recorded, RefundRefusal, Refunded, record_and_send, refundable};

use crate::backend::auth::SessionUser;
use crate::backend::error::BackendResult;
use crate::backend::orders::stock::lock_order;
use crate::backend::payments::Payments;
use crate::error::AppError;
use crate::model::{Currency, RefundCause, Role};

/// The buyer cancels their paid tickets within the organizer's policy: every
/// ticket of the order whose event still allows it, refunded less the fee the
/// organizer keeps, the seats back on sale. The same path as an organizer's
/// refund from there on (Stripe, retries, message, door).
///
/// `expected_refund_minor` is the amount the buyer was shown: if what the
/// order would get back now differs, nothing happens and the buyer is told.
pub async fn cancel_by_buyer(
    db: &PgPool,
    payments: Option<&Payments>,
    buyer: &SessionUser,
    order: Uuid,
    expected_refund_minor: i64,
) -> BackendResult<Refunded> {
    let mut tx = db.begin().await?;
    let locked = match lock_order(&mut tx, order).await? {
        Some(locked) if locked.user_id == buyer.id => locked,
        // Another buyer's order does not exist, as far as this one knows.
        _ => return Err(AppError::NotFound.into()),
    };
    refundable(&locked)?;
    let candidates = sqlx::query_as!(
        Candidate,
        r#"SELECT p.id, p.ticket_type_id AS ticket_type, t.event_id AS event,
                  cancel_refund_minor(p.price_minor, i.cancel_fee_percent) AS "refund_minor!",
                  false AS "refunded!"
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           JOIN events e ON e.id = t.event_id
           JOIN order_items i ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
           WHERE p.order_id = $1 AND p.refunded_at IS NULL AND p.checked_in_at IS NULL
             AND i.cancel_hours IS NOT NULL
             AND now() < e.starts_at - make_interval(hours => i.cancel_hours)
           ORDER BY p.id FOR UPDATE OF p"#,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    if candidates.is_empty() {
        return Err(AppError::from(RefundRefusal::NotCancellable).into());
    }
    let refund_minor: i64 = candidates.iter().map(|c| c.refund_minor).sum();
    if refund_minor != expected_refund_minor {
        return Err(AppError::from(RefundRefusal::AmountChanged {
            now: locked.total.currency.amount(refund_minor),
        })
        .into());
    }
    let chosen: Vec<&Candidate> = candidates.iter().collect();
    record_and_send(
        db,
        tx,
        payments,
        Recorded {
            order_id: order,
            order: locked,
            chosen: &chosen,
            cause: RefundCause::BuyerCancelled,
            reason: "",
            restock: true,
            by: buyer.id,
        },
    )
    .await
}

/// What cancelling would give the buyer now, if the policy allows it.
pub async fn cancel_offer(
    db: &PgPool,
    order: Uuid,
) -> BackendResult<Option<crate::model::CancelOffer>> {
    let row = sqlx::query!(
        r#"SELECT o.currency AS "currency!: Currency",
                  sum(cancel_refund_minor(p.price_minor, i.cancel_fee_percent))::bigint AS refund,
                  sum(p.price_minor - cancel_refund_minor(p.price_minor, i.cancel_fee_percent))::bigint AS fee,
                  min(e.starts_at - make_interval(hours => i.cancel_hours)) AS until,
                  min(e.time_zone) AS zone,
                  count(*) AS "tickets!"
           FROM tickets p JOIN orders o ON o.id = p.order_id
           JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
           JOIN order_items i ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
           WHERE p.order_id = $1 AND o.status = 'paid' AND o.disputed_at IS NULL
             AND p.refunded_at IS NULL AND p.checked_in_at IS NULL
             AND i.cancel_hours IS NOT NULL
             AND now() < e.starts_at - make_interval(hours => i.cancel_hours)
           GROUP BY o.currency"#,
        order
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|r| {
        let currency = r.currency;
        Some(crate::model::CancelOffer {
            tickets: r.tickets,
            refund: currency.amount(r.refund?),
            fee: currency.amount(r.fee?),
            until: crate::backend::zones::venue_time(r.until?, &r.zone?),
        })
    }))
}

/// Sets the event's cancellation policy for buyers (`hours`: until how long
/// before the event; `None`: not allowed).
pub async fn set_cancel_policy(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    hours: Option<i32>,
    fee_percent: i32,
) -> BackendResult<()> {
    if hours.is_some_and(|h| !(0..=8760).contains(&h)) {
        return Err(
            AppError::invalid("hours", "Give a number of hours between 0 and 8760.").into(),
        );
    }
    if !(0..=100).contains(&fee_percent) {
        return Err(
            AppError::invalid("fee_percent", "The fee is a percentage between 0 and 100.").into(),
        );
    }
    let done = sqlx::query!(
        "UPDATE events SET buyer_cancel_hours = $3, buyer_cancel_fee_percent = $4, updated_at = now()
         WHERE id = $1 AND may_manage(organizer_id, $2, $5)",
        event,
        organizer.id,
        hours,
        fee_percent,
        organizer.role == Role::Admin
    )
    .execute(db)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}
