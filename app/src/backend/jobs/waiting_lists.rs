//! Seats that came back go to those waiting first: each pass settles what
//! became of earlier offers, then holds seats for the next buyers in the
//! order they joined and mails them the offer.

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::orders::reserve::{Reservation, Seats, reserve_with};
use crate::backend::outbox::{self, MailKind};

use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;
use crate::model::{CheckoutRefusal, SkipReason};

/// One pass: settles what became of earlier offers, then offers the
/// seats that came back to the next buyers. Returns the offers made.
pub async fn run(db: &PgPool, hold: Duration) -> BackendResult<usize> {
    sqlx::query!(
        "UPDATE waiting_list w SET status = CASE WHEN o.status = 'paid' THEN 'bought'::waiting_status
                                                 ELSE 'lapsed'::waiting_status END
         FROM orders o
         WHERE o.id = w.order_id AND w.status = 'offered' AND o.status <> 'pending'"
    )
    .execute(db)
    .await?;
    let types = sqlx::query_scalar!("SELECT id FROM ticket_types WHERE waiting > 0")
        .fetch_all(db)
        .await?;
    let mut offered = 0;
    for ticket_type in types {
        // Strictly in order: the next buyer waits until enough seats are back.
        while let Some(next) = sqlx::query!(
            r#"SELECT w.id, w.user_id, w.quantity,
                      LEAST(t.quantity - t.reserved - t.sold,
                            COALESCE(e.capacity - e.reserved - e.sold, t.quantity - t.reserved - t.sold)) AS "seats!"
               FROM waiting_list w JOIN ticket_types t ON t.id = w.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE w.ticket_type_id = $1 AND w.status = 'waiting'
               ORDER BY w.created_at, w.id LIMIT 1"#,
            ticket_type
        )
        .fetch_optional(db)
        .await?
        {
            if next.seats < next.quantity {
                break;
            }
            let cart: BTreeMap<Uuid, i64> = [(ticket_type, i64::from(next.quantity))].into();
            let order = match reserve_with(db, next.user_id, &cart, hold, Seats::ForWaitingList).await {
                Ok(Reservation::New(order)) => order.id,
                // A hold of theirs already exists: an offer made before a crash
                // (it holds this type), or another checkout of theirs, which
                // they cannot combine with this one: passed over, told why.
                Ok(Reservation::Existing(order)) => {
                    if order.lines.iter().any(|l| l.ticket_type_id == ticket_type) {
                        order.id
                    } else {
                        skip(db, next.id, ticket_type, SkipReason::OtherOrder).await?;
                        continue;
                    }
                }
                Err(BackendError::User(AppError::Refused(
                    CheckoutRefusal::BuyerHoldsMaximum { .. } | CheckoutRefusal::BuyerMayAdd { .. },
                ))) => {
                    // Bought meanwhile up to the cap: this buyer cannot take it, the next may.
                    skip(db, next.id, ticket_type, SkipReason::HoldsMaximum).await?;
                    continue;
                }
                Err(BackendError::User(err)) => {
                    // The sale closed or the event was cancelled: nobody on the
                    // list could take the seats now.
                    tracing::info!(%ticket_type, reason = %err, "waiting list: no offer made");
                    break;
                }
                Err(err) => return Err(err),
            };
            if mark_offered(db, next.id, ticket_type, order).await? {
                offered += 1;
            }
        }
    }
    Ok(offered)
}

/// Passes over a buyer who cannot take the seats now, with a message saying
/// why, once; the next buyer's turn comes in the same pass.
async fn skip(
    db: &PgPool,
    entry: Uuid,
    ticket_type: Uuid,
    reason: SkipReason,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let skipped = sqlx::query_scalar!(
        "UPDATE waiting_list SET status = 'skipped', skip_reason = $2
         WHERE id = $1 AND status = 'waiting' RETURNING user_id",
        entry,
        reason.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = skipped else {
        return Ok(());
    };
    sqlx::query!(
        "UPDATE ticket_types SET waiting = waiting - 1 WHERE id = $1",
        ticket_type
    )
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_to_user(&mut tx, MailKind::WaitingListSkipped, entry, user).await?;
    tx.commit().await?;
    tracing::info!(%entry, reason = reason.as_str(), "waiting list: buyer passed over");
    Ok(())
}

/// Records the offer and its message, once.
async fn mark_offered(
    db: &PgPool,
    entry: Uuid,
    ticket_type: Uuid,
    order: Uuid,
) -> BackendResult<bool> {
    let mut tx = db.begin().await?;
    let marked = sqlx::query!(
        "UPDATE waiting_list SET status = 'offered', order_id = $2, offered_at = now()
         WHERE id = $1 AND status = 'waiting'",
        entry,
        order
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "UPDATE ticket_types SET waiting = waiting - 1 WHERE id = $1",
        ticket_type
    )
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_for_order(&mut tx, MailKind::WaitingListOffer, order).await?;
    tx.commit().await?;
    tracing::info!(%entry, %order, "waiting list offer made");
    Ok(true)
}
