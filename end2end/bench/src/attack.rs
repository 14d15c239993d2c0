//! The bot attack on a queued sale (`queued --attackers N`): humans take
//! places at a phone's speed while an attacker on the same machine takes as
//! many as its CPU buys, from many addresses and with a few hundred accounts.
//!
//! The attacker is what a capable one would run: `threads` OS threads of its
//! own solving the browser check natively (SHA-256 at a server core's speed,
//! not a phone's wasm), fed by async tasks that fetch check pages ahead of
//! them (a bounded pipeline: the solvers never wait long, the fetches never
//! run far ahead) and post each solution as it comes. It first takes a place
//! with each of its signed-in accounts, then one per fresh guest session,
//! client `c` from address `c % addresses`. It stops at the opening: a place
//! taken later comes after the draw's, and unsolved challenges are dropped.
//! Its CPU is its solver threads' own (`/proc/thread-self/stat`), so the cost
//! per place does not depend on how much of the machine it got.
//!
//! Time scale: a real check costs 2^21 hashes (`QUEUE_PROOF_BITS=21`: a few
//! seconds on a phone, ~145 ms on a server core); the bench cannot pay that
//! for thousands of humans, so it runs at fewer bits and everything that
//! takes time is that many times shorter: see [`scale`].

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;
use tokio::sync::{Semaphore, mpsc};
use uuid::Uuid;

use crate::BenchResult;
use crate::report::{error_counts, line};
use crate::shop::Buyer;
use crate::stats::round;
use crate::waiting_room::{self, Answered, Check, Cookies};

/// The shop's real check: `QUEUE_PROOF_BITS`' default.
pub const REAL_BITS: u32 = 21;

/// A throttled phone's time for a check of [`REAL_BITS`] in wasm.
pub const PHONE_AT_REAL_BITS: Duration = Duration::from_secs(4);

/// How many times cheaper a check of `bits` is than a real one: what the
/// run's durations stand for is this many times longer at [`REAL_BITS`].
pub fn scale(bits: u32) -> f64 {
    2f64.powi(REAL_BITS as i32 - bits as i32)
}

/// How long a throttled phone takes for a check of `work_bits` in all.
pub fn phone_time(work_bits: u32) -> Duration {
    PHONE_AT_REAL_BITS.div_f64(scale(work_bits))
}

/// Human `i`'s address: one each, from 10.0.0.0/8.
pub fn human_address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// The attacker's address number `n`, from 172.16.0.0/12 (a million of them).
pub fn attacker_address(n: usize) -> String {
    format!(
        "172.{}.{}.{}",
        16 + ((n >> 16) & 15),
        (n >> 8) & 255,
        n & 255
    )
}

/// Fetched challenges waiting for a solver, per solver thread.
const PIPELINE_PER_THREAD: usize = 4;
/// Fetching tasks per solver thread: a guest's check page is two requests,
/// a few milliseconds on a busy machine, against ~2 ms of solving at 15 bits.
const FETCHERS_PER_THREAD: usize = 8;
/// Solutions being posted at once.
const POSTS_IN_FLIGHT: usize = 64;

/// What the attacker has.
pub struct Attacker {
    /// One shared client per instance (no cookies kept, no redirects followed).
    pub clients: Vec<reqwest::Client>,
    pub bases: Vec<String>,
    pub event: Uuid,
    /// Its accounts, signed in before the window (clients `0..accounts.len()`).
    pub accounts: Vec<Arc<Buyer>>,
    /// Scripted guests it may start after its accounts.
    pub guests: usize,
    /// Addresses it rotates through.
    pub addresses: usize,
    /// Solver threads: its CPU.
    pub threads: usize,
    /// The bench index of its client 0: client `c` calls instance
    /// `(first_index + c) % 2`.
    pub first_index: usize,
    /// The opening: it stops then.
    pub until: Instant,
}

impl Attacker {
    fn clients_in_all(&self) -> usize {
        self.accounts.len() + self.guests
    }

    fn index(&self, c: usize) -> usize {
        self.first_index + c
    }

    fn address(&self, c: usize) -> String {
        attacker_address(c % self.addresses.max(1))
    }

    fn client(&self, c: usize) -> (&reqwest::Client, &str) {
        let n = self.index(c) % self.clients.len();
        (&self.clients[n], &self.bases[n])
    }
}

/// Signs in the attacker's accounts (bench indices `accounts`), account `k`
/// as its client `k`: on that client's instance, from its address.
pub async fn sign_in_accounts(
    bases: &[String],
    first_index: usize,
    accounts: std::ops::Range<usize>,
    addresses: usize,
) -> BenchResult<Vec<Arc<Buyer>>> {
    let mut tasks = Vec::new();
    for (c, account) in accounts.enumerate() {
        let base = bases[(first_index + c) % bases.len()].clone();
        let address = attacker_address(c % addresses.max(1));
        tasks.push(tokio::spawn(async move {
            let buyer = Buyer::from_address(account, &base, &[], Some(&address))?;
            buyer.sign_in().await?;
            BenchResult::Ok(Arc::new(buyer))
        }));
    }
    let mut buyers = Vec::with_capacity(tasks.len());
    for task in tasks {
        buyers.push(task.await??);
    }
    Ok(buyers)
}

/// A place the attacker took.
pub struct Placed {
    /// Its bench index (instance and ticket type).
    pub index: usize,
    pub address: String,
    pub cookies: Cookies,
    /// The account that took it; none for a guest's.
    pub account: Option<Arc<Buyer>>,
}

/// The solver threads' work.
#[derive(Debug, Default, Clone, Copy)]
pub struct Solving {
    /// Their own CPU, user and system.
    pub cpu_s: f64,
    pub hashes: u64,
    pub solved: usize,
    /// Challenges fetched but not solved at the opening.
    pub abandoned: usize,
}

impl Solving {
    fn add(&mut self, other: Solving) {
        self.cpu_s += other.cpu_s;
        self.hashes += other.hashes;
        self.solved += other.solved;
        self.abandoned += other.abandoned;
    }
}

/// What the attacker got before the opening.
#[derive(Default)]
pub struct Outcome {
    pub places: Vec<Placed>,
    /// Check pages fetched.
    pub pages: usize,
    /// Solutions refused because their address held its places already.
    pub address_full: usize,
    /// Anything else that went wrong (fetching or posting).
    pub failures: Vec<String>,
    pub solving: Solving,
    pub threads: usize,
}

impl Outcome {
    pub fn account_places(&self) -> usize {
        self.places.iter().filter(|p| p.account.is_some()).count()
    }

    pub fn guest_places(&self) -> usize {
        self.places.len() - self.account_places()
    }
}

/// A fetched challenge for attacker client `c`.
struct Job {
    c: usize,
    check: Check,
    cookies: Cookies,
}

/// A solved one, to post.
struct Solved {
    job: Job,
    solution: String,
}

/// Runs the attack until the opening (or until its clients are spent).
pub async fn run(attacker: Arc<Attacker>) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let threads = attacker.threads.max(1);
    let (jobs, queue) = mpsc::channel::<Job>(threads * PIPELINE_PER_THREAD);
    let queue = Arc::new(Mutex::new(queue));
    let (solutions, mut solved) = mpsc::unbounded_channel::<Solved>();
    let solvers: Vec<_> = (0..threads)
        .map(|_| {
            let (queue, solutions, stop) = (queue.clone(), solutions.clone(), stop.clone());
            std::thread::spawn(move || solve(&queue, &solutions, &stop))
        })
        .collect();
    // Only the solvers hold these now: when they are done, so is the pipeline.
    drop((queue, solutions));
    let next = Arc::new(AtomicUsize::new(0));
    let fetchers: Vec<_> = (0..threads * FETCHERS_PER_THREAD)
        .map(|_| {
            tokio::spawn(fetch(
                attacker.clone(),
                jobs.clone(),
                next.clone(),
                stop.clone(),
            ))
        })
        .collect();
    drop(jobs);
    let stopper = {
        let (stop, until) = (stop.clone(), attacker.until);
        tokio::spawn(async move {
            tokio::time::sleep_until(until.into()).await;
            stop.store(true, Ordering::Relaxed);
        })
    };
    // Until every solver is done: the fetchers stopped, the pipeline drained.
    let gate = Arc::new(Semaphore::new(POSTS_IN_FLIGHT));
    let mut posts = Vec::new();
    while let Some(solution) = solved.recv().await {
        posts.push(tokio::spawn(post(attacker.clone(), solution, gate.clone())));
    }
    stopper.abort();
    let mut out = Outcome {
        threads,
        ..Outcome::default()
    };
    for fetcher in fetchers {
        match fetcher.await {
            Ok((pages, failures)) => {
                out.pages += pages;
                out.failures.extend(failures);
            }
            Err(err) => out.failures.push(format!("fetcher: {err}")),
        }
    }
    for post in posts {
        match post.await {
            Ok(Ok(Some(place))) => out.places.push(place),
            Ok(Ok(None)) => out.address_full += 1,
            Ok(Err(err)) => out.failures.push(err),
            Err(err) => out.failures.push(format!("poster: {err}")),
        }
    }
    let joined = tokio::task::spawn_blocking(move || {
        solvers
            .into_iter()
            .map(|solver| solver.join().unwrap_or_default())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    for solving in joined {
        out.solving.add(solving);
    }
    out
}

/// One solver thread: takes fetched challenges, solves them as fast as a
/// core does, hands the solutions on; at `stop` drops what is left. Returns
/// its work and its own CPU.
fn solve(
    queue: &Mutex<mpsc::Receiver<Job>>,
    solutions: &mpsc::UnboundedSender<Solved>,
    stop: &AtomicBool,
) -> Solving {
    let mut out = Solving::default();
    loop {
        let job = match queue.lock() {
            Ok(mut queue) => queue.blocking_recv(),
            Err(_) => None,
        };
        let Some(job) = job else { break };
        let (solution, hashes) = job.check.solve(stop);
        out.hashes += hashes;
        match solution.filter(|_| !stop.load(Ordering::Relaxed)) {
            Some(solution) => {
                out.solved += 1;
                let _ = solutions.send(Solved { job, solution });
            }
            None => out.abandoned += 1,
        }
    }
    out.cpu_s = crate::cpu::this_thread_secs().unwrap_or(0.0);
    out
}

/// One fetching task: check pages for the next clients, into the pipeline,
/// until the opening or the last client. Returns pages fetched and failures.
async fn fetch(
    attacker: Arc<Attacker>,
    jobs: mpsc::Sender<Job>,
    next: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) -> (usize, Vec<String>) {
    let (mut pages, mut failures) = (0, Vec::new());
    while !stop.load(Ordering::Relaxed) {
        let c = next.fetch_add(1, Ordering::Relaxed);
        if c >= attacker.clients_in_all() {
            break;
        }
        // An account is signed in: its join link answers the check at once.
        let mut cookies = match attacker.accounts.get(c) {
            Some(account) => Cookies(account.cookies()),
            None => Cookies::default(),
        };
        let (client, base) = attacker.client(c);
        let address = attacker.address(c);
        match waiting_room::check_page(client, base, attacker.event, &mut cookies, Some(&address))
            .await
        {
            Ok(check) => {
                pages += 1;
                if jobs.send(Job { c, check, cookies }).await.is_err() {
                    break;
                }
            }
            Err(err) => failures.push(err),
        }
    }
    (pages, failures)
}

/// Posts one solution: the place, `None` when its address was full.
async fn post(
    attacker: Arc<Attacker>,
    solved: Solved,
    gate: Arc<Semaphore>,
) -> Result<Option<Placed>, String> {
    let _permit = gate.acquire_owned().await.map_err(|e| e.to_string())?;
    let Solved {
        job: Job {
            c,
            check,
            mut cookies,
        },
        solution,
    } = solved;
    let (client, base) = attacker.client(c);
    let address = attacker.address(c);
    let answered = waiting_room::answer_check(
        client,
        base,
        attacker.event,
        &mut cookies,
        Some(&address),
        &check.challenge,
        &solution,
    )
    .await?;
    match answered {
        Answered::Placed => Ok(Some(Placed {
            index: attacker.index(c),
            address,
            cookies,
            account: attacker.accounts.get(c).cloned(),
        })),
        Answered::AddressFull => Ok(None),
        Answered::Refused(status) => Err(format!("check answer refused: {status}")),
    }
}

impl Outcome {
    /// Prints the attacker's places and what they cost, and returns them as JSON.
    /// `proof_bits`: the run's check, for the cost at [`REAL_BITS`].
    pub fn report(&self, proof_bits: u32) -> serde_json::Value {
        let places = self.places.len();
        let cpu_s = self.solving.cpu_s;
        let per_place_ms = (places > 0).then(|| cpu_s * 1000.0 / places as f64);
        let per_core_s = (cpu_s > 0.0).then(|| places as f64 / cpu_s);
        let scale = scale(proof_bits);
        // Two cores for ten minutes at the real check, at the measured rate.
        let two_cores_ten_minutes = per_core_s.map(|rate| rate / scale * 2.0 * 600.0);
        let hashes_per_s = (cpu_s > 0.0).then(|| self.solving.hashes as f64 / cpu_s);
        println!("attacker:");
        line(
            "places taken",
            format!(
                "{places} ({} guests, {} accounts)",
                self.guest_places(),
                self.account_places()
            ),
        );
        line(
            "check pages; solved; abandoned",
            format!(
                "{}; {}; {} at the opening",
                self.pages, self.solving.solved, self.solving.abandoned
            ),
        );
        line("refused: address full (429)", self.address_full);
        line("other failures", self.failures.len());
        for (text, n) in error_counts(self.failures.iter().map(String::as_str))
            .into_iter()
            .take(5)
        {
            println!("    {n} x {text}");
        }
        line(
            "solver CPU",
            format!(
                "{cpu_s:.2} s on {} threads; {:.1} M hashes/s a thread",
                self.threads,
                hashes_per_s.unwrap_or(0.0) / 1e6
            ),
        );
        line(
            "CPU ms per place",
            format!(
                "{:.2} here; {:.0} at {REAL_BITS} bits",
                per_place_ms.unwrap_or(0.0),
                per_place_ms.unwrap_or(0.0) * scale
            ),
        );
        line(
            "places a core-second",
            format!(
                "{:.0} here; at {REAL_BITS} bits 2 cores buy {:.0} in 10 minutes",
                per_core_s.unwrap_or(0.0),
                two_cores_ten_minutes.unwrap_or(0.0)
            ),
        );
        json!({
            "places": places,
            "guest_places": self.guest_places(),
            "account_places": self.account_places(),
            "check_pages": self.pages,
            "solved": self.solving.solved,
            "abandoned_at_opening": self.solving.abandoned,
            "refused_address_full": self.address_full,
            "failures": error_counts(self.failures.iter().map(String::as_str)),
            "threads": self.threads,
            "solver_cpu_s": round(cpu_s),
            "hashes": self.solving.hashes,
            "hashes_per_cpu_s_per_thread": hashes_per_s.map(|h| h.round()),
            "cpu_ms_per_place": per_place_ms.map(round),
            "cpu_ms_per_place_at_21_bits": per_place_ms.map(|ms| round(ms * scale)),
            "places_per_core_s": per_core_s.map(round),
            "places_2_cores_10_min_at_21_bits": two_cores_ten_minutes.map(f64::round),
        })
    }
}

/// How a human's join at a phone's speed went.
#[derive(Debug, Clone, Copy)]
pub struct HumanJoin {
    /// The check's work (bits in all).
    pub work_bits: u32,
    /// How long after a phone would have the answer was posted (the bench's
    /// own solving fell behind): zero when on time.
    pub late: Duration,
}

/// A human takes a place as a guest from `address`: the check page, the
/// challenge solved natively (on tokio's blocking pool, not the attacker's
/// threads), the answer posted when a throttled phone would have finished.
/// `pages` counts the check pages served.
pub async fn human_join(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    address: &str,
    cookies: &mut Cookies,
    pages: &AtomicUsize,
) -> Result<HumanJoin, String> {
    let check = waiting_room::check_page(client, base, event, cookies, Some(address)).await?;
    let page_at = Instant::now();
    pages.fetch_add(1, Ordering::Relaxed);
    let phone = phone_time(check.work_bits());
    let solving = check.clone();
    let solution = tokio::task::spawn_blocking(move || solving.solve(&AtomicBool::new(false)).0)
        .await
        .map_err(|e| format!("solving: {e}"))?
        .ok_or("join: unsolved")?;
    let late = page_at.elapsed().saturating_sub(phone);
    tokio::time::sleep_until((page_at + phone).into()).await;
    let answered = waiting_room::answer_check(
        client,
        base,
        event,
        cookies,
        Some(address),
        &check.challenge,
        &solution,
    )
    .await?;
    match answered {
        Answered::Placed => Ok(HumanJoin {
            work_bits: check.work_bits(),
            late,
        }),
        Answered::AddressFull => Err("join: no place (429: address full)".into()),
        Answered::Refused(status) => Err(format!("join: no place ({status})")),
    }
}

/// Whether humans got their fair share of seats: at least their share of
/// places less two standard errors of `n` buyers drawn from those places.
/// Returns the verdict and the standard error.
pub fn fair_share(place_share: f64, seat_share: f64, n: usize) -> (bool, f64) {
    let p = place_share.clamp(0.0, 1.0);
    let sigma = (p * (1.0 - p) / n.max(1) as f64).sqrt();
    (seat_share >= p - 2.0 * sigma, sigma)
}

/// Paid seats and paid orders of `event` per bench account (by the index
/// in its email, `buyer{i}@bench.example`).
pub async fn seats_by_account(
    db: &PgPool,
    event: Uuid,
) -> BenchResult<BTreeMap<usize, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT u.email, sum(i.quantity)::bigint, count(DISTINCT o.id)
         FROM orders o JOIN users u ON u.id = o.user_id
         JOIN order_items i ON i.order_id = o.id
         JOIN ticket_types t ON t.id = i.ticket_type_id
         WHERE o.status = 'paid' AND t.event_id = $1
         GROUP BY u.email",
    )
    .bind(event)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, seats, orders)| {
            let index = email
                .strip_prefix("buyer")?
                .strip_suffix("@bench.example")?
                .parse()
                .ok()?;
            Some((index, (seats, orders)))
        })
        .collect())
}

/// Counter `name` summed over the instances' `/metrics` (every label set);
/// `None` when no instance serves it.
pub async fn server_counter(servers: &[String], name: &str) -> Option<f64> {
    let http = reqwest::Client::new();
    let mut texts = Vec::new();
    for server in servers {
        let Ok(res) = http
            .get(format!("{server}/metrics"))
            .bearer_auth(crate::METRICS_TOKEN)
            .send()
            .await
        else {
            continue;
        };
        if res.status().is_success() {
            texts.push(res.text().await.unwrap_or_default());
        }
    }
    texts
        .iter()
        .filter_map(|text| counter(text, name))
        .reduce(|a, b| a + b)
}

/// Counter `name` in a Prometheus text exposition, summed over its label sets.
fn counter(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter(|row| !row.starts_with('#'))
        .filter_map(|row| row.rsplit_once(' '))
        .filter(|(key, _)| key.split('{').next() == Some(name))
        .filter_map(|(_, value)| value.trim().parse::<f64>().ok())
        .reduce(|a, b| a + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_distinct_and_apart() {
        assert_eq!(human_address(0), "10.0.0.0");
        assert_eq!(human_address(70_000), "10.1.17.112");
        assert_eq!(attacker_address(258), "172.16.1.2");
        let humans: std::collections::BTreeSet<_> = (0..5000).map(human_address).collect();
        assert_eq!(humans.len(), 5000);
        assert!((0..10_000).all(|n| !humans.contains(&attacker_address(n))));
    }

    #[test]
    fn counters_add_up_over_labels() {
        let text = "# TYPE shop_x_total counter\nshop_x_total{reason=\"a\"} 2\nshop_x_total{reason=\"b\"} 3\nshop_x_totals 9\nshop_y_total 1.5e3\n";
        assert_eq!(counter(text, "shop_x_total"), Some(5.0));
        assert_eq!(counter(text, "shop_y_total"), Some(1500.0));
        assert_eq!(counter(text, "shop_z_total"), None);
    }

    #[test]
    fn the_time_scale() {
        assert_eq!(scale(15), 64.0);
        assert_eq!(phone_time(21), Duration::from_secs(4));
        assert_eq!(phone_time(15), Duration::from_micros(62_500));
    }

    #[test]
    fn fair_share_allows_two_standard_errors() {
        // p = 0.25 over 100 buyers: sigma 0.0433, the bar 0.163.
        let (fair, sigma) = fair_share(0.25, 0.17, 100);
        assert!(fair);
        assert!((sigma - 0.0433).abs() < 1e-3);
        assert!(!fair_share(0.25, 0.15, 100).0);
        assert!(fair_share(0.25, 0.40, 100).0);
    }
}
