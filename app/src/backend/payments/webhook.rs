//! Stripe's webhooks: the signature checked against the endpoint's secret
//! (with a tolerance for the timestamp), and the events the shop acts on read
//! into [`WebhookEvent`]; any other type is acknowledged and ignored.

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Sha256;
use uuid::Uuid;

use super::{PaymentError, SessionPayment, order_of};
use crate::model::Currency;

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
    /// tickets admit again); lost, the bank gave it back to the buyer.
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

/// The kinds of event the shop records in its ledger: Stripe's that it acts
/// on, and the sweeper's own record of a session it found paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    CheckoutCompleted,
    AsyncPaymentSucceeded,
    AsyncPaymentFailed,
    CheckoutExpired,
    ChargeRefunded,
    DisputeCreated,
    DisputeClosed,
    /// Not Stripe's: the sweeper asked about an overdue hold's session and
    /// found it paid.
    SweeperFoundPaid,
}

impl EventKind {
    const ALL: [Self; 8] = [
        Self::CheckoutCompleted,
        Self::AsyncPaymentSucceeded,
        Self::AsyncPaymentFailed,
        Self::CheckoutExpired,
        Self::ChargeRefunded,
        Self::DisputeCreated,
        Self::DisputeClosed,
        Self::SweeperFoundPaid,
    ];

    /// Stripe's name for it (`stripe_events.type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CheckoutCompleted => "checkout.session.completed",
            Self::AsyncPaymentSucceeded => "checkout.session.async_payment_succeeded",
            Self::AsyncPaymentFailed => "checkout.session.async_payment_failed",
            Self::CheckoutExpired => "checkout.session.expired",
            Self::ChargeRefunded => "charge.refunded",
            Self::DisputeCreated => "charge.dispute.created",
            Self::DisputeClosed => "charge.dispute.closed",
            Self::SweeperFoundPaid => "sweeper.session_paid",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl WebhookEvent {
    /// Stripe's name for the event's type; `other` for those the shop ignores.
    pub fn kind(&self) -> &'static str {
        let kind = match self {
            Self::Completed { .. } => EventKind::CheckoutCompleted,
            Self::AsyncPaymentSucceeded { .. } => EventKind::AsyncPaymentSucceeded,
            Self::AsyncPaymentFailed { .. } => EventKind::AsyncPaymentFailed,
            Self::Expired { .. } => EventKind::CheckoutExpired,
            Self::ChargeRefunded { .. } => EventKind::ChargeRefunded,
            Self::DisputeCreated { .. } => EventKind::DisputeCreated,
            Self::DisputeClosed { .. } => EventKind::DisputeClosed,
            Self::Ignored { .. } => return "other",
        };
        kind.as_str()
    }
}

/// How far a webhook's signed timestamp may be from now (Stripe's libraries use 5 minutes).
const SIGNATURE_TOLERANCE_SECS: i64 = 300;

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
            amount: Currency::from_stripe(&text(&object["currency"]).unwrap_or_default())
                .amount(object["amount_total"].as_i64().unwrap_or_default()),
            payment_intent: id_of(&object["payment_intent"]),
        })
    };
    let ignored = || WebhookEvent::Ignored {
        event_id: event_id.clone(),
        kind: kind.clone(),
    };
    Ok(match EventKind::parse(&kind) {
        Some(EventKind::CheckoutCompleted) => match session() {
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
        Some(EventKind::AsyncPaymentSucceeded) => match session() {
            Some(session) => WebhookEvent::AsyncPaymentSucceeded {
                event_id: event_id.clone(),
                session,
            },
            None => ignored(),
        },
        Some(EventKind::AsyncPaymentFailed) => match order_id() {
            Some(order_id) => WebhookEvent::AsyncPaymentFailed {
                event_id: event_id.clone(),
                order_id,
            },
            None => ignored(),
        },
        Some(EventKind::CheckoutExpired) => match order_id() {
            Some(order_id) => WebhookEvent::Expired {
                event_id: event_id.clone(),
                order_id,
            },
            None => ignored(),
        },
        Some(EventKind::ChargeRefunded) => match id_of(&object["payment_intent"]) {
            Some(payment_intent) => WebhookEvent::ChargeRefunded {
                event_id: event_id.clone(),
                payment_intent,
                fully: object["refunded"].as_bool().unwrap_or(false),
                amount_refunded: object["amount_refunded"].as_i64().unwrap_or_default(),
            },
            None => ignored(),
        },
        Some(EventKind::DisputeCreated) => {
            match (id_of(&object["payment_intent"]), text(&object["id"])) {
                (Some(payment_intent), Some(dispute_id)) => WebhookEvent::DisputeCreated {
                    event_id: event_id.clone(),
                    payment_intent,
                    dispute_id,
                },
                _ => ignored(),
            }
        }
        Some(EventKind::DisputeClosed) => {
            match (id_of(&object["payment_intent"]), text(&object["id"])) {
                (Some(payment_intent), Some(dispute_id)) => WebhookEvent::DisputeClosed {
                    event_id: event_id.clone(),
                    payment_intent,
                    dispute_id,
                    // `won`, or `warning_closed` (an inquiry that never became a
                    // chargeback): the money stays. Only `lost` gives it back.
                    won: object["status"].as_str() != Some("lost"),
                },
                _ => ignored(),
            }
        }
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
