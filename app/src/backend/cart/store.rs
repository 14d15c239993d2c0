//! Carts in Valkey: one hash per cart (ticket id -> quantity) with a TTL refreshed
//! on every write. A cart holds intent only; no stock is held until checkout.

use std::collections::BTreeMap;
use std::time::Duration;

use fred::prelude::{HashesInterface, KeysInterface};
use uuid::Uuid;

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

/// Adds `quantity` seats of a ticket (capped at [`LINE_LIMIT`]).
pub async fn add(
    valkey: &Valkey,
    owner: CartOwner,
    ticket: Uuid,
    quantity: i64,
) -> BackendResult<()> {
    let key = key(valkey, owner);
    let present: bool = valkey.pool().hexists(&key, ticket.to_string()).await?;
    if !present {
        let lines: u64 = valkey.pool().hlen(&key).await?;
        if lines >= MAX_LINES {
            return Err(AppError::input(
                "ticket_type_id",
                InputRefusal::CartFull {
                    most: MAX_LINES as u32,
                },
            )
            .into());
        }
    }
    let total: i64 = valkey
        .pool()
        .hincrby(&key, ticket.to_string(), quantity)
        .await?;
    if total > LINE_LIMIT {
        let _: () = valkey
            .pool()
            .hset(&key, (ticket.to_string(), LINE_LIMIT))
            .await?;
    }
    touch(valkey, &key).await
}

/// Sets the quantity of a line already in the cart; zero or less removes it. A
/// ticket not in the cart is left out (only `add` checks a listing exists).
pub async fn set(
    valkey: &Valkey,
    owner: CartOwner,
    ticket: Uuid,
    quantity: i64,
) -> BackendResult<()> {
    let key = key(valkey, owner);
    if quantity <= 0 {
        let _: i64 = valkey.pool().hdel(&key, ticket.to_string()).await?;
    } else if valkey.pool().hexists(&key, ticket.to_string()).await? {
        let _: () = valkey
            .pool()
            .hset(&key, (ticket.to_string(), quantity.min(LINE_LIMIT)))
            .await?;
    }
    touch(valkey, &key).await
}

pub async fn clear(valkey: &Valkey, owner: CartOwner) -> BackendResult<()> {
    let _: i64 = valkey.pool().del(key(valkey, owner)).await?;
    Ok(())
}

/// Moves a guest's lines into the buyer's cart at sign-in, adding quantities
/// (so neither cart's intent is lost), then drops the guest cart.
pub async fn merge_guest_into_user(valkey: &Valkey, guest: Uuid, user: Uuid) -> BackendResult<()> {
    let guest_lines = lines(valkey, CartOwner::Guest(guest)).await?;
    for (ticket, quantity) in guest_lines {
        add(valkey, CartOwner::User(user), ticket, quantity).await?;
    }
    clear(valkey, CartOwner::Guest(guest)).await
}

async fn touch(valkey: &Valkey, key: &str) -> BackendResult<()> {
    let _: bool = valkey
        .pool()
        .expire(key, CART_TTL.as_secs() as i64, None)
        .await?;
    Ok(())
}
