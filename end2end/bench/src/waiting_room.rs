//! A waiting visitor as the holding page's script behaves, simulated cheaply
//! so that 100,000 fit in one process: the visitor is a few cookies kept as
//! text (no client, no connections of their own); the requests go through one
//! shared client per instance. A visitor joins as a guest (the session, then
//! the place), asks the public progress every few seconds without cookies,
//! asks their own status once after the draw (their number) and once when
//! their number has come (their admission).

use std::sync::atomic::{AtomicBool, Ordering};
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

/// The header that names the client's address to a shop started with
/// `CLIENT_IP_SOURCE=RightmostXForwardedFor` (`queued`'s attack run: many
/// clients from one machine).
pub const FORWARDED_FOR: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-forwarded-for");

/// `request` with the visitor's cookies, and from their address when one is given.
fn from_visitor(
    request: reqwest::RequestBuilder,
    cookies: &Cookies,
    address: Option<&str>,
) -> reqwest::RequestBuilder {
    let request = request.header(reqwest::header::COOKIE, cookies.header());
    match address {
        Some(address) => request.header(FORWARDED_FOR, address),
        None => request,
    }
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
    let check = check_page(client, base, event, cookies, None).await?;
    let solution = check.solve(&AtomicBool::new(false)).0;
    let solution = solution.ok_or("join: unsolved")?;
    match answer_check(
        client,
        base,
        event,
        cookies,
        None,
        &check.challenge,
        &solution,
    )
    .await?
    {
        Answered::Placed => Ok(()),
        Answered::AddressFull => Err("join: no place (429 Too Many Requests)".into()),
        Answered::Refused(status) => Err(format!("join: no place ({status})")),
    }
}

/// The browser check a join link answers: a challenge of `parts` puzzles of
/// `bits` each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub challenge: String,
    pub bits: u32,
    pub parts: u32,
}

/// Nonces tried between two looks at the stop flag (a few milliseconds).
const SOLVE_STEP: u64 = 1 << 14;

impl Check {
    /// The check page's challenge, from its `data-` attributes.
    pub fn parse(page: &str) -> Option<Self> {
        let attribute = |name: &str| {
            let start = page.find(&format!(" data-{name}=\""))? + name.len() + 8;
            let end = start + page[start..].find('"')?;
            Some(page[start..end].to_string())
        };
        Some(Self {
            challenge: attribute("challenge")?,
            bits: attribute("bits")?.parse().ok()?,
            parts: attribute("parts")?.parse().ok()?,
        })
    }

    /// The whole check's work: about 2^this hashes.
    pub fn work_bits(&self) -> u32 {
        self.bits + self.parts.max(1).ilog2()
    }

    /// The solution (for each part, the first nonce meeting its bits) and
    /// the hashes tried; no solution when `stop` was raised first.
    pub fn solve(&self, stop: &AtomicBool) -> (Option<String>, u64) {
        let mut hashes = 0;
        let mut nonces = Vec::with_capacity(self.parts as usize);
        for i in 0..self.parts {
            let input = format!("{}.{i}", self.challenge);
            let mut from = 0u64;
            loop {
                if stop.load(Ordering::Relaxed) {
                    return (None, hashes);
                }
                match pow::solve(input.as_bytes(), self.bits, from, SOLVE_STEP) {
                    Some(nonce) => {
                        hashes += nonce - from + 1;
                        nonces.push(nonce.to_string());
                        break;
                    }
                    None => {
                        hashes += SOLVE_STEP;
                        from += SOLVE_STEP;
                    }
                }
            }
        }
        (Some(nonces.join(".")), hashes)
    }
}

/// The browser check of a join link: a guest without a session is given one
/// and sent back (`?cookies=1`), a visitor with one (or signed in) gets the
/// page at once. The cookies set end in `cookies`.
pub async fn check_page(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
    address: Option<&str>,
) -> Result<Check, String> {
    let url = format!("{base}/events/{event}/queue/join");
    let mut res = from_visitor(client.get(&url), cookies, address)
        .send()
        .await
        .map_err(|e| format!("join: {e}"))?;
    if res.status() == reqwest::StatusCode::SEE_OTHER {
        cookies.take(&res);
        res = from_visitor(client.get(format!("{url}?cookies=1")), cookies, address)
            .send()
            .await
            .map_err(|e| format!("join: {e}"))?;
    }
    if res.status() != reqwest::StatusCode::OK {
        return Err(format!("join: the check page answered {}", res.status()));
    }
    cookies.take(&res);
    let page = res.text().await.map_err(|e| format!("join: {e}"))?;
    Check::parse(&page).ok_or_else(|| "join: no challenge on the check page".into())
}

/// How the check's answer was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// Sent to the holding page with the place's cookie.
    Placed,
    /// 429: the address holds its places already (the work is given back).
    AddressFull,
    /// Anything else, by its status.
    Refused(String),
}

/// Posts a solved check (`challenge`, `solution`) as the page's form does.
pub async fn answer_check(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
    address: Option<&str>,
    challenge: &str,
    solution: &str,
) -> Result<Answered, String> {
    let res = from_visitor(
        client.post(format!("{base}/events/{event}/queue/join")),
        cookies,
        address,
    )
    .form(&[("challenge", challenge), ("solution", solution)])
    .send()
    .await
    .map_err(|e| format!("join: {e}"))?;
    cookies.take(&res);
    let to = res
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    Ok(
        if res.status() == reqwest::StatusCode::SEE_OTHER && to == format!("/queue/{event}") {
            Answered::Placed
        } else if res.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
            Answered::AddressFull
        } else {
            Answered::Refused(res.status().to_string())
        },
    )
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
/// cookies it sets; from `address` when given.
pub async fn status(
    client: &reqwest::Client,
    base: &str,
    event: Uuid,
    cookies: &mut Cookies,
    address: Option<&str>,
) -> Result<Status, String> {
    let res = from_visitor(
        client.get(format!("{base}/queue/{event}/status")),
        cookies,
        address,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_solves_a_check_counting_its_hashes() {
        let page = r#"<main data-challenge="v1.abc.def" data-bits="4" data-parts="8" data-checked="Checked">"#;
        let check = Check::parse(page).expect("a check");
        assert_eq!((check.bits, check.parts, check.work_bits()), (4, 8, 7));
        let (solution, hashes) = check.solve(&AtomicBool::new(false));
        let nonces: Vec<u64> = solution
            .expect("solved")
            .split('.')
            .map(|n| n.parse().expect("a nonce"))
            .collect();
        assert_eq!(nonces.len(), 8);
        for (i, nonce) in nonces.iter().enumerate() {
            assert!(pow::meets(format!("v1.abc.def.{i}").as_bytes(), *nonce, 4));
        }
        assert_eq!(hashes, nonces.iter().map(|n| n + 1).sum::<u64>());
        // Stopped: no solution, no work.
        assert_eq!(check.solve(&AtomicBool::new(true)), (None, 0));
        assert_eq!(Check::parse("<main data-bits=\"4\">"), None);
    }
}
