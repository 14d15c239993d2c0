//! What an operator sees: Prometheus metrics (requests by route and status, the
//! shop's own counters and gauges), the request id on every answer, and
//! `/metrics` kept off the public port unless a request bears `METRICS_TOKEN`.
//! The recorder is one per process: this is a test binary of its own, and its
//! tests run one at a time, so a figure grows by exactly what a test did.

mod support;

use reqwest::StatusCode;
use sqlx::PgPool;
use support::shop::{buyer_with_cart, checked_out, listing, shop, until_status};

/// Held by each test: nothing else in this process moves the counters meanwhile.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The value of the sample `name{labels...}` in Prometheus text, 0 when absent.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter(|(series, _)| {
            let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
            metric == name
                && labels
                    .iter()
                    .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")))
        })
        .map(|(_, value)| value.parse::<f64>().expect("a number"))
        .sum()
}

async fn metrics(app: &support::TestApp) -> String {
    let res = app
        .client
        .get(format!("{}/metrics", app.base_url))
        .bearer_auth(support::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    res.text().await.unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn metrics_count_requests_by_route_and_the_shops_own_numbers(db: PgPool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    let shop = shop(db.clone()).await;
    let app = &shop.app;
    let before = metrics(app).await;
    let healthz = [("route", "/healthz"), ("status", "200"), ("method", "GET")];
    for _ in 0..3 {
        app.get("/healthz").await;
    }
    // A page by its pattern, never by its id.
    let event = uuid::Uuid::new_v4();
    assert_eq!(
        app.get(&format!("/events/{event}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // A reservation, paid through the emulator and its webhook.
    let ticket = listing(&db, 5).await;
    let (_buyer, order, session) = checked_out(&shop, ticket, 2).await;
    shop.control(&format!("sessions/{session}/pay")).await;
    until_status(&db, order, "paid").await;

    let after = metrics(app).await;
    let grew = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    assert_eq!(grew("http_requests_total", &healthz), 3.0, "{after}");
    assert_eq!(
        grew(
            "http_requests_total",
            &[("route", "/events/{id}"), ("status", "404")]
        ),
        1.0
    );
    assert!(!after.contains(&event.to_string()), "no raw ids in labels");
    assert_eq!(
        grew(
            "http_request_duration_seconds_count",
            &[("route", "/healthz")]
        ),
        3.0
    );
    assert_eq!(grew("shop_reservations_total", &[("outcome", "made")]), 1.0);
    assert_eq!(grew("shop_orders_total", &[("status", "paid")]), 1.0);
    assert_eq!(
        grew(
            "shop_webhook_events_total",
            &[
                ("type", "checkout.session.completed"),
                ("outcome", "applied")
            ]
        ),
        1.0
    );
    // Gauges read at the scrape.
    assert!(sample(&after, "shop_db_pool_max_connections", &[]) >= 1.0);
    assert!(after.contains("shop_db_pool_connections{state=\"idle\"}"));
    assert!(after.contains("shop_outbox_backlog "));
    assert!(after.contains("shop_overdue_holds "));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn refused_reservations_are_counted_by_reason(db: PgPool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 1).await;
    let before = metrics(&shop.app).await;
    let (_first, _, _) = checked_out(&shop, ticket, 1).await;
    let (second, _) = buyer_with_cart(&shop, ticket, 1).await;
    let res = shop.app.call(&second, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after = metrics(&shop.app).await;
    let refused = [("outcome", "refused"), ("reason", "sold_out")];
    assert_eq!(
        sample(&after, "shop_reservations_total", &refused)
            - sample(&before, "shop_reservations_total", &refused),
        1.0,
        "{after}"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn browser_checks_are_counted_with_what_verifying_them_cost(db: PgPool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    let shop = shop(db.clone()).await;
    let ticket = listing(&db, 10).await;
    let event: uuid::Uuid = sqlx::query_scalar(
        "UPDATE events SET queue_enabled = true
         WHERE id = (SELECT event_id FROM ticket_types WHERE id = $1) RETURNING id",
    )
    .bind(ticket)
    .fetch_one(&db)
    .await
    .unwrap();
    let before = metrics(&shop.app).await;
    // One check passed; one unsolved, refused.
    let res = support::join_queue(&shop.app.base_url, &shop.app.browser(), event).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let browser = shop.app.browser();
    let url = format!("{}/events/{event}/queue/join", shop.app.base_url);
    browser.get(&url).send().await.unwrap();
    let page = browser
        .get(format!("{url}?cookies=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let challenge = support::challenge_on(&page).expect("a check page");
    let res = browser
        .post(&url)
        .form(&[
            ("challenge", challenge.text.as_str()),
            ("solution", &["0"; 8].join(".")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after = metrics(&shop.app).await;
    let grew = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    assert_eq!(
        grew("shop_queue_checks_verified_total", &[]),
        2.0,
        "{after}"
    );
    assert_eq!(
        grew("shop_queue_checks_refused_total", &[("reason", "unsolved")]),
        1.0
    );
    let nanos = grew("shop_queue_check_verify_nanoseconds_total", &[]);
    // Eight hashes and an HMAC: more than nothing, far less than a millisecond.
    assert!(nanos > 0.0 && nanos < 2_000_000.0, "{nanos}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn every_answer_carries_a_request_id_and_a_given_one_is_kept(db: PgPool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    let app = support::spawn(db).await;
    let res = app.get("/healthz").await;
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::try_parse(id).is_ok(), "{id}");
    let res = reqwest::Client::new()
        .get(format!("{}/healthz", app.base_url))
        .header("x-request-id", "from-the-balancer-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "from-the-balancer-42");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn metrics_are_never_public_without_the_token(db: PgPool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    // No METRICS_TOKEN: not on the public port at all.
    let app = support::spawn_with(db.clone(), &[("METRICS_TOKEN", "")]).await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    // With one: only for those bearing it.
    let app = support::spawn(db).await;
    let url = format!("{}/metrics", app.base_url);
    for auth in [
        None,
        Some("Bearer wrong-token-0123456789"),
        Some("Bearer "),
        Some("Basic dGVzdDp0ZXN0"),
        Some(&format!("Bearer {}x", support::METRICS_TOKEN) as &str),
    ] {
        let mut request = app.client.get(&url);
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(
            !res.text().await.unwrap().contains("shop_db_pool"),
            "{auth:?}"
        );
    }
    assert!(metrics(&app).await.contains("shop_db_pool_max_connections"));
    // Its own listener (METRICS_ADDR, loopback by default) needs no token.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve(
        listener,
        server::metrics::router(app.state.clone()),
        std::future::pending(),
    ));
    let res = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("shop_db_pool_max_connections")
    );
}
