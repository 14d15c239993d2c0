//! Sign-up, sign-in, sessions, password changes and rate limits, over HTTP.

use crate::support;

use app::error::AppError;
use app::model::Role;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{PASSWORD, app_error, create_user};

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ts_session="))
        .map(str::to_owned)
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sign_up_creates_a_buyer_who_signs_in_with_the_password(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let client = app.browser();
    let res = app
        .call(
            &client,
            "auth/sign_up",
            &[
                ("name", " Ada Lovelace "),
                ("email", "Ada@Example.COM"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["location"],
        "/signup?sent=1",
        "told to check the mail"
    );
    // Not signed in by the form: it answers the same for any address.
    assert_eq!(app.me(&client).await, None);
    let res = app
        .call(
            &client,
            "auth/sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = session_cookie(&res).expect("session cookie set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not mark the cookie Secure: {cookie}"
    );

    let me = app.me(&client).await.expect("signed in");
    assert_eq!(me.name, "Ada Lovelace");
    assert_eq!(me.email, "ada@example.com");
    assert_eq!(me.role, Role::Buyer);

    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'ada@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn bad_sign_up_input_is_refused_next_to_the_field(db: PgPool) {
    create_user(&db, "taken@example.com", Role::Buyer).await;
    let app = support::spawn(db.clone()).await;
    let long = "x".repeat(129);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("", "new@example.com", PASSWORD, "name"),
        ("Ada", "not-an-email", PASSWORD, "email"),
        ("Ada", "new@example.com", "short", "password"),
        ("Ada", "new@example.com", &long, "password"),
    ];
    for (name, email, password, field) in cases {
        let res = app
            .call(
                &app.browser(),
                "auth/sign_up",
                &[("name", name), ("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?} {email:?}"
        );
        let err = app_error(res).await;
        assert!(
            err.for_field(field).is_some(),
            "expected an error on {field}, got {err:?}"
        );
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 1, "a refused sign-up created an account");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sign_up_says_nothing_about_which_addresses_have_accounts(db: PgPool) {
    create_user(&db, "taken@example.com", Role::Buyer).await;
    let app = support::spawn(db.clone()).await;
    let answer = |email: &'static str| {
        let app = &app;
        async move {
            let res = app
                .call(
                    &app.browser(),
                    "auth/sign_up",
                    &[
                        ("name", "Someone"),
                        ("email", email),
                        ("password", PASSWORD),
                    ],
                )
                .await;
            let status = res.status();
            let location = res.headers()["location"].to_str().unwrap().to_string();
            let cookie = session_cookie(&res).is_some();
            let body = res.text().await.unwrap();
            (status, location, cookie, body)
        }
    };
    let known = answer("taken@example.com").await;
    let unknown = answer("fresh@example.com").await;
    assert_eq!(known, unknown);
    assert_eq!(known.0, StatusCode::OK);
    // The taken address's owner is told; its account is as it was.
    let owner_told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'sign_up_attempt' AND recipient = 'taken@example.com'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(owner_told, 1);
    let (name, users): (String, i64) = sqlx::query_as(
        "SELECT (SELECT name FROM users WHERE email = 'taken@example.com'), (SELECT count(*) FROM users)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((name.as_str(), users), ("Test User", 2));
    let verification: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'verify_email' AND recipient = 'fresh@example.com'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(verification, 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn wrong_password_and_unknown_email_get_the_same_answer(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let wrong = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    let unknown = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "nobody@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (wrong, unknown) = (app_error(wrong).await, app_error(unknown).await);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.to_string(), "Wrong email or password.");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn signing_in_cycles_the_session_id(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let client = app.browser();
    let form = [("email", "ada@example.com"), ("password", PASSWORD)];
    let first = session_cookie(&app.call(&client, "auth/sign_in", &form).await).expect("cookie");
    let second = session_cookie(&app.call(&client, "auth/sign_in", &form).await).expect("cookie");
    let id = |cookie: &str| cookie.split(';').next().unwrap().to_string();
    assert_ne!(id(&first), id(&second), "the session id was not cycled");

    // The old id no longer identifies anyone.
    let stale = reqwest::Client::new()
        .post(format!("{}/api/auth/me", app.base_url))
        .header("cookie", id(&first))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.json::<Option<app::model::UserView>>().await.unwrap(),
        None
    );
    assert!(app.me(&client).await.is_some());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sign_out_ends_the_session(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let client = app.signed_in("ada@example.com").await;
    assert!(app.me(&client).await.is_some());
    assert_eq!(
        app.call(&client, "auth/sign_out", &[]).await.status(),
        StatusCode::OK
    );
    assert!(app.me(&client).await.is_none());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn changing_the_password_checks_the_old_one_and_signs_out_other_sessions(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let app = support::spawn(db).await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = app.signed_in("ada@example.com").await;

    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[
                ("current_password", "wrong one"),
                ("new_password", "a new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app_error(res).await.for_field("current_password").is_some());
    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await;
    assert!(app_error(res).await.for_field("new_password").is_some());

    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        app.me(&laptop).await.is_some(),
        "the session that changed it stays signed in"
    );
    assert!(app.me(&phone).await.is_none(), "other sessions end");

    let old = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", "a new passphrase"),
            ],
        )
        .await;
    assert_eq!(new.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sign_in_is_rate_limited_per_account(db: PgPool) {
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let state = support::state_with(
        db,
        &support::valkey_url(),
        &[("AUTH_RATE_LIMIT_PER_ACCOUNT", "3")],
    )
    .await;
    let app = support::spawn_with_state(state).await;
    let wrong = [("email", "ada@example.com"), ("password", "guess guess")];
    for _ in 0..3 {
        let res = app.call(&app.browser(), "auth/sign_in", &wrong).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password waits now: the account is being guessed at.
    let res = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "ADA@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    let err = app_error(res).await;
    assert!(matches!(err, AppError::RateLimited { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Too many attempts. Try again in "),
        "{err}"
    );

    // Another account from the same address is not affected.
    let other = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "bob@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn sign_ups_are_rate_limited_per_ip(db: PgPool) {
    let state = support::state_with(
        db.clone(),
        &support::valkey_url(),
        &[("AUTH_RATE_LIMIT_PER_IP", "2")],
    )
    .await;
    let app = support::spawn_with_state(state).await;
    for i in 0..2 {
        let email = format!("user{i}@example.com");
        let res = app
            .call(
                &app.browser(),
                "auth/sign_up",
                &[("name", "U"), ("email", &email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = app
        .call(
            &app.browser(),
            "auth/sign_up",
            &[
                ("name", "U"),
                ("email", "late@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Sign-in counts only failures (per address, see security.rs), so the
    // sign-ups above do not keep the new users out.
    let res = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "user0@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 2);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn admin_cli_creates_an_admin_and_promotes_only_when_asked(db: PgPool) {
    use app::backend::accounts::{AdminCreated, create_admin};
    assert_eq!(
        create_admin(&db, "Root@Example.com", "Root", "a long password", false)
            .await
            .unwrap(),
        AdminCreated::Created
    );
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let roles = || async {
        sqlx::query_as::<_, (String, String)>("SELECT email, role::text FROM users ORDER BY email")
            .fetch_all(&db)
            .await
            .unwrap()
    };
    // A self-registered account is not made an admin by accident.
    let refused = create_admin(&db, "ada@example.com", "ignored", "ignored", false)
        .await
        .unwrap_err();
    let message = AppError::from(refused).to_string();
    assert!(message.contains("--promote"), "{message}");
    assert!(
        message.contains("Test User"),
        "names whose account it is: {message}"
    );
    assert_eq!(roles().await[0], ("ada@example.com".into(), "buyer".into()));
    assert_eq!(
        create_admin(&db, "ada@example.com", "ignored", "ignored", true)
            .await
            .unwrap(),
        AdminCreated::Promoted {
            name: "Test User".into()
        }
    );
    assert_eq!(
        create_admin(&db, "root@example.com", "Root", "ignored", false)
            .await
            .unwrap(),
        AdminCreated::AlreadyAdmin
    );
    assert_eq!(
        roles().await,
        vec![
            ("ada@example.com".into(), "admin".into()),
            ("root@example.com".into(), "admin".into())
        ]
    );
    assert!(
        create_admin(&db, "weak@example.com", "Weak", "short", false)
            .await
            .is_err()
    );
}
