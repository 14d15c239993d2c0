//! Organizers: applying, an admin's decision, and an admin suspending an
//! organizer (their events stop selling; tickets sold stay valid) and lifting it.

use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::db;
use super::outbox::{self, MailKind};
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::model::{ApplicationForm, ApplicationStatus, Role, SuspensionView, parse_text};

pub async fn apply(db: &PgPool, user: &SessionUser, form: &ApplicationForm) -> BackendResult<Uuid> {
    if user.role != Role::Buyer {
        return Err(AppError::Forbidden.into());
    }
    // One open application at a time: `db::constraint_refusal` says so.
    Ok(db::applications::insert(db, user.id, form).await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

impl Decision {
    pub fn parse(decision: &str, reason: &str) -> Result<Self, AppError> {
        match decision {
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject {
                reason: parse_text(reason, "reason", "a reason for the rejection", 500)?,
            }),
            _ => Err(AppError::invalid("decision", "Choose approve or reject.")),
        }
    }
}

/// Records the decision and, on approval, makes the applicant an organizer, in
/// one transaction with the message telling the applicant. Deciding twice is refused.
pub async fn decide(
    db: &PgPool,
    admin: &SessionUser,
    application: Uuid,
    decision: Decision,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let (status, reason) = match &decision {
        Decision::Approve => (ApplicationStatus::Approved, None),
        Decision::Reject { reason } => (ApplicationStatus::Rejected, Some(reason.as_str())),
    };
    let Some(applicant) =
        db::applications::decide(&mut *tx, application, admin.id, status, reason).await?
    else {
        return Err(if db::applications::exists(&mut *tx, application).await? {
            AppError::Invalid {
                field: None,
                message: "This application has already been decided.".into(),
            }
        } else {
            AppError::NotFound
        }
        .into());
    };
    if decision == Decision::Approve {
        db::users::promote_to_organizer(&mut *tx, applicant).await?;
    }
    let kind = match decision {
        Decision::Approve => MailKind::ApplicationApproved,
        Decision::Reject { .. } => MailKind::ApplicationRejected,
    };
    outbox::enqueue_to_user(&mut tx, kind, application, applicant).await?;
    tx.commit().await?;
    tracing::info!(%application, admin = %admin.id, ?status, "organizer application decided");
    Ok(())
}

/// Suspends an organizer: from the commit on, no new hold is taken for any of
/// their events (the reservation checks it in its conditional UPDATE) and the
/// catalogue leaves them out. Tickets sold stay valid; holds taken before may
/// still be paid within their hold, as after a sale closes. Recorded with who,
/// when and why.
pub async fn suspend(
    db: &PgPool,
    admin: &SessionUser,
    organizer: Uuid,
    reason: &str,
) -> BackendResult<()> {
    let reason = parse_text(reason, "reason", "why the organizer is suspended", 500)?;
    let mut tx = db.begin().await?;
    let target = sqlx::query!(
        r#"SELECT role AS "role: Role", suspended_at, email FROM users WHERE id = $1 FOR UPDATE"#,
        organizer
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if target.role != Role::Organizer {
        return Err(AppError::invalid("organizer", "Only organizers can be suspended.").into());
    }
    if target.suspended_at.is_some() {
        return Err(AppError::invalid("organizer", "This organizer is already suspended.").into());
    }
    let suspension = sqlx::query_scalar!(
        "INSERT INTO organizer_suspensions (organizer_id, reason, suspended_by) VALUES ($1, $2, $3)
         RETURNING id",
        organizer,
        reason,
        admin.id
    )
    .fetch_one(&mut *tx)
    .await?;
    outbox::enqueue(
        &mut tx,
        MailKind::OrganizerSuspended,
        suspension,
        &target.email,
    )
    .await?;
    sqlx::query!(
        "UPDATE users SET suspended_at = now() WHERE id = $1",
        organizer
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%organizer, admin = %admin.id, "organizer suspended");
    Ok(())
}

/// Lifts the suspension in force: the organizer's published events sell again.
pub async fn lift_suspension(
    db: &PgPool,
    admin: &SessionUser,
    organizer: Uuid,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let lifted = sqlx::query!(
        "UPDATE organizer_suspensions s SET lifted_by = $2, lifted_at = now()
         FROM users u WHERE u.id = s.organizer_id AND s.organizer_id = $1 AND s.lifted_at IS NULL
         RETURNING s.id, u.email",
        organizer,
        admin.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(lifted) = lifted else {
        return Err(if db::users::by_id(&mut *tx, organizer).await?.is_some() {
            AppError::invalid("organizer", "This organizer is not suspended.")
        } else {
            AppError::NotFound
        }
        .into());
    };
    outbox::enqueue(
        &mut tx,
        MailKind::SuspensionLifted,
        lifted.id,
        &lifted.email,
    )
    .await?;
    sqlx::query!(
        "UPDATE users SET suspended_at = NULL WHERE id = $1",
        organizer
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%organizer, admin = %admin.id, "organizer suspension lifted");
    Ok(())
}

/// Suspensions, those in force first, then the newest.
pub async fn suspensions(db: &PgPool, limit: i64) -> BackendResult<Vec<SuspensionView>> {
    Ok(sqlx::query_as!(
        SuspensionView,
        r#"SELECT s.id, s.organizer_id, o.name AS organizer_name, o.email AS organizer_email, s.reason,
                  b.name AS suspended_by_name, s.suspended_at,
                  l.name AS "lifted_by_name?", s.lifted_at
           FROM organizer_suspensions s
           JOIN users o ON o.id = s.organizer_id
           JOIN users b ON b.id = s.suspended_by
           LEFT JOIN users l ON l.id = s.lifted_by
           ORDER BY (s.lifted_at IS NULL) DESC, s.suspended_at DESC
           LIMIT $1"#,
        limit
    )
    .fetch_all(db)
    .await?)
}

/// The suspension in force for `organizer`, if any (the reason they are told).
pub async fn suspension_of(db: &PgPool, organizer: Uuid) -> BackendResult<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT reason FROM organizer_suspensions WHERE organizer_id = $1 AND lifted_at IS NULL",
        organizer
    )
    .fetch_optional(db)
    .await?)
}
