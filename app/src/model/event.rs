use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whether buyers can see and buy an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "event_status", rename_all = "lowercase")
)]
pub enum EventStatus {
    Draft,
    Published,
    Cancelled,
}

impl EventStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Published => "Published",
            Self::Cancelled => "Cancelled",
        }
    }
}

/// A published event as buyers see it in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    /// When the first of its listed types goes on sale.
    pub sale_starts_at: DateTime<Utc>,
    /// The cheapest listed type whose sale has not ended.
    pub price_minor: i64,
    /// Its types have different prices: the card says "from".
    pub several_prices: bool,
    pub currency: String,
    /// Tickets in all: the capacity, or the types' quantities added up.
    pub stock: i32,
    /// Tickets still buyable across its types, within the capacity.
    pub available: i32,
    pub organizer_name: String,
}

/// What the catalogue says about the seats left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    SoldOut,
    /// Few seats left: worth telling the buyer how many.
    OnlyLeft(i32),
    Available,
}

impl EventCard {
    pub fn availability(&self) -> Availability {
        Availability::of(self.available, self.stock)
    }

    /// Listed but not buyable yet: when sales open.
    pub fn sale_opens_later(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (self.sale_starts_at > now).then_some(self.sale_starts_at)
    }
}

/// Where a ticket type's sale stands right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaleState {
    NotYetOpen(DateTime<Utc>),
    Open,
    Ended,
    Cancelled,
}

impl SaleState {
    pub fn at(
        now: DateTime<Utc>,
        status: EventStatus,
        sale_starts_at: DateTime<Utc>,
        sale_ends_at: DateTime<Utc>,
    ) -> Self {
        if status == EventStatus::Cancelled {
            Self::Cancelled
        } else if now < sale_starts_at {
            Self::NotYetOpen(sale_starts_at)
        } else if now >= sale_ends_at {
            Self::Ended
        } else {
            Self::Open
        }
    }
}

/// An event's page: everything a buyer needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub currency: String,
    pub status: EventStatus,
    pub organizer_name: String,
    /// Tickets in all and still buyable, across types and within the capacity.
    pub stock: i32,
    pub available: i32,
    /// Listed types, in the organizer's order.
    pub types: Vec<TicketTypeView>,
}

/// One ticket type on its event's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTypeView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub price_minor: i64,
    /// What this type has left, never more than the event's capacity has left.
    pub available: i32,
    pub max_per_order: i32,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    /// Computed by the server at the time of the request.
    pub sale_state: SaleState,
}

impl TicketTypeView {
    /// The most a buyer can pick: what is left, capped by the per-order maximum.
    pub fn max_quantity(&self) -> i32 {
        if self.sale_state == SaleState::Open {
            self.available.min(self.max_per_order).max(0)
        } else {
            0
        }
    }
}

/// One of an organizer's own events, with its counters and its types'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerEventRow {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub currency: String,
    pub capacity: Option<i32>,
    pub reserved: i32,
    pub sold: i32,
    pub checked_in: i64,
    pub status: EventStatus,
    pub types: Vec<OrganizerTypeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerTypeRow {
    pub name: String,
    pub price_minor: i64,
    pub quantity: i32,
    pub reserved: i32,
    pub sold: i32,
    pub checked_in: i64,
}

impl Availability {
    /// "Few" means at most 10 seats, or at most a tenth of the stock.
    pub fn of(available: i32, stock: i32) -> Self {
        if available <= 0 {
            Self::SoldOut
        } else if available <= 10 || available * 10 <= stock {
            Self::OnlyLeft(available)
        } else {
            Self::Available
        }
    }

    pub fn label(self) -> String {
        match self {
            Self::SoldOut => "Sold out".to_string(),
            Self::OnlyLeft(n) => format!("Only {n} left"),
            Self::Available => "Available".to_string(),
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

// Dates are put together from their parts rather than with `format`: chrono's
// strftime machinery would be a large part of the wasm the islands ship.

/// Event times are shown in UTC until events carry their venue's time zone:
/// "Sat 5 Dec 2026, 19:30 UTC".
pub fn format_event_time(at: DateTime<Utc>) -> String {
    format!(
        "{} {}, {} UTC",
        WEEKDAYS[at.weekday().num_days_from_monday() as usize],
        format_day_month_year(at),
        format_clock(at)
    )
}

/// "5 Dec".
pub fn format_day_month(at: DateTime<Utc>) -> String {
    format!("{} {}", at.day(), MONTHS[at.month0() as usize])
}

fn format_day_month_year(at: DateTime<Utc>) -> String {
    format!("{} {}", format_day_month(at), at.year())
}

/// "19:30".
pub fn format_clock(at: DateTime<Utc>) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_picker_is_bounded_by_what_is_left_and_the_per_order_maximum() {
        let at = DateTime::parse_from_rfc3339("2026-12-05T19:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let view = |available, sale_state| TicketTypeView {
            id: Uuid::nil(),
            name: "Standing".into(),
            description: String::new(),
            price_minor: 2500,
            available,
            max_per_order: 6,
            sale_starts_at: at,
            sale_ends_at: at,
            sale_state,
        };
        assert_eq!(view(50, SaleState::Open).max_quantity(), 6);
        assert_eq!(view(3, SaleState::Open).max_quantity(), 3);
        assert_eq!(view(0, SaleState::Open).max_quantity(), 0);
        assert_eq!(view(-2, SaleState::Open).max_quantity(), 0);
        assert_eq!(view(50, SaleState::Ended).max_quantity(), 0);
        assert_eq!(view(50, SaleState::NotYetOpen(at)).max_quantity(), 0);
        assert_eq!(
            SaleState::at(at, EventStatus::Cancelled, at, at),
            SaleState::Cancelled
        );
    }

    #[test]
    fn availability_labels() {
        assert_eq!(Availability::of(0, 100), Availability::SoldOut);
        assert_eq!(Availability::of(-1, 100), Availability::SoldOut);
        assert_eq!(Availability::of(7, 100), Availability::OnlyLeft(7));
        assert_eq!(Availability::of(40, 500), Availability::OnlyLeft(40));
        assert_eq!(Availability::of(60, 500), Availability::Available);
        assert_eq!(Availability::OnlyLeft(3).label(), "Only 3 left");
    }

    #[test]
    fn formats_event_time() {
        let at = DateTime::parse_from_rfc3339("2026-12-05T19:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_event_time(at), "Sat 5 Dec 2026, 19:30 UTC");
        // The same as chrono's own formatting, on every weekday and month.
        for day in 0..400 {
            let at = at + chrono::TimeDelta::days(day) + chrono::TimeDelta::minutes(day * 7);
            assert_eq!(
                format_event_time(at),
                at.format("%a %-d %b %Y, %H:%M UTC").to_string()
            );
            assert_eq!(format_day_month(at), at.format("%-d %b").to_string());
            assert_eq!(format_clock(at), at.format("%H:%M").to_string());
        }
    }
}
