//! Account rules: registration, password changes, admin creation.

use sqlx::PgPool;

use super::auth::SessionUser;
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

pub async fn register(db: &PgPool, account: NewAccount) -> BackendResult<SessionUser> {
    let hash = hash_password(account.password.expose().to_string()).await?;
    db::users::insert(
        db,
        account.email.as_str(),
        &account.name,
        &hash,
        Role::Buyer,
    )
    // A taken email is answered by `db::constraint_refusal`.
    .await
    .map_err(Into::into)
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
