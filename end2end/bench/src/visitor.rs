//! A queued sale's visitor once they hold a place (`queued`), as the holding
//! page's script behaves: asks the public progress every few seconds, their
//! own status once after the draw (their number) and once when their number
//! has come (their admission), signs in when their turn is near and, once let
//! through, adds tickets and checks out. The same code runs the plain crowd,
//! the humans of the attack run and the attacker's places, which differ only
//! in the address their requests come from and the account they buy with.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::shop::{Buyer, Checkout};
use crate::stats::Latencies;
use crate::waiting_room::{self, Cookies, Status};

/// One visitor's run through the queue.
#[derive(Debug, Default)]
pub struct Visit {
    /// Their number from the draw (1 is first).
    pub number: Option<u64>,
    pub admitted_at: Option<Duration>,
    pub sign_in: Option<Duration>,
    /// How long the checkout took, when it was answered (from the opening)
    /// and how.
    pub checkout: Option<(Duration, Duration, Checkout)>,
    /// The bench account that checked out.
    pub account: Option<usize>,
    pub sold_out_seen: bool,
    pub polls: Latencies,
    pub errors: Vec<String>,
}

/// Whose account a visitor buys with once let through.
pub enum Account {
    /// The next bench account in turn (the crowd without an attack: a
    /// visitor needs one only near the front).
    NextFree,
    /// This bench account (a human of the attack run).
    Own(usize),
    /// The attacker's next account in round robin (an attacker's guest place).
    Attacker,
    /// Signed in already, the place its own (an attacker's account place).
    SignedIn(Arc<Buyer>),
}

/// One visitor holding a place.
pub struct Visitor {
    /// Which instance they call and which ticket type they buy (index % 2).
    pub index: usize,
    /// Their browser's cookies for the shop, the place's among them.
    pub cookies: Cookies,
    /// The address their own requests say they come from (`X-Forwarded-For`);
    /// none: the bench's own.
    pub address: Option<String>,
    pub account: Account,
}

/// What every visitor shares.
pub struct Crowd {
    pub clients: Vec<reqwest::Client>,
    pub bases: Vec<String>,
    pub event: Uuid,
    pub types: [Uuid; 2],
    pub opened: Instant,
    pub poll: Duration,
    pub until: Instant,
    pub polls: AtomicUsize,
    /// Visitors whose turn is this many numbers away sign in.
    pub sign_in_ahead: u64,
    /// Tickets each buyer adds, all of one type: with every basket the same,
    /// the seats a group ends with measure the draw, not basket sizes.
    pub tickets: u32,
    /// Accounts handed to visitors about to be let through, in turn
    /// ([`Account::NextFree`]).
    pub accounts: AtomicUsize,
    pub account_count: usize,
    /// The attacker's accounts (bench indices) and its round robin over them.
    pub attacker_accounts: Range<usize>,
    pub attacker_turn: AtomicUsize,
    /// Requests in flight: the polls of everyone.
    pub gate: Semaphore,
    /// Requests in flight: a visitor's own (number, admission, sign-in,
    /// checkout), which a browser never queues behind other people's polls.
    pub own: Semaphore,
}

/// Polls until the visitor is let through (then buys) or the sale is sold
/// out, or the run's end passes.
pub async fn visit(crowd: Arc<Crowd>, mut visitor: Visitor) -> Visit {
    let i = visitor.index;
    let (client, base) = (&crowd.clients[i % 2], crowd.bases[i % 2].as_str());
    let address = visitor.address.clone();
    let address = address.as_deref();
    let mut out = Visit::default();
    let mut buyer: Option<Arc<Buyer>> = match &visitor.account {
        Account::SignedIn(buyer) => Some(buyer.clone()),
        _ => None,
    };
    // Spread the first polls over one interval, as page loads would be.
    tokio::time::sleep(crowd.poll.mul_f64(rand::random::<f64>())).await;
    while Instant::now() < crowd.until {
        let asked = {
            let _permit = crowd.gate.acquire().await.expect("semaphore open");
            waiting_room::progress(client, base, crowd.event).await
        };
        crowd.polls.fetch_add(1, Ordering::Relaxed);
        let progress = match asked {
            Ok((progress, took)) => {
                out.polls.push(took);
                progress
            }
            Err(err) => {
                out.errors.push(err);
                tokio::time::sleep(crowd.poll).await;
                continue;
            }
        };
        if progress.sold_out {
            out.sold_out_seen = true;
            return out;
        }
        // After the draw: the number, once (the script spreads these asks
        // over a few seconds).
        let mut admitted_now = false;
        if progress.drawn && out.number.is_none() {
            tokio::time::sleep(progress.number_spread()).await;
            let _permit = crowd.own.acquire().await.expect("semaphore open");
            match waiting_room::status(client, base, crowd.event, &mut visitor.cookies, address)
                .await
            {
                Ok(Status::Waiting { number }) => out.number = number,
                Ok(Status::SoldOut) => {
                    out.sold_out_seen = true;
                    return out;
                }
                // Asked late: the number came with the turn.
                Ok(Status::Admitted { number }) => {
                    out.number = number;
                    admitted_now = true;
                }
                Err(err) => out.errors.push(err),
            }
        }
        if buyer.is_none()
            && out
                .number
                .is_some_and(|n| n <= progress.admitted_to + crowd.sign_in_ahead)
        {
            match sign_in(&crowd, &visitor, &mut out).await {
                Ok(signed_in) => buyer = Some(signed_in),
                Err(err) => {
                    out.checkout =
                        Some((Duration::ZERO, crowd.opened.elapsed(), Checkout::Error(err)));
                    return out;
                }
            }
        }
        if admitted_now || out.number.is_some_and(|n| n <= progress.admitted_to) {
            let admitted = if admitted_now {
                Ok(Status::Admitted { number: out.number })
            } else {
                let _permit = crowd.own.acquire().await.expect("semaphore open");
                waiting_room::status(client, base, crowd.event, &mut visitor.cookies, address).await
            };
            match admitted {
                Ok(Status::Admitted { .. }) => {
                    out.admitted_at = Some(crowd.opened.elapsed());
                    if let Some(buyer) = &buyer {
                        for (name, value) in visitor
                            .cookies
                            .0
                            .iter()
                            .filter(|(n, _)| n.starts_with("ts_admit_"))
                        {
                            buyer.add_cookie(name, value);
                        }
                        buy(&crowd, i, buyer, &mut out).await;
                    }
                    return out;
                }
                Ok(Status::SoldOut) => {
                    out.sold_out_seen = true;
                    return out;
                }
                Ok(Status::Waiting { .. }) => {}
                Err(err) => out.errors.push(err),
            }
        }
        tokio::time::sleep(crowd.poll).await;
    }
    out
}

/// The bench account `visitor` signs in to.
fn account_for(crowd: &Crowd, visitor: &Visitor) -> Result<usize, String> {
    match &visitor.account {
        Account::NextFree => {
            let account = crowd.accounts.fetch_add(1, Ordering::Relaxed);
            if account >= crowd.account_count {
                return Err(format!(
                    "no bench account left for the {account}th to sign in"
                ));
            }
            Ok(account)
        }
        Account::Own(account) => Ok(*account),
        Account::Attacker => {
            let accounts = &crowd.attacker_accounts;
            let turn = crowd.attacker_turn.fetch_add(1, Ordering::Relaxed);
            Ok(accounts.start + turn % accounts.len().max(1))
        }
        Account::SignedIn(buyer) => Ok(buyer.index),
    }
}

/// A visitor near the front signs in, in the browser that holds their place.
async fn sign_in(crowd: &Crowd, visitor: &Visitor, out: &mut Visit) -> Result<Arc<Buyer>, String> {
    if let Account::SignedIn(buyer) = &visitor.account {
        return Ok(buyer.clone());
    }
    let account = account_for(crowd, visitor)?;
    let buyer = Buyer::from_address(
        account,
        &crowd.bases[visitor.index % 2],
        &visitor.cookies.0,
        visitor.address.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let _permit = crowd.own.acquire().await.expect("semaphore open");
    let started = Instant::now();
    buyer.sign_in().await.map_err(|e| format!("sign-in: {e}"))?;
    out.sign_in = Some(started.elapsed());
    Ok(Arc::new(buyer))
}

/// A visitor let through adds their tickets (type i % 2) and checks out.
async fn buy(crowd: &Crowd, i: usize, buyer: &Buyer, out: &mut Visit) {
    let _permit = crowd.own.acquire().await.expect("semaphore open");
    let started = Instant::now();
    out.account = Some(buyer.index);
    let outcome = match buyer.add_to_cart(crowd.types[i % 2], crowd.tickets).await {
        Ok(()) => buyer.checkout().await,
        Err(err) => Checkout::Error(format!("add to cart: {err}")),
    };
    out.checkout = Some((started.elapsed(), crowd.opened.elapsed(), outcome));
}

/// How the admitted visitors' checkouts went.
#[derive(Debug, Default)]
pub struct Checkouts {
    pub latency: Latencies,
    pub reserved: Vec<String>,
    pub last_reservation: Duration,
    pub sold_out: usize,
    pub errors: Vec<String>,
    /// Attacker admissions that bought nothing new: their account's one
    /// admission was spent (refused "not admitted"), or its order was
    /// already held (the same payment page again).
    pub wasted_not_admitted: usize,
    pub wasted_resumed: usize,
}

impl Checkouts {
    /// Sorts the checkouts of admitted `visits`, each flagged when it is the
    /// attacker's. A session seen twice is paid once.
    pub fn of<'a>(visits: impl Iterator<Item = (bool, &'a Visit)>) -> Self {
        let mut out = Self::default();
        let mut sessions = BTreeSet::new();
        for (attacker, v) in visits {
            let Some((latency, at, outcome)) = &v.checkout else {
                continue;
            };
            match outcome {
                Checkout::Reserved { session_id } => {
                    out.latency.push(*latency);
                    if sessions.insert(session_id.clone()) {
                        out.reserved.push(session_id.clone());
                        out.last_reservation = out.last_reservation.max(*at);
                    } else if attacker {
                        out.wasted_resumed += 1;
                    } else {
                        out.errors
                            .push(format!("the same payment page twice: {session_id}"));
                    }
                }
                Checkout::SoldOut => {
                    out.latency.push(*latency);
                    out.sold_out += 1
                }
                Checkout::NotAdmitted if attacker => out.wasted_not_admitted += 1,
                Checkout::NotAdmitted => out.errors.push("not admitted".into()),
                // Nobody in this crowd has a code.
                Checkout::CodeRefused => out.errors.push("code refused".into()),
                Checkout::Error(text) => out.errors.push(text.clone()),
            }
        }
        out
    }
}

/// How far the order seen matches the draw: pairs let through in the drawn
/// order (or within one poll interval) out of all pairs.
pub fn order_agreement(admitted: &[&Visit], poll: Duration) -> f64 {
    let mut by_draw: Vec<(u64, Duration)> = admitted
        .iter()
        .map(|v| (v.number.unwrap_or(0), v.admitted_at.unwrap_or_default()))
        .collect();
    by_draw.sort();
    let (mut agree, mut pairs) = (0u64, 0u64);
    for (n, (_, a)) in by_draw.iter().enumerate() {
        for (_, b) in &by_draw[n + 1..] {
            pairs += 1;
            if *a <= *b + poll {
                agree += 1;
            }
        }
    }
    if pairs == 0 {
        1.0
    } else {
        agree as f64 / pairs as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bought(outcome: Checkout) -> Visit {
        Visit {
            admitted_at: Some(Duration::from_secs(1)),
            checkout: Some((Duration::from_millis(5), Duration::from_secs(2), outcome)),
            ..Visit::default()
        }
    }

    #[test]
    fn an_account_used_again_wastes_the_attackers_admission() {
        let reserved = |id: &str| {
            bought(Checkout::Reserved {
                session_id: id.into(),
            })
        };
        let visits = [
            (false, reserved("cs_1")),
            (true, reserved("cs_2")),
            // The attacker's account again: its order's page, or refused.
            (true, reserved("cs_2")),
            (true, bought(Checkout::NotAdmitted)),
            // A human refused is an error.
            (false, bought(Checkout::NotAdmitted)),
            (false, bought(Checkout::SoldOut)),
        ];
        let out = Checkouts::of(visits.iter().map(|(attacker, v)| (*attacker, v)));
        assert_eq!(out.reserved, ["cs_1", "cs_2"]);
        assert_eq!((out.wasted_resumed, out.wasted_not_admitted), (1, 1));
        assert_eq!(out.errors, ["not admitted"]);
        assert_eq!((out.sold_out, out.latency.len()), (1, 4));
    }
}
