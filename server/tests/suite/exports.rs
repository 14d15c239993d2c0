//! The organizer's CSV downloads: every ticket and order, quoted as RFC 4180
//! says, formulas defused, times on the venue's clock, streamed in chunks, and
//! only for the event's organizer.

use crate::support;

use app::model::Role;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{create_user, fixtures};
use uuid::Uuid;

/// `orders` paid orders of `per_order` tickets each for the event's first
/// type, written straight into the tables (the shop's own path is tested
/// elsewhere; this is about exporting many).
async fn many_tickets(db: &PgPool, ticket_type: Uuid, orders: i32, per_order: i32) {
    sqlx::query(
        "WITH buyers AS (
             INSERT INTO users (email, name, password_hash, email_verified_at)
             SELECT 'many' || i || '@example.com', 'Buyer ' || i, 'x', now() FROM generate_series(1, $2) i
             RETURNING id),
         made AS (
             INSERT INTO orders (user_id, status, total_minor, currency, reserved_until, paid_at)
             SELECT id, 'paid', 2500 * $3, 'EUR', now(), now() FROM buyers RETURNING id),
         lines AS (
             INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor, currency)
             SELECT id, $1, $3, 2500, 2500 * $3, 'EUR' FROM made RETURNING order_id)
         INSERT INTO tickets (order_id, ticket_type_id, seat_no, code, price_minor)
         SELECT order_id, $1, s, md5(random()::text) || md5(random()::text), 2500 FROM lines, generate_series(1, $3) s",
    )
    .bind(ticket_type)
    .bind(orders)
    .bind(per_order)
    .execute(db)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn ten_thousand_tickets_export_streamed_in_chunks(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).title("Big Night").create().await;
    many_tickets(&db, event.types[0], 1000, 10).await;
    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;

    let mut res = app
        .get_with(
            &organizer,
            &format!("/organizer/events/{}/attendees.csv", event.id),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"big-night-attendees.csv\""
    );
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not built whole"
    );
    let mut body = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = res.chunk().await.unwrap() {
        chunks += 1;
        body.extend_from_slice(&chunk);
    }
    assert!(chunks > 10, "{chunks} chunks");
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 10_001, "a header and one row per ticket");
    assert_eq!(
        lines[0],
        "Order reference,Ticket,Ticket type,Buyer name,Buyer email,Status,Checked in (venue time),Price paid,Code,Discount"
    );
    assert!(lines[1].contains(",valid,,"), "{}", lines[1]);

    // Compressed as browsers ask for it: the stream ends cleanly (a compressing
    // layer polls the body once more after its end).
    let res = organizer
        .get(format!(
            "{}/organizer/events/{}/attendees.csv",
            app.base_url, event.id
        ))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let compressed = res.bytes().await.expect("the whole compressed body");
    assert!(compressed.len() > 1000);

    let res = app
        .get_with(
            &organizer,
            &format!("/organizer/events/{}/orders.csv?bom=1", event.id),
        )
        .await;
    let text = res.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte order mark when asked");
    assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 1001);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn names_are_quoted_formulas_defused_and_times_on_the_venues_clock(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).title("Quoting").create().await;
    sqlx::query("UPDATE events SET time_zone = 'Europe/Berlin' WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let buyer = create_user(&db, "quote@example.com", Role::Buyer).await;
    sqlx::query("UPDATE users SET name = $2 WHERE id = $1")
        .bind(buyer)
        .bind("=HYPERLINK(\"http://evil\",\"Smith, \"\"Jo\"\"\")")
        .execute(&db)
        .await
        .unwrap();
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    sqlx::query(
        "UPDATE tickets SET checked_in_at = '2026-07-01T18:30:00Z', checked_in_by = $2 WHERE order_id = $1",
    )
    .bind(order)
    .bind(event.organizer)
    .execute(&db)
        .await
        .unwrap();
    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;
    let text = app
        .get_with(
            &organizer,
            &format!("/organizer/events/{}/attendees.csv", event.id),
        )
        .await
        .text()
        .await
        .unwrap();
    let row = text.split("\r\n").nth(1).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"Smith, \"\"\"\"Jo\"\"\"\"\"\")\","),
        "{row}"
    );
    // 18:30 UTC in July is 20:30 in Berlin.
    // Then what the ticket cost, bought without a code.
    assert!(
        row.ends_with(",checked in,2026-07-01 20:30,25.00,,0.00"),
        "{row}"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_the_events_organizer_downloads_its_lists(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).create().await;
    create_user(&db, "rival@example.com", Role::Organizer).await;
    create_user(&db, "fan@example.com", Role::Buyer).await;
    let path = format!("/organizer/events/{}/attendees.csv", event.id);
    let rival = app.signed_in("rival@example.com").await;
    assert_eq!(
        app.get_with(&rival, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let fan = app.signed_in("fan@example.com").await;
    assert_eq!(
        app.get_with(&fan, &path).await.status(),
        StatusCode::FORBIDDEN
    );
    let visitor = app.browser();
    let res = app.get_with(&visitor, &path).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin?next=")
    );
    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;
    let other = format!("/organizer/events/{}/passwords.csv", event.id);
    assert_eq!(
        app.get_with(&organizer, &other).await.status(),
        StatusCode::NOT_FOUND
    );
}
