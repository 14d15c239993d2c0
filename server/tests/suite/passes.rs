//! Order history and passes: owners see them, nobody else learns they exist.

use crate::support;
use app::backend::payments::EventKind;

use std::collections::BTreeMap;
use std::time::Duration;

use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::orders::settle::{Payment, confirm_payment};
use app::model::{OrderStatus, OrderView, Role, TicketView};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::create_user;
use uuid::Uuid;

async fn paid_order(db: &PgPool, buyer: Uuid, seats: i64) -> Uuid {
    let organizer = create_user(
        db,
        &format!("org-{}@example.com", Uuid::new_v4()),
        Role::Organizer,
    )
    .await;
    let ticket = support::published_listing(db, organizer, "Pass Gig", 1500, 10).await;
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
        amount_total: 1500 * seats,
        currency: "eur".into(),
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
    assert_eq!(history[0].passes.len(), 2);

    let pass_id = history[0].passes[1].id.to_string();
    let pass: TicketView = app
        .call(&owner, "passes/get", &[("id", &pass_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (pass.order_id, pass.seat_no, pass.seats_in_order),
        (order, 2, 2)
    );
    assert!(
        pass.qr_svg.starts_with("<?xml") || pass.qr_svg.contains("<svg"),
        "{}",
        &pass.qr_svg[..40.min(pass.qr_svg.len())]
    );
    let page = app.get_with(&owner, &format!("/passes/{pass_id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains(&pass.code) && html.contains("Seat 2 of 2"));

    // Anyone else: the same 404 as for a pass that does not exist.
    let stranger = app.signed_in("stranger@example.com").await;
    let theirs = app.call(&stranger, "passes/get", &[("id", &pass_id)]).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let none = app
        .call(
            &stranger,
            "passes/get",
            &[("id", &Uuid::new_v4().to_string())],
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    assert_eq!(theirs.text().await.unwrap(), none.text().await.unwrap());
    let page = app.get_with(&stranger, &format!("/passes/{pass_id}")).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(!page.text().await.unwrap().contains(&pass.code));
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
