//! From cart to payment: the cart's seats are reserved, a free order is
//! confirmed at once, and a paid one gets its Stripe Checkout Session, created
//! once however many requests (double clicks, retries) ask for it.

use std::time::Duration;

use uuid::Uuid;

use super::lifecycle::{self, Reservation};
use crate::backend::auth::SessionUser;
use crate::backend::cart::store::{self as cart, CartOwner};
use crate::backend::payments::{PaymentError, SessionRequest};
use crate::backend::{AppState, BackendResult};
use crate::error::AppError;
use crate::model::{CheckoutRefusal, OrderStatus};

/// Where the buyer goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutNext {
    /// To Stripe's payment page.
    Pay { url: String },
    /// To the order's page: a free order was confirmed, or the order was settled
    /// or released while its payment page was being made.
    ShowOrder { order: Uuid },
}

/// How long a request waits for another request's session for the same order
/// (Stripe answers the second one `idempotency_key_in_use` until the first is done).
const WAIT_FOR_SESSION: Duration = Duration::from_secs(8);
const WAIT_STEP: Duration = Duration::from_millis(200);

/// Checks out the buyer's cart. Only the request that reserved the seats may
/// give them back when Stripe fails; a request that found the order already
/// pending never releases it (another one may be paying it right now).
/// The buyer's address must be verified first: tickets and receipts go there.
pub async fn start_checkout(state: &AppState, buyer: &SessionUser) -> BackendResult<CheckoutNext> {
    if !buyer.email_verified {
        return Err(AppError::Refused(CheckoutRefusal::EmailNotVerified {
            email: buyer.email.clone(),
        })
        .into());
    }
    let (email, buyer) = (buyer.email.as_str(), buyer.id);
    let lines = cart::lines(&state.cache, CartOwner::User(buyer)).await?;
    let (order, reserved_now) =
        match lifecycle::reserve(&state.db, buyer, &lines, state.config.reservation_timeout).await?
        {
            Reservation::New(order) => (order, true),
            Reservation::Existing(order) => (order, false),
        };
    if order.total_minor == 0 {
        // Free: nothing to pay, so Stripe is never involved.
        if lifecycle::confirm_free(&state.db, order.id).await? {
            tracing::info!(order = %order.id, "free order confirmed");
            if let Err(err) = cart::clear(&state.cache, CartOwner::User(buyer)).await {
                tracing::warn!(order = %order.id, error = %err, "cart not cleared after a free order");
            }
        }
        return Ok(CheckoutNext::ShowOrder { order: order.id });
    }
    if let Some(url) = order.stripe_session_url.clone() {
        return Ok(CheckoutNext::Pay { url });
    }
    let give_up = |err: AppError| async move {
        if reserved_now {
            // Nothing may stay held for a session that does not exist.
            lifecycle::release_now(&state.db, order.id, OrderStatus::Cancelled).await?;
            Err(err.into())
        } else {
            Err(AppError::CheckoutPending.into())
        }
    };
    let Some(payments) = state.payments.as_deref() else {
        return give_up(AppError::PaymentUnavailable).await;
    };
    let request = SessionRequest {
        order: &order,
        customer_email: email,
        base_url: &state.config.app_base_url,
    };
    let deadline = tokio::time::Instant::now() + WAIT_FOR_SESSION;
    loop {
        match payments.create_session(&request).await {
            Ok(link) => {
                if lifecycle::attach_session(&state.db, order.id, &link.session_id, &link.url)
                    .await?
                {
                    return Ok(CheckoutNext::Pay { url: link.url });
                }
                // Paid, or released, meanwhile: make sure this session cannot be
                // paid for an order that no longer holds seats, and show the order.
                match payments.expire_session(&link.session_id).await {
                    Ok(state) => {
                        tracing::info!(order = %order.id, ?state, "session for a settled order")
                    }
                    Err(err) => {
                        tracing::warn!(order = %order.id, error = %err, "could not expire a stray session")
                    }
                }
                return Ok(CheckoutNext::ShowOrder { order: order.id });
            }
            Err(PaymentError::InProgress(reason)) if tokio::time::Instant::now() < deadline => {
                // A double click: the first request is creating this very session.
                tracing::debug!(order = %order.id, %reason, "checkout already being created; waiting");
                tokio::time::sleep(WAIT_STEP).await;
                if let Some(url) = lifecycle::session_url(&state.db, order.id).await? {
                    return Ok(CheckoutNext::Pay { url });
                }
            }
            Err(err) => {
                tracing::error!(error = %err, order = %order.id, "creating the checkout session failed");
                return give_up(AppError::PaymentUnavailable).await;
            }
        }
    }
}
