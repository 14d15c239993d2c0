//! Faults the shop must survive, each kept short: a server instance killed in
//! the middle of checkouts, and in the middle of sending mail, Valkey
//! restarted, PostgreSQL restarted, and every webhook of a run replayed five
//! times in random order.
//!
//! Valkey and PostgreSQL are restarted as private, throw-away servers so the
//! other tests (which share the project's) are not disturbed.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::backend::orders::reserve::{Reservation, reserve};
use app::error::AppError;
use app::model::Role;
use futures::future::join_all;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::mail::MailCatcher;
use support::scratch::{ScratchPostgres, ScratchValkey, free_port};
use support::shop::{SECRET, checked_out, listing, run_out_hold, shop, until_status};
use support::{TestApp, app_error, create_user, eventually, fixtures};
use uuid::Uuid;

/// A client that gives up instead of hanging, so a stuck request fails the test.
fn impatient() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .expect("http client")
}

/// The URL a child process reaches this test's database at.
async fn url_of(db: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let (server, _) = base.rsplit_once('/').expect("DATABASE_URL ends in /DBNAME");
    format!("{server}/{name}")
}

/// The ticket type's counters (quantity, reserved, sold) and orders by status.
async fn ledger(db: &PgPool, ticket: Uuid) -> ((i32, i32, i32), BTreeMap<String, i64>) {
    let seats = sqlx::query_as("SELECT quantity, reserved, sold FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(db)
        .await
        .unwrap();
    let orders: Vec<(String, i64)> =
        sqlx::query_as("SELECT status::text, count(*) FROM orders GROUP BY 1")
            .fetch_all(db)
            .await
            .unwrap();
    (seats, orders.into_iter().collect())
}

/// No order is half-written, and the seats held are exactly the pending orders'.
async fn assert_books_balance(db: &PgPool, ticket: Uuid) {
    let without_lines: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(without_lines, 0, "orders without lines");
    let (held, sold): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(i.quantity) FILTER (WHERE o.status = 'pending'), 0)::bigint,
                coalesce(sum(i.quantity) FILTER (WHERE o.status = 'paid'), 0)::bigint
         FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.ticket_type_id = $1",
    )
    .bind(ticket)
    .fetch_one(db)
    .await
    .unwrap();
    let ((_, reserved, sold_counter), _) = ledger(db, ticket).await;
    assert_eq!(
        (reserved as i64, sold_counter as i64),
        (held, sold),
        "counters vs orders"
    );
}

/// The server binary running as its own process, killed for real.
struct ServerProcess {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl ServerProcess {
    async fn start(port: u16, vars: &[(&str, String)]) -> Self {
        let log =
            std::env::temp_dir().join(format!("ts-fault-server-{port}-{}.log", Uuid::new_v4()));
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "ticket-sales")
            .env("LEPTOS_SITE_ROOT", "../target/site")
            .env("LEPTOS_ENV", "PROD")
            .env("APP_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("server log"))
            .spawn()
            .expect("server binary starts");
        let server = ServerProcess {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let ready = format!("{}/readyz", server.base_url);
        let http = impatient();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(res) = http.get(&ready).send().await
                && res.status() == StatusCode::OK
            {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "server on {port} never became ready:\n{}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, no chance to clean up.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Result<reqwest::Response> {
        client
            .post(format!("{}/api/{endpoint}", self.base_url))
            .form(form)
            .send()
            .await
    }

    async fn sign_in(&self, email: &str) -> reqwest::Client {
        let client = impatient();
        let res = self
            .call(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", support::PASSWORD)],
            )
            .await
            .expect("sign-in answered");
        assert_eq!(res.status(), StatusCode::OK, "sign-in on {}", self.base_url);
        client
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_instance_killed_mid_send_leaves_exactly_one_message(db: PgPool) {
    // Instance A's mail server accepts connections and never answers: A's
    // worker has claimed the confirmation and is mid-conversation when A is
    // killed. Instance B sends it to the real catcher once A's lease is over.
    let stuck_smtp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let stuck_url = format!("smtp://shop:x@{}", stuck_smtp.local_addr().unwrap());
    let catcher = MailCatcher::start().await;
    let event = fixtures::event(&db).title("Killed Mid-Send").create().await;
    let buyer = create_user(&db, "mailed@example.com", Role::Buyer).await;
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    let shared = vec![
        ("DATABASE_URL", url_of(&db).await),
        ("DATABASE_MAX_CONNECTIONS", "5".into()),
        ("VALKEY_URL", support::valkey_url()),
        ("VALKEY_PREFIX", format!("fault:{}:", Uuid::new_v4())),
        ("APP_SECRET", "one secret for every instance".into()),
        ("MAIL_POLL_INTERVAL_SECS", "1".into()),
        ("MAIL_LEASE_SECS", "3".into()),
    ];
    let with_smtp = |url: &str| {
        let mut vars = shared.clone();
        vars.push(("SMTP_URL", url.to_string()));
        vars
    };
    let attempts = || async {
        sqlx::query_as::<_, (i32, bool)>(
            "SELECT attempts, sent_at IS NOT NULL FROM outbox WHERE about = $1",
        )
        .bind(order)
        .fetch_one(&db)
        .await
        .unwrap()
    };
    let mut a = ServerProcess::start(free_port(), &with_smtp(&stuck_url)).await;
    eventually(
        Duration::from_secs(10),
        "instance A to claim the message",
        || async { attempts().await.0 == 1 },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.kill();
    assert_eq!(attempts().await, (1, false), "A never recorded it");

    let _b = ServerProcess::start(free_port(), &with_smtp(&catcher.smtp_url())).await;
    let mail = catcher.wait_for("mailed@example.com", 1).await;
    assert_eq!(mail[0]["subject"], "Your tickets for Killed Mid-Send");
    eventually(
        Duration::from_secs(5),
        "B to record the message sent",
        || async { attempts().await.1 },
    )
    .await;
    // B's worker keeps polling: nothing is sent again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        catcher.to("mailed@example.com").await.len(),
        1,
        "exactly one"
    );
    assert_eq!(attempts().await, (2, true));
    drop(stuck_smtp);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_instance_killed_mid_checkout_loses_no_stock(db: PgPool) {
    // Instance A's Stripe accepts connections and never answers, so its
    // checkouts commit their holds and are then caught waiting: that is when
    // it is killed. Instance B talks to the emulator and carries on.
    let stuck_stripe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let stuck_stripe_url = format!("http://{}/", stuck_stripe.local_addr().unwrap());
    let (port_a, port_b) = (free_port(), free_port());
    let emulator = stripe_emulator::start(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        stripe_emulator::Config {
            webhook_url: Some(format!("http://127.0.0.1:{port_b}/stripe/webhook")),
            webhook_secret: SECRET.into(),
            public_url: None,
            retry_base: Duration::from_millis(50),
        },
    )
    .await;
    let shared = vec![
        ("DATABASE_URL", url_of(&db).await),
        ("DATABASE_MAX_CONNECTIONS", "5".into()),
        ("VALKEY_URL", support::valkey_url()),
        ("VALKEY_PREFIX", format!("fault:{}:", Uuid::new_v4())),
        ("STRIPE_SECRET_KEY", "sk_test_fault".into()),
        ("STRIPE_WEBHOOK_SECRET", SECRET.into()),
        ("SWEEPER_INTERVAL_SECS", "1".into()),
        ("AUTH_RATE_LIMIT_PER_IP", "1000".into()),
    ];
    let with_stripe = |url: &str| {
        let mut vars = shared.clone();
        vars.push(("STRIPE_API_BASE", url.to_string()));
        vars
    };
    let mut a = ServerProcess::start(port_a, &with_stripe(&stuck_stripe_url)).await;
    let b = ServerProcess::start(port_b, &with_stripe(&emulator.base_url())).await;

    let ticket = listing(&db, 10).await;
    let mut buyers = Vec::new();
    for n in 0..6 {
        let email = format!("rush-{n}@example.com");
        create_user(&db, &email, Role::Buyer).await;
        let client = a.sign_in(&email).await;
        let added = a
            .call(
                &client,
                "cart/add",
                &[
                    ("picks[0][ticket_type_id]", &ticket.to_string()),
                    ("picks[0][quantity]", "1"),
                ],
            )
            .await
            .unwrap();
        assert_eq!(added.status(), StatusCode::OK);
        buyers.push(client);
    }
    let checkouts: Vec<_> = buyers
        .iter()
        .map(|client| {
            let (client, url) = (client.clone(), a.base_url.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{url}/api/checkout/start"))
                    .send()
                    .await
            })
        })
        .collect();
    eventually(
        Duration::from_secs(20),
        "six holds on instance A",
        || async { ledger(&db, ticket).await.0.1 == 6 },
    )
    .await;
    a.kill();
    for checkout in checkouts {
        assert!(
            checkout.await.unwrap().is_err(),
            "a checkout answered although its instance was killed"
        );
    }
    assert_books_balance(&db, ticket).await;

    // B serves meanwhile; A comes back, now with a Stripe that answers.
    let survivor = impatient();
    assert_eq!(
        survivor
            .get(format!("{}/readyz", b.base_url))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let a = ServerProcess::start(port_a, &with_stripe(&emulator.base_url())).await;
    // The holds run out (moved forward: the shortest configurable hold is a minute).
    sqlx::query(
        "UPDATE orders SET reserved_until = now() - interval '1 second' WHERE status = 'pending'",
    )
    .execute(&db)
    .await
    .unwrap();
    eventually(
        Duration::from_secs(20),
        "the sweepers to release every hold",
        || async {
            let ((_, reserved, _), orders) = ledger(&db, ticket).await;
            reserved == 0 && !orders.contains_key("pending")
        },
    )
    .await;
    assert_books_balance(&db, ticket).await;
    let ((stock, reserved, sold), orders) = ledger(&db, ticket).await;
    assert_eq!(
        (stock, reserved, sold),
        (10, 0, 0),
        "every seat is back on sale"
    );
    assert_eq!(orders.get("expired"), Some(&6), "{orders:?}");

    // And the seats sell again, through the restarted instance.
    let res = a.call(&buyers[0], "checkout/start", &[]).await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("/pay/cs_")
    );
    assert_eq!(ledger(&db, ticket).await.0, (10, 1, 0));
    drop(b);
}

async fn add_to_cart(app: &TestApp, client: &reqwest::Client, ticket: Uuid) -> reqwest::Response {
    app.call(
        client,
        "cart/add",
        &[
            ("picks[0][ticket_type_id]", &ticket.to_string()),
            ("picks[0][quantity]", "2"),
        ],
    )
    .await
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_valkey_restart_loses_carts_at_most_and_the_server_reconnects(db: PgPool) {
    let port = free_port();
    let mut valkey = ScratchValkey::start(port).await;
    let app = support::spawn_with_state(support::state_for(db.clone(), &valkey.url()).await).await;
    let ticket = listing(&db, 10).await;
    create_user(&db, "cart@example.com", Role::Buyer).await;
    let holder = create_user(&db, "holder@example.com", Role::Buyer).await;
    let buyer = app.signed_in("cart@example.com").await;
    assert_eq!(
        add_to_cart(&app, &buyer, ticket).await.status(),
        StatusCode::OK
    );
    // A hold taken before the outage, which must come through it exactly.
    let Reservation::New(order) = reserve(
        &db,
        holder,
        &BTreeMap::from([(ticket, 3)]),
        Duration::from_secs(600),
    )
    .await
    .unwrap() else {
        panic!("a new reservation")
    };
    let before = ledger(&db, ticket).await;

    valkey.kill();
    let res = app.call(&buyer, "cart/view", &[]).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app_error(res).await, AppError::SessionsUnavailable);
    let page = app.get_with(&buyer, "/cart").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("if your cart is empty then, add your tickets again")
    );
    // A guest cannot start a cart now either, and is told the same.
    let res = add_to_cart(&app, &app.browser(), ticket).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app_error(res).await, AppError::SessionsUnavailable);
    // Pages that need no session still work: the catalogue lives in PostgreSQL.
    let res = app
        .call(&app.browser(), "catalogue/search", &[("query[q]", "")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        before,
        ledger(&db, ticket).await,
        "an outage changes no order or seat"
    );

    // Valkey comes back empty (no persistence): the client reconnects by itself.
    let valkey = ScratchValkey::start(port).await;
    eventually(
        Duration::from_secs(20),
        "the server to reconnect to Valkey",
        || async {
            app.call(
                &app.browser(),
                "auth/sign_in",
                &[
                    ("email", "cart@example.com"),
                    ("password", support::PASSWORD),
                ],
            )
            .await
            .status()
                == StatusCode::OK
        },
    )
    .await;
    // The old session went with Valkey: that browser is a guest with an empty cart now.
    let res = app.call(&buyer, "cart/view", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cart: serde_json::Value = res.json().await.unwrap();
    assert_eq!(cart["lines"], serde_json::json!([]), "{cart}");
    // Signing in again, the cart works again.
    let buyer = app.signed_in("cart@example.com").await;
    assert_eq!(
        add_to_cart(&app, &buyer, ticket).await.status(),
        StatusCode::OK
    );
    // Orders and stock never lived in Valkey.
    assert_eq!(before, ledger(&db, ticket).await);
    let status: String = sqlx::query_scalar("SELECT status::text FROM orders WHERE id = $1")
        .bind(order.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "pending");
    drop(valkey);
}

#[tokio::test]
async fn a_postgres_restart_fails_requests_clearly_then_the_pool_recovers() {
    let pg = ScratchPostgres::new();
    let admin = sqlx::PgPool::connect(&pg.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE shop")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    // The pool exactly as the server makes it.
    let db = app::backend::db::connect_lazy(&pg.url("shop"), 5).unwrap();
    server::MIGRATOR.run(&db).await.unwrap();
    let ticket = listing(&db, 10).await;
    let app = support::spawn(db.clone()).await;
    let http = impatient();
    let search = |http: reqwest::Client| {
        let url = format!("{}/api/catalogue/search", app.base_url);
        async move {
            http.post(url)
                .form(&[("query[q]", "paid")])
                .send()
                .await
                .unwrap()
        }
    };
    let res = search(http.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(&ticket.to_string()));

    pg.stop();
    let ready = http
        .get(format!("{}/readyz", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        ready
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("postgres")
    );
    let res = search(http.clone()).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = res.text().await.unwrap();
    let err: AppError = serde_json::from_str(&body).expect("an AppError");
    assert_eq!(
        err.to_string(),
        "The shop is temporarily unavailable. Please try again in a moment."
    );
    let page = http
        .get(format!("{}/events/{ticket}", app.base_url))
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        page.contains("temporarily unavailable"),
        "the page says what is wrong"
    );
    for leak in ["sqlx", "Connection refused", "pool timed out", "os error"] {
        assert!(
            !body.contains(leak) && !page.contains(leak),
            "{leak} reached the user"
        );
    }

    pg.start();
    eventually(Duration::from_secs(20), "the pool to recover", || async {
        search(http.clone()).await.status() == StatusCode::OK
    })
    .await;
    let ready = http
        .get(format!("{}/readyz", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let res = search(http.clone()).await;
    assert!(res.text().await.unwrap().contains(&ticket.to_string()));
}

/// Everything a replay could change.
async fn outcome(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT format('order %s %s refund=%s tickets=%s', o.id, o.status,
                       o.stripe_refund_id IS NOT NULL,
                       (SELECT count(*) FROM tickets p WHERE p.order_id = o.id))
         FROM orders o
         UNION ALL
         SELECT format('ticket type %s %s/%s/%s', id, quantity, reserved, sold) FROM ticket_types
         UNION ALL
         SELECT format('event %s %s/%s', id, reserved, sold) FROM events
         ORDER BY 1",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn every_webhook_replayed_five_times_in_random_order_changes_nothing(db: PgPool) {
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 4).await;
    // A run with every outcome: paid, expired, and paid after its hold was
    // released with no seats left (refunded).
    let (_, paid, paid_session) = checked_out(&shop, ticket, 2).await;
    shop.control(&format!("sessions/{paid_session}/pay")).await;
    until_status(&db, paid, "paid").await;
    let (_, expired, expired_session) = checked_out(&shop, ticket, 2).await;
    shop.control(&format!("sessions/{expired_session}/expire"))
        .await;
    until_status(&db, expired, "expired").await;
    let (_, late, late_session) = checked_out(&shop, ticket, 1).await;
    run_out_hold(&db, late).await;
    app::backend::orders::release::release_overdue(&db, late)
        .await
        .unwrap();
    let (_, _, filler_session) = checked_out(&shop, ticket, 2).await;
    shop.control(&format!("sessions/{filler_session}/pay"))
        .await;
    shop.control(&format!("sessions/{late_session}/pay")).await;
    eventually(
        Duration::from_secs(10),
        "every webhook to be handled",
        || async {
            let statuses: Vec<String> = sqlx::query_scalar(
            "SELECT status::text FROM orders WHERE id = ANY($1) ORDER BY array_position($1, id)",
        )
        .bind(vec![paid, expired, late])
        .fetch_all(&db)
        .await
        .unwrap();
            let refunded: bool =
                sqlx::query_scalar("SELECT stripe_refund_id IS NOT NULL FROM orders WHERE id = $1")
                    .bind(late)
                    .fetch_one(&db)
                    .await
                    .unwrap();
            statuses == ["paid", "expired", "refunded"] && refunded
        },
    )
    .await;
    let settled = outcome(&db).await;

    // Five copies of every event, shuffled, several in flight at once.
    let events = shop.events().await;
    assert!(events.len() >= 4, "{events:?}");
    let mut deliveries: Vec<(Uuid, String)> = events
        .iter()
        .flat_map(|event| {
            let id = event["id"].as_str().unwrap().to_string();
            (0..5).map(move |_| (Uuid::new_v4(), id.clone()))
        })
        .collect();
    deliveries.sort();
    for batch in deliveries.chunks(4) {
        let answers = join_all(batch.iter().map(|(_, id)| shop.emulator.deliver_event(id))).await;
        for answer in answers {
            assert_eq!(answer, Ok(200), "a replay was not acknowledged");
        }
    }
    assert_eq!(settled, outcome(&db).await, "replays changed the outcome");
    let refunds = shop.listed("refunds").await;
    assert_eq!(
        refunds.len(),
        1,
        "one refund, however often it is told: {refunds:?}"
    );
}

/// A throw-away CA and a certificate for 127.0.0.1 signed by it (openssl).
fn test_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=Ticket Sales test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "valkey.key",
        "-out",
        "valkey.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("valkey.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "valkey.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "valkey.pem",
        "-extfile",
        "valkey.ext",
    ]);
}

/// `rediss://` (TLS, as managed Valkey services require): the server connects
/// and checks the certificate against the system's CAs (here SSL_CERT_FILE,
/// which rustls reads as the system's). A certificate nobody vouches for, or
/// plain text to the TLS port, leaves Valkey down (and the instance degraded).
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn valkey_over_tls_with_a_rediss_url(db: PgPool) {
    let dir = std::env::temp_dir().join(format!("ts-tls-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    test_certificates(&dir);
    let file = |name: &str| dir.join(name).display().to_string();
    let port = free_port();
    let tls_port = port.to_string();
    let _valkey = ScratchValkey::start_with(
        port,
        &[
            "--port",
            "0",
            "--tls-port",
            &tls_port,
            "--tls-cert-file",
            &file("valkey.pem"),
            "--tls-key-file",
            &file("valkey.key"),
            "--tls-ca-cert-file",
            &file("ca.pem"),
            "--tls-auth-clients",
            "no",
        ],
    )
    .await;
    let database = url_of(&db).await;
    let valkey_of = |server: &ServerProcess| {
        let ready = format!("{}/readyz", server.base_url);
        async move {
            let body: serde_json::Value = impatient()
                .get(ready)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["valkey"].as_str().unwrap().to_string()
        }
    };
    let tls = format!("rediss://127.0.0.1:{port}");
    let trusted = ServerProcess::start(
        free_port(),
        &[
            ("DATABASE_URL", database.clone()),
            ("VALKEY_URL", tls.clone()),
            ("SSL_CERT_FILE", file("ca.pem")),
        ],
    )
    .await;
    eventually(Duration::from_secs(10), "valkey up over TLS", || async {
        valkey_of(&trusted).await == "up"
    })
    .await;
    // The session store goes through the same connection: sign-in works.
    create_user(&db, "tls@example.com", Role::Buyer).await;
    trusted.sign_in("tls@example.com").await;

    for (url, ca, what) in [
        (tls.clone(), None, "a certificate no system CA signed"),
        (
            format!("redis://127.0.0.1:{port}"),
            Some(file("ca.pem")),
            "plain text to the TLS port",
        ),
    ] {
        let mut vars = vec![("DATABASE_URL", database.clone()), ("VALKEY_URL", url)];
        if let Some(ca) = ca {
            vars.push(("SSL_CERT_FILE", ca));
        }
        let server = ServerProcess::start(free_port(), &vars).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(valkey_of(&server).await, "down", "{what}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
