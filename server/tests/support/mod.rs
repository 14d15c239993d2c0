//! Spawns the real router on a random port against the test's own database
//! (from `#[sqlx::test]`) and its own Valkey key prefix.

#![allow(dead_code)] // the export memory test uses only a little of the helper

use std::sync::Arc;

use app::backend::AppState;
use app::backend::config::Config;
use app::backend::valkey::Valkey;
use app::error::AppError;
use app::model::{Role, UserView};
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use uuid::Uuid;

pub mod fixtures;
pub mod mail;
pub mod scratch;
pub mod shop;

pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub state: AppState,
}

/// `minor` cents of euro, as Stripe reports a payment in it.
pub fn eur(minor: i64) -> app::model::Money {
    app::model::Currency::from_stripe("eur").amount(minor)
}

pub fn valkey_url() -> String {
    std::env::var("VALKEY_URL").unwrap_or_else(|_| app::backend::config::DEFAULT_VALKEY_URL.into())
}

/// A state for `db`, with a Valkey prefix no other test shares.
pub async fn state_for(db: PgPool, valkey_url: &str) -> AppState {
    state_with(db, valkey_url, &[]).await
}

/// A state whose configuration overrides some variables, e.g. rate limits.
pub async fn state_with(db: PgPool, valkey_url: &str, vars: &[(&str, &str)]) -> AppState {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4());
    // Each test keeps its covers in a folder of its own.
    let covers = format!(
        "file://{}",
        std::env::temp_dir()
            .join(format!("ts-covers-{}", uuid::Uuid::new_v4()))
            .display()
    );
    let config = Config::from_lookup(|name| match name {
        // Two instances of one shop share a prefix when a test says so.
        "VALKEY_PREFIX" => vars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| Some(prefix.clone())),
        "VALKEY_URL" => Some(valkey_url.to_string()),
        "COVER_STORE_URL" => Some(covers.clone()),
        // The queue's real check, at a cost a test pays in milliseconds.
        "QUEUE_PROOF_BITS" => vars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| Some("12".into())),
        // Tests read `/metrics` on the shop's own port, with the token.
        "METRICS_TOKEN" => vars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| Some(METRICS_TOKEN.to_string()))
            .filter(|v| !v.is_empty()),
        _ => vars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string()),
    })
    .expect("test configuration");
    let valkey = Valkey::connect(valkey_url, &config.valkey_prefix)
        .await
        .expect("valkey client");
    AppState {
        catalogue: app::backend::fresh::Fresh::new(config.catalogue_fresh),
        queue_progress: app::backend::fresh::Fresh::default(),
        queue_events: app::backend::fresh::Fresh::default(),
        covers: app::backend::covers::CoverStore::open(&config.cover_store_url)
            .expect("cover store"),
        leptos_options: LeptosOptions::builder()
            .output_name("ticket-sales")
            .site_root("target/site")
            .build(),
        replica: app::backend::db::replica::Replica::for_config(&db, &config).expect("replica url"),
        db,
        valkey,
        payments: config.stripe.as_ref().map(|stripe| {
            Arc::new(app::backend::payments::Payments::new(stripe).expect("stripe client"))
        }),
        config: Arc::new(config),
    }
}

/// The shop with some of its variables set (limits, https, a proxy mode).
pub async fn spawn_with(db: PgPool, vars: &[(&str, &str)]) -> TestApp {
    spawn_with_state(state_with(db, &valkey_url(), vars).await).await
}

pub async fn spawn(db: PgPool) -> TestApp {
    spawn_with_state(state_for(db, &valkey_url()).await).await
}

pub async fn spawn_with_state(state: AppState) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    spawn_on(listener, state).await
}

/// Serves the shop on a listener bound beforehand (so its address can be given
/// to the Stripe emulator first).
pub async fn spawn_on(listener: tokio::net::TcpListener, state: AppState) -> TestApp {
    // Logs only when RUST_LOG asks for them.
    if std::env::var_os("RUST_LOG").is_some() {
        server::telemetry::init();
    }
    let addr = listener.local_addr().expect("local address");
    let router = server::router(state.clone()).await.expect("router");
    tokio::spawn(async move {
        server::serve(listener, router, std::future::pending())
            .await
            .expect("test server");
    });
    TestApp {
        base_url: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        state,
    }
}

/// How many webhook events are recorded.
pub async fn stripe_event_count(db: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(db)
        .await
        .expect("events counted")
}

/// How many tickets `order` has.
pub async fn pass_count(db: &PgPool, order: Uuid) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM tickets WHERE order_id = $1")
        .bind(order)
        .fetch_one(db)
        .await
        .expect("tickets counted")
}

pub const PASSWORD: &str = "correct horse battery";

/// The `METRICS_TOKEN` test servers have unless a test sets its own ("" for none).
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// The address of account `user`.
pub async fn email_of(db: &PgPool, user: Uuid) -> String {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(db)
        .await
        .expect("user's email")
}

/// An account with `role` and [`PASSWORD`] (see [`fixtures::user`]).
pub async fn create_user(db: &PgPool, email: &str, role: Role) -> Uuid {
    fixtures::user(db, email, role).await
}

/// A published event of `organizer`'s, in 30 days, with one ticket type
/// ("Admission") on sale now that has the event's id (see
/// [`fixtures::EventBuilder::first_type_has_event_id`]).
pub async fn published_listing(
    db: &PgPool,
    organizer: Uuid,
    title: &str,
    price_minor: i64,
    stock: i32,
) -> Uuid {
    fixtures::event(db)
        .by(organizer)
        .title(title)
        .ticket_type("Admission", price_minor, stock)
        .first_type_has_event_id()
        .create()
        .await
        .id
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("request sent")
    }

    /// A browser-like client with its own cookie jar.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client")
    }

    /// Calls a server function the way the hydrated app does (form-encoded POST).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/{endpoint}", self.base_url))
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// A page request as a browser makes it.
    pub async fn get_with(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(format!("{}{path}", self.base_url))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request sent")
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        self.signed_in_with(email, PASSWORD).await
    }

    pub async fn signed_in_with(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.browser();
        let res = self
            .call(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "sign-in failed: {}",
            res.text().await.unwrap_or_default()
        );
        client
    }

    /// Who the server thinks `client` is.
    pub async fn me(&self, client: &reqwest::Client) -> Option<UserView> {
        let res = self.call(client, "auth/me", &[]).await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("user json")
    }
}

/// The account as the domain functions take it (the signed-in user).
pub async fn session_user(db: &sqlx::PgPool, id: Uuid) -> app::backend::auth::SessionUser {
    app::backend::db::users::by_id(db, id)
        .await
        .expect("user read")
        .expect("user exists")
        .into()
}

/// The error a server function answered with.
pub async fn app_error(res: reqwest::Response) -> AppError {
    res.json().await.expect("AppError json")
}

/// Where the demo seed puts its covers in a test: in memory, gone with the test.
pub fn demo_covers() -> app::backend::covers::CoverStore {
    app::backend::covers::CoverStore::open("memory:///").expect("an in-memory cover store")
}

/// Waits until `check` holds, failing the test after `within`.
pub async fn eventually<F, Fut>(within: std::time::Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + within;
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Takes a place in `event`'s queue as a browser does: a guest's first visit
/// only gets a session and is sent back to the link; then the check page,
/// whose challenge is solved here (what the page's worker does) and posted.
/// The last answer: the place's redirect, or whatever refused it.
pub async fn join_queue(base: &str, client: &reqwest::Client, event: Uuid) -> reqwest::Response {
    let url = format!("{base}/events/{event}/queue/join");
    let mut res = client.get(&url).send().await.unwrap();
    if res.headers().get("location").and_then(|l| l.to_str().ok())
        == Some(&format!("/events/{event}/queue/join?cookies=1"))
    {
        res = client.get(format!("{url}?cookies=1")).send().await.unwrap();
    }
    if res.status() != reqwest::StatusCode::OK {
        return res;
    }
    let page = res.text().await.unwrap();
    let challenge = challenge_on(&page).expect("the check page carries a challenge");
    let solution = app::backend::queue::challenge::solve(&challenge);
    client
        .post(&url)
        .form(&[
            ("challenge", challenge.text.as_str()),
            ("solution", &solution),
        ])
        .send()
        .await
        .unwrap()
}

/// The challenge a check page carries in its card's attributes.
pub fn challenge_on(page: &str) -> Option<app::backend::queue::challenge::Challenge> {
    let attribute = |name: &str| {
        let start = page.find(&format!(" data-{name}=\""))? + name.len() + 8;
        let end = start + page[start..].find('"')?;
        Some(page[start..end].to_string())
    };
    Some(app::backend::queue::challenge::Challenge {
        text: attribute("challenge")?,
        bits: attribute("bits")?.parse().ok()?,
        parts: attribute("parts")?.parse().ok()?,
    })
}
