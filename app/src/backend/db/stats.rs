//! The admin's view of the shop at a glance.

use sqlx::PgExecutor;

use crate::model::{Currency, DailySales, ShopStats};

pub async fn shop_stats<'e>(db: impl PgExecutor<'e>) -> sqlx::Result<ShopStats> {
    sqlx::query_as!(
        ShopStats,
        r#"SELECT
             (SELECT count(*) FROM users WHERE role = 'buyer') AS "buyers!",
             (SELECT count(*) FROM users WHERE role = 'organizer') AS "organizers!",
             (SELECT count(*) FROM users WHERE role = 'admin') AS "admins!",
             (SELECT count(*) FROM organizer_applications WHERE status = 'pending') AS "pending_applications!",
             (SELECT count(*) FROM events WHERE status = 'published' AND ends_at > now()) AS "published_events!",
             (SELECT coalesce(sum(sold), 0)::bigint FROM events) AS "seats_sold!",
             (SELECT count(*) FROM orders WHERE status = 'paid') AS "paid_orders!",
             (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL) AS "mail_waiting!",
             (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL) AS "mail_failed!""#
    )
    .fetch_one(db)
    .await
}

/// Paid orders, revenue and refunds per day of payment (UTC) and currency,
/// for the last `days` days, newest first.
pub async fn daily_sales<'e>(db: impl PgExecutor<'e>, days: i32) -> sqlx::Result<Vec<DailySales>> {
    let rows = sqlx::query!(
        r#"SELECT (paid_at AT TIME ZONE 'UTC')::date AS "day!", currency AS "currency!: Currency",
                  count(*) AS "orders!", sum(total_minor)::bigint AS "gross!",
                  sum(refunded_minor)::bigint AS "refunded!"
           FROM orders
           WHERE paid_at IS NOT NULL
             AND paid_at >= (now() AT TIME ZONE 'UTC')::date - $1::int
           GROUP BY 1, 2 ORDER BY 1 DESC, 2"#,
        days
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let currency = r.currency;
            DailySales {
                day: r.day,
                orders: r.orders,
                gross: currency.amount(r.gross),
                refunded: currency.amount(r.refunded),
                net: currency.amount(r.gross - r.refunded),
            }
        })
        .collect())
}

/// What the background workers have yet to do, for the metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Backlog {
    /// Pending orders whose hold ran out and that no sweeper released yet.
    pub overdue_holds: i64,
    /// How long the oldest of them has been overdue (0 when none is).
    pub oldest_overdue_secs: f64,
    /// Messages waiting to be sent, and those given up for good.
    pub outbox_due: i64,
    pub outbox_failed: i64,
}

pub async fn backlog<'e>(db: impl PgExecutor<'e>) -> sqlx::Result<Backlog> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM orders WHERE status = 'pending' AND reserved_until < now()) AS "overdue_holds!",
             (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(reserved_until))::float8, 0)
                FROM orders WHERE status = 'pending' AND reserved_until < now()) AS "oldest_overdue_secs!",
             (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL) AS "outbox_due!",
             (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL) AS "outbox_failed!""#
    )
    .fetch_one(db)
    .await?;
    Ok(Backlog {
        overdue_holds: row.overdue_holds,
        oldest_overdue_secs: row.oldest_overdue_secs,
        outbox_due: row.outbox_due,
        outbox_failed: row.outbox_failed,
    })
}
