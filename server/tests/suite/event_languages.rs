//! Events in several languages as visitors meet them: the title and
//! description in the visitor's language where the organizer gave them, the
//! event's own (marked with its language) where not, found by a search in
//! any of them, and the same titles in the cart.

use crate::support;

use app::backend::seed::seed_demo;
use app::model::{CartView, SearchResults};
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// A browser whose language is `accept`, with its own cookie jar.
fn visitor(accept: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        accept.parse().expect("a header value"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("http client")
}

async fn event_id(db: &PgPool, title: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM events WHERE title = $1")
        .bind(title)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn html(app: &support::TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = app.get_with(client, path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

const ORCHESTRA: &str = "Midnight Orchestra: Winter Solstice Concert";
const KIDS: &str = "Kids' Science Show: Fizz, Pop, Bang!";

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_visitor_reads_an_event_in_their_language(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db.clone()).await;
    let orchestra = format!("/events/{}", event_id(&db, ORCHESTRA).await);
    let kids = format!("/events/{}", event_id(&db, KIDS).await);
    let (german, french, english) = (visitor("de-DE"), visitor("fr"), visitor("en-GB"));

    let page = html(&app, &german, &orchestra).await;
    assert!(page.contains("Mitternachtsorchester: Konzert zur Wintersonnenwende"));
    assert!(page.contains("Ein Programm bei Kerzenlicht"));
    assert!(
        !page.contains("Winter Solstice"),
        "no English left on the German page"
    );
    let page = html(&app, &french, &orchestra).await;
    assert!(page.contains("Orchestre de minuit\u{a0}: concert du solstice d’hiver"));
    assert!(page.contains("Un programme aux chandelles"));
    let page = html(&app, &english, &orchestra).await;
    assert!(page.contains(ORCHESTRA) && !page.contains("Mitternachtsorchester"));
    assert!(
        !page.contains(r#"data-testid="event-title" lang="#)
            && !page.contains(r#"data-testid="event-description" lang="#),
        "the English page's own title and description need no lang of their own"
    );

    // A German title without a German description: the English description
    // shows, marked as English for screen readers; a French visitor (no French
    // text at all) gets title and description marked as English.
    let page = html(&app, &german, &kids).await;
    assert!(page.contains("Wissenschaftsshow für Kinder: Zisch, Plopp, Knall!"));
    assert!(
        page.contains(r#"data-testid="event-description" lang="en""#),
        "the English description says it is English"
    );
    assert!(
        !page.contains(r#"data-testid="event-title" lang="#),
        "the German title is in the page's language"
    );
    let page = html(&app, &french, &kids).await;
    assert!(page.contains(r#"data-testid="event-title" lang="en""#));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_catalogue_shows_and_finds_titles_in_every_language(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db.clone()).await;
    let search = |client: reqwest::Client, q: &'static str| {
        let app = &app;
        async move {
            let res = app
                .call(&client, "catalogue/search", &[("query[q]", q)])
                .await;
            assert_eq!(res.status(), StatusCode::OK);
            let results: SearchResults = res.json().await.unwrap();
            results
                .items
                .into_iter()
                .map(|card| (card.words.title, card.words.title_lang))
                .collect::<Vec<_>>()
        }
    };
    // A German word finds the event for an English visitor, who reads it in English.
    assert_eq!(
        search(visitor("en"), "wintersonnenwende").await,
        [(ORCHESTRA.to_string(), String::new())]
    );
    // An English word finds it for a German visitor, in German.
    assert_eq!(
        search(visitor("de"), "solstice").await,
        [(
            "Mitternachtsorchester: Konzert zur Wintersonnenwende".to_string(),
            String::new()
        )]
    );
    // No German text: the English title, marked as English.
    assert_eq!(
        search(visitor("de"), "quay").await,
        [("Jazz on the Quay".to_string(), "en".to_string())]
    );

    // The catalogue's shared copy is kept per language: the German page
    // right after the English one is still German.
    let english = html(&app, &visitor("en"), "/").await;
    assert!(english.contains(ORCHESTRA) && !english.contains("Mitternachtsorchester"));
    let german = html(&app, &visitor("de"), "/").await;
    assert!(german.contains("Mitternachtsorchester") && !german.contains(ORCHESTRA));
    assert!(german.contains("Berliner Techno-Marathon"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_cart_names_events_in_the_visitors_language(db: PgPool) {
    seed_demo(&db, &support::demo_covers()).await.unwrap();
    let app = support::spawn(db.clone()).await;
    let event = event_id(&db, ORCHESTRA).await;
    let ticket_type: Uuid = sqlx::query_scalar(
        "SELECT id FROM ticket_types WHERE event_id = $1 ORDER BY position LIMIT 1",
    )
    .bind(event)
    .fetch_one(&db)
    .await
    .unwrap();
    let german = visitor("de");
    let res = app
        .call(
            &german,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &ticket_type.to_string()),
                ("picks[0][quantity]", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cart: CartView = app
        .call(&german, "cart/view", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        cart.lines[0].title,
        "Mitternachtsorchester: Konzert zur Wintersonnenwende"
    );
}
