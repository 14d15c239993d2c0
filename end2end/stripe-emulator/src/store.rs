//! The emulator's state: sessions, payments, refunds, events, idempotency keys.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use crate::{API_VERSION, Deliver, new_id};

#[derive(Default)]
pub(crate) struct Store {
    /// Oldest first.
    pub(crate) sessions: Vec<Session>,
    /// Oldest first.
    pub(crate) events: Vec<EventRecord>,
    /// Oldest first.
    pub(crate) refunds: Vec<Value>,
    /// By payment intent id.
    pub(crate) payments: HashMap<String, Payment>,
    pub(crate) idempotency: HashMap<String, Replay>,
    /// Idempotency keys whose first request is still being processed.
    pub(crate) in_flight: HashSet<String>,
    /// Sessions whose API calls fail with this HTTP status (`/_test/sessions/{id}/break`).
    pub(crate) broken: HashMap<String, u16>,
    /// Sessions the API no longer knows (`/_test/sessions/{id}/forget`).
    pub(crate) forgotten: HashSet<String>,
    /// Oldest first.
    pub(crate) disputes: Vec<Value>,
}

/// A stored result for an idempotency key.
pub(crate) struct Replay {
    pub(crate) fingerprint: String,
    pub(crate) body: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Open,
    Complete,
    Expired,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Complete => "complete",
            Self::Expired => "expired",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct LineItem {
    pub(crate) name: String,
    pub(crate) unit_amount: i64,
    pub(crate) quantity: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) created: i64,
    pub(crate) expires_at: i64,
    pub(crate) status: Status,
    /// `unpaid`, `paid`.
    pub(crate) paid: bool,
    pub(crate) line_items: Vec<LineItem>,
    pub(crate) currency: String,
    pub(crate) amount_total: i64,
    pub(crate) client_reference_id: Option<String>,
    pub(crate) metadata: BTreeMap<String, String>,
    pub(crate) success_url: Option<String>,
    pub(crate) cancel_url: Option<String>,
    pub(crate) customer_email: Option<String>,
    /// The email entered on the payment page (or `customer_email`), once complete.
    pub(crate) paid_email: Option<String>,
    pub(crate) payment_intent: Option<String>,
    pub(crate) url: String,
}

impl Session {
    /// `no_payment_required` for a completed no-cost order (total 0), else `paid` / `unpaid`.
    pub(crate) fn payment_status(&self) -> &'static str {
        if self.amount_total == 0 && self.status == Status::Complete {
            "no_payment_required"
        } else if self.paid {
            "paid"
        } else {
            "unpaid"
        }
    }

    /// The Checkout Session object as Stripe renders it (`line_items` is only
    /// included by Stripe when expanded, so it is left out here too).
    pub(crate) fn to_json(&self) -> Value {
        let customer_details = match self.status {
            Status::Complete => json!({
                "address": null,
                "business_name": null,
                "email": self.paid_email.clone().or_else(|| self.customer_email.clone()),
                "individual_name": null,
                "name": null,
                "phone": null,
                "tax_exempt": "none",
                "tax_ids": [],
            }),
            _ => Value::Null,
        };
        json!({
            "id": self.id,
            "object": "checkout.session",
            "adaptive_pricing": null,
            "after_expiration": null,
            "allow_promotion_codes": null,
            "amount_subtotal": self.amount_total,
            "amount_total": self.amount_total,
            "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
            "billing_address_collection": null,
            "cancel_url": self.cancel_url,
            "client_reference_id": self.client_reference_id,
            "client_secret": null,
            "collected_information": null,
            "consent": null,
            "consent_collection": null,
            "created": self.created,
            "currency": self.currency,
            "currency_conversion": null,
            "custom_fields": [],
            "custom_text": {
                "after_submit": null,
                "shipping_address": null,
                "submit": null,
                "terms_of_service_acceptance": null,
            },
            "customer": null,
            "customer_creation": "if_required",
            "customer_details": customer_details,
            "customer_email": self.customer_email,
            "discounts": [],
            "expires_at": self.expires_at,
            "invoice": null,
            "invoice_creation": null,
            "livemode": false,
            "locale": null,
            "metadata": self.metadata,
            "mode": "payment",
            "payment_intent": self.payment_intent,
            "payment_link": null,
            "payment_method_collection": "if_required",
            "payment_method_configuration_details": null,
            "payment_method_options": {},
            "payment_method_types": ["card"],
            "payment_status": self.payment_status(),
            "phone_number_collection": { "enabled": false },
            "recovered_from": null,
            "saved_payment_method_options": null,
            "setup_intent": null,
            "shipping_address_collection": null,
            "shipping_cost": null,
            "shipping_options": [],
            "status": self.status.as_str(),
            "submit_type": null,
            "subscription": null,
            "success_url": self.success_url,
            "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
            "ui_mode": "hosted_page",
            // Stripe only gives the URL of a session that can still be paid.
            "url": (self.status == Status::Open).then(|| self.url.clone()),
            "wallet_options": null,
        })
    }
}

/// A (succeeded or processing) payment behind a completed session.
#[derive(Clone, Debug)]
pub(crate) struct Payment {
    pub(crate) payment_intent: String,
    pub(crate) charge: String,
    pub(crate) created: i64,
    pub(crate) amount: i64,
    pub(crate) currency: String,
    pub(crate) refunded: i64,
    /// False while an asynchronous payment method is still processing.
    pub(crate) succeeded: bool,
    /// False once an asynchronous payment failed.
    pub(crate) failed: bool,
    pub(crate) email: Option<String>,
    pub(crate) session_id: String,
    /// The dispute (`dp_...`) opened on the charge, if any.
    pub(crate) dispute: Option<String>,
}

impl Payment {
    /// The Charge object as Stripe renders it (every field async-stripe's
    /// `Charge` requires, the optional ones as `null`).
    pub(crate) fn charge_json(&self) -> Value {
        let status = if self.succeeded {
            "succeeded"
        } else if self.failed {
            "failed"
        } else {
            "pending"
        };
        json!({
            "id": self.charge,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": if self.succeeded { self.amount } else { 0 },
            "amount_refunded": self.refunded,
            "application": null,
            "application_fee": null,
            "application_fee_amount": null,
            "authorization_code": null,
            "balance_transaction": null,
            "billing_details": {
                "address": null,
                "email": self.email,
                "name": null,
                "phone": null,
                "tax_id": null,
            },
            "calculated_statement_descriptor": "STRIPE EMULATOR",
            "captured": self.succeeded,
            "created": self.created,
            "currency": self.currency,
            "customer": null,
            "description": null,
            "disputed": self.dispute.is_some(),
            "failure_balance_transaction": null,
            "failure_code": null,
            "failure_message": null,
            "fraud_details": {},
            "livemode": false,
            "metadata": {},
            "on_behalf_of": null,
            "outcome": null,
            "paid": self.succeeded,
            "payment_intent": self.payment_intent,
            "payment_method": null,
            "payment_method_details": null,
            "receipt_email": self.email,
            "receipt_number": null,
            "receipt_url": null,
            "refunded": self.refunded >= self.amount,
            "review": null,
            "shipping": null,
            "source": null,
            "source_transfer": null,
            "statement_descriptor": null,
            "statement_descriptor_suffix": null,
            "status": status,
            "transfer_data": null,
            "transfer_group": null,
        })
    }
}

/// The reasons Stripe gives a dispute.
pub(crate) const DISPUTE_REASONS: &[&str] = &[
    "bank_cannot_process",
    "check_returned",
    "credit_not_processed",
    "customer_initiated",
    "debit_not_authorized",
    "duplicate",
    "fraudulent",
    "general",
    "incorrect_account_details",
    "insufficient_funds",
    "noncompliant",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "unrecognized",
];

/// The Dispute object as Stripe renders it when it is opened.
pub(crate) fn dispute_json(
    id: &str,
    payment: &Payment,
    amount: i64,
    reason: &str,
    now: i64,
) -> Value {
    let evidence_fields = [
        "access_activity_log",
        "billing_address",
        "cancellation_policy",
        "cancellation_policy_disclosure",
        "cancellation_rebuttal",
        "customer_communication",
        "customer_email_address",
        "customer_name",
        "customer_purchase_ip",
        "customer_signature",
        "duplicate_charge_documentation",
        "duplicate_charge_explanation",
        "duplicate_charge_id",
        "product_description",
        "receipt",
        "refund_policy",
        "refund_policy_disclosure",
        "refund_refusal_explanation",
        "service_date",
        "service_documentation",
        "shipping_address",
        "shipping_carrier",
        "shipping_date",
        "shipping_documentation",
        "shipping_tracking_number",
        "uncategorized_file",
        "uncategorized_text",
    ];
    let mut evidence: serde_json::Map<String, Value> = evidence_fields
        .iter()
        .map(|f| (f.to_string(), Value::Null))
        .collect();
    evidence.insert("enhanced_evidence".into(), json!({}));
    json!({
        "id": id,
        "object": "dispute",
        "amount": amount,
        "balance_transactions": [],
        "charge": payment.charge,
        "created": now,
        "currency": payment.currency,
        "enhanced_eligibility_types": [],
        "evidence": evidence,
        "evidence_details": {
            "due_by": now + 7 * 24 * 3600,
            "enhanced_eligibility": {},
            "has_evidence": false,
            "past_due": false,
            "submission_count": 0,
        },
        "is_charge_refundable": false,
        "livemode": false,
        "metadata": {},
        "network_reason_code": null,
        "payment_intent": payment.payment_intent,
        "payment_method_details": null,
        "reason": reason,
        "status": "needs_response",
    })
}

/// One delivery attempt of an event.
#[derive(Clone, Debug)]
pub(crate) struct Attempt {
    pub(crate) at: i64,
    pub(crate) status: Option<u16>,
    pub(crate) error: Option<String>,
    pub(crate) manual: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct EventRecord {
    pub(crate) id: String,
    pub(crate) type_: String,
    pub(crate) created: i64,
    pub(crate) session_id: Option<String>,
    /// The exact JSON body that is signed and POSTed.
    pub(crate) payload: String,
    pub(crate) deliver: Deliver,
    /// `held` (deliver=none), `pending`, `retrying`, `delivered`, `failed`, `no_endpoint`.
    pub(crate) status: &'static str,
    pub(crate) attempts: Vec<Attempt>,
}

impl EventRecord {
    pub(crate) fn to_json(&self) -> Value {
        let successes = self
            .attempts
            .iter()
            .filter(|a| a.status.is_some_and(|s| (200..300).contains(&s)))
            .count();
        json!({
            "id": self.id,
            "type": self.type_,
            "created": self.created,
            "session_id": self.session_id,
            "payload": self.payload,
            "event": serde_json::from_str::<Value>(&self.payload).unwrap_or(Value::Null),
            "deliver": self.deliver.as_str(),
            "delivery_status": self.status,
            "delivered": successes > 0,
            "successful_deliveries": successes,
            "attempt_count": self.attempts.len(),
            "attempts": self.attempts.iter().map(|a| json!({
                "at": a.at,
                "status": a.status,
                "error": a.error,
                "manual": a.manual,
            })).collect::<Vec<_>>(),
        })
    }
}

/// What caused an event (`event.request`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Cause {
    pub(crate) request_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

/// Why a session cannot make a transition.
#[derive(Debug)]
pub(crate) enum Refusal {
    NotFound,
    Not(Status),
}

impl Store {
    pub(crate) fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    fn session_index(&self, id: &str) -> Result<usize, Refusal> {
        self.sessions
            .iter()
            .position(|s| s.id == id)
            .ok_or(Refusal::NotFound)
    }

    /// Records an event about a session (not yet delivered) and returns its id.
    pub(crate) fn record_event(
        &mut self,
        type_: &str,
        session: &Session,
        now: i64,
        cause: &Cause,
        deliver: Deliver,
    ) -> String {
        let object = session.to_json();
        self.record_object_event(type_, object, Some(session.id.clone()), now, cause, deliver)
    }

    /// Records an event about any object (not yet delivered) and returns its id.
    pub(crate) fn record_object_event(
        &mut self,
        type_: &str,
        object: Value,
        session_id: Option<String>,
        now: i64,
        cause: &Cause,
        deliver: Deliver,
    ) -> String {
        let id = new_id("evt_1", 23);
        let event = json!({
            "id": id,
            "object": "event",
            "api_version": API_VERSION,
            "created": now,
            "data": { "object": object },
            "livemode": false,
            "pending_webhooks": 1,
            "request": { "id": cause.request_id, "idempotency_key": cause.idempotency_key },
            "type": type_,
        });
        self.events.push(EventRecord {
            id: id.clone(),
            type_: type_.to_string(),
            created: now,
            session_id,
            payload: event.to_string(),
            deliver,
            status: if deliver == Deliver::None {
                "held"
            } else {
                "pending"
            },
            attempts: Vec::new(),
        });
        id
    }

    /// Completes an open session. `settled: false` models an asynchronous
    /// payment method: complete but `unpaid` until [`Store::settle_async`].
    /// Returns the session and the `checkout.session.completed` event id.
    pub(crate) fn complete(
        &mut self,
        id: &str,
        email: Option<String>,
        settled: bool,
        now: i64,
        deliver: Deliver,
    ) -> Result<(Value, String), Refusal> {
        let index = self.session_index(id)?;
        let session = &mut self.sessions[index];
        if session.status != Status::Open {
            return Err(Refusal::Not(session.status));
        }
        // A no-cost order (total 0) collects no payment: no PaymentIntent.
        let free = session.amount_total == 0;
        let settled = settled || free;
        session.status = Status::Complete;
        session.paid = settled;
        session.paid_email = email
            .filter(|e| !e.trim().is_empty())
            .or_else(|| session.customer_email.clone());
        if !free {
            session.payment_intent = Some(new_id("pi_3", 24));
        }
        let session = session.clone();
        if let Some(payment_intent) = &session.payment_intent {
            self.payments.insert(
                payment_intent.clone(),
                Payment {
                    payment_intent: payment_intent.clone(),
                    charge: new_id("ch_3", 24),
                    created: now,
                    amount: session.amount_total,
                    currency: session.currency.clone(),
                    refunded: 0,
                    succeeded: settled,
                    failed: false,
                    email: session.paid_email.clone(),
                    session_id: session.id.clone(),
                    dispute: None,
                },
            );
        }
        let event = self.record_event(
            "checkout.session.completed",
            &session,
            now,
            &Cause::default(),
            deliver,
        );
        Ok((session.to_json(), event))
    }

    /// Settles (or fails) the pending asynchronous payment of a completed, unpaid session.
    pub(crate) fn settle_async(
        &mut self,
        id: &str,
        succeeded: bool,
        now: i64,
        deliver: Deliver,
    ) -> Result<(Value, String), Refusal> {
        let index = self.session_index(id)?;
        let session = &mut self.sessions[index];
        if session.status != Status::Complete || session.paid {
            return Err(Refusal::Not(session.status));
        }
        let pi = session.payment_intent.clone();
        if succeeded {
            session.paid = true;
        }
        let session = session.clone();
        if let Some(payment) = pi.and_then(|pi| self.payments.get_mut(&pi)) {
            payment.succeeded = succeeded;
            payment.failed = !succeeded;
        }
        let type_ = if succeeded {
            "checkout.session.async_payment_succeeded"
        } else {
            "checkout.session.async_payment_failed"
        };
        let event = self.record_event(type_, &session, now, &Cause::default(), deliver);
        Ok((session.to_json(), event))
    }

    /// Expires an open session. An already expired one is returned as is
    /// (no event); a complete one is refused.
    pub(crate) fn expire(
        &mut self,
        id: &str,
        now: i64,
        cause: &Cause,
        deliver: Deliver,
    ) -> Result<(Value, Option<String>), Refusal> {
        let index = self.session_index(id)?;
        let session = &mut self.sessions[index];
        match session.status {
            Status::Expired => return Ok((session.to_json(), None)),
            Status::Complete => return Err(Refusal::Not(Status::Complete)),
            Status::Open => {}
        }
        session.status = Status::Expired;
        let session = session.clone();
        let event = self.record_event("checkout.session.expired", &session, now, cause, deliver);
        Ok((session.to_json(), Some(event)))
    }

    /// Expires every open session whose `expires_at` has passed; returns the
    /// session and event ids. A forgotten session (`/_test/sessions/{id}/forget`)
    /// belongs to "another account": it expires without an event to this endpoint.
    pub(crate) fn expire_due(&mut self, now: i64) -> Vec<(String, String)> {
        let due: Vec<String> = self
            .sessions
            .iter()
            .filter(|s| s.status == Status::Open && s.expires_at <= now)
            .map(|s| s.id.clone())
            .collect();
        let mut out = Vec::new();
        for id in due {
            if self.forgotten.contains(&id) {
                if let Ok(index) = self.session_index(&id) {
                    self.sessions[index].status = Status::Expired;
                }
                continue;
            }
            if let Ok((_, Some(event))) = self.expire(&id, now, &Cause::default(), Deliver::Normal)
            {
                out.push((id, event));
            }
        }
        out
    }

    /// The payment behind a PaymentIntent id or a charge id.
    pub(crate) fn payment_id(&self, id: &str) -> Option<String> {
        if self.payments.contains_key(id) {
            return Some(id.to_string());
        }
        self.payments
            .values()
            .find(|p| p.charge == id)
            .map(|p| p.payment_intent.clone())
    }
}
