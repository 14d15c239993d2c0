//! Organizer applications and admin decisions, over HTTP.

use crate::support;

use app::api::admin::AdminSummary;
use app::model::{ApplicationStatus, ApplicationView, Role};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{TestApp, app_error, create_user};

const APPLICATION: &[(&str, &str)] = &[
    ("org_name", "Harbour Sounds"),
    ("description", "Jazz and folk nights by the sea."),
    ("website", "https://harbour.example"),
    ("kind", "company"),
];

async fn pending_id(app: &TestApp, admin: &reqwest::Client) -> String {
    let summary: AdminSummary = app
        .call(admin, "admin/dashboard", &[])
        .await
        .json()
        .await
        .unwrap();
    summary
        .applications
        .iter()
        .find(|a| a.status == ApplicationStatus::Pending)
        .expect("a pending application")
        .id
        .to_string()
}

async fn role_of(db: &PgPool, email: &str) -> String {
    sqlx::query_scalar("SELECT role::text FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn apply_then_admin_approves_and_the_organizer_area_opens(db: PgPool) {
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = support::spawn(db.clone()).await;
    let buyer = app.signed_in("buyer@example.com").await;
    let admin = app.signed_in("admin@example.com").await;

    assert_eq!(
        app.call(&buyer, "organizers/apply", APPLICATION)
            .await
            .status(),
        StatusCode::OK
    );
    let again = app.call(&buyer, "organizers/apply", APPLICATION).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(again).await.to_string(),
        "You already have an application waiting for review."
    );
    assert_eq!(
        app.call(&buyer, "organizers/overview", &[]).await.status(),
        StatusCode::FORBIDDEN
    );

    let id = pending_id(&app, &admin).await;
    let res = app
        .call(
            &admin,
            "admin/decide",
            &[("id", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(role_of(&db, "buyer@example.com").await, "organizer");

    // The same session sees the new role at once: roles are read per request.
    let res = app.call(&buyer, "organizers/overview", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let summary: AdminSummary = app
        .call(&admin, "admin/dashboard", &[])
        .await
        .json()
        .await
        .unwrap();
    let decided = &summary.applications[0];
    assert_eq!(decided.status, ApplicationStatus::Approved);
    assert_eq!(decided.decided_by_name.as_deref(), Some("Test User"));
    assert!(decided.decided_at.is_some());
    assert_eq!(summary.stats.organizers, 1);

    // Deciding twice is refused and changes nothing.
    let twice = app
        .call(
            &admin,
            "admin/decide",
            &[("id", &id), ("decision", "reject"), ("reason", "x")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role_of(&db, "buyer@example.com").await, "organizer");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn rejection_needs_a_reason_which_the_applicant_sees_and_may_apply_again(db: PgPool) {
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = support::spawn(db.clone()).await;
    let buyer = app.signed_in("buyer@example.com").await;
    let admin = app.signed_in("admin@example.com").await;
    app.call(&buyer, "organizers/apply", APPLICATION).await;
    let id = pending_id(&app, &admin).await;

    let res = app
        .call(
            &admin,
            "admin/decide",
            &[("id", &id), ("decision", "reject"), ("reason", "  ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app_error(res).await.for_field("reason").is_some());

    let reason = "Please add a website we can check.";
    let res = app
        .call(
            &admin,
            "admin/decide",
            &[("id", &id), ("decision", "reject"), ("reason", reason)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(role_of(&db, "buyer@example.com").await, "buyer");

    let mine: Option<ApplicationView> = app
        .call(&buyer, "organizers/my_application", &[])
        .await
        .json()
        .await
        .unwrap();
    let mine = mine.expect("application");
    assert_eq!(mine.status, ApplicationStatus::Rejected);
    assert_eq!(mine.reason.as_deref(), Some(reason));

    assert_eq!(
        app.call(&buyer, "organizers/apply", APPLICATION)
            .await
            .status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn bad_application_input_and_unknown_applications(db: PgPool) {
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    create_user(&db, "admin@example.com", Role::Admin).await;
    let app = support::spawn(db.clone()).await;
    let buyer = app.signed_in("buyer@example.com").await;
    let admin = app.signed_in("admin@example.com").await;

    let res = app
        .call(
            &buyer,
            "organizers/apply",
            &[
                ("org_name", ""),
                ("description", ""),
                ("website", ""),
                ("kind", "company"),
            ],
        )
        .await;
    assert!(app_error(res).await.for_field("org_name").is_some());
    let res = app
        .call(
            &buyer,
            "organizers/apply",
            &[
                ("org_name", "A"),
                ("description", ""),
                ("website", "nope"),
                ("kind", "company"),
            ],
        )
        .await;
    assert!(app_error(res).await.for_field("website").is_some());
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM organizer_applications")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 0);

    let unknown = uuid::Uuid::new_v4().to_string();
    let res = app
        .call(
            &admin,
            "admin/decide",
            &[("id", &unknown), ("decision", "approve")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .call(
            &admin,
            "admin/decide",
            &[("id", "not-a-uuid"), ("decision", "approve")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
