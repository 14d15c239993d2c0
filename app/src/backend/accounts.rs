//! Account rules: registration and address verification, password changes and
//! resets, address changes, admin creation.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::auth::SessionUser;
use super::db;
use super::links::{self, LinkKey, LinkPurpose, LinkRefusal};
use super::outbox::{self, MailKind};
use super::password::{hash_password, verify_password};
use crate::backend::error::BackendResult;
use crate::error::{AppError, InputRefusal};
use crate::i18n::Locale;
use crate::model::{Email, Password, Role, parse_name, parse_text};

/// Keeps the language the account chose, for its next sign-in anywhere.
pub async fn set_locale(db: &PgPool, user: Uuid, locale: Locale) -> BackendResult<()> {
    db::users::set_locale(db, user, locale.tag()).await?;
    Ok(())
}

/// The language the account chose, if it chose one.
pub async fn locale_of(db: &PgPool, user: Uuid) -> BackendResult<Option<Locale>> {
    Ok(db::users::locale(db, user)
        .await?
        .as_deref()
        .and_then(Locale::from_tag))
}

/// What the sign-up form sends, parsed: the only way to build one.
#[derive(Debug)]
pub struct NewAccount {
    pub name: String,
    pub email: Email,
    pub password: Password,
    /// The language the sign-up page was read in: the account's mails are
    /// written in it until the account chooses another.
    pub locale: Locale,
}

impl NewAccount {
    pub fn parse(name: &str, email: &str, password: &str) -> Result<Self, AppError> {
        Ok(Self {
            name: parse_name(name, "name")?,
            email: Email::parse(email, "email")?,
            password: Password::parse(password, "password")?,
            locale: Locale::default(),
        })
    }
}

/// Creates the account and mails the link that verifies its address, in one
/// transaction. For an address that has an account already, its owner is
/// mailed instead (someone tried to sign up with it): the caller answers the
/// same either way, and both ways hash a password and write one message, so
/// the answer says nothing about which addresses have accounts.
pub async fn register(db: &PgPool, account: NewAccount) -> BackendResult<()> {
    let hash = hash_password(account.password.expose().to_string()).await?;
    let mut tx = db.begin().await?;
    let inserted = db::users::insert(
        &mut *tx,
        account.email.as_str(),
        &account.name,
        &hash,
        Role::Buyer,
    )
    .await;
    match inserted {
        Ok(user) => {
            db::users::set_locale(&mut *tx, user.id, account.locale.tag()).await?;
            mail_link(&mut tx, user.id, LinkPurpose::VerifyEmail, &user.email).await?;
            tx.commit().await?;
        }
        Err(err) if db::violated_constraint(&err) == Some("users_email_key") => {
            drop(tx);
            let mut tx = db.begin().await?;
            outbox::enqueue(
                &mut tx,
                MailKind::SignUpAttempt,
                uuid::Uuid::new_v4(),
                account.email.as_str(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!("sign-up for an address that has an account; its owner is told");
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}

/// Writes a new link for `user` and its message to the outbox.
async fn mail_link(
    conn: &mut PgConnection,
    user: Uuid,
    purpose: LinkPurpose,
    to: &str,
) -> BackendResult<()> {
    let link = links::create(&mut *conn, user, purpose, to).await?;
    let kind = match purpose {
        LinkPurpose::VerifyEmail => MailKind::VerifyEmail,
        LinkPurpose::ResetPassword => MailKind::ResetPassword,
        LinkPurpose::ChangeEmail => MailKind::ChangeEmail,
        LinkPurpose::RestoreEmail => MailKind::EmailChanged,
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
    mail_link(&mut tx, user.id, LinkPurpose::VerifyEmail, &user.email).await?;
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
        return Err(AppError::input_refused(InputRefusal::LinkForOldAddress).into());
    }
    links::retire_others(&mut tx, link.user_id, LinkPurpose::VerifyEmail).await?;
    tx.commit().await?;
    Ok(())
}

/// Mails a password reset link when `email` has an account. The caller answers
/// the same either way, so the form tells nobody which addresses have accounts.
///
/// Known or not, the same statements run (the link and its message are
/// written for the rows the address matches, none or one), so the time taken
/// says nothing either.
pub async fn request_password_reset(db: &PgPool, email: &Email) -> BackendResult<()> {
    let purpose = LinkPurpose::ResetPassword;
    let mut tx = db.begin().await?;
    let link = sqlx::query_scalar!(
        r#"INSERT INTO email_links (user_id, purpose, email, expires_at)
           SELECT id, $2, email, now() + make_interval(secs => $3) FROM users WHERE email = $1
           RETURNING id"#,
        email.as_str(),
        purpose as LinkPurpose,
        purpose.lifetime().as_secs_f64()
    )
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO outbox (kind, about, recipient)
         SELECT $1, l.id, l.email FROM email_links l WHERE l.id = $2
         ON CONFLICT (kind, about) DO NOTHING",
        MailKind::ResetPassword as MailKind,
        link
    )
    .execute(&mut *tx)
    .await?;
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
    // An address change asked for before the reset (perhaps by whoever knew
    // the old password) dies with it.
    links::retire_others(&mut tx, link.user_id, LinkPurpose::ChangeEmail).await?;
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
        return Err(AppError::input("new_email", InputRefusal::SameEmail).into());
    }
    if !verify_password(current_password.to_string(), user.password_hash.clone()).await? {
        return Err(AppError::input("current_password", InputRefusal::WrongCurrentPassword).into());
    }
    let mut tx = db.begin().await?;
    // One change at a time: a newer request kills the links of older ones.
    links::retire_others(&mut tx, user.id, LinkPurpose::ChangeEmail).await?;
    // An address another account uses gets no link (the answer is the same,
    // so it says nothing about that account); confirming would fail anyway.
    if db::users::by_email(&mut *tx, new_email.as_str())
        .await?
        .is_none()
    {
        mail_link(
            &mut tx,
            user.id,
            LinkPurpose::ChangeEmail,
            new_email.as_str(),
        )
        .await?;
    } else {
        tracing::info!(user = %user.id, "address change to an address in use; no link sent");
    }
    tx.commit().await?;
    Ok(())
}

/// Uses an address-change link: the account's address becomes the new one
/// (proved, since the link reached it), and the old address is told, with a
/// link that puts it back for 7 days. Returns the new address.
pub async fn confirm_email_change(
    db: &PgPool,
    key: &LinkKey,
    token: &str,
) -> BackendResult<String> {
    let mut tx = db.begin().await?;
    let link = links::consume(&mut tx, key, LinkPurpose::ChangeEmail, token)
        .await?
        .map_err(refused)?;
    let old = db::users::by_id_for_update(&mut *tx, link.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Taken meanwhile by someone else: `db::constraint_refusal` says so, and
    // the rollback leaves the link unused.
    db::users::set_email(&mut *tx, link.user_id, &link.email).await?;
    links::retire_others(&mut tx, link.user_id, LinkPurpose::ChangeEmail).await?;
    mail_link(&mut tx, old.id, LinkPurpose::RestoreEmail, &old.email).await?;
    tx.commit().await?;
    tracing::info!(user = %link.user_id, "address changed; the old address is told");
    Ok(link.email)
}

/// Uses the link mailed to the old address after a change: the account gets
/// that address back, every session ends (the password is replaced by one
/// nobody knows, whoever made the change may know the old one), and a link to
/// choose a new password goes to the restored address. Returns that address.
pub async fn restore_email(db: &PgPool, key: &LinkKey, token: &str) -> BackendResult<String> {
    let mut tx = db.begin().await?;
    let link = links::consume(&mut tx, key, LinkPurpose::RestoreEmail, token)
        .await?
        .map_err(refused)?;
    // Taken by another account meanwhile: `db::constraint_refusal` says so.
    db::users::set_email(&mut *tx, link.user_id, &link.email).await?;
    let unknowable = hash_password(uuid::Uuid::new_v4().simple().to_string()).await?;
    db::users::set_password(&mut *tx, link.user_id, &unknowable).await?;
    for purpose in [
        LinkPurpose::ChangeEmail,
        LinkPurpose::RestoreEmail,
        LinkPurpose::ResetPassword,
    ] {
        links::retire_others(&mut tx, link.user_id, purpose).await?;
    }
    let user = db::users::by_id_for_update(&mut *tx, link.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    mail_link(&mut tx, user.id, LinkPurpose::ResetPassword, &user.email).await?;
    tx.commit().await?;
    tracing::warn!(user = %link.user_id, "address restored through the old address's link; sessions ended");
    Ok(link.email)
}

/// Whether a mailed link still works, for the page it opens to show its
/// button (or why not) before anything is used.
pub async fn link_usable(
    db: &PgPool,
    key: &LinkKey,
    purpose: LinkPurpose,
    token: &str,
) -> BackendResult<()> {
    let mut conn = db.acquire().await?;
    links::usable(&mut conn, key, purpose, token)
        .await?
        .map_err(refused)?;
    Ok(())
}

fn refused(refusal: LinkRefusal) -> AppError {
    AppError::input_refused(match refusal {
        LinkRefusal::Invalid => InputRefusal::LinkNotValid,
        LinkRefusal::Expired => InputRefusal::LinkExpired,
        LinkRefusal::Used => InputRefusal::LinkUsed,
    })
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
        return Err(AppError::input("current_password", InputRefusal::WrongCurrentPassword).into());
    }
    let hash = hash_password(new.expose().to_string()).await?;
    let mut tx = db.begin().await?;
    db::users::set_password(&mut *tx, user.id, &hash).await?;
    // Address changes asked for with the old password die with it.
    links::retire_others(&mut tx, user.id, LinkPurpose::ChangeEmail).await?;
    tx.commit().await?;
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
