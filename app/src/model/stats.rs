use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Money, Role};

/// Counts for the admin dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopStats {
    pub buyers: i64,
    pub organizers: i64,
    pub admins: i64,
    pub pending_applications: i64,
    pub published_events: i64,
    pub seats_sold: i64,
    pub paid_orders: i64,
    /// Messages in the outbox not sent yet (due, or waiting out a retry).
    pub mail_waiting: i64,
    /// Messages given up on (see `outbox.last_error`).
    pub mail_failed: i64,
}

/// One day's sales in one currency, shop-wide, by the day of payment (UTC).
/// Refunds count against the day the order was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySales {
    pub day: chrono::NaiveDate,
    pub orders: i64,
    pub gross: Money,
    pub refunded: Money,
    pub net: Money,
}

/// A user as the admin's search lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub verified: bool,
    pub created_at: DateTime<Utc>,
    /// Only organizers are ever suspended.
    pub suspension: Option<SuspensionView>,
}

/// A suspension of an organizer: who, when and why, and its lifting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionView {
    pub id: Uuid,
    pub organizer_id: Uuid,
    pub organizer_name: String,
    pub organizer_email: String,
    pub reason: String,
    pub suspended_by_name: String,
    pub suspended_at: DateTime<Utc>,
    pub lifted_by_name: Option<String>,
    pub lifted_at: Option<DateTime<Utc>>,
}
