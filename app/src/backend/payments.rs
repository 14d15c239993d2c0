//! Stripe through the real async-stripe client: Checkout Sessions, refunds and
//! webhook verification. Without keys of its own the shop points it at the local
//! Stripe emulator (`STRIPE_API_BASE`).

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use uuid::Uuid;

use super::orders::lifecycle::PendingOrder;

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
    /// Money went back to the buyer at Stripe: the shop's own refund, or one made
    /// in Stripe's dashboard (`charge.refunded`).
    ChargeRefunded {
        event_id: String,
        payment_intent: String,
        /// The whole charge was refunded (not only part of it).
        fully: bool,
        amount_refunded: i64,
    },
    /// The buyer's bank opened a dispute (`charge.dispute.created`).
    DisputeCreated {
        event_id: String,
        payment_intent: String,
        dispute_id: String,
    },
    /// The dispute ended (`charge.dispute.closed`): `won` keeps the money (the
    /// passes admit again); lost, the bank gave it back to the buyer.
    DisputeClosed {
        event_id: String,
        payment_intent: String,
        dispute_id: String,
        won: bool,
    },
    /// Anything else, or a session that is not one of ours: acknowledged, ignored.
    Ignored {
        event_id: String,
        kind: String,
    },
}

impl WebhookEvent {
    /// Stripe's name for the event's type; `other` for those the shop ignores.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Completed { .. } => "checkout.session.completed",
            Self::AsyncPaymentSucceeded { .. } => "checkout.session.async_payment_succeeded",
            Self::AsyncPaymentFailed { .. } => "checkout.session.async_payment_failed",
            Self::Expired { .. } => "checkout.session.expired",
            Self::ChargeRefunded { .. } => "charge.refunded",
            Self::DisputeCreated { .. } => "charge.dispute.created",
            Self::DisputeClosed { .. } => "charge.dispute.closed",
            Self::Ignored { .. } => "other",
        }
    }
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
    pub order: &'a PendingOrder,
    pub customer_email: &'a str,
    pub base_url: &'a str,
}

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Sha256;
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

/// How far a webhook's signed timestamp may be from now (Stripe's libraries use 5 minutes).
const SIGNATURE_TOLERANCE_SECS: i64 = 300;

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
        let expires_at = session_expires_at(Utc::now(), order.reserved_until);
        let key = IdempotencyKey::new(session_idempotency_key(order.id, expires_at))
            .map_err(stripe_error)?;
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(line_items)
            .client_reference_id(order.id.to_string())
            .metadata(HashMap::from([(
                "order_id".to_string(),
                order.id.to_string(),
            )]))
            .customer_email(request.customer_email)
            .expires_at(expires_at.timestamp())
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

/// Checks `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">[,v1=...]`.
/// Stripe sends one `v1` per active endpoint secret while a secret is being
/// rolled; the body is genuine if any of them matches any configured secret.
pub fn verify_signature(
    payload: &str,
    header: &str,
    secrets: &[SecretString],
    now: i64,
) -> Result<(), PaymentError> {
    let bad = |why: &str| PaymentError::BadWebhook(why.to_string());
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| bad("no timestamp in the signature header"))?;
    if signatures.is_empty() {
        return Err(bad("no v1 signature in the header"));
    }
    let genuine = secrets.iter().any(|secret| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
            return false;
        };
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        signatures
            .iter()
            .any(|signature| mac.clone().verify_slice(signature).is_ok())
    });
    if !genuine {
        return Err(bad("no signature matches a configured secret"));
    }
    if (now - timestamp).abs() > SIGNATURE_TOLERANCE_SECS {
        return Err(bad("the signature is too old (or from the future)"));
    }
    Ok(())
}

/// Reads what the shop needs from a verified event, tolerating the shape of
/// any API version: an endpoint created with an older or newer version than the
/// client is pinned to must never lose a payment to a parse error. Only these
/// fields are read: the event's `id`, `type` and `api_version`; the session's
/// `client_reference_id`, `payment_status`, `amount_total`, `currency`,
/// `payment_intent`; a charge's or dispute's `payment_intent`, `refunded`,
/// `amount_refunded`, `status` and `id`.
pub fn read_event(payload: &str) -> Result<WebhookEvent, PaymentError> {
    let event: Value = serde_json::from_str(payload)
        .map_err(|err| PaymentError::BadWebhook(format!("not JSON: {err}")))?;
    let text = |v: &Value| v.as_str().map(str::to_string);
    let event_id = text(&event["id"])
        .ok_or_else(|| PaymentError::BadWebhook("an event without an id".into()))?;
    let kind = text(&event["type"]).unwrap_or_default();
    note_api_version(event["api_version"].as_str());
    let object = &event["data"]["object"];
    let order_id = || order_of(object["client_reference_id"].as_str());
    let session = || {
        Some(SessionPayment {
            order_id: order_id()?,
            amount_total: object["amount_total"].as_i64().unwrap_or_default(),
            currency: text(&object["currency"]).unwrap_or_default(),
            payment_intent: id_of(&object["payment_intent"]),
        })
    };
    let ignored = || WebhookEvent::Ignored {
        event_id: event_id.clone(),
        kind: kind.clone(),
    };
    Ok(match kind.as_str() {
        "checkout.session.completed" => match session() {
            Some(session) => WebhookEvent::Completed {
                event_id: event_id.clone(),
                paid: matches!(
                    object["payment_status"].as_str(),
                    Some("paid" | "no_payment_required")
                ),
                session,
            },
            None => ignored(),
        },
        "checkout.session.async_payment_succeeded" => match session() {
            Some(session) => WebhookEvent::AsyncPaymentSucceeded {
                event_id: event_id.clone(),
                session,
            },
            None => ignored(),
        },
        "checkout.session.async_payment_failed" => match order_id() {
            Some(order_id) => WebhookEvent::AsyncPaymentFailed {
                event_id: event_id.clone(),
                order_id,
            },
            None => ignored(),
        },
        "checkout.session.expired" => match order_id() {
            Some(order_id) => WebhookEvent::Expired {
                event_id: event_id.clone(),
                order_id,
            },
            None => ignored(),
        },
        "charge.refunded" => match id_of(&object["payment_intent"]) {
            Some(payment_intent) => WebhookEvent::ChargeRefunded {
                event_id: event_id.clone(),
                payment_intent,
                fully: object["refunded"].as_bool().unwrap_or(false),
                amount_refunded: object["amount_refunded"].as_i64().unwrap_or_default(),
            },
            None => ignored(),
        },
        "charge.dispute.created" => match (id_of(&object["payment_intent"]), text(&object["id"])) {
            (Some(payment_intent), Some(dispute_id)) => WebhookEvent::DisputeCreated {
                event_id: event_id.clone(),
                payment_intent,
                dispute_id,
            },
            _ => ignored(),
        },
        "charge.dispute.closed" => match (id_of(&object["payment_intent"]), text(&object["id"])) {
            (Some(payment_intent), Some(dispute_id)) => WebhookEvent::DisputeClosed {
                event_id: event_id.clone(),
                payment_intent,
                dispute_id,
                // `won`, or `warning_closed` (an inquiry that never became a
                // chargeback): the money stays. Only `lost` gives it back.
                won: object["status"].as_str() != Some("lost"),
            },
            _ => ignored(),
        },
        _ => ignored(),
    })
}

/// An id given either as a string or as an expanded object with an `id`.
fn id_of(value: &Value) -> Option<String> {
    value
        .as_str()
        .or_else(|| value["id"].as_str())
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// Logs the API version events arrive in: every one at debug level, and once
/// per process at warn level when it is not the version the client is pinned to.
fn note_api_version(version: Option<&str>) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    let pinned = stripe_shared::version::VERSION.as_str();
    tracing::debug!(version = version.unwrap_or("none"), "webhook event");
    if let Some(version) = version
        && version != pinned
    {
        WARNED.call_once(|| {
            tracing::warn!(
                version,
                pinned,
                "webhook events arrive in another Stripe API version than the client's; \
                 only the fields the shop needs are read, tolerantly"
            );
        });
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
