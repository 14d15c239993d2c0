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
             (SELECT count(*) FROM orders WHERE status = 'paid') AS "paid_orders!""#
    )
    .fetch_one(db)
    .await
}
