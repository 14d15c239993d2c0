//! Closed-loop GET load: a fixed number of connections, each sending the next
//! request as soon as the previous answer is read, for a fixed time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::BenchResult;
use crate::stats::Latencies;

/// What browsers send (Chromium's Accept-Encoding), so the server compresses as it
/// would for real visitors.
pub const BROWSER_HEADERS: [(&str, &str); 2] = [
    (
        "accept",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ),
    ("accept-encoding", "gzip, deflate, br, zstd"),
];

#[derive(Debug, Default)]
pub struct Load {
    pub ok: usize,
    pub failed: usize,
    /// Bytes per answer as sent (compressed when the server compressed).
    pub bytes: usize,
    pub per_s: f64,
    pub latencies: Latencies,
}

/// GETs `url` on `connections` connections (one client each) for `duration`.
pub async fn get_for(url: &str, connections: usize, duration: Duration) -> BenchResult<Load> {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()?;
        let (stop, url) = (stop.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut load = Load::default();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let mut request = client.get(&url);
                for (name, value) in BROWSER_HEADERS {
                    request = request.header(name, value);
                }
                let answer = match request.send().await {
                    Ok(res) if res.status().is_success() => res.bytes().await.ok(),
                    _ => None,
                };
                load.latencies.push(t.elapsed());
                match answer {
                    Some(body) => {
                        load.ok += 1;
                        load.bytes = body.len();
                    }
                    None => load.failed += 1,
                }
            }
            load
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = Load::default();
    for task in tasks {
        let load = task.await?;
        total.ok += load.ok;
        total.failed += load.failed;
        total.bytes = total.bytes.max(load.bytes);
        total.latencies.extend(&load.latencies);
    }
    total.per_s = total.ok as f64 / started.elapsed().as_secs_f64();
    Ok(total)
}
