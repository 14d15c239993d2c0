//! Stripe through the real async-stripe client: Checkout Sessions, refunds and
//! webhook verification. Without keys of its own the shop points it at the local
//! Stripe emulator (`STRIPE_API_BASE`).

use uuid::Uuid;

use super::checkout::PendingOrder;

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("stripe request failed: {0}")]
    Stripe(String),
    #[error("webhook signature or payload rejected: {0}")]
    BadWebhook(String),
}

/// A Checkout Session the buyer is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLink {
    pub session_id: String,
    pub url: String,
}

/// What a verified webhook event means for the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookEvent {
    /// The session completed; `paid` is false for payment methods that settle later.
    Completed {
        event_id: String,
        session: SessionPayment,
        paid: bool,
    },
    AsyncPaymentSucceeded {
        event_id: String,
        session: SessionPayment,
    },
    AsyncPaymentFailed {
        event_id: String,
        order_id: Uuid,
    },
    Expired {
        event_id: String,
        order_id: Uuid,
    },
    /// Anything else, or a session that is not one of ours: acknowledged, ignored.
    Ignored {
        event_id: String,
        kind: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPayment {
    pub order_id: Uuid,
    pub amount_total: i64,
    pub currency: String,
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
}

/// The order id a session carries (`client_reference_id`).
pub fn order_of(client_reference_id: Option<&str>) -> Option<Uuid> {
    client_reference_id.and_then(|id| Uuid::parse_str(id).ok())
}

/// Line items, URLs and expiry for an order's session.
pub struct SessionRequest<'a> {
    pub order: &'a PendingOrder,
    pub customer_email: &'a str,
    pub base_url: &'a str,
}

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use secrecy::ExposeSecret;
use stripe::{IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    ExpireCheckoutSession, ProductData, RetrieveCheckoutSession,
};
use stripe_shared::{
    CheckoutSession, CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus,
};
use stripe_webhook::{EventObject, Webhook};

use super::config::StripeConfig;

/// The Stripe client and the secret webhooks are signed with.
pub struct Payments {
    client: stripe::Client,
    webhook_secret: secrecy::SecretString,
}

/// Each call gets this long; a slow Stripe must not hold a buyer's request for ever.
const STRIPE_TIMEOUT: Duration = Duration::from_secs(10);

fn stripe_error(err: impl std::fmt::Display) -> PaymentError {
    PaymentError::Stripe(err.to_string())
}

impl Payments {
    pub fn new(config: &StripeConfig) -> Result<Self, PaymentError> {
        let mut builder = stripe::ClientBuilder::new(config.secret_key.expose_secret());
        if let Some(base) = &config.api_base {
            builder = builder.url(base.clone());
        }
        Ok(Self {
            client: builder.build().map_err(stripe_error)?,
            webhook_secret: config.webhook_secret.clone(),
        })
    }

    /// Creates the Checkout Session for a pending order. The idempotency key is
    /// derived from the order id, so a retried request never makes a second session.
    pub async fn create_session(
        &self,
        request: &SessionRequest<'_>,
    ) -> Result<CheckoutLink, PaymentError> {
        let order = request.order;
        let currency = stripe_types::Currency::from_str(&order.currency.to_lowercase())
            .map_err(stripe_error)?;
        let line_items: Vec<CreateCheckoutSessionLineItems> = order
            .lines
            .iter()
            .map(|line| {
                let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency.clone());
                price.unit_amount = Some(line.unit_price_minor);
                price.product_data = Some(ProductData::new(line.title.clone()));
                let mut item = CreateCheckoutSessionLineItems::new();
                item.price_data = Some(price);
                item.quantity = Some(line.quantity as u64);
                item
            })
            .collect();
        let key = IdempotencyKey::new(format!("checkout-{}", order.id)).map_err(stripe_error)?;
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(line_items)
            .client_reference_id(order.id.to_string())
            .metadata(HashMap::from([(
                "order_id".to_string(),
                order.id.to_string(),
            )]))
            .customer_email(request.customer_email)
            .expires_at(order.reserved_until.timestamp())
            .success_url(format!(
                "{}/orders/{}?session_id={{CHECKOUT_SESSION_ID}}",
                request.base_url, order.id
            ))
            .cancel_url(format!("{}/cart", request.base_url))
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(stripe_error)?;
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
        let session = RetrieveCheckoutSession::new(session_id)
            .customize()
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(stripe_error)?;
        Ok(state_of(&session))
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
            // It may have completed between the two calls: look again.
            Err(_) => self.session_state(session_id).await,
        }
    }

    /// Refunds a payment in full, once: the idempotency key is the order id.
    pub async fn refund(&self, payment_intent: &str, order: Uuid) -> Result<String, PaymentError> {
        let key = IdempotencyKey::new(format!("refund-{order}")).map_err(stripe_error)?;
        let refund = stripe_core::refund::CreateRefund::new()
            .payment_intent(payment_intent)
            .metadata(HashMap::from([("order_id".to_string(), order.to_string())]))
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .timeout(STRIPE_TIMEOUT)
            .send(&self.client)
            .await
            .map_err(stripe_error)?;
        Ok(refund.id.to_string())
    }

    /// Verifies `Stripe-Signature` (HMAC-SHA256, 300 s tolerance) and reads the event.
    pub fn verify_event(
        &self,
        payload: &str,
        signature: &str,
    ) -> Result<WebhookEvent, PaymentError> {
        let event =
            Webhook::construct_event(payload, signature, self.webhook_secret.expose_secret())
                .map_err(|err| PaymentError::BadWebhook(err.to_string()))?;
        let event_id = event.id.to_string();
        let kind = event.type_.to_string();
        let ours = |session: &CheckoutSession| order_of(session.client_reference_id.as_deref());
        Ok(match event.data.object {
            EventObject::CheckoutSessionCompleted(session) => match payment_of(&session) {
                Some(payment) => WebhookEvent::Completed {
                    event_id,
                    paid: session.payment_status == CheckoutSessionPaymentStatus::Paid,
                    session: payment,
                },
                None => WebhookEvent::Ignored { event_id, kind },
            },
            EventObject::CheckoutSessionAsyncPaymentSucceeded(session) => {
                match payment_of(&session) {
                    Some(payment) => WebhookEvent::AsyncPaymentSucceeded {
                        event_id,
                        session: payment,
                    },
                    None => WebhookEvent::Ignored { event_id, kind },
                }
            }
            EventObject::CheckoutSessionAsyncPaymentFailed(session) => match ours(&session) {
                Some(order_id) => WebhookEvent::AsyncPaymentFailed { event_id, order_id },
                None => WebhookEvent::Ignored { event_id, kind },
            },
            EventObject::CheckoutSessionExpired(session) => match ours(&session) {
                Some(order_id) => WebhookEvent::Expired { event_id, order_id },
                None => WebhookEvent::Ignored { event_id, kind },
            },
            _ => WebhookEvent::Ignored { event_id, kind },
        })
    }
}

fn payment_of(session: &CheckoutSession) -> Option<SessionPayment> {
    Some(SessionPayment {
        order_id: order_of(session.client_reference_id.as_deref())?,
        amount_total: session.amount_total.unwrap_or_default(),
        currency: session
            .currency
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default(),
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
