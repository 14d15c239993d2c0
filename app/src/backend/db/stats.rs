//! The admin's view of the shop at a glance.

use sqlx::PgExecutor;

use crate::model::ShopStats;

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
