//! Stripe through the real async-stripe client: Checkout Sessions and refunds
//! here, webhook verification and reading in [`webhook`]. Without keys of its
//! own the shop points it at the local Stripe emulator (`STRIPE_API_BASE`).

mod webhook;

pub use webhook::{EventKind, WebhookEvent, read_event, verify_signature};

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use uuid::Uuid;

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    ExpireCheckoutSession, ProductData, RetrieveCheckoutSession,
};
use stripe_shared::{
    ApiErrorsType, CheckoutSession, CheckoutSessionMode, CheckoutSessionPaymentStatus,
    CheckoutSessionStatus,
};

use super::config::StripeConfig;
use crate::model::{Currency, Money};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("stripe request failed: {0}")]
    Stripe(String),
    /// A request with the same idempotency key is still being processed at
    /// Stripe (409 `idempotency_key_in_use`), or that key was used with other
    /// parameters (`idempotency_error`): the same session is already being made.
    #[error("the same request is already being handled by stripe: {0}")]
    InProgress(String),
    /// Stripe does not know the object (404 `resource_missing`).
    #[error("stripe does not know it: {0}")]
    NotFound(String),
    #[error("webhook signature or payload rejected: {0}")]
    BadWebhook(String),
}

/// A Checkout Session the buyer is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLink {
    pub session_id: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPayment {
    pub order_id: Uuid,
    /// What the buyer paid (`amount_total` in `currency`).
    pub amount: Money,
    pub payment_intent: Option<String>,
}

/// The session as Stripe sees it, for the sweeper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Open,
    Expired,
    Paid(SessionPayment),
    /// Complete but not yet paid (async payment methods).
    Processing,
    /// Stripe does not know the session (404): nothing can pay it.
    Unknown,
}

/// The order id a session carries (`client_reference_id`).
pub fn order_of(client_reference_id: Option<&str>) -> Option<Uuid> {
    client_reference_id.and_then(|id| Uuid::parse_str(id).ok())
}

/// A Checkout Session must expire 30 minutes to 24 hours after Stripe receives
/// the request, whenever that is: a waiting-list offer may be paid long after
/// the order was made. The seat hold is the shop's own timer and may be shorter
/// (the sweeper then expires the session itself). Requests within one window
/// send the same `expires_at`, and so the same idempotency key and parameters:
/// a retry a moment later replays the first session instead of making another.
pub const SESSION_EXPIRY_WINDOW: TimeDelta = TimeDelta::minutes(10);

/// From the window's start: at least 35 minutes after any request within it.
pub const SESSION_MIN_LIFETIME: TimeDelta = TimeDelta::minutes(45);

/// ... and at most this much, under Stripe's 24 hours.
pub const SESSION_MAX_LIFETIME: TimeDelta = TimeDelta::hours(23);

/// When a session requested at `requested_at` expires at Stripe: the end of its
/// order's hold, within the lifetime Stripe accepts from the request.
pub fn session_expires_at(
    requested_at: DateTime<Utc>,
    reserved_until: DateTime<Utc>,
) -> DateTime<Utc> {
    let window = SESSION_EXPIRY_WINDOW.num_seconds();
    let start = requested_at.timestamp() - requested_at.timestamp().rem_euclid(window);
    let start = DateTime::from_timestamp(start, 0).unwrap_or(requested_at);
    reserved_until
        .clamp(start + SESSION_MIN_LIFETIME, start + SESSION_MAX_LIFETIME)
        .with_nanosecond(0)
        .unwrap_or(reserved_until)
}

/// The idempotency key of an order's session with this expiry: one per set of
/// parameters (Stripe refuses a key reused with others).
pub fn session_idempotency_key(order: Uuid, expires_at: DateTime<Utc>) -> String {
    format!("checkout-{order}-{}", expires_at.timestamp())
}

/// Line items, URLs and expiry for an order's session.
pub struct SessionRequest<'a> {
    pub order_id: Uuid,
    pub currency: &'a Currency,
    /// The session expires with the hold (rounded, see [`session_expires_at`]).
    pub reserved_until: DateTime<Utc>,
    pub lines: Vec<SessionLine>,
    pub customer_email: &'a str,
    pub base_url: &'a str,
}

/// One line of the payment page: what the buyer pays for it is the order's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub title: String,
    pub ticket_price: Money,
    pub quantity: i32,
}

/// Part of a payment to refund: the shop's refund row (its id is the
/// idempotency key) and the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundPart {
    pub refund: Uuid,
    pub amount_minor: i64,
}

/// The Stripe client and the secret webhooks are signed with.
pub struct Payments {
    client: stripe::Client,
    webhook_secrets: Vec<SecretString>,
}

/// Each call gets this long; a slow Stripe must not hold a buyer's request for ever.
const STRIPE_TIMEOUT: Duration = Duration::from_secs(10);

fn stripe_error(err: impl std::fmt::Display) -> PaymentError {
    PaymentError::Stripe(err.to_string())
}

/// Sorts Stripe's refusals into what the shop branches on.
fn api_error(err: StripeError) -> PaymentError {
    match &err {
        StripeError::Stripe(api, 409) if api.type_ == ApiErrorsType::IdempotencyError => {
            PaymentError::InProgress(err.to_string())
        }
        StripeError::Stripe(api, _) if api.type_ == ApiErrorsType::IdempotencyError => {
            PaymentError::InProgress(err.to_string())
        }
        StripeError::Stripe(_, 404) => PaymentError::NotFound(err.to_string()),
        _ => PaymentError::Stripe(err.to_string()),
    }
}

impl Payments {
    pub fn new(config: &StripeConfig) -> Result<Self, PaymentError> {
        let mut builder = stripe::ClientBuilder::new(config.secret_key.expose_secret());
        if let Some(base) = &config.api_base {
            builder = builder.url(base.clone());
        }
        Ok(Self {
            client: builder.build().map_err(stripe_error)?,
            webhook_secrets: config.webhook_secrets.clone(),
        })
    }

    /// Creates the Checkout Session for a pending order. The idempotency key is
    /// derived from the order id, so a retried request never makes a second session.
    pub async fn create_session(
        &self,
        request: &SessionRequest<'_>,
    ) -> Result<CheckoutLink, PaymentError> {
        let currency = stripe_types::Currency::from_str(&request.currency.stripe_code())
            .map_err(stripe_error)?;
        let line_items: Vec<CreateCheckoutSessionLineItems> = request
            .lines
            .iter()
            .map(|line| {
                let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency.clone());
                price.unit_amount = Some(line.ticket_price.minor);
                price.product_data = Some(ProductData::new(line.title.clone()));
                let mut item = CreateCheckoutSessionLineItems::new();
                item.price_data = Some(price);
                item.quantity = Some(line.quantity as u64);
                item
            })
            .collect();
        let order = request.order_id;
        let expires_at = session_expires_at(Utc::now(), request.reserved_until);
        let key = IdempotencyKey::new(session_idempotency_key(order, expires_at))
            .map_err(stripe_error)?;
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(line_items)
            .client_reference_id(order.to_string())
            .metadata(HashMap::from([("order_id".to_string(), order.to_string())]))
            .customer_email(request.customer_email)
            .expires_at(expires_at.timestamp())
            .success_url(format!(
                "{}/orders/{}?session_id={{CHECKOUT_SESSION_ID}}",
                request.base_url, order
            ))
            // Stripe's "Back": the order's page, to pay or to cancel it.
            .cancel_url(format!("{}/orders/{}", request.base_url, order))
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(api_error)?;
        let url = session
            .url
            .clone()
            .ok_or_else(|| stripe_error("session without a url"))?;
        Ok(CheckoutLink {
            session_id: session.id.to_string(),
            url,
        })
    }

    pub async fn session_state(&self, session_id: &str) -> Result<SessionState, PaymentError> {
        match RetrieveCheckoutSession::new(session_id)
            .customize()
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(api_error)
        {
            Ok(session) => Ok(state_of(&session)),
            Err(PaymentError::NotFound(_)) => Ok(SessionState::Unknown),
            Err(err) => Err(err),
        }
    }

    /// Expires an open session so it can no longer be paid, and says where it
    /// stands: a session that completed meanwhile is reported, not expired.
    pub async fn expire_session(&self, session_id: &str) -> Result<SessionState, PaymentError> {
        match self.session_state(session_id).await? {
            SessionState::Open => {}
            other => return Ok(other),
        }
        match ExpireCheckoutSession::new(session_id)
            .customize()
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
        {
            Ok(session) => Ok(state_of(&session)),
            // It may have completed between the two calls: look again. Still
            // open means it was not expired (Stripe refused or was unreachable):
            // that is a failure, never a reason to let the seats go while the
            // session can still be paid.
            Err(err) => match self.session_state(session_id).await? {
                SessionState::Open => Err(api_error(err)),
                other => Ok(other),
            },
        }
    }

    /// Refunds a payment in full, once: the idempotency key is the order id.
    pub async fn refund(
        &self,
        payment_intent: &str,
        order: Uuid,
        part: Option<RefundPart>,
    ) -> Result<String, PaymentError> {
        // One key per refund: a retry of the same refund is answered with the
        // refund Stripe already made, never a second one.
        let key = match &part {
            Some(part) => format!("refund-{}", part.refund),
            None => format!("refund-{order}"),
        };
        let key = IdempotencyKey::new(key).map_err(stripe_error)?;
        let mut request = stripe_core::refund::CreateRefund::new()
            .payment_intent(payment_intent)
            .metadata(HashMap::from([("order_id".to_string(), order.to_string())]));
        if let Some(part) = &part {
            request = request.amount(part.amount_minor);
        }
        let refund = request
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(api_error)?;
        Ok(refund.id.to_string())
    }

    /// Verifies `Stripe-Signature` and reads the event.
    pub fn verify_event(
        &self,
        payload: &str,
        signature: &str,
    ) -> Result<WebhookEvent, PaymentError> {
        verify_signature(
            payload,
            signature,
            &self.webhook_secrets,
            Utc::now().timestamp(),
        )?;
        read_event(payload)
    }
}

fn payment_of(session: &CheckoutSession) -> Option<SessionPayment> {
    Some(SessionPayment {
        order_id: order_of(session.client_reference_id.as_deref())?,
        amount: Currency::from_stripe(
            &session
                .currency
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )
        .amount(session.amount_total.unwrap_or_default()),
        payment_intent: session
            .payment_intent
            .as_ref()
            .map(|pi| pi.id().to_string()),
    })
}

fn state_of(session: &CheckoutSession) -> SessionState {
    match (&session.status, &session.payment_status) {
        (_, CheckoutSessionPaymentStatus::Paid) => {
            payment_of(session).map_or(SessionState::Processing, SessionState::Paid)
        }
        (Some(CheckoutSessionStatus::Complete), _) => SessionState::Processing,
        (Some(CheckoutSessionStatus::Expired), _) => SessionState::Expired,
        _ => SessionState::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
    }

    #[test]
    fn a_session_expires_30_minutes_to_a_day_after_any_request_for_it() {
        // An order made long ago (a waiting-list offer) and paid now: measured from now.
        for (requested, held_until) in [
            ("2027-01-01T12:00:00Z", "2027-01-01T12:05:00Z"),
            ("2027-01-01T12:09:59Z", "2027-01-01T12:10:00Z"),
            ("2027-01-01T12:03:00Z", "2027-01-03T00:00:00Z"),
            ("2027-01-01T12:03:00Z", "2026-12-01T00:00:00Z"),
        ] {
            let (requested, held_until) = (at(requested), at(held_until));
            let expires = session_expires_at(requested, held_until);
            let lifetime = (expires - requested).num_seconds();
            assert!(
                (35 * 60..24 * 3600).contains(&lifetime),
                "{requested} -> {expires}"
            );
        }
        // A long hold is kept as it is.
        let held_until = at("2027-01-01T14:00:00Z");
        assert_eq!(
            session_expires_at(at("2027-01-01T12:03:00Z"), held_until),
            held_until
        );
    }

    #[test]
    fn a_retry_moments_later_sends_the_same_parameters_and_key() {
        let order = Uuid::new_v4();
        let held_until = at("2027-01-01T12:20:00Z");
        let first = session_expires_at(at("2027-01-01T12:01:00Z"), held_until);
        let retry = session_expires_at(at("2027-01-01T12:01:09.5Z"), held_until);
        assert_eq!(first, retry);
        assert_eq!(
            session_idempotency_key(order, first),
            session_idempotency_key(order, retry)
        );
        // Other parameters, another key.
        let later = session_expires_at(at("2027-01-01T12:31:00Z"), held_until);
        assert_ne!(first, later);
        assert_ne!(
            session_idempotency_key(order, first),
            session_idempotency_key(order, later)
        );
    }
}
