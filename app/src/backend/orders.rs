//! Orders as their buyer sees them.

use sqlx::PgPool;
use uuid::Uuid;

use super::BackendResult;
use crate::model::{OrderLineView, OrderStatus, OrderView};

pub async fn for_buyer(db: &PgPool, user: Uuid, id: Uuid) -> BackendResult<Option<OrderView>> {
    let Some(o) = sqlx::query!(
        r#"SELECT id, status AS "status: OrderStatus", total_minor, currency AS "currency!: String", reserved_until,
                  created_at, paid_at, refund_reason, stripe_session_url,
                  (SELECT count(*) FROM passes p WHERE p.order_id = o.id) AS "passes!"
           FROM orders o WHERE id = $1 AND user_id = $2"#,
        id,
        user
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query_as!(
        OrderLineView,
        r#"SELECT i.ticket_id, t.title, i.quantity, i.unit_price_minor
           FROM order_items i JOIN tickets t ON t.id = i.ticket_id
           WHERE i.order_id = $1 ORDER BY t.starts_at, t.id"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(Some(OrderView {
        id: o.id,
        status: o.status,
        total_minor: o.total_minor,
        currency: o.currency,
        reserved_until: o.reserved_until,
        created_at: o.created_at,
        paid_at: o.paid_at,
        refund_reason: o.refund_reason,
        payment_url: (o.status == OrderStatus::Pending)
            .then_some(o.stripe_session_url)
            .flatten(),
        lines,
        passes: o.passes,
    }))
}
