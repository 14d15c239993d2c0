//! The shop probed as an attacker would: writes from other origins, redirects
//! after sign-in that leave the site or carry control characters, sign-in
//! lockouts, forged client addresses, checkouts from one address.

use crate::support;

use app::error::AppError;
use app::model::Role;
use base64::Engine;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{PASSWORD, create_user};

/// The shop's own origin in tests (APP_BASE_URL's default).
const OWN: &str = "http://127.0.0.1:3000";

async fn sign_in_with_headers(
    app: &support::TestApp,
    client: &reqwest::Client,
    email: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client
        .post(format!("{}/api/auth/sign_in", app.base_url))
        .form(&[("email", email), ("password", PASSWORD)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn signed_in_as(app: &support::TestApp, client: &reqwest::Client) -> Option<String> {
    let me: Option<app::model::UserView> =
        app.call(client, "auth/me", &[]).await.json().await.unwrap();
    me.map(|u| u.email)
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_sign_in_posted_from_another_site_is_refused(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "attacker@example.com", Role::Buyer).await;
    // The victim's browser, made to post the attacker's credentials by a page elsewhere.
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("origin", "http://127.0.0.1:3001")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("referer", "http://evil.example/attack.html")],
    ] {
        let victim = app.browser();
        let res = sign_in_with_headers(&app, &victim, "attacker@example.com", &headers).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(res.headers().get("set-cookie").is_none(), "{headers:?}");
        assert_eq!(res.text().await.unwrap(), server::same_origin::REFUSAL);
        assert_eq!(signed_in_as(&app, &victim).await, None, "{headers:?}");
    }
    // From the shop's own pages, with or without JavaScript.
    for headers in [
        vec![("origin", OWN)],
        vec![("sec-fetch-site", "same-origin")],
        vec![("referer", "http://127.0.0.1:3000/signin")],
    ] {
        let browser = app.browser();
        let res = sign_in_with_headers(&app, &browser, "attacker@example.com", &headers).await;
        assert_eq!(res.status(), StatusCode::OK, "{headers:?}");
        assert_eq!(
            signed_in_as(&app, &browser).await.as_deref(),
            Some("attacker@example.com")
        );
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_checkout_or_cart_write_from_another_site_changes_nothing(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "victim@example.com", Role::Buyer).await;
    let victim = app.signed_in("victim@example.com").await;
    let organizer = create_user(&db, "org@example.com", Role::Organizer).await;
    let ticket = support::published_listing(&db, organizer, "Gig", 0, 10).await;
    for endpoint in ["cart/add", "checkout/start", "auth/sign_out"] {
        let res = victim
            .post(format!("{}/api/{endpoint}", app.base_url))
            .header("origin", "http://evil.example")
            .form(&[
                ("picks[0][ticket_type_id]", ticket.to_string()),
                ("picks[0][quantity]", "2".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    let cart: app::model::CartView = app
        .call(&victim, "cart/view", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(cart.lines.is_empty());
    assert_eq!(
        signed_in_as(&app, &victim).await.as_deref(),
        Some("victim@example.com"),
        "not signed out either"
    );
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn after_sign_in_the_redirect_stays_on_the_site_and_never_crashes(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    for (next, expected) in [
        ("/orders", "/orders"),
        ("/\t/evil.example", "/account"),
        ("/\n/evil.example", "/account"),
        ("/\u{1}x", "/account"),
        ("//evil.example", "/account"),
        ("/\\evil.example", "/account"),
        ("https://evil.example/", "/account"),
        // Normalised into `//evil.example/` only after the first check.
        ("/.//evil.example/", "/account"),
        ("/x/..//evil.example/", "/account"),
    ] {
        let browser = app.browser();
        let res = app
            .call(
                &browser,
                "auth/sign_in",
                &[
                    ("email", "buyer@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{next:?}");
        assert_eq!(
            res.headers()["location"].to_str().unwrap(),
            expected,
            "{next:?}"
        );
    }
}

/// The shop behind a load balancer that appends the client's address to
/// `X-Forwarded-For`, with some limits set.
async fn behind_a_proxy(db: PgPool, vars: &[(&str, &str)]) -> support::TestApp {
    let mut all = vec![("CLIENT_IP_SOURCE", "RightmostXForwardedFor")];
    all.extend_from_slice(vars);
    support::spawn_with(db, &all).await
}

/// A sign-in as the load balancer tickets it on: `forwarded` is the header it sends.
async fn sign_in_via(
    app: &support::TestApp,
    forwarded: &str,
    email: &str,
    password: &str,
) -> StatusCode {
    app.browser()
        .post(format!("{}/api/auth/sign_in", app.base_url))
        .header("x-forwarded-for", forwarded)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

/// Signs in through the proxy and checks the answer.
async fn expect_sign_in(
    app: &support::TestApp,
    forwarded: &str,
    email: &str,
    password: &str,
    want: StatusCode,
) {
    let got = sign_in_via(app, forwarded, email, password).await;
    assert_eq!(got, want, "{email} from {forwarded}");
}

const STRANGER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.7";
const WRONG: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const LIMITED: StatusCode = StatusCode::TOO_MANY_REQUESTS;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_strangers_wrong_guesses_never_lock_the_owner_out(db: PgPool) {
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = behind_a_proxy(db, &[("AUTH_RATE_LIMIT_PER_ACCOUNT", "3")]).await;
    for _ in 0..3 {
        expect_sign_in(&app, STRANGER, "admin@example.com", "guess guess", WRONG).await;
    }
    // The stranger's client is throttled on this account, even with the right password.
    expect_sign_in(&app, STRANGER, "admin@example.com", "guess guess", LIMITED).await;
    expect_sign_in(&app, STRANGER, "admin@example.com", PASSWORD, LIMITED).await;
    // Forging the leftmost entry changes nothing: the proxy's own (rightmost) one counts.
    let forged = format!("{OWNER}, {STRANGER}");
    expect_sign_in(&app, &forged, "admin@example.com", "guess guess", LIMITED).await;
    // The owner, from elsewhere, signs in.
    expect_sign_in(&app, OWNER, "admin@example.com", PASSWORD, StatusCode::OK).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_burst_of_parallel_guesses_is_throttled_too(db: PgPool) {
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = behind_a_proxy(db, &[("AUTH_RATE_LIMIT_PER_ACCOUNT", "3")]).await;
    // Twenty guesses at once: each is counted before its password is checked.
    let answers = futures::future::join_all(
        (0..20).map(|_| sign_in_via(&app, STRANGER, "admin@example.com", "guess guess")),
    )
    .await;
    let wrong = answers.iter().filter(|s| **s == WRONG).count();
    let limited = answers.iter().filter(|s| **s == LIMITED).count();
    assert_eq!((wrong, limited), (3, 17), "{answers:?}");
    expect_sign_in(&app, OWNER, "admin@example.com", PASSWORD, StatusCode::OK).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_success_clears_that_clients_failures(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = behind_a_proxy(db, &[("AUTH_RATE_LIMIT_PER_ACCOUNT", "3")]).await;
    for _ in 0..2 {
        expect_sign_in(&app, OWNER, "ada@example.com", "typo typo", WRONG).await;
    }
    expect_sign_in(&app, OWNER, "ada@example.com", PASSWORD, StatusCode::OK).await;
    // Counted from zero again: two more typos are still just wrong.
    for _ in 0..2 {
        expect_sign_in(&app, OWNER, "ada@example.com", "typo typo", WRONG).await;
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn guessing_spread_over_many_addresses_meets_the_account_ceiling(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = behind_a_proxy(
        db,
        &[
            ("AUTH_RATE_LIMIT_PER_ACCOUNT", "3"),
            ("AUTH_RATE_LIMIT_PER_ACCOUNT_GLOBAL", "6"),
        ],
    )
    .await;
    for i in 1..=6 {
        let ip = format!("203.0.113.{i}");
        expect_sign_in(&app, &ip, "ada@example.com", "guess guess", WRONG).await;
    }
    expect_sign_in(
        &app,
        "203.0.113.7",
        "ada@example.com",
        "guess guess",
        LIMITED,
    )
    .await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_browser_that_signed_in_before_is_never_locked_out_by_others(db: PgPool) {
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = behind_a_proxy(db, &[]).await;
    // The owner's browser signed in once: it carries a device cookie since.
    let owner = app.browser();
    let sign_in = |client: &reqwest::Client, from: &str, password: &str| {
        client
            .post(format!("{}/api/auth/sign_in", app.base_url))
            .header("x-forwarded-for", from.to_string())
            .form(&[("email", "admin@example.com"), ("password", password)])
            .send()
    };
    let res = sign_in(&owner, OWNER, PASSWORD).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("ts_device=")),
        "a device cookie"
    );
    // Eleven addresses guess ten times each: past the account's ceiling.
    let mut limited = 0;
    for i in 1..=11 {
        for _ in 0..10 {
            let status = sign_in_via(
                &app,
                &format!("203.0.113.{i}"),
                "admin@example.com",
                "guess guess",
            )
            .await;
            assert!(status == WRONG || status == LIMITED, "{status}");
            limited += usize::from(status == LIMITED);
        }
    }
    assert_eq!(
        limited, 10,
        "the account's ceiling of 100 failures was reached"
    );
    // The owner, from a twelfth address, with the device cookie: at once.
    let res = sign_in(&owner, "198.51.100.12", PASSWORD).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A client the account has never seen meets the ceiling, password or not.
    expect_sign_in(
        &app,
        "198.51.100.13",
        "admin@example.com",
        PASSWORD,
        LIMITED,
    )
    .await;
    // Someone else's device cookie (or a forged one) is an unknown client.
    let forged = app.browser();
    let res = forged
        .post(format!("{}/api/auth/sign_in", app.base_url))
        .header("x-forwarded-for", "198.51.100.14")
        .header(
            "cookie",
            format!("ts_device={}.{}", "a".repeat(32), "b".repeat(64)),
        )
        .form(&[("email", "admin@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), LIMITED);
    // The device's own failures are limited too (10 per window).
    for _ in 0..10 {
        let res = sign_in(&owner, "198.51.100.12", "typo typo").await.unwrap();
        assert_eq!(res.status(), WRONG);
    }
    let res = sign_in(&owner, "198.51.100.12", PASSWORD).await.unwrap();
    assert_eq!(res.status(), LIMITED);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn failures_from_one_address_are_limited_across_accounts(db: PgPool) {
    let app = behind_a_proxy(db, &[("AUTH_RATE_LIMIT_PER_IP", "4")]).await;
    for i in 0..4 {
        let email = format!("someone{i}@example.com");
        expect_sign_in(&app, STRANGER, &email, "guess guess", WRONG).await;
    }
    expect_sign_in(
        &app,
        STRANGER,
        "someone9@example.com",
        "guess guess",
        LIMITED,
    )
    .await;
    expect_sign_in(&app, OWNER, "someone9@example.com", "guess guess", WRONG).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn checkouts_from_one_address_are_limited_across_buyers(db: PgPool) {
    let app = behind_a_proxy(
        db.clone(),
        &[("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "2")],
    )
    .await;
    let organizer = create_user(&db, "org@example.com", Role::Organizer).await;
    let ticket = support::published_listing(&db, organizer, "Free Gig", 0, 100).await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        let email = format!("account{i}@example.com");
        create_user(&db, &email, Role::Buyer).await;
        let buyer = app.browser();
        let signed_in = buyer
            .post(format!("{}/api/auth/sign_in", app.base_url))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("email", email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);
        for endpoint in ["cart/add", "checkout/start"] {
            let res = buyer
                .post(format!("{}/api/{endpoint}", app.base_url))
                .header("x-forwarded-for", STRANGER)
                .form(&[
                    ("picks[0][ticket_type_id]", ticket.to_string()),
                    ("picks[0][quantity]", "1".into()),
                ])
                .send()
                .await
                .unwrap();
            if endpoint == "checkout/start" {
                statuses.push(res.status());
            }
        }
    }
    assert_eq!(statuses, [StatusCode::OK, StatusCode::OK, LIMITED]);
}

/// The session id in a response's `Set-Cookie`, under the cookie's `name`.
fn session_id(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

async fn sign_in_fresh(app: &support::TestApp, email: &str) -> (reqwest::Client, String) {
    let browser = app.browser();
    let res = app
        .call(
            &browser,
            "auth/sign_in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = session_id(&res, "ts_session").expect("a session cookie");
    (browser, id)
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_session_in_valkey_holds_no_password_hash(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db.clone()).await;
    let (_, id) = sign_in_fresh(&app, "ada@example.com").await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    let key = app.state.valkey.key(&format!("session:{id}"));
    let stored: Option<Vec<u8>> = fred::prelude::KeysInterface::get(app.state.valkey.pool(), &key)
        .await
        .unwrap();
    let stored = stored.expect("the session is in Valkey under the prefix and its id");
    let text = String::from_utf8_lossy(&stored);
    assert!(
        !text.contains("argon2"),
        "the session copies the password hash"
    );
    assert!(!text.contains(&hash[hash.len() - 20..]));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_password_change_gives_the_session_a_new_id(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let (browser, before) = sign_in_fresh(&app, "ada@example.com").await;
    let res = app
        .call(
            &browser,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = session_id(&res, "ts_session").expect("a new session cookie");
    assert_ne!(before, after);
    // The old id is worth nothing; the browser carries on under the new one.
    let stale = reqwest::Client::new()
        .post(format!("{}/api/auth/me", app.base_url))
        .header("cookie", format!("ts_session={before}"))
        .send()
        .await
        .unwrap();
    let me: Option<app::model::UserView> = stale.json().await.unwrap();
    assert_eq!(me, None);
    assert_eq!(
        signed_in_as(&app, &browser).await.as_deref(),
        Some("ada@example.com")
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_session_in_use_outlives_the_idle_timeout(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn_with(db, &[("SESSION_IDLE_TIMEOUT_SECS", "4")]).await;
    let (browser, _) = sign_in_fresh(&app, "ada@example.com").await;
    // Used every second for seven seconds: longer than the idle timeout.
    for _ in 0..7 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert_eq!(
            signed_in_as(&app, &browser).await.as_deref(),
            Some("ada@example.com")
        );
    }
    // Then left alone past the timeout: signed out.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(signed_in_as(&app, &browser).await, None);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn under_https_the_session_cookie_is_host_only(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn_with(db, &[("APP_BASE_URL", "https://tickets.example")]).await;
    let res = app
        .browser()
        .post(format!("{}/api/auth/sign_in", app.base_url))
        .header("origin", "https://tickets.example")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("ts_session="))
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("__Host-ts_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_error_messages_the_server_made_are_shown(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    // A link crafted elsewhere, carrying a message of the attacker's choosing.
    let forged = AppError::Invalid {
        field: None,
        message: "Your account is locked: call 0900 FRAUD".into(),
    };
    // URL-safe base64 of the JSON, as Leptos encodes `__err`.
    let encoded =
        base64::engine::general_purpose::URL_SAFE.encode(serde_json::to_vec(&forged).unwrap());
    let res = app
        .get(&format!(
            "/signin?next=%2Forders&__path=%2Fapi%2Fauth%2Fsign_in&__err={encoded}"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/signin?next=%2Forders"
    );
    // Nor can a sign-in be made to sign it: `next` never carries an error on.
    let res = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", PASSWORD),
                (
                    "next",
                    &format!("/signin?__path=%2Fapi%2Fauth%2Fsign_in&__err={encoded}"),
                ),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), "/signin");
    // A form posted without JavaScript: the server's own error comes back, signed,
    // and the page shows it.
    let browser = app.browser();
    let res = browser
        .post(format!("{}/api/auth/sign_in", app.base_url))
        .header("accept", "text/html")
        .header("origin", OWN)
        .header("referer", format!("{}/signin", app.base_url))
        .form(&[("email", "ada@example.com"), ("password", "not it at all")])
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("__err=") && location.contains("__sig="),
        "{location}"
    );
    let path = location.replace(&app.base_url, "");
    let page = app.get_with(&browser, &path).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Wrong email or password.")
    );
    // The signature binds the message to the browser that got it: a program
    // that has one signed for itself cannot hand it to anybody else.
    let no_cookies = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for stranger in [app.browser(), no_cookies] {
        let res = app.get_with(&stranger, &path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.headers()["location"].to_str().unwrap(), "/signin");
    }
    // Nor can the expiry be moved.
    let moved = path.replace("__exp=", "__exp=9");
    let res = app.get_with(&browser, &moved).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{moved}");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_dropped_error_never_redirects_off_the_site(db: PgPool) {
    let app = support::spawn(db).await;
    for path in [
        "//evil.example/?__err=x",
        "//evil.example/?__path=%2Fx&__err=x&__exp=1&__sig=00",
        "/%5Cevil.example/?__err=x",
    ] {
        let res = app.get(path).await;
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        assert!(
            location
                .as_deref()
                .is_none_or(|l| l.starts_with('/') && !l.starts_with("//")),
            "{path}: {location:?}"
        );
        assert!(
            res.status().is_client_error() || res.status() == StatusCode::SEE_OTHER,
            "{path}"
        );
    }
    let res = app.get("//evil.example/?__err=x").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn pages_carry_a_nonce_policy_and_personal_pages_are_never_cached(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db.clone()).await;
    let browser = app.signed_in("ada@example.com").await;
    let home = app.get_with(&browser, "/").await;
    let headers = home.headers().clone();
    let policy = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src")
        .to_string();
    let html = home.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the policy's nonce"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert!(
        headers.get("strict-transport-security").is_none(),
        "not under http"
    );
    assert!(
        headers
            .get("cache-control")
            .is_none_or(|v| !v.to_str().unwrap().contains("no-store"))
    );
    // Each page gets its own nonce.
    let again = app.get_with(&browser, "/").await;
    assert_ne!(again.headers()["content-security-policy"], policy.as_str());

    for path in ["/account", "/orders", "/cart", "/api/orders/mine"] {
        let res = if path.starts_with("/api/") {
            app.call(&browser, "orders/mine", &[]).await
        } else {
            app.get_with(&browser, path).await
        };
        assert_eq!(
            res.headers()["cache-control"],
            "private, no-store",
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn under_https_browsers_are_told_to_stay_on_https(db: PgPool) {
    let app = support::spawn_with(db, &[("APP_BASE_URL", "https://tickets.example")]).await;
    let res = app.get("/").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}

/// A server function call as the load balancer tickets it on from `ip`.
async fn call_via(
    app: &support::TestApp,
    client: &reqwest::Client,
    ip: &str,
    endpoint: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{endpoint}", app.base_url))
        .header("x-forwarded-for", ip)
        .form(form)
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_guest_cart_cannot_grow_without_bound(db: PgPool) {
    let app = behind_a_proxy(db.clone(), &[("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "25")]).await;
    let organizer = create_user(&db, "org@example.com", Role::Organizer).await;
    let mut listings = Vec::new();
    for i in 0..21 {
        listings
            .push(support::published_listing(&db, organizer, &format!("Gig {i}"), 1000, 10).await);
    }
    let guest = app.browser();
    let add = |ticket: uuid::Uuid| {
        [
            ("picks[0][ticket_type_id]", ticket.to_string()),
            ("picks[0][quantity]", "1".to_string()),
        ]
    };
    for ticket in &listings[..20] {
        let res = call_via(&app, &guest, STRANGER, "cart/add", &add(*ticket)).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = call_via(&app, &guest, STRANGER, "cart/add", &add(listings[20])).await;
    assert_eq!(res.status(), WRONG);
    let err = support::app_error(res).await;
    assert!(err.to_string().contains("at most 20"), "{err}");
    // Unknown tickets never become lines, whichever way they are sent.
    let set = |ticket_type: uuid::Uuid| {
        [
            ("ticket_type_id", ticket_type.to_string()),
            ("quantity", "1".to_string()),
        ]
    };
    let unknown = set(uuid::Uuid::new_v4());
    assert_eq!(
        call_via(&app, &guest, STRANGER, "cart/set", &unknown)
            .await
            .status(),
        StatusCode::OK
    );
    let cart: app::model::CartView = app
        .call(&guest, "cart/view", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cart.lines.len(), 20);
    // 22 writes so far: three more, then the address is slowed down.
    for _ in 0..3 {
        let res = call_via(&app, &guest, STRANGER, "cart/set", &set(listings[0])).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = call_via(&app, &guest, STRANGER, "cart/set", &set(listings[0])).await;
    assert_eq!(res.status(), LIMITED);
    let other = call_via(&app, &app.browser(), OWNER, "cart/add", &add(listings[0])).await;
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another address is not affected"
    );
}

/// Sends `body` to `path` in chunks of 16 KiB (no `Content-Length`), as a
/// program streaming it would, and answers the status line.
async fn post_chunked(app: &support::TestApp, path: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {OWN}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(16 * 1024) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        // The server may answer (and close) before it has read everything.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_chunked_body_over_the_limit_is_413_like_a_sized_one(db: PgPool) {
    let app = support::spawn(db).await;
    let email = format!("email={}", "a".repeat(300 * 1024));
    let status = post_chunked(&app, "/api/auth/forgot_password", email.as_bytes()).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    // The same as a sized body.
    let res = app
        .browser()
        .post(format!("{}/api/auth/forgot_password", app.base_url))
        .header("origin", OWN)
        .body(email.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A chunked body under the limit is read as usual (a malformed address: 422).
    let status = post_chunked(&app, "/api/auth/forgot_password", b"email=not-an-address").await;
    assert!(status.starts_with("HTTP/1.1 422"), "{status}");
}
