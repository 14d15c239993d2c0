//! Organizer applications: applying, and an admin's decision.

use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::mail::{MailKind, outbox};
use super::{BackendResult, db};
use crate::error::AppError;
use crate::model::{ApplicationForm, ApplicationStatus, Role, parse_text};

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
