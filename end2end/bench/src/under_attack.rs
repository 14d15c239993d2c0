//! `queued`'s registration window under a bot attack, and its figures: the
//! humans arriving and taking places at a phone's speed beside the attacker
//! ([`crate::attack`]), then, once the sale is paid, who got the places and
//! the seats, what the attacker paid per place and what the servers paid
//! per check.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::BenchResult;
use crate::attack::{self, HumanJoin};
use crate::cpu;
use crate::report::{error_counts, line};
use crate::shop::{Buyer, Checkout};
use crate::stats::{Latencies, round};
use crate::visitor::{self, Account, Checkouts, Crowd, Visit, Visitor};
use crate::waiting_room::{self, Cookies};

/// The part of the registration window in which the humans arrive.
const HUMANS_ARRIVE_WITHIN: f64 = 0.6;

/// The goal: the servers' CPU per place taken under attack.
const SERVER_MS_PER_PLACE_GOAL: f64 = 0.2;

/// How the attack run is set.
pub struct Setting {
    /// Humans: bench indices (and accounts) `0..visitors`.
    pub visitors: usize,
    /// The check's work (`QUEUE_PROOF_BITS`).
    pub proof_bits: u32,
    /// The registration window: places are taken this long before the opening.
    pub register: Duration,
    /// Scripted guests the attacker may start.
    pub attackers: usize,
    /// The attacker's bench accounts.
    pub attacker_accounts: Range<usize>,
    pub addresses: usize,
    pub threads: usize,
    /// The shop's `QUEUE_CHECK_RAISE_PER_SEC` for the run.
    pub check_raise_per_sec: u64,
}

impl Setting {
    /// What the run's window and a phone's check stand for at the real check.
    pub fn print_time_scale(&self) {
        let scale = attack::scale(self.proof_bits);
        println!(
            "registration: {:.0} s at {} bits stands for {:.0} s at {} bits (x{scale}); a phone's check {:.1} ms here, {} s at {} bits",
            self.register.as_secs_f64(),
            self.proof_bits,
            self.register.as_secs_f64() * scale,
            attack::REAL_BITS,
            attack::phone_time(self.proof_bits).as_secs_f64() * 1000.0,
            attack::PHONE_AT_REAL_BITS.as_secs(),
            attack::REAL_BITS,
        );
    }

    fn time_scale(&self) -> Value {
        let scale = attack::scale(self.proof_bits);
        json!({
            "proof_bits": self.proof_bits,
            "real_bits": attack::REAL_BITS,
            "factor": scale,
            "register_secs": self.register.as_secs_f64(),
            "register_secs_at_21_bits": self.register.as_secs_f64() * scale,
            "phone_check_ms": round(attack::phone_time(self.proof_bits).as_secs_f64() * 1000.0),
            "phone_check_ms_at_21_bits": attack::PHONE_AT_REAL_BITS.as_millis() as u64,
            "check_raise_per_sec": self.check_raise_per_sec,
        })
    }
}

/// A human's join: how it went, and when (from the window's start).
type Joined = (Result<HumanJoin, String>, Duration);

/// The registration window under attack.
pub struct Registration {
    /// Each human's join, as they come.
    humans: Arc<Mutex<Vec<Joined>>>,
    human_pages: Arc<AtomicUsize>,
    pub attacker: attack::Outcome,
    /// CPU per process over the window.
    pub cpu: BTreeMap<String, f64>,
    /// Polls of the humans already placed, in the window.
    polls: usize,
    /// Valkey's memory per place taken (with the sessions of checks abandoned).
    pub valkey_bytes: u64,
}

impl Registration {
    pub fn human_places(&self) -> usize {
        let humans = self.humans.lock().expect("humans' joins");
        humans.iter().filter(|(joined, _)| joined.is_ok()).count()
    }

    pub fn places(&self) -> usize {
        self.human_places() + self.attacker.places.len()
    }
}

/// The window, from `crowd.opened - setting.register` (now) to the opening:
/// the humans arrive, the attacker (its `accounts` signed in) takes what it
/// can. Returns it and everyone's visits: the humans' first (one per human,
/// placed or not), then the attacker's places', which wait from the opening.
/// `pids`: the processes whose CPU the window counts.
pub async fn register(
    setting: &Setting,
    crowd: &Arc<Crowd>,
    accounts: Vec<Arc<Buyer>>,
    pids: &[(String, u32)],
    valkey_url: &str,
) -> BenchResult<(Registration, Vec<JoinHandle<Visit>>)> {
    let memory_before = waiting_room::valkey_info(valkey_url, "used_memory").await?;
    let cpu_from = cpu::sample(pids);
    let Humans {
        joins,
        pages,
        mut tasks,
    } = humans(setting, crowd);
    let attacker = Arc::new(attack::Attacker {
        clients: crowd.clients.clone(),
        bases: crowd.bases.clone(),
        event: crowd.event,
        accounts,
        guests: setting.attackers,
        addresses: setting.addresses,
        threads: setting.threads,
        first_index: setting.visitors,
        until: crowd.opened,
    });
    let attacking = tokio::spawn(attack::run(attacker));
    tokio::time::sleep_until(crowd.opened.into()).await;
    let cpu = cpu::sample(pids).since(&cpu_from);
    let polls = crowd.polls.load(Ordering::Relaxed);
    let memory_after = waiting_room::valkey_info(valkey_url, "used_memory").await?;
    let attacker = attacking.await?;
    // Each of its places waits as a visitor does from the opening.
    for place in &attacker.places {
        let visitor = Visitor {
            index: place.index,
            cookies: place.cookies.clone(),
            address: Some(place.address.clone()),
            account: match &place.account {
                Some(buyer) => Account::SignedIn(buyer.clone()),
                None => Account::Attacker,
            },
        };
        tasks.push(tokio::spawn(visitor::visit(crowd.clone(), visitor)));
    }
    let mut registration = Registration {
        humans: joins,
        human_pages: pages,
        attacker,
        cpu,
        polls,
        valkey_bytes: 0,
    };
    let places = registration.places();
    registration.valkey_bytes = memory_after.saturating_sub(memory_before) / places.max(1) as u64;
    Ok((registration, tasks))
}

/// The humans: each from their own address, at a moment of the window's
/// first part, taking a place at a phone's speed, then waiting as the
/// crowd does and buying with their own account.
fn humans(setting: &Setting, crowd: &Arc<Crowd>) -> Humans {
    let start = Instant::now();
    let joins = Arc::new(Mutex::new(Vec::with_capacity(setting.visitors)));
    let pages = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(setting.visitors);
    for index in 0..setting.visitors {
        let arrives = start
            + setting
                .register
                .mul_f64(HUMANS_ARRIVE_WITHIN * rand::random::<f64>());
        let (crowd, joins, pages) = (crowd.clone(), joins.clone(), pages.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(arrives.into()).await;
            let address = attack::human_address(index);
            let mut cookies = Cookies::default();
            let (client, base) = (&crowd.clients[index % 2], &crowd.bases[index % 2]);
            let joined =
                attack::human_join(client, base, crowd.event, &address, &mut cookies, &pages).await;
            let placed = joined.is_ok();
            joins
                .lock()
                .expect("humans' joins")
                .push((joined, start.elapsed()));
            if !placed {
                return Visit::default();
            }
            let visitor = Visitor {
                index,
                cookies,
                address: Some(address),
                account: Account::Own(index),
            };
            visitor::visit(crowd, visitor).await
        }));
    }
    Humans {
        joins,
        pages,
        tasks,
    }
}

/// The humans under way: their joins as they come, the check pages they
/// were served, their visits.
struct Humans {
    joins: Arc<Mutex<Vec<Joined>>>,
    pages: Arc<AtomicUsize>,
    tasks: Vec<JoinHandle<Visit>>,
}

/// Seats paid, per side.
#[derive(Debug, Default)]
struct Seats {
    humans: i64,
    attacker: i64,
    /// Paid orders: admissions that bought.
    buyers: i64,
    attacker_accounts_that_bought: usize,
    attacker_most_per_account: i64,
    attacker_accounts_that_bought_twice: usize,
}

impl Seats {
    async fn paid(db: &PgPool, event: Uuid, attacker_accounts: &Range<usize>) -> BenchResult<Self> {
        let mut out = Self::default();
        for (account, (seats, orders)) in attack::seats_by_account(db, event).await? {
            out.buyers += orders;
            if attacker_accounts.contains(&account) {
                out.attacker += seats;
                out.attacker_accounts_that_bought += 1;
                out.attacker_most_per_account = out.attacker_most_per_account.max(seats);
                out.attacker_accounts_that_bought_twice += usize::from(orders > 1);
            } else {
                out.humans += seats;
            }
        }
        Ok(out)
    }

    fn human_share(&self) -> f64 {
        self.humans as f64 / (self.humans + self.attacker).max(1) as f64
    }
}

/// The attack's figures, printed: places and seats per side, the attacker's
/// cost, the servers' cost per check, the humans' checkouts; as JSON and as
/// the summary line's tail.
pub async fn report(
    setting: &Setting,
    registration: &Registration,
    visits: &[Visit],
    checkouts: &Checkouts,
    db: &PgPool,
    event: Uuid,
    servers: &[String],
) -> BenchResult<(Value, String)> {
    let (humans, attacker) = visits.split_at(setting.visitors.min(visits.len()));
    let outcome = &registration.attacker;
    let human_places = registration.human_places();
    let places = registration.places();
    let place_share = human_places as f64 / places.max(1) as f64;
    println!("under attack:");
    line(
        "places",
        format!(
            "humans {human_places}, attacker {} guests + {} accounts; humans' share {place_share:.3}",
            outcome.guest_places(),
            outcome.account_places()
        ),
    );
    let human_joins = human_joins(setting, registration);
    let attacker_figures = outcome.report(setting.proof_bits);

    let seats = Seats::paid(db, event, &setting.attacker_accounts).await?;
    let seat_share = seats.human_share();
    let (fair_share, sigma) = attack::fair_share(place_share, seat_share, seats.buyers as usize);
    line(
        "seats paid",
        format!(
            "humans {}, attacker {}; humans' share {seat_share:.3}",
            seats.humans, seats.attacker
        ),
    );
    line(
        "humans' fair share",
        format!(
            "{fair_share} (seat share {seat_share:.3} against place share {place_share:.3} less 2 x {sigma:.3} over {} buyers)",
            seats.buyers
        ),
    );
    let accounts = setting.attacker_accounts.len();
    let seats_per_account = seats.attacker as f64 / accounts.max(1) as f64;
    let let_through = |group: &[Visit]| group.iter().filter(|v| v.admitted_at.is_some()).count();
    let wasted = checkouts.wasted_not_admitted + checkouts.wasted_resumed;
    line(
        "attacker admissions",
        format!(
            "{} let through; {wasted} wasted (account already used: {} refused, {} its order again)",
            let_through(attacker),
            checkouts.wasted_not_admitted,
            checkouts.wasted_resumed
        ),
    );
    line(
        "attacker seats per account",
        format!(
            "{seats_per_account:.2} on average, {} at most; {} of {accounts} accounts bought, {} twice",
            seats.attacker_most_per_account,
            seats.attacker_accounts_that_bought,
            seats.attacker_accounts_that_bought_twice
        ),
    );
    let (servers, us_per_verify, ms_per_place) = server_cost(registration, servers).await;
    let (human_checkout, human_sign_in) = human_latencies(humans);

    let figures = json!({
        "time_scale": setting.time_scale(),
        "places": {
            "humans": human_places,
            "attacker_guests": outcome.guest_places(),
            "attacker_accounts": outcome.account_places(),
            "humans_share": round3(place_share),
        },
        "seats": {
            "to_humans": seats.humans,
            "to_attacker": seats.attacker,
            "humans_share": round3(seat_share),
            "buyers": seats.buyers,
            "sigma": round3(sigma),
            "fair_share_bar": round3(place_share - 2.0 * sigma),
            "fair": fair_share,
            "attacker_seats_per_account": round(seats_per_account),
            "attacker_most_seats_per_account": seats.attacker_most_per_account,
            "attacker_accounts_that_bought": seats.attacker_accounts_that_bought,
            "attacker_accounts_that_bought_twice": seats.attacker_accounts_that_bought_twice,
        },
        "humans": {
            "join": human_joins,
            "let_through": let_through(humans),
            "admitted_checkout_latency": human_checkout.summary(),
            "sign_in_latency": human_sign_in.summary(),
        },
        "attacker": attacker_figures,
        "attacker_admissions": {
            "let_through": let_through(attacker),
            "wasted_account_already_used": wasted,
            "wasted_refused_not_admitted": checkouts.wasted_not_admitted,
            "wasted_same_order_again": checkouts.wasted_resumed,
        },
        "servers": servers,
    });
    let summary = format!(
        "humans_place_share={place_share:.3} humans_seat_share={seat_share:.3} fair_share={fair_share} attacker_places={} attacker_cpu_ms_per_place={:.2} attacker_cpu_ms_per_place_at_21_bits={:.0} server_us_per_verify={} server_cpu_ms_per_place={ms_per_place:.3} human_checkout_p99_ms={:.1}",
        outcome.places.len(),
        figures["attacker"]["cpu_ms_per_place"]
            .as_f64()
            .unwrap_or(0.0),
        figures["attacker"]["cpu_ms_per_place_at_21_bits"]
            .as_f64()
            .unwrap_or(0.0),
        us_per_verify
            .map(|us| format!("{us:.1}"))
            .unwrap_or_else(|| "null".into()),
        human_checkout.percentile(99.0)
    );
    Ok((figures, summary))
}

/// What the servers spent: per check verified (their own count on
/// `/metrics`, `None` when they keep none), and per place and per check page
/// with its answer (their whole CPU over the window). Printed; returns the
/// JSON, µs per verify and ms per place.
async fn server_cost(registration: &Registration, servers: &[String]) -> (Value, Option<f64>, f64) {
    let verified = attack::server_counter(servers, "shop_queue_checks_verified_total").await;
    let verify_ns =
        attack::server_counter(servers, "shop_queue_check_verify_nanoseconds_total").await;
    let us_per_verify = match (verified, verify_ns) {
        (Some(n), Some(ns)) if n > 0.0 => Some(ns / n / 1000.0),
        _ => None,
    };
    let server_ms: f64 = registration
        .cpu
        .iter()
        .filter(|(name, _)| name.starts_with("server"))
        .map(|(_, secs)| secs * 1000.0)
        .sum();
    let places = registration.places();
    let pages = registration.human_pages.load(Ordering::Relaxed) + registration.attacker.pages;
    let ms_per_place = server_ms / places.max(1) as f64;
    let ms_per_check = server_ms / pages.max(1) as f64;
    let under = ms_per_place < SERVER_MS_PER_PLACE_GOAL;
    line(
        "servers: CPU per check verified",
        match us_per_verify {
            Some(us) => format!("{us:.1} µs ({} verified)", verified.unwrap_or(0.0)),
            None => "not known (no shop_queue_checks_verified_total on /metrics)".into(),
        },
    );
    line(
        "servers: CPU per place (whole requests)",
        format!(
            "{ms_per_place:.3} ms: {}under the {SERVER_MS_PER_PLACE_GOAL} ms goal; {ms_per_check:.3} ms per check page and its answer ({pages} pages; {} humans' polls in the window)",
            if under { "" } else { "NOT " },
            registration.polls
        ),
    );
    let figures = json!({
        "checks_verified": verified,
        "us_per_check_verified": us_per_verify.map(round),
        "cpu_ms_per_place": round3(ms_per_place),
        "cpu_ms_per_check_page_and_answer": round3(ms_per_check),
        "under_0_2_ms_per_place": under,
        "check_pages": pages,
        "humans_polls_in_window": registration.polls,
        "window_cpu_ms_per_place": cpu::per_operation(&registration.cpu, places),
    });
    (figures, us_per_verify, ms_per_place)
}

/// The humans' admitted checkouts (answered: reserved or sold out) and
/// sign-ins, printed.
fn human_latencies(humans: &[Visit]) -> (Latencies, Latencies) {
    let (mut checkout, mut sign_in) = (Latencies::default(), Latencies::default());
    for v in humans {
        if let Some((latency, _, outcome)) = &v.checkout
            && matches!(outcome, Checkout::Reserved { .. } | Checkout::SoldOut)
        {
            checkout.push(*latency);
        }
        if let Some(took) = v.sign_in {
            sign_in.push(took);
        }
    }
    line(
        "humans: admitted checkout p50/p99 ms",
        format!(
            "{:.1} / {:.1} (sign-in p99 {:.1})",
            checkout.percentile(50.0),
            checkout.percentile(99.0),
            sign_in.percentile(99.0)
        ),
    );
    (checkout, sign_in)
}

/// The humans' joins: placed, failed, placed after the opening, and how far
/// the bench's own solving fell behind a phone's.
fn human_joins(setting: &Setting, registration: &Registration) -> Value {
    let humans = registration.humans.lock().expect("humans' joins");
    let (mut late, mut late_ones, mut after_opening) = (Latencies::default(), 0, 0);
    let mut work_bits = BTreeSet::new();
    let mut failed = Vec::new();
    for (joined, at) in humans.iter() {
        match joined {
            Ok(join) => {
                late.push(join.late);
                late_ones += usize::from(!join.late.is_zero());
                after_opening += usize::from(*at > setting.register);
                work_bits.insert(join.work_bits);
            }
            Err(err) => failed.push(err.as_str()),
        }
    }
    line(
        "humans",
        format!(
            "{} of {} placed ({after_opening} after the opening); {} failed; {late_ones} later than a phone (p99 {:.1} ms late)",
            humans.len() - failed.len(),
            setting.visitors,
            failed.len(),
            late.percentile(99.0)
        ),
    );
    for (text, n) in error_counts(failed.iter().copied()).into_iter().take(5) {
        println!("    {n} x {text}");
    }
    json!({
        "arrived": humans.len(),
        "placed": humans.len() - failed.len(),
        "failed": error_counts(failed.into_iter()),
        "placed_after_opening": after_opening,
        "later_than_a_phone": late_ones,
        "late_p99_ms": round(late.percentile(99.0)),
        "work_bits_seen": work_bits.into_iter().collect::<Vec<_>>(),
    })
}

/// Three decimals, for shares.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
