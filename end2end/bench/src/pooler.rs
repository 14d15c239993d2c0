//! PgBouncer in transaction mode between the shop's instances and
//! PostgreSQL (scripts/pgbouncer.sh), as a production deployment runs it: the
//! bench's servers hold no session state on their connections, so a few
//! server connections carry every instance's transactions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;

use crate::BenchResult;

/// Server connections PgBouncer keeps to PostgreSQL (per database and user):
/// about what two cores can use at once, fewer than the instances' pools ask.
pub const POOL_SIZE: u32 = 20;

const SCRIPT: &str = "scripts/pgbouncer.sh";

/// How the instances reach PostgreSQL, as the reports say it.
pub fn route() -> String {
    if std::env::var_os("BENCH_WITHOUT_POOLER").is_some() {
        "direct".into()
    } else {
        format!("pgbouncer 1.24 transaction mode, {POOL_SIZE} server connections")
    }
}

/// A running PgBouncer, stopped (and its directory removed) when dropped.
pub struct Pooler {
    dir: PathBuf,
    /// What the instances connect to.
    pub url: String,
}

impl Pooler {
    /// Starts one on `port` in front of the PostgreSQL `direct` names (on
    /// loopback), for the same database.
    pub fn start(direct: &str, port: u16) -> BenchResult<Self> {
        let options = PgConnectOptions::from_str(direct)?;
        let database = options.get_database().unwrap_or("ticket_sales").to_string();
        let dir = Path::new(".data").join(format!("bench-pgbouncer-{port}"));
        let out = Command::new(SCRIPT)
            .args([
                "start",
                dir.to_str().ok_or("a path in UTF-8")?,
                &port.to_string(),
                &options.get_port().to_string(),
            ])
            .env("PGBOUNCER_POOL_SIZE", POOL_SIZE.to_string())
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "{SCRIPT} start failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(Self {
            dir,
            url: format!("postgres://ticket_sales@127.0.0.1:{port}/{database}"),
        })
    }
}

impl Drop for Pooler {
    fn drop(&mut self) {
        let _ = Command::new(SCRIPT).arg("stop").arg(&self.dir).output();
    }
}
