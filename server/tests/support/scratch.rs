//! Services of a test's own: a Valkey it may kill, restart or count the
//! commands of, on a port of its own.

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

impl ScratchValkey {
    fn binary() -> &'static str {
        ["valkey-server", "redis-server"]
            .into_iter()
            .find(|bin| {
                Command::new(bin)
                    .arg("--version")
                    .stdout(Stdio::null())
                    .status()
                    .is_ok()
            })
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
            if let Some(line) = text
                .lines()
                .find_map(|l| l.strip_prefix("total_commands_processed:"))
            {
                if text.contains("\r\n\r\n") || n == 0 || text.matches("\r\n").count() > 5 {
                    return line.trim().parse().expect("a count");
                }
            }
            assert!(n > 0, "INFO answered without the count");
        }
    }
}
