//! The codes a visitor entered (issue 30), on an event's page or arriving by
//! a link (`access::enter_code` checks them, counted against guessing), kept
//! beside their cart for the cart, the event's page and the checkout, which
//! checks them again.

use sqlx::PgPool;
use uuid::Uuid;

use super::store::{self, CartOwner};
use crate::backend::codes::{self, CodeOffer, EventCodes};
use crate::backend::error::BackendResult;
use crate::backend::valkey::Valkey;

/// The code kept for `event`, while it is usable.
pub async fn kept(
    db: &PgPool,
    valkey: &Valkey,
    owner: Option<CartOwner>,
    event: Uuid,
) -> BackendResult<Option<CodeOffer>> {
    let Some(owner) = owner else {
        return Ok(None);
    };
    let codes: EventCodes = store::codes(valkey, owner)
        .await?
        .into_iter()
        .filter(|(e, _)| *e == event)
        .collect();
    Ok(codes::usable(db, &codes).await?.remove(&event))
}
