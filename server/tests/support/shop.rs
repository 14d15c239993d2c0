//! The shop with the Stripe emulator beside it, each knowing the other's
//! address, and the steps of a purchase as a browser makes them.

use std::time::Duration;

use app::model::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use stripe_emulator::{Config as EmulatorConfig, Emulator};
use uuid::Uuid;

use super::{TestApp, create_user};

pub const SECRET: &str = "whsec_test_secret";

pub struct Shop {
    pub app: TestApp,
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

/// The shop and the emulator, each knowing the other's address.
pub async fn shop(db: PgPool) -> Shop {
    shop_with(db, &[]).await
}

/// The same, with some of the shop's variables set (a short hold, two webhook secrets).
pub async fn shop_with(db: PgPool, vars: &[(&str, &str)]) -> Shop {
    let shop_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let shop_addr = shop_listener.local_addr().unwrap();
    let emulator_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let emulator = stripe_emulator::start(
        emulator_listener,
        EmulatorConfig {
            webhook_url: Some(format!("http://{shop_addr}/stripe/webhook")),
            webhook_secret: SECRET.into(),
            public_url: None,
            retry_base: Duration::from_millis(50),
        },
    )
    .await;
    let base = emulator.base_url();
    let app_base = format!("http://{shop_addr}");
    let mut all: Vec<(&str, &str)> = vec![
        ("STRIPE_SECRET_KEY", "sk_test_shop"),
        ("STRIPE_WEBHOOK_SECRET", SECRET),
        ("STRIPE_API_BASE", &base),
        ("APP_BASE_URL", &app_base),
    ];
    for (name, value) in vars {
        all.retain(|(n, _)| n != name);
        all.push((name, value));
    }
    // A test may bring a Valkey of its own (a cluster).
    let valkey = vars
        .iter()
        .find(|(name, _)| *name == "VALKEY_URL")
        .map_or_else(super::valkey_url, |(_, url)| url.to_string());
    let state = super::state_with(db, &valkey, &all).await;
    let app = super::spawn_on(shop_listener, state).await;
    Shop {
        app,
        emulator,
        http: reqwest::Client::new(),
    }
}

pub async fn listing(db: &PgPool, stock: i32) -> Uuid {
    let organizer = super::fixtures::organizer(db).await;
    super::published_listing(db, organizer, "Paid Gig", 2500, stock).await
}

pub async fn counters(db: &PgPool, ticket: Uuid) -> (i32, i32) {
    sqlx::query_as("SELECT reserved, sold FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(db)
        .await
        .unwrap()
}

pub async fn order_status(db: &PgPool, order: Uuid) -> String {
    sqlx::query_scalar("SELECT status::text FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(db)
        .await
        .unwrap()
}

/// A new signed-in buyer with `quantity` of `ticket` in the cart: the client and
/// the buyer's email.
pub async fn buyer_with_cart(
    shop: &Shop,
    ticket: Uuid,
    quantity: i64,
) -> (reqwest::Client, String) {
    let email = format!("buyer-{}@example.com", Uuid::new_v4());
    create_user(&shop.app.state.db, &email, Role::Buyer).await;
    let buyer = shop.app.signed_in(&email).await;
    let res = shop
        .app
        .call(
            &buyer,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", &quantity.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    (buyer, email)
}

/// A signed-in buyer with `quantity` seats in the cart, checked out: returns the
/// buyer's client, the order and its session id.
pub async fn checked_out(
    shop: &Shop,
    ticket: Uuid,
    quantity: i64,
) -> (reqwest::Client, Uuid, String) {
    let (buyer, email) = buyer_with_cart(shop, ticket, quantity).await;
    let res = shop.app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("{}pay/cs_", shop.emulator.base_url())),
        "{location}"
    );
    let (order, session): (Uuid, String) = sqlx::query_as(
        "SELECT o.id, o.stripe_session_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1",
    )
    .bind(&email)
    .fetch_one(&shop.app.state.db)
    .await
    .unwrap();
    assert!(location.ends_with(&session));
    (buyer, order, session)
}

/// Moves `order`'s hold into the past (the shortest configurable hold is a
/// minute, too long to wait for in a test).
pub async fn run_out_hold(db: &PgPool, order: Uuid) {
    sqlx::query("UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = $1")
        .bind(order)
        .execute(db)
        .await
        .expect("hold moved");
}

pub async fn until_status(db: &PgPool, order: Uuid, want: &str) {
    for _ in 0..100 {
        if order_status(db, order).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "order {order} never became {want} (is {})",
        order_status(db, order).await
    );
}

impl Shop {
    /// The cart of `client` as the cart page sees it.
    pub async fn cart_of(&self, client: &reqwest::Client) -> app::model::CartView {
        self.app
            .call(client, "cart/view", &[])
            .await
            .json()
            .await
            .unwrap()
    }

    pub async fn control(&self, path: &str) -> Value {
        self.control_with(path, serde_json::json!({})).await
    }

    /// A `/_test/...` control with a JSON body.
    pub async fn control_with(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}_test/{path}", self.emulator.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    }

    /// Posts a webhook body to the shop with the given `Stripe-Signature`.
    pub async fn post_webhook(&self, payload: &str, signature: &str) -> StatusCode {
        self.http
            .post(format!("{}/stripe/webhook", self.app.base_url))
            .header("stripe-signature", signature)
            .header("content-type", "application/json")
            .body(payload.to_string())
            .send()
            .await
            .unwrap()
            .status()
    }

    /// What the emulator holds under `/_test/{what}` (sessions, events, refunds).
    pub async fn listed(&self, what: &str) -> Vec<Value> {
        self.http
            .get(format!("{}_test/{what}", self.emulator.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn events(&self) -> Vec<Value> {
        self.listed("events").await
    }
}
