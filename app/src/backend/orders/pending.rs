//! A pending order: the seats a buyer holds while they pay, its payment page,
//! and the buyer's wish to give it up.

use crate::backend::error::BackendResult;
use crate::model::{Currency, Money};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// A pending order holding seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOrder {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub total: Money,
    pub reserved_until: DateTime<Utc>,
    pub stripe_session_id: Option<String>,
    pub stripe_session_url: Option<String>,
    pub lines: Vec<ReservedLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedLine {
    pub ticket_type_id: Uuid,
    pub event_id: Uuid,
    /// The event's title and the type's name, as the buyer sees the line.
    pub title: String,
    pub quantity: i32,
    /// The list price of one ticket.
    pub ticket_price: Money,
    /// What a code takes off each ticket ([`crate::model::price::off`]; zero without one).
    pub discount: Money,
    /// The code the line is bought with (`event_codes`), if any.
    pub code: Option<Uuid>,
    /// What the line costs: its tickets at [`ReservedLine::charged`].
    pub amount: Money,
}

impl ReservedLine {
    /// What one ticket of the line is charged: the list price less the code's discount.
    pub fn charged(&self) -> Money {
        self.ticket_price
            .currency
            .amount(self.ticket_price.minor - self.discount.minor)
    }
}

pub async fn pending_for_user(db: &PgPool, user: Uuid) -> BackendResult<Option<PendingOrder>> {
    let Some(order) = sqlx::query!(
        r#"SELECT id, created_at, total_minor, currency AS "currency!: Currency", reserved_until,
                  stripe_session_id, stripe_session_url
           FROM orders WHERE user_id = $1 AND status = 'pending'"#,
        user
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query!(
        r#"SELECT i.ticket_type_id, t.event_id,
                  event_title(e.id, e.title, (SELECT b.locale FROM users b WHERE b.id = $2)) || ' · ' || t.name AS "title!",
                  i.quantity, i.unit_price_minor, i.discount_minor, i.code_id, i.amount_minor
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE i.order_id = $1 ORDER BY i.ticket_type_id"#,
        order.id,
        user
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|l| ReservedLine {
        ticket_type_id: l.ticket_type_id,
        event_id: l.event_id,
        title: l.title,
        quantity: l.quantity,
        ticket_price: order.currency.amount(l.unit_price_minor),
        discount: order.currency.amount(l.discount_minor),
        code: l.code_id,
        amount: order.currency.amount(l.amount_minor),
    })
    .collect();
    Ok(Some(PendingOrder {
        id: order.id,
        created_at: order.created_at,
        total: order.currency.amount(order.total_minor),
        reserved_until: order.reserved_until,
        stripe_session_id: order.stripe_session_id,
        stripe_session_url: order.stripe_session_url,
        lines,
    }))
}

/// Records the order's Checkout Session. Only a still pending order takes it:
/// false when the order was settled or released meanwhile.
pub async fn attach_session(
    db: &PgPool,
    order: Uuid,
    session_id: &str,
    url: &str,
) -> BackendResult<bool> {
    let attached = sqlx::query!(
        "UPDATE orders SET stripe_session_id = $2, stripe_session_url = $3, updated_at = now()
         WHERE id = $1 AND status = 'pending'",
        order,
        session_id,
        url
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(attached == 1)
}

/// The payment page of a still pending order, once a session was attached.
pub async fn session_url(db: &PgPool, order: Uuid) -> BackendResult<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT stripe_session_url FROM orders WHERE id = $1 AND status = 'pending'",
        order
    )
    .fetch_optional(db)
    .await?
    .flatten())
}

/// The buyer asked to cancel the pending order (before its session is expired).
pub async fn request_cancel(db: &PgPool, order: Uuid) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE orders SET cancel_requested_at = now() WHERE id = $1 AND status = 'pending'",
        order
    )
    .execute(db)
    .await?;
    Ok(())
}
