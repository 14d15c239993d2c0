//! The paid orders of cancelled events, refunded a batch per pass on any
//! instance until none is left. The job's state is the cancellation row and
//! the refunds themselves, so a restart or a killed instance loses nothing,
//! and each ticket is refunded once (see `orders::refund`).

use sqlx::PgPool;

use crate::backend::auth::SessionUser;
use crate::backend::db;
use crate::backend::error::{BackendError, BackendResult};
use crate::backend::orders::refund::{self, RefundRequest};
use crate::backend::payments::Payments;
use crate::model::RefundCause;

/// One pass of the job over every cancelled event: up to `batch` orders each.
/// Returns how many orders this pass refunded.
pub async fn run(db: &PgPool, payments: Option<&Payments>, batch: i64) -> BackendResult<usize> {
    let jobs = sqlx::query!("SELECT event_id, reason, requested_by FROM event_cancellations")
        .fetch_all(db)
        .await?;
    let mut refunded = 0;
    for job in jobs {
        // Paid, undisputed orders with tickets of this event still admitting.
        let orders = sqlx::query_scalar!(
            r#"SELECT DISTINCT p.order_id AS "order_id!"
               FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
               JOIN orders o ON o.id = p.order_id
               WHERE t.event_id = $1 AND p.refunded_at IS NULL
                 AND o.status = 'paid' AND o.disputed_at IS NULL
               ORDER BY 1 LIMIT $2"#,
            job.event_id,
            batch
        )
        .fetch_all(db)
        .await?;
        if orders.is_empty() {
            sqlx::query!(
                "UPDATE event_cancellations SET finished_at = coalesce(finished_at, now()) WHERE event_id = $1",
                job.event_id
            )
            .execute(db)
            .await?;
            continue;
        }
        sqlx::query!(
            "UPDATE event_cancellations SET finished_at = NULL WHERE event_id = $1",
            job.event_id
        )
        .execute(db)
        .await?;
        let Some(by) = db::users::by_id(db, job.requested_by)
            .await?
            .map(SessionUser::from)
        else {
            continue;
        };
        for order in orders {
            let tickets = sqlx::query_scalar!(
                "SELECT p.id FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
                 WHERE p.order_id = $1 AND t.event_id = $2 AND p.refunded_at IS NULL",
                order,
                job.event_id
            )
            .fetch_all(db)
            .await?;
            let request = RefundRequest {
                order,
                tickets: Some(tickets),
                cause: RefundCause::EventCancelled,
                reason: job.reason.clone(),
                restock: false,
            };
            match refund::refund(db, payments, &by, request).await {
                Ok(_) => refunded += 1,
                // Another instance refunded it meanwhile, or it is no longer
                // refundable (refunded or disputed at the bank): nothing to do.
                Err(BackendError::User(err)) => {
                    tracing::info!(%order, reason = %err, "cancellation: order skipped");
                }
                Err(err) => return Err(err),
            }
        }
    }
    Ok(refunded)
}
