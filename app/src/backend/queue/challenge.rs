//! The proof of work a place in the queue costs.
//!
//! Before a visitor takes a place, their browser solves a challenge the shop
//! signed: [`PARTS`] puzzles, each a nonce whose SHA-256 with the challenge
//! starts with `bits` zero bits (the rule is the `pow` crate's, which the
//! browser runs as `pow.wasm` in a worker). Eight smaller puzzles cost what
//! one larger does on average but vary far less, so a phone's wait is
//! predictable and the page can show progress.
//!
//! A challenge names the event, the visitor (their [`Member`] digest), when
//! it expires and its difficulty, signed under `APP_SECRET`: any instance
//! checks it without asking anyone (one HMAC and eight hashes, a few
//! microseconds). It is used once: its salt is written to Valkey with
//! `SET NX` until it expires, so a second use on any instance is refused.

use fred::prelude::{
    Expiration, HashesInterface, KeysInterface, LuaInterface, SetOptions, SortedSetsInterface,
};
use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Member, QueueCookies, key};
use crate::backend::BackendResult;
use crate::backend::config::QueueConfig;
use crate::backend::valkey::Valkey;
use crate::model::{QueueCheck, QueueLive};

/// Puzzles in one challenge (a power of two: their bits are the work's less
/// its log).
pub const PARTS: u32 = 8;
const _: () = assert!(PARTS.is_power_of_two());

/// How long a challenge may be solved and used: a throttled phone at the
/// most raised strength still finishes within it.
pub const LIFETIME_MS: i64 = 10 * 60 * 1000;

/// The longest challenge and solution taken (the shop's are about 140 and
/// 60 bytes): anything longer is refused before any hashing.
const MAX_TEXT: usize = 256;
const MAX_SOLUTION: usize = 256;

/// How long a spent salt is kept past its challenge's expiry, for instances
/// whose clocks differ.
const SPENT_MARGIN_MS: i64 = 60_000;

/// What the holding page's worker solves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The signed text; puzzle `i`'s input is `"{text}.{i}"`.
    pub text: String,
    /// Zero bits each puzzle's hash starts with.
    pub bits: u32,
    pub parts: u32,
}

/// Why a solution was refused. The visitor is told none of it (a failed
/// check just sends them back to be checked again); the log and the tests
/// tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofRefusal {
    #[error("not a challenge and solution")]
    Malformed,
    #[error("not signed by the shop")]
    Forged,
    #[error("for another event")]
    OtherEvent,
    #[error("for another visitor")]
    OtherVisitor,
    #[error("expired")]
    Expired,
    #[error("not solved")]
    Unsolved,
    #[error("already used")]
    Reused,
}

impl ProofRefusal {
    /// Its name as metrics label it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::Forged => "forged",
            Self::OtherEvent => "other_event",
            Self::OtherVisitor => "other_visitor",
            Self::Expired => "expired",
            Self::Unsolved => "unsolved",
            Self::Reused => "reused",
        }
    }
}

/// A challenge's fields, read back from its text.
struct Fields<'a> {
    event: &'a str,
    member: &'a str,
    expires_ms: i64,
    bits: u32,
    parts: u32,
    salt: &'a str,
}

impl QueueCookies {
    /// A fresh challenge for `member`'s place in `event`'s queue, costing
    /// about 2^`work_bits` hashes in all.
    pub fn challenge(
        &self,
        event: Uuid,
        member: &Member,
        work_bits: u32,
        now_ms: i64,
    ) -> Challenge {
        let bits = work_bits.saturating_sub(PARTS.ilog2());
        let salt: u64 = rand::rng().random();
        let signed = format!(
            "v1.{}.{}.{}.{bits}.{PARTS}.{salt:016x}",
            event.simple(),
            member.as_str(),
            now_ms + LIFETIME_MS
        );
        let signature = &self.sign(&format!("c.{signed}"))[..32];
        Challenge {
            text: format!("{signed}.{signature}"),
            bits,
            parts: PARTS,
        }
    }

    /// The challenge's salt when `solution` solves it for `member` in
    /// `event` before it expires; whether it was used before is Valkey's to
    /// say ([`redeem`]).
    fn check<'t>(
        &self,
        event: Uuid,
        member: &Member,
        text: &'t str,
        solution: &str,
        now_ms: i64,
    ) -> Result<Fields<'t>, ProofRefusal> {
        if text.len() > MAX_TEXT || solution.len() > MAX_SOLUTION {
            return Err(ProofRefusal::Malformed);
        }
        let (signed, signature) = text.rsplit_once('.').ok_or(ProofRefusal::Malformed)?;
        let fields = parse(signed).ok_or(ProofRefusal::Malformed)?;
        let nonces: Vec<u64> = solution
            .split('.')
            .map(|n| n.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| ProofRefusal::Malformed)?;
        if nonces.len() != fields.parts as usize || signature.len() != 32 {
            return Err(ProofRefusal::Malformed);
        }
        // What the visitor could read anyway first; the signature's HMAC only
        // for a challenge that could be theirs.
        if fields.event != event.simple().to_string() {
            return Err(ProofRefusal::OtherEvent);
        }
        if fields.member != member.as_str() {
            return Err(ProofRefusal::OtherVisitor);
        }
        let expected = self.sign(&format!("c.{signed}"));
        if !constant_time_eq(&expected.as_bytes()[..32], signature.as_bytes()) {
            return Err(ProofRefusal::Forged);
        }
        if fields.expires_ms <= now_ms {
            return Err(ProofRefusal::Expired);
        }
        let solved = nonces
            .iter()
            .enumerate()
            .all(|(i, nonce)| pow::meets(format!("{text}.{i}").as_bytes(), *nonce, fields.bits));
        if !solved {
            return Err(ProofRefusal::Unsolved);
        }
        Ok(fields)
    }
}

fn parse(signed: &str) -> Option<Fields<'_>> {
    let mut parts = signed.split('.');
    let fields = match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (
            Some("v1"),
            Some(event),
            Some(member),
            Some(expires),
            Some(bits),
            Some(count),
            Some(salt),
            None,
        ) => Fields {
            event,
            member,
            expires_ms: expires.parse().ok()?,
            bits: bits.parse().ok()?,
            parts: count.parse().ok()?,
            salt,
        },
        _ => return None,
    };
    (fields.parts >= 1 && fields.parts <= 64 && fields.bits <= pow::MAX_BITS).then_some(fields)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Takes `solution` of the challenge `text` as `member`'s proof for a place
/// in `event`'s queue: checked, then spent (once, on every instance).
pub async fn redeem(
    valkey: &Valkey,
    cookies: &QueueCookies,
    event: Uuid,
    member: &Member,
    text: &str,
    solution: &str,
) -> BackendResult<Result<(), ProofRefusal>> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    let started = std::time::Instant::now();
    let checked = cookies.check(event, member, text, solution, now_ms);
    crate::backend::metrics::check_verified(started.elapsed());
    let fields = match checked {
        Ok(fields) => fields,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // "OK" when the salt was new; nothing when it was spent already.
    let first: Option<String> = valkey
        .pool()
        .next()
        .set(
            key(valkey, event, &format!("pow:{}", fields.salt)),
            "1",
            Some(Expiration::PX(fields.expires_ms - now_ms + SPENT_MARGIN_MS)),
            Some(SetOptions::NX),
            false,
        )
        .await?;
    Ok(if first.is_some() {
        Ok(())
    } else {
        Err(ProofRefusal::Reused)
    })
}

/// Gives a spent challenge back when it bought no place (the address was
/// full, Valkey failed): the visitor's work is not lost.
pub async fn unspend(valkey: &Valkey, event: Uuid, text: &str) -> BackendResult<()> {
    if let Some(fields) = text.rsplit_once('.').and_then(|(signed, _)| parse(signed)) {
        let _: i64 = valkey
            .pool()
            .next()
            .del(key(valkey, event, &format!("pow:{}", fields.salt)))
            .await?;
    }
    Ok(())
}

/// How hard a check is now: the event's strength (from the queue's facts)
/// and the automatic raise.
const STRENGTH: &str = r#"
local check = redis.call('HGET', KEYS[2], 'check') or 'automatic'
local raised = tonumber(redis.call('GET', KEYS[1]) or '0')
return {check, raised}
"#;

/// Counts a check passed (work paid for, so raising the strength costs
/// whoever raises it); the one that first passes the rate in a second raises
/// an automatic check.
const PASSED: &str = r#"
local passed = redis.call('INCR', KEYS[1])
if passed == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
local check = redis.call('HGET', KEYS[3], 'check') or 'automatic'
local raised = tonumber(redis.call('GET', KEYS[2]) or '0')
if check == 'automatic' and passed == tonumber(ARGV[1]) + 1 and raised < tonumber(ARGV[2]) then
  raised = raised + tonumber(ARGV[3])
  redis.call('SET', KEYS[2], raised, 'PX', ARGV[4])
end
return raised
"#;

/// Bits one raise adds (four times the work), and the most raises add.
const RAISE_STEP: u32 = 2;
const RAISE_MOST: u32 = 6;
/// How long a raise lasts after the last one.
const RAISE_MS: i64 = 10 * 60 * 1000;

/// The work (bits) of a check for `event` asked for now.
pub async fn work_bits(valkey: &Valkey, event: Uuid, config: &QueueConfig) -> BackendResult<u32> {
    let (check, raised): (String, u32) = valkey
        .pool()
        .next()
        .eval(
            STRENGTH,
            vec![key(valkey, event, "raise"), key(valkey, event, "m")],
            Vec::<String>::new(),
        )
        .await?;
    let check = QueueCheck::parse(&check).unwrap_or_default();
    Ok(config.proof_bits + check.extra_bits(raised))
}

/// Counts a check passed towards the automatic raise.
pub async fn count_passed(valkey: &Valkey, event: Uuid, config: &QueueConfig) -> BackendResult<()> {
    let second = chrono::Utc::now().timestamp();
    let _: u32 = valkey
        .pool()
        .next()
        .eval(
            PASSED,
            vec![
                key(valkey, event, &format!("cp:{second}")),
                key(valkey, event, "raise"),
                key(valkey, event, "m"),
            ],
            vec![
                config.check_raise_per_sec.to_string(),
                RAISE_MOST.to_string(),
                RAISE_STEP.to_string(),
                RAISE_MS.to_string(),
            ],
        )
        .await?;
    Ok(())
}

/// Counts a refused check (the organizer's live view shows how many).
pub async fn count_refused(valkey: &Valkey, event: Uuid) -> BackendResult<()> {
    let refused = key(valkey, event, "refused");
    let pool = valkey.pool().next();
    let _: i64 = pool.incr(&refused).await?;
    let _: () = pool.expire(&refused, super::KEEP_SECS, None).await?;
    Ok(())
}

/// The live queue as its organizer watches it.
pub async fn live(
    valkey: &Valkey,
    event: Uuid,
    config: &QueueConfig,
    check: QueueCheck,
) -> BackendResult<QueueLive> {
    let pool = valkey.pool().next();
    let places: u64 = pool.zcard(key(valkey, event, "w")).await?;
    let let_through: Option<u64> = pool.hget(key(valkey, event, "m"), "admitted_to").await?;
    let refused: Option<u64> = pool.get(key(valkey, event, "refused")).await?;
    let raised: Option<u32> = pool.get(key(valkey, event, "raise")).await?;
    let raised_bits = check.extra_bits(raised.unwrap_or(0));
    Ok(QueueLive {
        places,
        let_through: let_through.unwrap_or(0),
        refused: refused.unwrap_or(0),
        check_bits: config.proof_bits + raised_bits,
        raised_bits: if check == QueueCheck::Automatic {
            raised_bits
        } else {
            0
        },
    })
}

/// Solves `challenge` by brute force: what a browser's worker does, for
/// tests and the bench (a program pays the same hashes a browser does).
pub fn solve(challenge: &Challenge) -> String {
    (0..challenge.parts)
        .map(|i| {
            let input = format!("{}.{i}", challenge.text);
            pow::solve(input.as_bytes(), challenge.bits, 0, u64::MAX)
                .expect("a nonce below 2^64")
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(n: u8) -> Member {
        Member(format!("{:032x}", n))
    }

    #[test]
    fn a_solution_is_refused_for_anything_but_its_own_challenge() {
        let cookies = QueueCookies::new(b"secret");
        let (event, now) = (Uuid::new_v4(), 1_800_000_000_000);
        let challenge = cookies.challenge(event, &member(1), 11, now);
        assert_eq!(challenge.bits, 8);
        let solution = solve(&challenge);
        assert!(
            cookies
                .check(event, &member(1), &challenge.text, &solution, now)
                .is_ok()
        );
        let refused = |text: &str, solution: &str, event: Uuid, who: u8, at: i64| {
            cookies.check(event, &member(who), text, solution, at).err()
        };
        let text = challenge.text.as_str();
        assert_eq!(
            refused(text, &solution, Uuid::new_v4(), 1, now),
            Some(ProofRefusal::OtherEvent)
        );
        assert_eq!(
            refused(text, &solution, event, 2, now),
            Some(ProofRefusal::OtherVisitor)
        );
        assert_eq!(
            refused(text, &solution, event, 1, now + LIFETIME_MS),
            Some(ProofRefusal::Expired)
        );
        // Easier on paper: the signature no longer matches.
        let easier = text.replacen(".8.8.", ".0.8.", 1);
        assert_eq!(
            refused(&easier, &solution, event, 1, now),
            Some(ProofRefusal::Forged)
        );
        let other_key = QueueCookies::new(b"other").challenge(event, &member(1), 11, now);
        assert_eq!(
            refused(&other_key.text, &solve(&other_key), event, 1, now),
            Some(ProofRefusal::Forged)
        );
        // A wrong nonce (the next one that fails part 3), too few, or not numbers.
        let mut nonces: Vec<u64> = solution.split('.').map(|n| n.parse().unwrap()).collect();
        let part = format!("{text}.3");
        nonces[3] = (nonces[3] + 1..)
            .find(|n| !pow::meets(part.as_bytes(), *n, 8))
            .unwrap();
        let unsolved = nonces
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        assert_eq!(
            refused(text, &unsolved, event, 1, now),
            Some(ProofRefusal::Unsolved)
        );
        assert_eq!(
            refused(text, "1.2.3", event, 1, now),
            Some(ProofRefusal::Malformed)
        );
        assert_eq!(
            refused(text, "a.b.c.d.e.f.g.h", event, 1, now),
            Some(ProofRefusal::Malformed)
        );
        assert_eq!(
            refused("v1.x", &solution, event, 1, now),
            Some(ProofRefusal::Malformed)
        );
    }

    #[test]
    fn zero_bits_asks_for_nothing() {
        let cookies = QueueCookies::new(b"secret");
        let challenge = cookies.challenge(Uuid::new_v4(), &member(1), 0, 0);
        assert_eq!(solve(&challenge), "0.0.0.0.0.0.0.0");
    }
}
