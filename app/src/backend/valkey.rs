//! Valkey (or Redis) through fred: a small pool with automatic reconnection and
//! a key prefix, so several shops or test runs can share one server.

use std::sync::Arc;
use std::time::Duration;

use crate::backend::error::BackendResult;
use fred::prelude::{Builder, ClientLike, Config, Pool, ReconnectPolicy};

#[derive(Clone)]
pub struct Valkey {
    pool: Pool,
    prefix: Arc<str>,
}

impl Valkey {
    /// Builds the pool and starts connecting. Startup waits briefly for the first
    /// connection, but an unreachable Valkey does not stop the shop: fred keeps
    /// reconnecting in the background and commands fail fast meanwhile.
    pub async fn connect(url: &str, prefix: &str) -> BackendResult<Self> {
        let config = Config::from_url(url)?;
        let pool = Builder::from_config(config)
            .with_connection_config(|conn| {
                conn.connection_timeout = Duration::from_secs(2);
                conn.internal_command_timeout = Duration::from_secs(2);
            })
            .with_performance_config(|perf| {
                perf.default_command_timeout = Duration::from_secs(2);
            })
            // Retry for ever, backing off from 100 ms to 2 s.
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
            .build_pool(4)?;
        pool.connect_pool();
        if tokio::time::timeout(Duration::from_secs(3), pool.wait_for_connect())
            .await
            .is_err()
        {
            tracing::warn!("Valkey is not reachable yet; carts are unavailable until it is");
        }
        Ok(Self {
            pool,
            prefix: prefix.into(),
        })
    }

    /// A namespaced key: every key the shop writes goes through here.
    pub fn key(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Round-trips a PING, for the readiness probe.
    pub async fn ping(&self) -> BackendResult<()> {
        let _: String = self.pool.next().ping(None).await?;
        Ok(())
    }

    pub async fn quit(&self) {
        let _ = self.pool.quit().await;
    }
}
