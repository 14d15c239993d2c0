//! `pages`: how fast one release server instance serves pages, beside a static
//! file of the same size from the same server, and how big the app's wasm is.
//!
//! A fresh database `ticket_sales_bench_pages` gets 50 published events (SQL).
//! Each target — the home page `/`, one ticket page `/events/{id}`, and
//! `/bench-static.html` (the home page's own HTML written into the site root,
//! so the same bytes, removed afterwards) — is warmed up for 1 s and then loaded
//! for `--secs` (5) at `--connections` (64) closed-loop connections sending the
//! headers a browser sends (so answers are compressed as for real visitors).
//! Requests per second count 2xx answers read to the end; p99 is over every
//! request. The wasm is the main bundle in `target/site/pkg`, raw and gzip -9;
//! then a real Chromium (`end2end/bench/browser.mjs`) measures what pages
//! transfer and how soon the search reacts on a throttled phone, and
//! (`end2end/bench/queue_check.mjs`) how long the waiting room's browser check
//! takes that phone on a queued sale (a 51st event, 60 days ahead).
//! Figures go to stdout and `target/bench/pages.json`; the last line is the
//! one-line summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bench::cpu;
use bench::database;
use bench::fixture;
use bench::http_load::{self, Load};
use bench::processes::{Children, SERVER_BIN, free_port, peak_rss_kib, require_binary};
use bench::stats::round;
use bench::{BenchResult, Services, write_json};
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::json;

const DATABASE: &str = "ticket_sales_bench_pages";
const SITE_ROOT: &str = "target/site";
const PKG: &str = "target/site/pkg";
const STATIC_NAME: &str = "bench-static.html";

#[derive(Parser, Debug)]
#[command(about = "Page serving rate and latency of a release server, and the wasm size")]
struct Args {
    #[command(flatten)]
    services: Services,
    #[arg(long, default_value_t = 64)]
    connections: usize,
    #[arg(long, default_value_t = 5)]
    secs: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    bench::run_to_exit("pages", async { run(args).await.map(|()| true) }).await
}

/// Starts a release server on its own port (and Valkey prefix) with `extra`
/// set; returns its index among the children and its base URL once ready.
async fn serve(
    children: &mut Children,
    name: &str,
    database_url: &str,
    args: &Args,
    extra: &[(&str, String)],
) -> BenchResult<(usize, String)> {
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut env: Vec<(&str, String)> = vec![
        ("DATABASE_URL", database_url.into()),
        ("VALKEY_URL", args.services.valkey_url.clone()),
        (
            "VALKEY_PREFIX",
            format!("bench-pages:{}:", uuid::Uuid::new_v4()),
        ),
        ("APP_BASE_URL", base.clone()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        ("LEPTOS_SITE_ROOT", SITE_ROOT.into()),
        ("LEPTOS_ENV", "PROD".into()),
        ("METRICS_ADDR", "off".into()),
        ("RUST_LOG", "warn".into()),
    ];
    env.extend(extra.iter().cloned());
    let index = children.spawn(name, SERVER_BIN, &["serve"], &env)?;
    children
        .wait_ready(index, &format!("{base}/readyz"))
        .await?;
    Ok((index, base))
}

/// The static file written into the site root, removed when dropped.
struct StaticFile(PathBuf);

impl Drop for StaticFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn gzip_size(bytes: &[u8]) -> BenchResult<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

async fn run(args: Args) -> BenchResult<()> {
    require_binary(SERVER_BIN)?;
    let wasm_path = main_wasm()?;
    let wasm = std::fs::read(&wasm_path)?;
    let (wasm_raw, wasm_gzip) = (wasm.len(), gzip_size(&wasm)?);

    let (database_url, db) = database::fresh(&args.services.database_url, DATABASE, 4).await?;
    let hash = fixture::password_hash()?;
    let organizer = fixture::organizer(&db, &hash).await?;
    let mut events = Vec::new();
    for i in 0..50 {
        let title = format!("Bench Night {:02}: Strings and Synths", i + 1);
        events.push(fixture::ticket(&db, organizer, &title, 300, "published", i + 1).await?);
    }

    // A queued sale, for the browser check on a throttled phone.
    let queued = fixture::ticket(&db, organizer, "Bench Queue Night", 300, "published", 60).await?;
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(queued)
        .execute(&db)
        .await?;

    let mut children = Children::default();
    // Every browser run queues from 127.0.0.1: the limit raised, not off.
    let (server, base) = serve(
        &mut children,
        "server-pages",
        &database_url,
        &args,
        &[("QUEUE_PLACES_PER_ADDRESS", "100".into())],
    )
    .await?;
    // The same server without its catalogue copy (CATALOGUE_FRESH_MS=0): the
    // home page as it was before, measured in the same run.
    let (_, uncached_base) = serve(
        &mut children,
        "server-pages-uncached",
        &database_url,
        &args,
        &[("CATALOGUE_FRESH_MS", "0".into())],
    )
    .await?;

    // The home page's own HTML, uncompressed, becomes the static file.
    let home = reqwest::Client::new()
        .get(format!("{base}/"))
        .header("accept", "text/html")
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let file = StaticFile(PathBuf::from(SITE_ROOT).join(STATIC_NAME));
    std::fs::write(&file.0, &home)?;

    let targets = [
        ("home", format!("{base}/")),
        ("home-uncached", format!("{uncached_base}/")),
        ("ticket", format!("{base}/events/{}", events[0])),
        ("static", format!("{base}/{STATIC_NAME}")),
    ];
    let mut results: Vec<(&str, Load)> = Vec::new();
    // CPU milliseconds per page: the server's own, and PostgreSQL's and Valkey's.
    let mut cpu_per_page: Vec<(&str, serde_json::Value)> = Vec::new();
    for (name, url) in &targets {
        http_load::get_for(url, args.connections, Duration::from_secs(1)).await?;
        let before = cpu::sample(&children.pids());
        let load =
            http_load::get_for(url, args.connections, Duration::from_secs(args.secs)).await?;
        let spent = cpu::sample(&children.pids()).since(&before);
        cpu_per_page.push((name, cpu::per_operation(&spent, load.ok)));
        results.push((name, load));
    }
    let rss = peak_rss_kib(children.get(server).pid());
    // After the load, so the browser's requests do not count in it.
    let browser = browser_figures(&base, &events[0].to_string())?;
    let lighthouse = node_figures(
        "end2end/bench/lighthouse.mjs",
        &base,
        &events[0].to_string(),
    )?;
    let queue_check = node_figures("end2end/bench/queue_check.mjs", &base, &queued.to_string())?;
    drop(children);
    drop(file);

    println!(
        "pages: one release server, {} connections, {} s each, browser headers; home HTML {} bytes",
        args.connections,
        args.secs,
        home.len()
    );
    println!(
        "  {:<8} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "target", "req/s", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms", "bytes/resp"
    );
    for (name, load) in &results {
        let l = &load.latencies;
        println!(
            "  {:<8} {:>10.1} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>10}",
            name,
            load.per_s,
            load.failed,
            l.percentile(50.0),
            l.percentile(95.0),
            l.percentile(99.0),
            l.max(),
            load.bytes
        );
    }
    let static_rps = results
        .iter()
        .find(|(n, _)| *n == "static")
        .map_or(0.0, |(_, l)| l.per_s);
    for (name, load) in &results {
        let ms = |group: &str| {
            cpu_per_page
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| v[group].as_f64())
                .unwrap_or(0.0)
        };
        println!(
            "  {name:<8} {:>5.0}% of the static rate; CPU per page: server {:.3} ms, PostgreSQL {:.3} ms, Valkey {:.3} ms",
            100.0 * load.per_s / static_rps.max(1.0),
            if *name == "home-uncached" {
                ms("server-pages-uncached")
            } else {
                ms("server-pages")
            },
            ms("postgresql"),
            ms("valkey")
        );
    }
    println!(
        "  main wasm {}: {wasm_raw} bytes raw, {wasm_gzip} bytes gzip -9",
        wasm_path.display()
    );
    print_browser(&browser);
    print_lighthouse(&lighthouse);
    println!(
        "  the queue's browser check on a throttled phone (Slow 4G, 4x CPU), join link to place: median {} ms, runs {} ms ({} parts of {} bits)",
        queue_check["median_ms"], queue_check["runs_ms"], queue_check["parts"], queue_check["bits"]
    );
    println!(
        "  peak RSS server: {}",
        rss.map_or("unknown".into(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );

    let figure = |name: &str| {
        results
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| l)
            .expect("measured")
    };
    let report = json!({
        "connections": args.connections, "secs": args.secs, "home_html_bytes": home.len(),
        "targets": results.iter().map(|(name, l)| json!({
            "name": name, "rps": round(l.per_s), "ok": l.ok, "failed": l.failed,
            "bytes_per_response": l.bytes, "latency": l.latencies.summary(),
            "share_of_static_rps": round(l.per_s / static_rps.max(1.0)),
            "cpu_ms_per_page": cpu_per_page.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()),
        })).collect::<Vec<_>>(),
        "wasm_raw": wasm_raw, "wasm_gzip": wasm_gzip, "peak_rss_kib": rss,
        "browser": browser,
        "lighthouse": lighthouse,
        "queue_check": queue_check,
        "code_budget": against_budget(&browser).iter().map(|(page, bytes, budget)| json!({
            "page": page, "code_bytes": bytes, "budget": budget, "within": bytes <= budget,
        })).collect::<Vec<_>>(),
    });
    let path = write_json("pages.json", &report)?;
    println!("  written to {}", path.display());
    let (h, t, s) = (figure("home"), figure("ticket"), figure("static"));
    println!(
        "pages: home_rps={:.1} home_p99_ms={:.2} ticket_rps={:.1} ticket_p99_ms={:.2} static_rps={:.1} static_p99_ms={:.2} wasm_raw={wasm_raw} wasm_gzip={wasm_gzip} home_code_bytes={} journey_code_bytes={} search_reacts_ms={}",
        h.per_s,
        h.latencies.percentile(99.0),
        t.per_s,
        t.latencies.percentile(99.0),
        s.per_s,
        s.latencies.percentile(99.0),
        browser["first_visit"]["home"]["code_bytes"],
        browser["journey"]["code_bytes"],
        browser["search_reacts_ms"],
    );
    Ok(())
}

/// The main wasm bundle (its name carries a content hash): `ticket-sales[.hash].wasm`.
fn main_wasm() -> BenchResult<PathBuf> {
    std::fs::read_dir(PKG)
        .map_err(|e| format!("{PKG}: {e} (build the site first)"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("ticket-sales") && n.ends_with(".wasm"))
        })
        .ok_or_else(|| format!("no ticket-sales*.wasm in {PKG} (build the site first)").into())
}

/// What a real Chromium downloads for the buyer's pages and how soon the
/// catalogue's search reacts on a throttled phone (`end2end/bench/browser.mjs`).
fn browser_figures(base: &str, event: &str) -> BenchResult<serde_json::Value> {
    node_figures("end2end/bench/browser.mjs", base, event)
}

/// The JSON a script in `end2end/bench/` prints about the shop at `base`.
fn node_figures(script: &str, base: &str, event: &str) -> BenchResult<serde_json::Value> {
    let output = std::process::Command::new("node")
        .args([script, base, event])
        .output()
        .map_err(|e| format!("node {script}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// Lighthouse's goals for the buyer's pages: (category, least score).
const LIGHTHOUSE_GOALS: [(&str, u64); 4] = [
    ("performance", 95),
    ("accessibility", 100),
    ("best_practices", 100),
    ("seo", 95),
];

fn print_lighthouse(lighthouse: &serde_json::Value) {
    println!("  Lighthouse 12.8.2, mobile preset (score / goal; LCP, TBT, CLS):");
    for page in ["home", "event"] {
        let figures = &lighthouse[page];
        let scores: Vec<String> = LIGHTHOUSE_GOALS
            .iter()
            .map(|(category, goal)| {
                let score = figures[*category].as_u64().unwrap_or(0);
                let mark = if score >= *goal { "" } else { " MISSED" };
                format!("{category} {score}/{goal}{mark}")
            })
            .collect();
        println!(
            "    {page:<6} {}; LCP {} ms, TBT {} ms, CLS {}",
            scores.join(", "),
            figures["lcp_ms"],
            figures["tbt_ms"],
            figures["cls"]
        );
        if let Some(below) = figures["below_100"].as_array().filter(|b| !b.is_empty()) {
            let ids: Vec<&str> = below.iter().filter_map(|b| b.as_str()).collect();
            println!("           below 100 because of: {}", ids.join(", "));
        }
    }
}

/// What a first visit may download as JS + wasm (compressed, with headers):
/// the home page with room for the next features, the buyer's other pages.
const CODE_BUDGET: [(&str, u64); 3] = [("home", 220_000), ("event", 300_000), ("cart", 300_000)];

/// Each page's code bytes beside its budget: (page, bytes, budget).
fn against_budget(browser: &serde_json::Value) -> Vec<(&'static str, u64, u64)> {
    CODE_BUDGET
        .iter()
        .map(|&(page, budget)| {
            let bytes = browser["first_visit"][page]["code_bytes"]
                .as_u64()
                .unwrap_or(0);
            (page, bytes, budget)
        })
        .collect()
}

fn print_browser(browser: &serde_json::Value) {
    println!(
        "  Chromium, bytes on the wire (JS + wasm / everything), empty cache; budget for JS + wasm:"
    );
    for (page, bytes, budget) in against_budget(browser) {
        let visit = &browser["first_visit"][page];
        println!(
            "    {page:<6} {:>9} / {:>9}   budget {budget:>7}: {}",
            visit["code_bytes"],
            visit["all_bytes"],
            if bytes <= budget {
                format!("within, {} to spare", budget - bytes)
            } else {
                format!("OVER by {}", bytes - budget)
            }
        );
    }
    println!(
        "    journey / -> event -> add -> cart, one cache: {} / {}",
        browser["journey"]["code_bytes"], browser["journey"]["all_bytes"]
    );
    println!(
        "  search box reacts after {} ms (Slow 4G, 4x CPU; median of {})",
        browser["search_reacts_ms"], browser["search_reacts_runs_ms"]
    );
}
