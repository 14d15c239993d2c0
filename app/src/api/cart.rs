use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::CartView;

#[server(endpoint = "cart/view")]
pub async fn view_cart() -> Result<CartView, AppError> {
    use crate::backend::cart::store::CartOwner;
    use crate::backend::{access, cart, http::serve, orders::pending};
    let locale = crate::i18n::use_locale();
    serve(|state| async move {
        let auth = access::auth_session().await?;
        let owner = cart::owner(&auth, false).await?;
        let pending_order = match owner {
            Some(CartOwner::User(user)) => pending::pending_for_user(&state.db, user)
                .await?
                .map(|order| order.id),
            _ => None,
        };
        Ok(cart::view(&state.db, &state.valkey, owner, pending_order, locale).await?)
    })
    .await
    .map(|cart| cart.written(locale))
}

/// How many of one ticket type to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub ticket_type_id: Uuid,
    pub quantity: i64,
}

/// Adds tickets to the cart (guests too), any number of an event's types at
/// once (`picks[0][ticket_type_id]`, `picks[0][quantity]`, ...); types picked
/// 0 times are skipped. The cart holds no stock.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(picks: Vec<Pick>) -> Result<(), AppError> {
    use crate::backend::cart::{self, store};
    use crate::backend::{access, db, http::serve};
    use crate::error::InputRefusal;
    use crate::model::EventStatus;
    serve(|state| async move {
        limit_cart_writes(&state).await?;
        if picks.len() > store::MAX_LINES as usize
            || picks
                .iter()
                .any(|p| !(0..=store::LINE_LIMIT).contains(&p.quantity))
            || picks.iter().all(|p| p.quantity == 0)
        {
            return Err(AppError::input("quantity", InputRefusal::NoQuantity));
        }
        let picked: Vec<&Pick> = picks.iter().filter(|p| p.quantity > 0).collect();
        let auth = access::auth_session().await?;
        let owner = cart::owner(&auth, true).await?.ok_or(AppError::Internal)?;
        for pick in &picked {
            let on_sale = match db::catalogue::type_for_cart(&state.db, pick.ticket_type_id).await?
            {
                Some(t) if t.status == EventStatus::Published && t.hidden => {
                    // Hidden: only with the code the visitor entered for its event.
                    cart::code::kept(&state.db, &state.valkey, Some(owner), t.event_id)
                        .await?
                        .is_some_and(|offer| offer.ticket_types.contains(&pick.ticket_type_id))
                }
                Some(t) => t.status == EventStatus::Published,
                None => false,
            };
            if !on_sale {
                return Err(AppError::NotFound);
            }
        }
        for pick in picked {
            store::add(&state.valkey, owner, pick.ticket_type_id, pick.quantity).await?;
        }
        Ok(())
    })
    .await
}

/// Changes a line's quantity; 0 removes it.
#[server(endpoint = "cart/set")]
pub async fn set_cart_line(ticket_type_id: Uuid, quantity: i64) -> Result<(), AppError> {
    use crate::backend::cart::{self, store};
    use crate::backend::{access, http::serve};
    use crate::error::InputRefusal;
    serve(|state| async move {
        limit_cart_writes(&state).await?;
        if !(0..=store::LINE_LIMIT).contains(&quantity) {
            return Err(AppError::input(
                "quantity",
                InputRefusal::QuantityOutOfRange {
                    most: store::LINE_LIMIT as u32,
                },
            ));
        }
        let auth = access::auth_session().await?;
        if let Some(owner) = cart::owner(&auth, false).await? {
            store::set(&state.valkey, owner, ticket_type_id, quantity).await?;
        }
        Ok(())
    })
    .await
}

/// Forgets the code entered for an event (its prices and hidden types go
/// back to the general sale's at checkout).
#[server(endpoint = "cart/code/remove")]
pub async fn remove_code(event: Uuid) -> Result<(), AppError> {
    use crate::backend::cart::{self, store};
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        limit_cart_writes(&state).await?;
        let auth = access::auth_session().await?;
        if let Some(owner) = cart::owner(&auth, false).await? {
            store::drop_code(&state.valkey, owner, event).await?;
        }
        Ok(())
    })
    .await
}

/// Cart writes per client address per minute: carts live in Valkey, guests'
/// too, so one address cannot fill it.
#[cfg(feature = "ssr")]
async fn limit_cart_writes(state: &crate::backend::AppState) -> Result<(), AppError> {
    use crate::backend::access;
    use crate::backend::rate_limit::{self, Bucket};
    let ip = access::client_ip(state).await;
    Ok(rate_limit::limit(state, Bucket::CartFromAddress(&ip)).await?)
}
