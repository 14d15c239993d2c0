//! The demo's sales, made through the shop's own paths: each order is
//! reserved as a checkout reserves it and paid through the settlement Stripe's
//! webhook runs, so the counters, tickets, figures and mails agree as they
//! would after real sales. (The emulator is not running while `make run`
//! seeds; the payments carry demo ids, so Stripe cannot refund them.)

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::{DEMO_BUYER, upsert_user};
use crate::backend::error::BackendResult;
use crate::backend::orders::reserve::{self, Reservation};
use crate::backend::orders::settle::{self, Payment, PaymentOutcome};
use crate::backend::payments::EventKind;

/// Demo buyers beside Billie: their orders fill the organizer's pages.
const BUYERS: &[(&str, &str)] = &[
    ("Rowan Price", "rowan@example.com"),
    ("Sasha Lindqvist", "sasha@example.com"),
    ("Kofi Mensah", "kofi@example.com"),
    ("Mira Patel", "mira@example.com"),
    ("Jonas Weber", "jonas@example.com"),
    ("Ines Duarte", "ines@example.com"),
];

/// Who buys what: (buyer's index, 0 for Billie; event title; ticket type; how many).
/// None of the events the browser tests count seats of.
const ORDERS: &[(usize, &str, &str, i64)] = &[
    (
        0,
        "Midnight Orchestra: Winter Solstice Concert",
        "Stalls",
        2,
    ),
    (
        1,
        "Midnight Orchestra: Winter Solstice Concert",
        "Balcony",
        4,
    ),
    (
        2,
        "Midnight Orchestra: Winter Solstice Concert",
        "Stalls",
        3,
    ),
    (
        3,
        "Midnight Orchestra: Winter Solstice Concert",
        "Balcony",
        2,
    ),
    // The VIP type sells out.
    (
        0,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        4,
    ),
    (
        1,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        4,
    ),
    (
        2,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        3,
    ),
    (
        3,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        3,
    ),
    (
        4,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        2,
    ),
    (
        5,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        2,
    ),
    (
        6,
        "Silent Disco at the Natural History Museum",
        "VIP with own headphones",
        2,
    ),
    (
        4,
        "Silent Disco at the Natural History Museum",
        "Admission",
        2,
    ),
    (5, "Rust Nation Conference 2027", "Regular", 1),
    (6, "Rust Nation Conference 2027", "Regular", 2),
    (4, "Data Science Summit Amsterdam", "Admission", 1),
    (2, "New Year's Eve Rooftop Party", "Admission", 2),
    (5, "New Year's Eve Rooftop Party", "Admission", 4),
];

/// The demo buyers' accounts (Billie first), then their orders, reserved and paid.
pub(super) async fn sell(db: &PgPool, password_hash: &str) -> BackendResult<usize> {
    let mut buyers =
        vec![upsert_user(db, DEMO_BUYER, "Billie Buyer", password_hash, "buyer").await?];
    for (name, email) in BUYERS {
        buyers.push(upsert_user(db, email, name, password_hash, "buyer").await?);
    }
    let mut paid = 0;
    for &(buyer, title, type_name, quantity) in ORDERS {
        let ticket_type = sqlx::query_scalar!(
            r#"SELECT t.id FROM ticket_types t JOIN events e ON e.id = t.event_id
               WHERE e.title = $1 AND t.name = $2 AND e.status = 'published'"#,
            title,
            type_name
        )
        .fetch_one(db)
        .await?;
        let cart = BTreeMap::from([(ticket_type, quantity)]);
        let order =
            match reserve::reserve(db, buyers[buyer], &cart, Duration::from_secs(600)).await? {
                Reservation::New(order) => order,
                // A buyer has one pending order at a time; the seed pays each at once.
                Reservation::Existing(order) => order,
            };
        let payment = Payment {
            event_id: format!("evt_demo_{}", order.id.simple()),
            event_type: EventKind::CheckoutCompleted,
            order_id: order.id,
            amount: order.total.clone(),
            payment_intent: Some(format!("pi_demo_{}", Uuid::new_v4().simple())),
        };
        if settle::confirm_payment(db, &payment).await? == PaymentOutcome::Fulfilled {
            paid += 1;
        }
    }
    Ok(paid)
}
