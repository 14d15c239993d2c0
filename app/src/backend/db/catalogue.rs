//! Catalogue queries: what buyers can browse and search.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::backend::covers::cover_url;
use crate::backend::zones::venue_time;
use crate::i18n::Locale;
use crate::model::{Currency, EventCard, EventStatus, Money, PAGE_SIZE, SortOrder};

/// A parsed catalogue filter (see `backend::catalogue::Filter::parse`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// A PostgreSQL `tsquery` in the `simple` configuration, prefix-matching each word.
    pub tsquery: Option<String>,
    /// Days on the venue's calendar, both included.
    pub starts_on_or_after: Option<NaiveDate>,
    pub starts_on_or_before: Option<NaiveDate>,
    pub min_price_minor: Option<i64>,
    pub max_price_minor: Option<i64>,
    pub available_only: bool,
    pub sort: SortOrder,
    pub page: u32,
}

pub struct SearchPage {
    pub items: Vec<EventCard>,
    pub total: i64,
}

/// Published events with a listed ticket type whose sale has not ended,
/// filtered, sorted and paged. Price filters and the sort use the cheapest such
/// type; by price, each currency is sorted on its own (by its code), since
/// €5 and £5 do not compare. Text search uses the `events_search` and
/// `event_translations_search` GIN indexes: a title in any language finds the
/// event, whose title the card then shows in `locale` where there is one.
pub async fn search(
    db: &PgPool,
    filter: &SearchFilter,
    locale: Locale,
) -> sqlx::Result<SearchPage> {
    let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    // Planned for its actual parameters every time: a cached generic plan for
    // the optional filters (`$1 IS NULL OR ...`) cannot use the full-text
    // index. Set for this transaction only, since a connection-wide setting is
    // a startup option that PgBouncer refuses.
    let mut tx = db.begin().await?;
    sqlx::query!("SET LOCAL plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query!(
        r#"
        SELECT e.id, COALESCE(tr.title, e.title) AS "title!", COALESCE(tr.locale, e.locale) AS "title_locale!",
               e.venue, e.cover_key, e.starts_at, e.time_zone,
               ty.sale_starts_at AS "sale_starts_at!",
               ty.price_minor AS "price_minor!", ty.several_prices AS "several_prices!",
               e.currency AS "currency!: Currency",
               COALESCE(e.capacity, ty.quantity) AS "stock!",
               GREATEST(LEAST(ty.left_total,
                              COALESCE(e.capacity - e.reserved - e.sold - quota_seats(e.id, NULL),
                                       ty.left_total)), 0) AS "available!",
               COALESCE((SELECT a.org_name FROM organizer_applications a
                          WHERE a.user_id = e.organizer_id AND a.status = 'approved'
                          ORDER BY a.decided_at DESC LIMIT 1), u.name) AS "organizer_name!",
               count(*) OVER () AS "total!"
        FROM events e
        JOIN users u ON u.id = e.organizer_id
        JOIN LATERAL (
            SELECT min(t.price_minor) AS price_minor,
                   count(DISTINCT t.price_minor) > 1 AS several_prices,
                   min(t.sale_starts_at) AS sale_starts_at,
                   sum(t.quantity)::int AS quantity,
                   sum(t.quantity - t.reserved - t.sold)::int AS left_total
            FROM ticket_types t
            WHERE t.event_id = e.id AND NOT type_hidden(t) AND t.sale_ends_at > now()
        ) ty ON ty.price_minor IS NOT NULL
        LEFT JOIN event_translations tr ON tr.event_id = e.id AND tr.locale = $10
        WHERE e.status = 'published' AND u.suspended_at IS NULL
          AND ($1::text IS NULL OR e.search_document @@ to_tsquery('simple', $1)
               OR e.id IN (SELECT x.event_id FROM event_translations x
                           WHERE x.search_document @@ to_tsquery('simple', $1)))
          AND ($2::date IS NULL OR (e.starts_at AT TIME ZONE e.time_zone)::date >= $2)
          AND ($3::date IS NULL OR (e.starts_at AT TIME ZONE e.time_zone)::date <= $3)
          AND ($4::bigint IS NULL OR ty.price_minor >= $4)
          AND ($5::bigint IS NULL OR ty.price_minor <= $5)
          AND (NOT $6 OR LEAST(ty.left_total, COALESCE(e.capacity - e.reserved - e.sold, ty.left_total)) > 0)
        ORDER BY CASE WHEN $7 THEN e.currency END, CASE WHEN $7 THEN ty.price_minor END, e.starts_at, e.id
        LIMIT $8 OFFSET $9
        "#,
        filter.tsquery,
        filter.starts_on_or_after,
        filter.starts_on_or_before,
        filter.min_price_minor,
        filter.max_price_minor,
        filter.available_only,
        filter.sort == SortOrder::Price,
        i64::from(PAGE_SIZE),
        offset,
        locale.tag()
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let total = rows.first().map_or(0, |r| r.total);
    let items = rows
        .into_iter()
        .map(|r| EventCard {
            id: r.id,
            title: r.title,
            title_locale: Locale::from_tag(&r.title_locale).unwrap_or_default(),
            venue: r.venue,
            cover_url: r.cover_key.as_deref().map(cover_url),
            starts_at: venue_time(r.starts_at, &r.time_zone),
            sale_starts_at: venue_time(r.sale_starts_at, &r.time_zone),
            price: r.currency.amount(r.price_minor),
            several_prices: r.several_prices,
            stock: r.stock,
            available: r.available,
            organizer_name: r.organizer_name,
            words: Default::default(),
        })
        .collect();
    Ok(SearchPage { items, total })
}

/// An event's full details, with its organizer, whatever its status.
pub struct EventRow {
    pub id: Uuid,
    pub organizer_id: Uuid,
    /// In the language asked for where there is a translation.
    pub title: String,
    /// That translation's, else the event's own.
    pub description: String,
    /// The languages `title` and `description` are written in.
    pub title_locale: Locale,
    pub description_locale: Locale,
    pub venue: String,
    pub cover_key: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub currency: Currency,
    pub capacity: Option<i32>,
    pub reserved: i32,
    pub sold: i32,
    pub status: EventStatus,
    /// Its organizer is suspended: shown, not sold.
    pub sales_paused: bool,
    /// Its sale goes through the waiting room (the organizer's switch).
    pub queue_enabled: bool,
    pub presale_ends_at: Option<DateTime<Utc>>,
    /// Places in its queue are taken from this many minutes before the opening.
    pub queue_register_minutes: Option<i32>,
    pub organizer_name: String,
}

/// The event and its ticket types (in the organizer's order), in one query:
/// the ticket page is what everyone reloads during an on-sale. Its title and
/// description are `locale`'s where the organizer gave them.
pub async fn event_with_types<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    locale: Locale,
) -> sqlx::Result<Option<(EventRow, Vec<TicketTypeRow>)>> {
    let rows = sqlx::query!(
        r#"WITH e AS (
               SELECT e.*, u.suspended_at IS NOT NULL AS sales_paused,
                      COALESCE((SELECT a.org_name FROM organizer_applications a
                                WHERE a.user_id = e.organizer_id AND a.status = 'approved'
                                ORDER BY a.decided_at DESC LIMIT 1), u.name) AS organizer_name
               FROM events e JOIN users u ON u.id = e.organizer_id
               WHERE e.id = $1),
           tr AS (SELECT * FROM event_translations WHERE event_id = $1 AND locale = $2)
           SELECT e.id AS "id!", e.organizer_id AS "organizer_id!",
                  COALESCE((SELECT tr.title FROM tr), e.title) AS "title!",
                  COALESCE((SELECT tr.locale FROM tr), e.locale) AS "title_locale!",
                  COALESCE((SELECT NULLIF(tr.description, '') FROM tr), e.description) AS "description!",
                  COALESCE((SELECT tr.locale FROM tr WHERE tr.description <> ''), e.locale) AS "description_locale!",
                  e.venue AS "venue!", e.cover_key,
                  e.starts_at AS "starts_at!", e.ends_at AS "ends_at!", e.time_zone AS "time_zone!",
                  e.currency AS "currency!: Currency", e.capacity, e.reserved AS "reserved!", e.sold AS "sold!",
                  e.status AS "status!: EventStatus", e.sales_paused AS "sales_paused!",
                  e.queue_enabled AS "queue_enabled!", e.organizer_name AS "organizer_name!",
                  e.presale_ends_at, e.queue_register_minutes,
                  t.id AS "type_id?", t.name AS "type_name?", t.description AS "type_description?",
                  t.price_minor AS "price_minor?", t.quantity AS "quantity?", t.reserved AS "type_reserved?",
                  t.sold AS "type_sold?", t.sale_starts_at AS "sale_starts_at?",
                  t.sale_ends_at AS "sale_ends_at?", t.max_per_order AS "max_per_order?",
                  type_hidden(t) AS "hidden?", t.quota_until,
                  quota_seats(e.id, t.id) AS "quota_seats?"
           FROM e LEFT JOIN ticket_types t ON t.event_id = e.id
           ORDER BY t.position, t.created_at, t.id"#,
        id,
        locale.tag()
    )
    .fetch_all(db)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let event = EventRow {
        id: first.id,
        organizer_id: first.organizer_id,
        title: first.title.clone(),
        description: first.description.clone(),
        title_locale: Locale::from_tag(&first.title_locale).unwrap_or_default(),
        description_locale: Locale::from_tag(&first.description_locale).unwrap_or_default(),
        venue: first.venue.clone(),
        cover_key: first.cover_key.clone(),
        starts_at: first.starts_at,
        ends_at: first.ends_at,
        time_zone: first.time_zone.clone(),
        currency: first.currency.clone(),
        capacity: first.capacity,
        reserved: first.reserved,
        sold: first.sold,
        status: first.status,
        sales_paused: first.sales_paused,
        queue_enabled: first.queue_enabled,
        presale_ends_at: first.presale_ends_at,
        queue_register_minutes: first.queue_register_minutes,
        organizer_name: first.organizer_name.clone(),
    };
    let first_currency = event.currency.clone();
    let types = rows
        .into_iter()
        .filter_map(|r| {
            Some(TicketTypeRow {
                id: r.type_id?,
                name: r.type_name?,
                description: r.type_description?,
                price: first_currency.amount(r.price_minor?),
                quantity: r.quantity?,
                reserved: r.type_reserved?,
                sold: r.type_sold?,
                sale_starts_at: r.sale_starts_at?,
                sale_ends_at: r.sale_ends_at?,
                max_per_order: r.max_per_order?,
                hidden: r.hidden?,
                quota_until: r.quota_until,
                quota_seats: r.quota_seats?,
            })
        })
        .collect();
    Ok(Some((event, types)))
}

/// One of an event's ticket types, with its counters.
pub struct TicketTypeRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub price: Money,
    pub quantity: i32,
    pub reserved: i32,
    pub sold: i32,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    pub max_per_order: i32,
    /// Sold only with a code now (a quota's type no longer, once it ends).
    pub hidden: bool,
    /// When a quota's seats go on general sale; `None` for other types.
    pub quota_until: Option<DateTime<Utc>>,
    /// Seats of the capacity set aside for the event's other quotas.
    pub quota_seats: i32,
}

/// A ticket type as adding it to a cart sees it: its event, the event's
/// status, and whether the type is hidden (sold only with a code).
pub struct TypeForCart {
    pub event_id: Uuid,
    pub status: EventStatus,
    pub hidden: bool,
}

/// `None` for no such type.
pub async fn type_for_cart<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
) -> sqlx::Result<Option<TypeForCart>> {
    sqlx::query_as!(
        TypeForCart,
        r#"SELECT t.event_id, e.status AS "status: EventStatus", type_hidden(t) AS "hidden!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE t.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The event a ticket type belongs to.
pub async fn event_of_type<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("SELECT event_id FROM ticket_types WHERE id = $1", id)
        .fetch_optional(db)
        .await
}
