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
    let (count, ttl) = count_one(cache, bucket, limit).await?;
    if count > limit.max {
        return Err(refusal(ttl));
    }
    Ok(())
}

/// Adds one to `bucket` (its window starts with the first), returning the count
/// and the seconds left.
async fn count_one(cache: &Cache, bucket: &str, limit: Limit) -> BackendResult<(u64, i64)> {
    let key = cache.key(&format!("rl:{bucket}"));
    let pipeline = cache.pool().next().pipeline();
    let _: () = pipeline.incr(&key).await?;
    let _: () = pipeline
        .expire(&key, limit.window_secs as i64, Some(ExpireOptions::NX))
        .await?;
    let _: () = pipeline.ttl(&key).await?;
    let (count, _, ttl): (u64, i64, i64) = pipeline.all().await?;
    Ok((count, ttl))
}

fn refusal(ttl: i64) -> BackendError {
    BackendError::User(AppError::RateLimited {
        retry_after_secs: ttl.max(1) as u64,
    })
}

/// Refuses when `bucket` already counts `limit.max` or more, without counting.
async fn at_most(cache: &Cache, bucket: &str, limit: Limit) -> BackendResult<()> {
    let key = cache.key(&format!("rl:{bucket}"));
    let pipeline = cache.pool().next().pipeline();
    let _: () = pipeline.get(&key).await?;
    let _: () = pipeline.ttl(&key).await?;
    let (count, ttl): (Option<u64>, i64) = pipeline.all().await?;
    if count.unwrap_or(0) >= limit.max {
        return Err(refusal(ttl));
    }
    Ok(())
}

/// Failed sign-ins are counted per client address, per (account, client) pair
/// and, with a much higher ceiling, per account from everywhere. Only failures
/// count, so a stranger's wrong guesses never lock the owner out when signing
/// in from another address; a success clears its own pair's count.
pub struct SignInThrottle<'a> {
    state: &'a AppState,
    client: String,
    pair: String,
    account: String,
}

impl<'a> SignInThrottle<'a> {
    pub fn new(state: &'a AppState, email: &str, ip: &str) -> Self {
        Self {
            state,
            client: format!("signin:ip:{ip}"),
            pair: format!("signin:pair:{email}:{ip}"),
            account: format!("signin:account:{email}"),
        }
    }

    /// Before the password is checked: refused while any count is full.
    pub async fn check(&self) -> BackendResult<()> {
        let config = &self.state.config;
        let cache = &self.state.cache;
        at_most(cache, &self.client, config.auth_limit_ip()).await?;
        at_most(cache, &self.pair, config.auth_limit_account()).await?;
        at_most(cache, &self.account, config.auth_limit_account_global()).await
    }

    /// A wrong password (or an unknown email).
    pub async fn failed(&self) -> BackendResult<()> {
        let config = &self.state.config;
        let cache = &self.state.cache;
        count_one(cache, &self.client, config.auth_limit_ip()).await?;
        count_one(cache, &self.pair, config.auth_limit_account()).await?;
        count_one(cache, &self.account, config.auth_limit_account_global()).await?;
        Ok(())
    }

    /// The right password: this client's failures on this account are forgiven.
    pub async fn succeeded(&self) -> BackendResult<()> {
        let _: i64 = self
            .state
            .cache
            .pool()
            .del(self.state.cache.key(&format!("rl:{}", self.pair)))
            .await?;
        Ok(())
    }
}

/// Sign-up and password changes from one client address.
pub async fn limit_auth_from_ip(state: &AppState, ip: &str) -> BackendResult<()> {
    hit(
        &state.cache,
        &format!("auth:ip:{ip}"),
        state.config.auth_limit_ip(),
    )
    .await
}

/// Sign-ups for one email address and password changes of one account,
/// whichever address they come from.
pub async fn limit_auth_for_account(state: &AppState, email: &str) -> BackendResult<()> {
    hit(
        &state.cache,
        &format!("auth:account:{email}"),
        state.config.auth_limit_account(),
    )
    .await
}
