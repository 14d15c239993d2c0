use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::money::{Currency, Money};
use super::time::VenueTime;

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
    /// In the visitor's language where the organizer gave one.
    pub title: String,
    /// The language `title` is written in.
    #[serde(default)]
    pub title_locale: crate::i18n::Locale,
    pub venue: String,
    /// Its cover image (`/covers/...`), if it has one.
    pub cover_url: Option<String>,
    pub starts_at: VenueTime,
    /// When the first of its listed types goes on sale.
    pub sale_starts_at: VenueTime,
    /// The cheapest listed type whose sale has not ended.
    pub price: Money,
    /// Its types have different prices: the card says "from".
    pub several_prices: bool,
    /// Tickets in all: the capacity, or the types' quantities added up.
    pub stock: i32,
    /// Tickets still buyable across its types, within the capacity.
    pub available: i32,
    pub organizer_name: String,
    /// What the card says, written on the server in the visitor's language
    /// ([`EventCard::written`]); the editor's preview writes it in English.
    #[serde(default)]
    pub words: CardWords,
}

/// A card's sentences in the visitor's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardWords {
    pub title: String,
    /// The title's language tag when it is not the page's ("" when it is).
    pub title_lang: String,
    pub when: String,
    pub price: String,
    pub badge: String,
    pub by: String,
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
    /// "€25.00", "from €12.00", "Free", or "Free and paid" when its cheapest
    /// type costs nothing and others do.
    pub fn price_label(&self) -> String {
        match (self.price.minor, self.several_prices) {
            (0, false) => "Free".into(),
            (0, true) => "Free and paid".into(),
            (_, true) => format!("from {}", self.price),
            (_, false) => self.price.to_string(),
        }
    }

    pub fn availability(&self) -> Availability {
        Availability::of(self.available, self.stock)
    }

    /// The card's words in English, written where no server is asked (the
    /// editor's live preview, which organizers read in English).
    pub fn written_in_english(mut self, now: DateTime<Utc>) -> Self {
        let availability = self.availability();
        self.words = CardWords {
            title: if self.title.is_empty() {
                "Untitled event".into()
            } else {
                self.title.clone()
            },
            title_lang: String::new(),
            when: self.starts_at.label(),
            price: self.price_label(),
            badge: match self.sale_opens_later(now) {
                Some(at) => format!("On sale {}", at.day_month()),
                None => availability.label(),
            },
            by: format!("by {}", self.organizer_name),
        };
        self
    }

    /// The card's words in `locale`, with dates and money as it writes them.
    #[cfg(feature = "ssr")]
    pub fn written(mut self, locale: crate::i18n::Locale, now: DateTime<Utc>) -> Self {
        use crate::i18n::{format, text};
        let money = format::money(locale, &self.price);
        let price = match (self.price.minor, self.several_prices) {
            (0, false) => text(locale, "card-free", &[]),
            (0, true) => text(locale, "card-free-and-paid", &[]),
            (_, true) => text(locale, "card-from", &[("price", money.into())]),
            (_, false) => money,
        };
        let badge = match (self.sale_opens_later(now), self.availability()) {
            (Some(at), _) => text(
                locale,
                "card-on-sale",
                &[("date", format::day_month(locale, &at.local).into())],
            ),
            (None, Availability::SoldOut) => text(locale, "availability-sold-out", &[]),
            (None, Availability::OnlyLeft(n)) => {
                text(locale, "availability-only-left", &[("count", n.into())])
            }
            (None, Availability::Available) => text(locale, "availability-available", &[]),
        };
        self.words = CardWords {
            title: if self.title.is_empty() {
                text(locale, "card-untitled", &[])
            } else {
                self.title.clone()
            },
            title_lang: lang_unless(self.title_locale, locale),
            when: format::venue_time(locale, &self.starts_at),
            price,
            badge,
            by: text(
                locale,
                "card-by",
                &[("organizer", self.organizer_name.as_str().into())],
            ),
        };
        self
    }

    /// Listed but not buyable yet: when sales open.
    pub fn sale_opens_later(&self, now: DateTime<Utc>) -> Option<&VenueTime> {
        (self.sale_starts_at.utc > now).then_some(&self.sale_starts_at)
    }
}

/// Where a ticket type's sale stands right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaleState {
    NotYetOpen,
    Open,
    Ended,
    Cancelled,
    /// The organizer is suspended by an admin: nothing of theirs sells.
    Paused,
}

impl SaleState {
    pub fn at(
        now: DateTime<Utc>,
        status: EventStatus,
        paused: bool,
        sale_starts_at: DateTime<Utc>,
        sale_ends_at: DateTime<Utc>,
    ) -> Self {
        if status == EventStatus::Cancelled {
            Self::Cancelled
        } else if paused {
            Self::Paused
        } else if now < sale_starts_at {
            Self::NotYetOpen
        } else if now >= sale_ends_at {
            Self::Ended
        } else {
            Self::Open
        }
    }
}

/// The waiting room as an event's page shows it to one visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueView {
    /// No queue: anyone may buy.
    Off,
    /// The sale is queued and this visitor has not been let through.
    Wait,
    /// The queue let this visitor through: they may buy now.
    Admitted,
}

/// An event's page: everything a buyer needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: Uuid,
    /// Title and description in the visitor's language where the organizer
    /// gave them, else in the event's own.
    pub title: String,
    pub description: String,
    /// Their language tags when not the page's ("" when they are), for the
    /// `lang` that lets a screen reader pronounce them.
    #[serde(default)]
    pub title_lang: String,
    #[serde(default)]
    pub description_lang: String,
    pub venue: String,
    pub cover_url: Option<String>,
    pub starts_at: VenueTime,
    pub ends_at: VenueTime,
    /// The venue's IANA time zone, named on the page.
    pub time_zone: String,
    pub currency: Currency,
    pub status: EventStatus,
    pub organizer_name: String,
    /// Tickets in all and still buyable, across types and within the capacity.
    pub stock: i32,
    pub available: i32,
    /// Listed types, in the organizer's order.
    pub types: Vec<TicketTypeView>,
    /// Whether the sale goes through the waiting room, and where this visitor is.
    pub queue: QueueView,
    /// The code the visitor entered for this event, if any.
    #[serde(default)]
    pub code: CodeView,
    /// While the queue holds a presale for code holders: when it ends.
    #[serde(default)]
    pub presale_until: Option<VenueTime>,
    /// Before the queue's registration window: when places open.
    #[serde(default)]
    pub queue_opens: Option<VenueTime>,
}

/// A code entered for an event, as its page tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeView {
    #[default]
    None,
    /// Kept for the visitor's cart: the hidden types it covers are listed,
    /// and its price beside the list price of each type it takes money off.
    Applied {
        code: String,
        discount: crate::model::price::Discount,
    },
    /// Not a code this event takes, whatever the reason (unknown, used up,
    /// expired read the same to someone guessing).
    NotValid,
    /// Too many wrong codes from this visitor: try again after this long.
    TooManyTries { retry_after_secs: u64 },
}

/// One ticket type on its event's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTypeView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// What a ticket costs this visitor (with their code's discount).
    pub price: Money,
    /// The list price, when the visitor's code takes something off it.
    #[serde(default)]
    pub list_price: Option<Money>,
    /// Listed only for the visitor's code.
    #[serde(default)]
    pub hidden: bool,
    /// A quota's: when its seats go on general sale.
    #[serde(default)]
    pub quota_until: Option<VenueTime>,
    /// What this type has left, never more than the event's capacity has left.
    pub available: i32,
    pub max_per_order: i32,
    pub sale_starts_at: VenueTime,
    pub sale_ends_at: VenueTime,
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
    pub starts_at: VenueTime,
    pub currency: Currency,
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
    /// Not listed on the event's page.
    pub hidden: bool,
    pub price: Money,
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

/// `text`'s language tag for a `lang` attribute on a page in `page`: empty
/// when they are the same.
pub fn lang_unless(text: crate::i18n::Locale, page: crate::i18n::Locale) -> String {
    if text == page {
        String::new()
    } else {
        text.tag().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_says_free_rather_than_a_price_of_nothing() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let shown = VenueTime {
            utc: at,
            local: at.naive_utc(),
            zone: "UTC".into(),
        };
        let card = |minor, several_prices| EventCard {
            id: Uuid::nil(),
            title: "Gig".into(),
            title_locale: Default::default(),
            venue: "Hall".into(),
            cover_url: None,
            starts_at: shown.clone(),
            sale_starts_at: shown.clone(),
            price: Currency::from_stored("EUR".into()).amount(minor),
            several_prices,
            stock: 10,
            available: 10,
            organizer_name: "Org".into(),
            words: Default::default(),
        };
        assert_eq!(card(0, false).price_label(), "Free");
        assert_eq!(card(0, true).price_label(), "Free and paid");
        assert_eq!(card(1200, true).price_label(), "from €12.00");
        assert_eq!(card(2500, false).price_label(), "€25.00");
    }

    #[test]
    fn a_type_picker_is_bounded_by_what_is_left_and_the_per_order_maximum() {
        let at = DateTime::parse_from_rfc3339("2026-12-05T19:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let shown = VenueTime {
            utc: at,
            local: at.naive_utc(),
            zone: "UTC".into(),
        };
        let view = |available, sale_state| TicketTypeView {
            id: Uuid::nil(),
            name: "Standing".into(),
            description: String::new(),
            price: Currency::from_stored("EUR".into()).amount(2500),
            list_price: None,
            hidden: false,
            quota_until: None,
            available,
            max_per_order: 6,
            sale_starts_at: shown.clone(),
            sale_ends_at: shown.clone(),
            sale_state,
        };
        assert_eq!(view(50, SaleState::Open).max_quantity(), 6);
        assert_eq!(view(3, SaleState::Open).max_quantity(), 3);
        assert_eq!(view(0, SaleState::Open).max_quantity(), 0);
        assert_eq!(view(-2, SaleState::Open).max_quantity(), 0);
        assert_eq!(view(50, SaleState::Ended).max_quantity(), 0);
        assert_eq!(view(50, SaleState::NotYetOpen).max_quantity(), 0);
        assert_eq!(
            SaleState::at(at, EventStatus::Cancelled, true, at, at),
            SaleState::Cancelled
        );
        assert_eq!(
            SaleState::at(
                at,
                EventStatus::Published,
                true,
                at,
                at + chrono::TimeDelta::hours(1)
            ),
            SaleState::Paused
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
}
