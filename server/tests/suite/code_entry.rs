//! Codes as a buyer meets them (issue 30): entered on the event's page or
//! arriving in a link, kept beside the cart, shown in the cart, used by the
//! checkout; and, to someone guessing, every wrong code alike and guesses
//! limited per client address and per account.

use crate::support;

use app::backend::codes::{self, NewCode};
use app::error::AppError;
use app::model::price::Discount;
use app::model::{CartView, CheckoutRefusal, CodeView, EventDetail, Role};
use chrono::{Duration, Utc};
use sqlx::PgPool;
use support::fixtures::{self, BuiltEvent};
use support::{TestApp, app_error, create_user, session_user};
use uuid::Uuid;

/// An event with an open type ("Standing", €25) and a hidden one ("Fans",
/// €20), by the organizer org@example.com.
async fn event_with_hidden_type(db: &PgPool) -> BuiltEvent {
    let organizer = create_user(db, "org@example.com", Role::Organizer).await;
    let event = fixtures::event(db)
        .by(organizer)
        .ticket_type("Standing", 2500, 10)
        .ticket_type("Fans", 2000, 5)
        .create()
        .await;
    sqlx::query("UPDATE ticket_types SET hidden = true WHERE id = $1")
        .bind(event.types[1])
        .execute(db)
        .await
        .unwrap();
    event
}

async fn make_code(db: &PgPool, event: &BuiltEvent, typed: &str, spec: NewCode) -> Uuid {
    let organizer = session_user(db, event.organizer).await;
    let spec = NewCode {
        ticket_types: event.types.clone(),
        ..spec
    };
    codes::create(db, &organizer, event.id, typed, &spec)
        .await
        .expect("code made")
}

async fn page(app: &TestApp, client: &reqwest::Client, event: Uuid, code: &str) -> EventDetail {
    let id = event.to_string();
    let mut form = vec![("id", id.as_str())];
    if !code.is_empty() {
        form.push(("code", code));
    }
    let res = app.call(client, "catalogue/event", &form).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("event json")
}

async fn add(app: &TestApp, client: &reqwest::Client, ticket: Uuid, n: i64) -> reqwest::Response {
    app.call(
        client,
        "cart/add",
        &[
            ("picks[0][ticket_type_id]", &ticket.to_string()),
            ("picks[0][quantity]", &n.to_string()),
        ],
    )
    .await
}

async fn cart(app: &TestApp, client: &reqwest::Client) -> CartView {
    app.call(client, "cart/view", &[])
        .await
        .json()
        .await
        .expect("cart json")
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_link_shows_the_hidden_type_at_its_discount_and_the_cart_keeps_the_code(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = event_with_hidden_type(&db).await;
    let (standing, fans) = (event.types[0], event.types[1]);
    make_code(
        &db,
        &event,
        "FAN-CLUB-2026",
        NewCode {
            discount: Discount::Percent(20),
            ..NewCode::default()
        },
    )
    .await;

    let guest = app.browser();
    let plain = page(&app, &guest, event.id, "").await;
    assert_eq!(plain.types.len(), 1, "the hidden type is not listed");
    assert_eq!(plain.types[0].price.minor, 2500);
    assert_eq!(plain.types[0].list_price, None);
    assert_eq!(plain.code, CodeView::None);
    assert_eq!(
        add(&app, &guest, fans, 1).await.status(),
        404,
        "not without the code"
    );

    // As typed: lower case, spaces.
    let with_code = page(&app, &guest, event.id, "fan club 2026").await;
    assert_eq!(
        with_code.code,
        CodeView::Applied {
            code: "FANCLUB2026".into(),
            discount: Discount::Percent(20)
        }
    );
    let prices: Vec<(Uuid, i64, Option<i64>)> = with_code
        .types
        .iter()
        .map(|t| (t.id, t.price.minor, t.list_price.as_ref().map(|p| p.minor)))
        .collect();
    assert_eq!(
        prices,
        vec![(standing, 2000, Some(2500)), (fans, 1600, Some(2000))]
    );
    // Kept: the page says so without the code in the address.
    assert_eq!(page(&app, &guest, event.id, "").await.types.len(), 2);
    assert_eq!(add(&app, &guest, fans, 2).await.status(), 200);

    // Signing in brings the guest's code along with the cart.
    create_user(&db, "fan@example.com", Role::Buyer).await;
    let res = app
        .call(
            &guest,
            "auth/sign_in",
            &[
                ("email", "fan@example.com"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen = cart(&app, &guest).await;
    assert_eq!(seen.lines.len(), 1);
    let line = &seen.lines[0];
    assert_eq!(
        (
            line.unit_price.minor,
            line.list_price.as_ref().map(|p| p.minor)
        ),
        (1600, Some(2000))
    );
    assert_eq!(line.amount.minor, 3200);
    assert_eq!(line.code.as_deref(), Some("FANCLUB2026"));
    assert_eq!(line.problem, None);
    assert_eq!(seen.codes.len(), 1);
    assert!(seen.codes[0].usable);
    assert!(
        seen.codes[0].said.contains("FANCLUB2026"),
        "{:?}",
        seen.codes
    );
    assert!(seen.words.lines[0].each.contains("FANCLUB2026"));
    assert!(seen.can_check_out());

    // Someone else never sees the hidden type nor the discount.
    create_user(&db, "other@example.com", Role::Buyer).await;
    let other = app.signed_in("other@example.com").await;
    assert_eq!(page(&app, &other, event.id, "").await.types.len(), 1);
    assert_eq!(add(&app, &other, fans, 1).await.status(), 404);

    // Removing the code: back to list prices, and the hidden line cannot be bought.
    let res = app
        .call(
            &guest,
            "cart/code/remove",
            &[("event", &event.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen = cart(&app, &guest).await;
    assert!(seen.codes.is_empty());
    assert_eq!(seen.lines[0].unit_price.minor, 2000);
    assert!(matches!(
        seen.lines[0].problem,
        Some(CheckoutRefusal::NotOnSale { .. })
    ));
    assert!(!seen.can_check_out());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_code_that_makes_tickets_free_checks_out_at_once_and_the_order_records_it(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = event_with_hidden_type(&db).await;
    let code = make_code(
        &db,
        &event,
        "GUESTLIST",
        NewCode {
            discount: Discount::Percent(100),
            max_uses: Some(2),
            ..NewCode::default()
        },
    )
    .await;
    create_user(&db, "guest@example.com", Role::Buyer).await;
    let buyer = app.signed_in("guest@example.com").await;
    page(&app, &buyer, event.id, "guestlist").await;
    assert_eq!(add(&app, &buyer, event.types[1], 2).await.status(), 200);
    assert!(cart(&app, &buyer).await.is_free());
    let res = app.call(&buyer, "checkout/start", &[]).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.text().await.unwrap_or_default()
    );
    let (total, status): (i64, String) =
        sqlx::query_as("SELECT total_minor, status::text FROM orders")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((total, status.as_str()), (0, "paid"));
    let (code_id, discount): (Option<Uuid>, i64) =
        sqlx::query_as("SELECT code_id, discount_minor FROM order_items")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((code_id, discount), (Some(code), 2000));
    let prices: Vec<i64> = sqlx::query_scalar("SELECT price_minor FROM tickets")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(prices, vec![0, 0]);
    let used: i32 = sqlx::query_scalar("SELECT used FROM event_codes WHERE id = $1")
        .bind(code)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(used, 2);

    // Used up: it now reads like any wrong code, on the page and at checkout.
    create_user(&db, "late@example.com", Role::Buyer).await;
    let late = app.signed_in("late@example.com").await;
    assert_eq!(
        page(&app, &late, event.id, "GUESTLIST").await.code,
        CodeView::NotValid
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_code_that_stops_being_usable_in_the_cart_stops_the_checkout(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = event_with_hidden_type(&db).await;
    let code = make_code(
        &db,
        &event,
        "PRESS2026",
        NewCode {
            discount: Discount::Fixed(500),
            ..NewCode::default()
        },
    )
    .await;
    create_user(&db, "press@example.com", Role::Buyer).await;
    let buyer = app.signed_in("press@example.com").await;
    page(&app, &buyer, event.id, "PRESS2026").await;
    assert_eq!(add(&app, &buyer, event.types[0], 1).await.status(), 200);
    assert_eq!(cart(&app, &buyer).await.lines[0].unit_price.minor, 2000);
    let organizer = session_user(&db, event.organizer).await;
    assert!(
        codes::disable(&db, &organizer, event.id, code)
            .await
            .unwrap()
    );
    let seen = cart(&app, &buyer).await;
    assert!(!seen.codes[0].usable);
    assert!(!seen.can_check_out());
    let res = app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(res.status(), 422);
    assert!(matches!(
        app_error(res).await,
        AppError::Refused(CheckoutRefusal::CodeNotAccepted { .. })
    ));
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 0, "nothing held");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn wrong_codes_read_alike_and_guessing_is_limited_per_account_and_address(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = event_with_hidden_type(&db).await;
    let now = Utc::now();
    make_code(&db, &event, "RIGHT2026", NewCode::default()).await;
    make_code(
        &db,
        &event,
        "EXPIRED1",
        NewCode {
            valid_from: Some(now - Duration::hours(2)),
            valid_until: Some(now - Duration::hours(1)),
            ..NewCode::default()
        },
    )
    .await;
    make_code(
        &db,
        &event,
        "LATER123",
        NewCode {
            valid_from: Some(now + Duration::hours(1)),
            ..NewCode::default()
        },
    )
    .await;
    let off = make_code(&db, &event, "DISABLED1", NewCode::default()).await;
    let organizer = session_user(&db, event.organizer).await;
    codes::disable(&db, &organizer, event.id, off)
        .await
        .unwrap();
    let other_event = fixtures::event(&db).by(event.organizer).create().await;
    make_code(&db, &other_event, "ELSEWHERE", NewCode::default()).await;

    create_user(&db, "guesser@example.com", Role::Buyer).await;
    let guesser = app.signed_in("guesser@example.com").await;
    // Unknown, expired, not yet valid, disabled, another event's, garbled:
    // one answer, the same page.
    let wrong = [
        "NOPE2026",
        "EXPIRED1",
        "LATER123",
        "DISABLED1",
        "ELSEWHERE",
        "<>'",
    ];
    let plain = page(&app, &guesser, event.id, "").await;
    for typed in wrong {
        let seen = page(&app, &guesser, event.id, typed).await;
        assert_eq!(seen.code, CodeView::NotValid, "{typed}");
        assert_eq!(seen.types, plain.types, "{typed} changed the page");
    }
    // Right codes are not counted against the buyer.
    for _ in 0..5 {
        assert!(matches!(
            page(&app, &guesser, event.id, "RIGHT2026").await.code,
            CodeView::Applied { .. }
        ));
    }
    for n in wrong.len()..10 {
        assert_eq!(
            page(&app, &guesser, event.id, &format!("WRONG{n:03}"))
                .await
                .code,
            CodeView::NotValid
        );
    }
    // The buyer's eleventh wrong code: no more tries, even with the right one.
    for typed in ["WRONG999", "RIGHT2026"] {
        assert!(
            matches!(
                page(&app, &guesser, event.id, typed).await.code,
                CodeView::TooManyTries { retry_after_secs } if retry_after_secs > 0
            ),
            "{typed}"
        );
    }
    // The buyer's guesses counted against their account only; guests (fresh
    // sessions each time) from the same address run into its limit: 30.
    let mut limited_after = None;
    for n in 0..40 {
        let visitor = app.browser();
        if let CodeView::TooManyTries { .. } =
            page(&app, &visitor, event.id, &format!("GUESS{n:03}"))
                .await
                .code
        {
            limited_after = Some(n);
            break;
        }
    }
    assert_eq!(limited_after, Some(30));
    // Rate-limited tries are refused before the code is looked at: a visitor's
    // right code waits too.
    assert!(matches!(
        page(&app, &app.browser(), event.id, "RIGHT2026").await.code,
        CodeView::TooManyTries { .. }
    ));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_cart_says_when_a_code_has_fewer_uses_left_than_its_tickets(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = event_with_hidden_type(&db).await;
    make_code(
        &db,
        &event,
        "LASTONE1",
        NewCode {
            discount: Discount::Percent(50),
            max_uses: Some(1),
            ..NewCode::default()
        },
    )
    .await;
    create_user(&db, "late@example.com", Role::Buyer).await;
    let buyer = app.signed_in("late@example.com").await;
    page(&app, &buyer, event.id, "LASTONE1").await;
    assert_eq!(add(&app, &buyer, event.types[0], 2).await.status(), 200);
    let seen = cart(&app, &buyer).await;
    assert!(!seen.codes[0].usable);
    assert_eq!(seen.codes[0].uses_left, Some(1));
    assert!(
        seen.codes[0].said.contains("1 more tickets only"),
        "{}",
        seen.codes[0].said
    );
    assert!(!seen.can_check_out());
    // One ticket: the code covers it.
    let res = app
        .call(
            &buyer,
            "cart/set",
            &[
                ("ticket_type_id", &event.types[0].to_string()),
                ("quantity", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen = cart(&app, &buyer).await;
    assert!(seen.codes[0].usable);
    assert!(seen.can_check_out());
}
