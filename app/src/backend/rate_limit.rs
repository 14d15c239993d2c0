//! Fixed-window rate limits counted in Valkey, so every server instance shares them.

use fred::prelude::KeysInterface;
use fred::types::ExpireOptions;

use super::cache::Cache;
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
