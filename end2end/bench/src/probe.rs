//! The home page as a visitor sees it while a rush runs: one GET every
//! `1 / per_s` seconds whatever the answers' speed (open loop, so a slow
//! server cannot slow the probe down and hide its own latency).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::http_load::BROWSER_HEADERS;
use crate::stats::Latencies;

/// What the probe saw.
#[derive(Debug, Default)]
pub struct Seen {
    pub latencies: Latencies,
    pub failed: usize,
}

impl Seen {
    /// One line: p50 / p99 / max, loads and failures.
    pub fn print(&self, label: &str) {
        crate::report::line(
            label,
            format!(
                "{:.1} / {:.1} / {:.1} ({} loads, {} failed)",
                self.latencies.percentile(50.0),
                self.latencies.percentile(99.0),
                self.latencies.max(),
                self.latencies.len(),
                self.failed
            ),
        );
    }

    pub fn summary(&self) -> serde_json::Value {
        let mut value = self.latencies.summary();
        value["failed"] = self.failed.into();
        value
    }
}

/// A running probe; [`HomeProbe::stop`] ends it and returns what it saw.
pub struct HomeProbe {
    ticker: JoinHandle<()>,
    seen: Arc<Mutex<Seen>>,
}

impl HomeProbe {
    /// Starts GETting `base_url/` (browser headers, the whole body read).
    pub fn start(base_url: &str, per_s: f64) -> Self {
        let url = format!("{base_url}/");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a reqwest client");
        let shared = seen.clone();
        let ticker = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / per_s.max(0.1)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            loop {
                tick.tick().await;
                let (client, url, seen) = (client.clone(), url.clone(), shared.clone());
                tokio::spawn(async move {
                    let started = std::time::Instant::now();
                    let mut request = client.get(&url);
                    for (name, value) in BROWSER_HEADERS {
                        request = request.header(name, value);
                    }
                    let ok = match request.send().await {
                        Ok(res) if res.status().is_success() => res.bytes().await.is_ok(),
                        _ => false,
                    };
                    let mut seen = seen.lock().await;
                    if ok {
                        seen.latencies.push(started.elapsed());
                    } else {
                        seen.failed += 1;
                    }
                });
            }
        });
        Self { ticker, seen }
    }

    /// Stops sending, lets the last answers (up to 5 s) arrive, and returns the figures.
    pub async fn stop(self) -> Seen {
        self.ticker.abort();
        tokio::time::sleep(Duration::from_millis(200)).await;
        for _ in 0..50 {
            if Arc::strong_count(&self.seen) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::mem::take(&mut *self.seen.lock().await)
    }
}
