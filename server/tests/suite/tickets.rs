//! Order history and tickets: owners see them, nobody else learns they exist.

use crate::support;
use app::backend::payments::EventKind;

use std::collections::BTreeMap;
use std::time::Duration;

use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::orders::settle::{Payment, confirm_payment};
use app::model::{OrderStatus, OrderView, Role, TicketView};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{create_user, eur};
use uuid::Uuid;

async fn paid_order(db: &PgPool, buyer: Uuid, seats: i64) -> Uuid {
    let organizer = create_user(
        db,
        &format!("org-{}@example.com", Uuid::new_v4()),
        Role::Organizer,
    )
    .await;
    let ticket = support::published_listing(db, organizer, "Ticket Gig", 1500, 10).await;
    let Reservation::New(order) = reserve(
        db,
        buyer,
        &BTreeMap::from([(ticket, seats)]),
        Duration::from_secs(600),
    )
    .await
    .unwrap() else {
        panic!("new reservation")
    };
    let payment = Payment {
        event_id: format!("evt_{}", order.id),
        event_type: EventKind::CheckoutCompleted,
        order_id: order.id,
        amount: eur(1500 * seats),
        payment_intent: Some("pi_x".into()),
    };
    confirm_payment(db, &payment).await.unwrap();
    order.id
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn buyers_see_their_orders_and_passes_with_a_qr_code(db: PgPool) {
    let buyer = create_user(&db, "owner@example.com", Role::Buyer).await;
    create_user(&db, "stranger@example.com", Role::Buyer).await;
    let order = paid_order(&db, buyer, 2).await;
    let app = support::spawn(db.clone()).await;
    let owner = app.signed_in("owner@example.com").await;

    let history: Vec<OrderView> = app
        .call(&owner, "orders/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, OrderStatus::Paid);
    assert_eq!(history[0].total.to_string(), "€30.00");
    assert_eq!(history[0].tickets.len(), 2);

    let ticket_id = history[0].tickets[1].id.to_string();
    let ticket: TicketView = app
        .call(&owner, "tickets/get", &[("id", &ticket_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (ticket.order_id, ticket.seat_no, ticket.seats_in_order),
        (order, 2, 2)
    );
    assert!(
        // Inline SVG, as HTML takes it: no XML declaration.
        ticket.qr_svg.starts_with("<svg") && ticket.qr_svg.ends_with("</svg>"),
        "{}",
        &ticket.qr_svg[..40.min(ticket.qr_svg.len())]
    );
    let page = app.get_with(&owner, &format!("/tickets/{ticket_id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains(&ticket.code) && html.contains("Ticket 2 of 2"));

    // Links mailed before tickets had one name still lead to the ticket.
    let old = app.get_with(&owner, &format!("/passes/{ticket_id}")).await;
    assert_eq!(old.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        old.headers()[reqwest::header::LOCATION],
        format!("/tickets/{ticket_id}").as_str()
    );
    for bad in ["/passes/not-a-ticket", "/passes/%2F%2Fevil.example"] {
        assert_eq!(
            app.get_with(&owner, bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }

    // Anyone else: the same 404 as for a ticket that does not exist.
    let stranger = app.signed_in("stranger@example.com").await;
    let theirs = app
        .call(&stranger, "tickets/get", &[("id", &ticket_id)])
        .await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let none = app
        .call(
            &stranger,
            "tickets/get",
            &[("id", &Uuid::new_v4().to_string())],
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    assert_eq!(theirs.text().await.unwrap(), none.text().await.unwrap());
    let page = app
        .get_with(&stranger, &format!("/tickets/{ticket_id}"))
        .await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(!page.text().await.unwrap().contains(&ticket.code));
    let order_page = app
        .call(&stranger, "orders/get", &[("id", &order.to_string())])
        .await;
    assert_eq!(order_page.status(), StatusCode::NOT_FOUND);
    let mine: Vec<OrderView> = app
        .call(&stranger, "orders/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.is_empty());
}
