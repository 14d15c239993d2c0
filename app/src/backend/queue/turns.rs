//! Turns: the draw, the numbers, and "admitted up to N".
//!
//! Every visitor has a number: those who came before the opening are drawn
//! 1..k in a random order at the opening (the first script to run after it
//! does the draw), later arrivals get the next number as they come. The queue
//! then lets numbers through at `rate` a second by raising one value per event,
//! `admitted_to`. So a waiting visitor needs nothing of Valkey but that value,
//! the same for everyone: each instance reads it at most once a second
//! ([`progress`], which also raises it when due) and every holding page, and
//! the public `/queue/{id}/progress` a CDN may cache, compares it with the
//! number in the visitor's signed cookie. Only a visitor whose number has come
//! asks Valkey again, once, for their admission ([`admit`]).
//!
//! Keys per event (beside `:m`, the facts and counters):
//! - `:w`, every visitor's place: a random score below 1 until the draw, then
//!   their number;
//! - `:t`, the turns: when `admitted_to` reached each value (`"N:ms"` scored
//!   by N), so an admission runs from when the visitor's number came, and a
//!   turn not taken in time runs out; trimmed to the admission's length;
//! - `:a`, the admissions given, scored by when each ends.

use fred::interfaces::LuaInterface;
use uuid::Uuid;

use super::{KEEP_SECS, Member, Progress, key};
use crate::backend::config::QueueConfig;
use crate::backend::error::BackendResult;
use crate::backend::valkey::Valkey;
use crate::i18n::Locale;

/// The clock, the draw and the turn lookup every script below starts with.
macro_rules! prelude {
    () => {
        r#"
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
-- Numbers after `seq` for the places scored in [lo, hi), in the order of
-- their random scores; the new last number.
local function number_places(w, lo, hi, seq)
  local places = redis.call('ZRANGEBYSCORE', w, lo, '(' .. hi)
  local batch = {}
  for i, place in ipairs(places) do
    batch[#batch + 1] = seq + i
    batch[#batch + 1] = place
    if #batch >= 2000 then
      redis.call('ZADD', w, unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then redis.call('ZADD', w, unpack(batch)) end
  return seq + #places
end
-- The draw, once the sale has opened: places taken before it (scores in
-- [0, 1)), numbered 1..k. After a presale (`general`), the general sale's
-- draw: places taken by everyone else before it (scores in [-1, 0)),
-- numbered after every number given so far. True once the first is made.
local function draw_if_due(w, m)
  if redis.call('HGET', m, 'drawn') ~= '1' then
    local opens = redis.call('HGET', m, 'opens')
    if not opens or now_ms < tonumber(opens) then return false end
    redis.call('HSET', m, 'seq', number_places(w, 0, 1, 0), 'drawn', '1')
  end
  local general = tonumber(redis.call('HGET', m, 'general') or '0')
  if (general == 0 or now_ms >= general) and redis.call('ZCOUNT', w, -1, '(0') > 0 then
    local seq = tonumber(redis.call('HGET', m, 'seq') or '0')
    redis.call('HSET', m, 'seq', number_places(w, -1, 0, seq))
  end
  return true
end
-- Moves `member`'s place to the back (`r`: a random number below 1): before
-- a draw, behind every place not moved (drawn places score below 0.5, moved
-- ones from 0.5); after it, a new number at the end. Its new place's code
-- (as `join`'s), or -1 when it holds none.
local function to_back(w, m, member, r)
  local held = redis.call('ZSCORE', w, member)
  if not held then return -1 end
  held = tonumber(held)
  if held < 0 then
    redis.call('ZADD', w, 'XX', -0.5 + r / 2, member)
    return -2
  end
  if held < 1 then
    redis.call('ZADD', w, 'XX', 0.5 + r / 2, member)
    return 0
  end
  local number = redis.call('HINCRBY', m, 'seq', 1)
  redis.call('ZADD', w, 'XX', number, member)
  return number
end
-- True the first time a place is moved to the back (`mv`: its mark): a
-- place moves once, so neither failed checks nor addresses push it back again
-- and again (each move leaves a number nobody holds).
local function once(mv, keep)
  return redis.call('SET', mv, '1', 'NX', 'EX', keep) ~= false
end
-- Notes a client address (a digest) `member` asked from; true when they
-- asked from more than `most` (a place held from many addresses).
local function spread(from, address, most, keep)
  redis.call('SADD', from, address)
  redis.call('EXPIRE', from, keep)
  return redis.call('SCARD', from) > tonumber(most)
end
-- When number `n`'s turn began (Unix ms), if it has come.
local function turn_began(t, n)
  local step = redis.call('ZRANGEBYSCORE', t, n, '+inf', 'LIMIT', 0, 1)
  if #step == 0 then return nil end
  return tonumber(string.match(step[1], ':(%d+)$'))
end
"#
    };
}

/// Where a visitor's place stands, from Valkey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// They hold `number` (1 is first).
    Numbered(u64),
    /// They hold a place in a draw still to come.
    Undrawn,
    /// They hold a place in the general sale's draw after a presale (they
    /// entered no code for the event).
    InGeneralDraw,
    /// They hold no place (never joined, or their turn ran out).
    Absent,
}

impl Place {
    fn from_code(code: i64) -> Self {
        match code {
            n if n > 0 => Self::Numbered(n as u64),
            0 => Self::Undrawn,
            -2 => Self::InGeneralDraw,
            _ => Self::Absent,
        }
    }

    pub fn number(self) -> Option<u64> {
        match self {
            Self::Numbered(n) => Some(n),
            _ => None,
        }
    }
}

/// How a visitor's request to join went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// They hold a place (a new one, or the one they had).
    Placed(Place),
    /// Their client address holds as many places as it may.
    AddressFull,
}

const JOIN: &str = concat!(
    prelude!(),
    r#"
local w, m, t, ip = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local member, keep, admission_ms = ARGV[1], ARGV[3], tonumber(ARGV[5])
local back = tonumber(ARGV[9])
local general = tonumber(redis.call('HGET', m, 'general') or '0')
-- During a presale, a visitor without a code waits for the general draw.
local pooled = general > 0 and now_ms < general and ARGV[6] ~= '1'
local drawn = draw_if_due(w, m)
-- Asking from many addresses for one place moves it to the back.
local moved = spread(KEYS[5], ARGV[7], ARGV[8], keep)
local draw = tonumber(ARGV[2])
local held = redis.call('ZSCORE', w, member)
if held and moved and once(KEYS[6], keep) then return to_back(w, m, member, back) end
if held and tonumber(held) < 0 and not pooled and general > 0 and now_ms < general then
  -- They entered a code since: out of the general draw, into the presale.
  redis.call('ZREM', w, member)
  held = nil
end
if held then
  held = tonumber(held)
  if held < 0 then return -2 end
  if held < 1 then return 0 end
  local to = tonumber(redis.call('HGET', m, 'admitted_to') or '0')
  local began = turn_began(t, held)
  if held > to or (began and began + admission_ms > now_ms) then return held end
  -- Their turn came and went: a new place at the end.
  local number = redis.call('HINCRBY', m, 'seq', 1)
  redis.call('ZADD', w, 'XX', number, member)
  return number
end
-- A new place: only while the client address holds fewer than it may.
if redis.call('SISMEMBER', ip, member) == 0 then
  if redis.call('SCARD', ip) >= tonumber(ARGV[4]) then return -3 end
  redis.call('SADD', ip, member)
  redis.call('EXPIRE', ip, keep)
end
redis.call('EXPIRE', m, keep)
redis.call('EXPIRE', w, keep)
if pooled then
  redis.call('ZADD', w, 'NX', draw - 1, member)
  return -2
end
if drawn then
  local number = redis.call('HINCRBY', m, 'seq', 1)
  redis.call('ZADD', w, 'NX', number, member)
  return number
end
redis.call('ZADD', w, 'NX', draw, member)
return 0
"#
);

/// Takes a place in the event's queue (keeping the one the visitor has), if
/// the client `address` (a digest: [`super::QueueCookies::address`]) holds
/// fewer than `QUEUE_PLACES_PER_ADDRESS` places. A visitor whose turn came and ran out
/// joins again at the end; one whose turn is on keeps their number (the
/// holding page gives them their admission again). During a presale, a
/// visitor who is no `code_holder` takes a place in the general sale's draw
/// (one who entered a code since moves into the presale). A visitor who has
/// asked from more than `QUEUE_ADDRESSES_PER_PLACE` addresses is moved to the
/// back ([`to_back`]), and told nothing of it.
pub async fn join(
    valkey: &Valkey,
    event: Uuid,
    member: &Member,
    address: &str,
    queue: &QueueConfig,
    code_holder: bool,
) -> BackendResult<Joined> {
    // The draw's random scores: the script itself cannot make one up.
    let (draw, back) = (rand::random::<f64>(), rand::random::<f64>());
    let code: i64 = valkey
        .pool()
        .next()
        .eval(
            JOIN,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "m"),
                key(valkey, event, "t"),
                key(valkey, event, &format!("ip:{address}")),
                key(valkey, event, &format!("from:{}", member.0)),
                key(valkey, event, &format!("mv:{}", member.0)),
            ],
            vec![
                member.0.clone(),
                // Below 0.5, whatever the float's text looks like: places
                // moved to the back score from 0.5.
                score(draw),
                KEEP_SECS.to_string(),
                queue.places_per_address.max(1).to_string(),
                queue.admission.as_millis().to_string(),
                if code_holder { "1" } else { "0" }.to_string(),
                address.to_string(),
                queue.addresses_per_place.to_string(),
                score(back),
            ],
        )
        .await?;
    Ok(match code {
        -3 => Joined::AddressFull,
        code => Joined::Placed(Place::from_code(code)),
    })
}

/// A random number in [0, 0.5) as a script's argument.
fn score(random: f64) -> String {
    format!("{:.15}", (random / 2.0).min(0.499_999_999))
}

const BACK: &str = concat!(
    prelude!(),
    r#"
draw_if_due(KEYS[1], KEYS[2])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if not once(KEYS[3], ARGV[3]) then return 0 end
to_back(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))
return 1
"#
);

/// Moves the visitor's place to the back, once per place: before the draw
/// behind every place not moved, after it to a new number at the end. For a
/// visitor whose requests failed the browser check; they are not told.
/// Whether it moved.
pub async fn to_back(valkey: &Valkey, event: Uuid, member: &Member) -> BackendResult<bool> {
    let moved: i64 = valkey
        .pool()
        .next()
        .eval(
            BACK,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "m"),
                key(valkey, event, &format!("mv:{}", member.0)),
            ],
            vec![
                member.0.clone(),
                score(rand::random::<f64>()),
                KEEP_SECS.to_string(),
            ],
        )
        .await?;
    Ok(moved == 1)
}

const NUMBER: &str = concat!(
    prelude!(),
    r#"
draw_if_due(KEYS[1], KEYS[2])
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held then return -1 end
held = tonumber(held)
if held < 0 then return -2 end
if held < 1 then return 0 end
return held
"#
);

/// The visitor's number, once drawn: asked once per visitor after the
/// opening (their cookie keeps it).
pub async fn number(valkey: &Valkey, event: Uuid, member: &Member) -> BackendResult<Place> {
    let code: i64 = valkey
        .pool()
        .next()
        .eval(
            NUMBER,
            vec![key(valkey, event, "w"), key(valkey, event, "m")],
            vec![member.0.clone()],
        )
        .await?;
    Ok(Place::from_code(code))
}

const ADVANCE: &str = concat!(
    prelude!(),
    r#"
local w, m, t = KEYS[1], KEYS[2], KEYS[3]
local admission_ms = tonumber(ARGV[2])
if redis.call('HEXISTS', m, 'opens') == 0 then return {} end
-- The organizer's rate for the sale, else the shop's.
local rate = tonumber(redis.call('HGET', m, 'rate') or '') or tonumber(ARGV[1])
local opens = tonumber(redis.call('HGET', m, 'opens'))
local first_turn = opens + tonumber(ARGV[4])
local sold_out = redis.call('HGET', m, 'sold_out') == '1'
local to = tonumber(redis.call('HGET', m, 'admitted_to') or '0')
local drawn = false
if now_ms >= opens and not sold_out then
  drawn = draw_if_due(w, m)
end
if now_ms >= first_turn and not sold_out then
  local seq = tonumber(redis.call('HGET', m, 'seq') or '0')
  local last = tonumber(redis.call('HGET', m, 'last') or tostring(first_turn))
  if last < first_turn then last = first_turn end
  local due = math.floor((now_ms - last) * rate / 1000)
  if due > 0 then
    local burst = math.max(math.floor(rate * 2), 1)
    if due > burst then due = burst end
    local next_to = math.min(to + due, seq)
    if next_to == seq then
      -- Nobody left waiting: the next arrival waits at most a moment.
      redis.call('HSET', m, 'last', now_ms)
    else
      redis.call('HSET', m, 'last', last + math.floor(due * 1000 / rate))
    end
    if next_to > to then
      redis.call('ZADD', t, next_to, next_to .. ':' .. now_ms)
      redis.call('HSET', m, 'admitted_to', next_to)
      redis.call('EXPIRE', t, ARGV[3])
      to = next_to
      -- Turns that ran out (keeping the newest of them, which tells the
      -- numbers before it that theirs did too).
      while redis.call('ZCARD', t) > 1 do
        local second = redis.call('ZRANGE', t, 1, 1)
        if tonumber(string.match(second[1], ':(%d+)$')) + admission_ms > now_ms then break end
        redis.call('ZPOPMIN', t)
      end
    end
  end
else
  drawn = redis.call('HGET', m, 'drawn') == '1'
end
local seq = tonumber(redis.call('HGET', m, 'seq') or '0')
local waiting
if drawn then
  waiting = seq - to + redis.call('ZCOUNT', w, -1, '(0')
else
  waiting = redis.call('ZCARD', w)
end
local sign = redis.call('HMGET', m, 'title', 'opens_local', 'opens_zone', 'general')
local out = {to, seq, waiting, sold_out and 1 or 0, drawn and 1 or 0, opens,
  sign[1] or '', sign[2] or '', sign[3] or '', tonumber(sign[4] or '0'), tostring(rate)}
for i = 5, #ARGV do
  out[#out + 1] = redis.call('HGET', m, 'title:' .. ARGV[i]) or ''
end
return out
"#
);

/// The event's progress, raising `admitted_to` first when numbers are due
/// (the organizer's rate for the sale, else `QUEUE_ADMIT_PER_SEC`, a second since the last raise; not before the first
/// turn, `QUEUE_DRAW_SECS` after the opening, not once sold out). Any instance may call it any time: the last raise is kept in
/// Valkey, so several instances together let through `rate` a second, not
/// more. `None` when the queue knows nothing of the event.
pub async fn progress(
    valkey: &Valkey,
    event: Uuid,
    queue: &QueueConfig,
) -> BackendResult<Option<Progress>> {
    let rate = queue.admit_per_sec.max(0.01);
    let draw_ms = queue.draw.as_millis() as i64;
    let mut args = vec![
        rate.to_string(),
        queue.admission.as_millis().to_string(),
        KEEP_SECS.to_string(),
        draw_ms.to_string(),
    ];
    args.extend(Locale::ALL.iter().map(|l| l.tag().to_string()));
    let out: Vec<fred::types::Value> = valkey
        .pool()
        .next()
        .eval(
            ADVANCE,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "m"),
                key(valkey, event, "t"),
            ],
            args,
        )
        .await?;
    if out.len() < 11 {
        return Ok(None);
    }
    let int = |i: usize| out[i].as_i64().unwrap_or(0);
    let text = |i: usize| out[i].as_string().unwrap_or_default();
    let mut progress = Progress {
        admitted_to: int(0).max(0) as u64,
        last_number: int(1).max(0) as u64,
        waiting: int(2).max(0) as u64,
        sold_out: int(3) == 1,
        drawn: int(4) == 1,
        opens_ms: int(5),
        turns_ms: int(5) + draw_ms,
        rate: text(10).parse::<f64>().unwrap_or(rate).max(0.01),
        title: text(6),
        opens_local: text(7),
        opens_zone: text(8),
        general_ms: Some(int(9)).filter(|ms| *ms > 0),
        titles: Locale::ALL
            .iter()
            .enumerate()
            .filter_map(|(i, l)| out.get(11 + i).map(|_| (*l, text(11 + i))))
            .collect(),
        json: bytes::Bytes::new(),
    };
    progress.json = progress.to_json().to_string().into();
    Ok(Some(progress))
}

/// How a visitor whose number has come asked for their turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Checkout is open to them until `until_ms` (Unix ms).
    Admitted { until_ms: i64 },
    /// Their number has not come yet (the copy they compared with ran ahead).
    NotYet,
    /// Their turn came and ran out unused.
    RanOut,
    /// Nothing is left to sell.
    SoldOut,
    /// They hold no such place.
    Absent,
    /// Their place was moved to the back, to this number: they asked from
    /// more client addresses than a place is held from.
    Moved(u64),
}

const ADMIT: &str = concat!(
    prelude!(),
    r#"
local w, a, m, t = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local member, number, admission_ms = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local admitted = redis.call('ZSCORE', a, member)
if admitted and tonumber(admitted) > now_ms then return {1, tonumber(admitted)} end
if redis.call('HGET', m, 'sold_out') == '1' then return {2, 0} end
local held = redis.call('ZSCORE', w, member)
if not held or tonumber(held) ~= number then return {3, 0} end
if number > tonumber(redis.call('HGET', m, 'admitted_to') or '0') then return {0, 0} end
local began = turn_began(t, number)
if not began or began + admission_ms <= now_ms then return {4, 0} end
if spread(KEYS[5], ARGV[5], ARGV[6], ARGV[4]) and once(KEYS[6], ARGV[4]) then
  return {5, to_back(w, m, member, tonumber(ARGV[7]))}
end
local until_ms = began + admission_ms
redis.call('ZADD', a, until_ms, member)
redis.call('EXPIRE', a, ARGV[4])
redis.call('ZREMRANGEBYSCORE', a, '-inf', now_ms)
redis.call('HINCRBY', m, 'admitted', 1)
return {1, until_ms}
"#
);

/// The admission of a visitor holding `number`, asking from client
/// `address` (a digest), if its turn has come: until the turn's end (it
/// began when `admitted_to` reached the number). Asking again gives the same
/// admission. A place asked for from more than `QUEUE_ADDRESSES_PER_PLACE`
/// addresses gets none: it moves to the back.
pub async fn admit(
    valkey: &Valkey,
    event: Uuid,
    member: &Member,
    number: u64,
    address: &str,
    queue: &QueueConfig,
) -> BackendResult<Turn> {
    let (code, until_ms): (i64, i64) = valkey
        .pool()
        .next()
        .eval(
            ADMIT,
            vec![
                key(valkey, event, "w"),
                key(valkey, event, "a"),
                key(valkey, event, "m"),
                key(valkey, event, "t"),
                key(valkey, event, &format!("from:{}", member.0)),
                key(valkey, event, &format!("mv:{}", member.0)),
            ],
            vec![
                member.0.clone(),
                number.to_string(),
                queue.admission.as_millis().to_string(),
                KEEP_SECS.to_string(),
                address.to_string(),
                queue.addresses_per_place.to_string(),
                score(rand::random::<f64>()),
            ],
        )
        .await?;
    Ok(match code {
        1 => Turn::Admitted { until_ms },
        0 => Turn::NotYet,
        2 => Turn::SoldOut,
        4 => Turn::RanOut,
        5 if until_ms > 0 => Turn::Moved(until_ms as u64),
        _ => Turn::Absent,
    })
}
