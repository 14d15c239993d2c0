//! An event's sales dashboard: figures per ticket type and in total, tickets
//! issued over time, recent orders. Read from the counters, tickets and orders
//! in PostgreSQL at each request, never from a cache that could drift.

use chrono::{Days, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::charts;
use super::orders::for_organizer::{self, OrderSearch};
use super::zones::venue_time;
use crate::backend::error::BackendResult;
use crate::model::{
    CodeSales, Currency, Role, SalesChart, SalesDashboard, SalesFigures, SalesPoint,
    format_day_month,
};

/// The most days the daily chart shows (the latest ones).
const MAX_DAYS: u64 = 60;
const MIN_DAYS: u64 = 7;
const RECENT_ORDERS: usize = 10;

/// `None` when the event is not the user's (or an admin's to see).
pub async fn dashboard(
    db: &PgPool,
    user: &SessionUser,
    event: Uuid,
) -> BackendResult<Option<SalesDashboard>> {
    let Some(e) = sqlx::query!(
        r#"SELECT title, currency AS "currency!: Currency", time_zone, capacity, reserved::bigint AS "reserved!",
                  buyer_cancel_hours, buyer_cancel_fee_percent, queue_enabled, presale_ends_at,
                  queue_check AS "queue_check: crate::model::QueueCheck", queue_register_minutes,
                  queue_admit_per_minute
           FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)"#,
        event,
        user.id,
        user.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let currency = e.currency;
    let (types, total) = per_type(db, event, &currency, e.capacity, e.reserved).await?;
    let codes = per_code(db, event, &currency).await?;
    let per_day = per_day(db, event, &currency, &e.time_zone).await?;
    let first_day = first_day(db, event, &currency).await?;

    let recent = for_organizer::list(db, user, event, &OrderSearch::default())
        .await?
        .map(|list| list.rows.into_iter().take(RECENT_ORDERS).collect())
        .unwrap_or_default();
    Ok(Some(SalesDashboard {
        event_id: event,
        title: e.title,
        types,
        total,
        codes,
        per_day: SalesChart {
            svg: (!per_day.is_empty())
                .then(|| charts::bar_chart(&per_day, "Day"))
                .flatten(),
            points: per_day,
        },
        first_day: first_day.map(|(day, points)| {
            let svg = charts::bar_chart(&points, "Hour");
            (day, SalesChart { points, svg })
        }),
        recent,
        cancel_hours: e.buyer_cancel_hours,
        cancel_fee_percent: e.buyer_cancel_fee_percent,
        cancellation: super::cancellation::progress(db, event).await?,
        queue_enabled: e.queue_enabled,
        presale_ends_at: e.presale_ends_at.map(|at| venue_time(at, &e.time_zone)),
        queue_check: e.queue_check,
        queue_register_minutes: e.queue_register_minutes,
        queue_admit_per_minute: e.queue_admit_per_minute,
        queue_admit_default_per_minute: 0,
        queue_live: None,
        waiting: super::waiting_list::for_event(db, event).await?,
    }))
}

/// Figures per ticket type, and for all of them (the capacity caps the total).
async fn per_type(
    db: &PgPool,
    event: Uuid,
    currency: &Currency,
    capacity: Option<i32>,
    reserved: i64,
) -> BackendResult<(Vec<SalesFigures>, SalesFigures)> {
    let rows = sqlx::query!(
        r#"SELECT t.name, t.quantity::bigint AS "quantity!", t.reserved::bigint AS "held!",
                  count(p.id) FILTER (WHERE p.refunded_at IS NULL) AS "sold!",
                  count(p.id) FILTER (WHERE p.refunded_at IS NULL AND p.checked_in_at IS NOT NULL) AS "checked_in!",
                  coalesce(sum(i.discount_minor), 0)::bigint AS "discounts!",
                  coalesce(sum(p.price_minor), 0)::bigint AS "gross!",
                  coalesce(sum(p.price_minor) FILTER (WHERE p.refunded_at IS NOT NULL), 0)::bigint AS "refunded!"
           FROM ticket_types t
           LEFT JOIN tickets p ON p.ticket_type_id = t.id
           -- One line per order and type: what its code took off each ticket.
           LEFT JOIN order_items i ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
           WHERE t.event_id = $1
           GROUP BY t.id ORDER BY t.position, t.id"#,
        event
    )
    .fetch_all(db)
    .await?;
    let figures =
        |name: String, quantity, held, sold, checked_in, [discounts, gross, refunded]: [i64; 3]| {
            SalesFigures {
                name,
                quantity,
                held,
                sold,
                checked_in,
                discounts: currency.amount(discounts),
                gross: currency.amount(gross),
                refunded: currency.amount(refunded),
                net: currency.amount(gross - refunded),
            }
        };
    let types: Vec<SalesFigures> = rows
        .into_iter()
        .map(|r| {
            figures(
                r.name,
                r.quantity,
                r.held,
                r.sold,
                r.checked_in,
                [r.discounts, r.gross, r.refunded],
            )
        })
        .collect();
    let sum = |f: fn(&SalesFigures) -> i64| types.iter().map(f).sum::<i64>();
    let quantity = sum(|t| t.quantity);
    let total = figures(
        "All types".into(),
        capacity.map_or(quantity, |c| i64::from(c).min(quantity)),
        reserved,
        sum(|t| t.sold),
        sum(|t| t.checked_in),
        [
            sum(|t| t.discounts.minor),
            sum(|t| t.gross.minor),
            sum(|t| t.refunded.minor),
        ],
    );
    Ok((types, total))
}

/// What each code sold (tickets not refunded), most tickets first.
async fn per_code(db: &PgPool, event: Uuid, currency: &Currency) -> BackendResult<Vec<CodeSales>> {
    let rows = sqlx::query!(
        r#"SELECT c.code, count(p.id) AS "tickets!",
                  coalesce(sum(i.discount_minor), 0)::bigint AS "discounts!",
                  coalesce(sum(p.price_minor), 0)::bigint AS "revenue!"
           FROM event_codes c
           JOIN order_items i ON i.code_id = c.id
           JOIN tickets p ON p.order_id = i.order_id AND p.ticket_type_id = i.ticket_type_id
           WHERE c.event_id = $1 AND p.refunded_at IS NULL
           GROUP BY c.id ORDER BY 2 DESC, c.code LIMIT 50"#,
        event
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CodeSales {
            code: r.code,
            tickets: r.tickets,
            discounts: currency.amount(r.discounts),
            revenue: currency.amount(r.revenue),
        })
        .collect())
}

/// Tickets sold (issued and not refunded since, as the "Sold" column counts)
/// and their revenue per day on the venue's clock, the latest days only;
/// at least a week, so that one day of sales reads as a day, not a wall.
async fn per_day(
    db: &PgPool,
    event: Uuid,
    currency: &Currency,
    time_zone: &str,
) -> BackendResult<Vec<SalesPoint>> {
    let days = sqlx::query!(
        r#"SELECT (p.created_at AT TIME ZONE e.time_zone)::date AS "day!", count(*) AS "tickets!",
                  sum(p.price_minor)::bigint AS "revenue!"
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
           WHERE t.event_id = $1 AND p.refunded_at IS NULL GROUP BY 1 ORDER BY 1"#,
        event
    )
    .fetch_all(db)
    .await?;
    let today = venue_time(Utc::now(), time_zone).local.date();
    Ok(match days.first() {
        None => Vec::new(),
        Some(first) => {
            let start = first
                .day
                .min(today - Days::new(MIN_DAYS - 1))
                .max(today - Days::new(MAX_DAYS - 1));
            let mut points = Vec::new();
            let mut day: NaiveDate = start;
            while day <= today.max(start) {
                let found = days.iter().find(|d| d.day == day);
                points.push(SalesPoint {
                    label: format_day_month(&day),
                    tickets: found.map_or(0, |d| d.tickets),
                    revenue: currency.amount(found.map_or(0, |d| d.revenue)),
                });
                day = day + Days::new(1);
            }
            points
        }
    })
}

/// The first day anything sold, hour by hour: how the on-sale went.
async fn first_day(
    db: &PgPool,
    event: Uuid,
    currency: &Currency,
) -> BackendResult<Option<(String, Vec<SalesPoint>)>> {
    let hours = sqlx::query!(
        r#"WITH opening AS (
               SELECT (min(p.created_at) AT TIME ZONE e.time_zone)::date AS day, e.time_zone
               FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE e.id = $1 GROUP BY e.time_zone)
           SELECT o.day AS "day!", extract(hour FROM p.created_at AT TIME ZONE o.time_zone)::int AS "hour!",
                  count(*) AS "tickets!", sum(p.price_minor)::bigint AS "revenue!"
           FROM opening o, tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           WHERE t.event_id = $1 AND (p.created_at AT TIME ZONE o.time_zone)::date = o.day
             AND p.refunded_at IS NULL
           GROUP BY 1, 2 ORDER BY 2"#,
        event
    )
    .fetch_all(db)
    .await?;
    Ok(hours.first().map(|first| {
        let points = (0..24)
            .map(|hour| {
                let found = hours.iter().find(|h| h.hour == hour);
                SalesPoint {
                    label: format!("{hour:02}:00"),
                    tickets: found.map_or(0, |h| h.tickets),
                    revenue: currency.amount(found.map_or(0, |h| h.revenue)),
                }
            })
            .collect();
        (format_day_month(&first.day), points)
    }))
}
