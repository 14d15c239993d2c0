//! The child processes of a run (Stripe emulator, server instances): started with
//! their environment and log file, and always stopped — the guard's `Drop` runs on
//! success, on error and on panic, so no server outlives the bench.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::BenchResult;

pub const SERVER_BIN: &str = "target/release/server";
pub const EMULATOR_BIN: &str = "target/release/stripe-emulator";

/// A free loopback port (bound, read, released: fine for a bench).
pub fn free_port() -> BenchResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Fails early, with the fix, when a release binary is missing.
pub fn require_binary(path: &str) -> BenchResult<()> {
    if Path::new(path).is_file() {
        Ok(())
    } else {
        Err(
            format!("{path} is missing: run `make bench` (or build it) from the repository root")
                .into(),
        )
    }
}

/// Runs `target/release/server migrate` against `database_url`.
pub fn migrate(database_url: &str) -> BenchResult<()> {
    let out = Command::new(SERVER_BIN)
        .arg("migrate")
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "server migrate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// One started child.
pub struct Proc {
    pub name: String,
    pub child: Child,
    pub log: PathBuf,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Owns every child of the run; stops them all when dropped.
#[derive(Default)]
pub struct Children {
    procs: Vec<Proc>,
}

impl Children {
    /// Starts `program args` with `env` added, output to `target/bench/logs/{name}.log`.
    pub fn spawn(
        &mut self,
        name: &str,
        program: &str,
        args: &[&str],
        env: &[(&str, String)],
    ) -> BenchResult<usize> {
        let dir = Path::new(crate::OUT_DIR).join("logs");
        std::fs::create_dir_all(&dir)?;
        let log = dir.join(format!("{name}.log"));
        let out = File::create(&log)?;
        let mut command = Command::new(program);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .map_err(|err| format!("cannot start {program}: {err}"))?;
        self.procs.push(Proc {
            name: name.to_string(),
            child,
            log,
        });
        Ok(self.procs.len() - 1)
    }

    pub fn get(&self, index: usize) -> &Proc {
        &self.procs[index]
    }

    /// Every child's name and pid (for [`crate::cpu::sample`]).
    pub fn pids(&self) -> Vec<(String, u32)> {
        self.procs
            .iter()
            .map(|p| (p.name.clone(), p.pid()))
            .collect()
    }

    /// Waits until `url` answers 200 (readiness), failing if the child exits first.
    pub async fn wait_ready(&mut self, index: usize, url: &str) -> BenchResult<()> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let proc = &mut self.procs[index];
            if let Some(status) = proc.child.try_wait()? {
                return Err(format!(
                    "{} exited ({status}) before it was ready; see {}",
                    proc.name,
                    proc.log.display()
                )
                .into());
            }
            if let Ok(res) = http.get(url).send().await
                && res.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{} was not ready at {url} within 60 s", proc.name).into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Names of children that have already exited (a crash during the run).
    pub fn exited(&mut self) -> Vec<String> {
        self.procs
            .iter_mut()
            .filter_map(|p| matches!(p.child.try_wait(), Ok(Some(_))).then(|| p.name.clone()))
            .collect()
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        // SIGTERM first so servers shut down as in production, then SIGKILL.
        for proc in &self.procs {
            let _ = Command::new("kill")
                .args(["-TERM", &proc.pid().to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        for proc in &mut self.procs {
            while matches!(proc.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = proc.child.kill();
            let _ = proc.child.wait();
        }
    }
}

/// Ports and URLs of the run's processes.
pub struct Topology {
    pub emulator: String,
    pub servers: [String; 2],
}

/// Starts the Stripe emulator and two `server serve` instances sharing
/// PostgreSQL and Valkey (their own key prefix), with `hold_secs` holds, a 2 s
/// sweeper, rate limits raised (not disabled), RUST_LOG=warn and `extra` set.
pub async fn start_shop(
    children: &mut Children,
    database_url: &str,
    valkey_url: &str,
    webhook_secret: &str,
    hold_secs: u64,
    extra: &[(&str, String)],
) -> BenchResult<(Topology, [usize; 2])> {
    let emulator_port = free_port()?;
    let ports = [free_port()?, free_port()?];
    let emulator = format!("http://127.0.0.1:{emulator_port}/");
    let servers = ports.map(|p| format!("http://127.0.0.1:{p}"));
    let webhooks = servers
        .iter()
        .map(|s| format!("{s}/stripe/webhook"))
        .collect::<Vec<_>>()
        .join(",");
    let emu = children.spawn(
        "stripe-emulator",
        EMULATOR_BIN,
        &[],
        &[
            ("STRIPE_EMULATOR_ADDR", format!("127.0.0.1:{emulator_port}")),
            ("STRIPE_WEBHOOK_URL", webhooks),
            ("STRIPE_WEBHOOK_SECRET", webhook_secret.into()),
            ("STRIPE_WEBHOOK_RETRY_BASE_MS", "500".into()),
            ("RUST_LOG", "warn".into()),
        ],
    )?;
    children
        .wait_ready(emu, &format!("{emulator}_test/sessions"))
        .await?;
    let prefix = format!("bench:{}:", uuid::Uuid::new_v4());
    let mut indices = [0; 2];
    for (n, port) in ports.iter().enumerate() {
        let base = &servers[n];
        let mut env: Vec<(&str, String)> = vec![
            ("DATABASE_URL", database_url.into()),
            ("VALKEY_URL", valkey_url.into()),
            ("VALKEY_PREFIX", prefix.clone()),
            ("APP_BASE_URL", base.clone()),
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
            ("LEPTOS_SITE_ROOT", "target/site".into()),
            ("LEPTOS_ENV", "PROD".into()),
            ("RESERVATION_TIMEOUT_SECS", hold_secs.to_string()),
            ("SWEEPER_INTERVAL_SECS", "2".into()),
            // Raised for the run (every buyer comes from 127.0.0.1), never off.
            ("CHECKOUT_RATE_LIMIT_PER_MINUTE", "1000".into()),
            ("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000".into()),
            ("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000".into()),
            ("AUTH_RATE_LIMIT_PER_IP", "100000".into()),
            ("AUTH_RATE_LIMIT_PER_ACCOUNT", "1000".into()),
            ("AUTH_RATE_LIMIT_WINDOW_SECS", "600".into()),
            ("STRIPE_SECRET_KEY", "sk_test_bench".into()),
            ("STRIPE_WEBHOOK_SECRET", webhook_secret.into()),
            ("STRIPE_API_BASE", emulator.clone()),
            ("RUST_LOG", "warn".into()),
        ];
        env.extend(extra.iter().cloned());
        let index = children.spawn(
            &format!("server-{}", ["a", "b"][n]),
            SERVER_BIN,
            &["serve"],
            &env,
        )?;
        children
            .wait_ready(index, &format!("{base}/readyz"))
            .await?;
        indices[n] = index;
    }
    Ok((Topology { emulator, servers }, indices))
}

/// Peak resident set size (VmHWM) of a live process, in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
