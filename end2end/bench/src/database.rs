//! A throw-away database per benchmark on the project's PostgreSQL: dropped and
//! created afresh each run, then migrated by the release server binary itself.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgPool};

use crate::BenchResult;
use crate::processes::migrate;

/// The project's PostgreSQL (scripts/services.sh), unless DATABASE_URL says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "postgres://ticket_sales@127.0.0.1:54329/ticket_sales";

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> BenchResult<String> {
    let mut parsed = reqwest::Url::parse(url)?;
    parsed.set_path(&format!("/{name}"));
    Ok(parsed.to_string())
}

/// Drops and creates `name` (connecting through `admin_url`'s server), migrates
/// it, and returns its URL and a pool of `pool_size` connections.
pub async fn fresh(admin_url: &str, name: &str, pool_size: u32) -> BenchResult<(String, PgPool)> {
    let mut admin = PgConnectOptions::from_str(&with_database(admin_url, "postgres")?)?
        .connect()
        .await?;
    // `name` is one of the benches' own constants, never input.
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await?;
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let url = with_database(admin_url, name)?;
    migrate(&url)?;
    let pool = PgPoolOptions::new()
        .max_connections(pool_size)
        .connect(&url)
        .await?;
    Ok((url, pool))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database(DEFAULT_DATABASE_URL, "ticket_sales_bench").unwrap(),
            "postgres://ticket_sales@127.0.0.1:54329/ticket_sales_bench"
        );
    }
}
