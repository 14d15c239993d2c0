//! Benchmarks of the release build of the shop, run against real processes:
//! the release `server` (two instances for the rush), the Stripe emulator,
//! the project's PostgreSQL and Valkey. Nothing here is a test: the binaries
//! `rush` and `pages` print figures and write them as JSON under `target/bench/`.
//!
//! Modules each do one job: [`processes`] starts and always stops the children
//! ([`balancer`] configures HAProxy in front of them, [`pooler`] PgBouncer
//! behind them),
//! [`database`] makes a throw-away database, [`fixture`] fills it with SQL,
//! [`shop`] speaks the browser's HTTP interface, [`waiting_room`] a
//! waiting visitor's, [`visitor`] runs one through a queued sale, [`attack`]
//! is a bot attack on the queue and [`under_attack`] the humans beside it
//! and the figures, [`load`] runs a crowd of buyers,
//! [`http_load`] times plain GETs, [`probe`] times the home page during a rush,
//! [`settle`] pays and waits for the shop to agree, [`ceiling`] measures bare
//! PostgreSQL, [`stats`] computes percentiles and [`report`] checks and prints.

pub mod attack;
pub mod balancer;
pub mod ceiling;
pub mod cpu;
pub mod database;
pub mod fixture;
pub mod http_load;
pub mod load;
pub mod pooler;
pub mod probe;
pub mod processes;
pub mod report;
pub mod settle;
pub mod shop;
pub mod stats;
pub mod under_attack;
pub mod visitor;
pub mod waiting_room;

/// Any failure of the bench itself (not a measured refusal): reported and the run stops.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The `METRICS_TOKEN` the bench's servers serve `/metrics` to on their own port.
pub const METRICS_TOKEN: &str = "bench-metrics-token-0123456789";

/// Where the figures are written.
pub const OUT_DIR: &str = "target/bench";

/// Writes `value` pretty-printed to `target/bench/{name}`.
pub fn write_json(name: &str, value: &serde_json::Value) -> BenchResult<std::path::PathBuf> {
    std::fs::create_dir_all(OUT_DIR)?;
    let path = std::path::Path::new(OUT_DIR).join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value)? + "\n")?;
    Ok(path)
}

/// Runs a bench to its exit status: success when it ran and its checks passed.
/// On Ctrl-C the run is dropped, and with it its process guard, so the children
/// stop too.
pub async fn run_to_exit(
    name: &str,
    run: impl std::future::Future<Output = BenchResult<bool>>,
) -> std::process::ExitCode {
    let started = std::time::Instant::now();
    let result = tokio::select! {
        result = run => result,
        _ = tokio::signal::ctrl_c() => Err("interrupted".into()),
    };
    match result {
        Ok(passed) => {
            eprintln!("{name}: took {:.0} s", started.elapsed().as_secs_f64());
            if passed {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            }
        }
        Err(err) => {
            eprintln!("{name}: failed: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Where a bench finds PostgreSQL and Valkey (each bench makes its own database
/// and key prefix there).
#[derive(clap::Args, Debug)]
pub struct Services {
    /// Any database URL on the PostgreSQL to use; the bench makes its own database there.
    #[arg(long, env = "DATABASE_URL", default_value = database::DEFAULT_DATABASE_URL)]
    pub database_url: String,
    #[arg(long, env = "VALKEY_URL", default_value = "redis://127.0.0.1:63799")]
    pub valkey_url: String,
}
