//! The waiting room: visitors who arrive before the opening are let through in
//! a drawn order at the configured rate (each once, none skipped), later
//! arrivals join the end, one place per account, checkout for a queued event
//! needs a signed admission bound to the visitor, the holding page works
//! without the database, several instances share one queue, a restart loses
//! nobody's place, and without Valkey nobody is let through.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use app::backend::config::QueueConfig;
use app::backend::queue::{self, Joined, Member, Place, QueueCookies, QueueFacts, Visitor};
use app::backend::valkey::Valkey;
use app::model::Role;
use fred::interfaces::SortedSetsInterface;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{app_error, create_user, fixtures, shop};
use uuid::Uuid;

/// The members of one of the event's queue sets (`w` waiting, `a` admitted), in order.
async fn members(valkey: &Valkey, event: Uuid, set: &str) -> Vec<String> {
    valkey
        .pool()
        .next()
        .zrange(
            valkey.key(&format!("q:{{{}}}:{set}", event.simple())),
            0,
            -1,
            None,
            false,
            None,
            false,
        )
        .await
        .unwrap()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A visitor as the queue knows them (under a test secret).
fn member(visitor: Visitor) -> Member {
    QueueCookies::new(b"queue-test").member(visitor)
}

const ADMISSION: Duration = Duration::from_secs(600);

/// The queue's settings: `rate` let through a second, admissions of
/// `admission`, the first turn `draw` after the opening.
fn pace(rate: f64, admission: Duration, draw: Duration) -> QueueConfig {
    QueueConfig {
        admit_per_sec: rate,
        admission,
        places_per_address: 1,
        addresses_per_place: 4,
        auto_arrivals_per_sec: 0,
        draw,
        proof_bits: 0,
        check_raise_per_sec: 100,
        verified_accounts: true,
    }
}

/// Takes a place for `member`, from an address of its own.
async fn join(valkey: &Valkey, event: Uuid, member: &Member) -> Place {
    let pace = pace(1.0, ADMISSION, Duration::ZERO);
    match queue::join(valkey, event, member, member.as_str(), &pace, false)
        .await
        .unwrap()
    {
        Joined::Placed(place) => place,
        other => panic!("not placed: {other:?}"),
    }
}

/// The queue's facts for an event opening at `opens_ms`.
async fn facts(valkey: &Valkey, event: Uuid, opens_ms: i64) {
    queue::set_facts(
        valkey,
        event,
        &QueueFacts {
            opens_ms,
            sold_out: false,
            title: "Early Night".into(),
            translated_titles: vec![],
            opens_at: Default::default(),
            general_ms: None,
            check: Default::default(),
            admit_per_minute: None,
        },
    )
    .await
    .unwrap();
}

/// Joins `member` from `address` (a digest as the shop makes them).
async fn join_from(valkey: &Valkey, event: Uuid, member: &Member, address: &str) -> Place {
    let pace = pace(1.0, ADMISSION, Duration::ZERO);
    match queue::join(valkey, event, member, address, &pace, false)
        .await
        .unwrap()
    {
        Joined::Placed(place) => place,
        other => panic!("not placed: {other:?}"),
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_place_held_from_many_addresses_moves_to_the_back(db: PgPool) {
    let state = support::state_for(db, &support::valkey_url()).await;
    let valkey = &state.valkey;
    let event = Uuid::new_v4();
    facts(valkey, event, now_ms() + 500).await;
    let twenty = pace(20.0, ADMISSION, Duration::from_millis(300));
    let crowd: Vec<Member> = (0..10)
        .map(|_| member(Visitor::Account(Uuid::new_v4())))
        .collect();
    for visitor in &crowd {
        assert_eq!(join(valkey, event, visitor).await, Place::Undrawn);
    }
    // The roamer asks from five addresses (four are allowed): moved behind
    // everyone, told nothing. The traveller asks from four: stays put.
    let (roamer, traveller) = (&crowd[0], &crowd[1]);
    for address in ["r1", "r2", "r3", "r4"] {
        assert_eq!(
            join_from(valkey, event, roamer, address).await,
            Place::Undrawn
        );
    }
    for address in ["t1", "t2", "t3"] {
        join_from(valkey, event, traveller, address).await;
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    queue::progress(valkey, event, &twenty).await.unwrap();
    let number = |m: &Member| {
        let m = m.clone();
        async move {
            queue::number(valkey, event, &m)
                .await
                .unwrap()
                .number()
                .unwrap()
        }
    };
    assert_eq!(number(roamer).await, 10, "the last of the draw");
    let travellers = number(traveller).await;
    assert!(travellers < 10);
    // The traveller's turn, asked from a fifth address: no admission, a
    // later number instead.
    for _ in 0..100 {
        let progress = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .unwrap();
        if progress.has_come(travellers) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let turn = queue::admit(valkey, event, traveller, travellers, "t4", &twenty)
        .await
        .unwrap();
    assert_eq!(turn, queue::Turn::Moved(11));
    assert_eq!(number(traveller).await, 11);
    // Moved once: at number 11's turn, from a sixth address, admitted.
    for _ in 0..100 {
        let progress = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .unwrap();
        if progress.has_come(11) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(matches!(
        queue::admit(valkey, event, traveller, 11, "t5", &twenty)
            .await
            .unwrap(),
        queue::Turn::Admitted { .. }
    ));
    // Another, from the address they took their place from: admitted.
    let other = &crowd[2];
    let others = number(other).await;
    for _ in 0..100 {
        let progress = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .unwrap();
        if progress.has_come(others) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(matches!(
        queue::admit(valkey, event, other, others, other.as_str(), &twenty)
            .await
            .unwrap(),
        queue::Turn::Admitted { .. }
    ));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_account_uses_one_admission_at_a_time(db: PgPool) {
    let state = support::state_for(db, &support::valkey_url()).await;
    let valkey = &state.valkey;
    let event = Uuid::new_v4();
    let until_ms = now_ms() + 60_000;
    let admission = |id: &str| queue::Admission {
        id: id.into(),
        until_ms,
    };
    let (first, second) = (admission("first"), admission("second"));
    let (ada, bea) = (Uuid::new_v4(), Uuid::new_v4());
    assert!(
        queue::claim_admission(valkey, event, &first, ada)
            .await
            .unwrap()
    );
    assert!(
        !queue::claim_admission(valkey, event, &second, ada)
            .await
            .unwrap(),
        "a second admission while the first runs"
    );
    // The first bought nothing (sold out meanwhile): given back, and Ada may
    // use this one or another.
    queue::unspend_admission(valkey, event, &first, ada)
        .await
        .unwrap();
    assert!(
        queue::claim_admission(valkey, event, &second, ada)
            .await
            .unwrap()
    );
    // The first, given back, is still Ada's: nobody else's.
    assert!(
        !queue::claim_admission(valkey, event, &first, bea)
            .await
            .unwrap()
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn early_arrivals_are_let_through_in_the_drawn_order_at_the_rate(db: PgPool) {
    let state = support::state_for(db, &support::valkey_url()).await;
    let valkey = &state.valkey;
    let event = Uuid::new_v4();
    let opens = now_ms() + 600;
    facts(valkey, event, opens).await;
    // The first turn comes 400 ms after the opening (the draw's time).
    let twenty = pace(20.0, ADMISSION, Duration::from_millis(400));
    let early: Vec<Member> = (0..40)
        .map(|_| member(Visitor::Account(Uuid::new_v4())))
        .collect();
    for visitor in &early {
        assert_eq!(join(valkey, event, visitor).await, Place::Undrawn);
    }
    // More tabs or connections of one account: still one place.
    for _ in 0..5 {
        assert_eq!(join(valkey, event, &early[0]).await, Place::Undrawn);
    }
    // Before the opening: 40 wait for the draw, nobody has a number, nobody
    // is let through however often the progress is asked.
    for _ in 0..3 {
        let progress = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .expect("the queue knows the event");
        assert_eq!(
            (progress.waiting, progress.drawn, progress.admitted_to),
            (40, false, 0)
        );
    }
    assert_eq!(
        queue::number(valkey, event, &early[0]).await.unwrap(),
        Place::Undrawn
    );
    assert_eq!(
        queue::admit(valkey, event, &early[0], 1, "addr", &twenty)
            .await
            .unwrap(),
        queue::Turn::Absent,
        "no number, no turn"
    );

    tokio::time::sleep(Duration::from_millis((opens - now_ms()).max(0) as u64 + 10)).await;
    // The draw: every early visitor gets one of the numbers 1..40, and the
    // order of arrival gives no advantage.
    let mut numbers = Vec::new();
    for visitor in &early {
        let number = queue::number(valkey, event, visitor)
            .await
            .unwrap()
            .number()
            .expect("drawn at the opening");
        numbers.push(number);
    }
    let distinct: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(distinct, (1..=40).collect::<BTreeSet<u64>>());
    // Drawn, and nobody let through before the first turn.
    let progress = queue::progress(valkey, event, &twenty)
        .await
        .unwrap()
        .unwrap();
    assert!(progress.drawn);
    assert!(now_ms() < progress.turns_ms, "asked within the draw's time");
    assert_eq!(progress.admitted_to, 0);
    assert_ne!(
        numbers,
        (1..=40).collect::<Vec<u64>>(),
        "arriving first gives no advantage"
    );
    // A latecomer joins the end.
    let late = member(Visitor::Guest(Uuid::new_v4()));
    assert_eq!(join(valkey, event, &late).await, Place::Numbered(41));
    assert_eq!(
        join(valkey, event, &early[3]).await,
        Place::Numbered(numbers[3]),
        "a place is kept"
    );

    // Let through at 20 a second, whoever asks (two instances here): at every
    // moment the numbers let through are exactly 1..admitted_to, each admitted
    // once it asks, and a number past it is not.
    let mut by_number: Vec<(u64, Member)> =
        numbers.iter().copied().zip(early.iter().cloned()).collect();
    by_number.push((41, late.clone()));
    by_number.sort_by_key(|(n, _)| *n);
    let started = std::time::Instant::now();
    let (mut seen_partial, mut admitted_to) = (false, 0);
    while admitted_to < 41 {
        let first = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .unwrap();
        let second = queue::progress(valkey, event, &twenty)
            .await
            .unwrap()
            .unwrap();
        assert!(second.admitted_to >= first.admitted_to);
        admitted_to = second.admitted_to;
        assert_eq!(second.waiting, 41 - admitted_to);
        seen_partial |= admitted_to > 0 && admitted_to < 41;
        for (number, visitor) in &by_number {
            let turn = queue::admit(valkey, event, visitor, *number, "addr", &twenty)
                .await
                .unwrap();
            if *number <= admitted_to {
                assert!(
                    matches!(turn, queue::Turn::Admitted { .. }),
                    "{number}: {turn:?}"
                );
            } else {
                assert_eq!(turn, queue::Turn::NotYet, "{number} of {admitted_to}");
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the queue moves"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen_partial, "let through a few at a time");
    // 41 at 20 a second take about two seconds, not one ask.
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    // An admission runs from when the number came; asking again gives the same.
    let queue::Turn::Admitted { until_ms } =
        queue::admit(valkey, event, &late, 41, "addr", &twenty)
            .await
            .unwrap()
    else {
        panic!("admitted")
    };
    assert!(until_ms > now_ms() + 590_000 && until_ms <= now_ms() + 600_000);
    assert_eq!(
        queue::admit(valkey, event, &late, 41, "addr", &twenty)
            .await
            .unwrap(),
        queue::Turn::Admitted { until_ms }
    );
    // Nobody may claim a number they do not hold (a cookie's number is
    // signed; Valkey checks it too).
    let later = member(Visitor::Guest(Uuid::new_v4()));
    assert_eq!(join(valkey, event, &later).await, Place::Numbered(42));
    assert_eq!(
        queue::admit(valkey, event, &later, 1, "addr", &twenty)
            .await
            .unwrap(),
        queue::Turn::Absent
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_turn_not_taken_runs_out_and_its_visitor_joins_the_end(db: PgPool) {
    let state = support::state_for(db, &support::valkey_url()).await;
    let valkey = &state.valkey;
    let event = Uuid::new_v4();
    facts(valkey, event, now_ms() - 1000).await;
    let short = pace(50.0, Duration::from_millis(1500), Duration::ZERO);
    let (ann, ben) = (
        member(Visitor::Account(Uuid::new_v4())),
        member(Visitor::Account(Uuid::new_v4())),
    );
    assert_eq!(join(valkey, event, &ann).await, Place::Numbered(1));
    // Ann's number comes; she does not ask for her turn in time.
    for _ in 0..40 {
        let progress = queue::progress(valkey, event, &short)
            .await
            .unwrap()
            .unwrap();
        if progress.admitted_to >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(short.admission + Duration::from_millis(100)).await;
    assert_eq!(
        queue::admit(valkey, event, &ann, 1, "addr", &short)
            .await
            .unwrap(),
        queue::Turn::RanOut
    );
    // Ben arrives meanwhile; Ann, joining again, goes behind him.
    assert_eq!(join(valkey, event, &ben).await, Place::Numbered(2));
    let again = queue::join(valkey, event, &ann, ann.as_str(), &short, false)
        .await
        .unwrap();
    assert_eq!(again, Joined::Placed(Place::Numbered(3)));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_sold_out_queue_lets_nobody_through_and_says_so(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 1)
        .create()
        .await;
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    let state = support::state_for(db.clone(), &support::valkey_url()).await;
    let valkey = &state.valkey;
    queue::refresh_one(&db, valkey, event.id).await.unwrap();
    let (first, second) = (
        member(Visitor::Account(Uuid::new_v4())),
        member(Visitor::Account(Uuid::new_v4())),
    );
    let one = join(valkey, event.id, &first).await.number().unwrap();
    let two = join(valkey, event.id, &second).await.number().unwrap();
    // The one seat is taken; the queue learns it from the database.
    sqlx::query("UPDATE ticket_types SET sold = 1 WHERE id = $1")
        .bind(event.types[0])
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET sold = 1 WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    queue::refresh(&db, valkey).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hundred = pace(100.0, ADMISSION, Duration::ZERO);
    let progress = queue::progress(valkey, event.id, &hundred)
        .await
        .unwrap()
        .unwrap();
    assert!(progress.sold_out);
    assert_eq!(progress.admitted_to, 0, "nobody let through");
    for (visitor, number) in [(first, one), (second, two)] {
        assert_eq!(
            queue::admit(valkey, event.id, &visitor, number, "addr", &hundred)
                .await
                .unwrap(),
            queue::Turn::SoldOut
        );
    }
    assert!(
        members(valkey, event.id, "a").await.is_empty(),
        "nobody let through"
    );
}

/// The place cookie's value in a client's jar, read back from a response.
fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (pair, _) = v.split_once(';')?;
            let (n, value) = pair.split_once('=')?;
            (n == name).then(|| value.to_string())
        })
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn checkout_of_a_queued_event_needs_the_visitors_own_admission(db: PgPool) {
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("QUEUE_ADMIT_PER_SEC", "50"),
            ("APP_SECRET", "queue-test-secret"),
        ],
    )
    .await;
    let ticket = shop::listing(&db, 100).await;
    let event: Uuid = sqlx::query_scalar("SELECT event_id FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    let (ada, _) = shop::buyer_with_cart(&shop, ticket, 1).await;

    // The organizer turns the queue on; only they may.
    let organizer_email: String = sqlx::query_scalar(
        "SELECT u.email FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.id = $1",
    )
    .bind(event)
    .fetch_one(&db)
    .await
    .unwrap();
    let switch = [("event", event.to_string()), ("enabled", "on".to_string())];
    let switch: Vec<(&str, &str)> = switch.iter().map(|(k, v)| (*k, v.as_str())).collect();
    create_user(&db, "rival@example.com", Role::Organizer).await;
    let rival = shop.app.signed_in("rival@example.com").await;
    assert_eq!(
        shop.app
            .call(&rival, "organizer/queue", &switch)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let organizer = shop.app.signed_in(&organizer_email).await;
    let res = shop.app.call(&organizer, "organizer/queue", &switch).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );

    // Without an admission: refused, nothing held.
    let res = shop.app.call(&ada, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "The sale of Paid Gig is queued: wait in the queue for your turn to check out."
    );
    let held: i32 = sqlx::query_scalar("SELECT reserved FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(held, 0);
    // The event's page sends them to the queue.
    let page: app::model::EventDetail = shop
        .app
        .call(&ada, "catalogue/event", &[("id", &event.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.queue, app::model::QueueView::Wait);

    // Ada waits (the sale is open: her turn comes within a poll or two).
    let res = support::join_queue(&shop.app.base_url, &ada, event).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    let mut admission = None;
    for _ in 0..40 {
        let res = ada
            .get(format!("{}/queue/{event}/status", shop.app.base_url))
            .send()
            .await
            .unwrap();
        if let Some(value) = cookie_value(&res, &queue::admission_cookie(event)) {
            admission = Some(value);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let admission = admission.expect("Ada's turn came");
    let page: app::model::EventDetail = shop
        .app
        .call(&ada, "catalogue/event", &[("id", &event.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.queue, app::model::QueueView::Admitted);

    // Bob, with a copy of Ada's admission in his browser, is still refused:
    // it is bound to her.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let bob = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    create_user(&db, "bob@example.com", Role::Buyer).await;
    let res = shop
        .app
        .call(
            &bob,
            "auth/sign_in",
            &[
                ("email", "bob@example.com"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop
        .app
        .call(
            &bob,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let url: reqwest::Url = shop.app.base_url.parse().unwrap();
    jar.add_cookie_str(
        &format!("{}={admission}; Path=/", queue::admission_cookie(event)),
        &url,
    );
    let res = shop.app.call(&bob, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "The sale of Paid Gig is queued: wait in the queue for your turn to check out."
    );

    // Ada checks out: sent to Stripe.
    let res = shop.app.call(&ada, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let held: i32 = sqlx::query_scalar("SELECT reserved FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(held, 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_holding_page_needs_no_database_and_any_instance_keeps_the_place(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 100)
        .create()
        .await;
    // The sale opens in an hour: everyone waits.
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + interval '1 hour' WHERE event_id = $1",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    let prefix = format!("test:{}:", Uuid::new_v4());
    let vars = [
        ("VALKEY_PREFIX", prefix.as_str()),
        ("APP_SECRET", "shared-secret"),
    ];
    let first = support::spawn_with(db.clone(), &vars).await;
    let visitor = first.browser();
    let res = support::join_queue(&first.base_url, &visitor, event.id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let place = cookie_value(&res, &queue::place_cookie(event.id)).expect("a place");
    let cookies = format!("{}={place}", queue::place_cookie(event.id));
    let res = visitor
        .get(format!("{}/queue/{}", first.base_url, event.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("data-testid=\"queue-waiting-count\">1<"),
        "{page}"
    );
    assert!(
        page.contains("<noscript><meta http-equiv=\"refresh\""),
        "refreshes itself without JavaScript, and only then"
    );
    assert!(page.contains("<script src=\"/queue.js\" defer>"), "{page}");
    assert!(page.contains("The sale has not opened yet"));
    assert!(!page.contains("queue-position"), "no place before the draw");
    // Joining again (another tab) keeps the one place.
    support::join_queue(&first.base_url, &visitor, event.id).await;
    let res = visitor
        .get(format!("{}/queue/{}/status", first.base_url, event.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let status: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (
            status["waiting"].as_u64(),
            status["before_opening"].as_bool()
        ),
        (Some(1), Some(true))
    );

    // Another instance (or this one restarted) knows the place, with no
    // database at all: its pool is closed.
    let second = support::spawn_with(db.clone(), &vars).await;
    second.state.db.close().await;
    let res = reqwest::Client::new()
        .get(format!("{}/queue/{}", second.base_url, event.id))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("data-testid=\"queue-waiting-count\">1<")
    );
    // A forged place is not one.
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/queue/{}", second.base_url, event.id))
        .header(
            "cookie",
            format!(
                "{}=u:{}.00",
                queue::place_cookie(event.id),
                Uuid::new_v4().simple()
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        format!("/events/{}/queue/join", event.id)
    );

    // Without Valkey nobody is let through, and the page says so plainly.
    let broken = support::state_with(db.clone(), "redis://127.0.0.1:9", &vars).await;
    let broken = support::spawn_with_state(broken).await;
    let res = reqwest::Client::new()
        .get(format!("{}/queue/{}", broken.base_url, event.id))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["refresh"], "5");
    assert!(res.text().await.unwrap().contains("nobody is let through"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_holding_page_names_the_event_and_follows_a_moved_opening(db: PgPool) {
    let event = fixtures::event(&db)
        .title("Fish & <Chips> Night")
        .ticket_type("Admission", 2500, 100)
        .create()
        .await;
    sqlx::query(
        "UPDATE events SET queue_enabled = true, time_zone = 'Europe/London' WHERE id = $1",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    let open_at = |at: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query(
                "UPDATE ticket_types SET sale_starts_at = $2::timestamptz, sale_ends_at = $2::timestamptz + interval '1 day' WHERE event_id = $1",
            )
            .bind(event.id)
            .bind(at)
            .execute(&db)
            .await
            .unwrap();
        }
    };
    open_at("2036-03-20 10:00:00+00").await;
    let shop = support::spawn_with(db.clone(), &[]).await;
    let visitor = shop.browser();
    support::join_queue(&shop.base_url, &visitor, event.id).await;
    let page = || async {
        visitor
            .get(format!("{}/queue/{}", shop.base_url, event.id))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let first = page().await;
    // The shop's look, the event (its title escaped) and the opening on the venue's clock.
    assert!(first.contains("rel=\"stylesheet\" href=\"/pkg/"), "{first}");
    assert!(first.contains("Fish &amp; &lt;Chips&gt; Night"), "{first}");
    assert!(!first.contains("<Chips>"));
    assert!(
        first.contains("data-testid=\"queue-opens\">Thu, 20 Mar 2036, 10:00 GMT<"),
        "{first}"
    );
    assert!(first.contains("days</strong>"), "{first}");

    // The organizer moves the opening; saving refreshes what the queue knows.
    open_at("2036-07-01 09:00:00+00").await;
    queue::refresh_if_live(&shop.state.db, &shop.state.valkey, event.id).await;
    // The instance's copy of the queue's progress is at most a second old.
    let fresh = app::backend::fresh::FRESH_FOR + Duration::from_millis(100);
    tokio::time::sleep(fresh).await;
    let moved = page().await;
    assert!(
        moved.contains("data-testid=\"queue-opens\">Tue, 1 Jul 2036, 10:00 BST<"),
        "{moved}"
    );
    let days = |page: &str| -> u64 {
        let wait = page
            .split("data-testid=\"queue-wait\">about ")
            .nth(1)
            .unwrap();
        wait.split(' ').next().unwrap().parse().unwrap()
    };
    assert!(
        days(&moved) > days(&first) + 100,
        "the estimate follows the opening"
    );

    // A German visitor reads the same page in German, the opening as German
    // writes it, and the event's German title once the organizer gave one.
    sqlx::query(
        "INSERT INTO event_translations (event_id, locale, title) VALUES ($1, 'de', 'Fisch & Chips-Abend')",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    queue::refresh_if_live(&shop.state.db, &shop.state.valkey, event.id).await;
    tokio::time::sleep(fresh).await;
    let german = visitor
        .get(format!("{}/queue/{}", shop.base_url, event.id))
        .header("accept-language", "de-DE,de;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(german.contains("<html lang=\"de\""), "{german}");
    assert!(german.contains("Sie sind in der Warteschlange"), "{german}");
    assert!(
        german.contains("data-testid=\"queue-opens\">Di., 01.07.2036, 10:00 BST<"),
        "{german}"
    );
    assert!(german.contains("Tage</strong>"), "{german}");
    assert!(german.contains("Fisch &amp; Chips-Abend"), "{german}");
    assert!(
        page().await.contains("Fish &amp; &lt;Chips&gt; Night"),
        "English visitors keep the event's own title"
    );

    // An event whose queue the sweeper never saw is left alone.
    let other = fixtures::event(&db)
        .ticket_type("Admission", 100, 1)
        .create()
        .await;
    queue::refresh_if_live(&shop.state.db, &shop.state.valkey, other.id).await;
    assert!(
        !queue::has_facts(&shop.state.valkey, other.id)
            .await
            .unwrap()
    );
}

/// A queued, open sale of 100 seats and its one ticket type.
pub(crate) async fn queued_sale(shop: &shop::Shop, db: &PgPool) -> (Uuid, Uuid) {
    let ticket = shop::listing(db, 100).await;
    let event: Uuid = sqlx::query_scalar(
        "UPDATE events SET queue_enabled = true
         WHERE id = (SELECT event_id FROM ticket_types WHERE id = $1) RETURNING id",
    )
    .bind(ticket)
    .fetch_one(db)
    .await
    .unwrap();
    queue::refresh_one(db, &shop.app.state.valkey, event)
        .await
        .unwrap();
    (event, ticket)
}

/// Polls the holding page's JSON until the client is let through.
async fn until_admitted(shop: &shop::Shop, client: &reqwest::Client, event: Uuid) {
    for _ in 0..60 {
        let res = client
            .get(format!("{}/queue/{event}/status", shop.app.base_url))
            .send()
            .await
            .unwrap();
        if cookie_value(&res, &queue::admission_cookie(event)).is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never let through");
}

async fn sign_in_and_fill_cart(
    shop: &shop::Shop,
    client: &reqwest::Client,
    email: &str,
    ticket: Uuid,
) {
    create_user(&shop.app.state.db, email, Role::Buyer).await;
    let res = shop
        .app
        .call(
            client,
            "auth/sign_in",
            &[("email", email), ("password", support::PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop
        .app
        .call(
            client,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_admission_serves_one_account_only(db: PgPool) {
    let shop = shop::shop_with(db.clone(), &[("QUEUE_ADMIT_PER_SEC", "50")]).await;
    let (event, ticket) = queued_sale(&shop, &db).await;
    // Admitted as a guest.
    let browser = shop.app.browser();
    let res = support::join_queue(&shop.app.base_url, &browser, event).await;
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    until_admitted(&shop, &browser, event).await;
    // Signed in as Ada: the admission is hers, she checks out.
    sign_in_and_fill_cart(&shop, &browser, "ada@example.com", ticket).await;
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // Then as Bob in the same browser: not with Ada's admission.
    sign_in_and_fill_cart(&shop, &browser, "bob@example.com", ticket).await;
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "The sale of Paid Gig is queued: wait in the queue for your turn to check out."
    );
    let held: i32 = sqlx::query_scalar("SELECT reserved FROM ticket_types WHERE id = $1")
        .bind(ticket)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(held, 1, "only Ada's seat is held");
    // Bob queues for himself: a place of his own, at the back.
    let res = support::join_queue(&shop.app.base_url, &browser, event).await;
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    until_admitted(&shop, &browser, event).await;
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_admission_makes_one_order(db: PgPool) {
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("QUEUE_ADMIT_PER_SEC", "50"),
            ("QUEUE_PLACES_PER_ADDRESS", "3"),
        ],
    )
    .await;
    let (event, ticket) = queued_sale(&shop, &db).await;
    let browser = shop.app.browser();
    sign_in_and_fill_cart(&shop, &browser, "ada@example.com", ticket).await;
    let res = support::join_queue(&shop.app.base_url, &browser, event).await;
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    until_admitted(&shop, &browser, event).await;
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // While the order holds its seats, checking out again finds it.
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // Cancelled, the turn is over: a new order needs a new turn.
    let res = shop.app.call(&browser, "checkout/cancel", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop
        .app
        .call(
            &browser,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket.to_string()),
                ("picks[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop.app.call(&browser, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "The sale of Paid Gig is queued: wait in the queue for your turn to check out."
    );

    // A second place, a guest's, let through and then signed in as Ada: an
    // account uses one admission while it runs, so a program's many guest
    // places buy no more than its accounts' own would.
    let second = shop.app.browser();
    let res = support::join_queue(&shop.app.base_url, &second, event).await;
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    until_admitted(&shop, &second, event).await;
    let res = shop
        .app
        .call(
            &second,
            "auth/sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = shop.app.call(&second, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await.to_string(),
        "The sale of Paid Gig is queued: wait in the queue for your turn to check out."
    );
    // Another guest's turn, signed in as an account that used none, buys.
    let third = shop.app.browser();
    let res = support::join_queue(&shop.app.base_url, &third, event).await;
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    until_admitted(&shop, &third, event).await;
    sign_in_and_fill_cart(&shop, &third, "bea@example.com", ticket).await;
    let res = shop.app.call(&third, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_organizer_sets_how_many_are_let_through_a_minute(db: PgPool) {
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("QUEUE_ADMIT_PER_SEC", "10"),
            ("QUEUE_PLACES_PER_ADDRESS", "20"),
        ],
    )
    .await;
    let (event, _) = queued_sale(&shop, &db).await;
    let organizer: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&db)
        .await
        .unwrap();
    let organizer = shop
        .app
        .signed_in(&support::email_of(&db, organizer).await)
        .await;
    let set = |per_minute: &'static str| {
        let (shop, organizer) = (&shop, &organizer);
        async move {
            let res = shop
                .app
                .call(
                    organizer,
                    "organizer/queue",
                    &[
                        ("event", &event.to_string()),
                        ("enabled", "on"),
                        ("admit_per_minute", per_minute),
                    ],
                )
                .await;
            assert!(res.status().is_success(), "{}", res.status());
        }
    };
    let progress = || async {
        shop.app
            .get(&format!("/queue/{event}/progress"))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let dashboard = || async {
        shop.app
            .call(
                &organizer,
                "organizer/sales",
                &[("event", &event.to_string())],
            )
            .await
            .json::<app::model::SalesDashboard>()
            .await
            .unwrap()
    };
    assert_eq!(progress().await["per_sec"], 10.0, "the shop's rate");
    let seen = dashboard().await;
    assert_eq!(
        (
            seen.queue_admit_per_minute,
            seen.queue_admit_default_per_minute
        ),
        (None, 600)
    );
    set("120").await;
    assert_eq!(dashboard().await.queue_admit_per_minute, Some(120));
    // Progress copies live a second on each instance.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(progress().await["per_sec"], 2.0);
    // Ten in the queue: at two a second, a second and a half lets through
    // at most the burst (4) and three more, where the shop's ten a second
    // would have let all ten through.
    for _ in 0..10 {
        let res = support::join_queue(&shop.app.base_url, &shop.app.browser(), event).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let started = std::time::Instant::now();
    let mut admitted_to = 0;
    while started.elapsed() < Duration::from_millis(1500) {
        admitted_to = progress().await["admitted_to"].as_u64().unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!((1..=7).contains(&admitted_to), "{admitted_to}");
    // Emptied: the shop's rate again.
    set("").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(progress().await["per_sec"], 10.0);
    assert_eq!(dashboard().await.queue_admit_per_minute, None);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn places_need_cookies_and_are_few_per_address(db: PgPool) {
    let shop = shop::shop_with(db.clone(), &[("QUEUE_PLACES_PER_ADDRESS", "2")]).await;
    let (event, _) = queued_sale(&shop, &db).await;
    let url = format!("{}/events/{event}/queue/join", shop.app.base_url);
    // A program that keeps no cookies: never a place, however often it asks.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for _ in 0..5 {
        let res = bare.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(cookie_value(&res, &queue::place_cookie(event)).is_none());
        let res = bare.get(format!("{url}?cookies=1")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(cookie_value(&res, &queue::place_cookie(event)).is_none());
        assert!(res.text().await.unwrap().contains("Allow cookies"));
    }
    assert!(members(&shop.app.state.valkey, event, "w").await.is_empty());
    // Browsers that keep cookies: two places from this address, then no more.
    let mut places = Vec::new();
    for _ in 0..2 {
        let browser = shop.app.browser();
        let res = support::join_queue(&shop.app.base_url, &browser, event).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let place = cookie_value(&res, &queue::place_cookie(event)).expect("a place");
        places.push((browser, place));
    }
    let third = shop.app.browser();
    let res = support::join_queue(&shop.app.base_url, &third, event).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(cookie_value(&res, &queue::place_cookie(event)).is_none());
    assert_eq!(members(&shop.app.state.valkey, event, "w").await.len(), 2);
    // Those who hold one keep it, and joining again is no new place.
    let res = support::join_queue(&shop.app.base_url, &places[0].0, event).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(members(&shop.app.state.valkey, event, "w").await.len(), 2);
    // The cookie names nobody: an opaque digest, the number and a
    // signature, no session, guest or account id.
    for (_, place) in &places {
        let [digest, number, signature] = place.split('.').collect::<Vec<_>>()[..] else {
            panic!("digest.number.signature: {place}")
        };
        assert_eq!((digest.len(), signature.len()), (32, 64), "{place}");
        assert!(
            number.parse::<u64>().unwrap() >= 1,
            "numbered on joining an open sale"
        );
        assert!(
            place.chars().all(|c| c == '.' || c.is_ascii_hexdigit()),
            "{place}"
        );
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_waiting_visitors_poll_costs_valkey_nothing(db: PgPool) {
    // A Valkey of this test's own, so every command it runs is counted.
    let valkey = support::scratch::ScratchValkey::start(support::scratch::free_port()).await;
    let event = fixtures::event(&db)
        .ticket_type("Admission", 2500, 100)
        .create()
        .await;
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(event.id)
        .execute(&db)
        .await
        .unwrap();
    // Opening in a moment, one let through every 100 s: everyone waits.
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + interval '2 seconds' WHERE event_id = $1",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    let state = support::state_with(
        db.clone(),
        &valkey.url(),
        &[("QUEUE_ADMIT_PER_SEC", "0.01")],
    )
    .await;
    let shop = support::spawn_with_state(state).await;
    let (ann, ben) = (shop.browser(), shop.browser());
    for visitor in [&ann, &ben] {
        let res = support::join_queue(&shop.base_url, visitor, event.id).await;
        assert_eq!(res.headers()["location"], format!("/queue/{}", event.id));
        let place = cookie_value(&res, &queue::place_cookie(event.id)).unwrap();
        assert_eq!(
            place.split('.').nth(1),
            Some("0"),
            "no number before the draw"
        );
    }
    tokio::time::sleep(Duration::from_millis(2300)).await;
    // After the opening each learns their number once: a new cookie, once.
    let page = |client: &reqwest::Client| {
        client
            .get(format!("{}/queue/{}", shop.base_url, event.id))
            .send()
    };
    let mut numbers = Vec::new();
    for visitor in [&ann, &ben] {
        let res = page(visitor).await.unwrap();
        let place = cookie_value(&res, &queue::place_cookie(event.id)).expect("the number");
        numbers.push(place.split('.').nth(1).unwrap().parse::<u64>().unwrap());
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("data-testid=\"queue-position\">")
        );
        let again = page(visitor).await.unwrap();
        assert!(cookie_value(&again, &queue::place_cookie(event.id)).is_none());
    }
    numbers.sort();
    assert_eq!(numbers, [1, 2]);

    // Then 200 polls of the page and 200 of the public progress: Valkey is
    // asked about once a second by this instance, not once per poll.
    let before = valkey.commands_processed().await;
    let started = std::time::Instant::now();
    let bare = reqwest::Client::new();
    for i in 0..100 {
        let visitor = if i % 2 == 0 { &ann } else { &ben };
        let res = page(visitor).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("queue-position"));
        for _ in 0..2 {
            let res = bare
                .get(format!("{}/queue/{}/progress", shop.base_url, event.id))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
        }
        let res = page(visitor).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    let asked = valkey.commands_processed().await - before;
    let seconds = started.elapsed().as_secs() + 1;
    // One script a second (the copy's refresh), the two INFOs.
    assert!(
        asked <= seconds + 2,
        "{asked} Valkey commands for 400 polls in {seconds} s"
    );

    // The progress is public and the same for everyone: no cookie read or
    // set, kept a second by any cache.
    let res = bare
        .get(format!("{}/queue/{}/progress", shop.base_url, event.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=1");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers().get("set-cookie").is_none());
    let progress: serde_json::Value = res.json().await.unwrap();
    assert_eq!(progress["drawn"], true);
    assert_eq!(progress["last_number"], 2);
    assert_eq!(
        progress["waiting"].as_u64(),
        Some(2 - progress["admitted_to"].as_u64().unwrap())
    );
    let as_ann: serde_json::Value = ann
        .get(format!("{}/queue/{}/progress", shop.base_url, event.id))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(as_ann, progress, "the same whoever asks");
    // Events without a queue: nothing, nothing written for them, and a
    // hundred made-up ids cost Valkey no more than one question a second.
    let before = valkey.commands_processed().await;
    let started = std::time::Instant::now();
    let mut nobodies = Vec::new();
    for _ in 0..100 {
        let nobody = Uuid::new_v4();
        let res = bare
            .get(format!("{}/queue/{nobody}/progress", shop.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        nobodies.push(nobody);
    }
    let asked = valkey.commands_processed().await - before;
    let seconds = started.elapsed().as_secs() + 1;
    assert!(
        asked <= 2 * seconds + 2,
        "{asked} Valkey commands for 100 made-up events in {seconds} s"
    );
    for nobody in nobodies.iter().take(3) {
        assert!(!queue::has_facts(&shop.state.valkey, *nobody).await.unwrap());
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_checkout_that_takes_the_last_seat_closes_the_queue_at_once(db: PgPool) {
    let shop = shop::shop_with(
        db.clone(),
        &[
            ("QUEUE_ADMIT_PER_SEC", "50"),
            ("QUEUE_PLACES_PER_ADDRESS", "5"),
        ],
    )
    .await;
    let (event, ticket) = queued_sale(&shop, &db).await;
    sqlx::query("UPDATE ticket_types SET quantity = 2 WHERE id = $1")
        .bind(ticket)
        .execute(&db)
        .await
        .unwrap();
    queue::refresh_one(&db, &shop.app.state.valkey, event)
        .await
        .unwrap();
    let sold_out = || async {
        queue::progress(
            &shop.app.state.valkey,
            event,
            &pace(50.0, ADMISSION, Duration::ZERO),
        )
        .await
        .unwrap()
        .unwrap()
        .sold_out
    };
    for (email, last) in [("ada@example.com", false), ("bob@example.com", true)] {
        let browser = shop.app.browser();
        support::join_queue(&shop.app.base_url, &browser, event).await;
        until_admitted(&shop, &browser, event).await;
        sign_in_and_fill_cart(&shop, &browser, email, ticket).await;
        let res = shop.app.call(&browser, "checkout/start", &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        // No sweeper runs here: only the checkout can have told the queue.
        assert_eq!(sold_out().await, last, "after {email}'s checkout");
    }
}
