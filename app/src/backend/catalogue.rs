//! What buyers may browse: turning the URL's filter into a database filter, and
//! who may see a listing.

use chrono::{NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::codes::CodeOffer;
use super::db::catalogue::{self, SearchFilter, TicketTypeRow};
use super::zones::venue_time;
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    CatalogueQuery, CodeView, Currency, EventDetail, EventStatus, Money, QueueView, SaleState,
    SearchResults, TicketTypeView, lang_unless, price,
};

/// Up to eight words, each matched as a prefix ("jaz" finds "Jazz"). Only letters
/// and digits reach the tsquery, so no input can break its syntax.
pub fn tsquery(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("{}:*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" & "))
}

impl SearchFilter {
    /// Unreadable values are ignored: a half-typed date must not break the page.
    pub fn parse(query: &CatalogueQuery) -> Self {
        let day = |raw: &str| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        // Prices are compared in the listing's own minor units (cents for EUR/GBP/USD).
        let price = |raw: &str| {
            let two_decimals = Currency::from_stored("EUR".into());
            (!raw.is_empty())
                .then(|| Money::parse(raw, &two_decimals).ok().map(|m| m.minor))
                .flatten()
        };
        Self {
            tsquery: tsquery(&query.q),
            starts_on_or_after: day(&query.from),
            starts_on_or_before: day(&query.to),
            min_price_minor: price(&query.min_price),
            max_price_minor: price(&query.max_price),
            available_only: query.available,
            sort: query.sort,
            page: query.page.max(1),
        }
    }
}

/// The catalogue page for `query`, with titles in `locale` where the
/// organizer gave them.
pub async fn search(
    db: &PgPool,
    query: &CatalogueQuery,
    locale: Locale,
) -> BackendResult<SearchResults> {
    let filter = SearchFilter::parse(query);
    let page = catalogue::search(db, &filter, locale).await?;
    Ok(SearchResults {
        items: page.items,
        total: page.total,
        page: filter.page,
        summary: String::new(),
        page_label: String::new(),
    })
}

/// An event's page with its listed ticket types, its title and description
/// in `locale` where the organizer gave them. Published and cancelled events
/// are public; a draft only exists for its own organizer (anyone else gets
/// the same 404 as for no event). The visitor's usable code for the event
/// (`code`) lists the hidden types it covers and prices its types with its
/// discount.
pub async fn detail(
    db: &PgPool,
    id: Uuid,
    viewer: Option<Uuid>,
    locale: Locale,
    code: Option<&CodeOffer>,
) -> BackendResult<EventDetail> {
    let (row, types) = catalogue::event_with_types(db, id, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status == EventStatus::Draft && viewer != Some(row.organizer_id) {
        return Err(AppError::NotFound.into());
    }
    let now = Utc::now();
    let capacity_left = row.capacity.map(|c| c - row.reserved - row.sold);
    // Before the queue's registration window (minutes before the first
    // type's opening), its page says when places open.
    let queue_opens = row
        .queue_register_minutes
        .zip(types.iter().map(|t| t.sale_starts_at).min())
        .map(|(minutes, opens)| opens - chrono::TimeDelta::minutes(i64::from(minutes)))
        .filter(|from| row.queue_enabled && *from > now)
        .map(|from| venue_time(from, &row.time_zone));
    let currency = row.currency;
    let covered = |t: &TicketTypeRow| code.filter(|c| c.ticket_types.contains(&t.id));
    let types: Vec<TicketTypeView> = types
        .into_iter()
        .filter(|t| !t.hidden || covered(t).is_some())
        .map(|t| {
            let left = t.quantity - t.reserved - t.sold;
            let off = covered(&t).map(|c| price::off(&t.price, c.discount));
            let (price, list_price) = match off {
                Some(off) if off.minor > 0 => (
                    t.price.currency.amount(t.price.minor - off.minor),
                    Some(t.price.clone()),
                ),
                _ => (t.price.clone(), None),
            };
            TicketTypeView {
                sale_state: SaleState::at(
                    now,
                    row.status,
                    row.sales_paused,
                    t.sale_starts_at,
                    t.sale_ends_at,
                ),
                id: t.id,
                name: t.name,
                description: t.description,
                price,
                list_price,
                hidden: t.hidden,
                quota_until: t
                    .quota_until
                    .filter(|_| t.hidden)
                    .map(|until| venue_time(until, &row.time_zone)),
                available: capacity_left.map_or(left, |c| left.min(c - t.quota_seats).max(0)),
                max_per_order: t.max_per_order,
                sale_starts_at: venue_time(t.sale_starts_at, &row.time_zone),
                sale_ends_at: venue_time(t.sale_ends_at, &row.time_zone),
            }
        })
        .collect();
    let quantity: i32 = types.iter().map(|t| t.available).sum::<i32>();
    let presale_until = row
        .presale_ends_at
        .filter(|end| row.queue_enabled && *end > now)
        .map(|end| venue_time(end, &row.time_zone));
    Ok(EventDetail {
        id: row.id,
        title: row.title,
        description: row.description,
        title_lang: lang_unless(row.title_locale, locale),
        description_lang: lang_unless(row.description_locale, locale),
        venue: row.venue,
        cover_url: row.cover_key.as_deref().map(super::covers::cover_url),
        starts_at: venue_time(row.starts_at, &row.time_zone),
        ends_at: venue_time(row.ends_at, &row.time_zone),
        time_zone: row.time_zone,
        currency,
        status: row.status,
        organizer_name: row.organizer_name,
        stock: row.capacity.unwrap_or(row.reserved + row.sold + quantity),
        available: capacity_left.map_or(quantity, |c| quantity.min(c)),
        types,
        code: match code {
            Some(c) => CodeView::Applied {
                code: c.code.clone(),
                discount: c.discount,
            },
            None => CodeView::None,
        },
        presale_until,
        queue_opens,
        queue: if row.queue_enabled {
            QueueView::Wait
        } else {
            QueueView::Off
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_safe_prefix_queries() {
        assert_eq!(tsquery("Jazz quay"), Some("jazz:* & quay:*".into()));
        assert_eq!(
            tsquery("  rock'n'roll!! "),
            Some("rock:* & n:* & roll:*".into())
        );
        assert_eq!(tsquery("&|!():*"), None);
        assert_eq!(tsquery(""), None);
    }

    #[test]
    fn ignores_unreadable_filters() {
        let filter = SearchFilter::parse(&CatalogueQuery {
            from: "2026-13-01".into(),
            min_price: "cheap".into(),
            max_price: "30".into(),
            to: "2026-12-31".into(),
            ..Default::default()
        });
        assert_eq!(filter.starts_on_or_after, None);
        assert_eq!(filter.min_price_minor, None);
        assert_eq!(filter.max_price_minor, Some(3000));
        assert_eq!(
            filter.starts_on_or_before,
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
    }
}
