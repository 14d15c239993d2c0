//! Percentiles over a sorted vector: exact, and small enough at these sample counts.

use std::time::Duration;

/// Latency samples in milliseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    ms: Vec<f64>,
}

impl Latencies {
    pub fn push(&mut self, latency: Duration) {
        self.ms.push(latency.as_secs_f64() * 1000.0);
    }

    pub fn extend(&mut self, other: &Latencies) {
        self.ms.extend_from_slice(&other.ms);
    }

    pub fn len(&self) -> usize {
        self.ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ms.is_empty()
    }

    /// The nearest-rank percentile `p` (0..=100) in ms; 0 with no samples.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return 0.0;
        }
        let mut sorted = self.ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    pub fn max(&self) -> f64 {
        self.ms.iter().copied().fold(0.0, f64::max)
    }

    /// `{"n", "p50_ms", "p95_ms", "p99_ms", "max_ms"}`.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "n": self.len(),
            "p50_ms": round(self.percentile(50.0)),
            "p95_ms": round(self.percentile(95.0)),
            "p99_ms": round(self.percentile(99.0)),
            "max_ms": round(self.max()),
        })
    }
}

/// Two decimals, for printing and JSON.
pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut l = Latencies::default();
        for ms in 1..=100 {
            l.push(Duration::from_millis(ms));
        }
        assert_eq!(l.percentile(50.0).round(), 50.0);
        assert_eq!(l.percentile(99.0).round(), 99.0);
        assert_eq!(l.percentile(100.0).round(), 100.0);
        assert_eq!(Latencies::default().percentile(99.0), 0.0);
    }
}
