//! Ticket listings: the editor's form, the rules it must meet (shared by the live
//! checks in the browser and the server), and what buyers and organizers see.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::money::{
    CURRENCIES, MAXIMUM_CHARGE, format_amount_plain, format_money, minimum_charge, parse_money,
};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "ticket_status", rename_all = "lowercase")
)]
pub enum TicketStatus {
    Draft,
    Published,
    Cancelled,
}

impl TicketStatus {
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

pub const MAX_PER_ORDER_LIMIT: i32 = 100;
pub const STOCK_LIMIT: i32 = 1_000_000;

/// The editor's fields exactly as typed. Times are `datetime-local` values in UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketForm {
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: String,
    pub ends_at: String,
    pub sale_starts_at: String,
    pub sale_ends_at: String,
    pub price: String,
    pub currency: String,
    pub stock: String,
    pub max_per_order: String,
    pub status: String,
}

/// A listing that meets every rule; the only way to get one is [`TicketForm::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDraft {
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    pub price_minor: i64,
    pub currency: String,
    pub stock: i32,
    pub max_per_order: i32,
    pub status: TicketStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// A price Stripe can charge: 0 (free), or within its per-currency minimum and
/// its maximum for one payment.
fn chargeable(price_minor: i64, currency: &str) -> Result<i64, String> {
    let minimum = minimum_charge(currency);
    if price_minor > 0 && price_minor < minimum {
        Err(format!(
            "The lowest paid price in {currency} is {} (the card payment minimum); use 0 for a free event.",
            format_money(minimum, currency)
        ))
    } else if price_minor > MAXIMUM_CHARGE {
        Err(format!(
            "The highest price is {}.",
            format_money(MAXIMUM_CHARGE, currency)
        ))
    } else {
        Ok(price_minor)
    }
}

fn fail(errors: &mut Vec<FieldError>, field: &'static str, message: String) {
    errors.push(FieldError { field, message });
}

fn required_text(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    raw: &str,
    max: usize,
    empty: &str,
) -> String {
    let text = raw.trim();
    if text.is_empty() {
        fail(errors, field, empty.to_string());
    } else if text.chars().count() > max {
        fail(errors, field, format!("Keep it under {max} characters."));
    }
    text.to_string()
}

fn time(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    raw: &str,
    what: &str,
) -> Option<DateTime<Utc>> {
    let parsed = parse_datetime_local(raw);
    if parsed.is_none() {
        fail(errors, field, format!("Enter {what}."));
    }
    parsed
}

pub fn parse_datetime_local(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(|naive| naive.and_utc())
}

pub fn to_datetime_local(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

impl TicketForm {
    /// Every rule at once, so the editor can show all problems as the organizer types.
    pub fn check(&self) -> Result<TicketDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            150,
            "Give the event a title.",
        );
        let venue = required_text(
            &mut errors,
            "venue",
            &self.venue,
            200,
            "Say where the event takes place.",
        );
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            fail(
                &mut errors,
                "description",
                "Keep the description under 5000 characters.".into(),
            );
        }
        let starts_at = time(
            &mut errors,
            "starts_at",
            &self.starts_at,
            "when the event starts",
        );
        let ends_at = time(&mut errors, "ends_at", &self.ends_at, "when the event ends");
        let sale_starts_at = time(
            &mut errors,
            "sale_starts_at",
            &self.sale_starts_at,
            "when sales open",
        );
        let sale_ends_at = time(
            &mut errors,
            "sale_ends_at",
            &self.sale_ends_at,
            "when sales close",
        );
        if let (Some(start), Some(end)) = (starts_at, ends_at)
            && end <= start
        {
            fail(
                &mut errors,
                "ends_at",
                "The event must end after it starts.".into(),
            );
        }
        if let (Some(open), Some(close)) = (sale_starts_at, sale_ends_at)
            && close <= open
        {
            fail(
                &mut errors,
                "sale_ends_at",
                "Sales must close after they open.".into(),
            );
        }
        if let (Some(close), Some(end)) = (sale_ends_at, ends_at)
            && close > end
        {
            fail(
                &mut errors,
                "sale_ends_at",
                "Sales must close before the event ends.".into(),
            );
        }

        let currency = self.currency.trim().to_uppercase();
        if !CURRENCIES.contains(&currency.as_str()) {
            fail(
                &mut errors,
                "currency",
                "Choose a currency from the list.".into(),
            );
        }
        let price_minor = parse_money(&self.price, &currency)
            .and_then(|price| chargeable(price, &currency))
            .map_err(|m| fail(&mut errors, "price", m))
            .ok();

        let whole = |raw: &str| raw.trim().parse::<i64>().ok();
        let stock = match whole(&self.stock) {
            Some(n) if (1..=STOCK_LIMIT as i64).contains(&n) => Some(n as i32),
            Some(n) if n < 1 => {
                fail(&mut errors, "stock", "Offer at least 1 seat.".into());
                None
            }
            Some(_) => {
                fail(
                    &mut errors,
                    "stock",
                    format!("At most {STOCK_LIMIT} seats per listing."),
                );
                None
            }
            None => {
                fail(
                    &mut errors,
                    "stock",
                    "Enter the number of seats as a whole number.".into(),
                );
                None
            }
        };
        let max_per_order = match whole(&self.max_per_order) {
            Some(n) if (1..=MAX_PER_ORDER_LIMIT as i64).contains(&n) => Some(n as i32),
            _ => {
                fail(
                    &mut errors,
                    "max_per_order",
                    format!("Allow between 1 and {MAX_PER_ORDER_LIMIT} tickets per order."),
                );
                None
            }
        };
        let status = TicketStatus::parse(self.status.trim());
        if status.is_none() {
            fail(
                &mut errors,
                "status",
                "Choose draft, published or cancelled.".into(),
            );
        }

        match (
            starts_at,
            ends_at,
            sale_starts_at,
            sale_ends_at,
            price_minor,
            stock,
            max_per_order,
            status,
        ) {
            (
                Some(starts_at),
                Some(ends_at),
                Some(sale_starts_at),
                Some(sale_ends_at),
                Some(price_minor),
                Some(stock),
                Some(max_per_order),
                Some(status),
            ) if errors.is_empty() => Ok(TicketDraft {
                title,
                description,
                venue,
                starts_at,
                ends_at,
                sale_starts_at,
                sale_ends_at,
                price_minor,
                currency,
                stock,
                max_per_order,
                status,
            }),
            _ => Err(errors),
        }
    }

    /// The same rules, answered as the first problem found (what the server returns).
    pub fn parse(&self) -> Result<TicketDraft, AppError> {
        self.check().map_err(|errors| {
            let first = errors
                .into_iter()
                .next()
                .expect("a failed check names a problem");
            AppError::invalid(first.field, first.message)
        })
    }

    /// The message for one field, if the live check finds one.
    pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn from_draft(draft: &TicketDraft) -> Self {
        Self {
            title: draft.title.clone(),
            description: draft.description.clone(),
            venue: draft.venue.clone(),
            starts_at: to_datetime_local(draft.starts_at),
            ends_at: to_datetime_local(draft.ends_at),
            sale_starts_at: to_datetime_local(draft.sale_starts_at),
            sale_ends_at: to_datetime_local(draft.sale_ends_at),
            price: format_amount_plain(draft.price_minor, &draft.currency),
            currency: draft.currency.clone(),
            stock: draft.stock.to_string(),
            max_per_order: draft.max_per_order.to_string(),
            status: draft.status.as_str().to_string(),
        }
    }
}

/// One of an organizer's own listings, with its counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerTicketRow {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub price_minor: i64,
    pub currency: String,
    pub stock: i32,
    pub reserved: i32,
    pub sold: i32,
    pub status: TicketStatus,
}

/// Where a listing's sale stands right now.
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
        status: TicketStatus,
        sale_starts_at: DateTime<Utc>,
        sale_ends_at: DateTime<Utc>,
    ) -> Self {
        if status == TicketStatus::Cancelled {
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

/// A listing's page: everything a buyer needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    pub price_minor: i64,
    pub currency: String,
    pub stock: i32,
    pub available: i32,
    pub max_per_order: i32,
    pub status: TicketStatus,
    pub organizer_name: String,
    /// Computed by the server at the time of the request.
    pub sale_state: SaleState,
}

impl TicketDetail {
    /// The most a buyer can pick: what is left, capped by the per-order maximum.
    pub fn max_quantity(&self) -> i32 {
        if self.sale_state == SaleState::Open {
            self.available.min(self.max_per_order).max(0)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> TicketForm {
        TicketForm {
            title: "Jazz Night".into(),
            description: "Late sets.".into(),
            venue: "Blue Room".into(),
            starts_at: "2027-03-01T20:00".into(),
            ends_at: "2027-03-01T23:00".into(),
            sale_starts_at: "2027-01-01T09:00".into(),
            sale_ends_at: "2027-03-01T20:00".into(),
            price: "25.00".into(),
            currency: "eur".into(),
            stock: "100".into(),
            max_per_order: "6".into(),
            status: "published".into(),
        }
    }

    fn errors(form: TicketForm) -> Vec<&'static str> {
        form.check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_valid_form_becomes_a_draft() {
        let draft = valid().check().unwrap();
        assert_eq!(draft.price_minor, 2500);
        assert_eq!(draft.currency, "EUR");
        assert_eq!(draft.status, TicketStatus::Published);
        assert_eq!(TicketForm::from_draft(&draft).check().unwrap(), draft);
    }

    #[test]
    fn the_rules_name_their_fields() {
        // Ending before the start also ends before sales close: both are named.
        assert_eq!(
            errors(TicketForm {
                ends_at: "2027-03-01T19:00".into(),
                ..valid()
            }),
            ["ends_at", "sale_ends_at"]
        );
        assert_eq!(
            errors(TicketForm {
                sale_ends_at: "2027-03-02T00:00".into(),
                ..valid()
            }),
            ["sale_ends_at"]
        );
        assert_eq!(
            errors(TicketForm {
                sale_ends_at: "2026-12-01T00:00".into(),
                ..valid()
            }),
            ["sale_ends_at"]
        );
        assert_eq!(
            errors(TicketForm {
                price: "-1".into(),
                ..valid()
            }),
            ["price"]
        );
        assert_eq!(
            errors(TicketForm {
                stock: "0".into(),
                ..valid()
            }),
            ["stock"]
        );
        assert_eq!(
            errors(TicketForm {
                stock: "1.5".into(),
                ..valid()
            }),
            ["stock"]
        );
        assert_eq!(
            errors(TicketForm {
                max_per_order: "0".into(),
                ..valid()
            }),
            ["max_per_order"]
        );
        assert_eq!(
            errors(TicketForm {
                currency: "XXX".into(),
                ..valid()
            }),
            ["currency"]
        );
        assert_eq!(
            errors(TicketForm {
                status: "live".into(),
                ..valid()
            }),
            ["status"]
        );
        assert_eq!(
            errors(TicketForm {
                title: "  ".into(),
                ..valid()
            }),
            ["title"]
        );
        assert_eq!(
            errors(TicketForm {
                starts_at: "soon".into(),
                ..valid()
            }),
            ["starts_at"]
        );
        let all = errors(TicketForm::default());
        assert!(
            all.contains(&"title") && all.contains(&"venue") && all.contains(&"stock"),
            "{all:?}"
        );
        assert!(
            TicketForm {
                price: "0".into(),
                ..valid()
            }
            .check()
            .is_ok(),
            "free events are fine"
        );
        let price_errors = |price: &str, currency: &str| {
            TicketForm {
                price: price.into(),
                currency: currency.into(),
                ..valid()
            }
            .check()
            .err()
            .and_then(|errors| errors.into_iter().find(|e| e.field == "price"))
            .map(|e| e.message)
        };
        assert_eq!(
            price_errors("0.49", "EUR").as_deref(),
            Some(
                "The lowest paid price in EUR is €0.50 (the card payment minimum); use 0 for a free event."
            )
        );
        assert_eq!(price_errors("0.50", "EUR"), None);
        assert_eq!(price_errors("0.30", "GBP"), None);
        assert!(price_errors("0.29", "GBP").is_some());
        assert!(price_errors("49", "JPY").is_some());
        assert!(price_errors("1000000", "EUR").is_some());
        assert_eq!(price_errors("999999.99", "EUR"), None);
    }

    #[test]
    fn quantity_is_bounded_by_stock_and_per_order_maximum() {
        let draft = valid().check().unwrap();
        let detail = |available, sale_state| TicketDetail {
            id: Uuid::nil(),
            title: draft.title.clone(),
            description: String::new(),
            venue: draft.venue.clone(),
            starts_at: draft.starts_at,
            ends_at: draft.ends_at,
            sale_starts_at: draft.sale_starts_at,
            sale_ends_at: draft.sale_ends_at,
            price_minor: 2500,
            currency: "EUR".into(),
            stock: 100,
            available,
            max_per_order: 6,
            status: TicketStatus::Published,
            organizer_name: String::new(),
            sale_state,
        };
        assert_eq!(detail(50, SaleState::Open).max_quantity(), 6);
        assert_eq!(detail(3, SaleState::Open).max_quantity(), 3);
        assert_eq!(detail(0, SaleState::Open).max_quantity(), 0);
        assert_eq!(detail(50, SaleState::Ended).max_quantity(), 0);
    }
}
