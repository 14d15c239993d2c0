//! SQL for door staff checks (shared by the door's scan and counts).

use sqlx::PgExecutor;
use uuid::Uuid;

pub async fn is_staff<'e>(db: impl PgExecutor<'e>, user: Uuid, event: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM door_staff WHERE event_id = $1 AND user_id = $2
                          AND accepted_at IS NOT NULL AND revoked_at IS NULL) AS "staff!""#,
        event,
        user
    )
    .fetch_one(db)
    .await
}

/// The events `user` is accepted, unrevoked door staff of, and that have not
/// ended yet, soonest first: (id, title, starts_at, time zone).
pub async fn doors_of<'e>(
    db: impl PgExecutor<'e>,
    user: Uuid,
) -> sqlx::Result<Vec<(Uuid, String, chrono::DateTime<chrono::Utc>, String)>> {
    let rows = sqlx::query!(
        r#"SELECT e.id, e.title, e.starts_at, e.time_zone
           FROM door_staff s JOIN events e ON e.id = s.event_id
           WHERE s.user_id = $1 AND s.accepted_at IS NOT NULL AND s.revoked_at IS NULL
             AND e.ends_at > now()
           ORDER BY e.starts_at, e.id"#,
        user
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.title, r.starts_at, r.time_zone))
        .collect())
}
