//! Door staff: invited by email, accepted only by the invited address, able to
//! check in at that event's door and nothing else, refused at once when revoked.

use crate::support;

use app::backend::mail::{Delivery, Mailer, deliver_due};
use app::model::{DoorStaffView, Role, ScanResult};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::mail::{MailCatcher, link_in};
use support::{app_error, create_user, fixtures};
use uuid::Uuid;

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn invited_staff_check_in_at_that_door_only_until_revoked(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let app = support::spawn_with(db.clone(), &[("SMTP_URL", &catcher.smtp_url())]).await;
    let mailer = Mailer::from_config(&app.state.config).unwrap().unwrap();
    let event = fixtures::event(&db).title("Staffed Night").create().await;
    let other_event = fixtures::event(&db)
        .by(event.organizer)
        .title("Other Night")
        .create()
        .await;
    let organizer_email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&organizer_email).await;
    create_user(&db, "staff@example.com", Role::Buyer).await;
    create_user(&db, "stranger@example.com", Role::Buyer).await;
    let buyer = fixtures::buyer(&db).await;
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 2)]).await;
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order)
            .fetch_all(&db)
            .await
            .unwrap();

    let event_id = event.id.to_string();
    let res = app
        .call(
            &organizer,
            "organizer/invite_staff",
            &[("event", &event_id), ("email", "Staff@Example.com")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let again = app
        .call(
            &organizer,
            "organizer/invite_staff",
            &[("event", &event_id), ("email", "staff@example.com")],
        )
        .await;
    assert!(
        app_error(again).await.for_field("email").is_some(),
        "one live invitation per address"
    );

    deliver_due(&db, &mailer, Delivery::default())
        .await
        .unwrap();
    let mail = catcher.wait_for("staff@example.com", 1).await.remove(0);
    assert_eq!(mail["subject"], "Check tickets in at Staffed Night");
    let link = link_in(
        &mail,
        &format!("{}/door-invite?token=", app.state.config.app_base_url),
    );
    let token = link.rsplit('=').next().unwrap().to_string();

    // Someone else who got hold of the link cannot use it.
    let stranger = app.signed_in("stranger@example.com").await;
    let res = app
        .call(&stranger, "door/accept", &[("token", &token)])
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This invitation is for staff@example.com; sign in with that address to accept it."
    );

    let staff = app.signed_in("staff@example.com").await;
    // An account that has not proven the address is not its owner yet.
    let unverify = |verified: bool| {
        let db = db.clone();
        async move {
            sqlx::query(
                "UPDATE users SET email_verified_at = CASE WHEN $1 THEN now() END WHERE email = 'staff@example.com'",
            )
            .bind(verified)
            .execute(&db)
            .await
            .unwrap();
        }
    };
    unverify(false).await;
    let res = app.call(&staff, "door/accept", &[("token", &token)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await.to_string(),
        app::backend::door_staff::InvitationRefusal::Unverified.to_string()
    );
    let accepted: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT accepted_at FROM door_staff WHERE email = 'staff@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(accepted, None);
    unverify(true).await;
    // Before accepting: no door.
    let scan = |client: &reqwest::Client, event: Uuid, code: String| {
        let (app, client) = (&app, client.clone());
        async move {
            app.call(
                &client,
                "checkin/scan",
                &[("event", &event.to_string()), ("code", &code)],
            )
            .await
        }
    };
    assert_eq!(
        scan(&staff, event.id, codes[0].clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = app.call(&staff, "door/accept", &[("token", &token)]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app.call(&staff, "door/accept", &[("token", &token)]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This invitation has already been accepted."
    );
    // Their account page leads back to this door, and only this one.
    let doors = |client: &reqwest::Client| {
        let (app, client) = (&app, client.clone());
        async move {
            let res = app.call(&client, "door/mine", &[]).await;
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<Vec<app::model::DoorLink>>().await.unwrap()
        }
    };
    let mine = doors(&staff).await;
    assert_eq!(
        mine.iter().map(|d| d.href()).collect::<Vec<_>>(),
        [format!("/organizer/events/{}/checkin", event.id)]
    );
    assert!(
        doors(&stranger).await.is_empty(),
        "a stranger staffs no door"
    );

    // At this door: admitted, once.
    let res = scan(&staff, event.id, codes[0].clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(matches!(
        res.json::<ScanResult>().await.unwrap(),
        ScanResult::Admitted { .. }
    ));
    let res = app
        .call(&staff, "checkin/stats", &[("event", &event_id)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Nothing else of the organizer's: not the other event's door, not sales,
    // orders, staff or the editor.
    assert_eq!(
        app.call(
            &staff,
            "checkin/stats",
            &[("event", &other_event.id.to_string())]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    for (endpoint, form) in [
        ("organizer/sales", vec![("event", event_id.as_str())]),
        ("organizer/orders", vec![("event", event_id.as_str())]),
        ("organizer/staff", vec![("event", event_id.as_str())]),
        ("organizer/event", vec![("id", event_id.as_str())]),
    ] {
        let res = app.call(&staff, endpoint, &form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }

    // The organizer sees them, and revokes: the next scan is refused.
    let res = app
        .call(&organizer, "organizer/staff", &[("event", &event_id)])
        .await;
    let (_, list): (String, Vec<DoorStaffView>) = res.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name.as_deref(), Some("Test User"));
    let res = app
        .call(
            &organizer,
            "organizer/revoke_staff",
            &[
                ("event", &event_id),
                ("invitation", &list[0].id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        scan(&staff, event.id, codes[1].clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        doors(&staff).await.is_empty(),
        "a revoked door is not offered"
    );
    let checked_in: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tickets WHERE order_id = $1 AND checked_in_at IS NOT NULL",
    )
    .bind(order)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(checked_in, 1);

    // Another organizer cannot invite to, list or revoke on this event.
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = app.signed_in("rival@example.com").await;
    let res = app
        .call(
            &rival,
            "organizer/invite_staff",
            &[("event", &event_id), ("email", "friend@example.com")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .call(&rival, "organizer/staff", &[("event", &event_id)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn invitations_expire(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).create().await;
    let organizer = crate::support::session_user(&db, event.organizer).await;
    let id = app::backend::door_staff::invite(&db, &organizer, event.id, "late@example.com")
        .await
        .unwrap();
    sqlx::query("UPDATE door_staff SET expires_at = now() - interval '1 second'")
        .execute(&db)
        .await
        .unwrap();
    create_user(&db, "late@example.com", Role::Buyer).await;
    let late = app.signed_in("late@example.com").await;
    let token = app.state.link_key().token(id);
    let res = app.call(&late, "door/accept", &[("token", &token)]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This invitation has expired; ask the organizer for a new one."
    );
    let forged = format!("{}{}", Uuid::new_v4().simple(), &token[32..]);
    let res = app.call(&late, "door/accept", &[("token", &forged)]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This invitation link is not valid."
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_rival_organizer_can_neither_revoke_staff_nor_set_a_policy(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db).title("Guarded Night").create().await;
    let organizer = app
        .signed_in(&support::email_of(&db, event.organizer).await)
        .await;
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = app.signed_in("rival@example.com").await;
    let id = event.id.to_string();
    let res = app
        .call(
            &organizer,
            "organizer/invite_staff",
            &[("event", &id), ("email", "helper@example.com")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let invitation: Uuid = sqlx::query_scalar("SELECT id FROM door_staff")
        .fetch_one(&db)
        .await
        .unwrap();
    let snapshot = |db: PgPool| async move {
        sqlx::query_as::<_, (Option<chrono::DateTime<chrono::Utc>>, Option<i32>, i32)>(
            "SELECT s.revoked_at, e.buyer_cancel_hours, e.buyer_cancel_fee_percent
             FROM door_staff s JOIN events e ON e.id = s.event_id",
        )
        .fetch_one(&db)
        .await
        .unwrap()
    };
    let before = snapshot(db.clone()).await;
    for (endpoint, form) in [
        (
            "organizer/revoke_staff",
            vec![
                ("event", id.clone()),
                ("invitation", invitation.to_string()),
            ],
        ),
        (
            "organizer/cancel_policy",
            vec![
                ("event", id.clone()),
                ("hours", "1".into()),
                ("fee_percent", "100".into()),
            ],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.call(&rival, endpoint, &form).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    // Naming their own event with someone else's invitation does not work either.
    let theirs = fixtures::event(&db).title("Rival Night").create().await;
    let rival_owner = app
        .signed_in(&support::email_of(&db, theirs.organizer).await)
        .await;
    let res = app
        .call(
            &rival_owner,
            "organizer/revoke_staff",
            &[
                ("event", &theirs.id.to_string()),
                ("invitation", &invitation.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(snapshot(db.clone()).await, before);
}
