//! The IANA time zone database (chrono-tz), on the server only: the zones an
//! organizer may choose, and instants turned into what the venue's clock shows.

use std::sync::OnceLock;

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

use crate::model::{Clocks, LocalTimeProblem, VenueTime, ZoneChoice};

/// The zones offered in the editor: the canonical "Region/City" names and UTC,
/// sorted. Legacy aliases ("US/Eastern", "Etc/GMT+1") are left out of the list
/// so it stays searchable.
pub fn names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        const REGIONS: [&str; 9] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut names: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|name| REGIONS.iter().any(|region| name.starts_with(region)))
            .map(str::to_string)
            .collect();
        names.push("UTC".to_string());
        names.sort();
        names
    })
}

/// [`names`] with each zone's offset from UTC right now, for the editor.
pub fn choices() -> Vec<ZoneChoice> {
    let now = Utc::now();
    names()
        .iter()
        .map(|name| ZoneChoice {
            name: name.clone(),
            utc_offset_minutes: now
                .with_timezone(&zone(name))
                .offset()
                .fix()
                .local_minus_utc()
                / 60,
        })
        .collect()
}

fn zone(name: &str) -> Tz {
    // Stored zones were checked on the way in (and by the database); UTC is
    // the safe reading of anything else.
    name.parse().unwrap_or(Tz::UTC)
}

/// `at` as the clocks of the venue in `zone_name` show it.
pub fn venue_time(at: DateTime<Utc>, zone_name: &str) -> VenueTime {
    let local = at.with_timezone(&zone(zone_name));
    let offset = local.offset();
    VenueTime {
        utc: at,
        local: local.naive_local(),
        zone: offset
            .abbreviation()
            .map(str::to_string)
            .unwrap_or_else(|| utc_offset(offset.fix().local_minus_utc())),
    }
}

/// "UTC+4", "UTC+5:30", "UTC-3": for zones whose offsets have no letters.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("UTC{sign}{}", minutes / 60),
        rest => format!("UTC{sign}{}:{rest:02}", minutes / 60),
    }
}

/// The exact conversions, from the zone database.
pub struct Tzdb;

impl Clocks for Tzdb {
    fn knows(&self, zone: &str) -> bool {
        names().binary_search_by(|n| n.as_str().cmp(zone)).is_ok()
    }

    fn to_utc(
        &self,
        zone_name: &str,
        local: NaiveDateTime,
    ) -> Result<DateTime<Utc>, LocalTimeProblem> {
        match zone(zone_name).from_local_datetime(&local) {
            LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
            LocalResult::Ambiguous(..) => Err(LocalTimeProblem::Repeated),
            LocalResult::None => Err(LocalTimeProblem::Skipped),
        }
    }

    fn to_local(&self, zone_name: &str, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&zone(zone_name)).naive_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn offers_canonical_zones_only() {
        assert!(Tzdb.knows("Europe/Berlin"));
        assert!(Tzdb.knows("America/Argentina/Buenos_Aires"));
        assert!(Tzdb.knows("UTC"));
        let berlin = choices()
            .into_iter()
            .find(|z| z.name == "Europe/Berlin")
            .unwrap();
        assert!([60, 120].contains(&berlin.utc_offset_minutes));
        assert!(!Tzdb.knows("US/Eastern"));
        assert!(!Tzdb.knows("Europe/Atlantis"));
        assert!(!Tzdb.knows("europe/berlin"));
        assert!(names().len() > 300, "{} zones", names().len());
    }

    #[test]
    fn converts_with_daylight_saving() {
        let berlin = "Europe/Berlin";
        let winter = Tzdb.to_utc(berlin, local("2026-12-05T19:30")).unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-12-05T18:30:00+00:00");
        let summer = Tzdb.to_utc(berlin, local("2026-07-05T19:30")).unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-07-05T17:30:00+00:00");
        assert_eq!(Tzdb.to_local(berlin, summer), local("2026-07-05T19:30"));
        // 29 March 2026: 02:00 becomes 03:00; 25 October: 03:00 becomes 02:00.
        assert_eq!(
            Tzdb.to_utc(berlin, local("2026-03-29T02:30")),
            Err(LocalTimeProblem::Skipped)
        );
        assert_eq!(
            Tzdb.to_utc(berlin, local("2026-10-25T02:30")),
            Err(LocalTimeProblem::Repeated)
        );
        let shown = venue_time(winter, berlin);
        assert_eq!(shown.label(), "Sat, 5 Dec 2026, 19:30 CET");
        assert_eq!(venue_time(summer, berlin).clock(), "19:30 CEST");
        assert_eq!(
            venue_time(winter, "UTC").label(),
            "Sat, 5 Dec 2026, 18:30 UTC"
        );
        // A zone with no letters for its offset.
        assert_eq!(venue_time(winter, "Asia/Dubai").clock(), "22:30 UTC+4");
        assert_eq!(
            venue_time(winter, "Asia/Kathmandu").clock(),
            "00:15 UTC+5:45"
        );
        assert_eq!(
            venue_time(winter, "America/Sao_Paulo").clock(),
            "15:30 UTC-3"
        );
    }
}
