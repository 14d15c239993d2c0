//! Authentication with axum-login: users from PostgreSQL (kept per instance
//! while unchanged: `db::known_users`), sessions in Valkey.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use uuid::Uuid;

use super::config::Config;
use super::db;
use super::password::{hash_password, verify_password};
use super::sessions::ValkeySessions;
use super::valkey::Valkey;
use crate::backend::error::BackendError;
use crate::error::AppError;
use crate::model::{Email, Role, UserView};

/// The user behind a session, loaded from PostgreSQL (or this instance's
/// copy while the account is unchanged: `db::known_users`) on each request. The
/// password hash never leaves the server: the session in Valkey keeps only a
/// digest of it (see [`SessionUser::session_auth_hash`]).
#[derive(Clone)]
pub struct SessionUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The address was proved by a mailed link (needed before checkout).
    pub email_verified: bool,
    pub password_hash: String,
    /// SHA-256 of the password hash, what the session stores to notice a password change.
    session_digest: [u8; 32],
}

impl From<db::users::UserRow> for SessionUser {
    fn from(row: db::users::UserRow) -> Self {
        Self::new(
            row.id,
            row.name,
            row.email,
            row.role,
            row.email_verified,
            row.password_hash,
        )
    }
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
    pub fn new(
        id: Uuid,
        name: String,
        email: String,
        role: Role,
        email_verified: bool,
        password_hash: String,
    ) -> Self {
        let session_digest = Sha256::new()
            .chain_update(b"ticket-sales session v1\0")
            .chain_update(password_hash.as_bytes())
            .finalize()
            .into();
        Self {
            id,
            name,
            email,
            role,
            email_verified,
            password_hash,
            session_digest,
        }
    }

    /// The same user after a password change.
    pub fn with_password_hash(&self, password_hash: String) -> Self {
        Self::new(
            self.id,
            self.name.clone(),
            self.email.clone(),
            self.role,
            self.email_verified,
            password_hash,
        )
    }

    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            email_verified: self.email_verified,
        }
    }
}

impl AuthUser for SessionUser {
    type Id = Uuid;

    fn id(&self) -> Uuid {
        self.id
    }

    /// Sessions are tied to the password: changing it signs out every other
    /// session. What Valkey keeps is a digest, never the argon2 hash itself (whose
    /// salt stays in PostgreSQL, so the digest gives nothing to crack).
    fn session_auth_hash(&self) -> &[u8] {
        &self.session_digest
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
    /// The session users this instance has read, while unchanged.
    known: db::known_users::KnownUsers<SessionUser>,
}

impl Users {
    /// `listen_via`: where the `LISTEN` for changed users connects
    /// (`DATABASE_LISTEN_URL`, else `db`).
    pub async fn new(db: PgPool, listen_via: PgPool) -> Result<Self, BackendError> {
        let decoy_hash = hash_password(Uuid::new_v4().to_string()).await?;
        let known = db::known_users::KnownUsers::listen(db.clone(), listen_via);
        Ok(Self {
            db,
            decoy_hash,
            known,
        })
    }
}

impl AuthnBackend for Users {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, BackendError> {
        let user = db::users::by_email(&self.db, creds.email.as_str())
            .await?
            .map(SessionUser::from);
        let hash = user
            .as_ref()
            .map_or_else(|| self.decoy_hash.clone(), |u| u.password_hash.clone());
        let matches = verify_password(creds.password, hash).await?;
        Ok(user.filter(|_| matches))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, BackendError> {
        self.known
            .get_or_load(*id, || async {
                Ok(db::users::by_id(&self.db, *id)
                    .await?
                    .map(SessionUser::from))
            })
            .await
    }
}

pub type AuthSession = axum_login::AuthSession<Users>;
pub type AuthLayer = AuthManagerLayer<Users, ValkeySessions>;

/// The session cookie's name: under https with the `__Host-` prefix, which the
/// browser accepts only from this host over https, path `/`, no Domain (so a
/// sibling subdomain cannot plant or overwrite it).
pub fn session_cookie_name(config: &Config) -> &'static str {
    if config.is_https() {
        "__Host-ts_session"
    } else {
        "ts_session"
    }
}

/// Session cookie (see [`session_cookie_name`]): HttpOnly, SameSite=Lax, Secure
/// under https, expiring after the configured idle time.
pub async fn auth_layer(
    db: PgPool,
    valkey: &Valkey,
    config: &Config,
) -> Result<AuthLayer, BackendError> {
    let store = ValkeySessions::new(valkey.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(session_cookie_name(config))
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_https())
        .with_expiry(Expiry::OnInactivity(CookieDuration::seconds(
            config.session_idle_timeout.as_secs() as i64,
        )));
    let listen_via = match &config.database_listen_url {
        Some(url) => db::connect_lazy(secrecy::ExposeSecret::expose_secret(url), 1)?,
        None => db.clone(),
    };
    Ok(AuthManagerLayerBuilder::new(Users::new(db, listen_via).await?, sessions).build())
}

/// When a signed-in session was last marked in use (seconds since the epoch).
const TOUCHED_AT: &str = "touched_at";

/// Keeps a session in use alive. Sessions end after `SESSION_IDLE_TIMEOUT_SECS`
/// without use, but tower-sessions pushes the expiry forward only when it saves
/// a session, and most requests only read it: so every quarter of the idle time
/// a request marks the session, which saves it with a fresh expiry (in the cookie
/// and in Valkey). Anonymous, empty sessions are left alone (nothing is stored
/// for visitors who never signed in or added to a cart).
///
/// Done before the request is handled: once a page's streaming render has
/// started it may hold the session's lock until its body is read, which would
/// never happen while this waited for the lock.
pub async fn keep_session_alive(
    State(idle): State<std::time::Duration>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if !session.is_empty().await {
        let every = (idle.as_secs() / 4).max(1) as i64;
        let touched: Option<i64> = session.get(TOUCHED_AT).await.ok().flatten();
        if touched.is_none_or(|at| chrono::Utc::now().timestamp() - at >= every) {
            mark_in_use(&session).await;
        }
    }
    next.run(request).await
}

/// Marks the session as used now, so it is saved with a fresh expiry.
pub async fn mark_in_use(session: &Session) {
    if let Err(err) = session
        .insert(TOUCHED_AT, chrono::Utc::now().timestamp())
        .await
    {
        tracing::warn!(error = %err, "session not refreshed");
    }
}

/// A session store failure while signing in or out, as the user sees it.
impl From<axum_login::Error<Users>> for AppError {
    fn from(err: axum_login::Error<Users>) -> Self {
        match err {
            axum_login::Error::Backend(err) => err.into(),
            axum_login::Error::Session(err) => {
                tracing::error!(error = %err, "session store failed");
                AppError::SessionsUnavailable
            }
        }
    }
}
