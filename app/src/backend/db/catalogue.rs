//! Catalogue queries: what buyers can browse.

use sqlx::PgExecutor;

use crate::model::EventCard;

/// Published tickets whose event has not ended, soonest first.
pub async fn upcoming_events<'e>(
    db: impl PgExecutor<'e>,
    limit: i64,
) -> sqlx::Result<Vec<EventCard>> {
    sqlx::query_as!(
        EventCard,
        r#"
        SELECT t.id, t.title, t.venue, t.starts_at, t.price_minor,
               t.currency AS "currency!: String", t.stock,
               (t.stock - t.reserved - t.sold) AS "available!",
               u.name AS organizer_name
        FROM tickets t
        JOIN users u ON u.id = t.organizer_id
        WHERE t.status = 'published' AND t.ends_at > now()
        ORDER BY t.starts_at, t.id
        LIMIT $1
        "#,
        limit
    )
    .fetch_all(db)
    .await
}
