//! `rush`: the on-sale rush against three release server instances behind
//! HAProxy, one of them stopped (SIGTERM, drained) and started again mid-rush.
//!
//! Set-up (before the clock): a fresh database `ticket_sales_bench`, migrated by
//! the release server; one published event with a capacity of `--seats` (500)
//! shared by two ticket types of 4/5 of that each (Standing and Seated, 400 +
//! 400) and `--buyers` buyer accounts (2,000) inserted with SQL; the Stripe emulator,
//! `--instances` (3) `server serve` processes sharing PostgreSQL and Valkey (own key
//! prefix), with 60 s holds, a 2 s sweeper, rate limits raised (not disabled) and
//! RUST_LOG=warn, and HAProxy in front of them (`--direct`: none, buyer i calls
//! instance i mod n). Every buyer signs in over HTTP, through the balancer.
//!
//! Part of the crowd has a code: every `--code-every`th buyer (4th) enters
//! `BENCHFANS` (10% off both types, `--code-uses` (60) tickets in all) before
//! the clock, as a link's `?code=` does; their checkouts use it until its
//! uses are gone, then are refused for the code. Afterwards the code's count
//! must equal the tickets bought with it, exactly.
//!
//! The rush: all buyers are released at once, at most `--connections` (200)
//! requests in flight; each adds one ticket to the cart (buyer i the type i % 2)
//! and POSTs checkout. `--restart-after-ms` (700) into it, the last instance is
//! sent SIGTERM, drains, exits and is started again; the balancer's health
//! checks take it out and back. Meanwhile a visitor loads the home page
//! `--home-per-s` (10) times a second, and its latency is reported.
//! What is counted:
//! - `attempts_per_s` = checkout POSTs answered (any outcome) / time from the
//!   release until the last checkout answer arrived;
//! - `reserve_per_s` = successful reservations (answers carrying a Stripe
//!   session) / time from the release until the last successful reservation's
//!   answer arrived. Both windows include the add-to-cart requests, which are
//!   part of the rush;
//! - checkout latency percentiles are over every checkout POST of the rush
//!   (add-to-cart excluded, reported apart), all outcomes.
//!
//! Afterwards: a random 80% of the sessions are paid at the emulator (webhooks
//! go round robin to both instances), the rest expire after the 60 s hold and
//! the sweepers release them; the buyers refused as sold out then retry checkout
//! in rounds until no seat is left, and those sessions are paid too. Finally the
//! bare hot-row UPDATE is timed on PostgreSQL at 2, 8, 32 and 200 clients
//! (`ceiling_per_s` = the best), and the run is checked: nothing oversold,
//! nothing lost (see `bench::report::Checks`). Figures go to stdout and
//! `target/bench/rush.json`; the last line is the one-line summary. Exit status
//! 1 when a check fails or the bench itself fails.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::ceiling;
use bench::cpu;
use bench::database;
use bench::fixture;
use bench::load::{self, Round};
use bench::probe::HomeProbe;
use bench::processes::{
    Children, EMULATOR_BIN, SERVER_BIN, ShopSpec, Topology, peak_rss_kib, require_binary,
    start_shop,
};
use bench::report::{Checks, error_counts, line};
use bench::settle;
use bench::shop::Buyer;
use bench::stats::{Latencies, round};
use bench::{BenchResult, Services, write_json};
use clap::Parser;
use rand::seq::SliceRandom;
use serde_json::json;

const DATABASE: &str = "ticket_sales_bench";
const WEBHOOK_SECRET: &str = "whsec_bench_rush";
/// The shortest hold the shop accepts.
const HOLD_SECS: u64 = 60;

#[derive(Parser, Debug)]
#[command(
    about = "The on-sale rush: checkout throughput and latency against release servers behind HAProxy"
)]
struct Args {
    #[command(flatten)]
    services: Services,
    #[arg(long, default_value_t = 500)]
    seats: i32,
    #[arg(long, default_value_t = 2000)]
    buyers: usize,
    /// Requests in flight during the rush.
    #[arg(long, default_value_t = 200)]
    connections: usize,
    /// Sign-ins in flight before the rush (argon2 is deliberately slow).
    #[arg(long, default_value_t = 16)]
    sign_in_concurrency: usize,
    /// Share of the rush's sessions that are paid; the rest expire.
    #[arg(long, default_value_t = 0.8)]
    pay_fraction: f64,
    /// Seconds per client count when timing the PostgreSQL ceiling (0: skip it).
    #[arg(long, default_value_t = 3)]
    ceiling_secs: u64,
    /// Server instances.
    #[arg(long, default_value_t = 3)]
    instances: usize,
    /// No balancer: buyer i calls instance i mod n directly (and nothing restarts).
    #[arg(long)]
    direct: bool,
    /// When, after the release, the last instance is stopped and started again.
    #[arg(long, default_value_t = 700)]
    restart_after_ms: u64,
    /// Nothing is restarted.
    #[arg(long)]
    no_restart: bool,
    /// Home page loads a second during the rush.
    #[arg(long, default_value_t = 10.0)]
    home_per_s: f64,
    /// Every how many buyers one has the code (0: nobody).
    #[arg(long, default_value_t = 4)]
    code_every: usize,
    /// Tickets the code may be used for in all.
    #[arg(long, default_value_t = 60)]
    code_uses: i32,
    /// File name of the JSON report under target/bench.
    #[arg(long, default_value = "rush.json")]
    json: String,
}

/// What happened to the instance stopped mid-rush.
struct Restart {
    name: String,
    stopped_at: Duration,
    drained_in: Duration,
    ready_after: Duration,
    /// Its CPU seconds between the rush's start and the stop.
    cpu_before_stop: f64,
}

/// Stops instance `index` `after` the release, starts it again and waits until
/// it answers `/readyz`.
async fn restart(
    children: &mut Children,
    topology: &Topology,
    after: Duration,
    cpu_before: &cpu::Sample,
) -> BenchResult<Restart> {
    let n = topology.procs.len() - 1;
    let index = topology.procs[n];
    let release = Instant::now();
    tokio::time::sleep(after).await;
    let name = children.get(index).name.clone();
    let at_stop = cpu::sample(&children.pids());
    let stopped_at = release.elapsed();
    let drained_in = children.stop(index, Duration::from_secs(30)).await?;
    children.restart(index)?;
    let back = Instant::now();
    children
        .wait_ready(index, &format!("{}/readyz", topology.servers[n]))
        .await?;
    Ok(Restart {
        cpu_before_stop: at_stop.0.get(&name).copied().unwrap_or(0.0)
            - cpu_before.0.get(&name).copied().unwrap_or(0.0),
        name,
        stopped_at,
        drained_in,
        ready_after: back.elapsed(),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    bench::run_to_exit("rush", run(args)).await
}

fn per_s(count: usize, window: Duration) -> f64 {
    if window.is_zero() {
        0.0
    } else {
        count as f64 / window.as_secs_f64()
    }
}

fn print_round(name: &str, r: &Round) {
    let posted = r.posted().count();
    println!("{name}: {} buyers", r.attempts.len());
    line("checkout POSTs answered", posted);
    line("reserved", r.reserved().count());
    line("refused: sold out", r.sold_out().count());
    line("refused: code used up", r.code_refused().count());
    line("other errors", r.errors().count());
    for (text, n) in error_counts(r.errors().map(|(_, t)| t)) {
        println!("    {n} x {text}");
    }
    line(
        "window (last answer)",
        format!("{:.3} s", r.last_answer().as_secs_f64()),
    );
}

async fn run(args: Args) -> BenchResult<bool> {
    require_binary(SERVER_BIN)?;
    require_binary(EMULATOR_BIN)?;
    println!(
        "rush: set-up (database {DATABASE}, {} buyers, {} seats)",
        args.buyers, args.seats
    );
    let (database_url, db) = database::fresh(&args.services.database_url, DATABASE, 8).await?;
    let hash = fixture::password_hash()?;
    let organizer = fixture::organizer(&db, &hash).await?;
    let (ticket, types) =
        fixture::on_sale_event(&db, organizer, "Bench Rush: Opening Night", args.seats).await?;
    let hot_row = fixture::ticket(
        &db,
        organizer,
        "Bench ceiling (hot row)",
        i32::MAX,
        "draft",
        30,
    )
    .await?;
    fixture::buyers(&db, &hash, args.buyers).await?;
    let code = fixture::code(&db, ticket, &types, organizer, args.code_uses).await?;

    let mut children = Children::default();
    let topology = start_shop(
        &mut children,
        &ShopSpec {
            database_url: &database_url,
            valkey_url: &args.services.valkey_url,
            webhook_secret: WEBHOOK_SECRET,
            hold_secs: HOLD_SECS,
            instances: args.instances,
            balancer: !args.direct,
            extra: &[],
        },
    )
    .await?;
    let server_procs = topology.procs.clone();
    let buyers: Arc<Vec<Buyer>> = Arc::new(
        (0..args.buyers)
            .map(|i| Buyer::new(i, topology.entry_for(i)))
            .collect::<BenchResult<_>>()?,
    );
    let took = load::sign_in_all(&buyers, args.sign_in_concurrency).await?;
    line(
        "signed in",
        format!("{} buyers in {:.1} s", buyers.len(), took.as_secs_f64()),
    );
    let coded: Vec<usize> = (0..args.buyers)
        .filter(|i| args.code_every > 0 && i % args.code_every == args.code_every - 1)
        .collect();
    for &i in &coded {
        if !buyers[i].enter_code(ticket, fixture::CODE).await? {
            return Err(format!("buyer {i}: the code was not taken").into());
        }
    }
    line(
        "buyers with the code",
        format!("{} ({} uses in all)", coded.len(), args.code_uses),
    );
    // Peak RSS so far, to tell sign-in's memory (argon2: 19 MiB a hash) from the rush's.
    let rss_after_sign_in: Vec<Option<u64>> = server_procs
        .iter()
        .map(|&i| peak_rss_kib(children.get(i).pid()))
        .collect();
    line(
        "peak RSS after sign-in (KiB)",
        format!("{rss_after_sign_in:?}"),
    );

    // The rush.
    let everyone: Vec<usize> = (0..args.buyers).collect();
    let cpu_before = cpu::sample(&children.pids());
    let home = HomeProbe::start(topology.entry_for(0), args.home_per_s);
    let restarting = !args.direct && !args.no_restart;
    let (rush, restarted) = tokio::join!(
        load::round(&buyers, &everyone, &types, args.connections),
        async {
            if restarting {
                let after = Duration::from_millis(args.restart_after_ms);
                Some(restart(&mut children, &topology, after, &cpu_before).await)
            } else {
                None
            }
        }
    );
    let restarted = restarted.transpose()?;
    let rush_done = Instant::now();
    let home = home.stop().await;
    let mut cpu_spent = cpu::sample(&children.pids()).since(&cpu_before);
    if let Some(r) = &restarted {
        // The stopped process's share, plus all of its successor's.
        let successor = cpu_spent.get(&r.name).copied().unwrap_or(0.0)
            + cpu_before.0.get(&r.name).copied().unwrap_or(0.0);
        cpu_spent.insert(r.name.clone(), r.cpu_before_stop + successor);
    }
    print_round("rush", &rush);
    if let Some(r) = &restarted {
        line(
            &format!("{} restarted", r.name),
            format!(
                "SIGTERM at {:.2} s, drained and exited in {:.2} s, ready again {:.2} s later",
                r.stopped_at.as_secs_f64(),
                r.drained_in.as_secs_f64(),
                r.ready_after.as_secs_f64()
            ),
        );
    }
    home.print("home page during the rush p50/p99/max ms");
    // CPU per checkout (add to cart + checkout POST + the Stripe session).
    cpu::print("rush CPU", &cpu_spent, rush.posted().count());
    let attempts_per_s = per_s(rush.posted().count(), rush.last_answer());
    let reserve_per_s = per_s(rush.reserved().count(), rush.last_reservation());
    let checkout = rush.checkout_latencies();
    let cart = rush.cart_latencies();
    line("attempts_per_s", round(attempts_per_s));
    line(
        "reserve_per_s",
        format!(
            "{} (last seat at {:.3} s)",
            round(reserve_per_s),
            rush.last_reservation().as_secs_f64()
        ),
    );
    line(
        "checkout p50/p95/p99/max ms",
        format!(
            "{:.1} / {:.1} / {:.1} / {:.1}",
            checkout.percentile(50.0),
            checkout.percentile(95.0),
            checkout.percentile(99.0),
            checkout.max()
        ),
    );
    line(
        "add-to-cart p50/p95/p99/max ms",
        format!(
            "{:.1} / {:.1} / {:.1} / {:.1}",
            cart.percentile(50.0),
            cart.percentile(95.0),
            cart.percentile(99.0),
            cart.max()
        ),
    );

    // Pay a random share; the rest expire.
    let mut sessions: Vec<String> = rush.reserved().map(|(_, s)| s.to_string()).collect();
    sessions.shuffle(&mut rand::rng());
    let to_pay = ((sessions.len() as f64) * args.pay_fraction).round() as usize;
    let (mut paid, mut pay_refused) =
        settle::pay(&topology.emulator, &sessions[..to_pay], 16).await?;
    let t = Instant::now();
    let webhooks_ok = settle::wait_paid(&db, &paid, Duration::from_secs(60)).await?;
    println!(
        "payment: {} of {} sessions paid at the emulator ({} refused)",
        paid.len(),
        sessions.len(),
        pay_refused.len()
    );
    line(
        "webhooks recorded them",
        format!(
            "{} after {:.1} s",
            if webhooks_ok { "all" } else { "NOT all" },
            t.elapsed().as_secs_f64()
        ),
    );
    let (state, expired_ok) =
        settle::wait_for(&db, ticket, Duration::from_secs(HOLD_SECS + 90), |s| {
            s.pending_orders == 0
        })
        .await?;
    line(
        "unpaid holds released",
        format!(
            "{} {} s after the rush ({} expired orders, {} seats free)",
            if expired_ok { "all" } else { "NOT all" },
            rush_done.elapsed().as_secs(),
            state.expired_orders,
            state.available()
        ),
    );

    // The waiting buyers buy the freed seats.
    let mut waiting: Vec<usize> = rush.sold_out().map(|a| a.buyer).collect();
    let mut retries = Latencies::default();
    let mut retry_rounds = Vec::new();
    let mut retry_errors = 0;
    let mut state = state;
    while state.available() > 0 && !waiting.is_empty() && retry_rounds.len() < 10 {
        let r = load::round(&buyers, &waiting, &[], args.connections).await;
        print_round(&format!("retry round {}", retry_rounds.len() + 1), &r);
        retries.extend(&r.checkout_latencies());
        retry_errors += r.errors().count();
        let won: Vec<String> = r.reserved().map(|(_, s)| s.to_string()).collect();
        let (more, refused) = settle::pay(&topology.emulator, &won, 16).await?;
        settle::wait_paid(&db, &more, Duration::from_secs(60)).await?;
        retry_rounds.push(json!({
            "buyers": r.attempts.len(), "reserved": won.len(), "sold_out": r.sold_out().count(),
            "errors": r.errors().count(), "window_s": round(r.last_answer().as_secs_f64()),
        }));
        paid.extend(more);
        pay_refused.extend(refused);
        waiting = r.sold_out().map(|a| a.buyer).collect();
        state = settle::wait_for(&db, ticket, Duration::from_secs(HOLD_SECS + 30), |s| {
            s.pending_orders == 0
        })
        .await?
        .0;
    }

    // Everything settled: check.
    let (state, _) = settle::wait_for(&db, ticket, Duration::from_secs(30), |s| {
        s.pending_orders == 0
    })
    .await?;
    let paid_at_emulator = settle::paid_at_emulator(&topology.emulator).await?;
    let paid_in_db = settle::paid_in_db(&db, &paid_at_emulator).await?;
    let mut checks = Checks::new(&state, paid_at_emulator.len() as i64, paid_in_db);
    // No type over its own quantity either (each is counted as oversold).
    checks.oversold += settle::types_over_quantity(&db, ticket).await?;
    // The code's count is the tickets bought with it, within its uses.
    let uses = settle::code_uses(&db, code).await?;
    line(
        "code BENCHFANS used / tickets with it / uses",
        format!(
            "{} / {} / {} ({} discounted at 10%)",
            uses.used, uses.tickets, uses.max_uses, uses.discounted
        ),
    );
    let codes_exact = uses.exact();

    // The PostgreSQL ceiling, with the shop idle.
    println!(
        "ceiling: bare `{}` on one hot row, autocommit",
        ceiling::UPDATE
    );
    let mut levels = Vec::new();
    let client_counts: &[usize] = if args.ceiling_secs == 0 {
        &[]
    } else {
        &[2, 8, 32, 200]
    };
    for &clients in client_counts {
        let level = ceiling::measure(
            &database_url,
            hot_row,
            clients,
            Duration::from_secs(args.ceiling_secs),
        )
        .await?;
        line(
            &format!("{clients} clients"),
            format!("{:.0} updates/s", level.per_s),
        );
        levels.push(level);
    }
    let ceiling_per_s = levels.iter().map(|l| l.per_s).fold(0.0, f64::max);
    let ratio = if ceiling_per_s > 0.0 {
        reserve_per_s / ceiling_per_s
    } else {
        0.0
    };

    let rss: Vec<(String, Option<u64>)> = server_procs
        .iter()
        .map(|&i| {
            (
                children.get(i).name.clone(),
                peak_rss_kib(children.get(i).pid()),
            )
        })
        .collect();
    // What an operator's Prometheus would have scraped from the first instance.
    let metrics = reqwest::Client::new()
        .get(format!("{}/metrics", topology.servers[0]))
        .bearer_auth(bench::METRICS_TOKEN)
        .send()
        .await?
        .text()
        .await?;
    let sample = std::path::Path::new(bench::OUT_DIR).join("rush-metrics.txt");
    std::fs::write(&sample, &metrics)?;
    println!("/metrics of server-a at the end ({}):", sample.display());
    for row in metrics.lines().filter(|row| {
        row.starts_with("shop_reservations_total")
            || row.starts_with("shop_orders_total")
            || row.starts_with("shop_webhook_events_total")
            || row.starts_with("shop_sweeper_total{action=\"released\"}")
            || row.starts_with("shop_db_pool")
    }) {
        println!("    {row}");
    }
    let crashed = children.exited();
    let restart_json = restarted.as_ref().map(|r| {
        json!({"instance": r.name, "sigterm_at_s": round(r.stopped_at.as_secs_f64()),
            "drained_s": round(r.drained_in.as_secs_f64()), "ready_again_s": round(r.ready_after.as_secs_f64())})
    });
    drop(children);

    println!("summary:");
    line(
        "sold (events.sold: two types sharing the capacity)",
        format!("{}/{}", checks.sold, checks.stock),
    );
    line("tickets issued", checks.tickets);
    line("oversold", checks.oversold);
    line(
        "lost",
        format!(
            "{} (paid at emulator, not in db: {}; stuck pending: {}; seats held by no order: {})",
            checks.lost(),
            checks.paid_not_in_db,
            checks.stuck_pending,
            checks.orphan_reserved
        ),
    );
    line(
        "orders paid / expired / other",
        format!(
            "{} / {} / {}",
            state.paid_orders, state.expired_orders, state.other_orders
        ),
    );
    line("payments refused by the emulator", pay_refused.len());
    line(
        "non-sold-out errors (rush + retries)",
        rush.errors().count() + retry_errors,
    );
    line("attempts_per_s", round(attempts_per_s));
    line("reserve_per_s", round(reserve_per_s));
    line("ceiling_per_s", round(ceiling_per_s));
    line("ratio reserve/ceiling", format!("{:.3}", ratio));
    line(
        "checkout p50/p95/p99 ms",
        format!(
            "{:.1} / {:.1} / {:.1}",
            checkout.percentile(50.0),
            checkout.percentile(95.0),
            checkout.percentile(99.0)
        ),
    );
    for (name, kib) in &rss {
        line(
            &format!("peak RSS {name}"),
            kib.map_or("unknown".into(), |k| {
                format!("{:.1} MiB", k as f64 / 1024.0)
            }),
        );
    }
    if !crashed.is_empty() {
        line("EXITED during the run", crashed.join(", "));
    }

    let report = json!({
        "buyers": args.buyers, "seats": args.seats, "connections": args.connections,
        "instances": args.instances, "balancer": if args.direct { "none" } else { "haproxy" },
        "database": bench::pooler::route(),
        "restarted": restart_json, "home_page_during_rush": home.summary(),
        "hold_secs": HOLD_SECS, "sign_in_s": round(took.as_secs_f64()),
        "rush": {
            "checkouts_answered": rush.posted().count(), "reserved": rush.reserved().count(),
            "sold_out": rush.sold_out().count(), "code_refused": rush.code_refused().count(),
            "errors": error_counts(rush.errors().map(|(_, t)| t)),
            "window_s": round(rush.last_answer().as_secs_f64()),
            "last_reservation_s": round(rush.last_reservation().as_secs_f64()),
            "attempts_per_s": round(attempts_per_s), "reserve_per_s": round(reserve_per_s),
            "checkout_latency": checkout.summary(), "add_to_cart_latency": cart.summary(),
            "cpu_ms_per_checkout": cpu::per_operation(&cpu_spent, rush.posted().count()),
        },
        "payments": { "paid": paid.len(), "refused": pay_refused },
        "retry_rounds": retry_rounds, "retry_checkout_latency": retries.summary(),
        "checks": checks.to_json(),
        "code": {
            "buyers_with_it": coded.len(), "max_uses": uses.max_uses, "used": uses.used,
            "tickets_with_it": uses.tickets, "discounted": uses.discounted, "exact": codes_exact,
        },
        "ceiling": levels.iter().map(|l| json!({"clients": l.clients, "updates": l.updates, "refused": l.refused, "per_s": round(l.per_s)})).collect::<Vec<_>>(),
        "ceiling_per_s": round(ceiling_per_s), "ratio": (ratio * 1000.0).round() / 1000.0,
        "peak_rss_kib_after_sign_in": rss_after_sign_in,
        "peak_rss_kib": rss.iter().map(|(n, k)| (n.clone(), json!(k))).collect::<serde_json::Map<_, _>>(),
        "exited_during_run": crashed,
    });
    let path = write_json(&args.json, &report)?;
    println!("  written to {}", path.display());
    println!(
        "rush: sold={}/{} oversold={} lost={} code_used={}/{} code_exact={} reserve_per_s={:.1} ceiling_per_s={:.1} ratio={:.3} p99_ms={:.1} home_p99_ms={:.1}",
        checks.sold,
        checks.stock,
        checks.oversold,
        checks.lost(),
        uses.used,
        uses.max_uses,
        codes_exact,
        reserve_per_s,
        ceiling_per_s,
        ratio,
        checkout.percentile(99.0),
        home.latencies.percentile(99.0)
    );
    Ok(checks.passed() && codes_exact && crashed.is_empty())
}
