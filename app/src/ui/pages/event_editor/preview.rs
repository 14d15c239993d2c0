//! The live preview: the catalogue card buyers will see, made from the form
//! as it is typed.

use chrono::Utc;
use uuid::Uuid;

use crate::model::{
    Clocks, Currency, EventCard, EventForm, Money, VenueTime, WallClock, ZoneChoice,
    parse_datetime_local,
};

/// What the card shows that the form does not hold.
#[derive(Clone)]
pub struct CardBase {
    pub id: Option<Uuid>,
    pub cover_url: Option<String>,
    /// Tickets sold or held already.
    pub committed: i32,
    pub organizer: String,
}

/// The card for `form` as typed so far: blanks and unreadable values shown as
/// a placeholder or left out, never an error.
pub fn card(form: &EventForm, zones: &[ZoneChoice], base: &CardBase) -> EventCard {
    let quantities: Vec<i32> = form
        .types
        .iter()
        .map(|t| t.quantity.trim().parse::<i32>().unwrap_or(0))
        .collect();
    let currency =
        Currency::offered(&form.currency).unwrap_or_else(|| Currency::from_stored("EUR".into()));
    let prices: Vec<i64> = form
        .types
        .iter()
        .filter_map(|t| Money::parse(&t.price, &currency).ok())
        .map(|price| price.minor)
        .collect();
    let total: i32 = quantities.iter().sum();
    let stock = form
        .capacity
        .trim()
        .parse::<i32>()
        .unwrap_or(total)
        .min(total.max(0));
    EventCard {
        id: base.id.unwrap_or_default(),
        cover_url: base.cover_url.clone(),
        title: form.title.trim().to_string(),
        title_locale: Default::default(),
        venue: if form.venue.trim().is_empty() {
            "Venue".into()
        } else {
            form.venue.trim().to_string()
        },
        starts_at: on_venue_clock(
            zones,
            parse_datetime_local(&form.starts_at),
            &form.time_zone,
        ),
        sale_starts_at: on_venue_clock(
            zones,
            form.types
                .iter()
                .filter_map(|t| parse_datetime_local(&t.sale_starts_at))
                .min(),
            &form.time_zone,
        ),
        price: currency.amount(prices.iter().copied().min().unwrap_or(0)),
        several_prices: prices.iter().any(|p| Some(p) != prices.first()),
        stock,
        available: stock - base.committed,
        organizer_name: base.organizer.clone(),
        words: Default::default(),
    }
    .written_in_english(chrono::Utc::now())
}

/// A time typed in the editor, for the preview: the venue's clock, named by
/// its zone (the abbreviation needs the zone database, which stays on the server).
fn on_venue_clock(
    zones: &[ZoneChoice],
    local: Option<chrono::NaiveDateTime>,
    zone: &str,
) -> VenueTime {
    let clocks = WallClock { zones };
    let zone = zone.trim();
    let local = local.unwrap_or_else(|| clocks.to_local(zone, Utc::now()));
    VenueTime {
        utc: clocks
            .to_utc(zone, local)
            .unwrap_or_else(|_| local.and_utc()),
        local,
        zone: zone.to_string(),
    }
}
