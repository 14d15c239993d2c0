//! Crowds of buyers: signing everyone in before the clock starts, and rush rounds
//! that release a set of buyers at once through a fixed number of concurrent
//! connections, recording every checkout's latency and outcome.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::BenchResult;
use crate::shop::{Buyer, Checkout};
use crate::stats::Latencies;

/// Signs every buyer in, `concurrency` at a time; returns how long it took.
pub async fn sign_in_all(buyers: &Arc<Vec<Buyer>>, concurrency: usize) -> BenchResult<Duration> {
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = Vec::with_capacity(buyers.len());
    for i in 0..buyers.len() {
        let (buyers, gate) = (buyers.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await?;
            buyers[i].sign_in().await
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(started.elapsed())
}

/// One buyer's try in a round.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub buyer: usize,
    /// Add-to-cart latency and its error, when the round adds to the cart first.
    pub cart: Option<(Duration, Result<(), String>)>,
    /// When the checkout answer arrived, since the round's release.
    pub answered_at: Duration,
    pub latency: Duration,
    pub outcome: Checkout,
}

/// Every attempt of a round, in the order their answers arrived.
#[derive(Debug, Default)]
pub struct Round {
    pub attempts: Vec<Attempt>,
}

impl Round {
    pub fn reserved(&self) -> impl Iterator<Item = (&Attempt, &str)> {
        self.attempts.iter().filter_map(|a| match &a.outcome {
            Checkout::Reserved { session_id } => Some((a, session_id.as_str())),
            _ => None,
        })
    }

    pub fn sold_out(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts
            .iter()
            .filter(|a| a.outcome == Checkout::SoldOut)
    }

    /// Refused because their code's uses were all taken.
    pub fn code_refused(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts
            .iter()
            .filter(|a| a.outcome == Checkout::CodeRefused)
    }

    /// Anything else; a rush has no queue, so "not admitted" is one too.
    pub fn errors(&self) -> impl Iterator<Item = (&Attempt, &str)> {
        self.attempts.iter().filter_map(|a| match &a.outcome {
            Checkout::Error(text) => Some((a, text.as_str())),
            Checkout::NotAdmitted => Some((a, "422: not admitted (NotAdmitted)")),
            _ => None,
        })
    }

    /// Attempts whose checkout POST was sent (add-to-cart did not fail first).
    pub fn posted(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts
            .iter()
            .filter(|a| !matches!(a.cart, Some((_, Err(_)))))
    }

    pub fn checkout_latencies(&self) -> Latencies {
        let mut l = Latencies::default();
        self.posted().for_each(|a| l.push(a.latency));
        l
    }

    pub fn cart_latencies(&self) -> Latencies {
        let mut l = Latencies::default();
        self.attempts
            .iter()
            .filter_map(|a| a.cart.as_ref())
            .for_each(|(d, _)| l.push(*d));
        l
    }

    /// When the last checkout answer arrived (the round's window).
    pub fn last_answer(&self) -> Duration {
        self.posted()
            .map(|a| a.answered_at)
            .max()
            .unwrap_or_default()
    }

    /// When the last successful reservation's answer arrived.
    pub fn last_reservation(&self) -> Duration {
        self.reserved()
            .map(|(a, _)| a.answered_at)
            .max()
            .unwrap_or_default()
    }
}

/// Releases `who` at once: each buyer (optionally adds one ticket of one of
/// the `add` types, buyer `i` taking type `i % add.len()`, then) POSTs
/// checkout, at most `connections` requests in flight.
pub async fn round(
    buyers: &Arc<Vec<Buyer>>,
    who: &[usize],
    add: &[Uuid],
    connections: usize,
) -> Round {
    let gate = Arc::new(Semaphore::new(connections));
    let release = Instant::now();
    let mut tasks = Vec::with_capacity(who.len());
    for &i in who {
        let (buyers, gate) = (buyers.clone(), gate.clone());
        let add = (!add.is_empty()).then(|| add[i % add.len()]);
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.expect("semaphore open");
            let buyer = &buyers[i];
            let cart = match add {
                Some(ticket) => {
                    let t = Instant::now();
                    let added = buyer.add_to_cart(ticket, 1).await;
                    Some((t.elapsed(), added))
                }
                None => None,
            };
            let started = Instant::now();
            let outcome = match &cart {
                Some((_, Err(err))) => Checkout::Error(format!("add to cart: {err}")),
                _ => buyer.checkout().await,
            };
            Attempt {
                buyer: i,
                cart,
                answered_at: release.elapsed(),
                latency: started.elapsed(),
                outcome,
            }
        }));
    }
    let mut attempts = Vec::with_capacity(tasks.len());
    for task in tasks {
        if let Ok(attempt) = task.await {
            attempts.push(attempt);
        }
    }
    attempts.sort_by_key(|a| a.answered_at);
    Round { attempts }
}
