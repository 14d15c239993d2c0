//! Services of a test's own, on ports of their own: a Valkey it may kill,
//! restart or count the commands of, a Valkey Cluster, a PostgreSQL cluster
//! (with a streaming replica).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free port on loopback (bound, then released for a child process to take).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    listener.local_addr().expect("port").port()
}

/// A Valkey (or Redis) server of this test's own, on a fixed port across restarts.
pub struct ScratchValkey {
    child: Option<Child>,
    port: u16,
}

/// The first of `names` that runs (Valkey's programs, or Redis's where
/// Valkey is not packaged).
fn first_on_path<const N: usize>(names: [&'static str; N]) -> Option<&'static str> {
    names.into_iter().find(|bin| {
        Command::new(bin)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok()
    })
}

impl ScratchValkey {
    fn binary() -> &'static str {
        first_on_path(["valkey-server", "redis-server"])
            .expect("valkey-server or redis-server on PATH (scripts/install-tools.sh installs it)")
    }

    pub async fn start(port: u16) -> Self {
        Self::start_with(port, &["--port", &port.to_string()]).await
    }

    /// Listening on `port` as `args` say (plain or TLS).
    pub async fn start_with(port: u16, args: &[&str]) -> Self {
        let child = Command::new(Self::binary())
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(args)
            .stdout(Stdio::null())
            .spawn()
            .expect("valkey starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "valkey on {port} never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ScratchValkey {
            child: Some(child),
            port,
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
        }
    }
}

impl Drop for ScratchValkey {
    fn drop(&mut self) {
        self.kill();
    }
}

impl ScratchValkey {
    /// How many commands the server has run so far (`INFO stats`), this
    /// question included.
    pub async fn commands_processed(&self) -> u64 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("valkey answers");
        conn.write_all(b"*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n")
            .await
            .expect("asked");
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = conn.read(&mut buf).await.expect("read");
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer);
            // Complete once the server sent its last section's blank line.
            let complete = text.contains("\r\n\r\n") || n == 0 || text.matches("\r\n").count() > 5;
            if let Some(line) = text
                .lines()
                .find_map(|l| l.strip_prefix("total_commands_processed:"))
                .filter(|_| complete)
            {
                return line.trim().parse().expect("a count");
            }
            assert!(n > 0, "INFO answered without the count");
        }
    }
}

/// A Valkey (or Redis) Cluster of this test's own: three primaries with a
/// replica each, on free ports, node timeout 1 s (a primary killed is replaced
/// by its replica within a few seconds).
pub struct ScratchCluster {
    nodes: Vec<ScratchValkey>,
    dir: std::path::PathBuf,
}

impl ScratchCluster {
    pub async fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("ts-cluster-{}", uuid::Uuid::new_v4()));
        let mut nodes = Vec::new();
        for _ in 0..6 {
            let port = free_port();
            let node_dir = dir.join(port.to_string());
            std::fs::create_dir_all(&node_dir).expect("cluster dir");
            nodes.push(
                ScratchValkey::start_with(
                    port,
                    &[
                        "--port",
                        &port.to_string(),
                        "--dir",
                        node_dir.to_str().expect("utf-8 path"),
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "1000",
                        "--repl-diskless-sync-delay",
                        "0",
                    ],
                )
                .await,
            );
        }
        let addresses: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let created = Command::new(Self::cli_binary())
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdout(Stdio::null())
            .status()
            .expect("the cluster is created");
        assert!(created.success(), "cluster created");
        let cluster = Self { nodes, dir };
        cluster.until_healthy().await;
        cluster
    }

    /// The URL the shop's `VALKEY_URL` takes: every node, so the client finds
    /// the cluster through any that is up.
    pub fn url(&self) -> String {
        let mut nodes = self.nodes.iter().map(|n| format!("127.0.0.1:{}", n.port));
        let first = nodes.next().expect("nodes");
        let rest: Vec<String> = nodes.map(|n| format!("node={n}")).collect();
        format!("redis-cluster://{first}?{}", rest.join("&"))
    }

    /// `valkey-cli` or `redis-cli`, whichever the server's package brought.
    fn cli_binary() -> &'static str {
        first_on_path(["valkey-cli", "redis-cli"])
            .expect("valkey-cli or redis-cli on PATH (Debian's valkey-tools or redis-tools)")
    }

    fn cli(port: u16, args: &[&str]) -> Option<String> {
        let out = Command::new(Self::cli_binary())
            .args(["-p", &port.to_string()])
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Waits until every live node says the cluster is ok and every slot's
    /// primary has a replica in sync.
    pub async fn until_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let live: Vec<u16> = self
                .nodes
                .iter()
                .filter(|n| n.child.is_some())
                .map(|n| n.port)
                .collect();
            let ok = live.iter().all(|port| {
                Self::cli(*port, &["cluster", "info"])
                    .is_some_and(|info| info.contains("cluster_state:ok"))
            });
            if ok {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster never became healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Kills (SIGKILL) the primary serving `key`; returns its port.
    pub fn kill_primary_of(&mut self, key: &str) -> u16 {
        let any = self
            .nodes
            .iter()
            .find(|n| n.child.is_some())
            .expect("a live node")
            .port;
        let slot: u16 = Self::cli(any, &["cluster", "keyslot", key])
            .and_then(|s| s.trim().parse().ok())
            .expect("the key's slot");
        let nodes = Self::cli(any, &["cluster", "nodes"]).expect("cluster nodes");
        let port = nodes
            .lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let is_primary = fields.get(2)?.contains("master");
                let serves = fields[8..].iter().any(|range| {
                    let (from, to) = range.split_once('-').unwrap_or((range, range));
                    match (from.parse::<u16>(), to.parse::<u16>()) {
                        (Ok(from), Ok(to)) => (from..=to).contains(&slot),
                        _ => false,
                    }
                });
                let port = fields
                    .get(1)?
                    .split(['@', ':'])
                    .nth(1)?
                    .parse::<u16>()
                    .ok()?;
                (is_primary && serves).then_some(port)
            })
            .expect("the slot's primary");
        self.nodes
            .iter_mut()
            .find(|n| n.port == port)
            .expect("our node")
            .kill();
        port
    }
}

impl Drop for ScratchCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            node.kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PostgreSQL cluster of a test's own (scripts/scratch-postgres.sh), under
/// the project's .data like its own cluster: a path the `postgres` user can
/// reach (a private TMPDIR may not be). Destroyed when dropped.
pub struct ScratchPostgres {
    dir: std::path::PathBuf,
    pub port: u16,
}

impl ScratchPostgres {
    fn script(args: &[&str]) {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/scratch-postgres.sh");
        let out = Command::new(script)
            .args(args)
            .output()
            .expect("scratch-postgres.sh runs");
        assert!(
            out.status.success(),
            "scratch-postgres.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn at_a_new_place() -> Self {
        Self {
            dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../.data")
                .join(format!("scratch-pg-{}", uuid::Uuid::new_v4())),
            port: free_port(),
        }
    }

    /// A new cluster, started.
    pub fn new() -> Self {
        let pg = Self::at_a_new_place();
        pg.start();
        pg
    }

    /// A streaming replica of `primary` (pg_basebackup), started.
    pub fn replica_of(primary: &Self) -> Self {
        let pg = Self::at_a_new_place();
        Self::script(&[
            "replica",
            pg.dir.to_str().unwrap(),
            &pg.port.to_string(),
            &primary.port.to_string(),
        ]);
        pg
    }

    pub fn start(&self) {
        Self::script(&["start", self.dir.to_str().unwrap(), &self.port.to_string()]);
    }

    /// An immediate stop, as a crash would.
    pub fn stop(&self) {
        Self::script(&["stop", self.dir.to_str().unwrap()]);
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://ticket_sales@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        Self::script(&["destroy", self.dir.to_str().unwrap()]);
    }
}

/// PgBouncer in transaction mode in front of the PostgreSQL on `to_port`
/// (scripts/pgbouncer.sh), with `pool_size` server connections per database
/// and user. Stopped when dropped.
pub struct ScratchPgBouncer {
    dir: std::path::PathBuf,
    pub port: u16,
}

impl ScratchPgBouncer {
    fn script(args: &[&str], vars: &[(&str, String)]) {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pgbouncer.sh");
        let out = Command::new(script)
            .args(args)
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("pgbouncer.sh runs");
        assert!(
            out.status.success(),
            "pgbouncer.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn start(to_port: u16, pool_size: u32) -> Self {
        let this = Self {
            dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../.data")
                .join(format!("scratch-pgbouncer-{}", uuid::Uuid::new_v4())),
            port: free_port(),
        };
        Self::script(
            &[
                "start",
                this.dir.to_str().unwrap(),
                &this.port.to_string(),
                &to_port.to_string(),
            ],
            &[("PGBOUNCER_POOL_SIZE", pool_size.to_string())],
        );
        this
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://ticket_sales@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for ScratchPgBouncer {
    fn drop(&mut self) {
        Self::script(&["stop", self.dir.to_str().unwrap()], &[]);
    }
}
