//! Migrations that rewrite data already there, tried on rows written the way
//! the shop wrote them before: each must apply (in one transaction, as the
//! server applies it) and leave what it promises.

use sqlx::{Executor, PgPool};

/// A fixture statement: a buyer `b`, an organizer `o`, their published event
/// `e` and its ticket type `t` (3000 minor units, 10 seats), then `$rest`.
macro_rules! with_a_gig {
    ($rest:literal) => {
        concat!(
            "WITH b AS (INSERT INTO users (email, name, password_hash) VALUES ('b@example.com', 'B', 'h') RETURNING id),
              o AS (INSERT INTO users (email, name, password_hash, role) VALUES ('o@example.com', 'O', 'h', 'organizer') RETURNING id),
              e AS (INSERT INTO events (organizer_id, title, venue, starts_at, ends_at, currency, status)
                    SELECT id, 'Gig', 'Hall', now() + interval '1 day', now() + interval '2 days', 'EUR', 'published' FROM o RETURNING id),
              t AS (INSERT INTO ticket_types (event_id, name, price_minor, quantity, sale_starts_at, sale_ends_at)
                    SELECT id, 'Admission', 3000, 10, now(), now() + interval '1 day' FROM e RETURNING id),
              ",
            $rest
        )
    };
}

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

/// Tickets issued before their price was kept take their line's unit price
/// (what they were charged); a ticket cannot be issued without one.
#[sqlx::test(migrations = false)]
async fn tickets_take_the_price_they_were_charged(db: PgPool) {
    const PRICES: i64 = 20261206000011;
    migrate_until(&db, PRICES).await;
    sqlx::query(
        with_a_gig!(
        "              ord AS (INSERT INTO orders (user_id, status, total_minor, currency, reserved_until, paid_at)
                      SELECT id, 'paid', 5000, 'EUR', now(), now() FROM b RETURNING id),
              i AS (INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, currency)
                    SELECT ord.id, t.id, 2, 2500, 'EUR' FROM ord, t RETURNING order_id, ticket_type_id)
         INSERT INTO passes (order_id, ticket_type_id, seat_no, code)
         SELECT order_id, ticket_type_id, s, md5(s::text) || md5(random()::text) FROM i, generate_series(1, 2) s"),
    )
    .execute(&db)
    .await
    .unwrap();
    apply(&db, PRICES).await;
    // The line's 2500, not the type's price of today (3000).
    let prices: Vec<i64> = sqlx::query_scalar("SELECT price_minor FROM passes ORDER BY seat_no")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(prices, [2500, 2500]);
    let unpriced = sqlx::query(
        "INSERT INTO passes (order_id, ticket_type_id, seat_no, code)
         SELECT order_id, ticket_type_id, 3, md5('x') || md5('y') FROM passes LIMIT 1",
    )
    .execute(&db)
    .await;
    assert!(unpriced.is_err(), "a ticket without its price");
    let refund: i64 = sqlx::query_scalar("SELECT cancel_refund_minor(2599, 10)")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(refund, 2599 - 259, "the fee rounds down");
}

/// Order lines made before their amount was kept cost their quantity times
/// their unit price (what they were charged); a line cannot be written
/// without one, nor with a negative one.
#[sqlx::test(migrations = false)]
async fn order_lines_keep_what_they_cost(db: PgPool) {
    const AMOUNTS: i64 = 20261206000012;
    migrate_until(&db, AMOUNTS).await;
    sqlx::query(
        with_a_gig!(
        "              ord AS (INSERT INTO orders (user_id, status, total_minor, currency, reserved_until, paid_at)
                      SELECT id, 'paid', 7500, 'EUR', now(), now() FROM b RETURNING id)
         INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, currency)
         SELECT ord.id, t.id, 3, 2500, 'EUR' FROM ord, t"),
    )
    .execute(&db)
    .await
    .unwrap();
    apply(&db, AMOUNTS).await;
    let amount: i64 = sqlx::query_scalar("SELECT amount_minor FROM order_items")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(amount, 7500);
    for amount in [None, Some(-1_i64)] {
        let bad = sqlx::query("UPDATE order_items SET amount_minor = $1")
            .bind(amount)
            .execute(&db)
            .await;
        assert!(bad.is_err(), "a line costing {amount:?}");
    }
}

/// The schema says ticket, as the glossary does: the tables and the refund
/// shares' column are renamed with their rows, and the old names are gone.
#[sqlx::test(migrations = false)]
async fn passes_become_tickets_with_their_rows(db: PgPool) {
    const TICKETS: i64 = 20261206000013;
    migrate_until(&db, TICKETS).await;
    sqlx::query(
        with_a_gig!(
        "              ord AS (INSERT INTO orders (user_id, status, total_minor, refunded_minor, currency, reserved_until, paid_at)
                      SELECT id, 'paid', 2500, 2500, 'EUR', now(), now() FROM b RETURNING id),
              i AS (INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor, currency)
                    SELECT ord.id, t.id, 1, 2500, 2500, 'EUR' FROM ord, t RETURNING order_id, ticket_type_id),
              p AS (INSERT INTO passes (order_id, ticket_type_id, seat_no, code, price_minor)
                    SELECT order_id, ticket_type_id, 1, md5('a') || md5('b'), 2500 FROM i RETURNING id, order_id),
              r AS (INSERT INTO refunds (order_id, amount_minor, reason, restocked, cause)
                    SELECT order_id, 2500, 'Moved', false, 'organizer' FROM p RETURNING id)
         INSERT INTO refund_passes (refund_id, pass_id, amount_minor) SELECT r.id, p.id, 2500 FROM r, p"),
    )
    .execute(&db)
    .await
    .unwrap();
    apply(&db, TICKETS).await;
    let (code, share): (String, i64) = sqlx::query_as(
        "SELECT t.code, rt.amount_minor FROM tickets t JOIN refund_tickets rt ON rt.ticket_id = t.id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((code.len(), share), (64, 2500));
    for old in ["SELECT 1 FROM passes", "SELECT pass_id FROM refund_tickets"] {
        assert!(sqlx::query(old).execute(&db).await.is_err(), "{old}");
    }
    let old_names: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM pg_constraint WHERE conname LIKE '%pass%')
              + (SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%pass%')",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(old_names, 0, "constraints and indexes are renamed too");
}

/// Orders that ended because Stripe reported their payment failed were
/// called expired: they become declined; a hold that ran out stays expired.
#[sqlx::test(migrations = false)]
async fn orders_whose_payment_failed_become_declined(db: PgPool) {
    const DECLINED: i64 = 20261206000015;
    migrate_until(&db, DECLINED).await;
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "WITH b AS (INSERT INTO users (email, name, password_hash) VALUES ('b@example.com', 'B', 'h') RETURNING id)
         INSERT INTO orders (user_id, status, total_minor, currency, reserved_until)
         SELECT b.id, 'expired', 2500, 'EUR', now() FROM b, generate_series(1, 2)
         RETURNING id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO stripe_events (id, type, order_id)
         VALUES ('evt_failed', 'checkout.session.async_payment_failed', $1),
                ('evt_expired', 'checkout.session.expired', $2)",
    )
    .bind(ids[0])
    .bind(ids[1])
    .execute(&db)
    .await
    .unwrap();
    apply(&db, DECLINED).await;
    let statuses: Vec<String> = sqlx::query_scalar(
        "SELECT status::text FROM orders ORDER BY array_position($1::uuid[], id)",
    )
    .bind(&ids)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(statuses, ["declined", "expired"]);
}
