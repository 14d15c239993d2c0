//! The background task that delivers the outbox over SMTP.

use std::time::Duration;

use app::backend::mail::{Delivery, Mailer, deliver_due};
use app::backend::{AppState, metrics};
use tracing::Instrument;

/// Delivers due messages every `interval` until the process ends. Safe on any
/// number of servers: each message is claimed by one worker at a time.
pub fn spawn(state: AppState, mailer: Mailer, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let delivery = Delivery {
            lease: state.config.mail.lease,
            ..Delivery::default()
        };
        loop {
            ticker.tick().await;
            let pass = deliver_due(&state.db, &mailer, delivery)
                .instrument(tracing::info_span!("mail_worker"))
                .await;
            match pass {
                Ok(report) => {
                    metrics::mail(report.sent, report.retrying, report.failed);
                    if report != Default::default() {
                        tracing::info!(?report, "mail");
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "mail delivery pass failed; retrying next round")
                }
            }
        }
    })
}
