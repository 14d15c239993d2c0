//! What every waiting visitor of one event sees, the same for all: the
//! queue's progress ([`super::turns::progress`] reads and raises it).

use std::time::Duration;

use crate::i18n::Locale;

/// One event's queue as every waiting visitor sees it: the same for all.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Numbers up to this one have had their turn.
    pub admitted_to: u64,
    /// The last number given.
    pub last_number: u64,
    /// Visitors waiting (holding a number past `admitted_to`, or a place in
    /// the draw to come).
    pub waiting: u64,
    pub sold_out: bool,
    /// The draw has been made (the sale opened).
    pub drawn: bool,
    pub opens_ms: i64,
    /// When the first turn comes: the opening, plus the time everyone
    /// waiting has to learn their number from the draw.
    pub turns_ms: i64,
    /// Visitors let through a second.
    pub rate: f64,
    /// What the holding page names: the title (and its translations by
    /// language tag), the opening on the venue's clock.
    pub title: String,
    pub titles: Vec<(Locale, String)>,
    pub opens_local: String,
    pub opens_zone: String,
    /// After a presale for code holders, when the general sale's draw is
    /// (Unix ms); `None`: no presale.
    pub general_ms: Option<i64>,
    /// The public answer (`to_json`), made once per copy.
    pub json: bytes::Bytes,
}

impl Progress {
    /// The event's title in `locale`, where the organizer gave one.
    pub fn title_in(&self, locale: Locale) -> &str {
        self.titles
            .iter()
            .find(|(l, t)| *l == locale && !t.is_empty())
            .map_or(self.title.as_str(), |(_, t)| t.as_str())
    }

    /// Whether `number`'s turn has come.
    pub fn has_come(&self, number: u64) -> bool {
        number <= self.admitted_to
    }

    /// Where `number` stands while waiting: its position (1 is next) and the
    /// estimated wait.
    pub fn position(&self, number: u64) -> (u64, Duration) {
        let position = number.saturating_sub(self.admitted_to).max(1);
        let before = (self.turns_ms - chrono::Utc::now().timestamp_millis()).max(0);
        let wait = Duration::from_secs_f64((position - 1) as f64 / self.rate.max(0.01))
            + Duration::from_millis(before as u64);
        (position, wait)
    }

    /// The public answer of `/queue/{id}/progress`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "admitted_to": self.admitted_to,
            "last_number": self.last_number,
            "waiting": self.waiting,
            "sold_out": self.sold_out,
            "drawn": self.drawn,
            "opens_ms": self.opens_ms,
            "general_ms": self.general_ms,
            "turns_ms": self.turns_ms,
            "per_sec": self.rate,
        })
    }
}
