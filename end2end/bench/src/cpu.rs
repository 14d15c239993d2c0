//! CPU time spent by each process of a run, read from `/proc`: the server
//! instances and the emulator (by pid), PostgreSQL (every `postgres` process,
//! plus the backends that already exited, counted in the postmaster's
//! children time), PgBouncer, Valkey or Redis, and the load generator itself. CPU per
//! operation stays comparable when the machine is busy; wall-clock rates do not.

use std::collections::BTreeMap;

/// Seconds of CPU (user + system) per process group at one moment.
#[derive(Debug, Clone, Default)]
pub struct Sample(pub BTreeMap<String, f64>);

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_s() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// (utime + stime, cutime + cstime, ppid) of a process, in ticks.
fn times(pid: &str) -> Option<(u64, u64, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    let num = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((
        num(11)? + num(12)?,
        num(13)? + num(14)?,
        fields.get(1)?.parse().ok()?,
    ))
}

/// CPU seconds (user + system) the calling thread has spent: for work done
/// on threads of its own inside the load generator (`queued`'s attacker),
/// which the process's figure would mix with everything else it does.
pub fn this_thread_secs() -> Option<f64> {
    times("thread-self").map(|(own, _, _)| own as f64 / ticks_per_s())
}

fn comm(pid: &str) -> Option<String> {
    Some(
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .ok()?
            .trim()
            .to_string(),
    )
}

/// CPU so far of the named pids, of PostgreSQL, Valkey/Redis and this process.
pub fn sample(named: &[(String, u32)]) -> Sample {
    let tick = ticks_per_s();
    let mut out = BTreeMap::new();
    for (name, pid) in named {
        if let Some((own, _, _)) = times(&pid.to_string()) {
            out.insert(name.clone(), own as f64 / tick);
        }
    }
    let (mut postgres, mut valkey, mut pgbouncer) = (0u64, 0u64, 0u64);
    let pids: Vec<String> = std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
                .collect()
        })
        .unwrap_or_default();
    let postgres_pids: Vec<u32> = pids
        .iter()
        .filter(|p| comm(p).as_deref() == Some("postgres"))
        .filter_map(|p| p.parse().ok())
        .collect();
    for pid in &pids {
        match comm(pid).as_deref() {
            Some("postgres") => {
                if let Some((own, children, ppid)) = times(pid) {
                    postgres += own;
                    // The postmaster (not itself a postgres child) has reaped
                    // the backends that exited: their time is its children's.
                    if !postgres_pids.contains(&ppid) {
                        postgres += children;
                    }
                }
            }
            Some("pgbouncer") => {
                if let Some((own, _, _)) = times(pid) {
                    pgbouncer += own;
                }
            }
            Some("valkey-server" | "redis-server") => {
                if let Some((own, _, _)) = times(pid) {
                    valkey += own;
                }
            }
            _ => {}
        }
    }
    out.insert("postgresql".into(), postgres as f64 / tick);
    out.insert("valkey".into(), valkey as f64 / tick);
    out.insert("pgbouncer".into(), pgbouncer as f64 / tick);
    if let Some((own, _, _)) = times("self") {
        out.insert("load generator".into(), own as f64 / tick);
    }
    Sample(out)
}

impl Sample {
    /// CPU seconds spent by each group between `earlier` and this sample.
    pub fn since(&self, earlier: &Sample) -> BTreeMap<String, f64> {
        self.0
            .iter()
            .map(|(name, secs)| {
                (
                    name.clone(),
                    secs - earlier.0.get(name).copied().unwrap_or(0.0),
                )
            })
            .collect()
    }
}

/// CPU milliseconds per operation: each group, the total without the load
/// generator, and the total with it.
pub fn per_operation(spent: &BTreeMap<String, f64>, operations: usize) -> serde_json::Value {
    let ops = operations.max(1) as f64;
    let mut map = serde_json::Map::new();
    let mut shop = 0.0;
    for (name, secs) in spent {
        map.insert(
            name.clone(),
            serde_json::json!(crate::stats::round(secs * 1000.0 / ops)),
        );
        if name != "load generator" {
            shop += secs;
        }
    }
    let all = shop + spent.get("load generator").copied().unwrap_or(0.0);
    map.insert(
        "total without load generator".into(),
        serde_json::json!(crate::stats::round(shop * 1000.0 / ops)),
    );
    map.insert(
        "total".into(),
        serde_json::json!(crate::stats::round(all * 1000.0 / ops)),
    );
    serde_json::Value::Object(map)
}

/// Prints [`per_operation`]'s figures, one line per group.
pub fn print(label: &str, spent: &BTreeMap<String, f64>, operations: usize) {
    println!("{label} ({operations} operations), CPU ms per operation:");
    if let serde_json::Value::Object(map) = per_operation(spent, operations) {
        for (name, ms) in map {
            crate::report::line(&name, ms);
        }
    }
}
