//! Migrations that rewrite data already there, tried on rows written the way
//! the shop wrote them before: each must apply (in one transaction, as the
//! server applies it) and leave what it promises.

use sqlx::{Executor, PgPool};

/// Applies every migration before `version`, as the server would have.
async fn migrate_until(db: &PgPool, version: i64) {
    for migration in server::MIGRATOR.iter().filter(|m| m.version < version) {
        db.execute(sqlx::raw_sql(migration.sql.clone()))
            .await
            .expect("earlier migration");
    }
}

/// Applies the migration `version` alone, in one transaction.
async fn apply(db: &PgPool, version: i64) {
    let migration = server::MIGRATOR
        .iter()
        .find(|m| m.version == version)
        .expect("the migration");
    let mut tx = db.begin().await.unwrap();
    tx.execute(sqlx::raw_sql(migration.sql.clone()))
        .await
        .expect("the migration applies");
    tx.commit().await.unwrap();
}

/// Refund reasons that were English sentences become causes; the organizer's
/// own words stay, and the words shown are the same as before.
#[sqlx::test(migrations = false)]
async fn refund_sentences_become_causes(db: PgPool) {
    const CAUSES: i64 = 20261206000010;
    migrate_until(&db, CAUSES).await;
    let sold_out = "Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.";
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role)
         VALUES ('00000000-0000-0000-0000-000000000001', 'b@example.com', 'B', 'h', 'buyer')",
    )
    .execute(&db)
    .await
    .unwrap();
    for (n, reason) in [
        (1, sold_out),
        (2, "The event was cancelled: Storm"),
        (3, "Double booking"),
    ] {
        sqlx::query(
            "INSERT INTO orders (id, user_id, status, total_minor, currency, reserved_until, paid_at, refund_reason)
             VALUES (('00000000-0000-0000-0000-00000000000' || $1)::uuid,
                     '00000000-0000-0000-0000-000000000001', 'refunded', 100, 'EUR', now(), now(), $2)",
        )
        .bind(n.to_string())
        .bind(reason)
        .execute(&db)
        .await
        .unwrap();
    }
    for reason in [
        "Cancelled by the buyer.",
        "The event was cancelled: Storm",
        "Double booking",
    ] {
        sqlx::query(
            "INSERT INTO refunds (order_id, amount_minor, reason, restocked)
             VALUES ('00000000-0000-0000-0000-000000000003', 100, $1, false)",
        )
        .bind(reason)
        .execute(&db)
        .await
        .unwrap();
    }
    apply(&db, CAUSES).await;

    let orders: Vec<(app::model::RefundCause, Option<String>)> =
        sqlx::query_as("SELECT refund_cause, refund_reason FROM orders ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    use app::model::RefundCause::*;
    assert_eq!(
        orders,
        [
            (PaidTooLate, None),
            (EventCancelled, Some("Storm".into())),
            (Organizer, Some("Double booking".into())),
        ]
    );
    let shown: Vec<String> = orders
        .iter()
        .map(|(cause, reason)| cause.explain(reason.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        shown,
        [sold_out, "The event was cancelled: Storm", "Double booking"]
    );
    let refunds: Vec<(app::model::RefundCause, String)> =
        sqlx::query_as("SELECT cause, reason FROM refunds ORDER BY cause")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        refunds,
        [
            (Organizer, "Double booking".into()),
            (BuyerCancelled, String::new()),
            (EventCancelled, "Storm".into()),
        ]
    );
    // A refunded order must say why; the organizer's refund must give words.
    let unexplained = sqlx::query(
        "UPDATE orders SET refund_cause = NULL WHERE id = '00000000-0000-0000-0000-000000000003'",
    )
    .execute(&db)
    .await;
    assert!(unexplained.is_err());
    let wordless = sqlx::query("UPDATE refunds SET reason = '' WHERE cause = 'organizer'")
        .execute(&db)
        .await;
    assert!(wordless.is_err());
}
