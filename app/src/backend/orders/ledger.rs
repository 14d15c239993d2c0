//! The ledger of Stripe's events: each is recorded once, in the transaction
//! of what it changes, so a redelivery changes nothing.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::backend::payments::EventKind;

/// Records a webhook event id; false when it was recorded before (a redelivery).
/// `order` may name an order this database does not have.
pub async fn record_event(
    conn: &mut PgConnection,
    id: &str,
    kind: EventKind,
    order: Option<Uuid>,
) -> BackendResult<bool> {
    let inserted = sqlx::query!(
        "INSERT INTO stripe_events (id, type, order_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        id,
        kind.as_str(),
        order
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
