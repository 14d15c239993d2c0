//! Who is asking: the signed-in user and their role, checked on the server in
//! every server function. A refusal is an error, never a redirect that keeps going.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use leptos::prelude::use_context;

use super::auth::{AuthSession, SessionUser};
use super::state::AppState;
use crate::error::AppError;
use crate::model::Role;

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|err| {
        tracing::error!(error = %err, "auth session unavailable");
        AppError::SessionsUnavailable
    })
}

pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(auth_session().await?.user)
}

/// The signed-in user, or 401.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user with exactly this role, or 401 / 403.
pub async fn require_role(role: Role) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller's IP address, for rate limits. `X-Forwarded-For` is only believed
/// when the shop is configured to sit behind a proxy that sets it.
pub fn client_ip(state: &AppState) -> String {
    let parts = use_context::<Parts>();
    if state.config.trust_forwarded_for
        && let Some(forwarded) = parts
            .as_ref()
            .and_then(|p| p.headers.get("x-forwarded-for"))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return forwarded.trim().to_string();
    }
    parts
        .as_ref()
        .and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>())
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Signs `user` in on this session under a fresh session id, whatever the session
/// held before (an anonymous visit or another account): a session id known
/// before sign-in is never one that carries it.
pub async fn sign_in_as(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    let mut auth = auth_session().await?;
    // A guest's cart joins the buyer's; Valkey being down must not block signing in.
    if let Err(err) = super::carts::merge_at_sign_in(&state.cache, &auth, user.id).await {
        tracing::warn!(error = %err, "guest cart not merged at sign-in");
    }
    auth.session.cycle_id().await.map_err(|err| {
        tracing::error!(error = %err, "session store failed");
        AppError::SessionsUnavailable
    })?;
    auth.login(user).await?;
    Ok(())
}
