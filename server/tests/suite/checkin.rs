//! Door check-in rules against real PostgreSQL.

use crate::support;

use app::backend::checkin::{CheckIn, check_in};
use app::model::{DoorRefusal, OrderStatus, Role};
use sqlx::PgPool;
use support::create_user;
use uuid::Uuid;

struct World {
    organizer: app::backend::auth::SessionUser,
    other_organizer: app::backend::auth::SessionUser,
    buyer: app::backend::auth::SessionUser,
    admin: app::backend::auth::SessionUser,
    event: Uuid,
    other_event: Uuid,
    code: String,
    order: Uuid,
}

async fn user(db: &PgPool, email: &str, role: Role) -> app::backend::auth::SessionUser {
    let id = create_user(db, email, role).await;
    crate::support::session_user(db, id).await
}

async fn listing(db: &PgPool, organizer: Uuid) -> Uuid {
    support::published_listing(db, organizer, "Door Gig", 1000, 10).await
}

async fn world(db: &PgPool) -> World {
    let organizer = user(db, "door@example.com", Role::Organizer).await;
    let other_organizer = user(db, "rival@example.com", Role::Organizer).await;
    let buyer = user(db, "fan@example.com", Role::Buyer).await;
    let admin = user(db, "admin@example.com", Role::Admin).await;
    let event = listing(db, organizer.id).await;
    let other_event = listing(db, organizer.id).await;
    let order = support::fixtures::paid_order(db, buyer.id, &[(event, 2)]).await;
    let code: String =
        sqlx::query_scalar("SELECT code FROM tickets WHERE order_id = $1 AND seat_no = 1")
            .bind(order)
            .fetch_one(db)
            .await
            .unwrap();
    World {
        organizer,
        other_organizer,
        buyer,
        admin,
        event,
        other_event,
        code,
        order,
    }
}

async fn checked_in(db: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM tickets WHERE checked_in_at IS NOT NULL")
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn twenty_simultaneous_scans_admit_exactly_once(db: PgPool) {
    let w = world(&db).await;
    let scans: Vec<_> = (0..20)
        .map(|_| {
            let (db, organizer, code) = (db.clone(), w.organizer.clone(), w.code.clone());
            tokio::spawn(async move { check_in(&db, &organizer, w.event, &code).await.unwrap() })
        })
        .collect();
    let mut admitted = 0;
    let mut already = 0;
    for scan in scans {
        match scan.await.unwrap() {
            CheckIn::Admitted {
                seat_no,
                holder,
                type_name,
            } => {
                assert_eq!(
                    (seat_no, holder.as_str(), type_name.as_str()),
                    (1, "Test User", "Admission")
                );
                admitted += 1;
            }
            CheckIn::AlreadyCheckedIn { by, .. } => {
                assert_eq!(by, "Test User");
                already += 1;
            }
            CheckIn::Refused(reason) => panic!("refused: {reason:?}"),
        }
    }
    assert_eq!((admitted, already), (1, 19));
    assert_eq!(checked_in(&db).await, 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn refusals_change_nothing(db: PgPool) {
    let w = world(&db).await;
    let refused = |outcome: CheckIn| match outcome {
        CheckIn::Refused(reason) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let reason = refused(
        check_in(&db, &w.other_organizer, w.event, &w.code)
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::OtherOrganizersEvent);
    let reason = refused(check_in(&db, &w.buyer, w.event, &w.code).await.unwrap());
    assert_eq!(
        reason,
        DoorRefusal::OtherOrganizersEvent,
        "a buyer scanning their own ticket learns nothing"
    );
    let reason = refused(
        check_in(&db, &w.organizer, w.other_event, &w.code)
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::OtherEvent);
    let reason = refused(
        check_in(&db, &w.organizer, w.event, "deadbeef")
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::UnknownCode);
    assert_eq!(checked_in(&db).await, 0);

    sqlx::query("UPDATE orders SET status = 'refunded', refund_cause = 'organizer', refund_reason = 'test' WHERE id = $1")
        .bind(w.order)
        .execute(&db)
        .await
        .unwrap();
    let reason = refused(check_in(&db, &w.organizer, w.event, &w.code).await.unwrap());
    assert_eq!(reason, DoorRefusal::OrderNotPaid(OrderStatus::Refunded));
    assert_eq!(
        reason.to_string(),
        "This ticket is not valid: its order is refunded."
    );
    assert_eq!(checked_in(&db).await, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_admin_may_check_in_and_codes_are_read_case_insensitively(db: PgPool) {
    let w = world(&db).await;
    let outcome = check_in(
        &db,
        &w.admin,
        w.event,
        &format!("  {}  ", w.code.to_uppercase()),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, CheckIn::Admitted { .. }), "{outcome:?}");
    let again = check_in(&db, &w.organizer, w.event, &w.code).await.unwrap();
    assert!(
        matches!(again, CheckIn::AlreadyCheckedIn { .. }),
        "{again:?}"
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_door_page_functions_check_role_and_ownership(db: PgPool) {
    use app::model::{DoorStats, ScanResult};
    use reqwest::StatusCode;
    let w = world(&db).await;
    let app = support::spawn(db.clone()).await;
    let event = w.event.to_string();
    let scan = [("event", event.as_str()), ("code", w.code.as_str())];

    let anonymous = app.call(&app.browser(), "checkin/scan", &scan).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let buyer = app.signed_in("fan@example.com").await;
    assert_eq!(
        app.call(&buyer, "checkin/scan", &scan).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(checked_in(&db).await, 0, "refused scans change nothing");

    let rival = app.signed_in("rival@example.com").await;
    assert_eq!(
        app.call(&rival, "checkin/stats", &[("event", &event)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let result: ScanResult = app
        .call(&rival, "checkin/scan", &scan)
        .await
        .json()
        .await
        .unwrap();
    assert!(matches!(result, ScanResult::Refused(_)), "{result:?}");

    let door = app.signed_in("door@example.com").await;
    let first: ScanResult = app
        .call(&door, "checkin/scan", &scan)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        first,
        ScanResult::Admitted {
            seat_no: 1,
            holder: "Test User".into(),
            type_name: "Admission".into(),
        }
    );
    let second: ScanResult = app
        .call(&door, "checkin/scan", &scan)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        matches!(second, ScanResult::AlreadyCheckedIn { ref by, .. } if by == "Test User"),
        "{second:?}"
    );
    let stats: DoorStats = app
        .call(&door, "checkin/stats", &[("event", &event)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((stats.checked_in, stats.sold), (1, 2));
    let page = app
        .get_with(&door, &format!("/organizer/events/{event}/checkin"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("1 checked in of 2 sold")
    );
    let page = app
        .get_with(&rival, &format!("/organizer/events/{event}/checkin"))
        .await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

/// The ticket of `order`'s seat `seat`: its id.
async fn ticket_of(db: &PgPool, order: Uuid, seat: i32) -> Uuid {
    sqlx::query_scalar("SELECT id FROM tickets WHERE order_id = $1 AND seat_no = $2")
        .bind(order)
        .bind(seat)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_qr_payload_signed_with_the_events_key_checks_in_and_nothing_else_does(db: PgPool) {
    use app::backend::checkin::signed::{DoorKey, PREFIX, SignedCode};
    let w = world(&db).await;
    let (first, second) = (
        ticket_of(&db, w.order, 1).await,
        ticket_of(&db, w.order, 2).await,
    );
    // The ticket page shows the payload, making the event's key the first time.
    let view = app::backend::orders::views::ticket_for_owner(
        &db,
        w.buyer.id,
        first,
        app::i18n::Locale::default(),
    )
    .await
    .unwrap()
    .expect("the buyer's ticket");
    assert!(view.qr_svg.starts_with("<svg"), "{}", view.qr_svg);
    let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM event_door_keys WHERE event_id = $1")
        .bind(w.event)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(keys, 1);
    let key = DoorKey::of_event(&db, w.event).await.unwrap();
    let again = DoorKey::of_event(&db, w.event).await.unwrap();
    assert_eq!(key.public_key(), again.public_key(), "one key per event");
    let refused = |outcome: CheckIn| match outcome {
        CheckIn::Refused(reason) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    };

    // Forged: signed by another event's key, or altered by one character.
    let other_key = DoorKey::of_event(&db, w.other_event).await.unwrap();
    let forged = other_key.sign(second, 1);
    let reason = refused(check_in(&db, &w.organizer, w.event, &forged).await.unwrap());
    assert_eq!(reason, DoorRefusal::UnknownCode);
    let genuine = key.sign(second, 1);
    // One character of the signature changed (in the middle: every one of
    // its six bits counts, unlike the last character's).
    let at = genuine.len() - 20;
    let was = genuine.as_bytes()[at];
    let altered = format!(
        "{}{}{}",
        &genuine[..at],
        if was == b'A' { 'B' } else { 'A' },
        &genuine[at + 1..]
    );
    assert!(
        SignedCode::read(&altered).is_some(),
        "still the payload's form"
    );
    let reason = refused(
        check_in(&db, &w.organizer, w.event, &altered)
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::UnknownCode);
    // At another event's door: that event's refusal, as for the printed code.
    let reason = refused(
        check_in(&db, &w.organizer, w.other_event, &genuine)
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::OtherEvent);
    assert_eq!(checked_in(&db).await, 0);

    // Genuine: admitted once.
    let payload = key.sign(first, 1);
    assert!(payload.starts_with(PREFIX));
    let outcome = check_in(&db, &w.organizer, w.event, &payload)
        .await
        .unwrap();
    assert!(
        matches!(outcome, CheckIn::Admitted { seat_no: 1, .. }),
        "{outcome:?}"
    );
    let outcome = check_in(&db, &w.organizer, w.event, &payload)
        .await
        .unwrap();
    assert!(
        matches!(outcome, CheckIn::AlreadyCheckedIn { .. }),
        "{outcome:?}"
    );

    // A newer version of the second ticket: its old payload no longer
    // admits, the new one does, and so would its printed code.
    sqlx::query("UPDATE tickets SET version = 2 WHERE id = $1")
        .bind(second)
        .execute(&db)
        .await
        .unwrap();
    let reason = refused(
        check_in(&db, &w.organizer, w.event, &genuine)
            .await
            .unwrap(),
    );
    assert_eq!(reason, DoorRefusal::UnknownCode);
    let outcome = check_in(&db, &w.organizer, w.event, &key.sign(second, 2))
        .await
        .unwrap();
    assert!(
        matches!(outcome, CheckIn::Admitted { seat_no: 2, .. }),
        "{outcome:?}"
    );
    assert_eq!(checked_in(&db).await, 2);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_door_device_gets_the_key_and_the_tickets_that_no_longer_admit(db: PgPool) {
    use app::backend::checkin::door_list;
    use app::backend::checkin::signed::{DoorKey, SignedCode, encode_key};
    let w = world(&db).await;
    let (first, second) = (
        ticket_of(&db, w.order, 1).await,
        ticket_of(&db, w.order, 2).await,
    );
    // Only those who may work the door get it.
    assert_eq!(
        door_list(&db, &w.other_organizer, w.event).await.unwrap(),
        None
    );
    assert_eq!(door_list(&db, &w.buyer, w.event).await.unwrap(), None);
    let list = door_list(&db, &w.organizer, w.event)
        .await
        .unwrap()
        .expect("the organizer's door");
    // The key made for the list is the one that signs the tickets: a device
    // verifies a payload with what it was given.
    let key = DoorKey::of_event(&db, w.event).await.unwrap();
    assert_eq!(list.public_key, encode_key(&key.public_key()));
    let payload = SignedCode::read(&key.sign(first, 1)).unwrap();
    let given = base64_key(&list.public_key);
    assert!(payload.signed_by(w.event, &given));
    assert!(
        (
            list.revoked.len(),
            list.checked_in.len(),
            list.versions.len()
        ) == (0, 0, 0)
    );

    // One checked in, the other reissued, then the order refunded: the list says so.
    check_in(&db, &w.organizer, w.event, &w.code).await.unwrap();
    sqlx::query("UPDATE tickets SET version = 3 WHERE id = $1")
        .bind(second)
        .execute(&db)
        .await
        .unwrap();
    let list = door_list(&db, &w.admin, w.event).await.unwrap().unwrap();
    assert_eq!(list.checked_in, vec![first]);
    assert_eq!(list.versions, vec![(second, 3)]);
    assert!(list.revoked.is_empty());
    sqlx::query("UPDATE orders SET status = 'refunded', refund_cause = 'organizer', refund_reason = 'test' WHERE id = $1")
        .bind(w.order)
        .execute(&db)
        .await
        .unwrap();
    let list = door_list(&db, &w.organizer, w.event)
        .await
        .unwrap()
        .unwrap();
    let mut revoked = list.revoked.clone();
    revoked.sort();
    let mut both = vec![first, second];
    both.sort();
    assert_eq!(revoked, both);
    assert!(list.checked_in.is_empty(), "revoked says it all");
    // Another event's list names none of these.
    let other = door_list(&db, &w.organizer, w.other_event)
        .await
        .unwrap()
        .unwrap();
    assert!(other.revoked.is_empty() && other.checked_in.is_empty());
    assert_ne!(other.public_key, list.public_key, "a key per event");
}

fn base64_key(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("URL-safe base64")
}
