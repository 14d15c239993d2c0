//! The browser check before a place in the queue (issue 31): a challenge
//! the shop signed, solved, spent once on any instance; anything else is
//! answered with a new check, takes no place and moves one held to the back.

use crate::support;

use app::backend::queue::challenge::{self, LIFETIME_MS};
use app::backend::queue::{QueueCookies, Visitor};
use app::backend::valkey::Valkey;
use app::model::Role;
use fred::interfaces::SortedSetsInterface;
use reqwest::StatusCode;
use sqlx::PgPool;
use support::{create_user, fixtures};
use uuid::Uuid;

async fn places(valkey: &Valkey, event: Uuid) -> u64 {
    valkey
        .pool()
        .next()
        .zcard(valkey.key(&format!("q:{{{}}}:w", event.simple())))
        .await
        .unwrap()
}

/// Where a visitor's place stands in the draw to come (below 0.5 as drawn;
/// moved to the back from 0.5).
async fn score(valkey: &Valkey, event: Uuid, member: &str) -> f64 {
    valkey
        .pool()
        .next()
        .zscore::<Option<f64>, _, _>(valkey.key(&format!("q:{{{}}}:w", event.simple())), member)
        .await
        .unwrap()
        .expect("a place")
}

/// Who holds the place the answer's cookie names.
fn place_of(res: &reqwest::Response, event: Uuid) -> String {
    let name = app::backend::queue::place_cookie(event);
    let value = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .expect("a place cookie");
    value.split('.').next().unwrap().to_string()
}

/// A published event whose queue the organizer switched on, opening in an hour.
async fn queued_event(db: &PgPool) -> Uuid {
    let event = fixtures::event(db)
        .ticket_type("Admission", 2500, 100)
        .create()
        .await;
    sqlx::query("UPDATE events SET queue_enabled = true WHERE id = $1")
        .bind(event.id)
        .execute(db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE ticket_types SET sale_starts_at = now() + interval '1 hour' WHERE event_id = $1",
    )
    .bind(event.id)
    .execute(db)
    .await
    .unwrap();
    event.id
}

/// The check page's challenge for `client` (a guest's session made first).
async fn check_page(
    base: &str,
    client: &reqwest::Client,
    event: Uuid,
) -> (String, challenge::Challenge) {
    let url = format!("{base}/events/{event}/queue/join");
    let mut res = client.get(&url).send().await.unwrap();
    if res.status() == StatusCode::SEE_OTHER {
        res = client.get(format!("{url}?cookies=1")).send().await.unwrap();
    }
    assert_eq!(res.status(), StatusCode::OK);
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("'wasm-unsafe-eval'") && policy.contains("form-action 'self'"),
        "{policy}"
    );
    let page = res.text().await.unwrap();
    let challenge = support::challenge_on(&page).expect("a challenge");
    (page, challenge)
}

async fn post(
    base: &str,
    client: &reqwest::Client,
    event: Uuid,
    text: &str,
    solution: &str,
) -> reqwest::Response {
    client
        .post(format!("{base}/events/{event}/queue/join"))
        .form(&[("challenge", text), ("solution", solution)])
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_place_costs_a_solved_challenge_of_its_own_used_once(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let (event, other_event) = (queued_event(&db).await, queued_event(&db).await);
    let base = app.base_url.as_str();
    let valkey = &app.state.valkey;
    let ann = app.browser();
    let (page, mine) = check_page(base, &ann, event).await;
    // What a visitor without JavaScript reads, and what the script shows.
    assert!(page.contains("The queue needs JavaScript"), "{page}");
    assert!(
        page.contains("<script src=\"/queue-check.js\" defer>"),
        "{page}"
    );
    assert!(page.contains("Checking your browser"), "{page}");
    let solved = challenge::solve(&mine);

    // Unsolved, altered, another event's, another visitor's: refused alike,
    // no place taken, and not told why: the answer is a new check.
    let refused = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("Checking your browser"), "{page}");
        support::challenge_on(&page).expect("a new challenge")
    };
    let zeros = vec!["0"; mine.parts as usize].join(".");
    // (Eight zeros solve nine-bit puzzles by chance once in 2^72.)
    let fresh = refused(post(base, &ann, event, &mine.text, &zeros).await).await;
    assert_ne!(fresh.text, mine.text);
    let easier = mine.text.replacen(
        &format!(".{}.{}.", mine.bits, mine.parts),
        &format!(".0.{}.", mine.parts),
        1,
    );
    assert_ne!(easier, mine.text);
    refused(post(base, &ann, event, &easier, &zeros).await).await;
    let (_, theirs) = check_page(base, &ann, other_event).await;
    refused(post(base, &ann, event, &theirs.text, &challenge::solve(&theirs)).await).await;
    let bob = app.browser();
    let (_, bobs) = check_page(base, &bob, event).await;
    refused(post(base, &ann, event, &bobs.text, &challenge::solve(&bobs)).await).await;
    refused(post(base, &ann, event, "not a challenge", "1.2").await).await;
    // Her own solution, posted from another site's page: refused before it
    // is even read (and so not spent).
    let res = ann
        .post(format!("{base}/events/{event}/queue/join"))
        .header("origin", "http://evil.example")
        .form(&[("challenge", mine.text.as_str()), ("solution", &solved)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.text().await.unwrap(), server::same_origin::REFUSAL);
    assert_eq!(places(valkey, event).await, 0);

    // Solved: the place.
    let res = post(base, &ann, event, &mine.text, &solved).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    assert_eq!(places(valkey, event).await, 1);
    let ann_is = place_of(&res, event);
    assert!(score(valkey, event, &ann_is).await < 0.5, "drawn as anyone");
    // Used once: the same again (a reload after a lost answer, a double
    // submit) is her place again, nothing more, and moves nothing.
    let res = post(base, &ann, event, &mine.text, &solved).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/queue/{event}"));
    assert!(
        res.headers().get("set-cookie").is_none(),
        "no place bought again"
    );
    assert_eq!(places(valkey, event).await, 1);
    assert!(score(valkey, event, &ann_is).await < 0.5, "not moved");
    // A failed check from a visitor holding a place moves it behind every
    // place not moved, unannounced, and once: failing again moves it no further.
    let (_, next) = check_page(base, &ann, event).await;
    refused(post(base, &ann, event, &next.text, &zeros).await).await;
    let back = score(valkey, event, &ann_is).await;
    assert!(back >= 0.5, "at the back: {back}");
    let (_, next) = check_page(base, &ann, event).await;
    refused(post(base, &ann, event, &next.text, &zeros).await).await;
    assert_eq!(score(valkey, event, &ann_is).await, back);
    assert_eq!(places(valkey, event).await, 1);
    // A program without a session cannot use a solution at all.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = post(base, &bare, event, &bobs.text, &challenge::solve(&bobs)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(places(valkey, event).await, 1);
    // Bob's own, solved: his place.
    let res = post(base, &bob, event, &bobs.text, &challenge::solve(&bobs)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(places(valkey, event).await, 2);
    assert!(score(valkey, event, &place_of(&res, event)).await < 0.5);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_expired_challenge_is_refused_and_two_instances_agree_on_a_spent_one(db: PgPool) {
    let event = queued_event(&db).await;
    let prefix = format!("test:{}:", Uuid::new_v4());
    let vars = [
        ("VALKEY_PREFIX", prefix.as_str()),
        ("APP_SECRET", "shared-secret"),
    ];
    let (first, second) = (
        support::spawn_with(db.clone(), &vars).await,
        support::spawn_with(db.clone(), &vars).await,
    );
    let cara = create_user(&db, "cara@example.com", Role::Buyer).await;
    let client = first.signed_in("cara@example.com").await;

    // Signed with the shop's secret for Cara and this event, but expired.
    let cookies = QueueCookies::new(b"shared-secret");
    let now = chrono::Utc::now().timestamp_millis();
    let member = cookies.member(Visitor::Account(cara));
    let old = cookies.challenge(event, &member, 12, now - LIFETIME_MS - 1);
    let res = post(
        &first.base_url,
        &client,
        event,
        &old.text,
        &challenge::solve(&old),
    )
    .await;
    // A new check instead (a slow phone's ran out: not counted as refused).
    assert_eq!(res.status(), StatusCode::OK);
    assert!(support::challenge_on(&res.text().await.unwrap()).is_some());
    // One from the first instance's page, spent on the second; then the
    // first refuses it.
    let (_, challenge) = check_page(&first.base_url, &client, event).await;
    let solution = challenge::solve(&challenge);
    let res = post(&second.base_url, &client, event, &challenge.text, &solution).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&first.base_url, &client, event, &challenge.text, &solution).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers().get("set-cookie").is_none(),
        "spent: sent to the place it bought, buying nothing"
    );
    assert_eq!(places(&first.state.valkey, event).await, 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_check_gets_harder_when_places_are_taken_fast_and_the_organizer_sees_it(db: PgPool) {
    let app = support::spawn_with(
        db.clone(),
        &[
            ("QUEUE_CHECK_RAISE_PER_SEC", "3"),
            ("QUEUE_PLACES_PER_ADDRESS", "100"),
        ],
    )
    .await;
    let event = queued_event(&db).await;
    let base = app.base_url.as_str();
    let organizer: Uuid = sqlx::query_scalar("SELECT organizer_id FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&db)
        .await
        .unwrap();
    let organizer = app
        .signed_in(&support::email_of(&db, organizer).await)
        .await;
    let sales = || async {
        let dashboard: app::model::SalesDashboard = app
            .call(
                &organizer,
                "organizer/sales",
                &[("event", &event.to_string())],
            )
            .await
            .json()
            .await
            .unwrap();
        dashboard.queue_live.expect("the live queue's figures")
    };
    let set = |check: &'static str| {
        let (app, organizer) = (&app, &organizer);
        async move {
            let res = app
                .call(
                    organizer,
                    "organizer/queue",
                    &[
                        ("event", &event.to_string()),
                        ("enabled", "on"),
                        ("check", check),
                    ],
                )
                .await;
            assert!(res.status().is_success(), "{}", res.status());
        }
    };
    // Asking for checks raises nothing (it costs the asker nothing).
    let mut asked = Vec::new();
    for _ in 0..12 {
        asked.push(check_page(base, &app.browser(), event).await.1.bits);
    }
    let standard = asked[0];
    assert_eq!(asked, [standard; 12]);
    // Twelve places taken in a moment, past three a second: each second
    // past the rate makes the automatic check four times the work (up to 64
    // times), for the checks asked for after it.
    for _ in 0..12 {
        let res = support::join_queue(base, &app.browser(), event).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let now = check_page(base, &app.browser(), event).await.1.bits;
    assert!(
        [standard + 2, standard + 4, standard + 6].contains(&now),
        "{standard} then {now}"
    );
    let raised = now - standard;
    let live = sales().await;
    assert_eq!((live.check_bits, live.raised_bits), (12 + raised, raised));
    // One refused check, counted for the organizer.
    let ann = app.browser();
    let (_, mine) = check_page(base, &ann, event).await;
    let res = post(base, &ann, event, &mine.text, &["0"; 8].join(".")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = post(base, &ann, event, &mine.text, &challenge::solve(&mine)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let live = sales().await;
    assert_eq!((live.places, live.refused), (13, 1));

    // "Standard" is never raised, however fast; "strong" is four times it.
    set("standard").await;
    for _ in 0..5 {
        support::join_queue(base, &app.browser(), event).await;
    }
    for _ in 0..2 {
        assert_eq!(
            check_page(base, &app.browser(), event).await.1.bits,
            standard
        );
    }
    assert_eq!(sales().await.check_bits, 12);
    set("strong").await;
    assert_eq!(
        check_page(base, &app.browser(), event).await.1.bits,
        standard + 2
    );
    let dashboard: app::model::SalesDashboard = app
        .call(
            &organizer,
            "organizer/sales",
            &[("event", &event.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dashboard.queue_check, app::model::QueueCheck::Strong);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn places_open_in_the_registration_window_and_for_confirmed_accounts(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = queued_event(&db).await;
    let base = app.base_url.as_str();
    let join = |client: reqwest::Client| async move {
        let res = client
            .get(format!("{base}/events/{event}/queue/join"))
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.text().await.unwrap())
    };
    create_user(&db, "dana@example.com", Role::Buyer).await;
    let dana = app.signed_in("dana@example.com").await;

    // The sale opens in an hour; places from 30 minutes before it: not yet.
    sqlx::query("UPDATE events SET queue_register_minutes = 30 WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap();
    let (status, page) = join(dana.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("Places in the queue for this sale are taken from"),
        "{page}"
    );
    // The event's page says when, instead of offering the queue.
    let event_page = || async {
        app.get(&format!("/events/{event}"))
            .await
            .text()
            .await
            .unwrap()
    };
    let page = event_page().await;
    assert!(page.contains("data-testid=\"queue-opens-at\""), "{page}");
    assert!(!page.contains("/queue/join"), "{page}");
    // From two hours before it: now.
    sqlx::query("UPDATE events SET queue_register_minutes = 120 WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap();
    let (status, page) = join(dana.clone()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(support::challenge_on(&page).is_some());
    let page = event_page().await;
    assert!(
        page.contains(&format!("/events/{event}/queue/join")),
        "{page}"
    );
    assert!(!page.contains("queue-opens-at"), "{page}");

    // An account whose address is not confirmed takes no place (and is told
    // how to confirm it); with QUEUE_VERIFIED_ACCOUNTS=false it may.
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE email = 'dana@example.com'")
        .execute(&db)
        .await
        .unwrap();
    let dana = app.signed_in("dana@example.com").await;
    let (status, page) = join(dana.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Confirm your email address first"), "{page}");
    let res = post(base, &dana, event, "v1.x", "1").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(places(&app.state.valkey, event).await, 0);
    let lenient = support::spawn_with(db.clone(), &[("QUEUE_VERIFIED_ACCOUNTS", "false")]).await;
    let dana = lenient.signed_in("dana@example.com").await;
    let res = support::join_queue(&lenient.base_url, &dana, event).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn junk_answers_from_one_address_are_limited(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = queued_event(&db).await;
    let base = app.base_url.as_str();
    let bot = app.browser();
    let (_, challenge) = check_page(base, &bot, event).await;
    let junk = ["0"; 8].join(".");
    // Thirty failures in ten minutes are answered with a new check each...
    for _ in 0..30 {
        let res = post(base, &bot, event, &challenge.text, &junk).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    // ...the next with a refusal, for any browser at that address.
    let res = post(base, &bot, event, &challenge.text, &junk).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        res.text().await.unwrap().contains("Too many failed checks"),
        "said plainly"
    );
    assert_eq!(places(&app.state.valkey, event).await, 0);
    // A solved check from that address still takes its place.
    let human = app.browser();
    let (_, mine) = check_page(base, &human, event).await;
    let res = post(base, &human, event, &mine.text, &challenge::solve(&mine)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(places(&app.state.valkey, event).await, 1);
}
