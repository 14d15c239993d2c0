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

/// One started child, with what started it (so it can be started again).
pub struct Proc {
    pub name: String,
    pub child: Child,
    pub log: PathBuf,
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
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
    /// PgBouncer, stopped after the processes using it (fields drop after `drop`).
    pooler: Option<crate::pooler::Pooler>,
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
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let child = start(program, &args, &env, File::create(&log)?)?;
        self.procs.push(Proc {
            name: name.to_string(),
            child,
            log,
            program: program.to_string(),
            args,
            env,
        });
        Ok(self.procs.len() - 1)
    }

    /// Stops a child as an orchestrator would (SIGTERM, then SIGKILL after
    /// `grace`); returns how long it took to exit.
    pub async fn stop(&mut self, index: usize, grace: Duration) -> BenchResult<Duration> {
        let proc = &mut self.procs[index];
        let started = Instant::now();
        terminate(proc.pid());
        while proc.child.try_wait()?.is_none() {
            if started.elapsed() > grace {
                proc.child.kill()?;
                proc.child.wait()?;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(started.elapsed())
    }

    /// Starts a stopped child again, as before, its log appended to.
    pub fn restart(&mut self, index: usize) -> BenchResult<()> {
        let proc = &mut self.procs[index];
        let log = std::fs::OpenOptions::new().append(true).open(&proc.log)?;
        proc.child = start(&proc.program, &proc.args, &proc.env, log)?;
        Ok(())
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

fn start(
    program: &str,
    args: &[String],
    env: &[(String, String)],
    out: File,
) -> BenchResult<Child> {
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    Ok(command
        .spawn()
        .map_err(|err| format!("cannot start {program}: {err}"))?)
}

fn terminate(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

impl Drop for Children {
    fn drop(&mut self) {
        // SIGTERM first so servers shut down as in production, then SIGKILL.
        for proc in &self.procs {
            terminate(proc.pid());
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
    /// Each instance's own address.
    pub servers: Vec<String>,
    /// Where buyers and webhooks go: the balancer, or the instances themselves
    /// (buyer i to instance i mod n).
    pub entries: Vec<String>,
    /// The instances' child indices, in the order of `servers`.
    pub procs: Vec<usize>,
}

impl Topology {
    /// The address buyer `i` uses.
    pub fn entry_for(&self, i: usize) -> &str {
        &self.entries[i % self.entries.len()]
    }
}

/// What [`start_shop`] starts.
pub struct ShopSpec<'a> {
    pub database_url: &'a str,
    pub valkey_url: &'a str,
    pub webhook_secret: &'a str,
    pub hold_secs: u64,
    pub instances: usize,
    /// HAProxy in front of the instances (health checks on `/readyz`).
    pub balancer: bool,
    pub extra: &'a [(&'a str, String)],
}

/// Starts the Stripe emulator and `instances` `server serve` processes sharing
/// PostgreSQL and Valkey (their own key prefix), with `hold_secs` holds, a 2 s
/// sweeper, rate limits raised (not disabled), RUST_LOG=warn and `extra` set;
/// then, when asked, HAProxy in front of them.
pub async fn start_shop(children: &mut Children, spec: &ShopSpec<'_>) -> BenchResult<Topology> {
    let emulator_port = free_port()?;
    let ports = (0..spec.instances)
        .map(|_| free_port())
        .collect::<BenchResult<Vec<u16>>>()?;
    let emulator = format!("http://127.0.0.1:{emulator_port}/");
    let servers: Vec<String> = ports
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}"))
        .collect();
    let balancer_port = free_port()?;
    let entries = if spec.balancer {
        vec![format!("http://127.0.0.1:{balancer_port}")]
    } else {
        servers.clone()
    };
    let webhooks = entries
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
            ("STRIPE_WEBHOOK_SECRET", spec.webhook_secret.into()),
            ("STRIPE_WEBHOOK_RETRY_BASE_MS", "500".into()),
            ("RUST_LOG", "warn".into()),
        ],
    )?;
    children
        .wait_ready(emu, &format!("{emulator}_test/sessions"))
        .await?;
    // Every instance reaches PostgreSQL through PgBouncer in transaction
    // mode; migrations and LISTEN (`DATABASE_LISTEN_URL`) go direct.
    // BENCH_WITHOUT_POOLER=1: straight to PostgreSQL, to compare.
    migrate(spec.database_url)?;
    println!("PostgreSQL: {}", crate::pooler::route());
    let pooled = if std::env::var_os("BENCH_WITHOUT_POOLER").is_some() {
        spec.database_url.to_string()
    } else {
        let pooler = crate::pooler::Pooler::start(spec.database_url, free_port()?)?;
        let url = pooler.url.clone();
        children.pooler = Some(pooler);
        url
    };
    let prefix = format!("bench:{}:", uuid::Uuid::new_v4());
    let mut procs = Vec::new();
    for (n, port) in ports.iter().enumerate() {
        let base = &servers[n];
        let mut env: Vec<(&str, String)> = vec![
            ("DATABASE_URL", pooled.clone()),
            ("DATABASE_LISTEN_URL", spec.database_url.into()),
            ("MIGRATE_ON_SERVE", "false".into()),
            ("VALKEY_URL", spec.valkey_url.into()),
            ("VALKEY_PREFIX", prefix.clone()),
            ("APP_BASE_URL", entries[0].clone()),
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
            ("LEPTOS_SITE_ROOT", "target/site".into()),
            ("LEPTOS_ENV", "PROD".into()),
            ("RESERVATION_TIMEOUT_SECS", spec.hold_secs.to_string()),
            ("SWEEPER_INTERVAL_SECS", "2".into()),
            // Raised for the run (every buyer comes from 127.0.0.1), never off.
            ("CHECKOUT_RATE_LIMIT_PER_MINUTE", "1000".into()),
            ("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000".into()),
            ("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000".into()),
            ("AUTH_RATE_LIMIT_PER_IP", "100000".into()),
            ("AUTH_RATE_LIMIT_PER_ACCOUNT", "1000".into()),
            ("AUTH_RATE_LIMIT_WINDOW_SECS", "600".into()),
            ("STRIPE_SECRET_KEY", "sk_test_bench".into()),
            ("STRIPE_WEBHOOK_SECRET", spec.webhook_secret.into()),
            ("STRIPE_API_BASE", emulator.clone()),
            // Several instances on one machine: metrics on the shop's port,
            // behind the token, rather than on one loopback port each.
            ("METRICS_ADDR", "off".into()),
            ("METRICS_TOKEN", crate::METRICS_TOKEN.into()),
            ("RUST_LOG", "warn".into()),
        ];
        if !spec.balancer {
            // Each instance is its own origin when buyers call it directly.
            if let Some(own) = env.iter_mut().find(|(name, _)| *name == "APP_BASE_URL") {
                own.1 = base.clone();
            }
        }
        env.extend(spec.extra.iter().cloned());
        let name = format!("server-{}", (b'a' + n as u8) as char);
        let index = children.spawn(&name, SERVER_BIN, &["serve"], &env)?;
        children
            .wait_ready(index, &format!("{base}/readyz"))
            .await?;
        procs.push(index);
    }
    if spec.balancer {
        let config = crate::balancer::config(balancer_port, &ports)?;
        let index = children.spawn(
            "haproxy",
            crate::balancer::HAPROXY,
            &["-db", "-f", &config],
            &[],
        )?;
        children
            .wait_ready(index, &format!("{}/readyz", entries[0]))
            .await?;
    }
    Ok(Topology {
        emulator,
        servers,
        entries,
        procs,
    })
}

/// Peak resident set size (VmHWM) of a live process, in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
