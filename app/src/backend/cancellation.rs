//! Cancelling an event: its sales stop at once, and every paid order's tickets
//! for it are refunded by a job that the sweeper on any instance works on, a
//! batch per pass, until none is left. The job's state is the cancellation row
//! and the refunds themselves, so a restart or a killed instance loses nothing,
//! and each ticket is refunded once (see `refunds`).

use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::model::{CancellationProgress, EventStatus, Role};

/// Cancels the event (sales stop now) and starts the refunds.
pub async fn cancel_event(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    reason: &str,
) -> BackendResult<()> {
    let reason = crate::model::parse_text(reason, "reason", "a reason buyers will read", 500)?;
    let mut tx = db.begin().await?;
    let owned = sqlx::query_scalar!(
        r#"SELECT status AS "status: EventStatus" FROM events
           WHERE id = $1 AND may_manage(organizer_id, $2, $3) FOR UPDATE"#,
        event,
        organizer.id,
        organizer.role == Role::Admin
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(status) = owned else {
        return Err(AppError::NotFound.into());
    };
    let started = sqlx::query!(
        "INSERT INTO event_cancellations (event_id, reason, requested_by) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING",
        event,
        reason,
        organizer.id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if started == 0 {
        return Err(AppError::Invalid {
            field: None,
            message: "This event is already cancelled.".into(),
        }
        .into());
    }
    if status != EventStatus::Cancelled {
        sqlx::query!(
            "UPDATE events SET status = 'cancelled', updated_at = now() WHERE id = $1",
            event
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::warn!(%event, by = %organizer.id, "event cancelled; refunding every paid order");
    Ok(())
}

/// How far the refunds of a cancelled event are.
pub async fn progress(db: &PgPool, event: Uuid) -> BackendResult<Option<CancellationProgress>> {
    let Some(reason) = sqlx::query_scalar!(
        "SELECT reason FROM event_cancellations WHERE event_id = $1",
        event
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let row = sqlx::query!(
        r#"SELECT count(DISTINCT p.order_id) AS "orders!",
                  count(DISTINCT p.order_id) FILTER (WHERE NOT EXISTS (
                      SELECT 1 FROM tickets q JOIN ticket_types u ON u.id = q.ticket_type_id
                      WHERE q.order_id = p.order_id AND u.event_id = $1 AND q.refunded_at IS NULL)) AS "refunded!"
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           WHERE t.event_id = $1"#,
        event
    )
    .fetch_one(db)
    .await?;
    Ok(Some(CancellationProgress {
        reason,
        orders: row.orders,
        refunded: row.refunded,
    }))
}
