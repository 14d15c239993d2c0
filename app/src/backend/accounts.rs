//! Account rules: registration and address verification, password changes and
//! resets, address changes, admin creation.

use sqlx::{PgConnection, PgPool};

use super::auth::SessionUser;
use super::mail::links::{self, LinkKey, LinkPurpose, LinkRefusal};
use super::mail::{MailKind, outbox};
use super::password::{hash_password, verify_password};
use super::{BackendResult, db};
use crate::error::AppError;
use crate::model::{Email, Password, Role, parse_text};

/// What the sign-up form sends, parsed: the only way to build one.
#[derive(Debug)]
pub struct NewAccount {
    pub name: String,
    pub email: Email,
    pub password: Password,
}

impl NewAccount {
    pub fn parse(name: &str, email: &str, password: &str) -> Result<Self, AppError> {
        Ok(Self {
            name: parse_text(name, "name", "your name", 100)?,
            email: Email::parse(email, "email")?,
            password: Password::parse(password, "password")?,
        })
    }
}

/// Creates the account and mails the link that verifies its address, in one
/// transaction.
pub async fn register(db: &PgPool, account: NewAccount) -> BackendResult<SessionUser> {
    let hash = hash_password(account.password.expose().to_string()).await?;
    let mut tx = db.begin().await?;
    // A taken email is answered by `db::constraint_refusal`.
    let user = db::users::insert(
        &mut *tx,
        account.email.as_str(),
        &account.name,
        &hash,
        Role::Buyer,
    )
    .await?;
    mail_link(&mut tx, &user, LinkPurpose::VerifyEmail, &user.email).await?;
    tx.commit().await?;
    Ok(user)
}

/// Writes a new link for `user` and its message to the outbox.
async fn mail_link(
    conn: &mut PgConnection,
    user: &SessionUser,
    purpose: LinkPurpose,
    to: &str,
) -> BackendResult<()> {
    let link = links::create(&mut *conn, user.id, purpose, to).await?;
    let kind = match purpose {
        LinkPurpose::VerifyEmail => MailKind::VerifyEmail,
        LinkPurpose::ResetPassword => MailKind::ResetPassword,
        LinkPurpose::ChangeEmail => MailKind::ChangeEmail,
    };
    outbox::enqueue(conn, kind, link, to).await?;
    Ok(())
}

/// What asking for the verification mail again did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    Sent,
    AlreadyVerified,
}

/// Mails a new verification link (the older ones keep working until they expire).
pub async fn resend_verification(db: &PgPool, user: &SessionUser) -> BackendResult<Resent> {
    if user.email_verified {
        return Ok(Resent::AlreadyVerified);
    }
    let mut tx = db.begin().await?;
    mail_link(&mut tx, user, LinkPurpose::VerifyEmail, &user.email).await?;
    tx.commit().await?;
    Ok(Resent::Sent)
}

/// Uses a verification link: the address it was sent to is proved, if it is
/// still the account's.
pub async fn verify_email(db: &PgPool, key: &LinkKey, token: &str) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let link = links::consume(&mut tx, key, LinkPurpose::VerifyEmail, token)
        .await?
        .map_err(refused)?;
    if !db::users::mark_verified(&mut *tx, link.user_id, &link.email).await? {
        return Err(AppError::Invalid {
            field: None,
            message: "This link is for an address your account no longer uses.".into(),
        }
        .into());
    }
    links::retire_others(&mut tx, link.user_id, LinkPurpose::VerifyEmail).await?;
    tx.commit().await?;
    Ok(())
}

/// Mails a password reset link when `email` has an account. The caller answers
/// the same either way, so the form tells nobody which addresses have accounts.
pub async fn request_password_reset(db: &PgPool, email: &Email) -> BackendResult<()> {
    let Some(user) = db::users::by_email(db, email.as_str()).await? else {
        tracing::info!("password reset asked for an address without an account");
        return Ok(());
    };
    let mut tx = db.begin().await?;
    mail_link(&mut tx, &user, LinkPurpose::ResetPassword, &user.email).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link still works (the page shows the form, or why not).
pub async fn reset_link_usable(db: &PgPool, key: &LinkKey, token: &str) -> BackendResult<()> {
    let mut conn = db.acquire().await?;
    links::usable(&mut conn, key, LinkPurpose::ResetPassword, token)
        .await?
        .map_err(refused)?;
    Ok(())
}

/// Sets a new password through a reset link, once. Every session of the
/// account ends (they are tied to the password), and the address counts as
/// proved: the link reached it.
pub async fn reset_password(
    db: &PgPool,
    key: &LinkKey,
    token: &str,
    new_password: &str,
) -> BackendResult<()> {
    // A password the rules refuse leaves the link unused.
    let password = Password::parse(new_password, "new_password")?;
    let mut conn = db.acquire().await?;
    links::usable(&mut conn, key, LinkPurpose::ResetPassword, token)
        .await?
        .map_err(refused)?;
    drop(conn);
    let hash = hash_password(password.expose().to_string()).await?;
    let mut tx = db.begin().await?;
    let link = links::consume(&mut tx, key, LinkPurpose::ResetPassword, token)
        .await?
        .map_err(refused)?;
    db::users::set_password(&mut *tx, link.user_id, &hash).await?;
    db::users::mark_verified(&mut *tx, link.user_id, &link.email).await?;
    links::retire_others(&mut tx, link.user_id, LinkPurpose::ResetPassword).await?;
    tx.commit().await?;
    tracing::info!(user = %link.user_id, "password reset through a mailed link");
    Ok(())
}

/// Mails a link to `new_email` that makes it the account's address; the
/// account keeps its address until the link is used.
pub async fn request_email_change(
    db: &PgPool,
    user: &SessionUser,
    current_password: &str,
    new_email: &str,
) -> BackendResult<()> {
    let new_email = Email::parse(new_email, "new_email")?;
    if new_email.as_str() == user.email {
        return Err(AppError::invalid("new_email", "This is already your address.").into());
    }
    if !verify_password(current_password.to_string(), user.password_hash.clone()).await? {
        return Err(
            AppError::invalid("current_password", "That is not your current password.").into(),
        );
    }
    if db::users::by_email(db, new_email.as_str()).await?.is_some() {
        return Err(AppError::invalid("new_email", "Another account uses this address.").into());
    }
    let mut tx = db.begin().await?;
    mail_link(&mut tx, user, LinkPurpose::ChangeEmail, new_email.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Uses an address-change link: the account's address becomes the new one
/// (proved, since the link reached it). Returns the new address.
pub async fn confirm_email_change(
    db: &PgPool,
    key: &LinkKey,
    token: &str,
) -> BackendResult<String> {
    let mut tx = db.begin().await?;
    let link = links::consume(&mut tx, key, LinkPurpose::ChangeEmail, token)
        .await?
        .map_err(refused)?;
    // Taken meanwhile by someone else: `db::constraint_refusal` says so, and
    // the rollback leaves the link unused.
    db::users::set_email(&mut *tx, link.user_id, &link.email).await?;
    links::retire_others(&mut tx, link.user_id, LinkPurpose::ChangeEmail).await?;
    tx.commit().await?;
    Ok(link.email)
}

fn refused(refusal: LinkRefusal) -> AppError {
    AppError::Invalid {
        field: None,
        message: refusal.to_string(),
    }
}

/// Changes the password after checking the current one; returns the updated user
/// (whose new hash the caller puts back into its session).
pub async fn change_password(
    db: &PgPool,
    user: &SessionUser,
    current: &str,
    new: &str,
) -> BackendResult<SessionUser> {
    let new = Password::parse(new, "new_password")?;
    if !verify_password(current.to_string(), user.password_hash.clone()).await? {
        return Err(
            AppError::invalid("current_password", "That is not your current password.").into(),
        );
    }
    let hash = hash_password(new.expose().to_string()).await?;
    db::users::set_password(db, user.id, &hash).await?;
    Ok(user.with_password_hash(hash))
}

/// What `server admin create` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminCreated {
    /// A new admin account with the given password.
    Created,
    /// An existing account (`--promote`) became an admin; its password is unchanged.
    Promoted { name: String },
    /// The account was an admin already; nothing changed.
    AlreadyAdmin,
}

/// Creates an admin account. An existing account is made an admin only when
/// `promote` says so (its owner chose its password, so the operator must mean it).
pub async fn create_admin(
    db: &PgPool,
    email: &str,
    name: &str,
    password: &str,
    promote: bool,
) -> BackendResult<AdminCreated> {
    let email = Email::parse(email, "email")?;
    if let Some(existing) = db::users::by_email(db, email.as_str()).await? {
        if existing.role == Role::Admin {
            return Ok(AdminCreated::AlreadyAdmin);
        }
        if !promote {
            return Err(AppError::invalid(
                "email",
                format!(
                    "{} already has an account ({}, {}); run again with --promote to make that account an admin.",
                    email.as_str(),
                    existing.name,
                    existing.role.label()
                ),
            )
            .into());
        }
        db::users::set_role(db, existing.id, Role::Admin).await?;
        return Ok(AdminCreated::Promoted {
            name: existing.name,
        });
    }
    let name = parse_text(name, "name", "a name", 100)?;
    let password = Password::parse(password, "password")?;
    let hash = hash_password(password.expose().to_string()).await?;
    db::users::insert(db, email.as_str(), &name, &hash, Role::Admin).await?;
    Ok(AdminCreated::Created)
}
