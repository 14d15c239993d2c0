//! Malformed input sent to every server function, by every kind of user: a NUL
//! byte, out-of-range dates and numbers, non-UUID ids, unknown enum values,
//! huge strings. Each is answered with a 4xx carrying a message (or accepted
//! where the value means something), never a 500, and the database, and the
//! carts and queues in Valkey, are exactly as they were. The tables are checked
//! against the server functions' own source, so a new function or argument
//! cannot be left out.
//!
//! A second test makes one argument at a time malformed with the others valid
//! (so ignoring it would succeed), for the organizer's and buyer's functions
//! that move money, people or mail; the rest still get the shared table only.

use crate::support;

use app::model::Role;
use sqlx::PgPool;
use support::create_user;

/// Every server function (`auth/sign_out` aside: it takes no input and would
/// end the session the rest of the run needs).
const ENDPOINTS: &[&str] = &[
    "checkin/scan",
    "checkin/stats",
    "auth/me",
    "auth/sign_up",
    "auth/sign_in",
    "auth/change_password",
    "auth/resend_verification",
    "auth/verify_email",
    "auth/forgot_password",
    "auth/reset_link",
    "auth/reset_password",
    "auth/change_email",
    "auth/confirm_email",
    "organizer/orders",
    "organizer/order",
    "organizer/refund",
    "organizer/sales",
    "organizer/cancel_policy",
    "organizer/cancel_event",
    "orders/cancel_tickets",
    "auth/link_usable",
    "auth/restore_email",
    "organizer/new_event",
    "organizer/staff",
    "organizer/invite_staff",
    "organizer/revoke_staff",
    "door/accept",
    "organizers/apply",
    "organizers/my_application",
    "organizers/overview",
    "catalogue/search",
    "catalogue/event",
    "checkout/start",
    "checkout/cancel",
    "orders/get",
    "orders/mine",
    "passes/get",
    "organizer/events",
    "organizer/event",
    "organizer/save_event",
    // Multipart; these urlencoded bodies are not even that.
    "organizer/cover",
    "cart/view",
    "cart/add",
    "cart/set",
    "admin/dashboard",
    "admin/decide",
    "admin/users",
    "admin/suspend",
    "admin/lift_suspension",
    "waiting_list/join",
    "waiting_list/leave",
    "organizer/queue",
];

/// Every argument name any of them takes (unknown ones are ignored).
const FIELDS: &[&str] = &[
    "event",
    "cover",
    "code",
    "name",
    "email",
    "password",
    "next",
    "current_password",
    "new_password",
    "org_name",
    "description",
    "website",
    "kind",
    "query[q]",
    "query[from]",
    "query[to]",
    "query[min_price]",
    "query[max_price]",
    "query[available]",
    "query[sort]",
    "query[page]",
    "id",
    "form[title]",
    "form[description]",
    "form[venue]",
    "form[starts_at]",
    "form[ends_at]",
    "form[time_zone]",
    "form[currency]",
    "form[capacity]",
    "form[status]",
    "form[types][0][id]",
    "form[types][0][name]",
    "form[types][0][price]",
    "form[types][0][quantity]",
    "form[types][0][sale_starts_at]",
    "form[types][0][sale_ends_at]",
    "form[types][0][max_per_order]",
    "form[types][0][description]",
    "form[types][0][hidden]",
    "picks[0][ticket_type_id]",
    "picks[0][quantity]",
    "ticket_type_id",
    "quantity",
    "decision",
    "reason",
    "q",
    "organizer",
    "enabled",
    "token",
    "order",
    "hours",
    "fee_percent",
    "invitation",
    "new_email",
    "link",
    "refund_minor",
    "tickets[0]",
    "restock",
    "whole",
    "status",
    "page",
];

fn malformed() -> Vec<String> {
    vec![
        "a\u{0}b".into(),
        "99999-12-31T00:00".into(),
        "-1".into(),
        "184467440737095516160000".into(),
        "not-a-uuid".into(),
        "unknown_value".into(),
        String::new(),
        "x".repeat(100_000),
        "2026-02-30T25:61".into(),
        "1e309".into(),
        "%zz".into(),
        "\u{FFFF}\u{202E}".into(),
    ]
}

/// Every argument name the server functions declare, read from their source,
/// so a new function or argument the tables above miss fails this test.
fn declared() -> (Vec<String>, Vec<String>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api");
    let (mut endpoints, mut args) = (Vec::new(), Vec::new());
    for file in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for item in text.split("#[server(").skip(1) {
            let endpoint = item
                .split("endpoint = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("every server function names its endpoint");
            endpoints.push(endpoint.to_string());
            let signature = item
                .split_once("pub async fn ")
                .and_then(|(_, rest)| rest.split_once('('))
                .and_then(|(_, rest)| rest.split_once(") ->"))
                .map(|(params, _)| params)
                .expect("a signature");
            for param in signature
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                args.push(param.split(':').next().unwrap().trim().to_string());
            }
        }
    }
    (endpoints, args)
}

#[test]
fn the_tables_name_every_server_function_and_argument() {
    let (endpoints, args) = declared();
    for endpoint in &endpoints {
        assert!(
            ENDPOINTS.contains(&endpoint.as_str()) || endpoint == "auth/sign_out",
            "{endpoint} is not in ENDPOINTS"
        );
    }
    for arg in &args {
        // Structured arguments are sent as their fields (`form[title]`, `picks[0][quantity]`).
        let named = FIELDS
            .iter()
            .any(|f| *f == arg || f.starts_with(&format!("{arg}[")));
        assert!(named || arg == "data", "argument {arg} is not in FIELDS");
    }
}

/// What Valkey holds that a refused call must leave alone: carts, queues and
/// waiting lists (rate-limit counters and sessions move with every call).
async fn valkey_snapshot(app: &support::TestApp) -> Vec<String> {
    use fred::interfaces::{ClientLike, KeysInterface};
    let cache = &app.state.cache;
    let pattern = cache.key("*");
    let client = cache.pool().next();
    let mut keys: Vec<String> = Vec::new();
    let mut cursor = "0".to_string();
    loop {
        let (next, batch): (String, Vec<String>) = client
            .custom(
                fred::types::CustomCommand::new_static("SCAN", None, false),
                vec![
                    cursor.clone(),
                    "MATCH".into(),
                    pattern.clone(),
                    "COUNT".into(),
                    "1000".into(),
                ],
            )
            .await
            .unwrap();
        keys.extend(batch);
        if next == "0" {
            break;
        }
        cursor = next;
    }
    keys.retain(|k| !k.contains(":rl:") && !k.contains("session:"));
    keys.sort();
    let mut rows = Vec::new();
    for key in keys {
        let dump: Option<Vec<u8>> = client.dump(&key).await.unwrap();
        rows.push(format!("{key} {}", dump.map_or(0, |d| d.len())));
    }
    rows
}

/// The rows that matter, as text, so any change shows.
async fn snapshot(db: &PgPool) -> Vec<String> {
    let mut rows = Vec::new();
    for table in [
        "users",
        "events",
        "ticket_types",
        "orders",
        "order_items",
        "passes",
        "organizer_applications",
        "organizer_suspensions",
        "waiting_list",
        "stripe_events",
        "door_staff",
        "email_links",
        "outbox",
        "refunds",
        "refund_passes",
        "event_cancellations",
    ] {
        let sql = format!(
            "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM {table} t"
        );
        let digest: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(db)
            .await
            .unwrap();
        rows.push(format!("{table} {digest}"));
    }
    rows
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn malformed_input_is_refused_plainly_and_changes_nothing(db: PgPool) {
    let app = support::spawn_with(
        db.clone(),
        &[
            ("AUTH_RATE_LIMIT_PER_IP", "100000"),
            ("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "100000"),
        ],
    )
    .await;
    let organizer = create_user(&db, "org@example.com", Role::Organizer).await;
    support::published_listing(&db, organizer, "Gig", 2500, 10).await;
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let clients = [
        ("visitor", app.browser()),
        ("buyer", app.signed_in("buyer@example.com").await),
        ("organizer", app.signed_in("org@example.com").await),
        ("admin", app.signed_in("admin@example.com").await),
    ];
    let before = snapshot(&db).await;
    let valkey_before = valkey_snapshot(&app).await;
    let mut answered = 0;
    for value in malformed() {
        let form: Vec<(&str, &str)> = FIELDS.iter().map(|f| (*f, value.as_str())).collect();
        for (who, client) in &clients {
            for endpoint in ENDPOINTS {
                let res = app.call(client, endpoint, &form).await;
                let status = res.status();
                let body = res.text().await.unwrap_or_default();
                let shown: String = value.chars().take(24).collect();
                assert!(
                    status.as_u16() < 500,
                    "{endpoint} as {who} with {shown:?}: {status} {body}"
                );
                // A refusal says what is wrong, in words.
                if status.is_client_error() {
                    let said = serde_json::from_str::<app::error::AppError>(&body)
                        .map(|err| err.to_string())
                        .unwrap_or_default();
                    assert!(
                        !said.trim().is_empty(),
                        "{endpoint} as {who} with {shown:?}: {status} without a message: {body}"
                    );
                }
                answered += 1;
            }
        }
    }
    assert_eq!(answered, 12 * 4 * ENDPOINTS.len());
    assert_eq!(
        before,
        snapshot(&db).await,
        "malformed input changed the database"
    );
    assert_eq!(
        valkey_before,
        valkey_snapshot(&app).await,
        "malformed input changed carts, queues or waiting lists in Valkey"
    );
}

/// Who calls, the server function, a valid form, the argument made malformed
/// and its bad values.
type OneBad<'a> = (
    &'a reqwest::Client,
    &'a str,
    Vec<(&'a str, &'a str)>,
    &'a str,
    Vec<&'a str>,
);

/// One argument at a time made malformed, the others valid (so a call that
/// ignored the bad one would succeed and change something): each is refused
/// with a 4xx and a message, and nothing changes.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn each_argument_alone_malformed_is_refused(db: PgPool) {
    let app = support::spawn_with(
        db.clone(),
        &[
            ("AUTH_RATE_LIMIT_PER_IP", "100000"),
            ("AUTH_RATE_LIMIT_PER_ACCOUNT", "100000"),
            ("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "100000"),
            ("MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR", "100000"),
        ],
    )
    .await;
    let event = support::fixtures::event(&db)
        .title("Argued Night")
        .create()
        .await;
    let buyer = create_user(&db, "buyer@example.com", Role::Buyer).await;
    let order = support::fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    sqlx::query("UPDATE events SET buyer_cancel_hours = 1 WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let pass: uuid::Uuid = sqlx::query_scalar("SELECT id FROM passes WHERE order_id = $1")
        .bind(order)
        .fetch_one(&db)
        .await
        .unwrap();
    let invitation: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO door_staff (event_id, email, invited_by, expires_at)
         VALUES ($1, 'helper@example.com', $2, now() + interval '7 days') RETURNING id",
    )
    .bind(event.id)
    .bind(event.organizer)
    .fetch_one(&db)
    .await
    .unwrap();
    let organizer = app
        .signed_in(&support::email_of(&db, event.organizer).await)
        .await;
    let buyer_client = app.signed_in("buyer@example.com").await;
    let (event_id, order_id, pass_id, invitation_id, type_id) = (
        event.id.to_string(),
        order.to_string(),
        pass.to_string(),
        invitation.to_string(),
        event.types[0].to_string(),
    );
    let uuid_bad = ["not-a-uuid", "a\u{0}b", ""];
    let int_bad = ["twelve", "1e309", "184467440737095516160000", "a\u{0}b"];
    let text_bad = ["a\u{0}b"];
    let huge = "x".repeat(100_000);
    let email_bad = ["not-an-email", "a\u{0}b@example.com", huge.as_str()];
    let cases: Vec<OneBad> = vec![
        (
            &organizer,
            "organizer/cancel_policy",
            vec![("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
            "event",
            uuid_bad.to_vec(),
        ),
        (
            &organizer,
            "organizer/cancel_policy",
            vec![("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
            "hours",
            [int_bad.as_slice(), &["-1", "99999"]].concat(),
        ),
        (
            &organizer,
            "organizer/cancel_policy",
            vec![("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
            "fee_percent",
            [int_bad.as_slice(), &["-1", "101"]].concat(),
        ),
        (
            &buyer_client,
            "orders/cancel_tickets",
            vec![("order", &order_id), ("refund_minor", "2500")],
            "order",
            uuid_bad.to_vec(),
        ),
        (
            &buyer_client,
            "orders/cancel_tickets",
            vec![("order", &order_id), ("refund_minor", "2500")],
            "refund_minor",
            [int_bad.as_slice(), &["-1", "2499"]].concat(),
        ),
        (
            &organizer,
            "organizer/invite_staff",
            vec![("event", &event_id), ("email", "other@example.com")],
            "email",
            email_bad.to_vec(),
        ),
        (
            &organizer,
            "organizer/invite_staff",
            vec![("event", &event_id), ("email", "other@example.com")],
            "event",
            uuid_bad.to_vec(),
        ),
        (
            &organizer,
            "organizer/revoke_staff",
            vec![("event", &event_id), ("invitation", &invitation_id)],
            "invitation",
            uuid_bad.to_vec(),
        ),
        (
            &organizer,
            "organizer/refund",
            vec![
                ("order", &order_id),
                ("tickets[0]", &pass_id),
                ("reason", "Cannot come"),
            ],
            "tickets[0]",
            uuid_bad.to_vec(),
        ),
        (
            &organizer,
            "organizer/refund",
            vec![
                ("order", &order_id),
                ("tickets[0]", &pass_id),
                ("reason", "Cannot come"),
            ],
            "reason",
            [text_bad.as_slice(), &["", huge.as_str()]].concat(),
        ),
        (
            &buyer_client,
            "waiting_list/join",
            vec![("ticket_type_id", &type_id), ("quantity", "1")],
            "quantity",
            [int_bad.as_slice(), &["0", "-1", "51"]].concat(),
        ),
        (
            &buyer_client,
            "cart/add",
            vec![
                ("picks[0][ticket_type_id]", &type_id),
                ("picks[0][quantity]", "1"),
            ],
            "picks[0][quantity]",
            [int_bad.as_slice(), &["-1"]].concat(),
        ),
        (
            &buyer_client,
            "cart/add",
            vec![
                ("picks[0][ticket_type_id]", &type_id),
                ("picks[0][quantity]", "1"),
            ],
            "picks[0][ticket_type_id]",
            uuid_bad.to_vec(),
        ),
        (
            &buyer_client,
            "auth/change_email",
            vec![
                ("current_password", support::PASSWORD),
                ("new_email", "new@example.com"),
            ],
            "new_email",
            email_bad.to_vec(),
        ),
        (
            &buyer_client,
            "auth/change_password",
            vec![
                ("current_password", support::PASSWORD),
                ("new_password", "a brand new password"),
            ],
            "new_password",
            [text_bad.as_slice(), &["short", huge.as_str()]].concat(),
        ),
    ];
    let db_before = snapshot(&db).await;
    let valkey_before = valkey_snapshot(&app).await;
    let mut tried = 0;
    for (client, endpoint, form, field, bad_values) in &cases {
        assert!(
            form.iter().any(|(k, _)| k == field),
            "{endpoint}: {field} is not in its form"
        );
        for bad in bad_values {
            let varied: Vec<(&str, &str)> = form
                .iter()
                .map(|(k, v)| (*k, if k == field { *bad } else { *v }))
                .collect();
            let res = app.call(client, endpoint, &varied).await;
            let status = res.status();
            let body = res.text().await.unwrap_or_default();
            let shown: String = bad.chars().take(24).collect();
            assert!(
                status.is_client_error(),
                "{endpoint} with {field} = {shown:?}: {status} {body}"
            );
            let said = serde_json::from_str::<app::error::AppError>(&body)
                .map(|err| err.to_string())
                .unwrap_or_default();
            assert!(
                !said.trim().is_empty(),
                "{endpoint} with {field} = {shown:?}: no message: {body}"
            );
            tried += 1;
        }
    }
    assert!(tried > 50, "{tried}");
    assert_eq!(
        db_before,
        snapshot(&db).await,
        "a malformed argument changed the database"
    );
    assert_eq!(
        valkey_before,
        valkey_snapshot(&app).await,
        "a malformed argument changed Valkey"
    );
}
