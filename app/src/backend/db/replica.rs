//! A streaming replica for the pages that may be a moment behind: the
//! catalogue and an event's page. Everything that decides money or seats
//! (carts, checkout, orders, tickets, check-in, the organizer's editor) reads
//! the primary, `AppState::db`.
//!
//! How far behind the replica is, is measured, not assumed. Every
//! [`LOOK_EVERY`] this instance notes the primary's WAL position and the time,
//! then asks the replica how far it has replayed. A replica that replayed past
//! the position noted at time `t` holds every transaction committed before
//! `t`; so it is `now - t` behind at most. While that is within the bound
//! (`DATABASE_REPLICA_MAX_LAG_SECS`), reads go to the replica; past it, or
//! when either server does not answer, they go to the primary until the
//! replica catches up. A read is thus never older than the bound plus one look.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::PgPool;

/// How often the replica's lag is measured.
pub const LOOK_EVERY: Duration = Duration::from_millis(250);

/// An error a replica may give where the primary would answer (implemented
/// by the backend's error, which knows which those are).
pub trait ReplicaMayLack {
    fn replica_may_lack(&self) -> bool;
}

/// The pool reads that may be a moment behind go to.
#[derive(Clone)]
pub struct Replica {
    pool: Option<PgPool>,
    /// Whether the last look found the replica within the bound.
    fresh: Arc<AtomicBool>,
}

impl Replica {
    /// No replica: every read goes to the primary.
    pub fn none() -> Self {
        Self {
            pool: None,
            fresh: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The replica `config` names (`DATABASE_REPLICA_URL`), if any.
    pub fn for_config(
        primary: &PgPool,
        config: &crate::backend::config::Config,
    ) -> sqlx::Result<Self> {
        use secrecy::ExposeSecret;
        Ok(match &config.database_replica_url {
            Some(url) => Self::watched(
                primary.clone(),
                super::connect_lazy(url.expose_secret(), config.database_max_connections)?,
                config.database_replica_max_lag,
            ),
            None => Self::none(),
        })
    }

    /// Reads from `replica` while it is at most `bound` behind `primary`,
    /// measured by a task spawned here for as long as the pools live.
    pub fn watched(primary: PgPool, replica: PgPool, bound: Duration) -> Self {
        let this = Self {
            pool: Some(replica),
            fresh: Arc::new(AtomicBool::new(false)),
        };
        tokio::spawn(this.clone().watch(primary, bound));
        this
    }

    /// Where a read that may be `bound` old goes now: the replica while it is
    /// fresh enough, else `primary`.
    pub fn or<'a>(&'a self, primary: &'a PgPool) -> &'a PgPool {
        match &self.pool {
            Some(replica) if self.fresh.load(Ordering::Acquire) => replica,
            _ => primary,
        }
    }

    /// Whether reads go to the replica now.
    pub fn in_use(&self) -> bool {
        self.pool.is_some() && self.fresh.load(Ordering::Acquire)
    }

    /// `read` from the replica while it is fresh, else from `primary`; an
    /// answer the replica may lack (not found, no answer) is asked of the
    /// primary again.
    pub async fn read<T, E, F, Fut>(&self, primary: &PgPool, read: F) -> Result<T, E>
    where
        E: ReplicaMayLack,
        F: Fn(PgPool) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let from_replica = self.in_use();
        match read(self.or(primary).clone()).await {
            Err(err) if from_replica && err.replica_may_lack() => read(primary.clone()).await,
            other => other,
        }
    }

    async fn watch(self, primary: PgPool, bound: Duration) {
        let Some(replica) = self.pool.clone() else {
            return;
        };
        let mut lag = Lag::new(bound);
        let mut ticks = tokio::time::interval(LOOK_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // Both pools closed: the state is gone, and so is this task.
            if primary.is_closed() && replica.is_closed() {
                return;
            }
            let fresh = match look(&primary, &replica, &mut lag).await {
                Ok(fresh) => fresh,
                Err(err) => {
                    tracing::debug!(error = %err, "replica lag not measured; reading the primary");
                    false
                }
            };
            if self.fresh.swap(fresh, Ordering::AcqRel) != fresh {
                if fresh {
                    tracing::info!("the replica is within its lag bound; pages read from it");
                } else {
                    tracing::warn!(
                        "the replica is behind its lag bound or silent; pages read the primary"
                    );
                }
            }
        }
    }
}

async fn look(primary: &PgPool, replica: &PgPool, lag: &mut Lag) -> sqlx::Result<bool> {
    let noted = Instant::now();
    let written =
        sqlx::query_scalar!(r#"SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::int8 AS "lsn!""#)
            .fetch_one(primary)
            .await?;
    lag.note(noted, written);
    // NULL on a server that is not a standby: never read as a replica.
    let replayed =
        sqlx::query_scalar!(r#"SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8 AS "lsn""#)
            .fetch_one(replica)
            .await?;
    Ok(replayed.is_some_and(|replayed| lag.within(Instant::now(), replayed)))
}

/// The primary's WAL positions noted over the last bound, oldest first.
struct Lag {
    bound: Duration,
    noted: VecDeque<(Instant, i64)>,
}

impl Lag {
    fn new(bound: Duration) -> Self {
        Self {
            bound,
            noted: VecDeque::new(),
        }
    }

    fn note(&mut self, at: Instant, lsn: i64) {
        match self.noted.back_mut() {
            // Nothing written since: the later time says more.
            Some(last) if last.1 == lsn => last.0 = at,
            _ => self.noted.push_back((at, lsn)),
        }
        // Kept while still within the bound (and one look), no longer.
        while self
            .noted
            .front()
            .is_some_and(|(t, _)| at.duration_since(*t) > self.bound + LOOK_EVERY)
        {
            self.noted.pop_front();
        }
    }

    /// Whether a replica that replayed up to `replayed` is at most the bound
    /// behind until the next look: the newest position it has passed was
    /// noted recently enough.
    fn within(&self, now: Instant, replayed: i64) -> bool {
        self.noted
            .iter()
            .rev()
            .find(|(_, lsn)| *lsn <= replayed)
            .is_some_and(|(t, _)| now.duration_since(*t) + LOOK_EVERY <= self.bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_is_as_far_behind_as_the_newest_position_it_passed() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut lag = Lag::new(Duration::from_secs(2));
        lag.note(at(0), 100);
        lag.note(at(250), 100);
        lag.note(at(500), 200);
        // Replayed 100, noted last at 250 ms: 1.25 s behind at 1.5 s.
        assert!(lag.within(at(1500), 100));
        // Past the bound (with one look of margin) at 2.1 s.
        assert!(!lag.within(at(2100), 100));
        // Caught up with the newest: fresh.
        assert!(lag.within(at(2100), 200));
        // Behind everything noted: not known to be fresh.
        assert!(!lag.within(at(600), 50));
    }

    #[test]
    fn positions_older_than_the_bound_are_forgotten() {
        let start = Instant::now();
        let mut lag = Lag::new(Duration::from_secs(1));
        for i in 0..100 {
            lag.note(start + Duration::from_millis(i * 250), i as i64);
        }
        assert!(lag.noted.len() <= 6, "{}", lag.noted.len());
    }
}
