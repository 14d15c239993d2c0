//! The codes a visitor enters (issue 30), on an event's page or arriving by
//! a link: checked, counted against guessing, and kept beside their cart for
//! the cart, the event's page and the checkout, which checks them again.

use uuid::Uuid;

use super::store::{self, CartOwner};
use crate::backend::codes::{self, CodeOffer, EventCodes};
use crate::backend::error::BackendResult;
use crate::backend::rate_limit::{self, Bucket};
use crate::backend::state::AppState;

/// `typed` for `event`, from client address `ip`: the offer, kept for the
/// cart, when the code is usable. Every other code (unknown, disabled,
/// outside its window, used up, malformed) is `None` alike, and counts as a
/// wrong guess for the address and the signed-in buyer.
pub async fn enter(
    state: &AppState,
    owner: CartOwner,
    ip: &str,
    event: Uuid,
    typed: &str,
) -> BackendResult<Option<CodeOffer>> {
    let mut guesser = vec![Bucket::CodeFromAddress(ip)];
    if let CartOwner::User(buyer) = owner {
        guesser.push(Bucket::CodeByBuyer(buyer));
    }
    rate_limit::guess(state, &guesser).await?;
    let Some(code) = codes::normalize(typed) else {
        return Ok(None);
    };
    let offer = codes::usable(&state.db, &EventCodes::from([(event, code)]))
        .await?
        .remove(&event);
    if let Some(offer) = &offer {
        rate_limit::forgive(state, &guesser).await?;
        store::keep_code(&state.valkey, owner, event, &offer.code).await?;
    }
    Ok(offer)
}

/// The code kept for `event`, while it is usable.
pub async fn kept(
    state: &AppState,
    owner: Option<CartOwner>,
    event: Uuid,
) -> BackendResult<Option<CodeOffer>> {
    let Some(owner) = owner else {
        return Ok(None);
    };
    let codes: EventCodes = store::codes(&state.valkey, owner)
        .await?
        .into_iter()
        .filter(|(e, _)| *e == event)
        .collect();
    Ok(codes::usable(&state.db, &codes).await?.remove(&event))
}
