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
    /// What codes took off the tickets issued: `gross` + this is what they
    /// would have sold for at their list prices.
    pub discounts: Money,
    /// What the tickets issued were sold for.
    pub gross: Money,
    pub refunded: Money,
    pub net: Money,
}

/// Tickets sold in one period of the chart: issued then and not refunded
/// since (the charts add up to the "Sold" column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesPoint {
    /// "5 Dec" or "19:00", on the venue's clock.
    pub label: String,
    pub tickets: i64,
    pub revenue: Money,
}

/// A chart's periods, and the chart drawn from them on the server (`None`
/// if it could not be drawn: the numbers are still there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesChart {
    pub points: Vec<SalesPoint>,
    pub svg: Option<String>,
}

/// What one code sold: its tickets not refunded, what it took off them and
/// what they were sold for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSales {
    pub code: String,
    pub tickets: i64,
    pub discounts: Money,
    pub revenue: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesDashboard {
    pub event_id: Uuid,
    pub title: String,
    pub types: Vec<SalesFigures>,
    pub total: SalesFigures,
    /// The codes that sold tickets, most tickets first (at most 50).
    #[serde(default)]
    pub codes: Vec<CodeSales>,
    /// Per day on the venue's calendar, from the first sale (or a week ago,
    /// whichever is earlier) to today; at most 60 days.
    pub per_day: SalesChart,
    /// Per hour of the first day anything sold (how the on-sale went), with that day.
    pub first_day: Option<(String, SalesChart)>,
    pub recent: Vec<OrganizerOrderRow>,
    /// Buyers may cancel until this many hours before the event (`None`: never).
    pub cancel_hours: Option<i32>,
    /// The share of the price kept when a buyer cancels.
    pub cancel_fee_percent: i32,
    /// The event was cancelled: how far its refunds are.
    pub cancellation: Option<CancellationProgress>,
    /// Visitors queue for the on-sale (the organizer's switch).
    pub queue_enabled: bool,
    /// The end of a presale for code holders, on the venue's clock.
    #[serde(default)]
    pub presale_ends_at: Option<crate::model::VenueTime>,
    /// How hard the queue's browser check is.
    #[serde(default)]
    pub queue_check: QueueCheck,
    /// Places are taken from this many minutes before the opening (`None`: any time).
    #[serde(default)]
    pub queue_register_minutes: Option<i32>,
    /// Visitors the queue lets through a minute: the organizer's (`Some`),
    /// or the shop's.
    #[serde(default)]
    pub queue_admit_per_minute: Option<i32>,
    #[serde(default)]
    pub queue_admit_default_per_minute: u32,
    /// The live queue's figures (`None` without a live queue, or when Valkey
    /// did not answer).
    #[serde(default)]
    pub queue_live: Option<QueueLive>,
    /// Its waiting lists: who waits, who has an offer.
    pub waiting: Vec<WaitingEntry>,
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

/// Where a buyer on a waiting list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "waiting_status", rename_all = "lowercase")
)]
pub enum WaitingStatus {
    Waiting,
    /// Seats are held for them until the offer ends.
    Offered,
    Bought,
    /// The offer ended unpaid.
    Lapsed,
    Left,
    /// They could not take seats when their turn came (see [`SkipReason`]).
    Skipped,
}

/// Why a buyer on a waiting list was passed over when seats came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// They already hold the most tickets of the type one buyer may.
    HoldsMaximum,
    /// They had another order waiting for payment.
    OtherOrder,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HoldsMaximum => "holds_maximum",
            Self::OtherOrder => "other_order",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "holds_maximum" => Some(Self::HoldsMaximum),
            "other_order" => Some(Self::OtherOrder),
            _ => None,
        }
    }
}

impl WaitingStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Offered => "offered",
            Self::Bought => "bought",
            Self::Lapsed => "offer lapsed",
            Self::Left => "left the list",
            Self::Skipped => "passed over",
        }
    }
}

/// A buyer on an event's waiting list, as its organizer sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingEntry {
    pub id: Uuid,
    pub type_name: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub quantity: i32,
    pub status: WaitingStatus,
    pub joined_at: chrono::DateTime<chrono::Utc>,
    pub offered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// While an offer stands: until when its seats are held.
    pub offer_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// How hard the waiting room's browser check is for an event's sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "queue_check", rename_all = "lowercase")
)]
#[serde(rename_all = "lowercase")]
pub enum QueueCheck {
    /// The shop's standard, raised while places are taken unusually fast.
    #[default]
    Automatic,
    /// The shop's standard, never raised.
    Standard,
    /// Four times the standard's work.
    Strong,
}

impl QueueCheck {
    pub const ALL: [Self; 3] = [Self::Automatic, Self::Standard, Self::Strong];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Standard => "standard",
            Self::Strong => "strong",
        }
    }

    /// Bits of work over the standard's, given the automatic raise now.
    pub fn extra_bits(self, raised: u32) -> u32 {
        match self {
            Self::Automatic => raised,
            Self::Standard => 0,
            Self::Strong => 2,
        }
    }
}

/// A live queue as its organizer watches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLive {
    /// Places taken (each passed the browser check).
    pub places: u64,
    /// Numbers let through so far.
    pub let_through: u64,
    /// Browser checks refused (forged, reused, expired, unsolved, ...).
    pub refused: u64,
    /// The work a check costs now: about 2^bits hashes.
    pub check_bits: u32,
    /// Of those, bits the automatic raise added.
    pub raised_bits: u32,
}
