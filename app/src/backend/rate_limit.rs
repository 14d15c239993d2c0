//! Fixed-window rate limits counted in Valkey, so every server instance shares them.

use fred::prelude::KeysInterface;
use fred::types::ExpireOptions;

use super::cache::Cache;
use super::state::AppState;
use super::{BackendError, BackendResult};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u64,
    pub window_secs: u64,
}

/// Counts one attempt in `bucket`; past the limit, refuses with the seconds left
/// in the window.
pub async fn hit(cache: &Cache, bucket: &str, limit: Limit) -> BackendResult<()> {
    let key = cache.key(&format!("rl:{bucket}"));
    let pipeline = cache.pool().next().pipeline();
    let _: () = pipeline.incr(&key).await?;
    let _: () = pipeline
        .expire(&key, limit.window_secs as i64, Some(ExpireOptions::NX))
        .await?;
    let _: () = pipeline.ttl(&key).await?;
    let (count, _, ttl): (u64, i64, i64) = pipeline.all().await?;
    if count > limit.max {
        return Err(BackendError::User(AppError::RateLimited {
            retry_after_secs: ttl.max(1) as u64,
        }));
    }
    Ok(())
}

/// Sign-in, sign-up and password changes from one client address.
pub async fn limit_auth_from_ip(state: &AppState, ip: &str) -> BackendResult<()> {
    hit(
        &state.cache,
        &format!("auth:ip:{ip}"),
        state.config.auth_limit_ip(),
    )
    .await
}

/// The same, for one account (its email address), whichever address they come from.
pub async fn limit_auth_for_account(state: &AppState, email: &str) -> BackendResult<()> {
    hit(
        &state.cache,
        &format!("auth:account:{email}"),
        state.config.auth_limit_account(),
    )
    .await
}
