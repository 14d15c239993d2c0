//! SQL for user accounts.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::backend::auth::SessionUser;
use crate::model::Role;

pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> sqlx::Result<SessionUser> {
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
    .map(UserRow::into_user)
}

struct UserRow {
    id: Uuid,
    name: String,
    email: String,
    role: Role,
    email_verified: bool,
    password_hash: String,
}

impl UserRow {
    fn into_user(self) -> SessionUser {
        SessionUser::new(
            self.id,
            self.name,
            self.email,
            self.role,
            self.email_verified,
            self.password_hash,
        )
    }
}

pub async fn by_email<'e>(
    db: impl PgExecutor<'e>,
    email: &str,
) -> sqlx::Result<Option<SessionUser>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash FROM users WHERE email = $1"#,
        email
    )
    .fetch_optional(db)
    .await
    .map(|row| row.map(UserRow::into_user))
}

pub async fn by_id<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<SessionUser>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", email_verified_at IS NOT NULL AS "email_verified!", password_hash FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
    .map(|row| row.map(UserRow::into_user))
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
    Ok(())
}

/// Marks the address proved, if it is still the account's address.
pub async fn mark_verified<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    email: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
         WHERE id = $1 AND email = $2",
        id,
        email
    )
    .execute(db)
    .await?
    .rows_affected()
        == 1)
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
    Ok(())
}
