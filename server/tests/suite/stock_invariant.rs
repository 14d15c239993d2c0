//! The database itself refuses to oversell, whatever the application does.

use crate::support;

use sqlx::PgPool;
use uuid::Uuid;

async fn ticket_with_stock(db: &PgPool, stock: i32) -> Uuid {
    let organizer: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role)
         VALUES ('org@example.com', 'Org', 'x', 'organizer') RETURNING id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    support::published_listing(db, organizer, "Gig", 2500, stock).await
}

async fn constraint_violated(db: &PgPool, sql: &'static str, id: Uuid) -> Option<String> {
    match sqlx::query(sql).bind(id).execute(db).await {
        Ok(_) => None,
        Err(sqlx::Error::Database(err)) => err.constraint().map(str::to_owned),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn check_constraint_rejects_an_oversell_written_in_sql(db: PgPool) {
    let id = ticket_with_stock(&db, 5).await;

    // Filling the stock exactly is fine...
    assert_eq!(
        constraint_violated(
            &db,
            "UPDATE ticket_types SET reserved = 2, sold = 3 WHERE id = $1",
            id
        )
        .await,
        None
    );
    // ...one seat more is not, whether held or sold.
    for sql in [
        "UPDATE ticket_types SET reserved = reserved + 1 WHERE id = $1",
        "UPDATE ticket_types SET sold = sold + 1 WHERE id = $1",
        "UPDATE ticket_types SET quantity = 4 WHERE id = $1",
        "UPDATE ticket_types SET reserved = -1, sold = 0 WHERE id = $1",
        "UPDATE ticket_types SET reserved = 0, sold = -1 WHERE id = $1",
    ] {
        assert_eq!(
            constraint_violated(&db, sql, id).await.as_deref(),
            Some("ticket_types_no_oversell"),
            "{sql}"
        );
    }
    let (reserved, sold): (i32, i32) =
        sqlx::query_as("SELECT reserved, sold FROM ticket_types WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (reserved, sold),
        (2, 3),
        "a rejected update changed the counters"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn check_constraint_rejects_going_over_the_event_capacity(db: PgPool) {
    // The event (same id as its one type) shares a capacity of 5.
    let id = ticket_with_stock(&db, 10).await;
    sqlx::query("UPDATE events SET capacity = 5 WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        constraint_violated(
            &db,
            "UPDATE events SET reserved = 2, sold = 3 WHERE id = $1",
            id
        )
        .await,
        None
    );
    for sql in [
        "UPDATE events SET reserved = reserved + 1 WHERE id = $1",
        "UPDATE events SET sold = sold + 1 WHERE id = $1",
        "UPDATE events SET capacity = 4 WHERE id = $1",
        "UPDATE events SET reserved = -1, sold = 0 WHERE id = $1",
    ] {
        assert_eq!(
            constraint_violated(&db, sql, id).await.as_deref(),
            Some("events_within_capacity"),
            "{sql}"
        );
    }
    // Without a capacity, only the types' own quantities apply.
    assert_eq!(
        constraint_violated(
            &db,
            "UPDATE events SET capacity = NULL, sold = 100 WHERE id = $1",
            id
        )
        .await,
        None
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn conditional_reservation_stops_at_zero(db: PgPool) {
    let id = ticket_with_stock(&db, 3).await;
    let reserve = "UPDATE ticket_types SET reserved = reserved + 2 WHERE id = $1 AND quantity - reserved - sold >= 2";
    assert_eq!(
        sqlx::query(reserve)
            .bind(id)
            .execute(&db)
            .await
            .unwrap()
            .rows_affected(),
        1
    );
    // Only one seat is left: the guarded update matches nothing instead of failing.
    assert_eq!(
        sqlx::query(reserve)
            .bind(id)
            .execute(&db)
            .await
            .unwrap()
            .rows_affected(),
        0
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn one_pending_order_per_buyer(db: PgPool) {
    let buyer: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash) VALUES ('b@example.com', 'B', 'x') RETURNING id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let insert = "INSERT INTO orders (user_id, total_minor, currency, reserved_until)
                  VALUES ($1, 100, 'EUR', now() + interval '30 minutes')";
    sqlx::query(insert).bind(buyer).execute(&db).await.unwrap();
    assert_eq!(
        constraint_violated(&db, insert, buyer).await.as_deref(),
        Some("orders_one_pending_per_user")
    );
}
