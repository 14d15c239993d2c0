use serde::{Deserialize, Serialize};

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
