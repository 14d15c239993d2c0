//! A waiting visitor as the holding page's script behaves, simulated cheaply
//! so that 100,000 fit in one process: the visitor is a few cookies kept as
//! text (no client, no connections of their own); the requests go through one
//! shared client per instance. A visitor joins as a guest (the session, then
//! the place), asks the public progress every few seconds without cookies,
//! asks their own status once after the draw (their number) and once when
//! their number has come (their admission).

use std::time::{Duration, Instant};

use uuid::Uuid;

/// A visitor's cookies for the shop, as name and value.
#[derive(Debug, Clone, Default)]
pub struct Cookies(pub Vec<(String, String)>);

impl Cookies {
    /// Keeps the cookies a response sets (replacing those of the same name).
    fn take(&mut self, res: &reqwest::Response) {
        for header in res.headers().get_all(reqwest::header::SET_COOKIE) {
            let Some((pair, _)) = header.to_str().ok().and_then(|v| v.split_once(';')) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            self.0.retain(|(n, _)| n != name);
            self.0.push((name.to_string(), value.to_string()));
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

/// The public progress of a queue.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub admitted_to: u64,
    pub drawn: bool,
    pub sold_out: bool,
}

/// What a visitor's own question answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting, with their number once drawn.
    Waiting {
        number: Option<u64>,
    },
    Admitted,
    SoldOut,
}

/// The shared client of one instance: no cookie store, no redirects followed.
pub fn client(connections: usize) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(connections)
        .pool_idle_timeout(Duration::from_secs(5))
        .build()
}

/// Takes a place as a guest: the join link gives a session and comes back,
/// then the place. The cookies end in `cookies`.
pub async fn join(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
) -> Result<(), String> {
    for url in [
        format!("{base}/events/{event}/queue/join"),
        format!("{base}/events/{event}/queue/join?cookies=1"),
    ] {
        let res = client
            .get(&url)
            .header(reqwest::header::COOKIE, cookies.header())
            .send()
            .await
            .map_err(|e| format!("join: {e}"))?;
        if res.status() != reqwest::StatusCode::SEE_OTHER {
            return Err(format!("join: {}", res.status()));
        }
        cookies.take(&res);
        let to = res
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default();
        if to == format!("/queue/{event}") {
            return Ok(());
        }
    }
    Err("join: no place after the session".into())
}

/// The queue's public progress (no cookies sent), and how long it took.
pub async fn progress(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
) -> Result<(Progress, Duration), String> {
    let started = Instant::now();
    let res = client
        .get(format!("{base}/queue/{event}/progress"))
        .send()
        .await
        .map_err(|e| format!("progress: {e}"))?;
    let status = res.status();
    let body: serde_json::Value = res
        .json()
        .await
        .map_err(|e| format!("progress {status}: {e}"))?;
    if !status.is_success() {
        return Err(format!("progress {status}: {body}"));
    }
    Ok((
        Progress {
            admitted_to: body["admitted_to"].as_u64().unwrap_or(0),
            drawn: body["drawn"].as_bool().unwrap_or(false),
            sold_out: body["sold_out"].as_bool().unwrap_or(false),
        },
        started.elapsed(),
    ))
}

/// The visitor's own status (their number, their admission), keeping the
/// cookies it sets.
pub async fn status(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
) -> Result<Status, String> {
    let res = client
        .get(format!("{base}/queue/{event}/status"))
        .header(reqwest::header::COOKIE, cookies.header())
        .send()
        .await
        .map_err(|e| format!("status: {e}"))?;
    cookies.take(&res);
    let status = res.status();
    let body: serde_json::Value = res
        .json()
        .await
        .map_err(|e| format!("status {status}: {e}"))?;
    Ok(match body["state"].as_str() {
        Some("waiting") => Status::Waiting {
            number: body["number"].as_u64(),
        },
        Some("admitted") => Status::Admitted,
        Some("sold_out") => Status::SoldOut,
        _ => return Err(format!("status {status}: {body}")),
    })
}
