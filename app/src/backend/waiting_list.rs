//! Waiting lists of sold-out ticket types. While anyone waits for a type, the
//! seats that come back (a hold runs out, a refund puts seats back, the
//! organizer adds some) are theirs, in the order they joined: the sweeper
//! makes the next buyer an offer, which is an ordinary hold of those seats for
//! them (`WAITING_LIST_OFFER_SECS`) and a message saying so. An offer not paid
//! in time ends as any hold does, and its seats go to the next buyer. A buyer
//! who cannot take an offer when their turn comes (they hold the most one
//! buyer may, or another order awaits their payment) is passed over with a
//! message saying why, and the next one is offered: the list never freezes.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::db;
use super::orders::reserve::per_buyer_cap;
use crate::backend::error::BackendResult;
use crate::error::{AppError, InputRefusal};
use crate::model::{CheckoutRefusal, EventStatus, WaitingEntry, WaitingStatus};

/// Puts `user` on the waiting list of a sold-out type for `quantity` seats.
pub async fn join(
    db: &PgPool,
    user: &SessionUser,
    ticket_type: Uuid,
    quantity: i64,
) -> BackendResult<()> {
    if !user.email_verified {
        return Err(AppError::Refused(CheckoutRefusal::EmailNotVerified {
            email: user.email.clone(),
        })
        .into());
    }
    let Some(t) = sqlx::query!(
        r#"SELECT t.name, t.max_per_order, e.status AS "status: EventStatus", tickets_left(t, e) AS "left!",
                  t.sale_ends_at > now() AS "selling!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE t.id = $1 AND NOT type_hidden(t)"#,
        ticket_type
    )
    .fetch_optional(db)
    .await?
    else {
        return Err(AppError::NotFound.into());
    };
    if t.status != EventStatus::Published || !t.selling {
        return Err(AppError::input("ticket_type_id", InputRefusal::NoLongerOnSale).into());
    }
    if !(1..=i64::from(t.max_per_order)).contains(&quantity) {
        return Err(AppError::input(
            "quantity",
            InputRefusal::WaitingQuantity {
                most: t.max_per_order as u32,
            },
        )
        .into());
    }
    if t.left > 0 {
        return Err(
            AppError::input("ticket_type_id", InputRefusal::NotSoldOut { title: t.name }).into(),
        );
    }
    // What the offer would be refused for later is refused now: one buyer
    // holds at most the per-order maximum across their orders.
    let have = held_by(db, user.id, ticket_type).await?;
    if let Some(refusal) = per_buyer_cap(&t.name, have, quantity, t.max_per_order) {
        return Err(AppError::Refused(refusal).into());
    }
    let mut tx = db.begin().await?;
    let inserted = sqlx::query!(
        "INSERT INTO waiting_list (ticket_type_id, user_id, quantity) VALUES ($1, $2, $3)",
        ticket_type,
        user.id,
        quantity as i32
    )
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if db::violated_constraint(&err) == Some("waiting_list_one_per_buyer") => {
            return Err(AppError::input(
                "ticket_type_id",
                InputRefusal::AlreadyWaiting { title: t.name },
            )
            .into());
        }
        Err(err) => return Err(err.into()),
    }
    sqlx::query!(
        "UPDATE ticket_types SET waiting = waiting + 1 WHERE id = $1",
        ticket_type
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%ticket_type, user = %user.id, quantity, "joined the waiting list");
    Ok(())
}

/// Takes `user` off the waiting list of `ticket_type` (while still waiting).
pub async fn leave(db: &PgPool, user: &SessionUser, ticket_type: Uuid) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let left = sqlx::query!(
        "UPDATE waiting_list SET status = 'left'
         WHERE ticket_type_id = $1 AND user_id = $2 AND status = 'waiting'",
        ticket_type,
        user.id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if left == 0 {
        return Err(AppError::input("ticket_type_id", InputRefusal::NotWaiting).into());
    }
    sqlx::query!(
        "UPDATE ticket_types SET waiting = waiting - 1 WHERE id = $1",
        ticket_type
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Seats of `ticket_type` the buyer holds or bought (pending and paid orders).
async fn held_by(db: &PgPool, user: Uuid, ticket_type: Uuid) -> BackendResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(i.quantity), 0)::bigint AS "seats!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.user_id = $1 AND o.status IN ('pending', 'paid') AND i.ticket_type_id = $2"#,
        user,
        ticket_type
    )
    .fetch_one(db)
    .await?)
}

/// An event's waiting lists for its organizer, oldest first.
pub async fn for_event(db: &PgPool, event: Uuid) -> BackendResult<Vec<WaitingEntry>> {
    Ok(sqlx::query_as!(
        WaitingRow,
        r#"SELECT w.id, t.name AS type_name, u.name AS buyer_name, u.email AS buyer_email, w.quantity,
                  w.status AS "status: WaitingStatus", w.created_at, w.offered_at,
                  o.reserved_until AS "offer_until?"
           FROM waiting_list w JOIN ticket_types t ON t.id = w.ticket_type_id JOIN users u ON u.id = w.user_id
           LEFT JOIN orders o ON o.id = w.order_id
           WHERE t.event_id = $1
           ORDER BY (w.status IN ('waiting', 'offered')) DESC, w.created_at, w.id
           LIMIT 500"#,
        event
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(WaitingRow::into_entry)
    .collect())
}

struct WaitingRow {
    id: Uuid,
    type_name: String,
    buyer_name: String,
    buyer_email: String,
    quantity: i32,
    status: WaitingStatus,
    created_at: DateTime<Utc>,
    offered_at: Option<DateTime<Utc>>,
    offer_until: Option<DateTime<Utc>>,
}

impl WaitingRow {
    fn into_entry(self) -> WaitingEntry {
        WaitingEntry {
            id: self.id,
            type_name: self.type_name,
            buyer_name: self.buyer_name,
            buyer_email: self.buyer_email,
            quantity: self.quantity,
            status: self.status,
            joined_at: self.created_at,
            offered_at: self.offered_at,
            offer_until: self
                .offer_until
                .filter(|_| self.status == WaitingStatus::Offered),
        }
    }
}
