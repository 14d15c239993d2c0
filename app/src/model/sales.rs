//! An event's sales as its organizer's dashboard shows them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::money::Money;
use super::order::OrganizerOrderRow;

/// The figures of one ticket type, or of the whole event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesFigures {
    pub name: String,
    /// Seats offered (the type's quantity; for the event, the sum or its capacity).
    pub quantity: i64,
    /// Held by checkouts waiting for payment.
    pub held: i64,
    /// Tickets issued and not refunded.
    pub sold: i64,
    pub checked_in: i64,
    /// What the tickets issued were sold for.
    pub gross: Money,
    pub refunded: Money,
    pub net: Money,
}

/// Tickets issued in one period of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesPoint {
    /// "5 Dec" or "19:00", on the venue's clock.
    pub label: String,
    pub tickets: i64,
    pub revenue: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesDashboard {
    pub event_id: Uuid,
    pub title: String,
    pub types: Vec<SalesFigures>,
    pub total: SalesFigures,
    /// Per day on the venue's calendar, from the first sale to today (at most 60 days).
    pub per_day: Vec<SalesPoint>,
    /// Per hour of the on-sale day (the day the first type's sale opened), if anything sold then.
    pub on_sale_day: Option<(String, Vec<SalesPoint>)>,
    pub recent: Vec<OrganizerOrderRow>,
    /// Buyers may cancel until this many hours before the event (`None`: never).
    pub cancel_hours: Option<i32>,
    /// The share of the price kept when a buyer cancels.
    pub cancel_fee_percent: i32,
    /// The event was cancelled: how far its refunds are.
    pub cancellation: Option<CancellationProgress>,
}

/// A cancelled event's refunds so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationProgress {
    pub reason: String,
    /// Orders with tickets for the event.
    pub orders: i64,
    /// Of those, orders none of whose tickets for it still admit.
    pub refunded: i64,
}
