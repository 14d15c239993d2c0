//! The shop probed as an attacker would: writes from other origins, redirects
//! after sign-in that leave the site or carry control characters.

mod support;

use app::model::Role;
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
            .form(&[("ticket_id", ticket.to_string()), ("quantity", "2".into())])
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
