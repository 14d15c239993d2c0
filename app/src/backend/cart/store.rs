//! Carts in Valkey: one hash per cart (ticket id -> quantity) with a TTL refreshed
//! on every write, and beside it the codes the visitor entered (event id ->
//! code, one per event). A cart holds intent only; no stock is held until
//! checkout, and a code is checked again by it.

use std::collections::BTreeMap;
use std::time::Duration;

use fred::prelude::{HashesInterface, KeysInterface, LuaInterface};
use uuid::Uuid;

use crate::backend::codes::EventCodes;
use crate::backend::error::BackendResult;
use crate::backend::valkey::Valkey;
use crate::error::{AppError, InputRefusal};

/// Carts nobody touches for a week disappear.
pub const CART_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// More than this in one line is certainly a mistake (the per-order maximum is lower).
pub const LINE_LIMIT: i64 = 100;
/// Different listings one cart may hold: enough for any real basket, and a
/// bound on what a visitor can make Valkey keep.
pub const MAX_LINES: u64 = 20;

/// Whose cart: a signed-in buyer's, or a guest's (keyed by a random id kept in the session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartOwner {
    User(Uuid),
    Guest(Uuid),
}

fn key(valkey: &Valkey, owner: CartOwner) -> String {
    match owner {
        CartOwner::User(id) => valkey.key(&format!("cart:user:{id}")),
        CartOwner::Guest(id) => valkey.key(&format!("cart:guest:{id}")),
    }
}

fn codes_key(valkey: &Valkey, owner: CartOwner) -> String {
    match owner {
        CartOwner::User(id) => valkey.key(&format!("cart_codes:user:{id}")),
        CartOwner::Guest(id) => valkey.key(&format!("cart_codes:guest:{id}")),
    }
}

/// The codes entered, by event (as normalized when entered).
pub async fn codes(valkey: &Valkey, owner: CartOwner) -> BackendResult<EventCodes> {
    let raw: std::collections::HashMap<String, String> =
        valkey.pool().hgetall(codes_key(valkey, owner)).await?;
    Ok(raw
        .into_iter()
        .filter_map(|(event, code)| Some((Uuid::parse_str(&event).ok()?, code)))
        .collect())
}

const KEEP_CODE: &str = r#"
local key, event = KEYS[1], ARGV[1]
if redis.call('HEXISTS', key, event) == 0 and redis.call('HLEN', key) >= tonumber(ARGV[3]) then
  return -1
end
redis.call('HSET', key, event, ARGV[2])
redis.call('EXPIRE', key, ARGV[4])
return 0
"#;

/// Keeps `code` for `event` (replacing the one entered before); codes for at
/// most [`MAX_LINES`] events, as lines.
pub async fn keep_code(
    valkey: &Valkey,
    owner: CartOwner,
    event: Uuid,
    code: &str,
) -> BackendResult<()> {
    let kept: i64 = valkey
        .pool()
        .next()
        .eval(
            KEEP_CODE,
            vec![codes_key(valkey, owner)],
            vec![
                event.to_string(),
                code.to_string(),
                MAX_LINES.to_string(),
                CART_TTL.as_secs().to_string(),
            ],
        )
        .await?;
    if kept < 0 {
        return Err(AppError::input(
            "code",
            InputRefusal::CartFull {
                most: MAX_LINES as u32,
            },
        )
        .into());
    }
    Ok(())
}

/// Forgets the code entered for `event`.
pub async fn drop_code(valkey: &Valkey, owner: CartOwner, event: Uuid) -> BackendResult<()> {
    let _: i64 = valkey
        .pool()
        .hdel(codes_key(valkey, owner), event.to_string())
        .await?;
    Ok(())
}

/// The cart's lines, in ticket-id order.
pub async fn lines(valkey: &Valkey, owner: CartOwner) -> BackendResult<BTreeMap<Uuid, i64>> {
    let raw: std::collections::HashMap<String, i64> =
        valkey.pool().hgetall(key(valkey, owner)).await?;
    Ok(raw
        .into_iter()
        .filter_map(|(ticket, qty)| Some((Uuid::parse_str(&ticket).ok()?, qty)))
        .filter(|(_, qty)| *qty > 0)
        .collect())
}

const ADD: &str = r#"
local key, ticket = KEYS[1], ARGV[1]
if redis.call('HEXISTS', key, ticket) == 0 and redis.call('HLEN', key) >= tonumber(ARGV[3]) then
  return -1
end
local total = redis.call('HINCRBY', key, ticket, tonumber(ARGV[2]))
if total > tonumber(ARGV[4]) then redis.call('HSET', key, ticket, ARGV[4]) end
redis.call('EXPIRE', key, ARGV[5])
return 0
"#;

/// Adds `quantity` seats of a ticket (capped at [`LINE_LIMIT`]); a new line
/// only while the cart holds fewer than [`MAX_LINES`]. One script, so two
/// adds at once cannot both pass the check (and one round trip, not five).
pub async fn add(
    valkey: &Valkey,
    owner: CartOwner,
    ticket: Uuid,
    quantity: i64,
) -> BackendResult<()> {
    let code: i64 = valkey
        .pool()
        .next()
        .eval(
            ADD,
            vec![key(valkey, owner)],
            vec![
                ticket.to_string(),
                quantity.to_string(),
                MAX_LINES.to_string(),
                LINE_LIMIT.to_string(),
                CART_TTL.as_secs().to_string(),
            ],
        )
        .await?;
    if code < 0 {
        return Err(AppError::input(
            "ticket_type_id",
            InputRefusal::CartFull {
                most: MAX_LINES as u32,
            },
        )
        .into());
    }
    Ok(())
}

const SET: &str = r#"
local key, ticket = KEYS[1], ARGV[1]
local quantity = tonumber(ARGV[2])
if quantity <= 0 then
  redis.call('HDEL', key, ticket)
elseif redis.call('HEXISTS', key, ticket) == 1 then
  redis.call('HSET', key, ticket, math.min(quantity, tonumber(ARGV[3])))
end
redis.call('EXPIRE', key, ARGV[4])
return 0
"#;

/// Sets the quantity of a line already in the cart; zero or less removes it. A
/// ticket not in the cart is left out (only `add` checks a listing exists).
pub async fn set(
    valkey: &Valkey,
    owner: CartOwner,
    ticket: Uuid,
    quantity: i64,
) -> BackendResult<()> {
    let _: i64 = valkey
        .pool()
        .next()
        .eval(
            SET,
            vec![key(valkey, owner)],
            vec![
                ticket.to_string(),
                quantity.to_string(),
                LINE_LIMIT.to_string(),
                CART_TTL.as_secs().to_string(),
            ],
        )
        .await?;
    Ok(())
}

pub async fn clear(valkey: &Valkey, owner: CartOwner) -> BackendResult<()> {
    let _: i64 = valkey.pool().del(key(valkey, owner)).await?;
    Ok(())
}

/// Moves a guest's lines into the buyer's cart at sign-in, adding quantities
/// (so neither cart's intent is lost), then drops the guest cart. The codes
/// the guest entered come along, each replacing the buyer's for its event.
pub async fn merge_guest_into_user(valkey: &Valkey, guest: Uuid, user: Uuid) -> BackendResult<()> {
    let (guest, user) = (CartOwner::Guest(guest), CartOwner::User(user));
    for (ticket, quantity) in lines(valkey, guest).await? {
        add(valkey, user, ticket, quantity).await?;
    }
    for (event, code) in codes(valkey, guest).await? {
        keep_code(valkey, user, event, &code).await?;
    }
    let _: i64 = valkey.pool().del(codes_key(valkey, guest)).await?;
    clear(valkey, guest).await
}
