//! Catalogue queries: what buyers can browse and search.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::model::{EventCard, PAGE_SIZE, SortOrder, TicketStatus};

/// A parsed catalogue filter (see `backend::catalogue::Filter::parse`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// A PostgreSQL `tsquery` in the `simple` configuration, prefix-matching each word.
    pub tsquery: Option<String>,
    pub starts_from: Option<DateTime<Utc>>,
    pub starts_before: Option<DateTime<Utc>>,
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

/// Published listings whose sale has not ended, filtered, sorted and paged.
/// Text search uses the `tickets_search` GIN index; the others the partial
/// `tickets_published_*` indexes.
pub async fn search<'e>(
    db: impl PgExecutor<'e>,
    filter: &SearchFilter,
) -> sqlx::Result<SearchPage> {
    let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    let rows = sqlx::query!(
        r#"
        SELECT t.id, t.title, t.venue, t.starts_at, t.sale_starts_at, t.price_minor,
               t.currency AS "currency!: String", t.stock,
               (t.stock - t.reserved - t.sold) AS "available!",
               COALESCE((SELECT a.org_name FROM organizer_applications a
                          WHERE a.user_id = t.organizer_id AND a.status = 'approved'
                          ORDER BY a.decided_at DESC LIMIT 1), u.name) AS "organizer_name!",
               count(*) OVER () AS "total!"
        FROM tickets t
        JOIN users u ON u.id = t.organizer_id
        WHERE t.status = 'published' AND t.sale_ends_at > now()
          AND ($1::text IS NULL OR t.search_document @@ to_tsquery('simple', $1))
          AND ($2::timestamptz IS NULL OR t.starts_at >= $2)
          AND ($3::timestamptz IS NULL OR t.starts_at < $3)
          AND ($4::bigint IS NULL OR t.price_minor >= $4)
          AND ($5::bigint IS NULL OR t.price_minor <= $5)
          AND (NOT $6 OR t.stock - t.reserved - t.sold > 0)
        ORDER BY CASE WHEN $7 THEN t.price_minor END ASC, t.starts_at, t.id
        LIMIT $8 OFFSET $9
        "#,
        filter.tsquery,
        filter.starts_from,
        filter.starts_before,
        filter.min_price_minor,
        filter.max_price_minor,
        filter.available_only,
        filter.sort == SortOrder::Price,
        i64::from(PAGE_SIZE),
        offset
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let items = rows
        .into_iter()
        .map(|r| EventCard {
            id: r.id,
            title: r.title,
            venue: r.venue,
            starts_at: r.starts_at,
            sale_starts_at: r.sale_starts_at,
            price_minor: r.price_minor,
            currency: r.currency,
            stock: r.stock,
            available: r.available,
            organizer_name: r.organizer_name,
        })
        .collect();
    Ok(SearchPage { items, total })
}

/// A listing's full details, with its organizer, whatever its status.
pub struct TicketRow {
    pub id: Uuid,
    pub organizer_id: Uuid,
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
    pub reserved: i32,
    pub sold: i32,
    pub max_per_order: i32,
    pub status: TicketStatus,
    pub organizer_name: String,
}

pub async fn ticket<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<TicketRow>> {
    sqlx::query_as!(
        TicketRow,
        r#"SELECT t.id, t.organizer_id, t.title, t.description, t.venue, t.starts_at, t.ends_at,
                  t.sale_starts_at, t.sale_ends_at, t.price_minor, t.currency AS "currency!: String",
                  t.stock, t.reserved, t.sold, t.max_per_order, t.status AS "status: TicketStatus",
                  COALESCE((SELECT a.org_name FROM organizer_applications a
                          WHERE a.user_id = t.organizer_id AND a.status = 'approved'
                          ORDER BY a.decided_at DESC LIMIT 1), u.name) AS "organizer_name!"
           FROM tickets t JOIN users u ON u.id = t.organizer_id
           WHERE t.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}
