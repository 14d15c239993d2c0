//! Fulfil: a settled order is marked paid and gets one ticket per seat, and
//! its confirmation is written to the outbox, in the settling transaction.

use rand::RngCore;
use sqlx::PgConnection;
use uuid::Uuid;

use super::stock::StockLine;
use crate::backend::error::BackendResult;
use crate::backend::metrics;
use crate::backend::outbox::{self, MailKind};
use crate::model::OrderStatus;

/// Marks the order paid and issues one ticket per seat, each with what it was charged.
pub async fn fulfil(
    conn: &mut PgConnection,
    order: Uuid,
    payment_intent: Option<&str>,
    items: &[StockLine],
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET status = 'paid', paid_at = now(), stripe_payment_intent = $2, updated_at = now() WHERE id = $1",
        order,
        payment_intent
    )
    .execute(&mut *conn)
    .await?;
    metrics::order(OrderStatus::Paid);
    // Seats are numbered across the order, in the order the buyer sees its lines.
    let lines = sqlx::query!(
        r#"SELECT i.ticket_type_id, i.quantity, i.unit_price_minor - i.discount_minor AS "charged!"
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE i.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id"#,
        order
    )
    .fetch_all(&mut *conn)
    .await?;
    debug_assert_eq!(lines.len(), items.len());
    let mut seat = 0;
    for line in lines {
        for _ in 0..line.quantity {
            seat += 1;
            sqlx::query!(
                "INSERT INTO tickets (order_id, ticket_type_id, seat_no, code, price_minor)
                 VALUES ($1, $2, $3, $4, $5)",
                order,
                line.ticket_type_id,
                seat,
                ticket_code(),
                // What this ticket was charged: the list price less a code's
                // discount. Refunds, cancellations, sales and exports read it.
                line.charged
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    outbox::enqueue_for_order(conn, MailKind::OrderConfirmed, order).await?;
    Ok(())
}

/// 160 random bits, hex: what a ticket's QR code carries. Never derived from ids.
pub fn ticket_code() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
