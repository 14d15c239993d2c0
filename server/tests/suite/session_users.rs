//! The session's user kept on each instance: served from the copy while the
//! account is unchanged, forgotten on every instance once PostgreSQL says it
//! changed, and never served while the instance cannot hear that.

use crate::support;

use std::time::Duration;

use app::model::Role;
use sqlx::PgPool;
use support::{TestApp, create_user};
use uuid::Uuid;

/// Two instances sharing the database and the session store.
async fn two_instances(db: &PgPool) -> (TestApp, TestApp) {
    let prefix = format!("test:{}:", Uuid::new_v4());
    let vars = [
        ("VALKEY_PREFIX", prefix.as_str()),
        ("APP_SECRET", "session-users-secret"),
    ];
    let a = support::spawn_with(db.clone(), &vars).await;
    let b = support::spawn_with(db.clone(), &vars).await;
    // Each instance listens for changes from a connection of its own.
    tokio::time::sleep(Duration::from_millis(500)).await;
    (a, b)
}

async fn role_on(app: &TestApp, client: &reqwest::Client) -> Role {
    app.me(client).await.expect("signed in").role
}

async fn set_trigger(db: &PgPool, on: bool) {
    let statement = if on {
        "ALTER TABLE users ENABLE TRIGGER users_changed"
    } else {
        "ALTER TABLE users DISABLE TRIGGER users_changed"
    };
    sqlx::query(statement).execute(db).await.unwrap();
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_changed_account_is_read_again_on_every_instance(db: PgPool) {
    let (a, b) = two_instances(&db).await;
    create_user(&db, "ada@example.com", Role::Buyer).await;
    let ada = a.signed_in("ada@example.com").await;
    assert_eq!(role_on(&a, &ada).await, Role::Buyer);

    // With the notification switched off, a change behind the shop's back is
    // not seen by the instance holding a copy: it serves the copy.
    set_trigger(&db, false).await;
    sqlx::query("UPDATE users SET role = 'organizer' WHERE email = 'ada@example.com'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(role_on(&a, &ada).await, Role::Buyer, "served from the copy");
    assert_eq!(
        role_on(&b, &ada).await,
        Role::Organizer,
        "an instance without a copy reads the row"
    );

    // With it on, any change to the account reaches every instance.
    set_trigger(&db, true).await;
    sqlx::query("UPDATE users SET name = 'Ada L.' WHERE email = 'ada@example.com'")
        .execute(&db)
        .await
        .unwrap();
    let mut seen = Role::Buyer;
    for _ in 0..40 {
        seen = role_on(&a, &ada).await;
        if seen == Role::Organizer {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, Role::Organizer, "the copy was forgotten");
    assert_eq!(a.me(&ada).await.unwrap().name, "Ada L.");

    // A change made through the shop takes effect on the next request on
    // both instances: a password changed on one signs the other session out.
    let other = b.signed_in("ada@example.com").await;
    assert!(b.me(&other).await.is_some());
    let res = a
        .call(
            &ada,
            "auth/change_password",
            &[
                ("current_password", support::PASSWORD),
                ("new_password", "a much newer password"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let mut out = false;
    for _ in 0..40 {
        if b.me(&other).await.is_none() {
            out = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(out, "the other session ended on the other instance");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn no_copy_outlives_the_listening_connection(db: PgPool) {
    let (a, _b) = two_instances(&db).await;
    create_user(&db, "bo@example.com", Role::Buyer).await;
    let bo = a.signed_in("bo@example.com").await;
    assert_eq!(role_on(&a, &bo).await, Role::Buyer);
    set_trigger(&db, false).await;
    // The listening connections are cut (a restart, a failover, an admin).
    let cut: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(cut >= 1, "the instances listen");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A change nobody is told of (the trigger is off): the copy must not be
    // served, since it was kept while listening that has stopped.
    sqlx::query("UPDATE users SET role = 'organizer' WHERE email = 'bo@example.com'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(role_on(&a, &bo).await, Role::Organizer);
}
