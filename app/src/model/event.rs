use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A published ticket listing as buyers see it in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub sale_starts_at: DateTime<Utc>,
    pub price_minor: i64,
    pub currency: String,
    pub stock: i32,
    /// Seats still buyable: stock - reserved - sold.
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

/// Event times are shown in UTC until events carry their venue's time zone.
pub fn format_event_time(at: DateTime<Utc>) -> String {
    at.format("%a %-d %b %Y, %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
