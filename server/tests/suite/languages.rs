//! The shop in the visitor's language: chosen from the first request, switched
//! in the header, kept on the account.

use crate::support::{self, fixtures};

use app::backend::seed::seed_demo;
use app::error::AppError;
use app::model::{CheckoutRefusal, Role};
use reqwest::StatusCode;
use sqlx::PgPool;

async fn page(
    app: &support::TestApp,
    client: &reqwest::Client,
    path: &str,
    accept: &str,
) -> String {
    let res = client
        .get(format!("{}{path}", app.base_url))
        .header("accept", "text/html")
        .header("accept-language", accept)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let vary = res
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(
        vary.iter().any(|v| v.contains("Accept-Language")),
        "pages vary by language: {vary:?}"
    );
    res.text().await.unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_german_browser_gets_the_shop_in_german_from_the_first_request(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db).await;
    let client = app.browser();

    let html = page(&app, &client, "/", "de-DE,de;q=0.9,en;q=0.8").await;
    assert!(
        html.contains(r#"<html lang="de""#),
        "the document says its language"
    );
    assert!(
        html.contains("Finden Sie Ihren nächsten Abend"),
        "the heading in German"
    );
    assert!(
        html.contains("Veranstaltungen sortieren"),
        "the island's words in German"
    );
    assert!(html.contains("25,00\u{a0}£"), "money as German writes it");
    assert!(html.contains("Nur noch 8"), "the low-stock badge in German");
    assert!(!html.contains("Find your next night out"));

    let html = page(&app, &client, "/", "fr-CH, fr;q=0.9").await;
    assert!(html.contains(r#"<html lang="fr""#));
    assert!(html.contains("Trouvez votre prochaine sortie"));

    // A language the shop does not speak: English.
    let html = page(&app, &client, "/", "ja").await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Find your next night out"));
    assert!(html.contains("£25.00"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_switch_keeps_the_choice_and_returns_to_the_page(db: PgPool) {
    let app = support::spawn(db).await;
    let client = app.browser();
    let res = client
        .post(format!("{}/language", app.base_url))
        .form(&[("lang", "fr"), ("back", "/?q=jazz")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/?q=jazz");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=fr;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // The choice beats the browser's own language.
    let html = page(&app, &client, "/", "de").await;
    assert!(html.contains(r#"<html lang="fr""#));
    // The switch shows French as the language in use.
    assert!(html.contains(r#"value="fr" lang="fr" aria-label="Français" aria-pressed="true""#));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_switch_refuses_what_it_does_not_offer_and_never_leaves_the_shop(db: PgPool) {
    let app = support::spawn(db).await;
    let client = app.browser();
    let res = client
        .post(format!("{}/language", app.base_url))
        .form(&[("lang", "xx"), ("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.headers().get("set-cookie").is_none(), "nothing kept");
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let res = client
            .post(format!("{}/language", app.base_url))
            .form(&[("lang", "de"), ("back", back)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/", "{back} is not followed");
    }
    // Another origin cannot switch a visitor's language.
    let res = client
        .post(format!("{}/language", app.base_url))
        .header("origin", "https://evil.example")
        .form(&[("lang", "de"), ("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_account_keeps_its_language_for_the_next_sign_in(db: PgPool) {
    let id = fixtures::user(&db, "polyglot@example.com", Role::Buyer).await;
    let app = support::spawn(db.clone()).await;
    let client = app.signed_in("polyglot@example.com").await;
    let res = client
        .post(format!("{}/language", app.base_url))
        .form(&[("lang", "de"), ("back", "/orders")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let kept: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("de"));

    // Another device, whose browser asks for English: German after signing in.
    let other = app.browser();
    let res = app
        .call(
            &other,
            "auth/sign_in",
            &[
                ("email", "polyglot@example.com"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookies: Vec<_> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("lang=de;")),
        "{cookies:?}"
    );
    let html = page(&app, &other, "/", "en-US").await;
    assert!(html.contains(r#"<html lang="de""#));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn errors_are_told_in_the_visitors_language(db: PgPool) {
    fixtures::user(&db, "empty@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let client = app.signed_in("empty@example.com").await;
    let checkout = |lang: &'static str| {
        client
            .post(format!("{}/api/checkout/start", app.base_url))
            .header("accept-language", lang)
            .send()
    };
    // English keeps the refusal's kind (clients and tests branch on it) ...
    let res = checkout("en").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        support::app_error(res).await,
        AppError::Refused(CheckoutRefusal::EmptyCart)
    );
    // ... German and French get the sentence in their words, same status.
    let res = checkout("de-AT").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        support::app_error(res).await,
        AppError::Said {
            status: 422,
            message: "Ihr Warenkorb ist leer.".into()
        }
    );
    let res = checkout("fr").await.unwrap();
    assert_eq!(
        support::app_error(res).await.to_string(),
        "Votre panier est vide."
    );
    // Signing in first stays a kind the pages branch on, in every language.
    let anonymous = app.browser();
    let res = anonymous
        .post(format!("{}/api/checkout/start", app.base_url))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(support::app_error(res).await, AppError::Unauthorized);
}

/// Posts a sign-up form as the hydrated page does, asking for `lang`.
async fn sign_up(
    app: &support::TestApp,
    lang: &str,
    form: &[(&str, &str)],
) -> (StatusCode, AppError) {
    let res = app
        .browser()
        .post(format!("{}/api/auth/sign_up", app.base_url))
        .header("accept-language", lang)
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status(), support::app_error(res).await)
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid {
        field: Some(field.into()),
        message: message.into(),
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_field_refusal_is_written_in_the_visitors_language_beside_its_field(db: PgPool) {
    let app = support::spawn(db).await;
    let bad_email = [
        ("name", "Ada"),
        ("email", "ada@example"),
        ("password", "a long passphrase"),
    ];
    let short_password = [
        ("name", "Ada"),
        ("email", "ada@example.com"),
        ("password", "short"),
    ];
    // English keeps its words exactly (clients and tests compare them) ...
    assert_eq!(
        sign_up(&app, "en", &bad_email).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid(
                "email",
                "Enter a valid email address, like name@example.com."
            )
        )
    );
    assert_eq!(
        sign_up(&app, "en", &short_password).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid("password", "Use at least 8 characters.")
        )
    );
    // ... German and French read theirs, still a field's error (the page
    // shows it beside the field), with the same status.
    assert_eq!(
        sign_up(&app, "de-DE,de;q=0.9", &bad_email).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid(
                "email",
                "Geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.com."
            )
        )
    );
    assert_eq!(
        sign_up(&app, "de", &short_password).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid("password", "Verwenden Sie mindestens 8 Zeichen.")
        )
    );
    assert_eq!(
        sign_up(&app, "fr-CH, fr;q=0.9", &bad_email).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid(
                "email",
                "Saisissez une adresse e-mail valide, comme nom@exemple.com."
            )
        )
    );
    assert_eq!(
        sign_up(
            &app,
            "fr",
            &[("name", " "), ("email", ""), ("password", "")]
        )
        .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid("name", "Saisissez votre nom.")
        )
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_refused_form_as_a_whole_is_told_in_the_visitors_language(db: PgPool) {
    fixtures::user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let sign_in = |lang: &'static str| {
        app.browser()
            .post(format!("{}/api/auth/sign_in", app.base_url))
            .header("accept-language", lang)
            .form(&[
                ("email", "ada@example.com"),
                ("password", "not the password"),
            ])
            .send()
    };
    let res = sign_in("en").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        support::app_error(res).await,
        AppError::Invalid {
            field: None,
            message: "Wrong email or password.".into()
        }
    );
    let res = sign_in("de").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        support::app_error(res).await,
        AppError::Invalid {
            field: None,
            message: "E-Mail-Adresse oder Passwort ist falsch.".into()
        }
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_carts_quantity_refusal_is_told_in_the_visitors_language(db: PgPool) {
    let app = support::spawn(db).await;
    let client = app.browser();
    let ticket = uuid::Uuid::new_v4().to_string();
    let set = |lang: &'static str, quantity: &'static str| {
        client
            .post(format!("{}/api/cart/set", app.base_url))
            .header("accept-language", lang)
            .form(&[("ticket_type_id", ticket.as_str()), ("quantity", quantity)])
            .send()
    };
    let add = |lang: &'static str| {
        client
            .post(format!("{}/api/cart/add", app.base_url))
            .header("accept-language", lang)
            .form(&[
                ("picks[0][ticket_type_id]", ticket.as_str()),
                ("picks[0][quantity]", "0"),
            ])
            .send()
    };
    for (lang, out_of_range, none) in [
        (
            "en",
            "Choose a quantity between 0 and 100.",
            "Choose how many tickets you want.",
        ),
        (
            "de",
            "Wählen Sie eine Anzahl zwischen 0 und 100.",
            "Wählen Sie, wie viele Tickets Sie möchten.",
        ),
        (
            "fr",
            "Choisissez une quantité entre 0 et 100.",
            "Choisissez combien de billets vous voulez.",
        ),
    ] {
        let res = set(lang, "101").await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        assert_eq!(
            support::app_error(res).await,
            invalid("quantity", out_of_range)
        );
        let res = add(lang).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        assert_eq!(support::app_error(res).await, invalid("quantity", none));
    }
}
