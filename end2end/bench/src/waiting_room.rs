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
    /// When the first turn comes (Unix ms).
    pub turns_ms: i64,
}

impl Progress {
    /// How long the holding page's script waits before asking for the
    /// number after the draw: a random moment in half the time left before
    /// the first turn (at least a second).
    pub fn number_spread(&self) -> std::time::Duration {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let window = ((self.turns_ms - now) / 2).max(1000) as f64;
        Duration::from_millis((window * rand::random::<f64>()) as u64)
    }
}

/// What a visitor's own question answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting, with their number once drawn.
    Waiting {
        number: Option<u64>,
    },
    /// Let through (with their number: it may be learnt by this very answer).
    Admitted {
        number: Option<u64>,
    },
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

/// Takes a place as a guest: the join link gives a session and comes back
/// to the browser check, whose challenge is solved here (as the page's worker
/// does, with the same `pow` rule) and posted for the place. The cookies end
/// in `cookies`.
pub async fn join(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
) -> Result<(), String> {
    let url = format!("{base}/events/{event}/queue/join");
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
    let res = client
        .get(format!("{url}?cookies=1"))
        .header(reqwest::header::COOKIE, cookies.header())
        .send()
        .await
        .map_err(|e| format!("join: {e}"))?;
    if res.status() != reqwest::StatusCode::OK {
        return Err(format!("join: the check page answered {}", res.status()));
    }
    let page = res.text().await.map_err(|e| format!("join: {e}"))?;
    let (challenge, solution) = solve(&page).ok_or("join: no challenge on the check page")?;
    let res = client
        .post(&url)
        .header(reqwest::header::COOKIE, cookies.header())
        .form(&[("challenge", challenge.as_str()), ("solution", &solution)])
        .send()
        .await
        .map_err(|e| format!("join: {e}"))?;
    cookies.take(&res);
    let to = res
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    if res.status() == reqwest::StatusCode::SEE_OTHER && to == format!("/queue/{event}") {
        Ok(())
    } else {
        Err(format!("join: no place ({})", res.status()))
    }
}

/// The check page's challenge and a solution: for each part, the first
/// nonce meeting its bits.
pub fn solve(page: &str) -> Option<(String, String)> {
    let attribute = |name: &str| {
        let start = page.find(&format!(" data-{name}=\""))? + name.len() + 8;
        let end = start + page[start..].find('"')?;
        Some(page[start..end].to_string())
    };
    let challenge = attribute("challenge")?;
    let bits: u32 = attribute("bits")?.parse().ok()?;
    let parts: u32 = attribute("parts")?.parse().ok()?;
    let nonces: Option<Vec<String>> = (0..parts)
        .map(|i| {
            pow::solve(format!("{challenge}.{i}").as_bytes(), bits, 0, u64::MAX)
                .map(|n| n.to_string())
        })
        .collect();
    Some((challenge, nonces?.join(".")))
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
            turns_ms: body["turns_ms"].as_i64().unwrap_or(0),
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
        Some("admitted") => Status::Admitted {
            number: body["number"].as_u64(),
        },
        Some("sold_out") => Status::SoldOut,
        _ => return Err(format!("status {status}: {body}")),
    })
}

/// One field of a Valkey server's `INFO` (e.g. `used_memory`), asked over
/// a plain connection.
pub async fn valkey_info(url: &str, field: &str) -> Result<u64, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = url
        .trim_start_matches("redis://")
        .trim_start_matches("valkey://")
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut conn = tokio::net::TcpStream::connect(&address)
        .await
        .map_err(|e| format!("{address}: {e}"))?;
    conn.write_all(b"*1\r\n$4\r\nINFO\r\n")
        .await
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        let n = conn.read(&mut buf).await.map_err(|e| e.to_string())?;
        answer.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&answer);
        // A bulk string: `$<len>\r\n<body>\r\n`.
        if let Some((head, body)) = text.split_once("\r\n") {
            let len: usize = head.trim_start_matches('$').parse().unwrap_or(usize::MAX);
            if body.len() >= len || n == 0 {
                return body
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{field}:")))
                    .and_then(|v| v.trim().parse().ok())
                    .ok_or_else(|| format!("INFO has no {field}"));
            }
        }
    }
}
