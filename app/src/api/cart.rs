use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::CartView;

#[server(endpoint = "cart/view")]
pub async fn view_cart() -> Result<CartView, AppError> {
    use crate::backend::{AppState, access, cart, http::respond};
    respond(
        async {
            let state = AppState::from_context()?;
            let auth = access::auth_session().await?;
            let owner = cart::owner(&auth, false).await?;
            Ok(cart::view(&state.db, &state.cache, owner).await?)
        }
        .await,
    )
}

/// Adds seats of a listing to the cart (guests too). The cart holds no stock.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(ticket_id: Uuid, quantity: i64) -> Result<(), AppError> {
    use crate::backend::cart::{self, store};
    use crate::backend::{AppState, access, db, http::respond};
    use crate::model::TicketStatus;
    respond(
        async {
            let state = AppState::from_context()?;
            limit_cart_writes(&state).await?;
            if !(1..=store::LINE_LIMIT).contains(&quantity) {
                return Err(AppError::invalid(
                    "quantity",
                    "Choose how many tickets you want.",
                ));
            }
            let ticket = db::catalogue::ticket(&state.db, ticket_id).await?;
            if !ticket.is_some_and(|t| t.status == TicketStatus::Published) {
                return Err(AppError::NotFound);
            }
            let auth = access::auth_session().await?;
            let owner = cart::owner(&auth, true).await?.ok_or(AppError::Internal)?;
            store::add(&state.cache, owner, ticket_id, quantity).await?;
            Ok(())
        }
        .await,
    )
}

/// Changes a line's quantity; 0 removes it.
#[server(endpoint = "cart/set")]
pub async fn set_cart_line(ticket_id: Uuid, quantity: i64) -> Result<(), AppError> {
    use crate::backend::cart::{self, store};
    use crate::backend::{AppState, access, http::respond};
    respond(
        async {
            let state = AppState::from_context()?;
            limit_cart_writes(&state).await?;
            if !(0..=store::LINE_LIMIT).contains(&quantity) {
                return Err(AppError::invalid(
                    "quantity",
                    "Choose a quantity between 0 and 100.",
                ));
            }
            let auth = access::auth_session().await?;
            if let Some(owner) = cart::owner(&auth, false).await? {
                store::set(&state.cache, owner, ticket_id, quantity).await?;
            }
            Ok(())
        }
        .await,
    )
}

/// Cart writes per client address per minute: carts live in Valkey, guests'
/// too, so one address cannot fill it.
#[cfg(feature = "ssr")]
async fn limit_cart_writes(state: &crate::backend::AppState) -> Result<(), AppError> {
    use crate::backend::{access, rate_limit};
    let ip = access::client_ip(state).await;
    let limit = rate_limit::Limit {
        max: state.config.cart_limit_per_ip_per_minute,
        window_secs: 60,
    };
    Ok(rate_limit::hit(&state.cache, &format!("cart:ip:{ip}"), limit).await?)
}
