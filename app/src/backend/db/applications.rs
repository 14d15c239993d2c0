//! SQL for organizer applications.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::model::{ApplicationForm, ApplicationStatus, ApplicationView, OrganizerKind};

pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    user_id: Uuid,
    form: &ApplicationForm,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"INSERT INTO organizer_applications (user_id, org_name, description, website, kind)
           VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
        user_id,
        form.org_name,
        form.description,
        form.website,
        form.kind as OrganizerKind
    )
    .fetch_one(db)
    .await
}

/// The user's most recent application, whatever its state.
pub async fn latest_for_user<'e>(
    db: impl PgExecutor<'e>,
    user_id: Uuid,
) -> sqlx::Result<Option<ApplicationView>> {
    sqlx::query_as!(
        ApplicationView,
        r#"SELECT a.id, u.name AS applicant_name, u.email AS applicant_email, a.org_name, a.description,
                  a.website, a.kind AS "kind: OrganizerKind", a.status AS "status: ApplicationStatus",
                  a.reason, d.name AS "decided_by_name?", a.decided_at, a.created_at
           FROM organizer_applications a
           JOIN users u ON u.id = a.user_id
           LEFT JOIN users d ON d.id = a.decided_by
           WHERE a.user_id = $1
           ORDER BY a.created_at DESC
           LIMIT 1"#,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Pending applications first (oldest first: they have waited longest), then the
/// decision history, newest first.
pub async fn list_for_admin<'e>(
    db: impl PgExecutor<'e>,
    limit: i64,
) -> sqlx::Result<Vec<ApplicationView>> {
    sqlx::query_as!(
        ApplicationView,
        r#"SELECT a.id, u.name AS applicant_name, u.email AS applicant_email, a.org_name, a.description,
                  a.website, a.kind AS "kind: OrganizerKind", a.status AS "status: ApplicationStatus",
                  a.reason, d.name AS "decided_by_name?", a.decided_at, a.created_at
           FROM organizer_applications a
           JOIN users u ON u.id = a.user_id
           LEFT JOIN users d ON d.id = a.decided_by
           ORDER BY (a.status = 'pending') DESC,
                    CASE WHEN a.status = 'pending' THEN a.created_at END ASC,
                    a.decided_at DESC
           LIMIT $1"#,
        limit
    )
    .fetch_all(db)
    .await
}

/// Records a decision on a still-pending application; returns the applicant, or
/// `None` when the application does not exist or was already decided.
pub async fn decide<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    admin_id: Uuid,
    status: ApplicationStatus,
    reason: Option<&str>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"UPDATE organizer_applications
           SET status = $2, decided_by = $3, decided_at = now(), reason = $4
           WHERE id = $1 AND status = 'pending'
           RETURNING user_id"#,
        id,
        status as ApplicationStatus,
        admin_id,
        reason
    )
    .fetch_optional(db)
    .await
}

pub async fn exists<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM organizer_applications WHERE id = $1) AS "exists!""#,
        id
    )
    .fetch_one(db)
    .await
}
