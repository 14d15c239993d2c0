//! The sales dashboard after a scripted run (paid, pending, expired, refunded
//! and checked-in tickets): every figure equals what the script did.

use crate::support;

use std::time::Duration;

use app::backend::orders::refund::{self as refunds, RefundRequest};
use app::backend::orders::release;
use app::backend::orders::reserve::{self, Reservation};
use app::model::{Role, SalesDashboard};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{create_user, fixtures};
use uuid::Uuid;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_dashboard_adds_up_to_what_happened(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db)
        .title("Counted Night")
        .ticket_type("Standing", 2500, 10)
        .ticket_type("Balcony", 1000, 5)
        .create()
        .await;
    let (standing, balcony) = (event.types[0], event.types[1]);

    // Paid: 2 standing; 1 standing + 1 balcony.
    let first = fixtures::paid_order(&db, fixtures::buyer(&db).await, &[(standing, 2)]).await;
    fixtures::paid_order(
        &db,
        fixtures::buyer(&db).await,
        &[(standing, 1), (balcony, 1)],
    )
    .await;
    // Pending: 1 balcony held. Expired: 3 standing released.
    let hold = |buyer: Uuid, line: (Uuid, i64)| {
        let db = db.clone();
        async move {
            let cart = [line].into_iter().collect();
            match reserve::reserve(&db, buyer, &cart, Duration::from_secs(600))
                .await
                .unwrap()
            {
                Reservation::New(order) => order.id,
                Reservation::Existing(_) => panic!("a new order"),
            }
        }
    };
    hold(fixtures::buyer(&db).await, (balcony, 1)).await;
    let expired = hold(fixtures::buyer(&db).await, (standing, 3)).await;
    support::shop::run_out_hold(&db, expired).await;
    release::release_overdue(&db, expired).await.unwrap();
    // One standing ticket of the first order refunded (seat back on sale).
    let organizer = crate::support::session_user(&db, event.organizer).await;
    let first_ticket: Uuid =
        sqlx::query_scalar("SELECT id FROM tickets WHERE order_id = $1 AND seat_no = 1")
            .bind(first)
            .fetch_one(&db)
            .await
            .unwrap();
    refunds::refund(
        &db,
        None,
        &organizer,
        RefundRequest {
            order: first,
            tickets: Some(vec![first_ticket]),
            cause: app::model::RefundCause::Organizer,
            reason: "Cannot come".into(),
            restock: true,
        },
    )
    .await
    .unwrap();
    // The other ticket of the first order is checked in.
    sqlx::query(
        "UPDATE tickets SET checked_in_at = now(), checked_in_by = $2 WHERE order_id = $1 AND seat_no = 2",
    )
    .bind(first)
    .bind(event.organizer)
    .execute(&db)
    .await
    .unwrap();

    let email = support::email_of(&db, event.organizer).await;
    let client = app.signed_in(&email).await;
    let res = app
        .call(
            &client,
            "organizer/sales",
            &[("event", &event.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let dashboard: SalesDashboard = res.json().await.unwrap();
    let row = |f: &app::model::SalesFigures| {
        (
            f.name.clone(),
            f.quantity,
            f.held,
            f.sold,
            f.checked_in,
            f.gross.minor,
            f.refunded.minor,
            f.net.minor,
        )
    };
    assert_eq!(
        dashboard.types.iter().map(row).collect::<Vec<_>>(),
        [
            ("Standing".to_string(), 10, 0, 2, 1, 7500, 2500, 5000),
            ("Balcony".to_string(), 5, 1, 1, 0, 1000, 0, 1000),
        ]
    );
    assert_eq!(
        row(&dashboard.total),
        ("All types".to_string(), 15, 1, 3, 1, 8500, 2500, 6000)
    );
    // The counters agree: sold seats are the tickets not refunded.
    let sold: i64 = sqlx::query_scalar("SELECT sold::bigint FROM events WHERE id = $1")
        .bind(event.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(sold, dashboard.total.sold);
    // Today's bar: the 3 tickets sold that stand (4 issued, 1 refunded), €60.00,
    // as the table's "Sold" and "Net" say.
    let today = dashboard.per_day.points.last().expect("a day");
    assert_eq!((today.tickets, today.revenue.minor), (3, 6000));
    assert_eq!(
        dashboard
            .per_day
            .points
            .iter()
            .map(|p| p.tickets)
            .sum::<i64>(),
        dashboard.total.sold
    );
    // A day of sales reads as a day in a week, and its hours are charted.
    assert_eq!(dashboard.per_day.points.len(), 7);
    let (_, hours) = dashboard.first_day.as_ref().expect("the first day's hours");
    assert_eq!(hours.points.iter().map(|h| h.tickets).sum::<i64>(), 3);
    assert!(hours.svg.as_ref().is_some_and(|svg| svg.contains("Hour")));
    assert_eq!(dashboard.recent.len(), 4, "paid, paid, pending, expired");

    // The page renders the chart with its title and its numbers.
    let page = app
        .get_with(&client, &format!("/organizer/events/{}/sales", event.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"sales-chart\""), "{page}");
    assert!(
        page.contains("role=\"img\" aria-labelledby="),
        "named for screen readers"
    );
    assert!(
        page.contains("3 tickets, €60.00</title>"),
        "today's bar tells its figures on hover: {page}"
    );

    // Another organizer sees nothing of it.
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = app.signed_in("rival@example.com").await;
    let res = app
        .call(
            &rival,
            "organizer/sales",
            &[("event", &event.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
