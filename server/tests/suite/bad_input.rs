//! Malformed input sent to every server function, by every kind of user: a NUL
//! byte, out-of-range dates and numbers, non-UUID ids, unknown enum values,
//! huge strings. Each is answered with a 4xx carrying a message (or accepted
//! where the value means something), never a 500, and the database, and the
//! carts and queues in Valkey, are exactly as they were. The tables are checked
//! against the server functions' own source, so a new function or argument
//! cannot be left out.
//!
//! A second test makes one argument at a time malformed with the others valid
//! (so ignoring it would succeed), for every server function's every argument,
//! and then proves the valid forms work.

use crate::support;

use app::model::Role;
use sqlx::PgPool;
use support::create_user;

/// Every server function (`auth/sign_out` aside: it takes no input and would
/// end the session the rest of the run needs).
const ENDPOINTS: &[&str] = &[
    "checkin/scan",
    "checkin/stats",
    "checkin/list",
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
    "door/mine",
    "organizers/apply",
    "organizers/my_application",
    "organizers/overview",
    "catalogue/search",
    "catalogue/event",
    "checkout/start",
    "checkout/cancel",
    "orders/get",
    "orders/mine",
    "tickets/get",
    "organizer/events",
    "organizer/event",
    "organizer/save_event",
    // Multipart; these urlencoded bodies are not even that.
    "organizer/cover",
    "cart/view",
    "cart/add",
    "cart/set",
    "cart/code/remove",
    "admin/dashboard",
    "admin/decide",
    "admin/users",
    "admin/suspend",
    "admin/lift_suspension",
    "waiting_list/join",
    "waiting_list/leave",
    "organizer/queue",
    "organizer/codes",
    "organizer/make_codes",
    "organizer/disable_code",
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
    "form[language]",
    "form[translations][de][title]",
    "form[translations][de][description]",
    "form[types][0][id]",
    "form[types][0][name]",
    "form[types][0][price]",
    "form[types][0][quantity]",
    "form[types][0][sale_starts_at]",
    "form[types][0][sale_ends_at]",
    "form[types][0][max_per_order]",
    "form[types][0][description]",
    "form[types][0][hidden]",
    "form[types][0][quota_until]",
    "form[types][0][window_confirmed]",
    "form[codes]",
    "form[count]",
    "form[discount_kind]",
    "form[discount]",
    "form[max_uses]",
    "form[max_per_buyer]",
    "form[valid_from]",
    "form[valid_until]",
    "form[types][1]",
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
    "presale_until",
    "check",
    "register_minutes",
    "admit_per_minute",
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
    let valkey = &app.state.valkey;
    let pattern = valkey.key("*");
    let client = valkey.pool().next();
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
        "tickets",
        "organizer_applications",
        "organizer_suspensions",
        "waiting_list",
        "stripe_events",
        "door_staff",
        "email_links",
        "outbox",
        "refunds",
        "refund_tickets",
        "event_cancellations",
        "event_codes",
        "event_code_types",
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

/// What one malformed argument must get.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// A 4xx whose error says what is wrong; nothing changes.
    Refused,
    /// The same answer as the valid form: the value is a filter a half-typed
    /// search may carry, and unreadable filters are ignored.
    SameAsValid,
    /// The call goes through and sends the browser to this default page: the
    /// value is where to go next, and one that is not ours is replaced.
    RedirectsTo(&'static str),
    /// A 200 whose body says this: the door answers every scanned text, a
    /// garbled one as "unknown ticket".
    Answers(&'static str),
}

/// Who calls (an index into the test's clients), the server function, a valid
/// form, the argument made malformed, its bad values and what they must get.
struct OneBad {
    who: usize,
    endpoint: &'static str,
    form: Vec<(&'static str, String)>,
    field: &'static str,
    bad: Vec<String>,
    expect: Expect,
}

/// Arguments not varied here, and why.
const NOT_VARIED: &[(&str, &str, &str)] = &[
    // Checkboxes: a browser sends the box's value when ticked and nothing
    // otherwise, so any value present means "ticked".
    ("organizer/refund", "restock", "a checkbox"),
    ("organizer/refund", "whole", "a checkbox"),
    ("organizer/queue", "enabled", "a checkbox"),
    // Multipart: a bad upload is covers.rs's subject (bombs, types, sizes).
    ("organizer/cover", "data", "multipart, see covers.rs"),
];

/// The bad values for each kind of argument.
struct Bad {
    uuid: Vec<String>,
    int: Vec<String>,
    text: Vec<String>,
    email: Vec<String>,
    token: Vec<String>,
    date: Vec<String>,
}

fn bad_values() -> Bad {
    let huge = "x".repeat(100_000);
    let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Bad {
        uuid: v(&["not-a-uuid", "a\u{0}b", ""]),
        int: v(&["twelve", "1e309", "184467440737095516160000", "a\u{0}b"]),
        text: v(&["a\u{0}b", &huge]),
        email: v(&["not-an-email", "a\u{0}b@example.com", &huge]),
        token: v(&["", "not-a-token", "a\u{0}b", &huge]),
        date: v(&[
            "2026-02-30T25:61",
            "99999-12-31T00:00",
            "a\u{0}b",
            "",
            "yesterday",
        ]),
    }
}

fn cat(parts: &[&[String]], more: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = parts.iter().flat_map(|p| p.iter().cloned()).collect();
    all.extend(more.iter().map(|s| s.to_string()));
    all
}

/// Cases for one server function: each listed field varied in turn.
fn vary(
    who: usize,
    endpoint: &'static str,
    form: &[(&'static str, &str)],
    fields: Vec<(&'static str, Vec<String>, Expect)>,
) -> Vec<OneBad> {
    fields
        .into_iter()
        .map(|(field, bad, expect)| OneBad {
            who,
            endpoint,
            form: form.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            field,
            bad,
            expect,
        })
        .collect()
}

const VISITOR: usize = 0;
const BUYER: usize = 1;
const ORGANIZER: usize = 2;
const ADMIN: usize = 3;
/// A buyer whose address is not verified yet.
const NEWCOMER: usize = 4;

/// One argument at a time made malformed, the others valid (so a call that
/// ignored the bad one would succeed and change something), for every server
/// function's every argument: each is refused with a 4xx and a message, and
/// nothing changes in PostgreSQL or Valkey. Arguments whose bad values mean
/// something (search filters, where to go next, a scanned text) get that
/// meaning, checked too. A second check below proves the valid forms work.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn each_argument_alone_malformed_is_refused(db: PgPool) {
    use app::backend::links::{self, LinkPurpose};
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
    let admin = create_user(&db, "admin@example.com", Role::Admin).await;
    let newcomer = create_user(&db, "new@example.com", Role::Buyer).await;
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE id = $1")
        .bind(newcomer)
        .execute(&db)
        .await
        .unwrap();
    let applicant = create_user(&db, "applicant@example.com", Role::Buyer).await;
    let application: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO organizer_applications (user_id, org_name, description, kind)
         VALUES ($1, 'Applicant Org', '', 'individual') RETURNING id",
    )
    .bind(applicant)
    .fetch_one(&db)
    .await
    .unwrap();
    // Buyers may cancel up to an hour before (the policy is taken with each order).
    sqlx::query("UPDATE events SET buyer_cancel_hours = 1 WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let order = support::fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    // The buyer cancels another order of theirs; the organizer cancels another
    // event; a third one is sold out, for the waiting list.
    let own_order = support::fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    let doomed = support::fixtures::event(&db)
        .by(event.organizer)
        .title("Doomed Night")
        .create()
        .await;
    let full = support::fixtures::event(&db)
        .by(event.organizer)
        .title("Full Night")
        .ticket_type("Admission", 2500, 1)
        .create()
        .await;
    support::fixtures::paid_order(&db, applicant, &[(full.types[0], 1)]).await;
    let (ticket, code): (uuid::Uuid, String) =
        sqlx::query_as("SELECT id, code FROM tickets WHERE order_id = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    let invitation: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO door_staff (event_id, email, invited_by, expires_at)
         VALUES ($1, 'buyer@example.com', $2, now() + interval '7 days') RETURNING id",
    )
    .bind(event.id)
    .bind(event.organizer)
    .fetch_one(&db)
    .await
    .unwrap();
    // A live link of every kind, so each token argument has a valid value.
    let key = app.state.link_key();
    let mut conn = db.acquire().await.unwrap();
    let mut made = Vec::new();
    for (purpose, user, email) in [
        (LinkPurpose::VerifyEmail, newcomer, "new@example.com"),
        (LinkPurpose::ResetPassword, buyer, "buyer@example.com"),
        (LinkPurpose::ChangeEmail, buyer, "buyer2@example.com"),
        (LinkPurpose::RestoreEmail, buyer, "buyer@example.com"),
    ] {
        let id = links::create(&mut conn, user, purpose, email)
            .await
            .expect("link made");
        made.push(key.token(id));
    }
    drop(conn);
    let [verify, reset, change, restore] = <[String; 4]>::try_from(made).unwrap();
    let door = key.token(invitation);

    let organizer_email = support::email_of(&db, event.organizer).await;
    let clients = [
        app.browser(),
        app.signed_in("buyer@example.com").await,
        app.signed_in(&organizer_email).await,
        app.signed_in("admin@example.com").await,
        app.signed_in("new@example.com").await,
    ];
    let event_code: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO event_codes (event_id, code, created_by) VALUES ($1, 'ARGUED01', $2) RETURNING id",
    )
    .bind(event.id)
    .bind(event.organizer)
    .fetch_one(&db)
    .await
    .unwrap();
    let b = bad_values();
    let (event_id, order_id, ticket_id, type_id) = (
        event.id.to_string(),
        order.to_string(),
        ticket.to_string(),
        event.types[0].to_string(),
    );
    let (application_id, organizer_id, invitation_id) = (
        application.to_string(),
        event.organizer.to_string(),
        invitation.to_string(),
    );
    let _ = admin;
    let (own_order_id, doomed_id) = (own_order.to_string(), doomed.id.to_string());
    let full_type_id = full.types[0].to_string();
    use Expect::*;
    let mut cases: Vec<OneBad> = Vec::new();
    // The door.
    cases.extend(vary(
        ORGANIZER,
        "checkin/scan",
        &[("event", &event_id), ("code", &code)],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("code", b.text[..1].to_vec(), Refused),
            // Any other text is read as a code, and no ticket has it.
            (
                "code",
                cat(&[&b.text[1..]], &["", "%zz", "no-such-ticket"]),
                Answers("UnknownCode"),
            ),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "checkin/stats",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    cases.extend(vary(
        ORGANIZER,
        "checkin/list",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    // Accounts.
    cases.extend(vary(
        VISITOR,
        "auth/sign_up",
        &[
            ("name", "Nina New"),
            ("email", "nina@example.com"),
            ("password", "a long enough password"),
        ],
        vec![
            ("name", cat(&[&b.text], &["", "   "]), Refused),
            ("email", b.email.clone(), Refused),
            ("password", cat(&[&b.text], &["short", ""]), Refused),
        ],
    ));
    cases.extend(vary(
        VISITOR,
        "auth/sign_in",
        &[
            ("email", "buyer@example.com"),
            ("password", support::PASSWORD),
            ("next", "/orders"),
        ],
        vec![
            ("email", b.email.clone(), Refused),
            ("password", cat(&[&b.text], &[""]), Refused),
            (
                "next",
                cat(&[&b.text], &["//evil.example/", "/\\evil.example", "%zz"]),
                RedirectsTo("/account"),
            ),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "auth/change_password",
        &[
            ("current_password", support::PASSWORD),
            ("new_password", "a brand new password"),
        ],
        vec![
            ("current_password", cat(&[&b.text], &[""]), Refused),
            ("new_password", cat(&[&b.text], &["short"]), Refused),
        ],
    ));
    cases.extend(vary(
        NEWCOMER,
        "auth/resend_verification",
        &[("next", "/orders")],
        vec![(
            "next",
            cat(&[&b.text], &["//evil.example/"]),
            RedirectsTo("/account?verification=sent"),
        )],
    ));
    for (link, token) in [
        ("VerifyEmail", &verify),
        ("ConfirmEmail", &change),
        ("RestoreEmail", &restore),
    ] {
        cases.extend(vary(
            VISITOR,
            "auth/link_usable",
            &[("token", token), ("link", link)],
            vec![
                ("token", b.token.clone(), Refused),
                (
                    "link",
                    cat(&[&b.text], &["", "ResetPassword", "verify_email"]),
                    Refused,
                ),
            ],
        ));
    }
    for (endpoint, token) in [
        ("auth/verify_email", &verify),
        ("auth/reset_link", &reset),
        ("auth/confirm_email", &change),
        ("auth/restore_email", &restore),
    ] {
        // A token for another purpose is as bad as a garbled one.
        let other = if token == &verify { &reset } else { &verify };
        cases.extend(vary(
            VISITOR,
            endpoint,
            &[("token", token)],
            vec![("token", cat(&[&b.token], &[other.as_str()]), Refused)],
        ));
    }
    cases.extend(vary(
        VISITOR,
        "auth/forgot_password",
        &[("email", "buyer@example.com")],
        vec![("email", b.email.clone(), Refused)],
    ));
    cases.extend(vary(
        VISITOR,
        "auth/reset_password",
        &[("token", &reset), ("new_password", "a brand new password")],
        vec![
            ("token", cat(&[&b.token], &[verify.as_str()]), Refused),
            ("new_password", cat(&[&b.text], &["short", ""]), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "auth/change_email",
        &[
            ("current_password", support::PASSWORD),
            ("new_email", "buyer3@example.com"),
        ],
        vec![
            ("current_password", cat(&[&b.text], &[""]), Refused),
            ("new_email", cat(&[&b.email], &[""]), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "door/accept",
        &[("token", &door)],
        vec![("token", cat(&[&b.token], &[verify.as_str()]), Refused)],
    ));
    cases.extend(vary(
        BUYER,
        "organizers/apply",
        &[
            ("org_name", "Nina's Nights"),
            ("description", "Concerts"),
            ("website", "https://nina.example"),
            ("kind", "individual"),
        ],
        vec![
            ("org_name", cat(&[&b.text], &["", "  "]), Refused),
            ("description", b.text.clone(), Refused),
            (
                "website",
                cat(&[&b.text], &["javascript:alert(1)", "not a url"]),
                Refused,
            ),
            ("kind", cat(&[&b.text], &["", "unknown_value"]), Refused),
        ],
    ));
    // The catalogue: unreadable filters are ignored, an unknown sort is not.
    let search = [
        ("query[q]", ""),
        ("query[from]", ""),
        ("query[to]", ""),
        ("query[min_price]", ""),
        ("query[max_price]", ""),
        ("query[available]", "false"),
        ("query[sort]", "date"),
        ("query[page]", "1"),
    ];
    cases.extend(vary(
        VISITOR,
        "catalogue/search",
        &search,
        vec![
            // Text is searched for (its first words), and no event has these.
            (
                "query[q]",
                cat(&[&b.text], &["%zz"]),
                Answers("\"items\":[]"),
            ),
            ("query[q]", cat(&[], &["&|!:*", "  "]), SameAsValid),
            ("query[from]", b.date.clone(), SameAsValid),
            ("query[to]", b.date.clone(), SameAsValid),
            ("query[min_price]", cat(&[&b.int], &["-1"]), SameAsValid),
            ("query[max_price]", cat(&[&b.int], &["-1"]), SameAsValid),
            ("query[available]", b.text.clone(), Refused),
            ("query[sort]", cat(&[&b.text], &["unknown_value"]), Refused),
            ("query[page]", cat(&[&b.int], &["-1"]), Refused),
        ],
    ));
    cases.extend(vary(
        VISITOR,
        "catalogue/event",
        // No code: an empty one is none.
        &[("id", &event_id), ("code", "")],
        vec![
            ("id", b.uuid.clone(), Refused),
            // Any code the event does not take reads the same, a garbled one too.
            ("code", cat(&[&b.text], &["%zz", "-1"]), Answers("NotValid")),
        ],
    ));
    // An empty window bound is none: every other bad date is refused.
    let dates: Vec<String> = b.date.iter().filter(|d| !d.is_empty()).cloned().collect();
    let code_form: Vec<(&str, &str)> = vec![
        ("event", &event_id),
        ("form[codes]", ""),
        ("form[count]", "2"),
        ("form[discount_kind]", "percent"),
        ("form[discount]", "10"),
        ("form[max_uses]", "5"),
        ("form[max_per_buyer]", "1"),
        ("form[valid_from]", "2026-01-01T10:00"),
        ("form[valid_until]", "2099-01-01T10:00"),
        ("form[types][1]", &type_id),
    ];
    cases.extend(vary(
        ORGANIZER,
        "organizer/make_codes",
        &code_form,
        vec![
            ("event", b.uuid.clone(), Refused),
            (
                "form[codes]",
                cat(&[&b.text], &["abc", "GOOD1234\nno"]),
                Refused,
            ),
            ("form[count]", cat(&[&b.int], &["0", "5001", "-1"]), Refused),
            (
                "form[discount_kind]",
                cat(&[&b.text], &["unknown_value"]),
                Refused,
            ),
            (
                "form[discount]",
                cat(&[&b.int], &["0", "101", "-1"]),
                Refused,
            ),
            ("form[max_uses]", cat(&[&b.int], &["0", "-1"]), Refused),
            ("form[max_per_buyer]", cat(&[&b.int], &["0", "-1"]), Refused),
            ("form[valid_from]", dates.clone(), Refused),
            (
                "form[valid_until]",
                cat(&[&dates], &["2025-01-01T10:00"]),
                Refused,
            ),
            ("form[types][1]", b.uuid.clone(), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/codes",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    let event_code_id = event_code.to_string();
    cases.extend(vary(
        ORGANIZER,
        "organizer/disable_code",
        &[("event", &event_id), ("code", &event_code_id)],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("code", b.uuid.clone(), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "cart/code/remove",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    // A buyer's orders and tickets.
    cases.extend(vary(
        BUYER,
        "orders/get",
        &[("id", &order_id)],
        vec![("id", b.uuid.clone(), Refused)],
    ));
    cases.extend(vary(
        BUYER,
        "tickets/get",
        &[("id", &ticket_id)],
        vec![("id", b.uuid.clone(), Refused)],
    ));
    cases.extend(vary(
        BUYER,
        "orders/cancel_tickets",
        &[("order", &own_order_id), ("refund_minor", "2500")],
        vec![
            ("order", b.uuid.clone(), Refused),
            ("refund_minor", cat(&[&b.int], &["-1", "2499", ""]), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "cart/add",
        &[
            ("picks[0][ticket_type_id]", &type_id),
            ("picks[0][quantity]", "1"),
        ],
        vec![
            ("picks[0][quantity]", cat(&[&b.int], &["-1"]), Refused),
            ("picks[0][ticket_type_id]", b.uuid.clone(), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "cart/set",
        &[("ticket_type_id", &type_id), ("quantity", "1")],
        vec![
            ("ticket_type_id", b.uuid.clone(), Refused),
            ("quantity", cat(&[&b.int], &["-1", ""]), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "waiting_list/join",
        &[("ticket_type_id", &full_type_id), ("quantity", "1")],
        vec![
            ("ticket_type_id", b.uuid.clone(), Refused),
            ("quantity", cat(&[&b.int], &["0", "-1", "51"]), Refused),
        ],
    ));
    cases.extend(vary(
        BUYER,
        "waiting_list/leave",
        &[("ticket_type_id", &full_type_id)],
        vec![("ticket_type_id", b.uuid.clone(), Refused)],
    ));
    // The organizer's side.
    cases.extend(vary(
        ORGANIZER,
        "organizer/orders",
        &[
            ("event", &event_id),
            ("q", ""),
            ("status", ""),
            ("page", "1"),
        ],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("q", b.text.clone(), Refused),
            (
                "status",
                cat(&[&b.text], &["unknown_value", "Paid"]),
                Refused,
            ),
            ("page", cat(&[&b.int], &["-1"]), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/order",
        &[("id", &order_id)],
        vec![("id", b.uuid.clone(), Refused)],
    ));
    let refund = [
        ("order", order_id.as_str()),
        ("tickets[0]", ticket_id.as_str()),
        ("reason", "Cannot come"),
    ];
    cases.extend(vary(
        ORGANIZER,
        "organizer/refund",
        &refund,
        vec![
            ("order", b.uuid.clone(), Refused),
            ("tickets[0]", b.uuid.clone(), Refused),
            ("reason", cat(&[&b.text], &["", "  "]), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/sales",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/cancel_policy",
        &[("event", &event_id), ("hours", "48"), ("fee_percent", "10")],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("hours", cat(&[&b.int], &["-1", "99999"]), Refused),
            ("fee_percent", cat(&[&b.int], &["-1", "101"]), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/cancel_event",
        &[("event", &doomed_id), ("reason", "The band is ill")],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("reason", cat(&[&b.text], &["", "  "]), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/staff",
        &[("event", &event_id)],
        vec![("event", b.uuid.clone(), Refused)],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/invite_staff",
        &[("event", &event_id), ("email", "other@example.com")],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("email", cat(&[&b.email], &[""]), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/revoke_staff",
        &[("event", &event_id), ("invitation", &invitation_id)],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("invitation", b.uuid.clone(), Refused),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/queue",
        &[
            ("event", &event_id),
            ("enabled", "on"),
            ("presale_until", "2099-01-01T10:00"),
            ("check", "strong"),
            ("register_minutes", "90"),
            ("admit_per_minute", "600"),
        ],
        vec![
            ("event", b.uuid.clone(), Refused),
            ("presale_until", dates.clone(), Refused),
            ("check", cat(&[&b.text], &["hard", "AUTOMATIC"]), Refused),
            (
                "register_minutes",
                cat(&[&b.int], &["0", "-5", "43201"]),
                Refused,
            ),
            (
                "admit_per_minute",
                cat(&[&b.int], &["0", "-1", "600001", "1.5"]),
                Refused,
            ),
        ],
    ));
    cases.extend(vary(
        ORGANIZER,
        "organizer/event",
        &[("id", &event_id)],
        vec![("id", b.uuid.clone(), Refused)],
    ));
    // The editor: a new event, every field of the form.
    let editor = [
        ("id", ""),
        ("form[title]", "Spring Night"),
        ("form[description]", "Music"),
        ("form[venue]", "Hall"),
        ("form[starts_at]", "2031-01-01T20:00"),
        ("form[ends_at]", "2031-01-01T23:00"),
        ("form[time_zone]", "Europe/Berlin"),
        ("form[currency]", "EUR"),
        ("form[capacity]", ""),
        ("form[status]", "draft"),
        ("form[language]", "en"),
        ("form[translations][de][title]", "Frühlingsnacht"),
        ("form[translations][de][description]", "Musik"),
        ("form[types][0][id]", ""),
        ("form[types][0][name]", "Admission"),
        ("form[types][0][price]", "10"),
        ("form[types][0][quantity]", "50"),
        ("form[types][0][sale_starts_at]", "2030-01-01T00:00"),
        ("form[types][0][sale_ends_at]", "2031-01-01T20:00"),
        ("form[types][0][max_per_order]", "10"),
        ("form[types][0][description]", ""),
        ("form[types][0][hidden]", "false"),
        ("form[types][0][quota_until]", ""),
        ("form[types][0][window_confirmed]", ""),
    ];
    cases.extend(vary(
        ORGANIZER,
        "organizer/save_event",
        &editor,
        vec![
            // Someone else's type, or an unknown id: not a type of this event.
            (
                "id",
                cat(&[&b.uuid[..2]], &[&uuid::Uuid::new_v4().to_string()]),
                Refused,
            ),
            ("form[title]", cat(&[&b.text], &["", "  "]), Refused),
            ("form[description]", b.text.clone(), Refused),
            ("form[venue]", cat(&[&b.text], &[""]), Refused),
            ("form[starts_at]", b.date.clone(), Refused),
            (
                "form[ends_at]",
                cat(&[&b.date], &["2030-12-31T00:00"]),
                Refused,
            ),
            (
                "form[time_zone]",
                cat(&[&b.text], &["Mars/Olympus", ""]),
                Refused,
            ),
            (
                "form[currency]",
                cat(&[&b.text], &["XYZ", "", "EURO"]),
                Refused,
            ),
            ("form[capacity]", cat(&[&b.int], &["-1"]), Refused),
            (
                "form[status]",
                cat(&[&b.text], &["unknown_value", "cancelled", ""]),
                Refused,
            ),
            (
                "form[language]",
                // German: the German translation would repeat the event's own text.
                cat(&[&b.text], &["", "es", "en-GB", "de"]),
                Refused,
            ),
            (
                "form[translations][de][title]",
                // A description without a title.
                cat(&[&b.text], &["", "  "]),
                Refused,
            ),
            (
                "form[translations][de][description]",
                b.text.clone(),
                Refused,
            ),
            (
                "form[types][0][id]",
                cat(&[&b.uuid[..2]], &[&type_id]),
                Refused,
            ),
            ("form[types][0][name]", cat(&[&b.text], &[""]), Refused),
            (
                "form[types][0][price]",
                cat(&[&b.int], &["-1", "0.001", ""]),
                Refused,
            ),
            (
                "form[types][0][quantity]",
                cat(&[&b.int], &["-1", ""]),
                Refused,
            ),
            ("form[types][0][sale_starts_at]", b.date.clone(), Refused),
            (
                "form[types][0][sale_ends_at]",
                // Before the sale opens; a month before the event, unconfirmed.
                cat(&[&b.date], &["2029-01-01T00:00", "2030-12-01T20:00"]),
                Refused,
            ),
            (
                "form[types][0][max_per_order]",
                cat(&[&b.int], &["0", "-1"]),
                Refused,
            ),
            ("form[types][0][description]", b.text.clone(), Refused),
            (
                "form[types][0][hidden]",
                cat(&[&b.text], &["maybe"]),
                Refused,
            ),
            (
                "form[types][0][quota_until]",
                // Not a time; a time, but the type is not hidden.
                cat(
                    &[&b.text],
                    &["2026-02-30T25:61", "yesterday", "2030-06-01T10:00"],
                ),
                Refused,
            ),
            (
                "form[types][0][window_confirmed]",
                cat(&[&b.text], &["maybe"]),
                Refused,
            ),
        ],
    ));
    // The admin's side.
    cases.extend(vary(
        ADMIN,
        "admin/decide",
        &[
            ("id", &application_id),
            ("decision", "reject"),
            ("reason", "Not a real venue"),
        ],
        vec![
            ("id", b.uuid.clone(), Refused),
            ("decision", cat(&[&b.text], &["", "unknown_value"]), Refused),
            ("reason", b.text.clone(), Refused),
        ],
    ));
    cases.extend(vary(
        ADMIN,
        "admin/users",
        &[("q", "example")],
        vec![("q", b.text.clone(), Refused)],
    ));
    cases.extend(vary(
        ADMIN,
        "admin/suspend",
        &[("organizer", &organizer_id), ("reason", "Unpaid fees")],
        vec![
            ("organizer", b.uuid.clone(), Refused),
            ("reason", cat(&[&b.text], &["", "  "]), Refused),
        ],
    ));
    cases.extend(vary(
        ADMIN,
        "admin/lift_suspension",
        &[("organizer", &organizer_id)],
        vec![("organizer", b.uuid.clone(), Refused)],
    ));

    // Every declared argument is varied here or said why not.
    for (endpoint, arg) in declared_by_endpoint() {
        let varied = cases.iter().any(|c| {
            c.endpoint == endpoint && (c.field == arg || c.field.starts_with(&format!("{arg}[")))
        });
        let excused = NOT_VARIED
            .iter()
            .any(|(e, a, _)| *e == endpoint && *a == arg);
        assert!(
            varied || excused,
            "{endpoint}'s argument {arg} is never made malformed alone"
        );
    }
    for editor_field in FIELDS.iter().filter(|f| f.starts_with("form[")) {
        assert!(
            cases.iter().any(|c| c.field == *editor_field),
            "{editor_field} is never made malformed alone"
        );
    }

    // The values that mean something come first: they may change state
    // (a sign-in makes a session, a resent link a mail).
    // Every mismatch is listed, not only the first.
    let mut wrong: Vec<String> = Vec::new();
    let mut tried = 0;
    for case in cases.iter().filter(|c| !matches!(c.expect, Refused)) {
        let valid = call(&app, &clients, case, None).await;
        for bad in &case.bad {
            let (status, location, body) = call(&app, &clients, case, Some(bad)).await;
            let shown: String = bad.chars().take(24).collect();
            let what = format!(
                "{} with {} = {shown:?}: {status}",
                case.endpoint, case.field
            );
            let ok = status == 200
                && match case.expect {
                    SameAsValid => body == valid.2,
                    RedirectsTo(page) => location.as_deref() == Some(page),
                    Answers(word) => body.contains(word),
                    Refused => unreachable!(),
                };
            if !ok {
                wrong.push(format!("{what} {location:?} {}", cut(&body)));
            }
            tried += 1;
        }
    }
    let db_before = snapshot(&db).await;
    let valkey_before = valkey_snapshot(&app).await;
    for case in cases.iter().filter(|c| matches!(c.expect, Refused)) {
        assert!(
            case.form.iter().any(|(k, _)| *k == case.field),
            "{}: {} is not in its form",
            case.endpoint,
            case.field
        );
        for bad in &case.bad {
            let (status, _, body) = call(&app, &clients, case, Some(bad)).await;
            let shown: String = bad.chars().take(24).collect();
            let what = format!(
                "{} with {} = {shown:?}: {status}",
                case.endpoint, case.field
            );
            let said = serde_json::from_str::<app::error::AppError>(&body)
                .map(|err| err.to_string())
                .unwrap_or_default();
            if !status.is_client_error() || said.trim().is_empty() {
                wrong.push(format!("{what} {}", cut(&body)));
            }
            tried += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers: {wrong:#?}",
        wrong.len()
    );
    assert!(tried > 300, "{tried}");
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
    // The valid forms work: so each refusal above was the bad argument's doing.
    // The buyer's account changes come last, in the order a person could do
    // them (each ends links or sessions the ones before need).
    const LAST: [&str; 5] = [
        "auth/confirm_email",
        "auth/change_email",
        "auth/change_password",
        "auth/reset_password",
        "auth/restore_email",
    ];
    let mut order: Vec<&OneBad> = Vec::new();
    for case in cases.iter().filter(|c| matches!(c.expect, Refused)) {
        if !order.iter().any(|c| c.endpoint == case.endpoint) {
            order.push(case);
        }
    }
    order.sort_by_key(|c| LAST.iter().position(|e| *e == c.endpoint));
    let mut failed = Vec::new();
    for case in order {
        let (status, _, body) = call(&app, &clients, case, None).await;
        if !status.is_success() {
            failed.push(format!("{}: {status} {body}", case.endpoint));
        }
    }
    assert!(failed.is_empty(), "valid forms refused: {failed:#?}");
}

/// Sends `case`'s form with its field set to `value` (or left valid): the
/// status, any redirect and the body.
async fn call(
    app: &support::TestApp,
    clients: &[reqwest::Client],
    case: &OneBad,
    value: Option<&str>,
) -> (reqwest::StatusCode, Option<String>, String) {
    let form: Vec<(&str, &str)> = case
        .form
        .iter()
        .map(|(k, v)| match value {
            Some(bad) if *k == case.field => (*k, bad),
            _ => (*k, v.as_str()),
        })
        .collect();
    // A visitor's sign-in gets a fresh browser each time, so one does not carry to the next.
    let fresh;
    let client = if case.who == VISITOR && matches!(case.expect, Expect::RedirectsTo(_)) {
        fresh = app.browser();
        &fresh
    } else {
        &clients[case.who]
    };
    let res = app.call(client, case.endpoint, &form).await;
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap_or_default().to_string());
    (status, location, res.text().await.unwrap_or_default())
}

fn cut(body: &str) -> String {
    body.chars().take(160).collect()
}

/// (server function, argument) for every argument declared.
pub(crate) fn declared_by_endpoint() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api");
    let mut pairs = Vec::new();
    for file in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for item in text.split("#[server(").skip(1) {
            let endpoint = item
                .split("endpoint = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap()
                .to_string();
            let params = item
                .split_once("pub async fn ")
                .and_then(|(_, rest)| rest.split_once('('))
                .and_then(|(_, rest)| rest.split_once(") ->"))
                .map(|(params, _)| params)
                .unwrap();
            for param in params.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let name = param.split(':').next().unwrap().trim().to_string();
                pairs.push((endpoint.clone(), name));
            }
        }
    }
    pairs
}
