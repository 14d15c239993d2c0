//! The background task that releases holds whose time ran out.

use std::time::Duration;

use app::backend::jobs::{Sweep, sweep_with};
use app::backend::{AppState, metrics};
use tracing::Instrument;

/// Sweeps every `interval` until the process ends. Safe on any number of servers.
pub fn spawn(state: AppState, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let sweep = Sweep {
                offer_hold: state.config.waiting_list_offer,
                ..Sweep::default()
            };
            let pass = sweep_with(&state.db, &state.valkey, state.payments.as_deref(), sweep)
                .instrument(tracing::info_span!("sweep"))
                .await;
            match pass {
                Ok(report) => {
                    metrics::swept(&report.actions());
                    if report != Default::default() {
                        tracing::info!(?report, "sweeper");
                    }
                }
                Err(err) => {
                    metrics::sweep_failed();
                    tracing::warn!(error = %err, "sweep failed; retrying next round");
                }
            }
        }
    })
}
