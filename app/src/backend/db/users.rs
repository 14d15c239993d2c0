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
           RETURNING id, name, email, role AS "role: Role", password_hash"#,
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
    password_hash: String,
}

impl UserRow {
    fn into_user(self) -> SessionUser {
        SessionUser::new(
            self.id,
            self.name,
            self.email,
            self.role,
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
        r#"SELECT id, name, email, role AS "role: Role", password_hash FROM users WHERE email = $1"#,
        email
    )
    .fetch_optional(db)
    .await
    .map(|row| row.map(UserRow::into_user))
}

pub async fn by_id<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<SessionUser>> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, role AS "role: Role", password_hash FROM users WHERE id = $1"#,
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
