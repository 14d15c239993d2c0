//! An organizer's orders for an event, one order, and refunds.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{OrganizerOrderView, OrganizerOrders};

/// An event's orders: `q` searches the buyer's email and name and order
/// references; `status` is one of the order statuses, or empty for all.
#[server(endpoint = "organizer/orders")]
pub async fn event_orders(
    event: Uuid,
    q: Option<String>,
    status: Option<String>,
    page: Option<u32>,
) -> Result<OrganizerOrders, AppError> {
    use crate::backend::orders::for_organizer::{self, OrderSearch};
    use crate::backend::{access, http::serve};
    use crate::model::OrderStatus;
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        let text = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
        if text.as_ref().is_some_and(|q| q.chars().count() > 254) {
            return Err(AppError::invalid("q", "Search for at most 254 characters."));
        }
        // "" is the list's "Any"; anything else must be one of the statuses.
        let status = match status.as_deref().map(str::trim).unwrap_or_default() {
            "" => None,
            word => Some(OrderStatus::parse(word).ok_or_else(|| {
                AppError::invalid("status", "Choose an order status from the list.")
            })?),
        };
        let search = OrderSearch {
            text,
            status,
            page: page.unwrap_or(1).clamp(1, 10_000),
        };
        for_organizer::list(&state.db, &organizer, event, &search)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[server(endpoint = "organizer/order")]
pub async fn organizer_order(id: Uuid) -> Result<OrganizerOrderView, AppError> {
    use crate::backend::orders::for_organizer;
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        for_organizer::detail(&state.db, &organizer, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Refunds the chosen tickets (`tickets[0]`, `tickets[1]`, …), or with
/// `whole` every ticket of the organizer's in the order.
#[server(endpoint = "organizer/refund")]
pub async fn refund_tickets(
    order: Uuid,
    tickets: Option<Vec<Uuid>>,
    reason: String,
    restock: Option<String>,
    whole: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::orders::refund::{self, RefundRequest};
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        let request = RefundRequest {
            order,
            tickets: if whole.is_some() {
                None
            } else {
                Some(tickets.unwrap_or_default())
            },
            cause: crate::model::RefundCause::Organizer,
            reason,
            restock: restock.is_some(),
        };
        refund::refund(&state.db, state.payments.as_deref(), &organizer, request).await?;
        leptos_axum::redirect(&format!("/organizer/orders/{order}?refunded=1"));
        Ok(())
    })
    .await
}

/// The event's cancellation policy for buyers: `hours` before the event (empty:
/// buyers may not cancel), keeping `fee_percent`.
#[server(endpoint = "organizer/cancel_policy")]
pub async fn set_cancel_policy(
    event: Uuid,
    hours: String,
    fee_percent: String,
) -> Result<(), AppError> {
    use crate::backend::orders::refund;
    use crate::backend::{access, http::serve};
    serve(|state| async move {
        // A suspended organizer may not change what their buyers agreed to.
        let organizer = access::require_active_organizer(&state).await?;
        let hours = match hours.trim() {
            "" => None,
            h => Some(h.parse::<i32>().map_err(|_| {
                AppError::invalid("hours", "Give a whole number of hours, or leave it empty.")
            })?),
        };
        let fee_percent = match fee_percent.trim() {
            "" => 0,
            f => f.parse::<i32>().map_err(|_| {
                AppError::invalid("fee_percent", "Give the fee as a whole percentage.")
            })?,
        };
        refund::buyer::set_cancel_policy(&state.db, &organizer, event, hours, fee_percent).await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/sales?policy=saved"));
        Ok(())
    })
    .await
}

/// Cancels the event: sales stop now, and every paid order is refunded by the
/// sweepers in the background (progress on the sales page).
#[server(endpoint = "organizer/cancel_event")]
pub async fn cancel_event(event: Uuid, reason: String) -> Result<(), AppError> {
    use crate::backend::{access, cancellation, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        cancellation::cancel_event(&state.db, &organizer, event, &reason).await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/sales"));
        Ok(())
    })
    .await
}
