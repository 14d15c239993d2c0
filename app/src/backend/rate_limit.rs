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

/// Sign-in attempts are counted per client address, per (account, client) pair
/// and, with a much higher ceiling, per account from everywhere, before the
/// password is checked (so a burst of parallel guesses is refused too); a
/// success forgives its own attempt and clears its pair's count. So only
/// failures add up, and a stranger's wrong guesses never lock the owner out
/// when signing in from another address.
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

    /// Before the password is checked: counts this attempt, and refuses it when
    /// any count goes past its limit.
    pub async fn attempt(&self) -> BackendResult<()> {
        let config = &self.state.config;
        let cache = &self.state.cache;
        hit(cache, &self.client, config.auth_limit_ip()).await?;
        hit(cache, &self.pair, config.auth_limit_account()).await?;
        hit(cache, &self.account, config.auth_limit_account_global()).await
    }

    /// The right password: this attempt is forgiven, and so are this client's
    /// earlier failures on this account.
    pub async fn succeeded(&self) -> BackendResult<()> {
        let cache = &self.state.cache;
        let key = |bucket: &str| cache.key(&format!("rl:{bucket}"));
        let _: i64 = cache.pool().del(key(&self.pair)).await?;
        for bucket in [&self.client, &self.account] {
            let left: i64 = cache.pool().decr(key(bucket)).await?;
            // Its window ended meanwhile: no counter is left behind without an expiry.
            if left <= 0 {
                let _: i64 = cache.pool().del(key(bucket)).await?;
            }
        }
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

/// Messages asked for one address (verification, reset, address change): the
/// shop must not become a way to flood someone's inbox.
pub async fn limit_mail_to(state: &AppState, email: &str) -> BackendResult<()> {
    hit(
        &state.cache,
        &format!("mail:to:{email}"),
        Limit {
            max: state.config.mail_limit_per_address_per_hour,
            window_secs: 3600,
        },
    )
    .await
}
