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

/// Peak resident set size (VmHWM) of a live process, in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
