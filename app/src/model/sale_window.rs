//! When a ticket type's sale may open and close, seen from its event: buyers
//! expect to buy until about the time it starts. A window that ends well
//! before that, or opens after it, is allowed only when the organizer says it
//! is what they want (the editor asks).

use chrono::{DateTime, TimeDelta, Utc};

/// A sale may close this long before its event starts unasked.
pub const CLOSES_EARLY_BY: TimeDelta = TimeDelta::days(1);

/// A sale window the organizer must confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnusualWindow {
    /// It closes more than [`CLOSES_EARLY_BY`] before the event starts.
    ClosesEarly,
    /// It opens once the event has started.
    OpensAfterStart,
}

impl UnusualWindow {
    /// Whether a sale from `opens` to `closes` for an event starting at
    /// `starts` needs confirming, and why.
    pub fn of(opens: DateTime<Utc>, closes: DateTime<Utc>, starts: DateTime<Utc>) -> Option<Self> {
        if opens >= starts {
            Some(Self::OpensAfterStart)
        } else if closes < starts - CLOSES_EARLY_BY {
            Some(Self::ClosesEarly)
        } else {
            None
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::ClosesEarly => {
                "Sales close more than a day before the event starts. Tick the box if that is what you want, or move “Sale closes”."
            }
            Self::OpensAfterStart => {
                "Sales open after the event has started. Tick the box if that is what you want, or move “Sale opens”."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::hours(hours)
    }

    #[test]
    fn a_sale_up_to_the_last_day_needs_no_confirming() {
        let starts = at(100);
        assert_eq!(UnusualWindow::of(at(0), starts, starts), None);
        assert_eq!(
            UnusualWindow::of(at(0), at(76), starts),
            None,
            "a day before"
        );
        assert_eq!(UnusualWindow::of(at(0), at(101), starts), None, "during it");
    }

    #[test]
    fn closing_early_or_opening_late_needs_confirming() {
        let starts = at(100);
        assert_eq!(
            UnusualWindow::of(at(0), at(75), starts),
            Some(UnusualWindow::ClosesEarly)
        );
        assert_eq!(
            UnusualWindow::of(at(100), at(102), starts),
            Some(UnusualWindow::OpensAfterStart)
        );
    }
}
