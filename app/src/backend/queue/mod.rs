//! The waiting room of an on-sale: visitors wait for their turn to check out.
//!
//! All of it lives in Valkey, so every instance shares one queue and one
//! admission rate, and a restart loses nobody's place. Per event:
//! - `q:{event}:w`, the waiting visitors (a sorted set). Those who arrive
//!   before the sale opens get a random score below 1, so their order is a
//!   draw (arriving earlier or with more connections gives nothing); later
//!   arrivals get 1 + an arrival number and join the end.
//! - `q:{event}:a`, the admitted visitors, scored by when their admission ends.
//! - `q:{event}:m`, what the queue needs to know without the database: when
//!   the sale opens, whether it is sold out, the next arrival number, and when
//!   visitors were last let through (the sweeper refreshes it from the
//!   database; a visitor's poll never reads the database).
//!
//! Each poll runs one script that lets through the visitors whose turn has
//! come (`rate` per second since the last admission, none before the opening
//! or once sold out) and answers where the visitor stands. A visitor is their
//! account, or a guest's session: one place each, however many tabs or
//! connections, and at most `QUEUE_PLACES_PER_ADDRESS` places per client
//! address (`q:{event}:ip:{digest}`). The queue knows them by a [`Member`]: an
//! opaque digest under `APP_SECRET`, so neither Valkey nor a cookie carries an
//! account or session id. The shop hands the visitor two signed cookies: their
//! place (so a poll needs neither the session nor the database) and, once
//! admitted, a short-lived admission bound to that account or session, which
//! checkout for a queued event requires. The first account that checks out
//! with an admission owns it (`q:{event}:c:{admission}`): a guest admitted and
//! then signed in as one account cannot lend it to a second. Without Valkey
//! nobody is let through (the queue fails closed); admissions already given
//! stay valid.

mod cookies;
mod facts;

pub use cookies::{Admission, Gate, QueueCookies, admission_cookie, place_cookie};
pub use facts::{
    QueueFacts, QueueSign, active_events, facts, has_facts, lengths, refresh, refresh_if_live,
    refresh_one, set_facts, sign,
};

use std::time::Duration;

use fred::interfaces::{KeysInterface, LuaInterface, SetsInterface};
use uuid::Uuid;

use super::BackendResult;
use super::valkey::Valkey;

/// How long queue keys outlive their last write.
pub(super) const KEEP_SECS: i64 = 2 * 24 * 3600;

/// How long the queue stays on after arrivals went past the configured rate.
pub const AUTO_SECS: i64 = 15 * 60;

/// Who holds a place: an account, or a guest's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    Account(Uuid),
    Guest(Uuid),
}

impl Visitor {
    /// Who the visitor is, before it is made opaque ([`QueueCookies::member`]).
    fn identity(&self) -> String {
        match self {
            Self::Account(id) => format!("u:{}", id.simple()),
            Self::Guest(id) => format!("g:{}", id.simple()),
        }
    }
}

/// A visitor as the queue and its cookies know them: 32 hex digits of an HMAC
/// of their account or session id, the same for the same visitor every time,
/// telling nothing about who they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Member(String);

impl Member {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }
}

/// How a visitor's request to join went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// They hold a place (a new one, or the one they had), or are let through already.
    Placed,
    /// Their client address holds as many places as it may.
    AddressFull,
}

/// Where a visitor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Waiting: `position` of `waiting` (1 is next), let through in about `wait`.
    Waiting {
        position: u64,
        waiting: u64,
        wait: Duration,
        /// The sale has not opened yet; the order is drawn at the opening.
        before_opening: bool,
    },
    /// Their turn: checkout is open to them until `until_ms` (Unix ms).
    Admitted { until_ms: i64 },
    /// Sold out: nobody more is let through; the waiting list is offered.
    SoldOut,
    /// Not in this queue (never joined, or the admission ran out).
    Absent,
}

pub(super) fn key(valkey: &Valkey, event: Uuid, part: &str) -> String {
    valkey.key(&format!("q:{}:{part}", event.simple()))
}

/// Events with a live queue, for the sweeper to keep its facts fresh.
pub(super) fn active_key(valkey: &Valkey) -> String {
    valkey.key("q:active")
}

/// The organizer's switch: the event's on-sale goes through the queue (or no
/// longer does). Only the event's organizer (or an admin) may turn it.
pub async fn switch(
    db: &sqlx::PgPool,
    valkey: &Valkey,
    user: &super::auth::SessionUser,
    event: Uuid,
    on: bool,
) -> BackendResult<()> {
    let changed = sqlx::query!(
        "UPDATE events SET queue_enabled = $3 WHERE id = $1 AND may_manage(organizer_id, $2, $4)",
        event,
        user.id,
        on,
        user.role == crate::model::Role::Admin
    )
    .execute(db)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(crate::error::AppError::NotFound.into());
    }
    if on {
        // The queue knows when the sale opens before the first visitor comes.
        if let Err(err) = refresh_one(db, valkey, event).await {
            tracing::warn!(%event, error = %err, "queue facts not written; the first visitor writes them");
        }
    }
    tracing::info!(%event, on, "event queue switched");
    Ok(())
}

/// Forgets an event's queue (the event is over or cancelled).
pub async fn retire(valkey: &Valkey, event: Uuid) -> BackendResult<()> {
    let pool = valkey.pool().next();
    let _: () = pool.srem(active_key(valkey), event.to_string()).await?;
    Ok(())
}

const JOIN: &str = r#"
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local member = ARGV[1]
local admitted = redis.call('ZSCORE', KEYS[2], member)
if admitted and tonumber(admitted) > now_ms then
  return 1
end
if redis.call('ZSCORE', KEYS[1], member) then
  return 0
end
-- A new place: only while the client address holds fewer than it may.
if redis.call('SISMEMBER', KEYS[4], member) == 0 then
  if redis.call('SCARD', KEYS[4]) >= tonumber(ARGV[4]) then
    return 2
  end
  redis.call('SADD', KEYS[4], member)
  redis.call('EXPIRE', KEYS[4], ARGV[3])
end
local opens = tonumber(redis.call('HGET', KEYS[3], 'opens') or '0')
local score
if now_ms < opens then
  score = tonumber(ARGV[2])
else
  score = 1 + redis.call('HINCRBY', KEYS[3], 'seq', 1)
end
redis.call('ZADD', KEYS[1], 'NX', score, member)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
return 0
"#;

/// Takes a place in the event's queue (keeping the one the visitor has), if
/// the client `address` (a digest: [`QueueCookies::address`]) holds fewer than
/// `per_address` places.
pub async fn join(
    valkey: &Valkey,
    event: Uuid,
    member: &Member,
    address: &str,
    per_address: u64,
) -> BackendResult<Joined> {
    // The draw for arrivals before the opening: the script itself cannot
    // make up a random number.
    let draw: f64 = rand::random::<f64>();
    let code: i64 = valkey
        .pool()
        .next()
        .eval(
            JOIN,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "a"),
                key(valkey, event, "m"),
                key(valkey, event, &format!("ip:{address}")),
            ],
            vec![
                member.0.clone(),
                draw.to_string(),
                KEEP_SECS.to_string(),
                per_address.max(1).to_string(),
            ],
        )
        .await?;
    Ok(if code == 2 {
        Joined::AddressFull
    } else {
        Joined::Placed
    })
}

const CLAIM: &str = r#"
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if owner == ARGV[1] then return 1 end
return 0
"#;

/// Whether `account` may check out with `admission`: the first account that
/// does owns it for as long as it lasts; any other is refused.
pub async fn claim_admission(
    valkey: &Valkey,
    event: Uuid,
    admission: &Admission,
    account: Uuid,
) -> BackendResult<bool> {
    let left_ms = (admission.until_ms - chrono::Utc::now().timestamp_millis()).max(1000);
    let owned: i64 = valkey
        .pool()
        .next()
        .eval(
            CLAIM,
            vec![key(valkey, event, &format!("c:{}", admission.id))],
            vec![account.simple().to_string(), left_ms.to_string()],
        )
        .await?;
    Ok(owned == 1)
}

const POLL: &str = r#"
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local member = ARGV[1]
local rate = tonumber(ARGV[2])
local admission_ms = tonumber(ARGV[3])
local opens = tonumber(redis.call('HGET', KEYS[3], 'opens') or '0')
local sold_out = redis.call('HGET', KEYS[3], 'sold_out') == '1'
-- Let through those whose turn has come: `rate` per second since the last time.
if now_ms >= opens and not sold_out then
  local last = tonumber(redis.call('HGET', KEYS[3], 'last') or tostring(opens))
  if last < opens then last = opens end
  local due = math.floor((now_ms - last) * rate / 1000)
  if due > 0 then
    local burst = math.max(math.floor(rate * 2), 1)
    if due > burst then due = burst end
    local popped = redis.call('ZPOPMIN', KEYS[1], due)
    local n = #popped / 2
    for i = 1, #popped, 2 do
      redis.call('ZADD', KEYS[2], now_ms + admission_ms, popped[i])
    end
    if n < due then
      redis.call('HSET', KEYS[3], 'last', now_ms)
    else
      redis.call('HSET', KEYS[3], 'last', last + math.floor(due * 1000 / rate))
    end
    redis.call('HINCRBY', KEYS[3], 'admitted', n)
    redis.call('EXPIRE', KEYS[2], ARGV[4])
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now_ms)
  end
end
local until_ms = redis.call('ZSCORE', KEYS[2], member)
if until_ms and tonumber(until_ms) > now_ms then
  return {1, tonumber(until_ms), 0, 0}
end
if sold_out then
  return {2, 0, 0, 0}
end
local rank = redis.call('ZRANK', KEYS[1], member)
if not rank then
  return {3, 0, 0, 0}
end
local waiting = redis.call('ZCARD', KEYS[1])
local before = 0
if now_ms < opens then before = opens - now_ms end
return {0, rank + 1, waiting, before}
"#;

/// Lets through whoever's turn has come and says where `member` stands.
pub async fn poll(
    valkey: &Valkey,
    event: Uuid,
    member: &Member,
    admit_per_sec: f64,
    admission: Duration,
) -> BackendResult<Standing> {
    let rate = admit_per_sec.max(0.01);
    let (code, a, b, c): (i64, i64, i64, i64) = valkey
        .pool()
        .next()
        .eval(
            POLL,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "a"),
                key(valkey, event, "m"),
            ],
            vec![
                member.0.clone(),
                rate.to_string(),
                admission.as_millis().to_string(),
                KEEP_SECS.to_string(),
            ],
        )
        .await?;
    Ok(match code {
        0 => {
            let (position, before_ms) = (a.max(1) as u64, c.max(0) as u64);
            let wait_ms = before_ms + (position.saturating_sub(1) as f64 * 1000.0 / rate) as u64;
            Standing::Waiting {
                position,
                waiting: b.max(0) as u64,
                wait: Duration::from_millis(wait_ms),
                before_opening: before_ms > 0,
            }
        }
        1 => Standing::Admitted { until_ms: a },
        2 => Standing::SoldOut,
        _ => Standing::Absent,
    })
}

/// Counts an arrival at the event's page; past `per_sec` in one second the
/// queue turns itself on for [`AUTO_SECS`]. Returns whether it is on.
pub async fn arrive(valkey: &Valkey, event: Uuid, per_sec: u64) -> BackendResult<bool> {
    let auto = key(valkey, event, "auto");
    let pool = valkey.pool().next();
    let on: bool = pool.exists(&auto).await?;
    if on || per_sec == 0 {
        return Ok(on);
    }
    let second = chrono::Utc::now().timestamp();
    let counter = key(valkey, event, &format!("arr:{second}"));
    let count: u64 = pool.incr(&counter).await?;
    if count == 1 {
        let _: () = pool.expire(&counter, 2, None).await?;
    }
    if count > per_sec {
        let _: () = pool
            .set(
                &auto,
                "1",
                Some(fred::types::Expiration::EX(AUTO_SECS)),
                None,
                false,
            )
            .await?;
        tracing::warn!(%event, arrivals = count, "arrivals past the limit: the event's queue is on");
        return Ok(true);
    }
    Ok(false)
}

/// Which of `events` have their queue on by itself (arrivals past the rate).
pub async fn auto_queued(valkey: &Valkey, events: &[Uuid]) -> BackendResult<Vec<Uuid>> {
    let mut on = Vec::new();
    for event in events {
        let exists: bool = valkey
            .pool()
            .next()
            .exists(key(valkey, *event, "auto"))
            .await?;
        if exists {
            on.push(*event);
        }
    }
    Ok(on)
}

/// Whether `event`'s queue is on: the organizer's switch, or arrivals past
/// the configured rate.
pub async fn is_on(valkey: &Valkey, event: Uuid, switched_on: bool) -> BackendResult<bool> {
    if switched_on {
        return Ok(true);
    }
    Ok(!auto_queued(valkey, &[event]).await?.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_admissions_are_signed_and_bound() {
        let cookies = QueueCookies::new(b"secret");
        let (event, other) = (Uuid::new_v4(), Uuid::new_v4());
        let ada_id = Uuid::new_v4();
        let ada = cookies.member(Visitor::Account(ada_id));
        let bob = cookies.member(Visitor::Guest(Uuid::new_v4()));
        assert_eq!(ada, cookies.member(Visitor::Account(ada_id)), "stable");
        let place = cookies.place(event, &ada);
        assert_eq!(cookies.read_place(event, &place), Some(ada.clone()));
        // Opaque: no id of the account (or a guest's session) in the cookie.
        assert!(!place.contains(&ada_id.simple().to_string()), "{place}");
        assert!(!place.contains(&ada_id.to_string()), "{place}");
        assert_eq!(
            cookies.read_place(other, &place),
            None,
            "another event's place"
        );
        let forged = place.replace(ada.as_str(), bob.as_str());
        assert_eq!(
            cookies.read_place(event, &forged),
            None,
            "another visitor's"
        );
        assert_eq!(QueueCookies::new(b"other").read_place(event, &place), None);
        assert_ne!(
            QueueCookies::new(b"other").member(Visitor::Account(ada_id)),
            ada,
            "digests depend on the secret"
        );

        let admission = cookies.admission(event, &ada, 10_000);
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&ada), 9_999)
                .is_some()
        );
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&ada), 10_000)
                .is_none(),
            "ran out"
        );
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&bob), 9_999)
                .is_none(),
            "bound to its visitor"
        );
        assert!(
            cookies
                .admits(other, &admission, std::slice::from_ref(&ada), 9_999)
                .is_none(),
            "and its event"
        );
        let longer = admission.replace(".10000.", ".99999.");
        assert!(
            cookies
                .admits(event, &longer, std::slice::from_ref(&ada), 9_999)
                .is_none(),
            "its end is signed"
        );
        assert!(cookies.admits(event, "garbage", &[ada], 0).is_none());
        assert_ne!(
            cookies.address("203.0.113.1"),
            cookies.address("203.0.113.2")
        );
        assert!(!cookies.address("203.0.113.1").contains("203"));
    }
}
