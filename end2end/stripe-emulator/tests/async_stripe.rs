//! The real async-stripe client (1.0.0-rc.10) against the emulator, and the
//! emulator's webhooks through async-stripe-webhook's verification.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    ExpireCheckoutSession, ProductData, RetrieveCheckoutSession,
};
use stripe_checkout::{
    CheckoutSession, CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus,
};
use stripe_core::refund::{CreateRefund, CreateRefundReason};
use stripe_emulator::{Config, Emulator};
use stripe_shared::{ApiErrorsCode, ApiErrorsType};
use stripe_types::Currency;
use stripe_webhook::{EventObject, EventType, Webhook, WebhookError};
use tokio::sync::{Mutex, mpsc};

const SECRET: &str = "whsec_test_secret";

/// One webhook request as the receiver saw it.
struct Delivery {
    signature: String,
    payload: String,
}

#[derive(Clone)]
struct Hook {
    tx: mpsc::UnboundedSender<Delivery>,
    /// Answer 500 to this many requests before answering 200.
    fail_first: Arc<AtomicUsize>,
}

async fn hook(State(hook): State<Hook>, headers: HeaderMap, payload: String) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let _ = hook.tx.send(Delivery { signature, payload });
    if hook
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

struct Setup {
    emulator: Emulator,
    client: Client,
    deliveries: Mutex<mpsc::UnboundedReceiver<Delivery>>,
    http: reqwest::Client,
}

/// The emulator (port 0) with a tiny webhook receiver, and an async-stripe client pointed at it.
async fn setup(fail_first: usize) -> Setup {
    let (tx, rx) = mpsc::unbounded_channel();
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/webhook", receiver.local_addr().unwrap());
    let app = Router::new()
        .route("/webhook", post(hook))
        .with_state(Hook {
            tx,
            fail_first: Arc::new(AtomicUsize::new(fail_first)),
        });
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
    let client = ClientBuilder::new("sk_test_emulator")
        .url(emulator.base_url())
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Setup {
        emulator,
        client,
        deliveries: Mutex::new(rx),
        http,
    }
}

impl Setup {
    async fn next_delivery(&self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(10), self.deliveries.lock().await.recv())
            .await
            .expect("a webhook within 10 s")
            .expect("receiver open")
    }

    async fn no_delivery_for(&self, wait: Duration) {
        if let Ok(Some(d)) = tokio::time::timeout(wait, self.deliveries.lock().await.recv()).await {
            panic!("unexpected webhook: {}", d.payload);
        }
    }

    async fn control(&self, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}_test/{path}", self.emulator.base_url()))
            .send()
            .await
            .unwrap();
        (res.status(), res.json().await.unwrap())
    }

    async fn events(&self) -> Vec<Value> {
        let url = format!("{}_test/events", self.emulator.base_url());
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn create(
        &self,
        order: &str,
        key: Option<&str>,
        expires_at: i64,
    ) -> Result<CheckoutSession, StripeError> {
        create_session(&self.client, order, key, expires_at).await
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn line(name: &str, unit_amount: i64, quantity: u64) -> CreateCheckoutSessionLineItems {
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(Currency::EUR);
    price.unit_amount = Some(unit_amount);
    price.product_data = Some(ProductData::new(name));
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price);
    item.quantity = Some(quantity);
    item
}

/// Two lines: 2 × 25.00 + 1 × 10.00 = 60.00 EUR.
async fn create_session(
    client: &Client,
    order: &str,
    key: Option<&str>,
    expires_at: i64,
) -> Result<CheckoutSession, StripeError> {
    let mut request = CreateCheckoutSession::new()
        .mode(CheckoutSessionMode::Payment)
        .line_items(vec![
            line("Paid Gig", 2500, 2),
            line("Booking fee", 1000, 1),
        ])
        .client_reference_id(order)
        .metadata(HashMap::from([("order_id".to_string(), order.to_string())]))
        .customer_email("buyer@example.com")
        .expires_at(expires_at)
        .success_url(format!(
            "https://shop.example/orders/{order}?session_id={{CHECKOUT_SESSION_ID}}"
        ))
        .cancel_url("https://shop.example/cart")
        .customize();
    if let Some(key) = key {
        request = request.request_strategy(RequestStrategy::Idempotent(
            IdempotencyKey::new(key).unwrap(),
        ));
    }
    request.send(client).await
}

fn stripe_error(err: StripeError) -> (Box<stripe_shared::ApiErrors>, u16) {
    match err {
        StripeError::Stripe(err, status) => (err, status),
        other => panic!("expected a Stripe error, got {other:?}"),
    }
}

#[tokio::test]
async fn create_retrieve_pay_refund_and_verify_the_webhook() {
    let s = setup(0).await;
    let expires_at = now() + 3600;

    let session = s
        .create("order-1", Some("checkout-order-1"), expires_at)
        .await
        .unwrap();
    assert!(
        session.id.as_str().starts_with("cs_test_"),
        "{}",
        session.id
    );
    assert_eq!(session.status, Some(CheckoutSessionStatus::Open));
    assert_eq!(session.payment_status, CheckoutSessionPaymentStatus::Unpaid);
    assert_eq!(session.mode, CheckoutSessionMode::Payment);
    assert_eq!(session.amount_total, Some(6000));
    assert_eq!(session.currency, Some(Currency::EUR));
    assert_eq!(session.client_reference_id.as_deref(), Some("order-1"));
    assert_eq!(session.metadata.as_ref().unwrap()["order_id"], "order-1");
    assert_eq!(session.expires_at, expires_at);
    assert_eq!(
        session.url.as_deref(),
        Some(format!("{}pay/{}", s.emulator.base_url(), session.id).as_str())
    );
    assert!(session.payment_intent.is_none());

    // The same idempotency key returns the same session, not a second one.
    let again = s
        .create("order-1", Some("checkout-order-1"), expires_at)
        .await
        .unwrap();
    assert_eq!(again.id, session.id);
    assert_eq!(s.emulator.sessions().len(), 1);
    // Another key is another session; the same key with other parameters is refused.
    let other = s
        .create("order-1", Some("checkout-order-1-b"), expires_at)
        .await
        .unwrap();
    assert_ne!(other.id, session.id);
    let (err, status) = stripe_error(
        s.create("order-2", Some("checkout-order-1"), expires_at)
            .await
            .unwrap_err(),
    );
    assert_eq!((status, err.type_), (400, ApiErrorsType::IdempotencyError));

    let retrieved = RetrieveCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(retrieved.id, session.id);
    assert_eq!(retrieved.status, Some(CheckoutSessionStatus::Open));

    // Paid through the test control: the session and the signed webhook say so.
    let (status, paid) = s.control(&format!("sessions/{}/pay", session.id)).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["payment_status"], "paid");
    let retrieved = RetrieveCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(retrieved.status, Some(CheckoutSessionStatus::Complete));
    assert_eq!(retrieved.payment_status, CheckoutSessionPaymentStatus::Paid);
    assert_eq!(
        retrieved.url, None,
        "Stripe gives no URL for a completed session"
    );
    let payment_intent = retrieved
        .payment_intent
        .as_ref()
        .expect("a payment intent")
        .id()
        .to_string();
    assert!(payment_intent.starts_with("pi_"), "{payment_intent}");
    assert_eq!(
        retrieved
            .customer_details
            .as_ref()
            .and_then(|d| d.email.as_deref()),
        Some("buyer@example.com")
    );

    let delivery = s.next_delivery().await;
    assert!(
        delivery.signature.starts_with("t="),
        "{}",
        delivery.signature
    );
    let event =
        Webhook::construct_event(&delivery.payload, &delivery.signature, SECRET).expect("verified");
    assert!(event.id.as_str().starts_with("evt_"));
    assert_eq!(event.type_, EventType::CheckoutSessionCompleted);
    assert!(!event.livemode);
    let EventObject::CheckoutSessionCompleted(completed) = event.data.object else {
        panic!("not a CheckoutSessionCompleted: {:?}", event.type_);
    };
    assert_eq!(completed.id, session.id);
    assert_eq!(completed.client_reference_id.as_deref(), Some("order-1"));
    assert_eq!(completed.payment_status, CheckoutSessionPaymentStatus::Paid);
    assert_eq!(completed.amount_total, Some(6000));
    assert_eq!(
        completed
            .payment_intent
            .as_ref()
            .map(|pi| pi.id().to_string()),
        Some(payment_intent.clone())
    );

    // Tampered payloads and wrong secrets fail verification.
    let tampered = delivery
        .payload
        .replace("\"amount_total\":6000", "\"amount_total\":1");
    assert_ne!(tampered, delivery.payload);
    assert!(matches!(
        Webhook::construct_event(&tampered, &delivery.signature, SECRET),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        Webhook::construct_event(&delivery.payload, &delivery.signature, "whsec_wrong"),
        Err(WebhookError::BadSignature)
    ));
    let stale = stripe_emulator::sign(&delivery.payload, SECRET, now() - 600);
    assert!(matches!(
        Webhook::construct_event(&delivery.payload, &stale, SECRET),
        Err(WebhookError::BadTimestamp(_))
    ));
    // The emulator's signature is exactly what async-stripe's test helper makes.
    let t = now();
    assert_eq!(
        stripe_emulator::sign(&delivery.payload, SECRET, t),
        Webhook::generate_test_header(&delivery.payload, SECRET, Some(t))
    );

    // Refunds: a partial one, then the rest, then nothing is left.
    let key = IdempotencyKey::new("refund-order-1").unwrap();
    let refund = CreateRefund::new()
        .payment_intent(payment_intent.clone())
        .amount(1000)
        .reason(CreateRefundReason::RequestedByCustomer)
        .metadata(HashMap::from([(
            "order_id".to_string(),
            "order-1".to_string(),
        )]))
        .customize()
        .request_strategy(RequestStrategy::Idempotent(key.clone()))
        .send(&s.client)
        .await
        .unwrap();
    assert!(refund.id.as_str().starts_with("re_"), "{}", refund.id);
    assert_eq!(refund.amount, 1000);
    assert_eq!(refund.currency, Currency::EUR);
    assert_eq!(refund.status.as_deref(), Some("succeeded"));
    assert_eq!(
        refund.payment_intent.as_ref().map(|pi| pi.id().to_string()),
        Some(payment_intent.clone())
    );
    assert_eq!(refund.metadata.as_ref().unwrap()["order_id"], "order-1");
    let replayed = CreateRefund::new()
        .payment_intent(payment_intent.clone())
        .amount(1000)
        .reason(CreateRefundReason::RequestedByCustomer)
        .metadata(HashMap::from([(
            "order_id".to_string(),
            "order-1".to_string(),
        )]))
        .customize()
        .request_strategy(RequestStrategy::Idempotent(key))
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(
        replayed.id, refund.id,
        "the idempotent retry refunds nothing more"
    );
    let rest = CreateRefund::new()
        .payment_intent(payment_intent.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(rest.amount, 5000);
    let (err, status) = stripe_error(
        CreateRefund::new()
            .payment_intent(payment_intent)
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(status, 400);
    assert_eq!(err.code, Some(ApiErrorsCode::ChargeAlreadyRefunded));
    let (err, status) = stripe_error(
        CreateRefund::new()
            .payment_intent("pi_unknown")
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, err.code),
        (400, Some(ApiErrorsCode::ResourceMissing))
    );
}

#[tokio::test]
async fn expire_sends_the_expired_event_and_refuses_completed_sessions() {
    let s = setup(0).await;
    let session = s.create("order-2", None, now() + 3600).await.unwrap();
    let expired = ExpireCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(expired.status, Some(CheckoutSessionStatus::Expired));
    assert_eq!(expired.payment_status, CheckoutSessionPaymentStatus::Unpaid);

    let delivery = s.next_delivery().await;
    let event = Webhook::construct_event(&delivery.payload, &delivery.signature, SECRET).unwrap();
    assert_eq!(event.type_, EventType::CheckoutSessionExpired);
    let EventObject::CheckoutSessionExpired(object) = event.data.object else {
        panic!("not expired")
    };
    assert_eq!(object.client_reference_id.as_deref(), Some("order-2"));
    assert!(
        event
            .request
            .as_ref()
            .and_then(|r| r.id.as_deref())
            .is_some_and(|id| id.starts_with("req_"))
    );

    // Expiring again returns it as it is, and sends nothing.
    let again = ExpireCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(again.status, Some(CheckoutSessionStatus::Expired));
    s.no_delivery_for(Duration::from_millis(300)).await;
    // An expired session cannot be paid.
    let (status, body) = s.control(&format!("sessions/{}/pay", session.id)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A completed session cannot be expired.
    let paid = s.create("order-3", None, now() + 3600).await.unwrap();
    s.emulator
        .pay(paid.id.as_str(), stripe_emulator::Deliver::None)
        .unwrap();
    let (err, status) = stripe_error(
        ExpireCheckoutSession::new(paid.id.clone())
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, err.type_),
        (400, ApiErrorsType::InvalidRequestError)
    );
    assert!(err.message.unwrap().contains("complete"));
}

#[tokio::test]
async fn errors_are_shaped_like_stripes() {
    let s = setup(0).await;
    let (err, status) = stripe_error(
        RetrieveCheckoutSession::new("cs_test_nope")
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(status, 404);
    assert_eq!(err.type_, ApiErrorsType::InvalidRequestError);
    assert_eq!(err.code, Some(ApiErrorsCode::ResourceMissing));
    assert_eq!(
        err.message.as_deref(),
        Some("No such checkout.session: 'cs_test_nope'")
    );

    // No line items.
    let (err, status) = stripe_error(
        CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .success_url("https://shop.example/ok")
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, err.type_),
        (400, ApiErrorsType::InvalidRequestError)
    );
    assert_eq!(err.param.as_deref(), Some("line_items"));
    // A line item without an amount.
    let mut item = line("Gig", 0, 1);
    item.price_data.as_mut().unwrap().unit_amount = None;
    let (err, status) = stripe_error(
        CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(vec![item])
            .send(&s.client)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, err.code),
        (400, Some(ApiErrorsCode::ParameterMissing))
    );
    assert_eq!(
        err.param.as_deref(),
        Some("line_items[0][price_data][unit_amount]")
    );
    // expires_at more than 24 hours away.
    let (err, _) = stripe_error(s.create("o", None, now() + 25 * 3600).await.unwrap_err());
    assert_eq!(err.param.as_deref(), Some("expires_at"));

    // Keys: none, a publishable one, garbage.
    for key in ["pk_test_123", "nonsense"] {
        let client = ClientBuilder::new(key)
            .url(s.emulator.base_url())
            .build()
            .unwrap();
        let (err, status) = stripe_error(
            RetrieveCheckoutSession::new("cs_test_x")
                .send(&client)
                .await
                .unwrap_err(),
        );
        assert_eq!(
            (status, err.type_),
            (401, ApiErrorsType::InvalidRequestError)
        );
    }
    let res = s
        .http
        .get(format!(
            "{}v1/checkout/sessions/cs_test_x",
            s.emulator.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    // `curl -u sk_test_...:` style Basic auth works too.
    let res = s
        .http
        .get(format!(
            "{}v1/checkout/sessions/cs_test_x",
            s.emulator.base_url()
        ))
        .basic_auth("sk_test_x", Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = s
        .http
        .get(format!("{}v1/nothing", s.emulator.base_url()))
        .bearer_auth("sk_test_x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_hosted_page_declines_and_pays() {
    let s = setup(0).await;
    let session = s.create("order-4", None, now() + 3600).await.unwrap();
    let url = session.url.clone().unwrap();

    let page = s.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for needle in [
        "Card number",
        ">Pay</button>",
        "Paid Gig",
        "Booking fee",
        "60.00 EUR",
        "href=\"https://shop.example/cart\"",
        ">Back</a>",
    ] {
        assert!(html.contains(needle), "{needle} missing from {html}");
    }

    let pay = |card: &'static str| s.http.post(&url).form(&[("card_number", card)]).send();
    let declined = pay("4000 0000 0000 0002").await.unwrap();
    assert_eq!(declined.status(), StatusCode::OK);
    assert!(
        declined
            .text()
            .await
            .unwrap()
            .contains("Your card was declined.")
    );
    let invalid = pay("1234 5678").await.unwrap();
    assert!(
        invalid
            .text()
            .await
            .unwrap()
            .contains("Your card number is invalid.")
    );
    let open = RetrieveCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(open.status, Some(CheckoutSessionStatus::Open));
    assert_eq!(open.payment_status, CheckoutSessionPaymentStatus::Unpaid);
    s.no_delivery_for(Duration::from_millis(200)).await;

    let paid = pay("4242 4242 4242 4242").await.unwrap();
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        paid.headers()["location"].to_str().unwrap(),
        format!(
            "https://shop.example/orders/order-4?session_id={}",
            session.id
        )
    );
    let done = RetrieveCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(done.payment_status, CheckoutSessionPaymentStatus::Paid);
    let delivery = s.next_delivery().await;
    let event = Webhook::construct_event(&delivery.payload, &delivery.signature, SECRET).unwrap();
    assert!(matches!(
        event.data.object,
        EventObject::CheckoutSessionCompleted(_)
    ));

    // An expired session's page says so, and paying it does nothing.
    let stale = s.create("order-5", None, now() + 3600).await.unwrap();
    s.emulator
        .expire(stale.id.as_str(), stripe_emulator::Deliver::None)
        .unwrap();
    let stale_url = format!("{}pay/{}", s.emulator.base_url(), stale.id);
    let res = s
        .http
        .post(&stale_url)
        .form(&[("card_number", "4242424242424242")])
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("This checkout session has expired.")
    );
    let still = RetrieveCheckoutSession::new(stale.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(still.status, Some(CheckoutSessionStatus::Expired));
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff() {
    let s = setup(2).await;
    let session = s.create("order-6", None, now() + 3600).await.unwrap();
    s.control(&format!("sessions/{}/pay", session.id)).await;
    for _ in 0..3 {
        let d = s.next_delivery().await;
        Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    }
    s.no_delivery_for(Duration::from_millis(300)).await;
    let events = s.events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["delivery_status"], "delivered");
    let statuses: Vec<Value> = events[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [500, 500, 200]);
}

#[tokio::test]
async fn held_events_are_delivered_on_demand_in_any_order() {
    let s = setup(0).await;
    let session = s.create("order-7", None, now() + 3600).await.unwrap();
    let (status, _) = s
        .control(&format!("sessions/{}/pay?deliver=none", session.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let other = s.create("order-8", None, now() + 3600).await.unwrap();
    s.control(&format!("sessions/{}/expire?deliver=none", other.id))
        .await;
    s.no_delivery_for(Duration::from_millis(200)).await;

    let events = s.events().await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["type"], "checkout.session.completed");
    assert_eq!(events[0]["delivery_status"], "held");
    assert_eq!(events[1]["type"], "checkout.session.expired");
    // Latest first, then the older one twice.
    for event in [&events[1], &events[0], &events[0]] {
        let (status, answer) = s
            .control(&format!("events/{}/deliver", event["id"].as_str().unwrap()))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(answer["status"], 200);
        let d = s.next_delivery().await;
        assert_eq!(
            d.payload,
            event["payload"].as_str().unwrap(),
            "the exact payload"
        );
        let parsed = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
        assert_eq!(parsed.id.as_str(), event["id"].as_str().unwrap());
    }
    let (status, _) = s.control("events/evt_unknown/deliver").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // deliver=twice: the same event arrives twice.
    let third = s.create("order-9", None, now() + 3600).await.unwrap();
    s.control(&format!("sessions/{}/pay?deliver=twice", third.id))
        .await;
    let (a, b) = (s.next_delivery().await, s.next_delivery().await);
    assert_eq!(a.payload, b.payload);
}

#[tokio::test]
async fn delayed_payment_methods_complete_unpaid_then_settle() {
    let s = setup(0).await;
    let session = s.create("order-10", None, now() + 3600).await.unwrap();
    let (_, body) = s
        .control(&format!("sessions/{}/pay?payment=async", session.id))
        .await;
    assert_eq!(body["status"], "complete");
    assert_eq!(body["payment_status"], "unpaid");
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::CheckoutSessionCompleted(completed) = event.data.object else {
        panic!("not completed")
    };
    assert_eq!(
        completed.payment_status,
        CheckoutSessionPaymentStatus::Unpaid
    );

    s.control(&format!(
        "sessions/{}/async_payment?outcome=succeeded",
        session.id
    ))
    .await;
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::CheckoutSessionAsyncPaymentSucceeded(settled) = event.data.object else {
        panic!("not settled")
    };
    assert_eq!(settled.payment_status, CheckoutSessionPaymentStatus::Paid);

    let failing = s.create("order-11", None, now() + 3600).await.unwrap();
    s.control(&format!(
        "sessions/{}/pay?payment=async&deliver=none",
        failing.id
    ))
    .await;
    s.control(&format!(
        "sessions/{}/async_payment?outcome=failed",
        failing.id
    ))
    .await;
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    assert!(matches!(
        event.data.object,
        EventObject::CheckoutSessionAsyncPaymentFailed(_)
    ));
}

#[tokio::test]
async fn sessions_expire_by_themselves_when_expires_at_passes() {
    let s = setup(0).await;
    // Stripe's shortest expiry is 30 minutes: the test moves the emulator's clock.
    let session = s
        .create("order-12", None, s.emulator.now() + 30 * 60)
        .await
        .unwrap();
    s.no_delivery_for(Duration::from_millis(700)).await;
    assert!(s.emulator.advance_clock(29 * 60).is_empty());
    s.no_delivery_for(Duration::from_millis(700)).await;
    assert_eq!(s.emulator.advance_clock(61), [session.id.to_string()]);
    let d = s.next_delivery().await;
    let event = Webhook::construct_event(&d.payload, &d.signature, SECRET).unwrap();
    let EventObject::CheckoutSessionExpired(expired) = event.data.object else {
        panic!("not expired")
    };
    assert_eq!(expired.id, session.id);
    assert!(s.emulator.now() >= session.expires_at);
    let retrieved = RetrieveCheckoutSession::new(session.id.clone())
        .send(&s.client)
        .await
        .unwrap();
    assert_eq!(retrieved.status, Some(CheckoutSessionStatus::Expired));
    let all: Vec<Value> = s
        .http
        .get(format!("{}_test/sessions", s.emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all[0]["status"], "expired");
}
