//! One test per Stripe rule the emulator enforces, each asserting the refusal
//! in Stripe's error shape (HTTP status, `type`, `code`, `param`, `message`),
//! and the `/_test/` controls that stand in for what Stripe does not offer.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use stripe_emulator::{Config, Deliver, Emulator};
use stripe_shared::DisputeStatus;
use stripe_webhook::{EventObject, Webhook, WebhookError};
use tokio::sync::{Mutex, mpsc};

const SECRET: &str = "whsec_rules_secret";

struct Delivery {
    signature: String,
    payload: String,
}

async fn hook(
    State(tx): State<mpsc::UnboundedSender<Delivery>>,
    headers: HeaderMap,
    payload: String,
) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let _ = tx.send(Delivery { signature, payload });
    StatusCode::OK
}

struct Setup {
    emulator: Emulator,
    deliveries: Mutex<mpsc::UnboundedReceiver<Delivery>>,
    http: reqwest::Client,
}

async fn setup() -> Setup {
    let (tx, rx) = mpsc::unbounded_channel();
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/webhook", receiver.local_addr().unwrap());
    let app = Router::new().route("/webhook", post(hook)).with_state(tx);
    tokio::spawn(async move { axum::serve(receiver, app).await.unwrap() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let emulator = stripe_emulator::start(
        listener,
        Config {
            webhook_url: Some(hook_url),
            webhook_secret: SECRET.into(),
            public_url: None,
            retry_base: Duration::from_millis(20),
        },
    )
    .await;
    Setup {
        emulator,
        deliveries: Mutex::new(rx),
        http: reqwest::Client::new(),
    }
}

/// What an API call answered: status, body, headers.
struct Answer {
    status: u16,
    body: Value,
    headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// Asserts a Stripe error: status, `type`, `code`, `param`, `message`.
    fn assert_error(
        &self,
        status: u16,
        type_: &str,
        code: Option<&str>,
        param: Option<&str>,
        message: &str,
    ) {
        let error = &self.body["error"];
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(error["type"], type_, "{}", self.body);
        assert_eq!(error["code"].as_str(), code, "{}", self.body);
        assert_eq!(error["param"].as_str(), param, "{}", self.body);
        assert_eq!(error["message"], message, "{}", self.body);
    }

    fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.body);
        &self.body
    }
}

impl Setup {
    async fn api(&self, path: &str, form: &[(String, String)], key: Option<&str>) -> Answer {
        let mut request = self
            .http
            .post(format!("{}v1/{path}", self.emulator.base_url()))
            .bearer_auth("sk_test_rules")
            .form(form);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        answer(request.send().await.unwrap()).await
    }

    async fn get(&self, path: &str) -> Answer {
        let request = self
            .http
            .get(format!("{}v1/{path}", self.emulator.base_url()))
            .bearer_auth("sk_test_rules");
        answer(request.send().await.unwrap()).await
    }

    async fn control(&self, path: &str, body: Value) -> Answer {
        let request = self
            .http
            .post(format!("{}_test/{path}", self.emulator.base_url()))
            .json(&body);
        answer(request.send().await.unwrap()).await
    }

    /// A session of `lines` (unit amount, quantity) in `currency`.
    async fn create(
        &self,
        currency: &str,
        lines: &[(i64, i64)],
        expires_at: Option<i64>,
        key: Option<&str>,
    ) -> Answer {
        let mut form = vec![
            ("mode".to_string(), "payment".to_string()),
            (
                "success_url".to_string(),
                "https://shop.example/ok".to_string(),
            ),
        ];
        for (i, (unit, quantity)) in lines.iter().enumerate() {
            let p = |field: &str| format!("line_items[{i}]{field}");
            form.push((p("[price_data][currency]"), currency.to_string()));
            form.push((p("[price_data][unit_amount]"), unit.to_string()));
            form.push((p("[price_data][product_data][name]"), "Ticket".into()));
            form.push((p("[quantity]"), quantity.to_string()));
        }
        if let Some(at) = expires_at {
            form.push(("expires_at".into(), at.to_string()));
        }
        self.api("checkout/sessions", &form, key).await
    }

    async fn next_delivery(&self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(10), self.deliveries.lock().await.recv())
            .await
            .expect("a webhook within 10 s")
            .expect("receiver open")
    }

    /// A paid session's id and payment intent.
    async fn paid_session(&self) -> (String, String) {
        let created = self.create("eur", &[(2500, 2)], None, None).await;
        let id = created.ok()["id"].as_str().unwrap().to_string();
        let paid = self.emulator.pay(&id, Deliver::None).unwrap();
        (id, paid["payment_intent"].as_str().unwrap().to_string())
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        body,
        headers,
    }
}

// https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at
#[tokio::test]
async fn expires_at_must_be_30_minutes_to_24_hours_after_the_request() {
    let s = setup().await;
    let now = s.emulator.now();
    let too_soon =
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.";
    let too_late =
        "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.";
    for at in [now - 60, now + 60, now + 29 * 60] {
        let refused = s.create("eur", &[(1000, 1)], Some(at), None).await;
        refused.assert_error(
            400,
            "invalid_request_error",
            None,
            Some("expires_at"),
            too_soon,
        );
    }
    for at in [now + 24 * 3600 + 5, now + 48 * 3600] {
        let refused = s.create("eur", &[(1000, 1)], Some(at), None).await;
        refused.assert_error(
            400,
            "invalid_request_error",
            None,
            Some("expires_at"),
            too_late,
        );
    }
    for at in [now + 30 * 60 + 5, now + 24 * 3600 - 5] {
        let created = s.create("eur", &[(1000, 1)], Some(at), None).await;
        assert_eq!(created.ok()["expires_at"], at);
    }
    // The default is 24 hours.
    let default = s.create("eur", &[(1000, 1)], None, None).await;
    let body = default.ok();
    assert_eq!(
        body["expires_at"].as_i64().unwrap() - body["created"].as_i64().unwrap(),
        24 * 3600
    );
    assert!(s.emulator.sessions().len() == 3, "refusals create nothing");
}

#[tokio::test]
async fn the_clock_control_expires_due_sessions() {
    let s = setup().await;
    let start = s.emulator.now();
    let created = s
        .create("eur", &[(1000, 1)], Some(start + 31 * 60), None)
        .await;
    let id = created.ok()["id"].as_str().unwrap().to_string();
    let later = s
        .create("eur", &[(1000, 1)], Some(start + 3 * 3600), None)
        .await;
    let later_id = later.ok()["id"].as_str().unwrap().to_string();

    let moved = s.control("clock", json!({ "advance_secs": 32 * 60 })).await;
    let body = moved.ok();
    assert_eq!(body["expired"], json!([id]));
    assert_eq!(body["offset_secs"], 32 * 60);
    assert!(body["now"].as_i64().unwrap() >= start + 32 * 60);
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::CheckoutSessionExpired(expired) = event.data.object else {
        panic!("not an expired session: {}", d.payload);
    };
    assert_eq!(expired.id.as_str(), id);
    assert_eq!(
        s.get(&format!("checkout/sessions/{id}")).await.ok()["status"],
        "expired"
    );
    assert_eq!(
        s.get(&format!("checkout/sessions/{later_id}")).await.ok()["status"],
        "open"
    );
    // New sessions are measured from the moved clock.
    let after = s
        .create("eur", &[(1000, 1)], Some(start + 31 * 60), None)
        .await;
    assert_eq!(after.status, 400, "{}", after.body);

    // The clock only moves forward.
    let back = s.control("clock", json!({ "advance_secs": -5 })).await;
    back.assert_error(
        400,
        "invalid_request_error",
        None,
        Some("advance_secs"),
        "advance_secs must be a non-negative integer (the clock only moves forward)",
    );
}

// https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
#[tokio::test]
async fn totals_below_the_currency_minimum_are_refused() {
    let s = setup().await;
    let cases = [
        ("eur", 50, "€0.50"),
        ("usd", 50, "$0.50"),
        ("gbp", 30, "£0.30"),
        ("jpy", 50, "¥50"),
        ("huf", 17500, "175.00 Ft"),
        ("mxn", 1000, "$10.00"),
        ("hkd", 400, "$4.00"),
    ];
    for (currency, minimum, display) in cases {
        let refused = s.create(currency, &[(minimum - 1, 1)], None, None).await;
        refused.assert_error(
            400,
            "invalid_request_error",
            Some("amount_too_small"),
            None,
            &format!(
                "The Checkout Session's total amount due must add up to at least {display} {currency}"
            ),
        );
        let accepted = s.create(currency, &[(minimum, 1)], None, None).await;
        assert_eq!(accepted.ok()["amount_total"], minimum);
    }
    // The total counts, not each line: 2 × 0.20 + 0.05 = 0.45 EUR is too little…
    let small = s.create("eur", &[(20, 2), (5, 1)], None, None).await;
    assert_eq!(small.body["error"]["code"], "amount_too_small");
    // …and 3 × 0.20 = 0.60 EUR is enough.
    assert_eq!(
        s.create("eur", &[(20, 3)], None, None).await.ok()["amount_total"],
        60
    );

    // A currency without a documented minimum is refused (no conversion rates here).
    let unknown = s.create("xyz", &[(10_000, 1)], None, None).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.body["error"]["param"],
        "line_items[0][price_data][currency]"
    );
}

// https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts: `amount`
// has at most 8 digits. The shop refuses a larger order itself
// (`CheckoutRefusal::OverMaximumCharge`); this is the rule it keeps.
#[tokio::test]
async fn totals_above_one_payments_maximum_are_refused() {
    let s = setup().await;
    // Each line is allowed, their total is not.
    let over = s
        .create("eur", &[(99_999_999, 1), (1, 1)], None, None)
        .await;
    assert_eq!(over.status, 400);
    assert_eq!(over.body["error"]["code"], "amount_too_large");
    let twice = s.create("eur", &[(60_000_000, 2)], None, None).await;
    assert_eq!(twice.body["error"]["code"], "amount_too_large");
    assert_eq!(
        s.create("eur", &[(99_999_998, 1), (1, 1)], None, None)
            .await
            .ok()["amount_total"],
        99_999_999
    );
}

// https://docs.stripe.com/payments/checkout/no-cost-orders
#[tokio::test]
async fn a_no_cost_order_is_accepted_and_completes_without_payment() {
    let s = setup().await;
    let created = s.create("eur", &[(0, 2)], None, None).await;
    let id = created.ok()["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["amount_total"], 0);
    let paid = s.emulator.pay(&id, Deliver::Normal).unwrap();
    assert_eq!(paid["status"], "complete");
    assert_eq!(paid["payment_status"], "no_payment_required");
    assert_eq!(paid["payment_intent"], Value::Null);
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    assert!(matches!(
        event.data.object,
        EventObject::CheckoutSessionCompleted(_)
    ));
}

// https://docs.stripe.com/api/idempotent_requests
#[tokio::test]
async fn a_key_in_flight_is_refused_with_409_and_reused_keys_must_match() {
    let s = setup().await;
    let config = s.control("config", json!({ "api_latency_ms": 400 })).await;
    assert_eq!(config.ok()["api_latency_ms"], 400);
    let first = s.create("eur", &[(1000, 1)], None, Some("order-77"));
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        s.create("eur", &[(1000, 1)], None, Some("order-77")).await
    };
    let (first, second) = tokio::join!(first, second);
    let id = first.ok()["id"].clone();
    second.assert_error(
        409,
        "idempotency_error",
        Some("idempotency_key_in_use"),
        None,
        "There is currently another in-progress request using this Idempotent Key \
         (that probably means you submitted twice, and the other request is still going through): order-77. \
         Please try again later.",
    );
    // Once done, the same request replays the stored answer.
    let replay = s.create("eur", &[(1000, 1)], None, Some("order-77")).await;
    assert_eq!(replay.ok()["id"], id);
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert_eq!(s.emulator.sessions().len(), 1);
    // Other parameters under the same key: 400.
    let other = s.create("eur", &[(1000, 2)], None, Some("order-77")).await;
    other.assert_error(
        400,
        "idempotency_error",
        None,
        None,
        "Keys for idempotent requests can only be used with the same parameters they were first used with. \
         Try using a key other than 'order-77' if you meant to execute a different request.",
    );

    // A refused request is not stored under its key; nor is a key left in
    // flight after it.
    s.control("config", json!({ "api_latency_ms": 0 }))
        .await
        .ok();
    let refused = s.create("eur", &[(10, 1)], None, Some("order-78")).await;
    assert_eq!(refused.status, 400);
    let fixed = s.create("eur", &[(1000, 1)], None, Some("order-78")).await;
    assert_eq!(fixed.ok()["amount_total"], 1000);

    // The window also covers expire and refunds.
    s.control("config", json!({ "api_latency_ms": 300 }))
        .await
        .ok();
    let (_, payment_intent) = s.paid_session().await;
    let form = [("payment_intent".to_string(), payment_intent.clone())];
    let refund = || s.api("refunds", &form, Some("refund-1"));
    let (a, b) = tokio::join!(refund(), async {
        tokio::time::sleep(Duration::from_millis(80)).await;
        refund().await
    });
    assert_eq!(a.ok()["amount"], 5000);
    assert_eq!(b.status, 409, "{}", b.body);
    assert_eq!(b.body["error"]["code"], "idempotency_key_in_use");

    let unknown = s.control("config", json!({ "latency": 1 })).await;
    assert_eq!(unknown.status, 400);
}

// https://docs.stripe.com/webhooks#roll-endpoint-secrets
#[tokio::test]
async fn during_a_rotation_each_event_is_signed_with_every_secret() {
    let s = setup().await;
    let config = s
        .control(
            "config",
            json!({ "webhook_secret": "whsec_old_secret, whsec_new_secret" }),
        )
        .await;
    assert_eq!(
        config.ok()["webhook_secret"],
        "whsec_old_secret, whsec_new_secret"
    );
    assert_eq!(
        s.emulator.webhook_secrets(),
        ["whsec_old_secret", "whsec_new_secret"]
    );
    let created = s.create("eur", &[(1000, 1)], None, None).await;
    let id = created.ok()["id"].as_str().unwrap().to_string();
    s.emulator.pay(&id, Deliver::Normal).unwrap();
    let d = s.next_delivery().await;
    let parts: Vec<&str> = d.signature.split(',').collect();
    assert_eq!(parts.len(), 3, "{}", d.signature);
    assert!(parts[0].starts_with("t="));
    assert!(parts[1].starts_with("v1=") && parts[2].starts_with("v1="));
    for secret in ["whsec_old_secret", "whsec_new_secret"] {
        Webhook::construct_event(&d.payload, &d.signature, secret).expect("verified");
    }
    assert!(matches!(
        Webhook::construct_event(&d.payload, &d.signature, SECRET),
        Err(WebhookError::BadSignature)
    ));
    // sign_all is sign's header with one v1 per secret.
    let t: i64 = parts[0][2..].parse().unwrap();
    let old = stripe_emulator::sign(&d.payload, "whsec_old_secret", t);
    let new = stripe_emulator::sign(&d.payload, "whsec_new_secret", t);
    assert_eq!(
        d.signature,
        format!("{old},{}", new.split_once(',').unwrap().1)
    );
    assert_eq!(
        stripe_emulator::sign_all(&d.payload, &["whsec_old_secret"], t),
        old
    );

    // The rotation ends: only the new secret signs.
    s.emulator.set_webhook_secret("whsec_new_secret").unwrap();
    let other = s.create("eur", &[(1000, 1)], None, None).await;
    let other = other.ok()["id"].as_str().unwrap().to_string();
    s.emulator.pay(&other, Deliver::Normal).unwrap();
    let d = s.next_delivery().await;
    assert_eq!(d.signature.matches("v1=").count(), 1);
    Webhook::construct_event(&d.payload, &d.signature, "whsec_new_secret").unwrap();
    let empty = s
        .control("config", json!({ "webhook_secret": " , " }))
        .await;
    assert_eq!(empty.status, 400);
}

// https://docs.stripe.com/api/events/types#event_types-charge.refunded
#[tokio::test]
async fn refunds_send_charge_refunded_with_the_charge() {
    let s = setup().await;
    let (_, payment_intent) = s.paid_session().await;
    // A dashboard refund of 10.00, then the rest through the API.
    let refund = s
        .control(
            &format!("payments/{payment_intent}/refund"),
            json!({ "amount": 1000 }),
        )
        .await;
    assert_eq!(refund.ok()["amount"], 1000);
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::ChargeRefunded(charge) = event.data.object else {
        panic!("not a Charge: {}", d.payload);
    };
    assert!(charge.id.as_str().starts_with("ch_"));
    assert_eq!(charge.amount, 5000);
    assert_eq!(charge.amount_refunded, 1000);
    assert!(!charge.refunded);
    assert_eq!(
        charge.payment_intent.as_ref().map(|pi| pi.id().to_string()),
        Some(payment_intent.clone())
    );

    let rest = s
        .api(
            "refunds",
            &[("payment_intent".into(), payment_intent.clone())],
            None,
        )
        .await;
    assert_eq!(rest.ok()["amount"], 4000);
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::ChargeRefunded(charge) = event.data.object else {
        panic!("not a Charge: {}", d.payload);
    };
    assert_eq!(charge.amount_refunded, 5000);
    assert!(charge.refunded);
    assert!(event.request.and_then(|r| r.id).is_some());

    let again = s
        .control(&format!("payments/{payment_intent}/refund"), json!({}))
        .await;
    again.assert_error(
        400,
        "invalid_request_error",
        Some("charge_already_refunded"),
        None,
        &format!("Charge {} has already been refunded.", charge.id),
    );
    let unknown = s.control("payments/pi_nope/refund", json!({})).await;
    unknown.assert_error(
        400,
        "invalid_request_error",
        Some("resource_missing"),
        Some("payment_intent"),
        "No such payment_intent: 'pi_nope'",
    );
}

// https://docs.stripe.com/api/events/types#event_types-charge.dispute.created
#[tokio::test]
async fn a_dispute_sends_charge_dispute_created_and_blocks_refunds() {
    let s = setup().await;
    let (_, payment_intent) = s.paid_session().await;
    let dispute = s
        .control(&format!("payments/{payment_intent}/dispute"), json!({}))
        .await;
    assert_eq!(dispute.ok()["status"], "needs_response");
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::ChargeDisputeCreated(dispute) = event.data.object else {
        panic!("not a Dispute: {}", d.payload);
    };
    assert!(dispute.id.as_str().starts_with("dp_"));
    assert_eq!(dispute.amount, 5000);
    assert_eq!(dispute.status, DisputeStatus::NeedsResponse);
    assert_eq!(dispute.reason, "fraudulent");
    assert_eq!(
        dispute
            .payment_intent
            .as_ref()
            .map(|pi| pi.id().to_string()),
        Some(payment_intent.clone())
    );
    let charge = dispute.charge.id().to_string();

    let refused = s
        .api(
            "refunds",
            &[("payment_intent".into(), payment_intent.clone())],
            None,
        )
        .await;
    refused.assert_error(
        400,
        "invalid_request_error",
        Some("charge_disputed"),
        None,
        &format!("Charge {charge} has been charged back; cannot issue a refund."),
    );
    let twice = s
        .control(&format!("payments/{payment_intent}/dispute"), json!({}))
        .await;
    assert_eq!(twice.status, 400);
    let bad_reason = s
        .control(
            &format!("payments/{payment_intent}/dispute"),
            json!({ "reason": "bored" }),
        )
        .await;
    assert_eq!(bad_reason.body["error"]["param"], "reason");
}

#[tokio::test]
async fn broken_and_forgotten_sessions() {
    let s = setup().await;
    let created = s.create("eur", &[(1000, 1)], None, None).await;
    let id = created.ok()["id"].as_str().unwrap().to_string();
    let broken_message = format!(
        "An unknown error occurred while processing checkout.session '{id}' (emulated with POST /_test/sessions/{id}/break)."
    );

    s.control(&format!("sessions/{id}/break"), json!({}))
        .await
        .ok();
    s.get(&format!("checkout/sessions/{id}"))
        .await
        .assert_error(500, "api_error", None, None, &broken_message);
    s.control(&format!("sessions/{id}/break"), json!({ "status": 503 }))
        .await
        .ok();
    s.api(&format!("checkout/sessions/{id}/expire"), &[], Some("x-1"))
        .await
        .assert_error(503, "api_error", None, None, &broken_message);
    let not_5xx = s
        .control(&format!("sessions/{id}/break"), json!({ "status": 404 }))
        .await;
    assert_eq!(not_5xx.status, 400);

    s.control(&format!("sessions/{id}/repair"), json!({}))
        .await
        .ok();
    assert_eq!(
        s.get(&format!("checkout/sessions/{id}")).await.ok()["status"],
        "open"
    );

    s.emulator.forget_session(&id).unwrap();
    let no_such = format!("No such checkout.session: '{id}'");
    s.get(&format!("checkout/sessions/{id}"))
        .await
        .assert_error(
            404,
            "invalid_request_error",
            Some("resource_missing"),
            Some("session"),
            &no_such,
        );
    s.api(&format!("checkout/sessions/{id}/expire"), &[], None)
        .await
        .assert_error(
            404,
            "invalid_request_error",
            Some("resource_missing"),
            Some("session"),
            &no_such,
        );
    // The break control refuses sessions it never had.
    let unknown = s.control("sessions/cs_test_nope/forget", json!({})).await;
    assert_eq!(unknown.status, 404);
    s.emulator.break_session(&id, 502).unwrap();
    s.emulator.repair_session(&id).unwrap();
    assert_eq!(
        s.get(&format!("checkout/sessions/{id}")).await.ok()["id"],
        id
    );
}

// https://docs.stripe.com/rate-limits: a 429 `rate_limit` is refused before the
// request runs, so nothing is saved under its key and a retry runs it.
// https://docs.stripe.com/api/idempotent_requests: a request whose answer was
// lost is replayed from its key, never made twice.
#[tokio::test]
async fn rate_limited_refunds_run_on_retry_and_lost_answers_replay_from_the_key() {
    let s = setup().await;
    let (_, payment_intent) = s.paid_session().await;
    let form = [
        ("payment_intent".to_string(), payment_intent.clone()),
        ("amount".to_string(), "1000".to_string()),
    ];
    let set = s
        .control(
            "config",
            json!({ "rate_limit_refunds": 1, "lose_refund_responses": "1" }),
        )
        .await;
    assert_eq!(
        (
            set.ok()["rate_limit_refunds"].clone(),
            set.ok()["lose_refund_responses"].clone()
        ),
        (json!(1), json!(1))
    );
    let limited = s.api("refunds", &form, Some("refund-key-1")).await;
    limited.assert_error(
        429,
        "invalid_request_error",
        Some("rate_limit"),
        None,
        "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits (emulated with rate_limit_refunds).",
    );
    assert!(refunds(&s).await.is_empty(), "nothing was refunded");

    // The retry runs; its answer is lost on the way.
    let lost = s
        .http
        .post(format!("{}v1/refunds", s.emulator.base_url()))
        .bearer_auth("sk_test_rules")
        .header("idempotency-key", "refund-key-1")
        .form(&form)
        .send()
        .await;
    let body = match lost {
        Ok(res) => res.bytes().await.map(|_| ()),
        Err(err) => Err(err),
    };
    assert!(body.is_err(), "the answer never arrives");
    assert_eq!(refunds(&s).await.len(), 1, "but the refund was made");

    // Asked again under the same key: the same refund, not a second one.
    let again = s.api("refunds", &form, Some("refund-key-1")).await;
    assert_eq!(again.ok()["id"], refunds(&s).await[0]["id"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(refunds(&s).await.len(), 1);

    let refused = s
        .control("config", json!({ "rate_limit_refunds": -1 }))
        .await;
    refused.assert_error(
        400,
        "invalid_request_error",
        None,
        Some("rate_limit_refunds"),
        "rate_limit_refunds must be an integer from 0 to 100000",
    );
}

/// What `GET /_test/refunds` lists.
async fn refunds(s: &Setup) -> Vec<Value> {
    s.http
        .get(format!("{}_test/refunds", s.emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

// https://docs.stripe.com/api/events/types#event_types-charge.dispute.closed:
// the Dispute with its final `status` (`won` or `lost`), closed once.
#[tokio::test]
async fn a_closed_dispute_sends_charge_dispute_closed_with_its_outcome() {
    let s = setup().await;
    for (outcome, status) in [("won", DisputeStatus::Won), ("lost", DisputeStatus::Lost)] {
        let (_, payment_intent) = s.paid_session().await;
        let opened = s
            .control(&format!("payments/{payment_intent}/dispute"), json!({}))
            .await;
        let id = opened.ok()["id"].as_str().unwrap().to_string();
        s.next_delivery().await; // charge.dispute.created
        let closed = s
            .control(
                &format!("disputes/{id}/close"),
                json!({ "outcome": outcome }),
            )
            .await;
        assert_eq!(closed.ok()["status"], outcome);
        let d = s.next_delivery().await;
        let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
        let EventObject::ChargeDisputeClosed(dispute) = event.data.object else {
            panic!("not a closed Dispute: {}", d.payload);
        };
        assert_eq!(dispute.id.as_str(), id);
        assert_eq!(dispute.status, status);
        let again = s
            .control(&format!("disputes/{id}/close"), json!({ "outcome": "won" }))
            .await;
        assert_eq!(again.status, 400, "closed once");
    }
    let unknown = s
        .control("disputes/dp_nope/close", json!({ "outcome": "won" }))
        .await;
    assert_eq!(unknown.status, 404);
}

// Expiring a session can be refused like any request (429 rate limit): a
// rate-limited expiry changes nothing, and the session stays open.
#[tokio::test]
async fn a_rate_limited_expiry_leaves_the_session_open() {
    let s = setup().await;
    let created = s.create("eur", &[(1000, 1)], None, None).await;
    let id = created.ok()["id"].as_str().unwrap().to_string();
    let set = s
        .control("config", json!({ "rate_limit_expires": 1 }))
        .await;
    assert_eq!(set.ok()["rate_limit_expires"], json!(1));
    let limited = s
        .api(&format!("checkout/sessions/{id}/expire"), &[], None)
        .await;
    limited.assert_error(
        429,
        "invalid_request_error",
        Some("rate_limit"),
        None,
        "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits (emulated with rate_limit_expires).",
    );
    assert_eq!(
        s.get(&format!("checkout/sessions/{id}")).await.ok()["status"],
        "open"
    );
    let expired = s
        .api(&format!("checkout/sessions/{id}/expire"), &[], None)
        .await;
    assert_eq!(expired.ok()["status"], "expired");
}
