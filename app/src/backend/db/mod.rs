//! SQL, one module per domain. Functions take a pool, connection or transaction.

pub mod applications;
pub mod catalogue;
pub mod events;
pub mod stats;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Opens the pool lazily: the server starts even while PostgreSQL is still
/// coming up, and requests fail clearly (then recover) until it is reachable.
pub fn connect_lazy(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    // Plan every statement for its actual parameters: the catalogue search's
    // optional filters (`$1 IS NULL OR ...`) would otherwise get a generic plan
    // that cannot use the full-text index.
    let options =
        PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]);
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(3))
        .connect_lazy_with(options))
}

/// The name of the constraint a database error violated, if any: how user
/// errors are recognised (never by matching message text).
pub fn violated_constraint(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}
