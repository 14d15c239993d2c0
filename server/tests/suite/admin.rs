//! The admin's overview: shop-wide sales per day and currency (equal to what
//! the orders say), the user search, and suspending an organizer (their events
//! stop selling at once, tickets sold stay valid, recorded with who, when, why).

use crate::support;

use std::time::Duration;

use app::api::admin::AdminSummary;
use app::backend::orders::reserve::reserve;
use app::error::AppError;
use app::model::{CheckoutRefusal, EventDetail, Role, SaleState, ScanResult, UserSummary};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{app_error, create_user, fixtures};
use uuid::Uuid;

async fn summary(app: &support::TestApp, admin: &reqwest::Client) -> AdminSummary {
    let res = app.call(admin, "admin/dashboard", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// An order written straight into the table, paid `days_ago` (or never).
async fn order(
    db: &PgPool,
    buyer: Uuid,
    status: &str,
    total: i64,
    refunded: i64,
    currency: &str,
    paid_days_ago: Option<i32>,
) {
    sqlx::query(
        "INSERT INTO orders (user_id, status, total_minor, refunded_minor, currency, reserved_until, paid_at, refund_cause, refund_reason)
         VALUES ($1, $2::order_status, $3, $4, $5, now(), now() - make_interval(days => $6),
                 CASE WHEN $2 = 'refunded' THEN 'organizer'::refund_cause END,
                 CASE WHEN $2 = 'refunded' THEN 'Refunded in a test' END)",
    )
    .bind(buyer)
    .bind(status)
    .bind(total)
    .bind(refunded)
    .bind(currency)
    .bind(paid_days_ago)
    .execute(db)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn shop_figures_per_day_and_currency_match_the_orders(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let admin = app.signed_in("admin@example.com").await;
    assert!(summary(&app, &admin).await.daily_sales.is_empty());

    let buyer = fixtures::buyer(&db).await;
    // Today: two EUR orders, one partly refunded, and a GBP one fully refunded.
    order(&db, buyer, "paid", 5000, 0, "EUR", Some(0)).await;
    order(&db, buyer, "paid", 2500, 1000, "EUR", Some(0)).await;
    order(&db, buyer, "refunded", 1800, 1800, "GBP", Some(0)).await;
    // Two days ago: one EUR order.
    order(&db, buyer, "paid", 4000, 0, "EUR", Some(2)).await;
    // Not revenue: never paid, or before the window.
    order(&db, buyer, "expired", 9900, 0, "EUR", None).await;
    order(&db, buyer, "cancelled", 9900, 0, "EUR", None).await;
    order(&db, buyer, "paid", 7000, 0, "EUR", Some(45)).await;

    let days = summary(&app, &admin).await.daily_sales;
    let shown: Vec<(i64, String, i64, i64, i64, i64)> = days
        .iter()
        .map(|d| {
            (
                (d.day - days[0].day).num_days(),
                d.gross.currency.code().to_string(),
                d.orders,
                d.gross.minor,
                d.refunded.minor,
                d.net.minor,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (0, "EUR".into(), 2, 7500, 1000, 6500),
            (0, "GBP".into(), 1, 1800, 1800, 0),
            (-2, "EUR".into(), 1, 4000, 0, 4000),
        ]
    );
    // The same figures, counted independently from the orders.
    let counted: (i64, i64) = sqlx::query_as(
        "SELECT count(*), sum(total_minor - refunded_minor)::bigint FROM orders
         WHERE paid_at > now() - interval '30 days'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        counted,
        (
            days.iter().map(|d| d.orders).sum(),
            days.iter().map(|d| d.net.minor).sum()
        )
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn admins_find_users_by_part_of_an_address_or_a_name(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let alice = create_user(&db, "alice.martin@example.com", Role::Organizer).await;
    create_user(&db, "bob@example.org", Role::Buyer).await;
    sqlx::query("UPDATE users SET name = 'Zoë 100% Real' WHERE email = 'bob@example.org'")
        .execute(&db)
        .await
        .unwrap();
    let admin = app.signed_in("admin@example.com").await;
    let search = |q: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let res = app.call(admin, "admin/users", &[("q", q)]).await;
            assert_eq!(res.status(), StatusCode::OK, "{q}");
            let found: Vec<UserSummary> = res.json().await.unwrap();
            found.into_iter().map(|u| u.email).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("ALICE.m").await, ["alice.martin@example.com"]);
    assert_eq!(search("zoë").await, ["bob@example.org"]);
    assert_eq!(search("100%").await, ["bob@example.org"]);
    // `%` and `_` are characters, not wildcards.
    assert!(search("%").await == ["bob@example.org"]);
    assert!(search("_").await.is_empty());
    assert!(search("   ").await.is_empty());
    assert_eq!(search("example.").await.len(), 3);

    let res = app
        .call(&admin, "admin/users", &[("q", &"x".repeat(255))])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app.call(&admin, "admin/users", &[("q", "alice")]).await;
    let found: Vec<UserSummary> = res.json().await.unwrap();
    assert_eq!(
        (found[0].id, found[0].role, found[0].verified),
        (alice, Role::Organizer, true)
    );
    assert!(found[0].suspension.is_none());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_suspended_organizers_events_stop_selling_and_their_tickets_stay_valid(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    sqlx::query("UPDATE users SET name = 'Ada Admin' WHERE email = 'admin@example.com'")
        .execute(&db)
        .await
        .unwrap();
    let admin = app.signed_in("admin@example.com").await;
    let event = fixtures::event(&db)
        .title("Shady Night")
        .ticket_type("Admission", 2500, 100)
        .create()
        .await;
    let ticket_type = event.types[0];
    let holder = fixtures::buyer(&db).await;
    let sold = fixtures::paid_order(&db, holder, &[(ticket_type, 1)]).await;
    let code: String = sqlx::query_scalar("SELECT code FROM tickets WHERE order_id = $1")
        .bind(sold)
        .fetch_one(&db)
        .await
        .unwrap();
    let organizer_email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&organizer_email).await;
    let organizer_id = event.organizer.to_string();

    // Refused plainly, changing nothing: no reason, not an organizer, no such user.
    let no_reason = app
        .call(
            &admin,
            "admin/suspend",
            &[("organizer", &organizer_id), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let buyer_id = holder.to_string();
    let res = app
        .call(
            &admin,
            "admin/suspend",
            &[("organizer", &buyer_id), ("reason", "Spam")],
        )
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "Only organizers can be suspended."
    );
    let nobody = Uuid::new_v4().to_string();
    let res = app
        .call(
            &admin,
            "admin/suspend",
            &[("organizer", &nobody), ("reason", "Spam")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .call(
            &admin,
            "admin/lift_suspension",
            &[("organizer", &organizer_id)],
        )
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This organizer is not suspended."
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM organizer_suspensions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 0);

    // Suspended, once, with who, when and why.
    let suspend = [
        ("organizer", organizer_id.as_str()),
        ("reason", "Chargebacks under review"),
    ];
    let res = app.call(&admin, "admin/suspend", &suspend).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app.call(&admin, "admin/suspend", &suspend).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This organizer is already suspended."
    );
    let history = summary(&app, &admin).await.suspensions;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].organizer_email.as_str(),
            history[0].reason.as_str(),
            history[0].suspended_by_name.as_str()
        ),
        (
            organizer_email.as_str(),
            "Chargebacks under review",
            "Ada Admin"
        )
    );
    assert!(history[0].lifted_at.is_none());
    assert!((chrono::Utc::now() - history[0].suspended_at).num_seconds() < 60);

    // Nothing of theirs sells: no new hold, not in the catalogue, the page says so.
    let buyer = fixtures::buyer(&db).await;
    let cart = [(ticket_type, 1)].into_iter().collect();
    let err = reserve(&db, buyer, &cart, Duration::from_secs(600))
        .await
        .unwrap_err();
    assert!(matches!(
        AppError::from(err),
        AppError::Refused(CheckoutRefusal::SalesPaused { .. })
    ));
    let res = app
        .call(&app.browser(), "catalogue/search", &[("query[q]", "shady")])
        .await;
    let found: app::model::SearchResults = res.json().await.unwrap();
    assert_eq!(found.total, 0);
    let res = app
        .call(
            &app.browser(),
            "catalogue/event",
            &[("id", &event.id.to_string())],
        )
        .await;
    let page: EventDetail = res.json().await.unwrap();
    assert_eq!(page.types[0].sale_state, SaleState::Paused);
    // The organizer is told why.
    let res = app.call(&organizer, "organizers/overview", &[]).await;
    let profile: app::api::organizers::OrganizerProfile = res.json().await.unwrap();
    assert_eq!(
        profile.suspended.as_deref(),
        Some("Chargebacks under review")
    );
    // The admin's search shows it.
    let res = app
        .call(&admin, "admin/users", &[("q", &organizer_email)])
        .await;
    let found: Vec<UserSummary> = res.json().await.unwrap();
    assert_eq!(
        found[0].suspension.as_ref().map(|s| s.reason.as_str()),
        Some("Chargebacks under review")
    );

    // The ticket sold before stays valid: the organizer checks it in.
    let res = app
        .call(
            &organizer,
            "checkin/scan",
            &[("event", &event.id.to_string()), ("code", &code)],
        )
        .await;
    assert!(matches!(
        res.json::<ScanResult>().await.unwrap(),
        ScanResult::Admitted { .. }
    ));

    // Lifted: it sells again, and the history keeps both ends.
    let res = app
        .call(
            &admin,
            "admin/lift_suspension",
            &[("organizer", &organizer_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    reserve(&db, buyer, &cart, Duration::from_secs(600))
        .await
        .expect("on sale again");
    let history = summary(&app, &admin).await.suspensions;
    assert_eq!(history[0].lifted_by_name.as_deref(), Some("Ada Admin"));
    let suspended: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT suspended_at FROM users WHERE id = $1")
            .bind(event.organizer)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(suspended.is_none());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_suspended_organizer_keeps_refunds_and_the_door_but_nothing_that_changes_or_exports(
    db: PgPool,
) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).title("Paused Night").create().await;
    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;
    let buyer = fixtures::buyer(&db).await;
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 2)]).await;
    let tickets: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order)
            .fetch_all(&db)
            .await
            .unwrap();
    sqlx::query("UPDATE users SET suspended_at = now() WHERE id = $1")
        .bind(event.organizer)
        .execute(&db)
        .await
        .unwrap();
    let id = event.id.to_string();
    let policy_before: Option<i32> =
        sqlx::query_scalar("SELECT buyer_cancel_hours FROM events WHERE id = $1")
            .bind(event.id)
            .fetch_one(&db)
            .await
            .unwrap();
    // Refused, each plainly, nothing changed.
    for (endpoint, form) in [
        (
            "organizer/cancel_policy",
            vec![
                ("event", id.as_str()),
                ("hours", "48"),
                ("fee_percent", "100"),
            ],
        ),
        (
            "organizer/invite_staff",
            vec![("event", id.as_str()), ("email", "helper@example.com")],
        ),
        (
            "organizer/queue",
            vec![("event", id.as_str()), ("enabled", "on")],
        ),
    ] {
        let res = app.call(&organizer, endpoint, &form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
        let refused = app_error(res).await;
        assert!(
            matches!(&refused, AppError::Suspended { support } if support.contains('@')),
            "{endpoint}: {refused:?}"
        );
        assert!(
            refused.to_string().contains("write to "),
            "names where to write"
        );
    }
    let staff: i64 = sqlx::query_scalar("SELECT count(*) FROM door_staff")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(staff, 0);
    let policy: Option<i32> =
        sqlx::query_scalar("SELECT buyer_cancel_hours FROM events WHERE id = $1")
            .bind(event.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(policy, policy_before);
    for file in ["orders.csv", "attendees.csv"] {
        let res = app
            .get_with(&organizer, &format!("/organizer/events/{id}/{file}"))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{file}");
        assert!(
            !res.text().await.unwrap().contains("@example.com"),
            "{file}"
        );
    }
    // Still possible: refunding a buyer, and the door.
    let res = app
        .call(
            &organizer,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &tickets[0].0.to_string()),
                ("reason", "Sorry, we paused this."),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app
        .call(
            &organizer,
            "checkin/scan",
            &[("event", &id), ("code", &tickets[1].1)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(matches!(
        res.json::<ScanResult>().await.unwrap(),
        ScanResult::Admitted { .. }
    ));
}
