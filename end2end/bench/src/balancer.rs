//! HAProxy (Debian's package) in front of the instances, configured as an
//! operator would: round robin, active health checks on `/readyz`, and a
//! request that could not reach an instance (refused connection, closed without
//! an answer) sent to another one.

use std::path::Path;

use crate::BenchResult;

pub const HAPROXY: &str = "/usr/sbin/haproxy";

/// Writes the configuration for `port` in front of `instances` (loopback
/// ports) and returns its path.
pub fn config(port: u16, instances: &[u16]) -> BenchResult<String> {
    if !Path::new(HAPROXY).is_file() {
        return Err(format!(
            "{HAPROXY} is missing: `scripts/install-tools.sh --test` installs Debian's haproxy"
        )
        .into());
    }
    let servers: String = instances
        .iter()
        .enumerate()
        .map(|(n, p)| {
            format!(
                "    server {} 127.0.0.1:{p} check\n",
                (b'a' + n as u8) as char
            )
        })
        .collect();
    let text = format!(
        "global
    maxconn 4096
    log stderr format short local0 notice

defaults
    mode http
    log global
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A request no instance took (connection refused while one restarts, or a
    # kept-alive connection it closed) goes to another instance.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend shop
    bind 127.0.0.1:{port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 1
{servers}"
    );
    let dir = Path::new(crate::OUT_DIR);
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("haproxy-{port}.cfg"));
    std::fs::write(&path, text)?;
    Ok(path.display().to_string())
}
