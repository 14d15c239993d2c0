//! The raw PostgreSQL ceiling for the rush's hot path: the bare conditional
//! reservation UPDATE on one hot row, autocommit, nothing in between. Whatever
//! the shop does per checkout, it cannot reserve one listing faster than this
//! row can be updated, so `reserve_per_s / ceiling` says how much of the
//! database's capacity the application delivers.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

use crate::BenchResult;

pub const UPDATE: &str = "UPDATE ticket_types SET reserved = reserved + 1 WHERE id = $1 AND quantity - reserved - sold >= 1";

/// Updates per second at one client count.
#[derive(Debug, Clone)]
pub struct Level {
    pub clients: usize,
    pub updates: u64,
    pub refused: u64,
    pub per_s: f64,
}

/// `clients` connections, each looping the UPDATE for `duration`.
pub async fn measure(
    database_url: &str,
    ticket: Uuid,
    clients: usize,
    duration: Duration,
) -> BenchResult<Level> {
    let pool = PgPoolOptions::new()
        .min_connections(clients as u32)
        .max_connections(clients as u32)
        .connect(database_url)
        .await?;
    // Open every connection (and prepare the statement) before timing.
    let mut warm = Vec::new();
    for _ in 0..clients {
        warm.push(pool.acquire().await?);
    }
    for conn in &mut warm {
        sqlx::query(UPDATE)
            .bind(ticket)
            .execute(&mut **conn)
            .await?;
    }
    drop(warm);
    let stop = Arc::new(AtomicBool::new(false));
    let (updates, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (pool, stop, updates, refused) =
            (pool.clone(), stop.clone(), updates.clone(), refused.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let done = sqlx::query(UPDATE).bind(ticket).execute(&pool).await?;
                let counter = if done.rows_affected() == 1 {
                    &updates
                } else {
                    &refused
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, sqlx::Error>(())
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    pool.close().await;
    let updates = updates.load(Ordering::Relaxed);
    Ok(Level {
        clients,
        updates,
        refused: refused.load(Ordering::Relaxed),
        per_s: updates as f64 / elapsed,
    })
}
