use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::OrderView;

/// Reserves the cart's seats and sends the buyer to Stripe Checkout (or, for a
/// free order, confirms it and shows it). Checking out again while an order is
/// pending returns that order's session instead of holding more seats.
#[server(endpoint = "checkout/start")]
pub async fn start_checkout() -> Result<(), AppError> {
    use crate::backend::orders::checkout::{self, CheckoutNext};
    use crate::backend::rate_limit::{self, Bucket};
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        let user = access::require_user().await?;
        rate_limit::limit(&state, Bucket::CheckoutByBuyer(user.id)).await?;
        // Many free accounts from one address count together.
        let ip = access::client_ip(&state).await;
        rate_limit::limit(&state, Bucket::CheckoutFromAddress(&ip)).await?;
        let gate = access::queue_gate(&state).await?;
        match checkout::start_checkout(&state.checkout(), &user, &gate).await? {
            CheckoutNext::Pay { url } => leptos_axum::redirect(&url),
            CheckoutNext::ShowOrder { order } => leptos_axum::redirect(&format!("/orders/{order}")),
        }
        Ok(())
    })
    .await
}

/// Gives up the buyer's pending order: the session is expired at Stripe first
/// (so it can no longer be paid), then the seats are released.
#[server(endpoint = "checkout/cancel")]
pub async fn cancel_checkout() -> Result<(), AppError> {
    use crate::backend::orders::checkout;
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        let user = access::require_user().await?;
        Ok(checkout::cancel(&state.checkout(), user.id).await?)
    })
    .await
}

/// One of the buyer's own orders (anyone else: 404).
#[server(endpoint = "orders/get")]
pub async fn get_order(id: Uuid) -> Result<OrderView, AppError> {
    use crate::backend::orders::views;
    use crate::backend::{access, http::serve};
    let locale = crate::i18n::use_locale();
    let order = serve(|state| async move {
        let user = access::require_user().await?;
        views::for_buyer(&state.db, user.id, id, locale)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(order.written(locale))
}

/// The buyer's order history, newest first.
#[server(endpoint = "orders/mine")]
pub async fn my_orders() -> Result<Vec<OrderView>, AppError> {
    use crate::backend::orders::views;
    use crate::backend::{access, http::serve};
    let locale = crate::i18n::use_locale();
    let orders = serve(|state| async move {
        let user = access::require_user().await?;
        Ok(views::history(&state.db, user.id, locale).await?)
    })
    .await?;
    Ok(orders
        .into_iter()
        .map(|order| order.written(locale))
        .collect())
}

/// One ticket with its QR code, for its owner only (anyone else: 404).
#[server(endpoint = "tickets/get")]
pub async fn get_ticket(id: Uuid) -> Result<crate::model::TicketView, AppError> {
    use crate::backend::orders::views;
    use crate::backend::{access, http::serve};
    let locale = crate::i18n::use_locale();
    serve(|state| async move {
        let user = access::require_user().await?;
        views::ticket_for_owner(&state.db, user.id, id, locale)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The buyer cancels their tickets under the policy they bought under
/// (refunded less the organizer's fee). `refund_minor` is the amount the buyer
/// was shown; a different one now is refused.
#[server(endpoint = "orders/cancel_tickets")]
pub async fn cancel_tickets(order: Uuid, refund_minor: i64) -> Result<(), AppError> {
    use crate::backend::orders::refund;
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        let buyer = access::require_user().await?;
        refund::buyer::cancel_by_buyer(
            &state.db,
            state.payments.as_deref(),
            &buyer,
            order,
            refund_minor,
        )
        .await?;
        leptos_axum::redirect(&format!("/orders/{order}?cancelled=1"));
        Ok(())
    })
    .await
}
