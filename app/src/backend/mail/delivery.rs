//! The delivery worker's pass: claim due messages, put each together, send it
//! over SMTP, record the outcome. Runs on every instance; the claim's lease
//! keeps two workers off one message.

use std::time::Duration;

use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use sqlx::PgPool;

use super::compose::{ComposeError, Composer};

use crate::backend::config::Config;
use crate::backend::error::BackendResult;
use crate::backend::links::LinkKey;
use crate::backend::outbox::{self, Claimed};
use crate::backend::retry::work_through;

/// The SMTP connection (pooled) and what messages need to be put together.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    pub composer: Composer,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

/// How much one pass takes on.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub batch: i64,
    /// Messages being sent at once.
    pub concurrency: usize,
    /// How long a claim keeps other workers off a message: longer than a send
    /// can take (the SMTP timeout below), or a slow send would be sent twice.
    pub lease: Duration,
    /// Tries before a message is marked failed. With the backoff (5 s doubling
    /// to 10 minutes) 20 tries span about two hours of an SMTP outage.
    pub tries: i32,
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            batch: 50,
            concurrency: 4,
            lease: Duration::from_secs(120),
            tries: 20,
        }
    }
}

/// One SMTP conversation may take this long before it counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    /// A mailer for `SMTP_URL`; `None` when it is not set (messages then wait).
    pub fn from_config(config: &Config) -> Result<Option<Self>, lettre::transport::smtp::Error> {
        let Some(url) = &config.mail.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Some(Self {
            transport,
            composer: Composer {
                from: config.mail.from.clone(),
                base_url: config.app_base_url.clone(),
                support_email: config.mail.support_email.clone(),
                links: LinkKey::new(config.app_secret.expose_secret().as_bytes()),
            },
        }))
    }

    /// Puts a claimed message together and sends it; the error says why not
    /// and whether trying again could help.
    pub async fn send(&self, db: &PgPool, message: &Claimed) -> Result<(), SendFailure> {
        let email = match self.composer.compose(db, message).await {
            Ok(email) => email,
            Err(ComposeError::Backend(err)) => {
                return Err(SendFailure::Transient(format!("database: {err}")));
            }
            Err(err) => return Err(SendFailure::Permanent(err.to_string())),
        };
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(err) if refused_for_good(&err) => Err(SendFailure::Permanent(err.to_string())),
            Err(err) => Err(SendFailure::Transient(err.to_string())),
        }
    }
}

/// A 55x answer is about this message (no such mailbox, content refused) and
/// will not change. Other 5xx answers, such as a refused login (535), are the
/// operator's to fix; the message waits for that instead of being dropped.
fn refused_for_good(err: &lettre::transport::smtp::Error) -> bool {
    use lettre::transport::smtp::response::{Category, Severity};
    err.is_permanent()
        && err.status().is_some_and(|code| {
            code.severity == Severity::PermanentNegativeCompletion
                && code.category == Category::MailSystem
        })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// SMTP down or slow, a 4xx answer, the database away: tried again later.
    Transient(String),
    /// Retrying cannot help: marked failed at once.
    Permanent(String),
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// One pass of the worker.
pub async fn deliver_due(
    db: &PgPool,
    mailer: &Mailer,
    delivery: Delivery,
) -> BackendResult<DeliveryReport> {
    let claimed = outbox::claim(db, delivery.batch, delivery.lease).await?;
    let outcomes: Vec<BackendResult<Outcome>> =
        work_through(claimed, delivery.concurrency, |message| async move {
            match mailer.send(db, &message).await {
                Ok(()) => {
                    outbox::mark_sent(db, message.id).await?;
                    tracing::info!(id = %message.id, kind = ?message.kind, "mail sent");
                    Ok(Outcome::Delivered)
                }
                Err(SendFailure::Permanent(reason)) => {
                    tracing::error!(id = %message.id, kind = ?message.kind, %reason, "mail failed for good");
                    outbox::failed_attempt(db, &message, &reason, true).await?;
                    Ok(Outcome::Failed)
                }
                Err(SendFailure::Transient(reason)) => {
                    let give_up = message.attempts >= delivery.tries;
                    if give_up {
                        tracing::error!(id = %message.id, kind = ?message.kind, attempts = message.attempts, %reason, "mail failed after every retry");
                    } else {
                        tracing::warn!(id = %message.id, kind = ?message.kind, attempts = message.attempts, %reason, "mail not sent; will retry");
                    }
                    outbox::failed_attempt(db, &message, &reason, give_up).await?;
                    Ok(if give_up { Outcome::Failed } else { Outcome::Retrying })
                }
            }
    })
    .await;
    let mut report = DeliveryReport::default();
    for outcome in outcomes {
        match outcome? {
            Outcome::Delivered => report.sent += 1,
            Outcome::Retrying => report.retrying += 1,
            Outcome::Failed => report.failed += 1,
        }
    }
    Ok(report)
}

enum Outcome {
    Delivered,
    Retrying,
    Failed,
}
