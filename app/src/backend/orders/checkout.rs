//! From cart to payment: the cart's seats are reserved, a free order is
//! confirmed at once, and a paid one gets its Stripe Checkout Session, created
//! once however many requests (double clicks, retries) ask for it.

use std::time::Duration;

use uuid::Uuid;

use super::pending::PendingOrder;
use super::reserve::{self, Reservation, Seats};
use super::{pending, release, settle};
use crate::backend::auth::SessionUser;
use crate::backend::cart::store::{self as cart, CartOwner};
use crate::backend::error::{BackendError, BackendResult};
use crate::backend::metrics;
use crate::backend::payments::Payments;
use crate::backend::payments::{PaymentError, SessionLine, SessionRequest, SessionState};
use crate::backend::queue::{self, Gate};
use crate::backend::valkey::Valkey;
use crate::error::{AppError, InputRefusal, Service};
use crate::model::{CheckoutRefusal, OrderStatus};
use sqlx::PgPool;

/// What checking out needs from the running shop (`AppState::checkout`).
pub struct CheckoutContext<'a> {
    pub db: &'a PgPool,
    pub valkey: &'a Valkey,
    /// Stripe (or the emulator); `None` when no keys are configured.
    pub payments: Option<&'a Payments>,
    /// How long seats are held while the buyer pays.
    pub hold: Duration,
    /// The shop's own address, for Stripe's return links.
    pub base_url: &'a str,
    /// Arrivals per second past which an event's queue turns on by itself (0: never).
    pub queue_auto_arrivals_per_sec: u64,
}

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
///
/// The sale of an event whose queue is on is open only to visitors the queue
/// let through (`gate`), unless the buyer already holds seats (a pending
/// order, such as a waiting-list offer).
#[tracing::instrument(name = "checkout", skip_all, fields(buyer = %buyer.id))]
pub async fn start_checkout(
    shop: &CheckoutContext<'_>,
    buyer: &SessionUser,
    gate: &Gate,
) -> BackendResult<CheckoutNext> {
    if !buyer.email_verified {
        return Err(AppError::Refused(CheckoutRefusal::EmailNotVerified {
            email: buyer.email.clone(),
        })
        .into());
    }
    let (email, buyer) = (buyer.email.as_str(), buyer.id);
    let lines = cart::lines(shop.valkey, CartOwner::User(buyer)).await?;
    let codes = cart::codes(shop.valkey, CartOwner::User(buyer)).await?;
    let queued = queued_events(shop, &lines).await?;
    let spent = match admit(shop, buyer, gate, &queued).await? {
        Admitted::Spent(spent) => spent,
        // Not admitted, but holding seats: that order, never a new one.
        Admitted::ResumeOnly(order) => return resume(shop, order, email).await,
    };
    let reserved =
        reserve::reserve_noting_the_last(shop.db, buyer, &lines, &codes, shop.hold, Seats::ForSale)
            .await;
    // The admissions this checkout spent buy nothing when it reserved nothing
    // new: the visitor keeps their turn.
    if !matches!(&reserved, Ok((Reservation::New(_), _))) {
        for (event, admission) in &spent {
            if let Err(err) = queue::unspend_admission(shop.valkey, *event, admission, buyer).await
            {
                tracing::warn!(%event, error = %err, "admission not given back");
            }
        }
    }
    metrics::reservation(&reserved, |(r, _)| matches!(r, Reservation::New(_)));
    // A queue stops letting visitors through the moment its sale sells out:
    // told by the checkout that took the last seats (or found none left);
    // any other checkout leaves its facts to the sweeper's refresh.
    let sold_out = match &reserved {
        Ok((_, the_last)) => *the_last,
        Err(BackendError::User(AppError::Refused(refusal))) => {
            matches!(refusal, CheckoutRefusal::SoldOut { .. })
        }
        Err(_) => false,
    };
    if sold_out {
        for (event, _) in &queued {
            if let Err(err) = queue::refresh_one(shop.db, shop.valkey, *event).await {
                tracing::warn!(%event, error = %err, "queue facts not refreshed");
            }
        }
    }
    let (order, reserved_now) = match reserved?.0 {
        Reservation::New(order) => (order, true),
        Reservation::Existing(order) => (order, false),
    };
    if order.total.minor == 0 {
        // Free: nothing to pay, so Stripe is never involved.
        if settle::confirm_free(shop.db, order.id).await? {
            tracing::info!(order = %order.id, "free order confirmed");
            if let Err(err) = cart::clear(shop.valkey, CartOwner::User(buyer)).await {
                tracing::warn!(order = %order.id, error = %err, "cart not cleared after a free order");
            }
        }
        return Ok(CheckoutNext::ShowOrder { order: order.id });
    }
    if let Some(url) = order.stripe_session_url.clone() {
        return Ok(CheckoutNext::Pay { url });
    }
    payment_page(shop, &order, email, reserved_now).await
}

/// What the queue lets this checkout do.
enum Admitted {
    /// Reserve: with these admissions, spent on it (none for a sale
    /// without a queue).
    Spent(Vec<(Uuid, queue::Admission)>),
    /// Only go on with the order the buyer holds.
    ResumeOnly(PendingOrder),
}

/// Each of the cart's queued events needs an admission of this buyer's (the
/// first account that checks out with one owns it) not spent on an earlier
/// order: claiming spends it, in one step, so two checkouts at once make one
/// order. A buyer without one who already holds seats (a pending order, such
/// as a waiting-list offer) goes on with that order only.
async fn admit(
    shop: &CheckoutContext<'_>,
    buyer: Uuid,
    gate: &Gate,
    queued: &[(Uuid, String)],
) -> BackendResult<Admitted> {
    let mut unadmitted = None;
    let mut spent = Vec::new();
    for (event, title) in queued {
        // An admission is the first account's that checks out with it: a
        // browser admitted as a guest cannot lend it to a second account.
        let admission = gate.admission(*event);
        let admitted = match &admission {
            Some(admission) => {
                queue::claim_admission(shop.valkey, *event, admission, buyer).await?
            }
            None => false,
        };
        match admission.filter(|_| admitted) {
            Some(admission) => spent.push((*event, admission)),
            None => {
                unadmitted.get_or_insert_with(|| title.clone());
            }
        }
    }
    let Some(title) = unadmitted else {
        return Ok(Admitted::Spent(spent));
    };
    for (event, admission) in &spent {
        queue::unspend_admission(shop.valkey, *event, admission, buyer).await?;
    }
    match pending::pending_for_user(shop.db, buyer).await? {
        Some(order) => Ok(Admitted::ResumeOnly(order)),
        None => Err(AppError::Refused(CheckoutRefusal::NotAdmitted { title }).into()),
    }
}

/// Goes on with the order the buyer holds: its payment page (or the order,
/// when it is free or settled).
async fn resume(
    shop: &CheckoutContext<'_>,
    order: PendingOrder,
    email: &str,
) -> BackendResult<CheckoutNext> {
    if order.total.minor == 0 {
        return Ok(CheckoutNext::ShowOrder { order: order.id });
    }
    if let Some(url) = order.stripe_session_url.clone() {
        return Ok(CheckoutNext::Pay { url });
    }
    payment_page(shop, &order, email, false).await
}

/// The order's Stripe payment page, made once however many requests ask for
/// it; when Stripe fails, the seats this request reserved go back.
async fn payment_page(
    shop: &CheckoutContext<'_>,
    order: &PendingOrder,
    email: &str,
    reserved_now: bool,
) -> BackendResult<CheckoutNext> {
    let give_up = |err: AppError| async move {
        if reserved_now {
            // Nothing may stay held for a session that does not exist.
            release::release_now(shop.db, order.id, OrderStatus::Cancelled).await?;
            Err(err.into())
        } else {
            Err(AppError::CheckoutPending.into())
        }
    };
    let Some(payments) = shop.payments else {
        return give_up(AppError::PaymentUnavailable).await;
    };
    let request = SessionRequest {
        order_id: order.id,
        currency: &order.total.currency,
        reserved_until: order.reserved_until,
        lines: order
            .lines
            .iter()
            .map(|line| SessionLine {
                title: line.title.clone(),
                // What Stripe charges: the list price less a code's discount
                // (the order's total is the sum of these).
                ticket_price: line.charged(),
                quantity: line.quantity,
            })
            .collect(),
        customer_email: email,
        base_url: shop.base_url,
    };
    let deadline = tokio::time::Instant::now() + WAIT_FOR_SESSION;
    loop {
        match payments.create_session(&request).await {
            Ok(link) => {
                if pending::attach_session(shop.db, order.id, &link.session_id, &link.url).await? {
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
                if let Some(url) = pending::session_url(shop.db, order.id).await? {
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

/// Gives up the buyer's pending order: the session is expired at Stripe first
/// (so it can no longer be paid), then the seats are released.
pub async fn cancel(shop: &CheckoutContext<'_>, buyer: Uuid) -> BackendResult<()> {
    let Some(order) = pending::pending_for_user(shop.db, buyer).await? else {
        return Ok(());
    };
    // Whichever releases it (this request, or the webhook the expiry sends), cancelled.
    pending::request_cancel(shop.db, order.id).await?;
    if let (Some(payments), Some(session)) = (shop.payments, order.stripe_session_id.as_deref()) {
        match payments.expire_session(session).await {
            Ok(SessionState::Open | SessionState::Expired | SessionState::Unknown) => {}
            Ok(_) => {
                return Err(AppError::input_refused(InputRefusal::AlreadyPaid).into());
            }
            Err(err) => {
                tracing::error!(error = %err, "expiring the checkout session failed");
                return Err(AppError::Unavailable(Service::Payments).into());
            }
        }
    }
    release::release_now(shop.db, order.id, OrderStatus::Cancelled).await?;
    Ok(())
}

/// The cart's events whose queue is on, with their titles.
async fn queued_events(
    shop: &CheckoutContext<'_>,
    lines: &std::collections::BTreeMap<Uuid, i64>,
) -> BackendResult<Vec<(Uuid, String)>> {
    let ids: Vec<Uuid> = lines.keys().copied().collect();
    let events = sqlx::query!(
        "SELECT DISTINCT e.id, e.title, e.queue_enabled
         FROM ticket_types t JOIN events e ON e.id = t.event_id WHERE t.id = ANY($1)",
        &ids
    )
    .fetch_all(shop.db)
    .await?;
    let mut queued = Vec::new();
    for event in events {
        let on = if shop.queue_auto_arrivals_per_sec == 0 {
            event.queue_enabled
        } else {
            queue::is_on(shop.valkey, event.id, event.queue_enabled).await?
        };
        if on {
            queued.push((event.id, event.title));
        }
    }
    Ok(queued)
}
