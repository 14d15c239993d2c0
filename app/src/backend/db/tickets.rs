//! SQL for organizers' own listings.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::model::{OrganizerTicketRow, TicketDraft, TicketStatus};

pub async fn list_for_organizer<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
) -> sqlx::Result<Vec<OrganizerTicketRow>> {
    sqlx::query_as!(
        OrganizerTicketRow,
        r#"SELECT id, title, starts_at, price_minor, currency AS "currency!: String", stock, reserved, sold,
                  status AS "status: TicketStatus"
           FROM tickets WHERE organizer_id = $1
           ORDER BY starts_at DESC, id"#,
        organizer
    )
    .fetch_all(db)
    .await
}

/// An organizer's listing with its counters; `None` when it is not theirs.
pub struct OwnedTicket {
    pub draft: TicketDraft,
    pub reserved: i32,
    pub sold: i32,
}

/// Reads (and, inside a transaction, locks) one of the organizer's listings.
pub async fn owned_for_update(
    conn: &mut PgConnection,
    organizer: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<OwnedTicket>> {
    let row = sqlx::query!(
        r#"SELECT title, description, venue, starts_at, ends_at, sale_starts_at, sale_ends_at, price_minor,
                  currency AS "currency!: String", stock, reserved, sold, max_per_order,
                  status AS "status: TicketStatus"
           FROM tickets WHERE id = $1 AND organizer_id = $2
           FOR UPDATE"#,
        id,
        organizer
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| OwnedTicket {
        draft: TicketDraft {
            title: r.title,
            description: r.description,
            venue: r.venue,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            sale_starts_at: r.sale_starts_at,
            sale_ends_at: r.sale_ends_at,
            price_minor: r.price_minor,
            currency: r.currency,
            stock: r.stock,
            max_per_order: r.max_per_order,
            status: r.status,
        },
        reserved: r.reserved,
        sold: r.sold,
    }))
}

pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
    t: &TicketDraft,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"INSERT INTO tickets (organizer_id, title, description, venue, starts_at, ends_at, sale_starts_at,
                                sale_ends_at, price_minor, currency, stock, max_per_order, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           RETURNING id"#,
        organizer,
        t.title,
        t.description,
        t.venue,
        t.starts_at,
        t.ends_at,
        t.sale_starts_at,
        t.sale_ends_at,
        t.price_minor,
        t.currency,
        t.stock,
        t.max_per_order,
        t.status as TicketStatus
    )
    .fetch_one(db)
    .await
}

pub async fn update<'e>(db: impl PgExecutor<'e>, id: Uuid, t: &TicketDraft) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE tickets
           SET title = $2, description = $3, venue = $4, starts_at = $5, ends_at = $6, sale_starts_at = $7,
               sale_ends_at = $8, price_minor = $9, currency = $10, stock = $11, max_per_order = $12,
               status = $13, updated_at = now()
           WHERE id = $1"#,
        id,
        t.title,
        t.description,
        t.venue,
        t.starts_at,
        t.ends_at,
        t.sale_starts_at,
        t.sale_ends_at,
        t.price_minor,
        t.currency,
        t.stock,
        t.max_per_order,
        t.status as TicketStatus
    )
    .execute(db)
    .await?;
    Ok(())
}
