//! Authentication with axum-login: users from PostgreSQL, sessions in Valkey.

use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use fred::prelude::Pool;
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_redis_store::RedisStore;
use uuid::Uuid;

use super::cache::Cache;
use super::config::Config;
use super::password::{hash_password, verify_password};
use super::{BackendError, db};
use crate::model::{Email, Role, UserView};

/// The user stored behind a session. The password hash never leaves the server.
#[derive(Clone)]
pub struct SessionUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl SessionUser {
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
        }
    }
}

impl AuthUser for SessionUser {
    type Id = Uuid;

    fn id(&self) -> Uuid {
        self.id
    }

    /// Sessions are tied to the password hash: changing the password signs out
    /// every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

pub struct Credentials {
    pub email: Email,
    pub password: String,
}

#[derive(Clone)]
pub struct Users {
    db: PgPool,
    /// Verified against when the email is unknown, so both failures take as long.
    decoy_hash: String,
}

impl Users {
    pub async fn new(db: PgPool) -> Result<Self, BackendError> {
        let decoy_hash = hash_password(Uuid::new_v4().to_string()).await?;
        Ok(Self { db, decoy_hash })
    }
}

impl AuthnBackend for Users {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, BackendError> {
        let user = db::users::by_email(&self.db, creds.email.as_str()).await?;
        let hash = user
            .as_ref()
            .map_or_else(|| self.decoy_hash.clone(), |u| u.password_hash.clone());
        let matches = verify_password(creds.password, hash).await?;
        Ok(user.filter(|_| matches))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, BackendError> {
        Ok(db::users::by_id(&self.db, *id).await?)
    }
}

pub type AuthSession = axum_login::AuthSession<Users>;
pub type AuthLayer = AuthManagerLayer<Users, RedisStore<Pool>>;

/// Session cookie `ts_session`: HttpOnly, SameSite=Lax, Secure under https,
/// expiring after the configured idle time.
pub async fn auth_layer(
    db: PgPool,
    cache: &Cache,
    config: &Config,
) -> Result<AuthLayer, BackendError> {
    let store = RedisStore::new(cache.pool().clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name("ts_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_https())
        .with_expiry(Expiry::OnInactivity(CookieDuration::seconds(
            config.session_idle_timeout.as_secs() as i64,
        )));
    Ok(AuthManagerLayerBuilder::new(Users::new(db).await?, sessions).build())
}
