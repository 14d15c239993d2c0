use chrono::{DateTime, Datelike, Timelike, Utc};
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
