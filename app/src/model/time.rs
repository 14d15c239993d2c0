//! Times as people read them. An event's times are entered and shown in its
//! venue's IANA time zone ("Europe/Berlin"), stored as UTC instants; times that
//! belong to no venue (when an order was placed) are shown in UTC, labelled so.
//!
//! The zone database (chrono-tz) is server-only: the server turns instants into
//! [`VenueTime`]s before anything reaches a page, so the wasm carries none of it.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// An instant as the venue's clock shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueTime {
    pub utc: DateTime<Utc>,
    /// The venue's wall clock at that instant.
    pub local: NaiveDateTime,
    /// The zone's abbreviation at that instant: "CET", "CEST", "+03".
    pub zone: String,
}

impl VenueTime {
    /// "Sat, 5 Dec 2026, 19:30 CET" (as CLDR writes British English, like
    /// `i18n::format` on the server).
    pub fn label(&self) -> String {
        format!("{} {}", full_date_clock(&self.local), self.zone)
    }

    /// "5 Dec".
    pub fn day_month(&self) -> String {
        format_day_month(&self.local)
    }

    /// "19:30 CET".
    pub fn clock(&self) -> String {
        format!("{} {}", format_clock(&self.local), self.zone)
    }
}

/// How the shop turns a venue's wall-clock times into instants and back.
/// The server's is exact ([`crate::backend::zones::Tzdb`]); the editor's live
/// checks in the browser use [`WallClock`].
pub trait Clocks {
    /// A zone the organizer may choose.
    fn knows(&self, zone: &str) -> bool;
    /// The instant `zone`'s clocks show `local`; refused when they skip it or
    /// show it twice (the hour of a daylight-saving change).
    fn to_utc(&self, zone: &str, local: NaiveDateTime) -> Result<DateTime<Utc>, LocalTimeProblem>;
    /// What `zone`'s clocks show at `at`.
    fn to_local(&self, zone: &str, at: DateTime<Utc>) -> NaiveDateTime;
}

/// Why a wall-clock time names no single instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeProblem {
    /// Clocks jump over it (spring forward).
    Skipped,
    /// Clocks show it twice (fall back).
    Repeated,
}

impl LocalTimeProblem {
    pub fn message(self, zone: &str) -> String {
        match self {
            Self::Skipped => {
                format!("Clocks in {zone} skip this time (daylight saving starts); choose another.")
            }
            Self::Repeated => {
                format!("This time happens twice in {zone} (daylight saving ends); choose another.")
            }
        }
    }
}

/// A zone the editor offers, with its offset from UTC when the page was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneChoice {
    pub name: String,
    pub utc_offset_minutes: i32,
}

/// The editor's clocks in the browser, from the zones the server sent: each
/// zone's offset as it is today. Good for the live checks (an end after a
/// start, a sale closing before the event ends) and the preview; the server
/// converts exactly, daylight saving included, and refuses the hour clocks
/// skip or repeat.
pub struct WallClock<'a> {
    pub zones: &'a [ZoneChoice],
}

impl WallClock<'_> {
    fn offset(&self, zone: &str) -> chrono::TimeDelta {
        let minutes = self
            .zones
            .iter()
            .find(|z| z.name == zone)
            .map_or(0, |z| z.utc_offset_minutes);
        chrono::TimeDelta::minutes(i64::from(minutes))
    }
}

impl Clocks for WallClock<'_> {
    fn knows(&self, zone: &str) -> bool {
        self.zones.iter().any(|z| z.name == zone)
    }
    fn to_utc(&self, zone: &str, local: NaiveDateTime) -> Result<DateTime<Utc>, LocalTimeProblem> {
        Ok((local - self.offset(zone)).and_utc())
    }
    fn to_local(&self, zone: &str, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + self.offset(zone)
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// As CLDR abbreviates them in British English ("Sept"), so that the
/// browser's English matches the server's `i18n::format`.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
];

// Dates are put together from their parts rather than with `format`: chrono's
// strftime machinery would be a large part of the wasm the islands ship.

/// A time that belongs to no venue (an order placed, an application sent):
/// "Sat, 5 Dec 2026, 19:30 UTC".
pub fn format_utc_time(at: DateTime<Utc>) -> String {
    format!("{} UTC", full_date_clock(&at))
}

fn full_date_clock(at: &(impl Datelike + Timelike)) -> String {
    format!(
        "{}, {} {}, {}",
        WEEKDAYS[at.weekday().num_days_from_monday() as usize],
        format_day_month(at),
        at.year(),
        format_clock(at)
    )
}

/// "5 Dec".
pub fn format_day_month(at: &impl Datelike) -> String {
    format!("{} {}", at.day(), MONTHS[at.month0() as usize])
}

/// "19:30".
pub fn format_clock(at: &impl Timelike) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_in_the_browser_is_cldr_british_english() {
        let at = DateTime::parse_from_rfc3339("2026-12-05T19:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_utc_time(at), "Sat, 5 Dec 2026, 19:30 UTC");
        let venue = VenueTime {
            utc: at,
            local: at.naive_utc() + chrono::TimeDelta::hours(1),
            zone: "CET".into(),
        };
        assert_eq!(venue.label(), "Sat, 5 Dec 2026, 20:30 CET");
        assert_eq!(venue.clock(), "20:30 CET");
        assert_eq!(venue.day_month(), "5 Dec");
        // The same as the server's ICU4X formatting, on every weekday and month.
        for day in 0..400 {
            let at = at + chrono::TimeDelta::days(day) + chrono::TimeDelta::minutes(day * 7);
            #[cfg(feature = "ssr")]
            assert_eq!(
                format_utc_time(at),
                format!(
                    "{} UTC",
                    crate::i18n::format::date_time(crate::i18n::Locale::En, &at.naive_utc())
                )
            );
            #[cfg(feature = "ssr")]
            assert_eq!(
                format_day_month(&at),
                crate::i18n::format::day_month(crate::i18n::Locale::En, &at)
            );
            assert_eq!(format_clock(&at), at.format("%H:%M").to_string());
        }
    }
}
