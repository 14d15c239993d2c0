//! `queued`: the on-sale rush through the waiting room, beside `rush`.
//!
//! Set-up (before the clock): a fresh database `ticket_sales_bench_queued`;
//! one published event whose queue is on, with a capacity of `--seats` (500)
//! shared by two ticket types (as in `rush`), its sale opening later; enough
//! buyer accounts for everyone who may be let through; two `server serve`
//! instances letting `--admit-per-sec` visitors through.
//!
//! `--visitors` (5,000; `make bench` also runs 100,000) are simulated as the
//! holding page's script behaves, cheaply (`bench::waiting_room`): each joins
//! as a guest before the opening (visitor i on instance i % 2), then asks the
//! queue's public progress every `--poll-secs`, asks its own status once after
//! the draw (its number) and once when its number has come (its admission).
//! A visitor signs in (timed apart; the accounts' password hashes are argon2's
//! lightest, since `rush` measures sign-ins) when their turn is
//! `--sign-in-ahead-secs` away, as a buyer near the front would; once let
//! through they add one ticket (type i % 2) and check out (the admitted
//! checkout, timed).
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
//! Figures go to stdout and `target/bench/{--name}.json` (`queued`); the last
//! line is the one-line summary. Exit status 1 when a check fails.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bench::cpu;
use bench::database;
use bench::fixture;
use bench::probe::HomeProbe;
use bench::processes::{
    Children, EMULATOR_BIN, SERVER_BIN, ShopSpec, peak_rss_kib, require_binary, start_shop,
};
use bench::report::{Checks, error_counts, line};
use bench::settle;
use bench::shop::{Buyer, Checkout};
use bench::stats::{Latencies, round};
use bench::waiting_room::{self, Cookies, Status};
use bench::{BenchResult, Services, write_json};
use clap::Parser;
use serde_json::json;
use tokio::sync::Semaphore;
use uuid::Uuid;

const DATABASE: &str = "ticket_sales_bench_queued";
const WEBHOOK_SECRET: &str = "whsec_bench_queued";
const HOLD_SECS: u64 = 600;

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
    /// The name of the figures' file under target/bench (without `.json`).
    #[arg(long, default_value = "queued")]
    name: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    bench::run_to_exit("queued", run(args)).await
}

/// One visitor's run through the queue.
#[derive(Debug, Default)]
struct Visit {
    /// Their number from the draw (1 is first).
    number: Option<u64>,
    admitted_at: Option<Duration>,
    sign_in: Option<Duration>,
    checkout: Option<(Duration, Duration, Checkout)>,
    sold_out_seen: bool,
    polls: Latencies,
    errors: Vec<String>,
}

/// What every visitor shares.
struct Crowd {
    clients: Vec<reqwest::Client>,
    bases: Vec<String>,
    event: Uuid,
    types: [Uuid; 2],
    opened: Instant,
    poll: Duration,
    until: Instant,
    polls: AtomicUsize,
    /// Visitors whose turn is this many numbers away sign in.
    sign_in_ahead: u64,
    /// Accounts handed to visitors about to be let through, in turn.
    accounts: AtomicUsize,
    account_count: usize,
    /// Requests in flight: the polls of everyone.
    gate: Semaphore,
    /// Requests in flight: a visitor's own (number, admission, sign-in,
    /// checkout), which a browser never queues behind other people's polls.
    own: Semaphore,
}

/// Polls until the visitor is let through (then buys) or the sale is sold
/// out, or the run's end passes.
async fn visit(crowd: Arc<Crowd>, i: usize, mut cookies: Cookies) -> Visit {
    let (client, base) = (&crowd.clients[i % 2], crowd.bases[i % 2].as_str());
    let mut out = Visit::default();
    let mut buyer: Option<Buyer> = None;
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
            match waiting_room::status(client, base, crowd.event, &mut cookies).await {
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
            match sign_in(&crowd, i, &cookies, &mut out).await {
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
                waiting_room::status(client, base, crowd.event, &mut cookies).await
            };
            match admitted {
                Ok(Status::Admitted { .. }) => {
                    out.admitted_at = Some(crowd.opened.elapsed());
                    if let Some(buyer) = &buyer {
                        for (name, value) in
                            cookies.0.iter().filter(|(n, _)| n.starts_with("ts_admit_"))
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

/// A visitor near the front signs in (to the next bench account) in the
/// browser that holds their place.
async fn sign_in(
    crowd: &Crowd,
    i: usize,
    cookies: &Cookies,
    out: &mut Visit,
) -> Result<Buyer, String> {
    let account = crowd.accounts.fetch_add(1, Ordering::Relaxed);
    if account >= crowd.account_count {
        return Err(format!(
            "no bench account left for the {account}th to sign in"
        ));
    }
    let buyer =
        Buyer::with_cookies(account, &crowd.bases[i % 2], &cookies.0).map_err(|e| e.to_string())?;
    let _permit = crowd.own.acquire().await.expect("semaphore open");
    let started = Instant::now();
    buyer.sign_in().await.map_err(|e| format!("sign-in: {e}"))?;
    out.sign_in = Some(started.elapsed());
    Ok(buyer)
}

/// A visitor let through adds one ticket and checks out.
async fn buy(crowd: &Crowd, i: usize, buyer: &Buyer, out: &mut Visit) {
    let _permit = crowd.own.acquire().await.expect("semaphore open");
    let started = Instant::now();
    let outcome = match buyer.add_to_cart(crowd.types[i % 2], 1).await {
        Ok(()) => buyer.checkout().await,
        Err(err) => Checkout::Error(format!("add to cart: {err}")),
    };
    out.checkout = Some((started.elapsed(), crowd.opened.elapsed(), outcome));
}

async fn run(args: Args) -> BenchResult<bool> {
    require_binary(SERVER_BIN)?;
    require_binary(EMULATOR_BIN)?;
    // Accounts for everyone who may sign in: the seats twice over, those let
    // through before the queue learns it sold out, and those signed in ahead.
    let sign_in_ahead = (args.admit_per_sec * args.sign_in_ahead_secs).ceil() as u64;
    let account_count =
        (args.seats as usize * 2 + (args.admit_per_sec * 10.0) as usize + sign_in_ahead as usize)
            .min(args.visitors);
    println!(
        "queued: set-up (database {DATABASE}, {} visitors, {} seats, {} let through a second)",
        args.visitors, args.seats, args.admit_per_sec
    );
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
            extra: &[
                ("QUEUE_ADMIT_PER_SEC", args.admit_per_sec.to_string()),
                ("QUEUE_ADMISSION_SECS", "600".into()),
                // Every visitor comes from 127.0.0.1: raised for the run, never off.
                ("QUEUE_PLACES_PER_ADDRESS", "100000000".into()),
                // The browser check stays on, at a few hundred hashes: this
                // bench weighs the queue; a phone's cost is the check's own.
                ("QUEUE_PROOF_BITS", "8".into()),
            ],
        },
    )
    .await?;
    let server_procs = topology.procs.clone();
    let bases: Vec<String> = (0..2).map(|i| topology.entry_for(i).to_string()).collect();
    let clients = (0..2)
        .map(|_| waiting_room::client(args.connections))
        .collect::<reqwest::Result<Vec<_>>>()?;

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
    // sweepers tell the queue within their 2 s interval; the window's CPU is
    // measured before that).
    let poll = Duration::from_secs_f64(args.poll_secs);
    let opens_in = Duration::from_secs(args.waiting_secs + 1);
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + make_interval(secs => $2) WHERE event_id = $1",
    )
    .bind(event)
    .bind(opens_in.as_secs_f64())
    .execute(&db)
    .await?;
    let start = Instant::now();
    let opened = start + opens_in;
    let crowd = Arc::new(Crowd {
        clients,
        bases,
        event,
        types,
        opened,
        poll,
        until: opened + Duration::from_secs(180),
        polls: AtomicUsize::new(0),
        sign_in_ahead,
        accounts: AtomicUsize::new(0),
        account_count,
        gate: Semaphore::new(args.connections),
        own: Semaphore::new(args.connections),
    });
    let tasks: Vec<_> = places
        .into_iter()
        .enumerate()
        .map(|(i, cookies)| tokio::spawn(visit(crowd.clone(), i, cookies)))
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

    let (cpu_sale_from, polls_sale_from) = (
        cpu::sample(&children.pids()),
        crowd.polls.load(Ordering::Relaxed),
    );
    // A visitor reloading the home page through the sale (its few loads count
    // in the sale's CPU).
    let home = HomeProbe::start(topology.entry_for(0), args.home_per_s);
    let mut visits = Vec::with_capacity(tasks.len());
    for task in tasks {
        visits.push(task.await?);
    }
    let home = home.stop().await;
    home.print("home page during the sale p50/p99/max ms");
    let cpu_sale = cpu::sample(&children.pids()).since(&cpu_sale_from);
    let polls_in_sale = crowd.polls.load(Ordering::Relaxed) - polls_sale_from;
    // The sale's CPU less what its polls cost at the waiting window's rate:
    // what the admitted checkouts themselves cost (with their sign-ins).
    let per_poll =
        |name: &str| waiting_cpu.get(name).copied().unwrap_or(0.0) / waiting_polls.max(1) as f64;
    let cpu_checkouts: BTreeMap<String, f64> = cpu_sale
        .iter()
        .map(|(name, secs)| {
            (
                name.clone(),
                (secs - per_poll(name) * polls_in_sale as f64).max(0.0),
            )
        })
        .collect();

    // What happened.
    let mut polls = Latencies::default();
    for v in &visits {
        polls.extend(&v.polls);
    }
    let admitted: Vec<&Visit> = visits.iter().filter(|v| v.admitted_at.is_some()).collect();
    let (mut checkout, mut sign_in) = (Latencies::default(), Latencies::default());
    let mut reserved = Vec::new();
    let mut last_reservation = Duration::ZERO;
    let (mut sold_out_refusals, mut checkout_errors) = (0, Vec::new());
    for took in visits.iter().filter_map(|v| v.sign_in) {
        sign_in.push(took);
    }
    for v in &admitted {
        if let Some((latency, at, outcome)) = &v.checkout {
            match outcome {
                Checkout::Reserved { session_id } => {
                    checkout.push(*latency);
                    reserved.push(session_id.clone());
                    last_reservation = last_reservation.max(*at);
                }
                Checkout::SoldOut => {
                    checkout.push(*latency);
                    sold_out_refusals += 1
                }
                // Nobody in this crowd has a code.
                Checkout::CodeRefused => checkout_errors.push("code refused".into()),
                Checkout::Error(text) => checkout_errors.push(text.clone()),
            }
        }
    }
    // Answer times are measured from the opening.
    let sold_out_after = last_reservation;
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
        && distinct
            .last()
            .is_none_or(|last| *last <= args.visitors as u64);
    // Fairness: the numbers let through are exactly 1..k.
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
    // How far the order seen matches the draw: pairs let through in the drawn
    // order (or in the same poll interval) out of all pairs.
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
    let order_agreement = if pairs == 0 {
        1.0
    } else {
        agree as f64 / pairs as f64
    };

    println!("sale:");
    line(
        "numbers learnt from the draw",
        format!("{} of {}", numbers.len(), args.visitors),
    );
    line("let through", admitted.len());
    line("reserved", reserved.len());
    line("refused at checkout: sold out", sold_out_refusals);
    line("checkout errors", checkout_errors.len());
    for (text, n) in error_counts(checkout_errors.iter().map(String::as_str)) {
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
    let checkouts = admitted.iter().filter(|v| v.checkout.is_some()).count();
    cpu::print(
        "the sale (polls + sign-ins + admitted checkouts)",
        &cpu_sale,
        checkouts,
    );
    cpu::print(
        &format!("sign-ins and admitted checkouts (the sale less its {polls_in_sale} polls)"),
        &cpu_checkouts,
        checkouts,
    );

    // 4. Pay everything reserved, then check.
    let (paid, refused) = settle::pay(&topology.emulator, &reserved, 16).await?;
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
    let report = json!({
        "visitors": args.visitors, "seats": args.seats, "admit_per_sec": args.admit_per_sec,
        "poll_secs": args.poll_secs, "join_s": round(joined_in.as_secs_f64()),
        "database": bench::pooler::route(),
        "cpu_ms_per_join": cpu::per_operation(&cpu_joins, args.visitors),
        "valkey_bytes_per_waiting_visitor": bytes_per_place,
        "home_page_during_sale": home.summary(),
        "waiting": {
            "polls": waiting_polls,
            "polls_per_s": round(polls_per_s),
            "cpu_ms_per_poll": cpu::per_operation(&waiting_cpu, waiting_polls),
            "cpu_us_per_poll": poll_micros,
        },
        "poll_latency": polls.summary(),
        "sale": {
            "numbers_learnt": numbers.len(),
            "let_through": admitted.len(), "reserved": reserved.len(),
            "refused_sold_out": sold_out_refusals, "checkout_errors": error_counts(checkout_errors.iter().map(String::as_str)),
            "told_sold_out_while_waiting": told_sold_out, "poll_errors": poll_errors.len(),
            "sign_in_latency": sign_in.summary(),
            "admitted_checkout_latency": checkout.summary(),
            "sold_out_after_s": round(sold_out_after.as_secs_f64()),
            "reserve_per_s": round(reserve_per_s),
            "polls": polls_in_sale,
            "cpu_ms_per_checkout_with_polls": cpu::per_operation(&cpu_sale, checkouts),
            "cpu_ms_per_checkout_with_sign_in": cpu::per_operation(&cpu_checkouts, checkouts),
        },
        "fairness": {
            "draw_distinct": draw_ok, "turns_given": turns_given, "out_of_turn": out_of_turn,
            "turn_came_after_the_last_seat": turn_after_last_seat,
            "admitted_twice": twice, "order_agreement": (order_agreement * 1000.0).round() / 1000.0,
        },
        "checks": checks.to_json(),
        "peak_rss_kib": rss,
        "exited_during_run": crashed,
    });
    let path = write_json(&format!("{}.json", args.name), &report)?;
    println!("  written to {}", path.display());
    println!(
        "queued: visitors={} sold={}/{} oversold={} lost={} fair={} reserve_per_s={:.1} poll_p99_ms={:.1} checkout_p99_ms={:.1} sold_out_after_s={:.2} home_p99_ms={:.1}",
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
        home.latencies.percentile(99.0)
    );
    Ok(checks.passed() && crashed.is_empty() && fair && !numbers.is_empty())
}
