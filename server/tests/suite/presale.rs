//! A presale in the waiting room (issue 30): until it ends, only accounts
//! that entered a usable code for the event take a place in the draw at the
//! opening; everyone else is drawn when it ends, after every presale place.
//! Each draw is fair within its phase.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use app::backend::codes::{self, NewCode};
use app::backend::config::QueueConfig;
use app::backend::queue::{self, Joined, Member, Place, QueueCookies, QueueFacts, Visitor};
use app::backend::valkey::Valkey;
use app::model::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use support::{create_user, session_user, shop};
use uuid::Uuid;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn member() -> Member {
    QueueCookies::new(b"presale-test").member(Visitor::Account(Uuid::new_v4()))
}

fn pace(rate: f64) -> QueueConfig {
    QueueConfig {
        admit_per_sec: rate,
        admission: Duration::from_secs(600),
        places_per_address: 1,
        addresses_per_place: 4,
        auto_arrivals_per_sec: 0,
        draw: Duration::ZERO,
        proof_bits: 0,
        check_raise_per_sec: 100,
        verified_accounts: true,
    }
}

async fn join(valkey: &Valkey, event: Uuid, member: &Member, code_holder: bool) -> Place {
    match queue::join(
        valkey,
        event,
        member,
        member.as_str(),
        &pace(1.0),
        code_holder,
    )
    .await
    .unwrap()
    {
        Joined::Placed(place) => place,
        other => panic!("not placed: {other:?}"),
    }
}

async fn sleep_until(ms: i64) {
    tokio::time::sleep(Duration::from_millis((ms - now_ms()).max(0) as u64 + 20)).await;
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn code_holders_are_drawn_at_the_opening_and_everyone_else_after_the_presale(db: PgPool) {
    let state = support::state_for(db, &support::valkey_url()).await;
    let valkey = &state.valkey;
    let event = Uuid::new_v4();
    let (opens, general) = (now_ms() + 700, now_ms() + 2200);
    queue::set_facts(
        valkey,
        event,
        &QueueFacts {
            opens_ms: opens,
            sold_out: false,
            title: "Presale Night".into(),
            translated_titles: vec![],
            opens_at: Default::default(),
            general_ms: Some(general),
            check: Default::default(),
            admit_per_minute: None,
        },
    )
    .await
    .unwrap();
    let holders: Vec<Member> = (0..20).map(|_| member()).collect();
    let others: Vec<Member> = (0..20).map(|_| member()).collect();
    for m in &holders {
        assert_eq!(join(valkey, event, m, true).await, Place::Undrawn);
    }
    for m in &others {
        assert_eq!(join(valkey, event, m, false).await, Place::InGeneralDraw);
        // Another tab: the same place.
        assert_eq!(join(valkey, event, m, false).await, Place::InGeneralDraw);
    }
    // One of the others enters a code before the opening: into the presale.
    let convert = member();
    assert_eq!(
        join(valkey, event, &convert, false).await,
        Place::InGeneralDraw
    );
    assert_eq!(join(valkey, event, &convert, true).await, Place::Undrawn);
    let mut presale: Vec<Member> = holders.clone();
    presale.push(convert);

    sleep_until(opens).await;
    // The first draw: the 21 presale places get 1..21; the others none yet.
    let mut numbers = Vec::new();
    for m in &presale {
        numbers.push(
            queue::number(valkey, event, m)
                .await
                .unwrap()
                .number()
                .unwrap(),
        );
    }
    assert_eq!(
        numbers.iter().copied().collect::<BTreeSet<u64>>(),
        (1..=21).collect::<BTreeSet<u64>>()
    );
    assert_ne!(
        numbers,
        (1..=21).collect::<Vec<u64>>(),
        "a draw, not arrival order"
    );
    for m in &others {
        assert_eq!(
            queue::number(valkey, event, m).await.unwrap(),
            Place::InGeneralDraw
        );
    }
    // During the presale: a code holder arriving now gets the next number; a
    // visitor without a code waits for the general draw.
    let late_holder = member();
    assert_eq!(
        join(valkey, event, &late_holder, true).await,
        Place::Numbered(22)
    );
    let late_other = member();
    assert_eq!(
        join(valkey, event, &late_other, false).await,
        Place::InGeneralDraw
    );
    // However fast the queue moves, nobody past the presale is let through.
    let fast = pace(1000.0);
    let progress = queue::progress(valkey, event, &fast)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(progress.general_ms, Some(general));
    // The presale's 22 are let through at once; the general draw's 21 wait.
    assert_eq!(progress.waiting, 21);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let progress = queue::progress(valkey, event, &fast)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        progress.admitted_to, 22,
        "capped at the presale's last number"
    );
    assert_eq!(
        queue::admit(valkey, event, &others[0], 23, "addr", &fast)
            .await
            .unwrap(),
        queue::Turn::Absent,
        "no number to claim"
    );

    sleep_until(general).await;
    // The general draw: 23..=43 for the 21 who waited for it, fairly.
    let mut general_numbers = Vec::new();
    for m in others.iter().chain([&late_other]) {
        general_numbers.push(
            queue::number(valkey, event, m)
                .await
                .unwrap()
                .number()
                .unwrap(),
        );
    }
    assert_eq!(
        general_numbers.iter().copied().collect::<BTreeSet<u64>>(),
        (23..=43).collect::<BTreeSet<u64>>()
    );
    assert_ne!(general_numbers, (23..=43).collect::<Vec<u64>>());
    // Then anyone joins the end.
    assert_eq!(
        join(valkey, event, &member(), false).await,
        Place::Numbered(44)
    );
}

async fn status(shop: &shop::Shop, client: &reqwest::Client, event: Uuid) -> Value {
    client
        .get(format!("{}/queue/{event}/status", shop.app.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn join_queue(shop: &shop::Shop, client: &reqwest::Client, event: Uuid) {
    let res = support::join_queue(&shop.app.base_url, client, event).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
}

/// Polls the status until the visitor is let through, or gives up.
async fn let_through(shop: &shop::Shop, client: &reqwest::Client, event: Uuid) -> bool {
    for _ in 0..40 {
        if status(shop, client, event).await["state"] == "admitted" {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_accounts_that_entered_a_code_take_a_presale_place(db: PgPool) {
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("QUEUE_ADMIT_PER_SEC", "50"),
            ("QUEUE_PLACES_PER_ADDRESS", "10"),
        ],
    )
    .await;
    let ticket = shop::listing(&db, 100).await;
    // On sale since a moment, at a venue in Paris.
    let event: Uuid = sqlx::query_scalar(
        "UPDATE events SET time_zone = 'Europe/Paris'
         WHERE id = (SELECT event_id FROM ticket_types WHERE id = $1) RETURNING id",
    )
    .bind(ticket)
    .fetch_one(&db)
    .await
    .unwrap();
    let organizer: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&db)
        .await
        .unwrap();
    codes::create(
        &db,
        &session_user(&db, organizer).await,
        event,
        "FANCLUB26",
        &NewCode {
            ticket_types: vec![ticket],
            ..NewCode::default()
        },
    )
    .await
    .unwrap();
    // The organizer queues it with a presale for an hour more, on the venue's clock.
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(organizer)
        .fetch_one(&db)
        .await
        .unwrap();
    let organizer_client = shop.app.signed_in(&email).await;
    let in_an_hour = app::backend::zones::venue_time(
        chrono::Utc::now() + chrono::Duration::hours(1),
        "Europe/Paris",
    )
    .local;
    let res = shop
        .app
        .call(
            &organizer_client,
            "organizer/queue",
            &[
                ("event", &event.to_string()),
                ("enabled", "on"),
                (
                    "presale_until",
                    &in_an_hour.format("%Y-%m-%dT%H:%M").to_string(),
                ),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let (on, until): (bool, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT queue_enabled, presale_ends_at FROM events WHERE id = $1")
            .bind(event)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(on);
    let off_by = (until - chrono::Utc::now() - chrono::Duration::hours(1)).num_seconds();
    assert!((-60..=0).contains(&off_by), "{until}");
    let signed_in = |email: &'static str| {
        let shop = &shop;
        async move {
            create_user(&shop.app.state.db, email, Role::Buyer).await;
            shop.app.signed_in(email).await
        }
    };
    let enter_code = |client: reqwest::Client| {
        let shop = &shop;
        async move {
            let res = shop
                .app
                .call(
                    &client,
                    "catalogue/event",
                    &[("id", &event.to_string()), ("code", "fanclub26")],
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK);
            client
        }
    };

    let fan = enter_code(signed_in("fan@example.com").await).await;
    join_queue(&shop, &fan, event).await;
    assert!(
        let_through(&shop, &fan, event).await,
        "a code holder is let through"
    );

    let other = signed_in("other@example.com").await;
    join_queue(&shop, &other, event).await;
    assert!(
        !let_through(&shop, &other, event).await,
        "not during the presale"
    );
    let said = status(&shop, &other, event).await;
    assert_eq!(said["in_general_draw"], true, "{said}");
    let page = other
        .get(format!("{}/queue/{event}", shop.app.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your place is in the general sale"), "{page}");
    // Checking out without being let through is refused.
    let res = shop
        .app
        .call(
            &other,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop.app.call(&other, "checkout/start", &[]).await;
    assert!(res.status().is_client_error(), "{}", res.status());

    // A guest cannot hold a code's place: the presale is for accounts.
    let guest = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let guest = enter_code(guest).await;
    join_queue(&shop, &guest, event).await;
    assert_eq!(status(&shop, &guest, event).await["in_general_draw"], true);

    // The other visitor enters the code and joins again: into the presale.
    let other = enter_code(other).await;
    join_queue(&shop, &other, event).await;
    assert!(let_through(&shop, &other, event).await);

    // The presale ends: the general draw, and the guest's turn comes.
    sqlx::query("UPDATE events SET presale_ends_at = now() WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap();
    queue::refresh_one(&db, &shop.app.state.valkey, event)
        .await
        .unwrap();
    assert!(let_through(&shop, &guest, event).await, "after the presale");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn during_a_presale_code_holders_buy_only_what_their_code_covers(db: PgPool) {
    use app::backend::BackendError;
    use app::backend::orders::reserve::{Reservation, reserve_with_codes};
    use app::error::AppError;
    use app::model::CheckoutRefusal;
    let event = support::fixtures::event(&db)
        .ticket_type("Fans", 2500, 50)
        .ticket_type("Standing", 2500, 50)
        .create()
        .await;
    let (fans, standing) = (event.types[0], event.types[1]);
    sqlx::query(
        "UPDATE events SET queue_enabled = true, presale_ends_at = now() + interval '1 hour'
         WHERE id = $1",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    // One code, shared widely, for one ticket in all.
    codes::create(
        &db,
        &session_user(&db, event.organizer).await,
        event.id,
        "EVERYONE1",
        &NewCode {
            ticket_types: vec![fans],
            max_uses: Some(1),
            ..NewCode::default()
        },
    )
    .await
    .unwrap();
    let with = std::collections::BTreeMap::from([(event.id, "EVERYONE1".to_string())]);
    let cart = |ticket| std::collections::BTreeMap::from([(ticket, 1)]);
    let hold = Duration::from_secs(1800);
    let (first, second) = (
        support::fixtures::buyer(&db).await,
        support::fixtures::buyer(&db).await,
    );
    let presale_only = |r: &Result<Reservation, BackendError>| {
        matches!(
            r,
            Err(BackendError::User(AppError::Refused(
                CheckoutRefusal::PresaleOnly { .. }
            )))
        )
    };
    // A type the code does not cover waits for the general sale.
    let r = reserve_with_codes(&db, first, &cart(standing), &with, hold).await;
    assert!(presale_only(&r), "{r:?}");
    assert!(matches!(
        reserve_with_codes(&db, first, &cart(fans), &with, hold).await,
        Ok(Reservation::New(_))
    ));
    // The code's one use is taken: the second holder buys nothing in the presale.
    let r = reserve_with_codes(&db, second, &cart(fans), &with, hold).await;
    assert!(r.is_err(), "{r:?}");
    let r = reserve_with_codes(
        &db,
        second,
        &cart(standing),
        &std::collections::BTreeMap::new(),
        hold,
    )
    .await;
    assert!(presale_only(&r), "{r:?}");
    // After the presale, anyone buys the open type.
    sqlx::query("UPDATE events SET presale_ends_at = now() WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    assert!(matches!(
        reserve_with_codes(
            &db,
            second,
            &cart(standing),
            &std::collections::BTreeMap::new(),
            hold
        )
        .await,
        Ok(Reservation::New(_))
    ));
}
