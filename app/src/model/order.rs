//! Orders as buyers see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::time::VenueTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "order_status", rename_all = "lowercase")
)]
pub enum OrderStatus {
    Pending,
    Paid,
    Expired,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for payment",
            Self::Paid => "Paid",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
            Self::Refunded => "Refunded",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub ticket_type_id: Uuid,
    /// The event's title.
    pub title: String,
    pub type_name: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: Uuid,
    pub status: OrderStatus,
    pub total_minor: i64,
    pub currency: String,
    pub reserved_until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refund_reason: Option<String>,
    /// The buyer's bank disputes the payment: the passes do not admit.
    pub disputed: bool,
    /// Where to continue paying, while the order is pending.
    pub payment_url: Option<String>,
    pub lines: Vec<OrderLineView>,
    pub passes: Vec<PassLink>,
}

/// A pass as listed on its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassLink {
    pub id: Uuid,
    pub title: String,
    pub type_name: String,
    pub seat_no: i32,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// One pass, with the QR code its holder shows at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub title: String,
    pub type_name: String,
    pub venue: String,
    pub starts_at: VenueTime,
    pub seat_no: i32,
    pub seats_in_order: i64,
    pub code: String,
    /// The code as an SVG QR code, rendered on the server.
    pub qr_svg: String,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// One line of the cart page, checked against the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineView {
    pub ticket_type_id: Uuid,
    pub event_id: Uuid,
    /// The event's title.
    pub title: String,
    pub type_name: String,
    pub starts_at: VenueTime,
    pub unit_price_minor: i64,
    pub currency: String,
    pub quantity: i64,
    pub available: i32,
    pub max_per_order: i32,
    /// Why this line cannot be bought as it is, if it cannot.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    /// An order already holding seats for this buyer, to pay or cancel first.
    pub pending_order: Option<Uuid>,
}

impl CartView {
    pub fn count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
    pub fn can_check_out(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.problem.is_none())
    }
    /// Every ticket in the cart is free: checking out confirms at once, no payment.
    pub fn is_free(&self) -> bool {
        self.lines.iter().all(|l| l.unit_price_minor == 0)
    }
}

/// What the door sees after a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanResult {
    Admitted {
        seat_no: i32,
        holder: String,
        type_name: String,
    },
    AlreadyCheckedIn {
        /// On the venue's clock.
        at: VenueTime,
        by: String,
    },
    Refused(String),
}

/// Live counts for an event's door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorStats {
    pub title: String,
    pub checked_in: i64,
    pub sold: i64,
}
