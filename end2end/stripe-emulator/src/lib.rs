//! A small Stripe API emulator for local development and tests.
//!
//! It speaks enough of the Stripe API for the real `async-stripe` client
//! (Checkout Sessions: create / retrieve / expire, and refunds), serves a
//! plain-HTML hosted payment page, expires sessions when `expires_at` passes
//! and delivers webhooks signed exactly as Stripe signs them, retrying failed
//! deliveries with exponential backoff.
//!
//! Start it in-process on any listener (port 0 in tests) with [`start`], then
//! point the client at [`Emulator::base_url`]:
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! let emulator = stripe_emulator::start(
//!     listener,
//!     stripe_emulator::Config {
//!         webhook_url: Some("http://127.0.0.1:3000/stripe/webhook".into()),
//!         webhook_secret: "whsec_test_secret".into(),
//!         public_url: None,
//!         retry_base: Duration::from_millis(50),
//!     },
//! )
//! .await;
//! let base = emulator.base_url(); // "http://127.0.0.1:PORT/"
//! # let _ = base;
//! # }
//! ```
//!
//! Test controls (JSON, no auth) live under `/_test/`: see [`control`] and the
//! crate's `README.md`, which also lists the Stripe rules the emulator enforces.

#![recursion_limit = "256"]

mod api;
pub mod control;
mod page;
mod session_rules;
mod store;
mod webhook;
mod wire;

use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use webhook::{sign, sign_all};

use store::Store;

/// The Stripe API version the emulator stamps on events (the one async-stripe
/// `1.0.0-rc.10` is generated for, so it logs no version-mismatch warning).
pub const API_VERSION: &str = "2026-09-30.endive";

/// How many times a webhook delivery is attempted before it is marked failed.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 8;

/// How often the background task looks for sessions whose `expires_at` passed.
pub const EXPIRY_CHECK_INTERVAL: Duration = Duration::from_millis(500);

/// Emulator settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where events are POSTed (`None`: events are recorded, never delivered).
    /// Several comma-separated URLs take turns (round robin), as for a shop
    /// running more than one instance behind no load balancer.
    pub webhook_url: Option<String>,
    /// The endpoint secret (`whsec_...`) events are signed with.
    pub webhook_secret: String,
    /// The URL browsers reach the emulator at (session `url`s are
    /// `{public_url}pay/{id}`); defaults to [`Emulator::base_url`].
    pub public_url: Option<String>,
    /// Delay before the first webhook retry; doubled for each further retry.
    pub retry_base: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            webhook_url: None,
            webhook_secret: "whsec_emulator_secret".into(),
            public_url: None,
            retry_base: Duration::from_secs(1),
        }
    }
}

/// How the webhook of a state change is delivered (test controls).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Deliver {
    /// Delivered once, retried on failure.
    #[default]
    Normal,
    /// Delivered twice in a row (as Stripe may do), each retried on failure.
    Twice,
    /// Recorded only; deliver it later with `POST /_test/events/{id}/deliver`.
    None,
}

impl FromStr for Deliver {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" | "normal" => Ok(Self::Normal),
            "twice" => Ok(Self::Twice),
            "none" => Ok(Self::None),
            other => Err(format!(
                "Invalid deliver: must be one of normal, twice or none (got {other:?})"
            )),
        }
    }
}

impl Deliver {
    fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Twice => "twice",
            Self::None => "none",
        }
    }
}

/// State shared by the HTTP handlers and the background tasks.
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) public_url: String,
    /// The endpoint secret(s), comma-separated: each event is signed with every one.
    pub(crate) secret: Mutex<String>,
    pub(crate) retry_base: Duration,
    /// Seconds added to the wall clock (`POST /_test/clock`).
    pub(crate) clock_offset: AtomicI64,
    /// Delay of API operations while their idempotency key is in flight (`api_latency_ms`).
    pub(crate) api_latency_ms: AtomicU64,
    /// Refund requests still to refuse with a 429 (`rate_limit_refunds`).
    pub(crate) rate_limited_refunds: AtomicU64,
    /// Refunds still to make without the answer arriving (`lose_refund_responses`).
    pub(crate) lost_refund_responses: AtomicU64,
    /// Session expiries still to refuse with a 429 (`rate_limit_expires`).
    pub(crate) rate_limited_expires: AtomicU64,
    pub(crate) webhook_url: Mutex<Option<String>>,
    /// Counts deliveries, to take the comma-separated webhook URLs in turn.
    pub(crate) next_webhook: AtomicUsize,
    pub(crate) store: Mutex<Store>,
    pub(crate) http: reqwest::Client,
}

impl Shared {
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The emulator's clock: the wall clock plus the `/_test/clock` offset.
    /// Object timestamps (`created`, `expires_at`) and expiry use it; webhook
    /// signatures use the wall clock, as the receiver checks them against its own.
    pub(crate) fn now(&self) -> i64 {
        wall_now() + self.clock_offset.load(Ordering::SeqCst)
    }

    /// Takes one from a fault counter; false when none is left.
    pub(crate) fn take_fault(counter: &AtomicU64) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    pub(crate) fn api_latency(&self) -> Duration {
        Duration::from_millis(self.api_latency_ms.load(Ordering::SeqCst))
    }

    /// The configured secret(s) as given (comma-separated when several).
    pub(crate) fn secret(&self) -> String {
        self.secret
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every active webhook secret, in order.
    pub(crate) fn secrets(&self) -> Vec<String> {
        split_secrets(&self.secret())
    }

    /// Moves the clock forward and expires the sessions that became due
    /// (their `checkout.session.expired` events are dispatched); returns their ids.
    pub(crate) fn advance_clock(self: &Arc<Self>, secs: u64) -> Vec<String> {
        let secs = i64::try_from(secs).unwrap_or(i64::MAX / 2);
        self.clock_offset.fetch_add(secs, Ordering::SeqCst);
        let due = self.store().expire_due(self.now());
        let mut ids = Vec::new();
        for (session, event) in due {
            ids.push(session);
            webhook::dispatch(self, event, Deliver::Normal);
        }
        ids
    }

    pub(crate) fn webhook_url(&self) -> Option<String> {
        self.webhook_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The endpoint for the next delivery: with several comma-separated URLs,
    /// each delivery takes the next one in turn.
    pub(crate) fn next_webhook_url(&self) -> Option<String> {
        let configured = self.webhook_url()?;
        let urls: Vec<&str> = configured
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .collect();
        if urls.is_empty() {
            return None;
        }
        let turn = self.next_webhook.fetch_add(1, Ordering::Relaxed);
        Some(urls[turn % urls.len()].to_string())
    }
}

/// A running emulator. The server and its background tasks run on the tokio
/// runtime that called [`start`] until [`Emulator::shutdown`] (or the runtime
/// ends); dropping the handle does not stop them.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Serves the emulator on `listener` and starts the expiry task.
pub async fn start(listener: TcpListener, config: Config) -> Emulator {
    let mut addr = listener
        .local_addr()
        .expect("the listener has a local address");
    if addr.ip().is_unspecified() {
        addr.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    let base_url = format!("http://{addr}/");
    let public_url = match config.public_url {
        Some(url) if !url.trim().is_empty() => with_slash(url.trim()),
        _ => base_url.clone(),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        .build()
        .expect("a webhook HTTP client");
    let shared = Arc::new(Shared {
        base_url,
        public_url,
        secret: Mutex::new(config.webhook_secret),
        retry_base: config.retry_base,
        clock_offset: AtomicI64::new(0),
        api_latency_ms: AtomicU64::new(0),
        rate_limited_refunds: AtomicU64::new(0),
        lost_refund_responses: AtomicU64::new(0),
        rate_limited_expires: AtomicU64::new(0),
        webhook_url: Mutex::new(config.webhook_url.filter(|u| !u.trim().is_empty())),
        next_webhook: AtomicUsize::new(0),
        store: Mutex::new(Store::default()),
        http,
    });
    let router = router(shared.clone());
    let server = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::error!(%err, "stripe emulator server stopped");
        }
    });
    let expiry = tokio::spawn(webhook::expiry_loop(shared.clone()));
    tracing::info!(%addr, "stripe emulator listening");
    Emulator {
        addr,
        shared,
        tasks: vec![server, expiry],
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .nest("/v1", api::router())
        .merge(page::router())
        .merge(control::router())
        .with_state(shared)
}

impl Emulator {
    /// `http://127.0.0.1:PORT/` (with the trailing slash async-stripe needs).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL hosted payment pages are under (`{public_url}pay/{id}`).
    pub fn public_url(&self) -> String {
        self.shared.public_url.clone()
    }

    /// The secret webhooks are signed with, as configured (several
    /// comma-separated secrets during a rotation).
    pub fn webhook_secret(&self) -> String {
        self.shared.secret()
    }

    /// Every active webhook secret; each event carries one `v1=` signature per secret.
    pub fn webhook_secrets(&self) -> Vec<String> {
        self.shared.secrets()
    }

    /// Replaces the webhook secret(s) (comma-separated for a rotation); affects
    /// later deliveries. Same as `POST /_test/config` `{"webhook_secret": ...}`.
    pub fn set_webhook_secret(&self, secrets: &str) -> Result<(), String> {
        if split_secrets(secrets).is_empty() {
            return Err("webhook_secret must hold at least one secret".into());
        }
        *self.shared.secret.lock().unwrap_or_else(|e| e.into_inner()) = secrets.to_string();
        Ok(())
    }

    /// The emulator's clock (Unix seconds): the wall clock plus every
    /// [`Emulator::advance_clock`].
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Moves the emulator's clock forward by `secs` (same as `POST /_test/clock`
    /// `{"advance_secs": secs}`), and expires at once the open sessions whose
    /// `expires_at` is now past, sending `checkout.session.expired` for each.
    /// Returns the ids of the sessions it expired.
    pub fn advance_clock(&self, secs: u64) -> Vec<String> {
        self.shared.advance_clock(secs)
    }

    /// Delays API operations (create/expire session, refunds) by `latency`
    /// while their idempotency key is in flight (same as `POST /_test/config`
    /// `{"api_latency_ms": ...}`); zero (the default) turns it off.
    pub fn set_api_latency(&self, latency: Duration) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.shared.api_latency_ms.store(ms, Ordering::SeqCst);
    }

    /// Refuses the next `count` refund requests with Stripe's 429 `rate_limit`
    /// error, before doing anything (nothing saved under their keys), as Stripe
    /// does when refunds come faster than its limits (same as `POST
    /// /_test/config` `{"rate_limit_refunds": count}`).
    pub fn rate_limit_refunds(&self, count: u64) {
        self.shared
            .rate_limited_refunds
            .store(count, Ordering::SeqCst);
    }

    /// Makes the next `count` refunds (saved under their idempotency keys, the
    /// `charge.refunded` event sent) but cuts the connection before the answer
    /// is complete, as a network failure would (same as `POST /_test/config`
    /// `{"lose_refund_responses": count}`).
    pub fn lose_refund_responses(&self, count: u64) {
        self.shared
            .lost_refund_responses
            .store(count, Ordering::SeqCst);
    }

    /// Changes (or removes) the webhook endpoint; affects later deliveries.
    pub fn set_webhook_url(&self, url: Option<String>) {
        *self
            .shared
            .webhook_url
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = url;
    }

    /// Every session, oldest first, as the API renders them.
    pub fn sessions(&self) -> Vec<Value> {
        self.shared
            .store()
            .sessions
            .iter()
            .map(|s| s.to_json())
            .collect()
    }

    /// One session as the API renders it.
    pub fn session(&self, id: &str) -> Option<Value> {
        self.shared.store().session(id).map(|s| s.to_json())
    }

    /// Every event created, oldest first, with its delivery status
    /// (same shape as `GET /_test/events`).
    pub fn events(&self) -> Vec<Value> {
        self.shared
            .store()
            .events
            .iter()
            .map(|e| e.to_json())
            .collect()
    }

    /// Pays an open session as card 4242 would (same as `POST /_test/sessions/{id}/pay`).
    pub fn pay(&self, session_id: &str, deliver: Deliver) -> Result<Value, String> {
        control::pay_session(&self.shared, session_id, deliver, false).map_err(|e| e.message)
    }

    /// Expires an open session now (same as `POST /_test/sessions/{id}/expire`).
    pub fn expire(&self, session_id: &str, deliver: Deliver) -> Result<Value, String> {
        control::expire_session(&self.shared, session_id, deliver).map_err(|e| e.message)
    }

    /// Refunds a payment as the Stripe dashboard would (same as
    /// `POST /_test/payments/{payment_intent}/refund`): `amount` in minor units,
    /// `None` for the rest; sends `charge.refunded`. Returns the Refund.
    pub fn refund_payment(
        &self,
        payment_intent: &str,
        amount: Option<i64>,
        deliver: Deliver,
    ) -> Result<Value, String> {
        control::refund_payment_now(&self.shared, payment_intent, amount, deliver)
            .map_err(|e| e.message)
    }

    /// Opens a dispute on a succeeded payment (same as
    /// `POST /_test/payments/{payment_intent}/dispute`, reason `fraudulent`);
    /// sends `charge.dispute.created`. Returns the Dispute.
    pub fn dispute_payment(&self, payment_intent: &str, deliver: Deliver) -> Result<Value, String> {
        control::dispute_payment_now(&self.shared, payment_intent, None, deliver)
            .map_err(|e| e.message)
    }

    /// From now on, API calls on this session (retrieve, expire) answer a
    /// Stripe `api_error` with `status` (500..=599); same as
    /// `POST /_test/sessions/{id}/break`. Undo with [`Emulator::repair_session`].
    pub fn break_session(&self, session_id: &str, status: u16) -> Result<(), String> {
        control::break_session_now(&self.shared, session_id, status).map_err(|e| e.message)
    }

    /// From now on, the API answers 404 `resource_missing` for this session,
    /// as for a session of another account (same as
    /// `POST /_test/sessions/{id}/forget`); it expires without an event.
    pub fn forget_session(&self, session_id: &str) -> Result<(), String> {
        control::forget_session_now(&self.shared, session_id).map_err(|e| e.message)
    }

    /// Undoes [`Emulator::break_session`] and [`Emulator::forget_session`].
    pub fn repair_session(&self, session_id: &str) -> Result<(), String> {
        control::repair_session_now(&self.shared, session_id).map_err(|e| e.message)
    }

    /// Delivers an event once more, now; returns the status the endpoint answered.
    pub async fn deliver_event(&self, event_id: &str) -> Result<u16, String> {
        webhook::deliver_manually(&self.shared, event_id)
            .await
            .map(|(status, _)| status)
    }

    /// Stops the server and the background tasks.
    pub fn shutdown(&self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

pub(crate) fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// `a, b,` → `["a", "b"]`.
pub(crate) fn split_secrets(secrets: &str) -> Vec<String> {
    secrets
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Seconds since the Unix epoch, by the wall clock.
pub(crate) fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `prefix` followed by `len` random base-62 characters.
pub(crate) fn new_id(prefix: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(prefix.len() + len);
    out.push_str(prefix);
    while out.len() < prefix.len() + len {
        let mut n = uuid::Uuid::new_v4().as_u128();
        for _ in 0..20 {
            if out.len() == prefix.len() + len {
                break;
            }
            out.push(ALPHABET[(n % 62) as usize] as char);
            n /= 62;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_with(url: Option<&str>) -> Shared {
        Shared {
            base_url: String::new(),
            public_url: String::new(),
            secret: Mutex::new(String::new()),
            retry_base: Duration::from_millis(1),
            clock_offset: AtomicI64::new(0),
            api_latency_ms: AtomicU64::new(0),
            rate_limited_refunds: AtomicU64::new(0),
            lost_refund_responses: AtomicU64::new(0),
            rate_limited_expires: AtomicU64::new(0),
            webhook_url: Mutex::new(url.map(String::from)),
            next_webhook: AtomicUsize::new(0),
            store: Mutex::new(Store::default()),
            http: reqwest::Client::new(),
        }
    }

    #[test]
    fn one_webhook_url_is_always_used() {
        let shared = shared_with(Some("http://a/hook"));
        for _ in 0..3 {
            assert_eq!(shared.next_webhook_url().as_deref(), Some("http://a/hook"));
        }
        assert_eq!(shared_with(None).next_webhook_url(), None);
    }

    #[test]
    fn comma_separated_webhook_urls_take_turns() {
        let shared = shared_with(Some("http://a/hook, http://b/hook,"));
        let sent: Vec<_> = (0..4).filter_map(|_| shared.next_webhook_url()).collect();
        assert_eq!(
            sent,
            [
                "http://a/hook",
                "http://b/hook",
                "http://a/hook",
                "http://b/hook"
            ]
        );
    }
}
