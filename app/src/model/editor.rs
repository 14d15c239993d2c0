//! The organizer's editor: an event and its ticket types as typed, the rules
//! they must meet (shared by the live checks in the browser and the server),
//! and the checked result.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::event::EventStatus;
use super::money::{Currency, MAXIMUM_CHARGE, Money};
use super::sale_window::UnusualWindow;
use super::time::Clocks;
use crate::error::AppError;
use crate::i18n::Locale;

pub const MAX_PER_ORDER_LIMIT: i32 = 100;
pub const QUANTITY_LIMIT: i32 = 1_000_000;
/// Ticket types one event may have.
pub const MAX_TICKET_TYPES: usize = 20;

/// The editor's event fields exactly as typed. Times are `datetime-local`
/// values on the venue's clock, in `time_zone`.
// Missing fields read as empty, so a form without one is answered with the
// field's own message rather than "the form was incomplete".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: String,
    pub ends_at: String,
    /// The venue's IANA time zone ("Europe/Berlin").
    pub time_zone: String,
    pub currency: String,
    /// Seats shared by all the types; empty: no shared limit.
    pub capacity: String,
    pub status: String,
    pub types: Vec<TicketTypeForm>,
    /// The language the title and description above are written in ("en").
    pub language: String,
    /// The title and description in other languages, by language tag
    /// (`form[translations][de][title]`); both left empty: none.
    pub translations: BTreeMap<String, TranslationForm>,
}

/// An event's title and description in one more language, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranslationForm {
    pub title: String,
    /// Empty: the event's own description is shown.
    pub description: String,
}

impl TranslationForm {
    pub fn is_blank(&self) -> bool {
        self.title.trim().is_empty() && self.description.trim().is_empty()
    }
}

/// The form field of the translation into `tag`: `translations[de].title`.
pub fn translation_field(tag: &str, name: &str) -> String {
    format!("translations[{tag}].{name}")
}

/// One ticket type as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketTypeForm {
    /// Empty for a type added in this edit.
    pub id: String,
    pub name: String,
    /// What the buyer gets with it ("Seat in the stalls"); optional.
    pub description: String,
    pub price: String,
    pub quantity: String,
    pub sale_starts_at: String,
    pub sale_ends_at: String,
    pub max_per_order: String,
    /// "true" (a checked box): not listed on the event's page.
    pub hidden: String,
    /// A hidden type's quota: until then (venue time) its seats are set aside
    /// for code holders, then it goes on general sale. Empty: no quota.
    pub quota_until: String,
    /// "true" (a checked box): the organizer wants this sale window although
    /// it ends well before the event or opens after it starts.
    pub window_confirmed: String,
}

impl TicketTypeForm {
    /// A row the organizer left empty (the spare row of the editor without
    /// JavaScript): skipped rather than refused.
    pub fn is_blank(&self) -> bool {
        [
            &self.id,
            &self.name,
            &self.description,
            &self.price,
            &self.quantity,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
    }
}

/// An event that meets every rule; the only way to get one is [`EventForm::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub currency: Currency,
    pub capacity: Option<i32>,
    pub status: EventStatus,
    /// In the order the buyer sees them.
    pub types: Vec<TicketTypeDraft>,
    /// The language `title` and `description` are written in.
    pub language: Locale,
    /// In other languages than `language`, in [`Locale::ALL`]'s order.
    pub translations: Vec<Translation>,
}

/// An event's title and description in one more language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub locale: Locale,
    pub title: String,
    /// Empty: the event's own description is shown.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTypeDraft {
    /// `None` for a new type.
    pub id: Option<Uuid>,
    pub name: String,
    pub description: String,
    pub price: Money,
    pub quantity: i32,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    pub max_per_order: i32,
    pub hidden: bool,
    /// Only for a hidden type: when its set-aside seats go on general sale.
    pub quota_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field: `title`, or `types[1].price` for a ticket type's.
    pub field: String,
    pub message: String,
}

/// A price Stripe can charge: 0 (free), or within its per-currency minimum and
/// its maximum for one payment.
fn chargeable(price: Money) -> Result<Money, String> {
    let minimum = price.currency.minimum_charge();
    if price.minor > 0 && price.minor < minimum.minor {
        Err(format!(
            "The lowest paid price in {} is {minimum} (the card payment minimum); use 0 for a free event.",
            price.currency
        ))
    } else if price.minor > MAXIMUM_CHARGE {
        Err(format!(
            "The highest price is {}.",
            price.currency.amount(MAXIMUM_CHARGE)
        ))
    } else {
        Ok(price)
    }
}

fn fail(errors: &mut Vec<FieldError>, field: &str, message: String) {
    errors.push(FieldError {
        field: field.to_string(),
        message,
    });
}

fn required_text(
    errors: &mut Vec<FieldError>,
    field: &str,
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

/// The venue's time zone, and how its clock times become instants.
struct Venue<'a, C: Clocks> {
    clocks: &'a C,
    /// `None` when the zone is not one we know: times are then only compared
    /// as the wall clock shows them, so their own checks still run.
    zone: Option<&'a str>,
}

impl<C: Clocks> Venue<'_, C> {
    fn time(
        &self,
        errors: &mut Vec<FieldError>,
        field: &str,
        raw: &str,
        what: &str,
    ) -> Option<DateTime<Utc>> {
        let Some(local) = parse_datetime_local(raw) else {
            fail(errors, field, format!("Enter {what}."));
            return None;
        };
        let Some(zone) = self.zone else {
            return Some(local.and_utc());
        };
        self.clocks
            .to_utc(zone, local)
            .map_err(|problem| fail(errors, field, problem.message(zone)))
            .ok()
    }
}

pub fn parse_datetime_local(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

pub fn to_datetime_local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// A whole number within `range`, or the message for `field`.
fn whole_in(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: &str,
    range: std::ops::RangeInclusive<i64>,
    message: impl Fn(Option<i64>) -> String,
) -> Option<i32> {
    match raw.trim().parse::<i64>().ok() {
        Some(n) if range.contains(&n) => Some(n as i32),
        other => {
            fail(errors, field, message(other));
            None
        }
    }
}

/// A checkbox: it sends "on", the reactive editor "true"; nothing else is a
/// yes or no.
fn yes_or_no(raw: &str) -> Option<bool> {
    match raw.trim() {
        "true" | "on" => Some(true),
        "" | "false" => Some(false),
        _ => None,
    }
}

/// The form field of type `index`'s `name`: `types[1].price`.
pub fn type_field(index: usize, name: &str) -> String {
    format!("types[{index}].{name}")
}

impl TicketTypeForm {
    fn check(
        &self,
        index: usize,
        currency: &Currency,
        venue: &Venue<'_, impl Clocks>,
        event: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        errors: &mut Vec<FieldError>,
    ) -> Option<TicketTypeDraft> {
        let field = |name: &str| type_field(index, name);
        let before = errors.len();
        let id = self.check_id(&field("name"), errors);
        let name = required_text(
            errors,
            &field("name"),
            &self.name,
            80,
            "Name the ticket type (e.g. Standing).",
        );
        let description = self.description.trim().to_string();
        if description.chars().count() > 500 {
            fail(
                errors,
                &field("description"),
                "Keep it under 500 characters.".into(),
            );
        }
        let price = Money::parse(&self.price, currency)
            .and_then(chargeable)
            .map_err(|m| fail(errors, &field("price"), m))
            .ok();
        let quantity = whole_in(
            errors,
            &field("quantity"),
            &self.quantity,
            1..=i64::from(QUANTITY_LIMIT),
            |n| match n {
                Some(n) if n < 1 => "Offer at least 1 ticket.".into(),
                Some(_) => format!("At most {QUANTITY_LIMIT} tickets per type."),
                None => "Enter the number of tickets as a whole number.".into(),
            },
        );
        let max_per_order = whole_in(
            errors,
            &field("max_per_order"),
            &self.max_per_order,
            1..=i64::from(MAX_PER_ORDER_LIMIT),
            |_| format!("Allow between 1 and {MAX_PER_ORDER_LIMIT} tickets per order."),
        );
        let (sale_starts_at, sale_ends_at) = self.check_sale_window(index, venue, event, errors);
        let hidden = self.check_hidden(&field("hidden"), errors);
        let quota_until = self.check_quota(
            &field("quota_until"),
            hidden,
            venue,
            (sale_starts_at, sale_ends_at),
            errors,
        );
        if errors.len() > before {
            return None;
        }
        Some(TicketTypeDraft {
            id,
            name,
            description,
            price: price?,
            quantity: quantity?,
            sale_starts_at: sale_starts_at?,
            sale_ends_at: sale_ends_at?,
            max_per_order: max_per_order?,
            hidden,
            quota_until,
        })
    }

    /// An existing type's id, or none for a new type.
    fn check_id(&self, field: &str, errors: &mut Vec<FieldError>) -> Option<Uuid> {
        match self.id.trim() {
            "" => None,
            raw => Uuid::parse_str(raw)
                .map_err(|_| {
                    fail(
                        errors,
                        field,
                        "This ticket type is not one of this event's.".into(),
                    )
                })
                .ok(),
        }
    }

    /// When sales open and close: in that order, closed before the event
    /// (starting and ending as given) ends, and confirmed when unusual.
    fn check_sale_window(
        &self,
        index: usize,
        venue: &Venue<'_, impl Clocks>,
        (starts_at, ends_at): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        errors: &mut Vec<FieldError>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let field = |name: &str| type_field(index, name);
        let before = errors.len();
        let opens = venue.time(
            errors,
            &field("sale_starts_at"),
            &self.sale_starts_at,
            "when sales open",
        );
        let closes = venue.time(
            errors,
            &field("sale_ends_at"),
            &self.sale_ends_at,
            "when sales close",
        );
        if let (Some(open), Some(close)) = (opens, closes)
            && close <= open
        {
            fail(
                errors,
                &field("sale_ends_at"),
                "Sales must close after they open.".into(),
            );
        }
        if let (Some(close), Some(end)) = (closes, ends_at)
            && close > end
        {
            fail(
                errors,
                &field("sale_ends_at"),
                "Sales must close before the event ends.".into(),
            );
        }
        let confirmed = yes_or_no(&self.window_confirmed).unwrap_or_else(|| {
            fail(
                errors,
                &field("window_confirmed"),
                "Tick the box or leave it empty.".into(),
            );
            false
        });
        // Only a window that is otherwise right is asked about.
        if let (Some(open), Some(close), Some(start)) = (opens, closes, starts_at)
            && errors.len() == before
            && !confirmed
            && let Some(unusual) = UnusualWindow::of(open, close, start)
        {
            fail(errors, &field("window_confirmed"), unusual.message().into());
        }
        (opens, closes)
    }

    /// A quota ends while the type's sale is open, and only a hidden type
    /// has one (a listed type's seats are everyone's already).
    fn check_quota(
        &self,
        field: &str,
        hidden: bool,
        venue: &Venue<'_, impl Clocks>,
        (opens, closes): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        errors: &mut Vec<FieldError>,
    ) -> Option<DateTime<Utc>> {
        if self.quota_until.trim().is_empty() {
            return None;
        }
        let until = venue.time(
            errors,
            field,
            &self.quota_until,
            "when the set-aside seats go on general sale",
        )?;
        if !hidden {
            fail(
                errors,
                field,
                "Only a hidden type sets seats aside for code holders: tick Hidden, or leave this empty."
                    .into(),
            );
        } else if opens.is_some_and(|open| until <= open)
            || closes.is_some_and(|close| until >= close)
        {
            fail(
                errors,
                field,
                "Release the set-aside seats while sales are open: after they open and before they close."
                    .into(),
            );
        }
        Some(until)
    }

    fn check_hidden(&self, field: &str, errors: &mut Vec<FieldError>) -> bool {
        yes_or_no(&self.hidden).unwrap_or_else(|| {
            fail(errors, field, "Choose whether the type is hidden.".into());
            false
        })
    }

    /// The form of a saved type of an event starting at `starts_at`: a sale
    /// window saved unusual was confirmed then.
    pub fn from_draft(
        draft: &TicketTypeDraft,
        starts_at: DateTime<Utc>,
        local: impl Fn(DateTime<Utc>) -> String,
    ) -> Self {
        let unusual = UnusualWindow::of(draft.sale_starts_at, draft.sale_ends_at, starts_at);
        Self {
            id: draft.id.map(|id| id.to_string()).unwrap_or_default(),
            name: draft.name.clone(),
            description: draft.description.clone(),
            price: draft.price.plain(),
            quantity: draft.quantity.to_string(),
            sale_starts_at: local(draft.sale_starts_at),
            sale_ends_at: local(draft.sale_ends_at),
            max_per_order: draft.max_per_order.to_string(),
            hidden: if draft.hidden { "true" } else { "" }.to_string(),
            quota_until: draft.quota_until.map(&local).unwrap_or_default(),
            window_confirmed: if unusual.is_some() { "true" } else { "" }.to_string(),
        }
    }
}

impl EventForm {
    /// Every rule at once, so the editor can show all problems as the organizer types.
    pub fn check(&self, clocks: &impl Clocks) -> Result<EventDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (title, venue, description) = self.check_text(&mut errors);
        let time_zone = self.time_zone.trim().to_string();
        let known_zone = clocks.knows(&time_zone);
        if !known_zone {
            fail(
                &mut errors,
                "time_zone",
                "Choose the venue's time zone from the list (e.g. Europe/Berlin).".into(),
            );
        }
        let venue_clock = Venue {
            clocks,
            zone: known_zone.then_some(time_zone.as_str()),
        };
        let (starts_at, ends_at) = self.check_times(&venue_clock, &mut errors);
        let currency = self.check_currency(&mut errors);
        let capacity = self.check_capacity(&mut errors);
        let status = EventStatus::parse(self.status.trim());
        if status.is_none() {
            fail(
                &mut errors,
                "status",
                "Choose draft, published or cancelled.".into(),
            );
        }
        let types = self.check_types(&currency, &venue_clock, (starts_at, ends_at), &mut errors);
        if let Some(Some(capacity)) = capacity {
            let kept: i64 = types
                .iter()
                .filter(|t| t.quota_until.is_some())
                .map(|t| i64::from(t.quantity))
                .sum();
            if kept > i64::from(capacity) {
                fail(
                    &mut errors,
                    "capacity",
                    format!(
                        "The quotas set aside {kept} seats, more than the capacity of {capacity}."
                    ),
                );
            }
        }
        let (language, translations) = self.check_languages(&mut errors);
        match (starts_at, ends_at, capacity, status, language) {
            (Some(starts_at), Some(ends_at), Some(capacity), Some(status), Some(language))
                if errors.is_empty() =>
            {
                Ok(EventDraft {
                    title,
                    description,
                    venue,
                    starts_at,
                    ends_at,
                    time_zone,
                    currency,
                    capacity,
                    status,
                    types,
                    language,
                    translations,
                })
            }
            _ => Err(errors),
        }
    }

    /// Title, venue and description.
    fn check_text(&self, errors: &mut Vec<FieldError>) -> (String, String, String) {
        let title = required_text(errors, "title", &self.title, 150, "Give the event a title.");
        let venue = required_text(
            errors,
            "venue",
            &self.venue,
            200,
            "Say where the event takes place.",
        );
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            fail(
                errors,
                "description",
                "Keep the description under 5000 characters.".into(),
            );
        }
        (title, venue, description)
    }

    /// The language the event is written in, and its translations: each in
    /// another of the shop's languages, titled, and as short as the event's own.
    fn check_languages(&self, errors: &mut Vec<FieldError>) -> (Option<Locale>, Vec<Translation>) {
        let language = Locale::from_tag(&self.language);
        if language.is_none() {
            fail(
                errors,
                "language",
                "Choose the language the event is written in from the list.".into(),
            );
        }
        let mut translations = Vec::new();
        for (tag, typed) in &self.translations {
            if typed.is_blank() {
                continue;
            }
            let Some(locale) = Locale::from_tag(tag) else {
                fail(
                    errors,
                    "translations",
                    "Translations can be in English, German or French.".into(),
                );
                continue;
            };
            let field = |name: &str| translation_field(locale.tag(), name);
            let name = locale.english_name();
            if Some(locale) == language {
                fail(
                    errors,
                    &field("title"),
                    format!(
                        "The event is written in {name}: put its {name} text above, and clear this translation."
                    ),
                );
                continue;
            }
            let title = required_text(
                errors,
                &field("title"),
                &typed.title,
                150,
                &format!("Give the {name} title too, or clear this translation."),
            );
            let description = typed.description.trim().to_string();
            if description.chars().count() > 5000 {
                fail(
                    errors,
                    &field("description"),
                    "Keep the description under 5000 characters.".into(),
                );
            }
            translations.push(Translation {
                locale,
                title,
                description,
            });
        }
        translations.sort_by_key(|t| t.locale);
        (language, translations)
    }

    /// When the event starts and ends, on the venue's clock.
    fn check_times(
        &self,
        venue_clock: &Venue<'_, impl Clocks>,
        errors: &mut Vec<FieldError>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let starts_at = venue_clock.time(
            errors,
            "starts_at",
            &self.starts_at,
            "when the event starts",
        );
        let ends_at = venue_clock.time(errors, "ends_at", &self.ends_at, "when the event ends");
        if let (Some(start), Some(end)) = (starts_at, ends_at)
            && end <= start
        {
            fail(
                errors,
                "ends_at",
                "The event must end after it starts.".into(),
            );
        }
        (starts_at, ends_at)
    }

    /// The currency, one organizers may sell in; prices are still checked
    /// against what was typed when it is not.
    fn check_currency(&self, errors: &mut Vec<FieldError>) -> Currency {
        let offered = Currency::offered(&self.currency);
        if offered.is_none() {
            fail(
                errors,
                "currency",
                "Choose a currency from the list.".into(),
            );
        }
        offered.unwrap_or_else(|| Currency::from_stored(self.currency.trim().to_uppercase()))
    }

    /// The capacity shared by all types: none, or a number of seats.
    fn check_capacity(&self, errors: &mut Vec<FieldError>) -> Option<Option<i32>> {
        match self.capacity.trim() {
            "" => Some(None),
            raw => whole_in(
                errors,
                "capacity",
                raw,
                1..=i64::from(QUANTITY_LIMIT),
                |_| format!("Leave it empty, or enter between 1 and {QUANTITY_LIMIT} seats."),
            )
            .map(Some),
        }
    }

    /// The ticket types: at least one, at most [`MAX_TICKET_TYPES`], names
    /// unique. Field names keep the form's positions; rows left blank are
    /// skipped.
    fn check_types(
        &self,
        currency: &Currency,
        venue_clock: &Venue<'_, impl Clocks>,
        event: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        errors: &mut Vec<FieldError>,
    ) -> Vec<TicketTypeDraft> {
        let rows: Vec<(usize, &TicketTypeForm)> = self
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_blank())
            .collect();
        if rows.is_empty() {
            fail(errors, "types", "Add at least one ticket type.".into());
        } else if rows.len() > MAX_TICKET_TYPES {
            fail(
                errors,
                "types",
                format!("At most {MAX_TICKET_TYPES} ticket types per event."),
            );
        }
        let types: Vec<Option<TicketTypeDraft>> = rows
            .iter()
            .map(|(i, t)| t.check(*i, currency, venue_clock, event, errors))
            .collect();
        for (n, (i, t)) in rows.iter().enumerate() {
            let name = t.name.trim();
            if !name.is_empty()
                && rows[..n]
                    .iter()
                    .any(|(_, other)| other.name.trim().eq_ignore_ascii_case(name))
            {
                fail(
                    errors,
                    &type_field(*i, "name"),
                    "Two ticket types cannot share a name.".into(),
                );
            }
        }
        types.into_iter().flatten().collect()
    }

    /// The same rules, answered as the first problem found (what the server returns).
    pub fn parse(&self, clocks: &impl Clocks) -> Result<EventDraft, AppError> {
        self.check(clocks).map_err(|errors| {
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

    pub fn from_draft(draft: &EventDraft, clocks: &impl Clocks) -> Self {
        let local = |at| to_datetime_local(clocks.to_local(&draft.time_zone, at));
        Self {
            title: draft.title.clone(),
            description: draft.description.clone(),
            venue: draft.venue.clone(),
            starts_at: local(draft.starts_at),
            ends_at: local(draft.ends_at),
            time_zone: draft.time_zone.clone(),
            currency: draft.currency.code().to_string(),
            capacity: draft.capacity.map(|c| c.to_string()).unwrap_or_default(),
            status: draft.status.as_str().to_string(),
            types: draft
                .types
                .iter()
                .map(|t| TicketTypeForm::from_draft(t, draft.starts_at, local))
                .collect(),
            language: draft.language.tag().to_string(),
            translations: draft
                .translations
                .iter()
                .map(|t| {
                    let form = TranslationForm {
                        title: t.title.clone(),
                        description: t.description.clone(),
                    };
                    (t.locale.tag().to_string(), form)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{WallClock, ZoneChoice};

    fn standing() -> TicketTypeForm {
        TicketTypeForm {
            id: String::new(),
            name: "Standing".into(),
            price: "25.00".into(),
            quantity: "100".into(),
            sale_starts_at: "2027-01-01T09:00".into(),
            sale_ends_at: "2027-03-01T20:00".into(),
            max_per_order: "6".into(),
            ..Default::default()
        }
    }

    fn valid() -> EventForm {
        EventForm {
            title: "Jazz Night".into(),
            description: "Late sets.".into(),
            venue: "Blue Room".into(),
            starts_at: "2027-03-01T20:00".into(),
            ends_at: "2027-03-01T23:00".into(),
            time_zone: "Europe/Berlin".into(),
            currency: "eur".into(),
            capacity: String::new(),
            status: "published".into(),
            types: vec![standing()],
            language: "en".into(),
            translations: Default::default(),
        }
    }

    fn zones() -> Vec<ZoneChoice> {
        [("Europe/Berlin", 60), ("UTC", 0)]
            .into_iter()
            .map(|(name, minutes)| ZoneChoice {
                name: name.to_string(),
                utc_offset_minutes: minutes,
            })
            .collect()
    }

    fn check(form: &EventForm) -> Result<EventDraft, Vec<FieldError>> {
        form.check(&WallClock { zones: &zones() })
    }

    /// A draft's form, checked again, is the same draft.
    fn assert_round_trip(draft: &EventDraft) {
        let zones = zones();
        let clocks = WallClock { zones: &zones };
        assert_eq!(
            EventForm::from_draft(draft, &clocks)
                .check(&clocks)
                .unwrap(),
            *draft
        );
    }

    fn errors(form: EventForm) -> Vec<String> {
        check(&form)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    fn with_type(change: impl Fn(&mut TicketTypeForm)) -> EventForm {
        let mut form = valid();
        change(&mut form.types[0]);
        form
    }

    /// Sales that close a month before the event, or open after it starts,
    /// are refused until the organizer ticks the type's box; a saved one comes
    /// back ticked.
    #[test]
    fn an_unusual_sale_window_needs_the_organizers_word() {
        let early = with_type(|t| t.sale_ends_at = "2027-02-01T20:00".into());
        let refused = check(&early).unwrap_err();
        assert_eq!(refused[0].field, "types[0].window_confirmed");
        assert!(
            refused[0].message.contains("more than a day before"),
            "{refused:?}"
        );
        let late = with_type(|t| {
            t.sale_starts_at = "2027-03-01T20:30".into();
            t.sale_ends_at = "2027-03-01T22:00".into();
        });
        assert!(
            check(&late).unwrap_err()[0]
                .message
                .contains("after the event has started")
        );
        for ticked in ["true", "on"] {
            let mut confirmed = early.clone();
            confirmed.types[0].window_confirmed = ticked.into();
            let draft = check(&confirmed).unwrap();
            let zones = zones();
            let again = EventForm::from_draft(&draft, &WallClock { zones: &zones });
            assert_eq!(again.types[0].window_confirmed, "true");
        }
        let mut garbled = early;
        garbled.types[0].window_confirmed = "maybe".into();
        assert_eq!(errors(garbled), ["types[0].window_confirmed"]);
        // The last day before the event needs no box.
        let usual = with_type(|t| t.sale_ends_at = "2027-02-28T21:00".into());
        let draft = check(&usual).unwrap();
        let zones = zones();
        let form = EventForm::from_draft(&draft, &WallClock { zones: &zones });
        assert_eq!(form.types[0].window_confirmed, "");
    }

    #[test]
    fn a_valid_form_becomes_a_draft_and_back() {
        let mut form = valid();
        form.capacity = "150".into();
        form.types.push(TicketTypeForm {
            name: "Seated".into(),
            price: "40".into(),
            ..standing()
        });
        let draft = check(&form).unwrap();
        assert_eq!(draft.currency.code(), "EUR");
        assert_eq!(draft.capacity, Some(150));
        assert_eq!(draft.status, EventStatus::Published);
        assert_eq!(draft.types.len(), 2);
        assert_eq!(draft.types[1].price, draft.currency.amount(4000));
        assert_eq!(draft.time_zone, "Europe/Berlin");
        assert_round_trip(&draft);
    }

    #[test]
    fn the_rules_name_their_fields() {
        // Ending before the start also ends before the type's sale closes.
        let mut early = valid();
        early.ends_at = "2027-03-01T19:00".into();
        assert_eq!(errors(early), ["ends_at", "types[0].sale_ends_at"]);
        let cases: Vec<(EventForm, &str)> = vec![
            (
                with_type(|t| t.sale_ends_at = "2027-03-02T00:00".into()),
                "types[0].sale_ends_at",
            ),
            (
                with_type(|t| t.sale_ends_at = "2026-12-01T00:00".into()),
                "types[0].sale_ends_at",
            ),
            (with_type(|t| t.price = "-1".into()), "types[0].price"),
            (with_type(|t| t.quantity = "0".into()), "types[0].quantity"),
            (
                with_type(|t| t.quantity = "1.5".into()),
                "types[0].quantity",
            ),
            (
                with_type(|t| t.max_per_order = "0".into()),
                "types[0].max_per_order",
            ),
            (with_type(|t| t.name = " ".into()), "types[0].name"),
            (with_type(|t| t.id = "not-an-id".into()), "types[0].name"),
            (
                EventForm {
                    currency: "XXX".into(),
                    ..valid()
                },
                "currency",
            ),
            (
                EventForm {
                    status: "live".into(),
                    ..valid()
                },
                "status",
            ),
            (
                EventForm {
                    title: "  ".into(),
                    ..valid()
                },
                "title",
            ),
            (
                EventForm {
                    starts_at: "soon".into(),
                    ..valid()
                },
                "starts_at",
            ),
            (
                EventForm {
                    time_zone: "Europe/Atlantis".into(),
                    ..valid()
                },
                "time_zone",
            ),
            (
                EventForm {
                    capacity: "0".into(),
                    ..valid()
                },
                "capacity",
            ),
            (
                EventForm {
                    types: vec![],
                    ..valid()
                },
                "types",
            ),
        ];
        for (form, field) in cases {
            assert_eq!(errors(form.clone()), [field], "{form:?}");
        }
        // Two types with one name (whatever the case) are refused on the second.
        let mut twice = valid();
        twice.types.push(TicketTypeForm {
            name: "STANDING".into(),
            ..standing()
        });
        assert_eq!(errors(twice), ["types[1].name"]);
        let all = errors(EventForm::default());
        assert!(
            all.contains(&"title".to_string()) && all.contains(&"types".to_string()),
            "{all:?}"
        );
        // A blank spare row is skipped; a half-filled one is checked.
        let mut spare = valid();
        spare.types.push(TicketTypeForm {
            sale_starts_at: "2027-01-01T09:00".into(),
            max_per_order: "10".into(),
            ..Default::default()
        });
        assert_eq!(check(&spare).unwrap().types.len(), 1);
        spare.types[1].quantity = "5".into();
        assert_eq!(
            errors(spare),
            ["types[1].name", "types[1].price", "types[1].sale_ends_at"]
        );
        assert!(
            check(&with_type(|t| t.price = "0".into())).is_ok(),
            "free tickets are fine"
        );
    }

    #[test]
    fn translations_are_in_other_languages_and_titled() {
        let with = |pairs: &[(&str, &str, &str)]| {
            let mut form = valid();
            for (tag, title, description) in pairs {
                form.translations.insert(
                    tag.to_string(),
                    TranslationForm {
                        title: title.to_string(),
                        description: description.to_string(),
                    },
                );
            }
            form
        };
        let draft = check(&with(&[
            ("fr", "Nuit du jazz", ""),
            ("de", " Jazznacht ", "Späte Sets."),
            // Left empty: no translation.
            ("en", " ", ""),
        ]))
        .unwrap();
        assert_eq!(draft.language, Locale::En);
        let saved: Vec<(Locale, &str, &str)> = draft
            .translations
            .iter()
            .map(|t| (t.locale, t.title.as_str(), t.description.as_str()))
            .collect();
        assert_eq!(
            saved,
            [
                (Locale::De, "Jazznacht", "Späte Sets."),
                (Locale::Fr, "Nuit du jazz", "")
            ],
            "trimmed, in the shop's order of languages"
        );
        assert!(
            Locale::ALL.is_sorted(),
            "a locale's order is its place in ALL"
        );
        assert_round_trip(&draft);

        assert_eq!(errors(with(&[("es", "Noche", "")])), ["translations"]);
        assert_eq!(
            errors(with(&[("en", "Jazz Night", "")])),
            ["translations[en].title"]
        );
        assert_eq!(
            errors(with(&[("de", "", "Späte Sets.")])),
            ["translations[de].title"]
        );
        let long = "x".repeat(5001);
        assert_eq!(
            errors(with(&[("de", "Jazznacht", long.as_str())])),
            ["translations[de].description"]
        );
        for language in ["", "es", "EN-gb"] {
            let form = EventForm {
                language: language.into(),
                ..valid()
            };
            assert_eq!(errors(form), ["language"]);
        }
    }

    #[test]
    fn prices_must_be_chargeable_by_card() {
        let price_error = |price: &str, currency: &str| {
            let mut form = with_type(|t| t.price = price.into());
            form.currency = currency.into();
            check(&form)
                .err()
                .and_then(|errors| errors.into_iter().find(|e| e.field == "types[0].price"))
                .map(|e| e.message)
        };
        assert_eq!(
            price_error("0.49", "EUR").as_deref(),
            Some(
                "The lowest paid price in EUR is €0.50 (the card payment minimum); use 0 for a free event."
            )
        );
        assert_eq!(price_error("0.50", "EUR"), None);
        assert_eq!(price_error("0.30", "GBP"), None);
        assert!(price_error("0.29", "GBP").is_some());
        assert!(price_error("49", "JPY").is_some());
        assert!(price_error("1000000", "EUR").is_some());
        assert_eq!(price_error("999999.99", "EUR"), None);
    }
}
