//! SQL for user accounts.

use sqlx::PgExecutor;
use uuid::Uuid;

use super::known_users::forget_here;
use crate::model::{Role, SuspensionView, UserSummary};

pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> sqlx::Result<UserRow> {
    sqlx::query_as!(
        UserRow,
        r#"INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
           RETURNING id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash"#,
        email,
        name,
        password_hash,
        role as Role
    )
    .fetch_one(db)
    .await
}

/// An account as its row stores it.
#[derive(Clone)]
pub struct UserRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The address was proved by a mailed link.
    pub email_verified: bool,
    pub password_hash: String,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

pub async fn by_email<'e>(db: impl PgExecutor<'e>, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash FROM users WHERE email = $1"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn by_id<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The account, its row locked until the transaction ends.
pub async fn by_id_for_update<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash FROM users WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn set_password<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
        id,
        password_hash
    )
    .execute(db)
    .await?;
    forget_here(id);
    Ok(())
}

/// Promotes a buyer to organizer; admins keep their role.
pub async fn promote_to_organizer<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET role = 'organizer', updated_at = now() WHERE id = $1 AND role = 'buyer'",
        id
    )
    .execute(db)
    .await?;
    forget_here(id);
    Ok(())
}

pub async fn set_role<'e>(db: impl PgExecutor<'e>, id: Uuid, role: Role) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET role = $2, updated_at = now() WHERE id = $1",
        id,
        role as Role
    )
    .execute(db)
    .await?;
    forget_here(id);
    Ok(())
}

/// Marks the address proved, if it is still the account's address.
pub async fn mark_verified<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    email: &str,
) -> sqlx::Result<bool> {
    let marked = sqlx::query!(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
         WHERE id = $1 AND email = $2",
        id,
        email
    )
    .execute(db)
    .await?
    .rows_affected()
        == 1;
    forget_here(id);
    Ok(marked)
}

/// Gives the account a new (proved) address. A taken address is answered by
/// `db::constraint_refusal`.
pub async fn set_email<'e>(db: impl PgExecutor<'e>, id: Uuid, email: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() WHERE id = $1",
        id,
        email
    )
    .execute(db)
    .await?;
    forget_here(id);
    Ok(())
}

/// The admin's user search: part of an address or a name (case-insensitive),
/// newest accounts first; an organizer's suspension in force comes along.
pub async fn search<'e>(
    db: impl PgExecutor<'e>,
    query: &str,
    limit: i64,
) -> sqlx::Result<Vec<UserSummary>> {
    // Typed `%` and `_` are literal characters, not wildcards.
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = sqlx::query!(
        r#"SELECT u.id, u.name, u.email, u.role AS "role: Role", u.email_verified_at IS NOT NULL AS "verified!",
                  u.created_at,
                  s.id AS "suspension_id?", s.reason AS "reason?", s.suspended_at AS "suspended_at?",
                  b.name AS "suspended_by?"
           FROM users u
           LEFT JOIN organizer_suspensions s ON s.organizer_id = u.id AND s.lifted_at IS NULL
           LEFT JOIN users b ON b.id = s.suspended_by
           WHERE u.email ILIKE $1 OR u.name ILIKE $1
           ORDER BY u.created_at DESC, u.id
           LIMIT $2"#,
        pattern,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UserSummary {
            suspension: match (r.suspension_id, r.reason, r.suspended_at) {
                (Some(id), Some(reason), Some(suspended_at)) => Some(SuspensionView {
                    id,
                    organizer_id: r.id,
                    organizer_name: r.name.clone(),
                    organizer_email: r.email.clone(),
                    reason,
                    suspended_by_name: r.suspended_by.unwrap_or_default(),
                    suspended_at,
                    lifted_by_name: None,
                    lifted_at: None,
                }),
                _ => None,
            },
            id: r.id,
            name: r.name,
            email: r.email,
            role: r.role,
            verified: r.verified,
            created_at: r.created_at,
        })
        .collect())
}

/// The language the account chose (a tag `locale`'s CHECK allows).
pub async fn set_locale<'e>(db: impl PgExecutor<'e>, id: Uuid, locale: &str) -> sqlx::Result<()> {
    sqlx::query!("UPDATE users SET locale = $2 WHERE id = $1", id, locale)
        .execute(db)
        .await?;
    forget_here(id);
    Ok(())
}

pub async fn locale<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<String>> {
    Ok(
        sqlx::query_scalar!("SELECT locale FROM users WHERE id = $1", id)
            .fetch_optional(db)
            .await?
            .flatten(),
    )
}
