//! Door staff: an organizer invites someone by email to check tickets in at
//! one event. The invitation is a mailed link that only the account with
//! that address, once it has confirmed it, can accept; accepted staff may open that event's door page
//! and nothing else of the organizer's, until the organizer revokes them
//! (refused from the next scan on).

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::db;
use super::links::LinkKey;
use super::outbox::{self, MailKind};
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::model::{DoorLink, DoorStaffView, Email, Role};

/// How long an invitation can be accepted.
pub const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// Why an invitation cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationRefusal {
    #[error("This invitation link is not valid.")]
    Invalid,
    #[error("This invitation has expired; ask the organizer for a new one.")]
    Expired,
    #[error("This invitation was withdrawn by the organizer.")]
    Revoked,
    #[error("This invitation has already been accepted.")]
    Accepted,
    #[error("This invitation is for {0}; sign in with that address to accept it.")]
    OtherAddress(String),
    /// Only an address proven to be the account's may take an invitation sent to it.
    #[error(
        "Confirm your email address first (use the link we mailed you, or send a new one from your account page), then open this invitation again."
    )]
    Unverified,
}

impl From<InvitationRefusal> for AppError {
    fn from(refusal: InvitationRefusal) -> Self {
        AppError::Invalid {
            field: None,
            message: refusal.to_string(),
        }
    }
}

async fn owns(db: &PgPool, user: &SessionUser, event: Uuid) -> BackendResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)) AS "owns!""#,
        event,
        user.id,
        user.role == Role::Admin
    )
    .fetch_one(db)
    .await?)
}

/// Invites `email` to the event's door and mails the link, in one transaction.
pub async fn invite(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    email: &str,
) -> BackendResult<Uuid> {
    if !owns(db, organizer, event).await? {
        return Err(AppError::NotFound.into());
    }
    let email = Email::parse(email, "email")?;
    if email.as_str() == organizer.email {
        return Err(
            AppError::invalid("email", "You can check tickets in yourself already.").into(),
        );
    }
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO door_staff (event_id, email, invited_by, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         ON CONFLICT (event_id, email) WHERE revoked_at IS NULL DO NOTHING
         RETURNING id",
        event,
        email.as_str(),
        organizer.id,
        INVITATION_LIFETIME.as_secs_f64()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Err(AppError::invalid(
            "email",
            "This address is already invited; withdraw the invitation first to send a new one.",
        )
        .into());
    };
    outbox::enqueue(&mut tx, MailKind::DoorInvite, id, email.as_str()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The event's door staff and open invitations; `None` when it is not the user's.
pub async fn list(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
) -> BackendResult<Option<(String, Vec<DoorStaffView>)>> {
    let Some(title) = sqlx::query_scalar!(
        "SELECT title FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)",
        event,
        organizer.id,
        organizer.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let staff = sqlx::query_as!(
        DoorStaffView,
        r#"SELECT s.id, s.email, u.name AS "name?", s.invited_at, s.accepted_at,
                  s.expires_at <= now() AND s.accepted_at IS NULL AS "expired!"
           FROM door_staff s LEFT JOIN users u ON u.id = s.user_id
           WHERE s.event_id = $1 AND s.revoked_at IS NULL ORDER BY s.invited_at"#,
        event
    )
    .fetch_all(db)
    .await?;
    Ok(Some((title, staff)))
}

/// Withdraws an invitation or revokes accepted staff, at once.
pub async fn revoke(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    invitation: Uuid,
) -> BackendResult<()> {
    if !owns(db, organizer, event).await? {
        return Err(AppError::NotFound.into());
    }
    let done = sqlx::query!(
        "UPDATE door_staff SET revoked_at = now() WHERE id = $1 AND event_id = $2 AND revoked_at IS NULL",
        invitation,
        event
    )
    .execute(db)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}

/// Accepts the invitation the token names for `user`; the event's id.
pub async fn accept(
    db: &PgPool,
    key: &LinkKey,
    token: &str,
    user: &SessionUser,
) -> BackendResult<Uuid> {
    let Some(id) = key.open(token) else {
        return Err(AppError::from(InvitationRefusal::Invalid).into());
    };
    let accepted = sqlx::query_scalar!(
        "UPDATE door_staff SET user_id = $2, accepted_at = now()
         WHERE id = $1 AND email = $3 AND revoked_at IS NULL AND accepted_at IS NULL AND expires_at > now()
           AND EXISTS (SELECT 1 FROM users u
                       WHERE u.id = $2 AND u.email = $3 AND u.email_verified_at IS NOT NULL)
         RETURNING event_id",
        id,
        user.id,
        user.email
    )
    .fetch_optional(db)
    .await?;
    if let Some(event) = accepted {
        tracing::info!(invitation = %id, user = %user.id, "door staff invitation accepted");
        return Ok(event);
    }
    let found = sqlx::query!(
        r#"SELECT email, revoked_at IS NOT NULL AS "revoked!", accepted_at IS NOT NULL AS "accepted!",
                  expires_at <= now() AS "expired!"
           FROM door_staff WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Err(AppError::from(match found {
        None => InvitationRefusal::Invalid,
        Some(s) if s.revoked => InvitationRefusal::Revoked,
        Some(s) if s.accepted => InvitationRefusal::Accepted,
        Some(s) if s.expired => InvitationRefusal::Expired,
        Some(s) if s.email != user.email => InvitationRefusal::OtherAddress(s.email),
        Some(_) => InvitationRefusal::Unverified,
    })
    .into())
}

/// Whether `user` is accepted, unrevoked door staff of the event.
pub async fn is_staff(db: &PgPool, user: &SessionUser, event: Uuid) -> BackendResult<bool> {
    Ok(db::door_staff::is_staff(db, user.id, event).await?)
}

/// The doors `user` staffs, for their account page.
pub async fn doors_of(db: &PgPool, user: &SessionUser) -> BackendResult<Vec<DoorLink>> {
    Ok(db::door_staff::doors_of(db, user.id)
        .await?
        .into_iter()
        .map(|(event_id, title, starts_at, zone)| DoorLink {
            event_id,
            title,
            starts_at: crate::backend::zones::venue_time(starts_at, &zone),
        })
        .collect())
}
