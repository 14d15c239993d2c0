//! The authorization matrix: every server function and protected page, for an
//! anonymous visitor, a buyer, an organizer and an admin. Allowed calls succeed;
//! refused ones answer 401/403 (or the sign-in redirect) and change nothing.

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
    check_endpoint(&f, "passes/get", &[("id", &unknown)], [401, 404, 404, 404]).await;
    // Visitors must sign in first; a signed-in user's empty cart is refused plainly
    // (a paid cart without Stripe configured is 503, see payments.rs).
    check_endpoint(&f, "checkout/start", &[], [401, 422, 422, 422]).await;
    check_endpoint(&f, "checkout/cancel", &[], [401, 200, 200, 200]).await;
    // The door: its organizer and admins; a buyer (even with a pass) learns nothing.
    check_endpoint(
        &f,
        "checkin/stats",
        &[("event", &ticket)],
        [401, 403, 200, 200],
    )
    .await;
    check_endpoint(
        &f,
        "checkin/scan",
        &[("event", &ticket), ("code", "no-such-pass")],
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
