//! Test data through one small builder: accounts (sharing one password hash,
//! computed once per test binary: argon2 is slow on purpose), events with
//! their ticket types, and paid orders.

use app::backend::payments::EventKind;
use std::collections::BTreeMap;
use std::time::Duration;

use app::backend::db::users;
use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::orders::settle::{Payment, confirm_payment};
use app::backend::password::hash_password;
use app::model::Role;
use sqlx::PgPool;
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::PASSWORD;

/// The hash of [`PASSWORD`], made once.
async fn password_hash() -> &'static str {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_init(|| async {
        hash_password(PASSWORD.to_string())
            .await
            .expect("hash the test password")
    })
    .await
}

/// An account with `role` and the password [`PASSWORD`], named "Test User",
/// whose address is verified (as every account made before verification was).
pub async fn user(db: &PgPool, email: &str, role: Role) -> Uuid {
    let id = users::insert(db, email, "Test User", password_hash().await, role)
        .await
        .expect("user inserted")
        .id;
    users::mark_verified(db, id, email)
        .await
        .expect("address verified");
    id
}

/// A buyer with an address no other account has.
pub async fn buyer(db: &PgPool) -> Uuid {
    let email = format!("buyer-{}@example.com", Uuid::new_v4());
    user(db, &email, Role::Buyer).await
}

pub async fn organizer(db: &PgPool) -> Uuid {
    let email = format!("org-{}@example.com", Uuid::new_v4());
    user(db, &email, Role::Organizer).await
}

struct TypeSpec {
    name: String,
    price_minor: i64,
    quantity: i32,
    max_per_order: i32,
}

/// An event as a test needs it: published, in 30 days, in EUR, with ticket
/// types on sale now (one "Admission" at €25.00 × 100 unless others are added).
pub struct EventBuilder<'a> {
    db: &'a PgPool,
    organizer: Option<Uuid>,
    title: String,
    capacity: Option<i32>,
    status: &'static str,
    first_type_has_event_id: bool,
    types: Vec<TypeSpec>,
}

pub fn event(db: &PgPool) -> EventBuilder<'_> {
    EventBuilder {
        db,
        organizer: None,
        title: "Test Event".into(),
        capacity: None,
        status: "published",
        first_type_has_event_id: false,
        types: Vec::new(),
    }
}

/// What [`EventBuilder::create`] made.
pub struct BuiltEvent {
    pub id: Uuid,
    pub organizer: Uuid,
    /// In the order they were added.
    pub types: Vec<Uuid>,
}

impl EventBuilder<'_> {
    /// Run by `organizer` (else by a new organizer).
    pub fn by(mut self, organizer: Uuid) -> Self {
        self.organizer = Some(organizer);
        self
    }

    pub fn title(mut self, title: &str) -> Self {
        self.title = title.into();
        self
    }

    /// Seats shared by all its types.
    pub fn capacity(mut self, capacity: i32) -> Self {
        self.capacity = Some(capacity);
        self
    }

    pub fn draft(mut self) -> Self {
        self.status = "draft";
        self
    }

    /// A ticket type at `price_minor` cents, `quantity` of them, 10 per order.
    pub fn ticket_type(mut self, name: &str, price_minor: i64, quantity: i32) -> Self {
        self.types.push(TypeSpec {
            name: name.into(),
            price_minor,
            quantity,
            max_per_order: 10,
        });
        self
    }

    /// The per-order maximum of the type added last.
    pub fn max_per_order(mut self, max: i32) -> Self {
        self.types
            .last_mut()
            .expect("a ticket type to limit")
            .max_per_order = max;
        self
    }

    /// The first type gets the event's id, as events migrated from one-price
    /// listings have: one id then serves for the event's pages and door and
    /// for the type in carts and orders.
    pub fn first_type_has_event_id(mut self) -> Self {
        self.first_type_has_event_id = true;
        self
    }

    pub async fn create(mut self) -> BuiltEvent {
        let organizer = match self.organizer {
            Some(organizer) => organizer,
            None => organizer(self.db).await,
        };
        if self.types.is_empty() {
            self = self.ticket_type("Admission", 2500, 100);
        }
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO events (organizer_id, title, venue, starts_at, ends_at, currency, status, capacity)
             VALUES ($1, $2, 'Hall', now() + interval '30 days', now() + interval '30 days 3 hours',
                     'EUR', $3::text::event_status, $4)
             RETURNING id",
        )
        .bind(organizer)
        .bind(&self.title)
        .bind(self.status)
        .bind(self.capacity)
        .fetch_one(self.db)
        .await
        .expect("event inserted");
        let mut types = Vec::new();
        for (position, t) in self.types.iter().enumerate() {
            let type_id = if position == 0 && self.first_type_has_event_id {
                id
            } else {
                Uuid::new_v4()
            };
            sqlx::query(
                "INSERT INTO ticket_types (id, event_id, name, price_minor, quantity, max_per_order,
                                           position, sale_starts_at, sale_ends_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now() - interval '1 day', now() + interval '30 days')",
            )
            .bind(type_id)
            .bind(id)
            .bind(&t.name)
            .bind(t.price_minor)
            .bind(t.quantity)
            .bind(t.max_per_order)
            .bind(position as i32)
            .execute(self.db)
            .await
            .expect("ticket type inserted");
            types.push(type_id);
        }
        BuiltEvent {
            id,
            organizer,
            types,
        }
    }
}

/// A paid order of `buyer` for `lines` (ticket type, quantity), settled as
/// Stripe's webhook would; its id.
pub async fn paid_order(db: &PgPool, buyer: Uuid, lines: &[(Uuid, i64)]) -> Uuid {
    let cart: BTreeMap<Uuid, i64> = lines.iter().copied().collect();
    let Reservation::New(order) = reserve(db, buyer, &cart, Duration::from_secs(600))
        .await
        .expect("reserved")
    else {
        panic!("the buyer already had a pending order")
    };
    confirm_payment(
        db,
        &Payment {
            event_id: format!("evt_{}", order.id.simple()),
            event_type: EventKind::CheckoutCompleted,
            order_id: order.id,
            amount: order.total.clone(),
            payment_intent: Some(format!("pi_{}", order.id.simple())),
        },
    )
    .await
    .expect("payment confirmed");
    order.id
}
