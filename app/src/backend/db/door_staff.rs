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
