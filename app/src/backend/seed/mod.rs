//! Demo data for `make run`: the admin, an organizer, demo buyers, a dozen
//! upcoming events and their first sales (see [`sales`]).
//! Safe to run repeatedly: existing accounts and events are left alone.

mod covers;
mod sales;

use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::covers::CoverStore;
use super::password::hash_password;
use super::zones::Tzdb;
use crate::backend::error::BackendResult;
use crate::model::Clocks;

pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_ADMIN: &str = "admin@example.com";
pub const DEMO_ORGANIZER: &str = "organizer@example.com";
pub const DEMO_BUYER: &str = "buyer@example.com";

struct DemoEvent {
    title: &'static str,
    venue: &'static str,
    /// The venue's IANA zone: `start` is on its clock.
    time_zone: &'static str,
    description: &'static str,
    days_ahead: u64,
    start: (u32, u32),
    hours: i64,
    price_minor: i64,
    currency: &'static str,
    stock: i32,
}

const EVENTS: &[DemoEvent] = &[
    DemoEvent {
        title: "Midnight Orchestra: Winter Solstice Concert",
        venue: "Royal Concert Hall, Glasgow",
        time_zone: "Europe/London",
        description: "A candle-lit programme of Sibelius, Arvo Pärt and Nordic carols to welcome the longest night of the year.",
        days_ahead: 12,
        start: (19, 30),
        hours: 3,
        price_minor: 4500,
        currency: "GBP",
        stock: 800,
    },
    DemoEvent {
        title: "Rust Nation Conference 2027",
        venue: "Business Design Centre, London",
        time_zone: "Europe/London",
        description: "Two tracks of talks on systems programming, async, embedded and WebAssembly, with workshops and a hallway track.",
        days_ahead: 40,
        start: (9, 0),
        hours: 9,
        price_minor: 34900,
        currency: "GBP",
        stock: 400,
    },
    DemoEvent {
        title: "The Laughing Lighthouse Comedy Night",
        venue: "The Stand, Edinburgh",
        time_zone: "Europe/London",
        description: "Four of Scotland's sharpest stand-ups and a surprise headliner. Strictly 18+.",
        days_ahead: 5,
        start: (20, 0),
        hours: 2,
        price_minor: 1800,
        currency: "GBP",
        stock: 120,
    },
    DemoEvent {
        title: "Jazz on the Quay",
        venue: "Harbour Stage, Bristol",
        time_zone: "Europe/London",
        description: "An evening of hard bop and Latin jazz by the water, with the Severn Quintet.",
        days_ahead: 20,
        start: (18, 0),
        hours: 4,
        price_minor: 2500,
        currency: "GBP",
        stock: 300,
    },
    DemoEvent {
        title: "Silent Disco at the Natural History Museum",
        venue: "Natural History Museum, London",
        time_zone: "Europe/London",
        description: "Three DJs, three channels, one blue whale. Headphones included.",
        days_ahead: 25,
        start: (21, 0),
        hours: 3,
        price_minor: 3200,
        currency: "GBP",
        stock: 250,
    },
    DemoEvent {
        title: "Berlin Techno Marathon",
        venue: "Kraftwerk, Berlin",
        time_zone: "Europe/Berlin",
        description: "Ten hours of techno across two floors of a former power station.",
        days_ahead: 33,
        start: (22, 0),
        hours: 10,
        price_minor: 3900,
        currency: "EUR",
        stock: 1500,
    },
    DemoEvent {
        title: "Nordic Folk Festival: Day Pass",
        venue: "Musikhuset, Aarhus",
        time_zone: "Europe/Copenhagen",
        description: "Fiddles, nyckelharpa and joik from eleven bands across the Nordic countries.",
        days_ahead: 70,
        start: (12, 0),
        hours: 10,
        price_minor: 5500,
        currency: "EUR",
        stock: 2000,
    },
    DemoEvent {
        title: "Shakespeare in the Round: The Tempest",
        venue: "Shakespeare's Globe, London",
        time_zone: "Europe/London",
        description: "A candle-lit production in the Sam Wanamaker Playhouse. Running time about three hours with one interval.",
        days_ahead: 15,
        start: (19, 30),
        hours: 3,
        price_minor: 2900,
        currency: "GBP",
        stock: 8,
    },
    DemoEvent {
        title: "Data Science Summit Amsterdam",
        venue: "Beurs van Berlage, Amsterdam",
        time_zone: "Europe/Amsterdam",
        description: "Practitioners on forecasting, causal inference and running models in production.",
        days_ahead: 50,
        start: (9, 0),
        hours: 8,
        price_minor: 24900,
        currency: "EUR",
        stock: 350,
    },
    DemoEvent {
        title: "Kids' Science Show: Fizz, Pop, Bang!",
        venue: "Science and Industry Museum, Manchester",
        time_zone: "Europe/London",
        description: "Explosive (and safe) chemistry for ages 6 to 12. Children must be accompanied.",
        days_ahead: 9,
        start: (11, 0),
        hours: 2,
        price_minor: 800,
        currency: "GBP",
        stock: 150,
    },
    DemoEvent {
        title: "Indie Vinyl Market and Live Sets",
        venue: "Custard Factory, Birmingham",
        time_zone: "Europe/London",
        description: "Forty independent record sellers, coffee and live sets from local bands all day.",
        days_ahead: 18,
        start: (10, 0),
        hours: 8,
        price_minor: 500,
        currency: "GBP",
        stock: 500,
    },
    DemoEvent {
        title: "New Year's Eve Rooftop Party",
        venue: "Sky Garden, London",
        time_zone: "Europe/London",
        description: "Countdown above the city with a live band, DJs and a view of the fireworks.",
        days_ahead: 37,
        start: (21, 0),
        hours: 5,
        price_minor: 8500,
        currency: "GBP",
        stock: 200,
    },
];

/// What the seed created or found, for the start-up banner.
#[derive(Debug)]
pub struct SeedReport {
    pub events_created: usize,
    pub covers_set: usize,
    pub orders_paid: usize,
}

/// Seeds the demo: accounts, events, their covers (into `covers`) and sales.
pub async fn seed_demo(db: &PgPool, covers: &CoverStore) -> BackendResult<SeedReport> {
    let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let admin = upsert_user(db, DEMO_ADMIN, "Avery Admin", &hash, "admin").await?;
    let organizer = upsert_user(
        db,
        DEMO_ORGANIZER,
        "Northern Lights Events",
        &hash,
        "organizer",
    )
    .await?;

    let mut tx = db.begin().await?;
    let has_application = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM organizer_applications WHERE user_id = $1) AS \"exists!\"",
        organizer
    )
    .fetch_one(&mut *tx)
    .await?;
    if !has_application {
        sqlx::query!(
            r#"INSERT INTO organizer_applications
                   (user_id, org_name, description, website, kind, status, decided_by, decided_at)
               VALUES ($1, 'Northern Lights Events', 'Concerts, comedy and conferences across the UK and Europe.',
                       'https://northernlights.example', 'company', 'approved', $2, now())"#,
            organizer,
            admin
        )
        .execute(&mut *tx)
        .await?;
    }

    let has_events = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM events WHERE organizer_id = $1) AS \"exists!\"",
        organizer
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut events_created = 0;
    if !has_events {
        let today = Utc::now().date_naive();
        for event in EVENTS {
            let starts_at = at(today, event);
            insert_event(&mut tx, organizer, event, starts_at, "published").await?;
            events_created += 1;
        }
        // A draft shows the organizer's view and must never reach the catalogue.
        let draft = DemoEvent {
            title: "Spring Gala (draft)",
            venue: "Assembly Rooms, Bath",
            time_zone: "Europe/London",
            description: "Still being planned.",
            days_ahead: 120,
            start: (19, 0),
            hours: 4,
            price_minor: 6000,
            currency: "GBP",
            stock: 180,
        };
        insert_event(&mut tx, organizer, &draft, at(today, &draft), "draft").await?;
    }
    tx.commit().await?;
    let (covers_set, orders_paid) = if events_created > 0 {
        demo_code(db, organizer).await?;
        (
            covers::set(db, covers, organizer).await?,
            sales::sell(db, &hash).await?,
        )
    } else {
        (0, 0)
    };
    Ok(SeedReport {
        events_created,
        covers_set,
        orders_paid,
    })
}

/// The demo code: `JAZZFRIENDS`, 10% off Jazz on the Quay
/// (`/events/{id}?code=jazzfriends`).
pub const DEMO_CODE: &str = "JAZZFRIENDS";

async fn demo_code(db: &PgPool, organizer: Uuid) -> BackendResult<()> {
    sqlx::query!(
        "WITH e AS (SELECT id FROM events WHERE organizer_id = $1 AND title = 'Jazz on the Quay'),
              c AS (INSERT INTO event_codes (event_id, code, percent_off, created_by)
                    SELECT id, $2, 10, $1 FROM e ON CONFLICT DO NOTHING RETURNING id, event_id)
         INSERT INTO event_code_types (code_id, ticket_type_id)
         SELECT c.id, t.id FROM c JOIN ticket_types t ON t.event_id = c.event_id",
        organizer,
        DEMO_CODE
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A demo event's ticket types beyond its first.
struct MoreTypes {
    first_name: &'static str,
    capacity: Option<i32>,
    types: &'static [ExtraType],
}

struct ExtraType {
    name: &'static str,
    price_minor: i64,
    quantity: i32,
    sale_ended: bool,
}

/// Some demo events show what several ticket types do: an early bird whose
/// sale has ended, a capacity shared by the types, a sold-out type, a free one.
/// (The ones the browser tests buy keep their single "Admission".)
fn more_types(title: &str) -> MoreTypes {
    let one = |first_name| MoreTypes {
        first_name,
        capacity: None,
        types: &[],
    };
    match title {
        "Rust Nation Conference 2027" => MoreTypes {
            first_name: "Regular",
            capacity: None,
            types: &[ExtraType {
                name: "Early bird",
                price_minor: 19900,
                quantity: 100,
                sale_ended: true,
            }],
        },
        "Midnight Orchestra: Winter Solstice Concert" => MoreTypes {
            first_name: "Stalls",
            // 800 stalls and 200 balcony seats, but the hall admits 900.
            capacity: Some(900),
            types: &[ExtraType {
                name: "Balcony",
                price_minor: 6500,
                quantity: 200,
                sale_ended: false,
            }],
        },
        "Silent Disco at the Natural History Museum" => MoreTypes {
            first_name: "Admission",
            capacity: None,
            types: &[ExtraType {
                name: "VIP with own headphones",
                price_minor: 4500,
                // Sold out by the demo's orders.
                quantity: 20,
                sale_ended: false,
            }],
        },
        "Nordic Folk Festival: Day Pass" => MoreTypes {
            first_name: "Adult",
            capacity: None,
            types: &[ExtraType {
                name: "Child (under 12)",
                price_minor: 0,
                quantity: 200,
                sale_ended: false,
            }],
        },
        _ => one("Admission"),
    }
}

/// When `event` starts: `days_ahead` of `today`, at `start` on the venue's clock.
/// Some demo events in the shop's other languages: (event, language, title,
/// description; empty: the English one shows). The rest show their English.
const TRANSLATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "Midnight Orchestra: Winter Solstice Concert",
        "de",
        "Mitternachtsorchester: Konzert zur Wintersonnenwende",
        "Ein Programm bei Kerzenlicht mit Sibelius, Arvo Pärt und nordischen Weihnachtsliedern, um die längste Nacht des Jahres zu begrüßen.",
    ),
    (
        "Midnight Orchestra: Winter Solstice Concert",
        "fr",
        "Orchestre de minuit\u{a0}: concert du solstice d’hiver",
        "Un programme aux chandelles avec Sibelius, Arvo Pärt et des chants de Noël nordiques pour accueillir la nuit la plus longue de l’année.",
    ),
    (
        "Berlin Techno Marathon",
        "de",
        "Berliner Techno-Marathon",
        "Zehn Stunden Techno auf zwei Etagen eines ehemaligen Kraftwerks.",
    ),
    (
        "Berlin Techno Marathon",
        "fr",
        "Marathon techno de Berlin",
        "Dix heures de techno sur deux étages d’une ancienne centrale électrique.",
    ),
    (
        "Kids' Science Show: Fizz, Pop, Bang!",
        "de",
        "Wissenschaftsshow für Kinder: Zisch, Plopp, Knall!",
        "",
    ),
];

fn at(today: chrono::NaiveDate, event: &DemoEvent) -> DateTime<Utc> {
    let (hour, minute) = event.start;
    let local = (today + Days::new(event.days_ahead))
        .and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    // Evening starts never fall in the hour clocks skip or repeat (at night).
    Tzdb.to_utc(event.time_zone, local)
        .unwrap_or_else(|_| local.and_utc())
}

async fn insert_event(
    tx: &mut sqlx::PgConnection,
    organizer: Uuid,
    event: &DemoEvent,
    starts_at: DateTime<Utc>,
    status: &str,
) -> BackendResult<()> {
    let ends_at = starts_at + TimeDelta::hours(event.hours);
    let sale_starts_at = Utc::now() - TimeDelta::days(1);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO events (organizer_id, title, description, venue, starts_at, ends_at, currency, status,
                               time_zone)
           VALUES ($1, $2, $3, $4, $5, $6, $7, ($8::text)::event_status, $9)
           RETURNING id"#,
        organizer,
        event.title,
        event.description,
        event.venue,
        starts_at,
        ends_at,
        event.currency,
        status,
        event.time_zone
    )
    .fetch_one(&mut *tx)
    .await?;
    let more = more_types(event.title);
    sqlx::query!(
        r#"INSERT INTO ticket_types (event_id, name, price_minor, quantity, sale_starts_at, sale_ends_at)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        id,
        more.first_name,
        event.price_minor,
        event.stock,
        sale_starts_at,
        starts_at
    )
    .execute(&mut *tx)
    .await?;
    for (position, extra) in more.types.iter().enumerate() {
        // An early bird's sale is already over; the others sell until the doors open.
        let (opens, closes) = if extra.sale_ended {
            (
                sale_starts_at - TimeDelta::days(30),
                Utc::now() - TimeDelta::hours(1),
            )
        } else {
            (sale_starts_at, starts_at)
        };
        sqlx::query!(
            r#"INSERT INTO ticket_types (event_id, name, price_minor, quantity, sale_starts_at,
                                         sale_ends_at, position)
               VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
            id,
            extra.name,
            extra.price_minor,
            extra.quantity,
            opens,
            closes,
            position as i32 + 1
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE events SET capacity = $2 WHERE id = $1",
        id,
        more.capacity
    )
    .execute(&mut *tx)
    .await?;
    for (_, locale, title, description) in TRANSLATIONS.iter().filter(|t| t.0 == event.title) {
        sqlx::query!(
            "INSERT INTO event_translations (event_id, locale, title, description)
             VALUES ($1, $2, $3, $4)",
            id,
            locale,
            title,
            description
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn upsert_user(
    db: &PgPool,
    email: &str,
    name: &str,
    password_hash: &str,
    role: &str,
) -> BackendResult<Uuid> {
    let id = sqlx::query_scalar!(
        // Demo accounts have verified addresses: they check out at once.
        r#"INSERT INTO users (email, name, password_hash, role, email_verified_at)
           VALUES ($1, $2, $3, ($4::text)::user_role, now())
           ON CONFLICT (email) DO UPDATE
             SET email_verified_at = coalesce(users.email_verified_at, now())
           RETURNING id"#,
        email,
        name,
        password_hash,
        role
    )
    .fetch_one(db)
    .await?;
    Ok(id)
}
