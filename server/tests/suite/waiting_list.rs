//! Waiting lists: only a sold-out type has one; seats that come back go to
//! the list in order (a hold for the next buyer and a message), not to the
//! next checkout; an offer not paid in time tickets to the next buyer; a paid
//! one ends as bought; several sweepers make each offer once.

use crate::support;
use app::backend::payments::EventKind;

use std::time::Duration;

use app::backend::jobs::sweep_once;
use app::backend::orders::reserve::{Reservation, reserve};
use app::backend::waiting_list;
use app::error::AppError;
use app::model::{CheckoutRefusal, WaitingStatus};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{app_error, fixtures};
use uuid::Uuid;

async fn user(db: &PgPool) -> app::backend::auth::SessionUser {
    let id = fixtures::buyer(db).await;
    crate::support::session_user(db, id).await
}

async fn hold(db: &PgPool, buyer: Uuid, ticket_type: Uuid, quantity: i64) -> Uuid {
    let cart = [(ticket_type, quantity)].into_iter().collect();
    match reserve(db, buyer, &cart, Duration::from_secs(600))
        .await
        .unwrap()
    {
        Reservation::New(order) => order.id,
        Reservation::Existing(_) => panic!("a new hold"),
    }
}

async fn run_out(db: &PgPool, order: Uuid) {
    sqlx::query("UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = $1")
        .bind(order)
        .execute(db)
        .await
        .unwrap();
}

async fn statuses(db: &PgPool) -> Vec<(String, Option<Uuid>)> {
    sqlx::query_as("SELECT status::text, order_id FROM waiting_list ORDER BY created_at, id")
        .fetch_all(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn seats_that_come_back_go_to_the_list_in_order(db: PgPool) {
    let state = support::state_for(db.clone(), &support::valkey_url()).await;
    let event = fixtures::event(&db)
        .title("Tiny Room")
        .ticket_type("Admission", 2500, 2)
        .create()
        .await;
    let ticket_type = event.types[0];
    let (holder, first, second, public) = (
        user(&db).await,
        user(&db).await,
        user(&db).await,
        user(&db).await,
    );

    // Not sold out: no list, buy instead.
    let err = waiting_list::join(&db, &first, ticket_type, 1)
        .await
        .unwrap_err();
    assert_eq!(
        AppError::from(err).to_string(),
        "Admission is not sold out: you can buy it now."
    );
    let held = hold(&db, holder.id, ticket_type, 2).await;

    // Sold out: two buyers join, in order; twice or too many is refused.
    waiting_list::join(&db, &first, ticket_type, 2)
        .await
        .unwrap();
    waiting_list::join(&db, &second, ticket_type, 1)
        .await
        .unwrap();
    let again = waiting_list::join(&db, &first, ticket_type, 1)
        .await
        .unwrap_err();
    assert_eq!(
        AppError::from(again).to_string(),
        "You are already on the waiting list for Admission."
    );
    let third = user(&db).await;
    let too_many = waiting_list::join(&db, &third, ticket_type, 51)
        .await
        .unwrap_err();
    assert_eq!(
        AppError::from(too_many).for_field("quantity").as_deref(),
        Some("Choose from 1 to 10 tickets.")
    );

    // The hold runs out: its seats go to the first buyer on the list, not to
    // the public, with a message.
    run_out(&db, held).await;
    let report = sweep_once(&db, &state.valkey, None).await.unwrap();
    assert_eq!((report.released, report.waiting_list_offers), (1, 1));
    let now = statuses(&db).await;
    assert_eq!(now[0].0, "offered");
    assert_eq!(
        now[1].0, "waiting",
        "one seat short for the next: nothing yet"
    );
    let offer = now[0].1.unwrap();
    let (owner, status, seats): (Uuid, String, i64) = sqlx::query_as(
        "SELECT o.user_id, o.status::text, sum(i.quantity)::bigint FROM orders o JOIN order_items i ON i.order_id = o.id
         WHERE o.id = $1 GROUP BY o.id",
    )
    .bind(offer)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((owner, status.as_str(), seats), (first.id, "pending", 2));
    let mail: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'waiting_list_offer' AND about = $1",
    )
    .bind(offer)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(mail, 1);
    let cart = [(ticket_type, 1)].into_iter().collect();
    let err = reserve(&db, public.id, &cart, Duration::from_secs(600))
        .await
        .unwrap_err();
    assert!(matches!(
        AppError::from(err),
        AppError::Refused(CheckoutRefusal::SoldOut { .. })
    ));

    // The offer is not paid in time: it lapses and its seats go to the next.
    run_out(&db, offer).await;
    sweep_once(&db, &state.valkey, None).await.unwrap();
    let now = statuses(&db).await;
    assert_eq!(now[0].0, "lapsed");
    assert_eq!(now[1].0, "offered");
    // While the second buyer waits for nobody, the seat left over is on sale again.
    let waiting: i32 = sqlx::query_scalar("SELECT waiting FROM ticket_types WHERE id = $1")
        .bind(ticket_type)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(waiting, 0);
    hold(&db, public.id, ticket_type, 1).await;

    // The second buyer pays: the offer ends as bought.
    let order = now[1].1.unwrap();
    let confirmed = app::backend::orders::settle::confirm_payment(
        &db,
        &app::backend::orders::settle::Payment {
            event_id: format!("evt_{}", order.simple()),
            event_type: EventKind::CheckoutCompleted,
            order_id: order,
            amount: app::model::Currency::from_stripe("eur").amount(2500),
            payment_intent: Some(format!("pi_{}", order.simple())),
        },
    )
    .await;
    assert!(confirmed.is_ok(), "{confirmed:?}");
    sweep_once(&db, &state.valkey, None).await.unwrap();
    assert_eq!(statuses(&db).await[1].0, "bought");
    // Counters stay exact: 1 sold to the list, 1 held by the public.
    let (reserved, sold): (i32, i32) =
        sqlx::query_as("SELECT reserved, sold FROM ticket_types WHERE id = $1")
            .bind(ticket_type)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((reserved, sold), (1, 1));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn several_sweepers_make_each_offer_once(db: PgPool) {
    let state = support::state_for(db.clone(), &support::valkey_url()).await;
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 10)
        .create()
        .await;
    let ticket_type = event.types[0];
    let holder = user(&db).await;
    let held = hold(&db, holder.id, ticket_type, 10).await;
    let mut waiting = Vec::new();
    for _ in 0..12 {
        let buyer = user(&db).await;
        waiting_list::join(&db, &buyer, ticket_type, 1)
            .await
            .unwrap();
        waiting.push(buyer.id);
    }
    run_out(&db, held).await;
    let sweeps: Vec<_> = (0..4)
        .map(|_| {
            let (db, valkey) = (db.clone(), state.valkey.clone());
            tokio::spawn(async move { sweep_once(&db, &valkey, None).await.unwrap() })
        })
        .collect();
    let mut offers = 0;
    for sweep in sweeps {
        offers += sweep.await.unwrap().waiting_list_offers;
    }
    assert_eq!(offers, 10);
    let offered: Vec<Uuid> = sqlx::query_scalar(
        "SELECT user_id FROM waiting_list WHERE status = 'offered' ORDER BY created_at, id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(offered, waiting[..10], "the first ten, in order");
    let (reserved, holds, mails): (i32, i64, i64) = sqlx::query_as(
        "SELECT (SELECT reserved FROM ticket_types WHERE id = $1),
                (SELECT count(*) FROM orders WHERE status = 'pending'),
                (SELECT count(*) FROM outbox WHERE kind = 'waiting_list_offer')",
    )
    .bind(ticket_type)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((reserved, holds, mails), (10, 10, 10));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn buyers_join_from_the_event_page_and_organizers_see_the_list(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db)
        .title("Full House")
        .ticket_type("Admission", 2500, 1)
        .create()
        .await;
    let ticket_type = event.types[0].to_string();
    let form = [("ticket_type_id", ticket_type.as_str()), ("quantity", "1")];
    // Signed in only.
    assert_eq!(
        app.call(&app.browser(), "waiting_list/join", &form)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    support::create_user(&db, "fan@example.com", app::model::Role::Buyer).await;
    let fan = app.signed_in("fan@example.com").await;
    let res = app.call(&fan, "waiting_list/join", &form).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "Admission is not sold out: you can buy it now."
    );
    let holder = user(&db).await;
    hold(&db, holder.id, event.types[0], 1).await;
    let res = app.call(&fan, "waiting_list/join", &form).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let bad = app
        .call(
            &fan,
            "waiting_list/join",
            &[("ticket_type_id", "nope"), ("quantity", "1")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let email = support::email_of(&db, event.organizer).await;
    let organizer = app.signed_in(&email).await;
    let res = app
        .call(
            &organizer,
            "organizer/sales",
            &[("event", &event.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let dashboard: app::model::SalesDashboard = res.json().await.unwrap();
    assert_eq!(dashboard.waiting.len(), 1);
    assert_eq!(
        (
            dashboard.waiting[0].buyer_email.as_str(),
            dashboard.waiting[0].status
        ),
        ("fan@example.com", WaitingStatus::Waiting)
    );
    // The fan leaves the list.
    let res = app
        .call(
            &fan,
            "waiting_list/leave",
            &[("ticket_type_id", &ticket_type)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let waiting: i32 = sqlx::query_scalar("SELECT waiting FROM ticket_types WHERE id = $1")
        .bind(event.types[0])
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(waiting, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_buyer_who_cannot_take_an_offer_is_passed_over_and_the_list_moves(db: PgPool) {
    let state = support::state_for(db.clone(), &support::valkey_url()).await;
    let event = fixtures::event(&db)
        .title("Small Hall")
        .ticket_type("Admission", 2500, 3)
        .max_per_order(2)
        .ticket_type("Balcony", 1500, 10)
        .create()
        .await;
    let (admission, balcony) = (event.types[0], event.types[1]);
    let (holder, capped, busy, patient) = (
        user(&db).await,
        user(&db).await,
        user(&db).await,
        user(&db).await,
    );
    fixtures::paid_order(&db, capped.id, &[(admission, 1)]).await;
    let held = hold(&db, holder.id, admission, 2).await;

    // Joining asks no more than the cap would allow at the offer.
    let err = waiting_list::join(&db, &capped, admission, 2)
        .await
        .unwrap_err();
    assert_eq!(
        AppError::from(err),
        AppError::Refused(CheckoutRefusal::BuyerMayAdd {
            title: "Admission".into(),
            have: 1,
            max: 2,
            more: 1
        })
    );
    for buyer in [&capped, &busy, &patient] {
        waiting_list::join(&db, buyer, admission, 1).await.unwrap();
    }
    // Meanwhile the organizer lowers the cap (the first can no longer take a
    // seat), and the second holds another order waiting for payment.
    sqlx::query("UPDATE ticket_types SET max_per_order = 1 WHERE id = $1")
        .bind(admission)
        .execute(&db)
        .await
        .unwrap();
    hold(&db, busy.id, balcony, 1).await;

    // Seats come back: the two who cannot take them are passed over, told
    // why, and the third is offered them in the same pass.
    run_out(&db, held).await;
    let report = sweep_once(&db, &state.valkey, None).await.unwrap();
    assert_eq!(report.waiting_list_offers, 1);
    let now: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT status::text, skip_reason FROM waiting_list ORDER BY created_at, id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        now,
        vec![
            ("skipped".into(), Some("holds_maximum".into())),
            ("skipped".into(), Some("other_order".into())),
            ("offered".into(), None),
        ]
    );
    let mail: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind::text, recipient FROM outbox WHERE kind IN ('waiting_list_skipped', 'waiting_list_offer')
         ORDER BY created_at, kind",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let kinds: Vec<&str> = mail.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "waiting_list_skipped")
            .count(),
        2
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "waiting_list_offer").count(),
        1
    );
    assert!(mail.contains(&("waiting_list_skipped".into(), capped.email.clone())));
    assert!(mail.contains(&("waiting_list_skipped".into(), busy.email.clone())));
    assert!(mail.contains(&("waiting_list_offer".into(), patient.email.clone())));
    let waiting: i32 = sqlx::query_scalar("SELECT waiting FROM ticket_types WHERE id = $1")
        .bind(admission)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(waiting, 0);
    // A second pass changes nothing: each is passed over and told once.
    sweep_once(&db, &state.valkey, None).await.unwrap();
    let skipped_mail: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind = 'waiting_list_skipped'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(skipped_mail, 2);
}
