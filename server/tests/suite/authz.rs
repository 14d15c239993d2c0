//! The authorization matrix. Every server function and every protected page,
//! for eight kinds of user: a visitor, a buyer, an event's organizer, another
//! organizer, the event's door staff, another event's door staff, an admin and
//! the organizer once suspended (a new server function missing from the matrix
//! fails it). Allowed calls succeed; refused ones answer 401/403/404 (or a
//! refusal the function explains) and leave every table as it was. Two older
//! tests keep the four-role view and the sign-in redirects of pages.

use crate::support;

use app::model::Role;
use sqlx::PgPool;
use support::{PASSWORD, TestApp, create_user};

const ANON: usize = 0;
const BUYER: usize = 1;
const ORGANIZER: usize = 2;
const ADMIN: usize = 3;
const WHO: [&str; 4] = ["anonymous", "buyer", "organizer", "admin"];

struct Fixture {
    app: TestApp,
    clients: [reqwest::Client; 4],
    db: PgPool,
    /// A pending application by a fourth account, for the decide endpoint.
    pending_application: String,
    /// A draft listing of the organizer's, for the editor endpoints.
    organizer_ticket: String,
}

async fn fixture(db: PgPool) -> Fixture {
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    let organizer = create_user(&db, "organizer@example.com", Role::Organizer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let applicant = create_user(&db, "applicant@example.com", Role::Buyer).await;
    let pending_application: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO organizer_applications (user_id, org_name, description, kind)
         VALUES ($1, 'Applicant Org', '', 'individual') RETURNING id",
    )
    .bind(applicant)
    .fetch_one(&db)
    .await
    .unwrap();
    let organizer_ticket: uuid::Uuid = sqlx::query_scalar(
        "WITH e AS (
             INSERT INTO events (organizer_id, title, venue, starts_at, ends_at, currency, status)
             VALUES ($1, 'Draft Gig', 'Hall', now() + interval '9 days', now() + interval '10 days', 'EUR', 'draft')
             RETURNING id
         )
         INSERT INTO ticket_types (id, event_id, name, price_minor, quantity, sale_starts_at, sale_ends_at)
         SELECT id, id, 'Admission', 1000, 50, now(), now() + interval '9 days' FROM e RETURNING id",
    )
    .bind(organizer)
    .fetch_one(&db)
    .await
    .unwrap();
    let app = support::spawn(db.clone()).await;
    let clients = [
        app.browser(),
        app.signed_in("buyer@example.com").await,
        app.signed_in("organizer@example.com").await,
        app.signed_in("admin@example.com").await,
    ];
    Fixture {
        app,
        clients,
        db,
        pending_application: pending_application.to_string(),
        organizer_ticket: organizer_ticket.to_string(),
    }
}

/// What the database looks like, as far as refused calls must leave it alone.
async fn snapshot(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT format('%s %s %s', u.email, u.role, coalesce(string_agg(a.status::text, ',' ORDER BY a.created_at), '-'))
         FROM users u LEFT JOIN organizer_applications a ON a.user_id = u.id
         GROUP BY u.email, u.role
         UNION ALL
         SELECT format('%s %s %s %s %s', e.title, e.status, t.quantity, t.price_minor, e.queue_enabled)
         FROM events e JOIN ticket_types t ON t.event_id = e.id
         UNION ALL
         SELECT format('suspension %s %s %s', organizer_id, reason, lifted_at IS NULL)
         FROM organizer_suspensions
         ORDER BY 1",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

async fn check_endpoint(f: &Fixture, endpoint: &str, form: &[(&str, &str)], expected: [u16; 4]) {
    for who in [ANON, BUYER, ORGANIZER, ADMIN] {
        let before = snapshot(&f.db).await;
        let res = f.app.call(&f.clients[who], endpoint, form).await;
        let status = res.status().as_u16();
        assert_eq!(
            status,
            expected[who],
            "{endpoint} as {}: {}",
            WHO[who],
            res.text().await.unwrap_or_default()
        );
        if status >= 400 {
            assert_eq!(
                before,
                snapshot(&f.db).await,
                "refused {endpoint} as {} changed data",
                WHO[who]
            );
        }
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn server_functions_check_role_on_the_server(db: PgPool) {
    let f = fixture(db).await;
    let id = f.pending_application.clone();
    let application = [
        ("org_name", "New Org"),
        ("description", ""),
        ("website", ""),
        ("kind", "individual"),
    ];
    check_endpoint(&f, "auth/me", &[], [200, 200, 200, 200]).await;
    check_endpoint(&f, "organizers/my_application", &[], [401, 200, 200, 200]).await;
    check_endpoint(&f, "organizers/overview", &[], [401, 403, 200, 403]).await;
    check_endpoint(&f, "admin/dashboard", &[], [401, 403, 403, 200]).await;
    check_endpoint(&f, "admin/users", &[("q", "example")], [401, 403, 403, 200]).await;
    let organizer: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'organizer@example.com'")
            .fetch_one(&f.db)
            .await
            .unwrap();
    let organizer = organizer.to_string();
    let suspend = [("organizer", organizer.as_str()), ("reason", "Unpaid fees")];
    check_endpoint(&f, "admin/suspend", &suspend, [401, 403, 403, 200]).await;
    check_endpoint(
        &f,
        "admin/lift_suspension",
        &[("organizer", &organizer)],
        [401, 403, 403, 200],
    )
    .await;
    // Only a buyer may apply (organizers and admins already are more).
    check_endpoint(&f, "organizers/apply", &application, [401, 200, 403, 403]).await;
    check_endpoint(
        &f,
        "admin/decide",
        &[("id", &id), ("decision", "approve")],
        [401, 403, 403, 200],
    )
    .await;
    check_endpoint(
        &f,
        "auth/change_password",
        &[("current_password", PASSWORD), ("new_password", PASSWORD)],
        [401, 200, 200, 200],
    )
    .await;
    let ticket = f.organizer_ticket.clone();
    check_endpoint(
        &f,
        "catalogue/search",
        &[("query[q]", "gig")],
        [200, 200, 200, 200],
    )
    .await;
    // A draft is visible to its organizer only; to everyone else it does not exist.
    check_endpoint(
        &f,
        "catalogue/event",
        &[("id", &ticket)],
        [404, 404, 200, 404],
    )
    .await;
    check_endpoint(&f, "organizer/events", &[], [401, 403, 200, 403]).await;
    check_endpoint(
        &f,
        "organizer/event",
        &[("id", &ticket)],
        [401, 403, 200, 403],
    )
    .await;
    let edit = [
        ("id", ticket.as_str()),
        ("form[title]", "Draft Gig"),
        ("form[description]", ""),
        ("form[venue]", "Hall"),
        ("form[starts_at]", "2031-01-01T20:00"),
        ("form[ends_at]", "2031-01-01T23:00"),
        ("form[time_zone]", "UTC"),
        ("form[currency]", "EUR"),
        ("form[status]", "draft"),
        ("form[language]", "en"),
        // The type keeps its id (the event's, as migrated listings have).
        ("form[types][0][id]", ticket.as_str()),
        ("form[types][0][name]", "Admission"),
        ("form[types][0][sale_starts_at]", "2030-01-01T00:00"),
        ("form[types][0][sale_ends_at]", "2031-01-01T20:00"),
        ("form[types][0][price]", "10"),
        ("form[types][0][quantity]", "50"),
        ("form[types][0][max_per_order]", "10"),
    ];
    check_endpoint(&f, "organizer/save_event", &edit, [401, 403, 200, 403]).await;
    check_endpoint(
        &f,
        "organizer/queue",
        &[("event", ticket.as_str()), ("enabled", "on")],
        [401, 403, 200, 200],
    )
    .await;
    // Carts are anyone's (a guest's lives in the session); orders only their buyer's.
    check_endpoint(&f, "cart/view", &[], [200, 200, 200, 200]).await;
    let buyer: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'buyer@example.com'")
            .fetch_one(&f.db)
            .await
            .unwrap();
    let order: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO orders (user_id, total_minor, currency, reserved_until, status)
         VALUES ($1, 0, 'EUR', now(), 'expired') RETURNING id",
    )
    .bind(buyer)
    .fetch_one(&f.db)
    .await
    .unwrap();
    let order = order.to_string();
    check_endpoint(&f, "orders/get", &[("id", &order)], [401, 200, 404, 404]).await;
    check_endpoint(&f, "orders/mine", &[], [401, 200, 200, 200]).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    check_endpoint(&f, "tickets/get", &[("id", &unknown)], [401, 404, 404, 404]).await;
    // Visitors must sign in first; a signed-in user's empty cart is refused plainly
    // (a paid cart without Stripe configured is 503, see payments.rs).
    check_endpoint(&f, "checkout/start", &[], [401, 422, 422, 422]).await;
    check_endpoint(&f, "checkout/cancel", &[], [401, 200, 200, 200]).await;
    // The door: its organizer and admins; a buyer (even with a ticket) learns nothing.
    check_endpoint(
        &f,
        "checkin/stats",
        &[("event", &ticket)],
        [401, 403, 200, 200],
    )
    .await;
    check_endpoint(
        &f,
        "checkin/list",
        &[("event", &ticket)],
        [401, 403, 200, 200],
    )
    .await;
    check_endpoint(
        &f,
        "checkin/scan",
        &[("event", &ticket), ("code", "no-such-ticket")],
        [401, 403, 200, 200],
    )
    .await;
    // Signing out is harmless for anyone; it comes last as it ends the sessions.
    check_endpoint(&f, "auth/sign_out", &[], [200, 200, 200, 200]).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn protected_pages_redirect_or_refuse(db: PgPool) {
    let f = fixture(db).await;
    let door = format!("/organizer/events/{}/checkin", f.organizer_ticket);
    for (path, expected) in [
        ("/account", [302, 200, 200, 200]),
        ("/organizer", [302, 403, 200, 403]),
        ("/admin", [302, 403, 403, 200]),
        ("/organizer/events/new", [302, 403, 200, 403]),
        ("/orders", [302, 200, 200, 200]),
        (door.as_str(), [302, 403, 200, 200]),
    ] {
        for who in [ANON, BUYER, ORGANIZER, ADMIN] {
            let res = f.app.get_with(&f.clients[who], path).await;
            assert_eq!(
                res.status().as_u16(),
                expected[who],
                "{path} as {}",
                WHO[who]
            );
            if who == ANON {
                let location = res.headers()["location"].to_str().unwrap();
                assert_eq!(location, format!("/signin?next={path}"));
            }
            let body = res.text().await.unwrap();
            match expected[who] {
                403 => assert!(
                    body.contains("You do not have access to this page."),
                    "{path} as {}",
                    WHO[who]
                ),
                200 if path == "/admin" => assert!(body.contains("Admin dashboard")),
                200 if path == "/organizer" => assert!(body.contains("Organizer area")),
                _ => {}
            }
        }
    }
}

/// Who may do what on one organizer's event, for everyone who might try:
/// a visitor, a buyer, the event's organizer, another organizer, the event's
/// door staff, another event's door staff, an admin, and the organizer again
/// once suspended. Refused calls answer 401/403/404 and leave every table as
/// it was.
const SIDES: [&str; 8] = [
    "visitor",
    "buyer",
    "organizer",
    "another organizer",
    "door staff",
    "another event's door staff",
    "admin",
    "suspended organizer",
];

/// Every table's rows, as digests: any change shows.
async fn all_tables(db: &PgPool) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut rows = Vec::new();
    for table in tables {
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

async fn door_staff_of(db: &PgPool, event: uuid::Uuid, staff: uuid::Uuid, by: uuid::Uuid) {
    sqlx::query(
        "INSERT INTO door_staff (event_id, email, invited_by, expires_at, user_id, accepted_at)
         SELECT $1, email, $3, now() + interval '7 days', id, now() FROM users WHERE id = $2",
    )
    .bind(event)
    .bind(staff)
    .bind(by)
    .execute(db)
    .await
    .unwrap();
}

/// A server function, the form each of [`SIDES`] sends (most send the same),
/// and the status each gets, in the order they try.
struct Attempt {
    endpoint: &'static str,
    form: Box<dyn Fn(usize) -> Vec<(&'static str, String)>>,
    expected: [u16; 8],
}

fn same(form: &[(&'static str, &str)], expected: [u16; 8], endpoint: &'static str) -> Attempt {
    let form: Vec<(&'static str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
    Attempt {
        endpoint,
        form: Box::new(move |_| form.clone()),
        expected,
    }
}

fn per_side(
    endpoint: &'static str,
    form: impl Fn(usize) -> Vec<(&'static str, String)> + 'static,
    expected: [u16; 8],
) -> Attempt {
    Attempt {
        endpoint,
        form: Box::new(form),
        expected,
    }
}

/// The editor's form for an event as its organizer last saved it.
async fn saved_form(
    app: &TestApp,
    organizer: &reqwest::Client,
    event: &str,
) -> Vec<(&'static str, String)> {
    let res = app
        .call(organizer, "organizer/event", &[("id", event)])
        .await;
    assert_eq!(res.status(), 200);
    let loaded: serde_json::Value = res.json().await.unwrap();
    let form = &loaded["form"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let mut pairs = vec![("id", event.to_string())];
    for field in [
        "title",
        "description",
        "venue",
        "starts_at",
        "ends_at",
        "time_zone",
        "currency",
        "capacity",
        "status",
        "language",
    ] {
        pairs.push((
            Box::leak(format!("form[{field}]").into_boxed_str()) as &'static str,
            text(&form[field]),
        ));
    }
    for (index, row) in form["types"].as_array().unwrap().iter().enumerate() {
        for field in [
            "id",
            "name",
            "description",
            "price",
            "quantity",
            "sale_starts_at",
            "sale_ends_at",
            "max_per_order",
            "hidden",
        ] {
            pairs.push((
                Box::leak(format!("form[types][{index}][{field}]").into_boxed_str())
                    as &'static str,
                text(&row[field]),
            ));
        }
    }
    pairs
}

/// Every server function and every page, for each of [`SIDES`]: allowed calls
/// succeed, refused ones answer 401/403/404 (or a refusal the function
/// explains) and leave every table as it was. A server function added later
/// and missing here fails the test.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn every_kind_of_user_on_every_server_function_and_page(db: PgPool) {
    use app::backend::links::{self, LinkPurpose};
    let event = support::fixtures::event(&db)
        .title("Matrix Night")
        .create()
        .await;
    let theirs = support::fixtures::event(&db)
        .title("Rival Night")
        .create()
        .await;
    // The organizer's other events: one to cancel, one sold out (for the
    // waiting list), one a draft.
    let mut doomed = Vec::new();
    for night in ["Doomed", "Doomed Again", "Doomed Thrice"] {
        let built = support::fixtures::event(&db)
            .by(event.organizer)
            .title(&format!("{night} Night"))
            .create()
            .await;
        doomed.push(built.id);
    }
    let doomed: [uuid::Uuid; 3] = doomed.try_into().unwrap();
    let full = support::fixtures::event(&db)
        .by(event.organizer)
        .title("Full Night")
        .ticket_type("Admission", 2500, 1)
        .create()
        .await;
    let draft = support::fixtures::event(&db)
        .by(event.organizer)
        .title("Draft Night")
        .draft()
        .create()
        .await;
    sqlx::query("UPDATE events SET buyer_cancel_hours = 1 WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let buyer = create_user(&db, "buyer@example.com", Role::Buyer).await;
    let staff = create_user(&db, "staff@example.com", Role::Buyer).await;
    let other_staff = create_user(&db, "other-staff@example.com", Role::Buyer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let applicant = create_user(&db, "applicant@example.com", Role::Buyer).await;
    let application: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO organizer_applications (user_id, org_name, description, kind)
         VALUES ($1, 'Applicant Org', '', 'individual') RETURNING id",
    )
    .bind(applicant)
    .fetch_one(&db)
    .await
    .unwrap();
    door_staff_of(&db, event.id, staff, event.organizer).await;
    door_staff_of(&db, theirs.id, other_staff, theirs.organizer).await;
    let order = support::fixtures::paid_order(&db, buyer, &[(event.types[0], 4)]).await;
    let own_order = support::fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;
    support::fixtures::paid_order(&db, applicant, &[(full.types[0], 1)]).await;
    let tickets: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order)
            .fetch_all(&db)
            .await
            .unwrap();
    // Invitations: one for the buyer to accept, one pending to revoke.
    let invite = |email: &'static str| {
        let db = db.clone();
        let (event, by) = (event.id, event.organizer);
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>(
                "INSERT INTO door_staff (event_id, email, invited_by, expires_at)
                 VALUES ($1, $2, $3, now() + interval '7 days') RETURNING id",
            )
            .bind(event)
            .bind(email)
            .bind(by)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    // Addressed to someone who is none of the sides: each side's try is refused,
    // then the invitee's own works (below).
    create_user(&db, "invitee@example.com", Role::Buyer).await;
    let for_invitee = invite("invitee@example.com").await;
    // Pending ones to revoke: the organizer's, the admin's, the suspended
    // organizer's (which the others try first).
    let pending = [
        invite("pending2@example.com").await,
        invite("pending6@example.com").await,
        invite("pending7@example.com").await,
    ];
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
    let key = app.state.link_key();
    let door_token = key.token(for_invitee);
    let mut conn = db.acquire().await.unwrap();
    let verify_link = links::create(
        &mut conn,
        buyer,
        LinkPurpose::VerifyEmail,
        "buyer@example.com",
    )
    .await
    .unwrap();
    drop(conn);
    // A link of the buyer's: usable by whoever holds it (the token is the
    // authority), so only its checks are the same for everyone.
    let verify_token = key.token(verify_link);
    let organizer_email = support::email_of(&db, event.organizer).await;
    let clients = [
        app.browser(),
        app.signed_in("buyer@example.com").await,
        app.signed_in(&organizer_email).await,
        app.signed_in(&support::email_of(&db, theirs.organizer).await)
            .await,
        app.signed_in("staff@example.com").await,
        app.signed_in("other-staff@example.com").await,
        app.signed_in("admin@example.com").await,
        // The same organizer, suspended before its turn comes (see below).
        app.signed_in(&organizer_email).await,
    ];
    let id = event.id.to_string();
    let (order_id, own_order_id) = (order.to_string(), own_order.to_string());
    let (draft_id, full_type) = (draft.id.to_string(), full.types[0].to_string());
    let (ticket_id, type_id) = (tickets[0].0.to_string(), event.types[0].to_string());
    let (application_id, rival_id) = (application.to_string(), theirs.organizer.to_string());
    let unknown_code = "0".repeat(40);
    let event_code: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO event_codes (event_id, code, created_by) VALUES ($1, 'AUTHZ001', $2) RETURNING id",
    )
    .bind(event.id)
    .bind(event.organizer)
    .fetch_one(&db)
    .await
    .unwrap();
    let event_code = event_code.to_string();
    let edit = saved_form(&app, &clients[2], &id).await;
    let wrong = "not the password";
    // 401: signed out; 403: not their role or suspended; 404: not theirs (no
    // hint that it exists); 422: refused for a reason the function explains.
    let attempts: Vec<Attempt> = vec![
        same(&[], [200; 8], "auth/me"),
        same(&[], [200; 8], "cart/view"),
        same(&[("query[q]", "night")], [200; 8], "catalogue/search"),
        same(&[("id", &id)], [200; 8], "catalogue/event"),
        // A draft is its organizer's only; to everyone else it does not exist.
        same(
            &[("id", &draft_id)],
            [404, 404, 200, 404, 404, 404, 404, 200],
            "catalogue/event",
        ),
        same(&[], [401, 200, 200, 200, 200, 200, 200, 200], "orders/mine"),
        same(
            &[("id", &order_id)],
            [401, 200, 404, 404, 404, 404, 404, 404],
            "orders/get",
        ),
        same(
            &[("id", &ticket_id)],
            [401, 200, 404, 404, 404, 404, 404, 404],
            "tickets/get",
        ),
        same(
            &[],
            [401, 200, 200, 200, 200, 200, 200, 200],
            "organizers/my_application",
        ),
        same(
            &[],
            [401, 403, 200, 200, 403, 403, 403, 200],
            "organizers/overview",
        ),
        same(
            &[],
            [401, 403, 200, 200, 403, 403, 403, 200],
            "organizer/events",
        ),
        same(
            &[],
            [401, 403, 200, 200, 403, 403, 403, 403],
            "organizer/new_event",
        ),
        // Admins see an event's orders, sales and door, but do not edit it.
        same(
            &[("id", &id)],
            [401, 403, 200, 404, 403, 403, 403, 200],
            "organizer/event",
        ),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/orders",
        ),
        same(
            &[("id", &order_id)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/order",
        ),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/sales",
        ),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/staff",
        ),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/codes",
        ),
        // Making codes is a new grant: not while suspended. Disabling one
        // only takes access away, so it is allowed then (and again: it stays
        // disabled).
        same(
            &[
                ("event", &id),
                ("form[count]", "1"),
                ("form[types][0]", &type_id),
            ],
            [401, 403, 200, 404, 403, 403, 200, 403],
            "organizer/make_codes",
        ),
        same(
            &[("event", &id), ("code", &event_code)],
            [401, 403, 200, 404, 403, 403, 200, 200],
            "organizer/disable_code",
        ),
        same(&[("event", &id)], [200; 8], "cart/code/remove"),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 200, 403, 200, 200],
            "checkin/stats",
        ),
        same(
            &[("event", &id)],
            [401, 403, 200, 404, 200, 403, 200, 200],
            "checkin/list",
        ),
        // Another organizer's scan is answered as a refusal at the door
        // (`DoorRefusal`), checking nothing in (see the end of this test).
        same(
            &[("event", &id), ("code", &unknown_code)],
            [401, 403, 200, 200, 200, 403, 200, 200],
            "checkin/scan",
        ),
        same(
            &[("event", &id), ("hours", ""), ("fee_percent", "0")],
            [401, 403, 200, 404, 403, 403, 200, 403],
            "organizer/cancel_policy",
        ),
        same(
            &[("event", &id), ("enabled", "")],
            [401, 403, 200, 404, 403, 403, 200, 403],
            "organizer/queue",
        ),
        same(
            &[],
            [401, 403, 403, 403, 403, 403, 200, 403],
            "admin/dashboard",
        ),
        same(
            &[("q", "example")],
            [401, 403, 403, 403, 403, 403, 200, 403],
            "admin/users",
        ),
        {
            let edit = edit.clone();
            per_side(
                "organizer/save_event",
                move |_| edit.clone(),
                [401, 403, 200, 404, 403, 403, 403, 403],
            )
        },
        // Writes that succeed once: each side tries in turn (each its own
        // address or name where it matters).
        per_side(
            "organizer/invite_staff",
            {
                let id = id.clone();
                move |who| {
                    vec![
                        ("event", id.clone()),
                        ("email", format!("helper{who}@example.com")),
                    ]
                }
            },
            [401, 403, 200, 404, 403, 403, 200, 403],
        ),
        // Taking door staff away is allowed while suspended (it only lowers access).
        per_side(
            "organizer/revoke_staff",
            {
                let id = id.clone();
                move |who| {
                    let invitation = match who {
                        2 => pending[0],
                        6 => pending[1],
                        _ => pending[2],
                    };
                    vec![
                        ("event", id.clone()),
                        ("invitation", invitation.to_string()),
                    ]
                }
            },
            [401, 403, 200, 404, 403, 403, 200, 200],
        ),
        // The first allowed side refunds the ticket; later ones find it refunded.
        per_side(
            "organizer/refund",
            {
                let (order_id, refundable) =
                    (order_id.clone(), [tickets[0].0, tickets[2].0, tickets[3].0]);
                move |who| {
                    let ticket = match who {
                        2 => refundable[0],
                        6 => refundable[1],
                        _ => refundable[2],
                    };
                    vec![
                        ("order", order_id.clone()),
                        ("tickets[0]", ticket.to_string()),
                        ("reason", "Matrix refund".into()),
                    ]
                }
            },
            [401, 403, 200, 404, 403, 403, 200, 200],
        ),
        // Cancelling refunds, so a suspended organizer may.
        per_side(
            "organizer/cancel_event",
            move |who| {
                let event = match who {
                    2 => doomed[0],
                    6 => doomed[1],
                    _ => doomed[2],
                };
                vec![
                    ("event", event.to_string()),
                    ("reason", "The band is ill".into()),
                ]
            },
            [401, 403, 200, 404, 403, 403, 200, 200],
        ),
        same(
            &[("order", &own_order_id), ("refund_minor", "2500")],
            [401, 200, 404, 404, 404, 404, 404, 404],
            "orders/cancel_tickets",
        ),
        per_side(
            "organizers/apply",
            |who| {
                vec![
                    ("org_name", format!("Side {who} Nights")),
                    ("description", String::new()),
                    ("website", String::new()),
                    ("kind", "individual".into()),
                ]
            },
            [401, 200, 403, 403, 200, 200, 403, 403],
        ),
        same(
            &[
                ("picks[0][ticket_type_id]", &type_id),
                ("picks[0][quantity]", "1"),
            ],
            [200; 8],
            "cart/add",
        ),
        same(
            &[("ticket_type_id", &type_id), ("quantity", "0")],
            [200; 8],
            "cart/set",
        ),
        same(
            &[],
            [401, 422, 422, 422, 422, 422, 422, 422],
            "checkout/start",
        ),
        same(
            &[],
            [401, 200, 200, 200, 200, 200, 200, 200],
            "checkout/cancel",
        ),
        same(
            &[("ticket_type_id", &full_type), ("quantity", "1")],
            // The suspended organizer is the organizer's account, already waiting.
            [401, 200, 200, 200, 200, 200, 200, 422],
            "waiting_list/join",
        ),
        same(
            &[("ticket_type_id", &full_type)],
            [401, 200, 200, 200, 200, 200, 200, 422],
            "waiting_list/leave",
        ),
        // Someone else's invitation: nobody here may take it (the refusal
        // names the address to sign in with: the token came by mail to it).
        same(
            &[("token", &door_token)],
            [401, 422, 422, 422, 422, 422, 422, 422],
            "door/accept",
        ),
        // The doors one staffs: anyone signed in may ask about their own.
        same(&[], [401, 200, 200, 200, 200, 200, 200, 200], "door/mine"),
        same(
            &[
                ("id", &application_id),
                ("decision", "reject"),
                ("reason", "No venue"),
            ],
            [401, 403, 403, 403, 403, 403, 200, 403],
            "admin/decide",
        ),
        same(
            &[("organizer", &rival_id), ("reason", "Unpaid fees")],
            [401, 403, 403, 403, 403, 403, 200, 403],
            "admin/suspend",
        ),
        same(
            &[("organizer", &rival_id)],
            [401, 403, 403, 403, 403, 403, 200, 403],
            "admin/lift_suspension",
        ),
        // The account's own doors: a wrong password is refused for everyone
        // signed in; the mailed links are the holder's to use.
        same(
            &[
                ("current_password", wrong),
                ("new_password", "a new password here"),
            ],
            [401, 422, 422, 422, 422, 422, 422, 422],
            "auth/change_password",
        ),
        same(
            &[
                ("current_password", wrong),
                ("new_email", "elsewhere@example.com"),
            ],
            [401, 422, 422, 422, 422, 422, 422, 422],
            "auth/change_email",
        ),
        // Every side's address is confirmed already.
        same(
            &[],
            [401, 422, 422, 422, 422, 422, 422, 422],
            "auth/resend_verification",
        ),
        same(
            &[("token", &verify_token), ("link", "VerifyEmail")],
            [200; 8],
            "auth/link_usable",
        ),
        same(&[("token", "forged")], [422; 8], "auth/verify_email"),
        same(&[("token", "forged")], [422; 8], "auth/reset_link"),
        same(
            &[("token", "forged"), ("new_password", "a new password here")],
            [422; 8],
            "auth/reset_password",
        ),
        same(&[("token", "forged")], [422; 8], "auth/confirm_email"),
        same(&[("token", "forged")], [422; 8], "auth/restore_email"),
        same(
            &[("email", "nobody@example.com")],
            [200; 8],
            "auth/forgot_password",
        ),
        same(
            &[("email", "buyer@example.com"), ("password", wrong)],
            [422; 8],
            "auth/sign_in",
        ),
        per_side(
            "auth/sign_up",
            |who| {
                vec![
                    ("name", format!("Side {who}")),
                    ("email", format!("side{who}@example.com")),
                    ("password", "a long enough password".into()),
                ]
            },
            [200; 8],
        ),
    ];
    // Every server function is here (signing out comes last, below; the
    // cover upload is multipart, below).
    for (endpoint, _) in crate::bad_input::declared_by_endpoint() {
        assert!(
            attempts.iter().any(|a| a.endpoint == endpoint)
                || ["auth/sign_out", "organizer/cover"].contains(&endpoint.as_str()),
            "{endpoint} is not in the matrix"
        );
    }
    let suspend = || async {
        sqlx::query("UPDATE users SET suspended_at = now() WHERE id = $1")
            .bind(event.organizer)
            .execute(&db)
            .await
            .unwrap();
    };
    let lift = || async {
        sqlx::query("UPDATE users SET suspended_at = NULL WHERE id = $1")
            .bind(event.organizer)
            .execute(&db)
            .await
            .unwrap();
    };
    let mut mismatches = Vec::new();
    for attempt in &attempts {
        for (who, client) in clients.iter().enumerate() {
            if who == 7 {
                suspend().await;
            }
            let form = (attempt.form)(who);
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = all_tables(&db).await;
            let res = app.call(client, attempt.endpoint, &form).await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let after = all_tables(&db).await;
            if who == 7 {
                lift().await;
            }
            if status != attempt.expected[who] {
                let body: String = body.chars().take(200).collect();
                mismatches.push(format!(
                    "{} as {}: {status} {body}",
                    attempt.endpoint, SIDES[who]
                ));
            }
            if status >= 400 && before != after {
                mismatches.push(format!(
                    "refused {} as {} changed data",
                    attempt.endpoint, SIDES[who]
                ));
            }
        }
    }
    // The cover: a multipart upload.
    for (who, expected) in [401, 403, 200, 404, 403, 403, 403, 403]
        .into_iter()
        .enumerate()
    {
        if who == 7 {
            suspend().await;
        }
        let before = all_tables(&db).await;
        let res = crate::covers::upload(
            &app,
            &clients[who],
            event.id,
            "cover.png",
            crate::covers::png(800, 400),
        )
        .await;
        let status = res.status().as_u16();
        let after = all_tables(&db).await;
        if who == 7 {
            lift().await;
        }
        if status != expected {
            mismatches.push(format!("organizer/cover as {}: {status}", SIDES[who]));
        }
        if status >= 400 && before != after {
            mismatches.push(format!(
                "refused organizer/cover as {} changed data",
                SIDES[who]
            ));
        }
    }
    // Pages: the status each side gets (a visitor is sent to sign in).
    let order_page = format!("/orders/{order_id}");
    let pass_page = format!("/tickets/{}", tickets[1].0);
    let pages: Vec<(String, [u16; 8])> = vec![
        ("/account".into(), [302, 200, 200, 200, 200, 200, 200, 200]),
        ("/orders".into(), [302, 200, 200, 200, 200, 200, 200, 200]),
        (order_page, [302, 200, 404, 404, 404, 404, 404, 404]),
        (pass_page, [302, 200, 404, 404, 404, 404, 404, 404]),
        (
            "/organizer".into(),
            [302, 403, 200, 200, 403, 403, 403, 200],
        ),
        ("/admin".into(), [302, 403, 403, 403, 403, 403, 200, 403]),
        (
            "/organizer/events/new".into(),
            [302, 403, 200, 200, 403, 403, 403, 403],
        ),
        (
            format!("/organizer/events/{id}/edit"),
            [302, 403, 200, 404, 403, 403, 403, 200],
        ),
        (
            format!("/organizer/events/{id}/orders"),
            [302, 403, 200, 404, 403, 403, 200, 200],
        ),
        (
            format!("/organizer/orders/{order_id}"),
            [302, 403, 200, 404, 403, 403, 200, 200],
        ),
        (
            format!("/organizer/events/{id}/sales"),
            [302, 403, 200, 404, 403, 403, 200, 200],
        ),
        (
            format!("/organizer/events/{id}/staff"),
            [302, 403, 200, 404, 403, 403, 200, 200],
        ),
        (
            format!("/organizer/events/{id}/codes"),
            [302, 403, 200, 404, 403, 403, 200, 200],
        ),
        (
            format!("/organizer/events/{id}/codes.csv"),
            [303, 403, 200, 404, 403, 403, 200, 403],
        ),
        (
            format!("/organizer/events/{id}/checkin"),
            [302, 403, 200, 404, 200, 403, 200, 200],
        ),
        (
            format!("/organizer/events/{id}/orders.csv"),
            [303, 403, 200, 404, 403, 403, 200, 403],
        ),
        (
            format!("/organizer/events/{id}/attendees.csv"),
            [303, 403, 200, 404, 403, 403, 200, 403],
        ),
        (
            format!("/events/{draft_id}"),
            [404, 404, 200, 404, 404, 404, 404, 200],
        ),
    ];
    for (path, expected) in &pages {
        for (who, client) in clients.iter().enumerate() {
            if who == 7 {
                suspend().await;
            }
            let before = all_tables(&db).await;
            let res = app.get_with(client, path).await;
            let after = all_tables(&db).await;
            if who == 7 {
                lift().await;
            }
            if res.status().as_u16() != expected[who] {
                let status = res.status();
                let body = res.text().await.unwrap_or_default();
                let shown = body
                    .split("<main")
                    .nth(1)
                    .unwrap_or(&body)
                    .chars()
                    .take(300)
                    .collect::<String>();
                mismatches.push(format!("{path} as {}: {status} {shown}", SIDES[who]));
                continue;
            }
            if before != after {
                mismatches.push(format!("GET {path} as {} changed data", SIDES[who]));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches: {mismatches:#?}",
        mismatches.len()
    );
    let refunded: i64 = sqlx::query_scalar("SELECT count(*) FROM refunds WHERE reason <> ''")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(refunded >= 1);
    let invited: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM door_staff WHERE email LIKE 'helper%' ORDER BY email",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(invited, ["helper2@example.com", "helper6@example.com"]);
    // The door staff's check-in works; another event's staff's and another
    // organizer's do not.
    let scan = [("event", id.as_str()), ("code", tickets[1].1.as_str())];
    let res = app.call(&clients[5], "checkin/scan", &scan).await;
    assert_eq!(res.status(), 403);
    let res = app.call(&clients[3], "checkin/scan", &scan).await;
    assert!(
        matches!(
            res.json::<app::model::ScanResult>().await.unwrap(),
            app::model::ScanResult::Refused(_)
        ),
        "another organizer checked a ticket in"
    );
    let res = app.call(&clients[4], "checkin/scan", &scan).await;
    assert_eq!(res.status(), 200);
    // The invitee takes the invitation nobody else could.
    let invitee = app.signed_in("invitee@example.com").await;
    let res = app
        .call(&invitee, "door/accept", &[("token", &door_token)])
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    // Signing out is harmless for anyone; it ends the sessions, so it is last.
    for client in &clients {
        assert_eq!(app.call(client, "auth/sign_out", &[]).await.status(), 200);
    }
}
