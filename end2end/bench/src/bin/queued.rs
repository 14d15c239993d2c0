//! `queued`: the on-sale rush through the waiting room, beside `rush`.
//!
//! Set-up (before the clock): a fresh database `ticket_sales_bench_queued`;
//! one published event whose queue is on, with a capacity of `--seats` (500)
//! shared by two ticket types (as in `rush`), its sale opening later; enough
//! buyer accounts for everyone who may be let through; two `server serve`
//! instances letting `--admit-per-sec` visitors through.
//!
//! `--visitors` (5,000; `make bench` also runs 100,000) are simulated as the
//! holding page's script behaves, cheaply (`bench::waiting_room`,
//! `bench::visitor`): each joins as a guest before the opening (visitor i on
//! instance i % 2), then asks the queue's public progress every
//! `--poll-secs`, asks its own status once after the draw (its number) and
//! once when its number has come (its admission). A visitor signs in (timed
//! apart; the accounts' password hashes are argon2's lightest, since `rush`
//! measures sign-ins) when their turn is `--sign-in-ahead-secs` away, as a
//! buyer near the front would; once let through they add `--tickets` (1) of
//! type i % 2 and check out (the admitted checkout, timed).
//!
//! 1. Everyone takes a place before the opening.
//! 2. Waiting: everyone polls for `--waiting-secs`; the CPU each process
//!    spends then, divided by the polls answered, is the cost of a waiting
//!    visitor's poll (a CDN in front would answer most of them instead).
//! 3. The sale opens: the draw numbers everyone; whoever's number comes buys.
//!    The queue stops when the seats are gone.
//! 4. Every reserved session is paid; the run is checked: nothing oversold,
//!    nothing lost, and fairness: the draw gave every visitor a distinct
//!    number, every number let through had its turn (at most the final
//!    "admitted up to"; nobody out of turn, nobody twice). How far turns were
//!    taken in the drawn order (within one poll), and numbers whose turn came
//!    but whose visitor asked after the last seat went, are reported, not
//!    failed: a visitor learns of their turn at their next poll.
//!
//! With `--attackers N` (`make bench`: `--attackers 20000 --proof-bits 15
//! --tickets 2`) steps 1 and 2 become a registration window of
//! `--register-secs` under a bot attack (`bench::attack`). The shop believes
//! `X-Forwarded-For` and keeps its own limit of places per address; each
//! human comes from an address of their own, arrives in the first 60% of the
//! window, takes a place as a guest at a throttled phone's speed and buys
//! with their own account. The attacker signs in its `--attacker-accounts`
//! first, then takes places with them and with up to N scripted guests from
//! `--attacker-addresses`, solving on `--attacker-threads` threads until the
//! opening; when let through, a guest place signs in to its accounts in round
//! robin. Reported besides: places and seats per side (and whether humans got
//! at least their share of places, within two standard errors: reported, not
//! failed), the attacker's CPU per place (and at the real 21-bit check), the
//! servers' CPU per check verified (`/metrics`) and per place, the humans'
//! admitted-checkout latency.
//!
//! Figures go to stdout and `target/bench/{--name}.json` (`queued`); the last
//! line is the one-line summary. Exit status 1 when a check fails.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bench::attack;
use bench::cpu;
use bench::database;
use bench::fixture;
use bench::probe::HomeProbe;
use bench::processes::{
    Children, EMULATOR_BIN, SERVER_BIN, ShopSpec, Topology, peak_rss_kib, require_binary,
    start_shop,
};
use bench::report::{Checks, error_counts, line};
use bench::settle;
use bench::stats::{Latencies, round};
use bench::under_attack::{self, Registration};
use bench::visitor::{self, Account, Checkouts, Crowd, Visit, Visitor};
use bench::waiting_room::{self, Cookies};
use bench::{BenchResult, Services, write_json};
use clap::Parser;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use uuid::Uuid;

const DATABASE: &str = "ticket_sales_bench_queued";
const WEBHOOK_SECRET: &str = "whsec_bench_queued";
const HOLD_SECS: u64 = 600;

/// The shop's `QUEUE_CHECK_RAISE_PER_SEC` default (checks passed a second
/// past which an automatic check costs four times more).
const SHOP_CHECK_RAISE_PER_SEC: f64 = 100.0;

#[derive(Parser, Debug)]
#[command(about = "The on-sale rush through the waiting room, against two release servers")]
struct Args {
    #[command(flatten)]
    services: Services,
    #[arg(long, default_value_t = 500)]
    seats: i32,
    #[arg(long, default_value_t = 5000)]
    visitors: usize,
    /// Visitors let through per second (the shop's `QUEUE_ADMIT_PER_SEC`).
    #[arg(long, default_value_t = 100.0)]
    admit_per_sec: f64,
    /// How often a waiting visitor asks (the holding page's script: every 3 s).
    #[arg(long, default_value_t = 3.0)]
    poll_secs: f64,
    /// Home page loads a second during the sale.
    #[arg(long, default_value_t = 10.0)]
    home_per_s: f64,
    /// How long everyone waits before the opening while CPU per poll is measured.
    #[arg(long, default_value_t = 9)]
    waiting_secs: u64,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 200)]
    connections: usize,
    /// How far ahead of their turn (at the admission rate) a visitor signs in.
    #[arg(long, default_value_t = 10.0)]
    sign_in_ahead_secs: f64,
    /// The browser check's work (the shop's `QUEUE_PROOF_BITS`): a few
    /// hundred hashes by default, since without an attack this bench weighs
    /// the queue; the attack run uses 15 (see `--register-secs`).
    #[arg(long, default_value_t = 8)]
    proof_bits: u32,
    /// Tickets every buyer adds (all of their type): the attack run uses 2,
    /// for every admission alike, so that the seats measure the draw.
    #[arg(long, default_value_t = 1)]
    tickets: u32,
    /// Scripted guest clients of a bot attack during registration (0: no attack).
    #[arg(long, default_value_t = 0)]
    attackers: usize,
    /// The attacker's accounts (signed in before the window).
    #[arg(long, default_value_t = 200)]
    attacker_accounts: usize,
    /// Client addresses the attacker rotates through.
    #[arg(long, default_value_t = 10000)]
    attacker_addresses: usize,
    /// The attacker's solver threads: its CPU.
    #[arg(long, default_value_t = 2)]
    attacker_threads: usize,
    /// With an attack: how long places are taken before the opening. At
    /// `--proof-bits` b it stands for 2^(21 - b) times as long at the real
    /// check (20 s at 15 bits: 21 min 20 s).
    #[arg(long, default_value_t = 20)]
    register_secs: u64,
    /// With an attack: the shop's `QUEUE_CHECK_RAISE_PER_SEC`; by default
    /// its 100 a second on the run's time scale (x 2^(21 - bits)), so that
    /// the automatic raise reacts to the rates a real check would see.
    #[arg(long)]
    check_raise_per_sec: Option<u64>,
    /// The name of the figures' file under target/bench (without `.json`).
    #[arg(long, default_value = "queued")]
    name: String,
}

impl Args {
    fn attacked(&self) -> bool {
        self.attackers > 0
    }

    /// The attacker's bench accounts: after every human's.
    fn attacker_accounts(&self) -> std::ops::Range<usize> {
        self.visitors..self.visitors + self.attacker_accounts
    }

    fn under_attack(&self) -> under_attack::Setting {
        under_attack::Setting {
            visitors: self.visitors,
            proof_bits: self.proof_bits,
            register: Duration::from_secs(self.register_secs),
            attackers: self.attackers,
            attacker_accounts: self.attacker_accounts(),
            addresses: self.attacker_addresses,
            threads: self.attacker_threads,
            check_raise_per_sec: self.check_raise_per_sec(),
        }
    }

    /// Checks passed a second past which the shop raises the work.
    fn check_raise_per_sec(&self) -> u64 {
        self.check_raise_per_sec.unwrap_or_else(|| {
            (SHOP_CHECK_RAISE_PER_SEC * attack::scale(self.proof_bits)).round() as u64
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    bench::run_to_exit("queued", run(args)).await
}

/// The shop's settings for the run, beside `start_shop`'s own.
fn shop_settings(args: &Args) -> Vec<(&'static str, String)> {
    let mut settings = vec![
        ("QUEUE_ADMIT_PER_SEC", args.admit_per_sec.to_string()),
        ("QUEUE_ADMISSION_SECS", "600".into()),
        // Without an attack the browser check stays on at a few hundred
        // hashes: this bench weighs the queue; a phone's cost is the check's own.
        ("QUEUE_PROOF_BITS", args.proof_bits.to_string()),
    ];
    if args.attacked() {
        // Every request names its client's address; the shop's limit of
        // places per address (2) stays as it ships.
        settings.push(("CLIENT_IP_SOURCE", "RightmostXForwardedFor".into()));
        settings.push((
            "QUEUE_CHECK_RAISE_PER_SEC",
            args.check_raise_per_sec().to_string(),
        ));
    } else {
        // Every visitor comes from 127.0.0.1: raised for the run, never off.
        settings.push(("QUEUE_PLACES_PER_ADDRESS", "100000000".into()));
    }
    settings
}

/// Everyone holding a place, visiting, and how they got there.
struct Before {
    crowd: Arc<Crowd>,
    /// The humans' visits first (one per `--visitors`, placed or not), then
    /// the attacker's places'.
    tasks: Vec<JoinHandle<Visit>>,
    /// Places taken by the opening (under attack a late human's may follow:
    /// [`Registration::places`] counts them all).
    places: usize,
    /// CPU per process over the waiting window and the polls in it (none
    /// under attack: the window is the registration's).
    waiting: Option<(BTreeMap<String, f64>, usize)>,
    /// The report's keys about joining and waiting.
    report: serde_json::Map<String, Value>,
    attack: Option<Registration>,
}

/// The run's shop: its database, event and processes.
struct Shop {
    db: PgPool,
    event: Uuid,
    types: [Uuid; 2],
    children: Children,
    topology: Topology,
    account_count: usize,
    sign_in_ahead: u64,
}

async fn set_up(args: &Args) -> BenchResult<Shop> {
    require_binary(SERVER_BIN)?;
    require_binary(EMULATOR_BIN)?;
    // Accounts for everyone who may sign in: the seats twice over, those let
    // through before the queue learns it sold out, and those signed in ahead.
    // Under attack: one per human, then the attacker's.
    let sign_in_ahead = (args.admit_per_sec * args.sign_in_ahead_secs).ceil() as u64;
    let account_count = if args.attacked() {
        args.attacker_accounts().end
    } else {
        (args.seats as usize * 2 + (args.admit_per_sec * 10.0) as usize + sign_in_ahead as usize)
            .min(args.visitors)
    };
    println!(
        "queued: set-up (database {DATABASE}, {} visitors, {} seats, {} let through a second)",
        args.visitors, args.seats, args.admit_per_sec
    );
    if args.attacked() {
        println!(
            "queued: under attack ({} scripted guests from {} addresses, {} accounts, {} solver threads; {} bits, {} tickets a buyer)",
            args.attackers,
            args.attacker_addresses,
            args.attacker_accounts,
            args.attacker_threads,
            args.proof_bits,
            args.tickets
        );
    }
    let (database_url, db) = database::fresh(&args.services.database_url, DATABASE, 8).await?;
    // Sign-ins cost what `rush` measures; here they would drown the queue's
    // figures (argon2 at the shop's 19 MiB takes tens of ms of a core each).
    let hash = fixture::light_password_hash()?;
    let organizer = fixture::organizer(&db, &hash).await?;
    let (event, types) =
        fixture::on_sale_event(&db, organizer, "Bench Queue: Opening Night", args.seats).await?;
    // Queued, and not on sale yet.
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await?;
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + interval '1 day' WHERE event_id = $1",
    )
    .bind(event)
    .execute(&db)
    .await?;
    fixture::buyers(&db, &hash, account_count).await?;

    let mut children = Children::default();
    let topology = start_shop(
        &mut children,
        &ShopSpec {
            database_url: &database_url,
            valkey_url: &args.services.valkey_url,
            webhook_secret: WEBHOOK_SECRET,
            hold_secs: HOLD_SECS,
            instances: 2,
            balancer: false,
            extra: &shop_settings(args),
        },
    )
    .await?;
    Ok(Shop {
        db,
        event,
        types,
        children,
        topology,
        account_count,
        sign_in_ahead,
    })
}

/// The crowd's shared state, the sale opening at `opened`.
fn crowd(
    args: &Args,
    shop: &Shop,
    clients: Vec<reqwest::Client>,
    bases: Vec<String>,
    opened: Instant,
) -> Arc<Crowd> {
    Arc::new(Crowd {
        clients,
        bases,
        event: shop.event,
        types: shop.types,
        opened,
        poll: Duration::from_secs_f64(args.poll_secs),
        until: opened + Duration::from_secs(180),
        polls: AtomicUsize::new(0),
        sign_in_ahead: shop.sign_in_ahead,
        tickets: args.tickets,
        accounts: AtomicUsize::new(0),
        account_count: shop.account_count,
        attacker_accounts: args.attacker_accounts(),
        attacker_turn: AtomicUsize::new(0),
        gate: Semaphore::new(args.connections),
        own: Semaphore::new(args.connections),
    })
}

/// The sale opens `opens_in` from now (the sweepers tell the queue within
/// their 2 s interval).
async fn open_sale_in(db: &PgPool, event: Uuid, opens_in: Duration) -> BenchResult<()> {
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + make_interval(secs => $2) WHERE event_id = $1",
    )
    .bind(event)
    .bind(opens_in.as_secs_f64())
    .execute(db)
    .await?;
    Ok(())
}

/// Steps 1 and 2 without an attack: everyone takes a place, then everyone
/// polls through the waiting window while its CPU is measured.
async fn join_then_wait(
    args: &Args,
    shop: &Shop,
    clients: Vec<reqwest::Client>,
    bases: Vec<String>,
) -> BenchResult<Before> {
    let (children, event) = (&shop.children, shop.event);
    // 1. Everyone takes a place before the opening.
    let gate = Arc::new(Semaphore::new(args.connections));
    let memory_before = waiting_room::valkey_info(&args.services.valkey_url, "used_memory").await?;
    let cpu_join_from = cpu::sample(&children.pids());
    let t = Instant::now();
    let mut tasks = Vec::with_capacity(args.visitors);
    for i in 0..args.visitors {
        let (client, base, gate) = (clients[i % 2].clone(), bases[i % 2].clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.expect("semaphore open");
            let mut cookies = Cookies::default();
            waiting_room::join(&client, &base, event, &mut cookies)
                .await
                .map(|()| cookies)
        }));
    }
    let mut places = Vec::with_capacity(args.visitors);
    for task in tasks {
        places.push(task.await?.map_err(|e| format!("joining: {e}"))?);
    }
    let joined_in = t.elapsed();
    let cpu_joins = cpu::sample(&children.pids()).since(&cpu_join_from);
    let memory_after = waiting_room::valkey_info(&args.services.valkey_url, "used_memory").await?;
    // Valkey's memory per place: the place, its session, its address set.
    let bytes_per_place = memory_after.saturating_sub(memory_before) / args.visitors.max(1) as u64;
    cpu::print(
        "joins (a session, the check and a place each)",
        &cpu_joins,
        args.visitors,
    );
    line(
        "Valkey memory per waiting visitor (place and session)",
        format!("{bytes_per_place} bytes"),
    );
    line(
        "joined the queue",
        format!(
            "{} in {:.1} s ({:.0} a second)",
            places.len(),
            joined_in.as_secs_f64(),
            places.len() as f64 / joined_in.as_secs_f64()
        ),
    );

    // 2 and 3. Everyone polls; the sale opens after the waiting window (the
    // window's CPU is measured before the sweepers tell the queue).
    let opens_in = Duration::from_secs(args.waiting_secs + 1);
    open_sale_in(&shop.db, event, opens_in).await?;
    let opened = Instant::now() + opens_in;
    let crowd = crowd(args, shop, clients, bases, opened);
    let poll = crowd.poll;
    let tasks: Vec<_> = places
        .into_iter()
        .enumerate()
        .map(|(index, cookies)| {
            let visitor = Visitor {
                index,
                cookies,
                address: None,
                account: Account::NextFree,
            };
            tokio::spawn(visitor::visit(crowd.clone(), visitor))
        })
        .collect();
    // The waiting window: from the first full interval of polls to just before the opening.
    tokio::time::sleep(poll).await;
    let (cpu_from, polls_from) = (
        cpu::sample(&children.pids()),
        crowd.polls.load(Ordering::Relaxed),
    );
    let window_from = Instant::now();
    tokio::time::sleep(
        Duration::from_secs(args.waiting_secs).saturating_sub(poll + Duration::from_millis(500)),
    )
    .await;
    let waiting_cpu = cpu::sample(&children.pids()).since(&cpu_from);
    let waiting_polls = crowd.polls.load(Ordering::Relaxed) - polls_from;
    let polls_per_s = waiting_polls as f64 / window_from.elapsed().as_secs_f64();
    cpu::print("waiting visitors' polls", &waiting_cpu, waiting_polls);
    // The same in microseconds, per kind of process (the goal: servers at most 20).
    let micros = |pick: &dyn Fn(&str) -> bool| {
        let secs: f64 = waiting_cpu
            .iter()
            .filter(|(name, _)| pick(name))
            .map(|(_, secs)| secs)
            .sum();
        (secs * 1e6 / waiting_polls.max(1) as f64 * 10.0).round() / 10.0
    };
    let poll_micros = json!({
        "servers": micros(&|n| n.starts_with("server")),
        "valkey": micros(&|n| n == "valkey"),
        "postgresql": micros(&|n| n == "postgresql"),
        "load_generator": micros(&|n| n == "load generator"),
    });
    line("CPU µs per poll", &poll_micros);
    line(
        "polls answered a second",
        format!(
            "{polls_per_s:.0} (every visitor every {:.1} s)",
            args.visitors as f64 / polls_per_s.max(1.0)
        ),
    );
    let report = json!({
        "join_s": round(joined_in.as_secs_f64()),
        "cpu_ms_per_join": cpu::per_operation(&cpu_joins, args.visitors),
        "valkey_bytes_per_waiting_visitor": bytes_per_place,
        "waiting": {
            "polls": waiting_polls,
            "polls_per_s": round(polls_per_s),
            "cpu_ms_per_poll": cpu::per_operation(&waiting_cpu, waiting_polls),
            "cpu_us_per_poll": poll_micros,
        },
    });
    Ok(Before {
        crowd,
        places: tasks.len(),
        tasks,
        waiting: Some((waiting_cpu, waiting_polls)),
        report: report.as_object().cloned().unwrap_or_default(),
        attack: None,
    })
}

/// Steps 1 and 2 under attack: the registration window, humans arriving and
/// the attacker taking what its CPU buys, until the opening.
async fn register_under_attack(
    args: &Args,
    shop: &Shop,
    clients: Vec<reqwest::Client>,
    bases: Vec<String>,
) -> BenchResult<Before> {
    let setting = args.under_attack();
    let accounts = attack::sign_in_accounts(
        &bases,
        args.visitors,
        args.attacker_accounts(),
        args.attacker_addresses,
    )
    .await?;
    setting.print_time_scale();
    open_sale_in(&shop.db, shop.event, setting.register).await?;
    let crowd = crowd(
        args,
        shop,
        clients,
        bases,
        Instant::now() + setting.register,
    );
    let (registration, tasks) = under_attack::register(
        &setting,
        &crowd,
        accounts,
        &shop.children.pids(),
        &args.services.valkey_url,
    )
    .await?;
    let places = registration.places();
    line(
        "places taken in the window",
        format!(
            "{places} ({} humans, {} attacker)",
            registration.human_places(),
            registration.attacker.places.len()
        ),
    );
    cpu::print(
        "registration (check pages, answers, sessions, humans' polls; the load generator's figure includes all the solving)",
        &registration.cpu,
        places,
    );
    let report = json!({
        "join_s": round(setting.register.as_secs_f64()),
        "cpu_ms_per_join": cpu::per_operation(&registration.cpu, places),
        "valkey_bytes_per_waiting_visitor": registration.valkey_bytes,
        "waiting": null,
    });
    Ok(Before {
        crowd,
        tasks,
        places,
        waiting: None,
        report: report.as_object().cloned().unwrap_or_default(),
        attack: Some(registration),
    })
}

async fn run(args: Args) -> BenchResult<bool> {
    let shop = set_up(&args).await?;
    let server_procs = shop.topology.procs.clone();
    let bases: Vec<String> = (0..2)
        .map(|i| shop.topology.entry_for(i).to_string())
        .collect();
    let clients = (0..2)
        .map(|_| waiting_room::client(args.connections))
        .collect::<reqwest::Result<Vec<_>>>()?;
    let before = if args.attacked() {
        register_under_attack(&args, &shop, clients, bases).await?
    } else {
        join_then_wait(&args, &shop, clients, bases).await?
    };
    let Shop {
        db,
        event,
        mut children,
        topology,
        ..
    } = shop;
    let crowd = before.crowd.clone();

    let (cpu_sale_from, polls_sale_from) = (
        cpu::sample(&children.pids()),
        crowd.polls.load(Ordering::Relaxed),
    );
    // A visitor reloading the home page through the sale (its few loads count
    // in the sale's CPU).
    let home = HomeProbe::start(topology.entry_for(0), args.home_per_s);
    let mut visits = Vec::with_capacity(before.tasks.len());
    for task in before.tasks {
        visits.push(task.await?);
    }
    let home = home.stop().await;
    home.print("home page during the sale p50/p99/max ms");
    let cpu_sale = cpu::sample(&children.pids()).since(&cpu_sale_from);
    let polls_in_sale = crowd.polls.load(Ordering::Relaxed) - polls_sale_from;
    // The sale's CPU less what its polls cost at the waiting window's rate:
    // what the admitted checkouts themselves cost (with their sign-ins).
    let cpu_checkouts: Option<BTreeMap<String, f64>> =
        before.waiting.as_ref().map(|(waiting_cpu, waiting_polls)| {
            let per_poll = |name: &str| {
                waiting_cpu.get(name).copied().unwrap_or(0.0) / (*waiting_polls).max(1) as f64
            };
            cpu_sale
                .iter()
                .map(|(name, secs)| {
                    (
                        name.clone(),
                        (secs - per_poll(name) * polls_in_sale as f64).max(0.0),
                    )
                })
                .collect()
        });

    // What happened.
    let places = before
        .attack
        .as_ref()
        .map_or(before.places, Registration::places);
    let is_attacker = |n: usize| n >= args.visitors;
    let mut polls = Latencies::default();
    for v in &visits {
        polls.extend(&v.polls);
    }
    let admitted: Vec<&Visit> = visits.iter().filter(|v| v.admitted_at.is_some()).collect();
    let mut sign_in = Latencies::default();
    for took in visits.iter().filter_map(|v| v.sign_in) {
        sign_in.push(took);
    }
    let checkouts = Checkouts::of(
        visits
            .iter()
            .enumerate()
            .filter(|(_, v)| v.admitted_at.is_some())
            .map(|(n, v)| (is_attacker(n), v)),
    );
    let (checkout, reserved) = (&checkouts.latency, &checkouts.reserved);
    // Answer times are measured from the opening.
    let sold_out_after = checkouts.last_reservation;
    let reserve_per_s = if sold_out_after.is_zero() {
        0.0
    } else {
        reserved.len() as f64 / sold_out_after.as_secs_f64()
    };
    let told_sold_out = visits.iter().filter(|v| v.sold_out_seen).count();
    let poll_errors: Vec<String> = visits.iter().flat_map(|v| v.errors.clone()).collect();
    // The draw: every number learnt is distinct.
    let numbers: Vec<u64> = visits.iter().filter_map(|v| v.number).collect();
    let distinct: BTreeSet<u64> = numbers.iter().copied().collect();
    let draw_ok = distinct.len() == numbers.len()
        && distinct.last().is_none_or(|last| *last <= places as u64);
    // Fairness: every number let through had its turn, each once.
    let (final_progress, _) =
        waiting_room::progress(&crowd.clients[0], &crowd.bases[0], event).await?;
    let turns_given = final_progress.admitted_to;
    let let_through: BTreeSet<u64> = admitted.iter().filter_map(|v| v.number).collect();
    let out_of_turn = let_through.iter().filter(|d| **d > turns_given).count();
    let twice = admitted.len() - let_through.len();
    let turn_after_last_seat = (1..=turns_given)
        .filter(|d| !let_through.contains(d))
        .count();
    let order_agreement = visitor::order_agreement(&admitted, crowd.poll);

    println!("sale:");
    line(
        "numbers learnt from the draw",
        format!("{} of {places}", numbers.len()),
    );
    line("let through", admitted.len());
    line("reserved", reserved.len());
    line("refused at checkout: sold out", checkouts.sold_out);
    line("checkout errors", checkouts.errors.len());
    for (text, n) in error_counts(checkouts.errors.iter().map(String::as_str)) {
        println!("    {n} x {text}");
    }
    line("told sold out while waiting", told_sold_out);
    line("poll errors", poll_errors.len());
    for (text, n) in error_counts(poll_errors.iter().map(String::as_str))
        .into_iter()
        .take(5)
    {
        println!("    {n} x {text}");
    }
    line(
        "poll p50/p99/max ms",
        format!(
            "{:.1} / {:.1} / {:.1}",
            polls.percentile(50.0),
            polls.percentile(99.0),
            polls.max()
        ),
    );
    line(
        "sign-ins ahead of the turn p50/p99 ms",
        format!(
            "{:.1} / {:.1}",
            sign_in.percentile(50.0),
            sign_in.percentile(99.0)
        ),
    );
    line(
        "admitted checkout p50/p95/p99/max ms",
        format!(
            "{:.1} / {:.1} / {:.1} / {:.1}",
            checkout.percentile(50.0),
            checkout.percentile(95.0),
            checkout.percentile(99.0),
            checkout.max()
        ),
    );
    line(
        "sold out after the opening",
        format!("{:.2} s", sold_out_after.as_secs_f64()),
    );
    line("reserve_per_s", round(reserve_per_s));
    line(
        "fairness",
        format!(
            "draw distinct {draw_ok}; turns given {turns_given}; out of turn {out_of_turn}; twice {twice}; turn came after the last seat {turn_after_last_seat}; order agreement {order_agreement:.3}"
        ),
    );
    let bought = admitted.iter().filter(|v| v.checkout.is_some()).count();
    cpu::print(
        "the sale (polls + sign-ins + admitted checkouts)",
        &cpu_sale,
        bought,
    );
    if let Some(cpu_checkouts) = &cpu_checkouts {
        cpu::print(
            &format!("sign-ins and admitted checkouts (the sale less its {polls_in_sale} polls)"),
            cpu_checkouts,
            bought,
        );
    }

    // 4. Pay everything reserved, then check.
    let (paid, refused) = settle::pay(&topology.emulator, reserved, 16).await?;
    let webhooks_ok = settle::wait_paid(&db, &paid, Duration::from_secs(60)).await?;
    line(
        "paid",
        format!(
            "{} of {} ({} refused), webhooks {}",
            paid.len(),
            reserved.len(),
            refused.len(),
            if webhooks_ok {
                "all recorded"
            } else {
                "NOT all recorded"
            }
        ),
    );
    let (state, _) = settle::wait_for(&db, event, Duration::from_secs(30), |s| {
        s.pending_orders == 0
    })
    .await?;
    let paid_at_emulator = settle::paid_at_emulator(&topology.emulator).await?;
    let paid_in_db = settle::paid_in_db(&db, &paid_at_emulator).await?;
    let mut checks = Checks::new(&state, paid_at_emulator.len() as i64, paid_in_db);
    checks.oversold += settle::types_over_quantity(&db, event).await?;
    let attack_figures = match &before.attack {
        Some(registration) => Some(
            under_attack::report(
                &args.under_attack(),
                registration,
                &visits,
                &checkouts,
                &db,
                event,
                &topology.servers,
            )
            .await?,
        ),
        None => None,
    };
    let rss: BTreeMap<String, Option<u64>> = server_procs
        .iter()
        .map(|&i| {
            (
                children.get(i).name.clone(),
                peak_rss_kib(children.get(i).pid()),
            )
        })
        .collect();
    let crashed = children.exited();
    drop(children);

    println!("summary:");
    line("sold", format!("{}/{}", checks.sold, checks.stock));
    line("oversold", checks.oversold);
    line("lost", checks.lost());
    // The order seen is reported, not checked: it measures when visitors
    // notice their turn (their next poll), which a saturated load generator
    // delays unevenly; the turns themselves are given in order by one counter.
    let fair = draw_ok && out_of_turn == 0 && twice == 0;
    let mut report = json!({
        "visitors": args.visitors, "seats": args.seats, "admit_per_sec": args.admit_per_sec,
        "poll_secs": args.poll_secs, "proof_bits": args.proof_bits, "tickets": args.tickets,
        "database": bench::pooler::route(),
        "home_page_during_sale": home.summary(),
        "poll_latency": polls.summary(),
        "sale": {
            "numbers_learnt": numbers.len(),
            "let_through": admitted.len(), "reserved": reserved.len(),
            "refused_sold_out": checkouts.sold_out, "checkout_errors": error_counts(checkouts.errors.iter().map(String::as_str)),
            "told_sold_out_while_waiting": told_sold_out, "poll_errors": poll_errors.len(),
            "sign_in_latency": sign_in.summary(),
            "admitted_checkout_latency": checkout.summary(),
            "sold_out_after_s": round(sold_out_after.as_secs_f64()),
            "reserve_per_s": round(reserve_per_s),
            "polls": polls_in_sale,
            "cpu_ms_per_checkout_with_polls": cpu::per_operation(&cpu_sale, bought),
            "cpu_ms_per_checkout_with_sign_in": cpu_checkouts.as_ref().map(|c| cpu::per_operation(c, bought)),
        },
        "fairness": {
            "draw_distinct": draw_ok, "turns_given": turns_given, "out_of_turn": out_of_turn,
            "turn_came_after_the_last_seat": turn_after_last_seat,
            "admitted_twice": twice, "order_agreement": (order_agreement * 1000.0).round() / 1000.0,
        },
        "checks": checks.to_json(),
        "peak_rss_kib": rss,
        "exited_during_run": crashed,
        "attack": attack_figures.as_ref().map(|(figures, _)| figures),
    });
    if let Some(map) = report.as_object_mut() {
        map.extend(before.report);
    }
    let path = write_json(&format!("{}.json", args.name), &report)?;
    println!("  written to {}", path.display());
    println!(
        "queued: visitors={} sold={}/{} oversold={} lost={} fair={} reserve_per_s={:.1} poll_p99_ms={:.1} checkout_p99_ms={:.1} sold_out_after_s={:.2} home_p99_ms={:.1}{}",
        args.visitors,
        checks.sold,
        checks.stock,
        checks.oversold,
        checks.lost(),
        fair,
        reserve_per_s,
        polls.percentile(99.0),
        checkout.percentile(99.0),
        sold_out_after.as_secs_f64(),
        home.latencies.percentile(99.0),
        attack_figures
            .as_ref()
            .map(|(_, summary)| format!(" {summary}"))
            .unwrap_or_default()
    );
    Ok(checks.passed() && crashed.is_empty() && fair && !numbers.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn setting<'a>(settings: &'a [(&str, String)], name: &str) -> Option<&'a str> {
        settings
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn without_an_attack_the_run_is_as_before() {
        Args::command().debug_assert();
        let args = Args::parse_from(["queued"]);
        assert!(!args.attacked());
        assert_eq!((args.tickets, args.proof_bits), (1, 8));
        let settings = shop_settings(&args);
        assert_eq!(setting(&settings, "QUEUE_PROOF_BITS"), Some("8"));
        assert_eq!(
            setting(&settings, "QUEUE_PLACES_PER_ADDRESS"),
            Some("100000000")
        );
        assert_eq!(setting(&settings, "CLIENT_IP_SOURCE"), None);
    }

    #[test]
    fn the_attack_run_keeps_the_shops_limits_on_its_time_scale() {
        let args = Args::parse_from([
            "queued",
            "--visitors",
            "5000",
            "--attackers",
            "20000",
            "--proof-bits",
            "15",
            "--tickets",
            "2",
        ]);
        assert!(args.attacked());
        assert_eq!(args.attacker_accounts(), 5000..5200);
        let settings = shop_settings(&args);
        assert_eq!(
            setting(&settings, "CLIENT_IP_SOURCE"),
            Some("RightmostXForwardedFor")
        );
        assert_eq!(setting(&settings, "QUEUE_PLACES_PER_ADDRESS"), None);
        assert_eq!(setting(&settings, "QUEUE_PROOF_BITS"), Some("15"));
        assert_eq!(
            setting(&settings, "QUEUE_CHECK_RAISE_PER_SEC"),
            Some("6400")
        );
    }
}
