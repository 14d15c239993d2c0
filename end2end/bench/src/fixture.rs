//! Data the benches start from, inserted with SQL (never through the UI):
//! accounts share one password hash, computed once, because argon2 is slow on
//! purpose and 2,000 hashes would only measure the bench's own CPU.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sqlx::PgPool;
use uuid::Uuid;

use crate::BenchResult;

pub const PASSWORD: &str = "bench-password-1";

/// The shop's own cost (argon2id, m = 19 MiB, t = 2, p = 1), so signing in costs
/// the server what a real account costs.
pub fn password_hash() -> BenchResult<String> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(Uuid::new_v4().as_bytes()).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| e.to_string())?
        .to_string())
}

/// The fixture password hashed as cheaply as argon2id allows (8 KiB, one
/// pass): for runs that measure something other than sign-in, whose cost
/// (`password_hash`, the shop's own parameters) would drown it on two cores.
/// The server verifies a hash by the parameters written in it.
pub fn light_password_hash() -> BenchResult<String> {
    let params = Params::new(8, 1, 1, None).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(Uuid::new_v4().as_bytes()).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| e.to_string())?
        .to_string())
}

/// The email of buyer `i` (0-based).
pub fn buyer_email(i: usize) -> String {
    format!("buyer{i}@bench.example")
}

pub async fn organizer(db: &PgPool, hash: &str) -> BenchResult<Uuid> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role, email_verified_at)
         VALUES ('organizer@bench.example', 'Bench Organizer', $1, 'organizer', now()) RETURNING id",
    )
    .bind(hash)
    .fetch_one(db)
    .await?)
}

/// `count` buyer accounts in one statement.
pub async fn buyers(db: &PgPool, hash: &str, count: usize) -> BenchResult<()> {
    sqlx::query(
        "INSERT INTO users (email, name, password_hash, role, email_verified_at)
         SELECT 'buyer' || i || '@bench.example', 'Buyer ' || i, $1, 'buyer', now()
         FROM generate_series(0, $2 - 1) AS i",
    )
    .bind(hash)
    .bind(count as i32)
    .execute(db)
    .await?;
    Ok(())
}

/// The rushes' event: published, 30 days ahead, `seats` of capacity shared by
/// two types of 4/5 of that each, so the capacity, not either type, is what
/// sells out. Returns the event and its two types.
pub async fn on_sale_event(
    db: &PgPool,
    organizer: Uuid,
    title: &str,
    seats: i32,
) -> BenchResult<(Uuid, [Uuid; 2])> {
    let event = ticket(db, organizer, title, seats, "published", 30).await?;
    let types = two_types_sharing(db, event, seats * 4 / 5, seats).await?;
    Ok((event, types))
}

/// One listing: the event is `days_ahead` away, its sale opened yesterday.
/// Splits `event`'s seats over two ticket types sharing its capacity:
/// "Standing" (its first type) and a new "Seated", each of `quantity`, with the
/// event admitting `capacity` (less than the two together). Returns both types.
pub async fn two_types_sharing(
    db: &PgPool,
    event: Uuid,
    quantity: i32,
    capacity: i32,
) -> BenchResult<[Uuid; 2]> {
    sqlx::query("UPDATE ticket_types SET name = 'Standing', quantity = $2 WHERE id = $1")
        .bind(event)
        .bind(quantity)
        .execute(db)
        .await?;
    sqlx::query("UPDATE events SET capacity = $2 WHERE id = $1")
        .bind(event)
        .bind(capacity)
        .execute(db)
        .await?;
    let seated: Uuid = sqlx::query_scalar(
        "INSERT INTO ticket_types (event_id, name, price_minor, quantity, max_per_order, position,
                                   sale_starts_at, sale_ends_at)
         SELECT event_id, 'Seated', price_minor + 1000, $2, max_per_order, 1, sale_starts_at, sale_ends_at
         FROM ticket_types WHERE id = $1
         RETURNING id",
    )
    .bind(event)
    .bind(quantity)
    .fetch_one(db)
    .await?;
    Ok([event, seated])
}

pub async fn ticket(
    db: &PgPool,
    organizer: Uuid,
    title: &str,
    stock: i32,
    status: &str,
    days_ahead: i64,
) -> BenchResult<Uuid> {
    Ok(sqlx::query_scalar(
        "WITH e AS (
             INSERT INTO events (organizer_id, title, description, venue, starts_at, ends_at, currency, status)
             VALUES ($1, $2, 'An evening benchmarked to the last seat: doors at seven, music at eight.',
                     'Bench Hall, Manchester', now() + make_interval(days => $3::int),
                     now() + make_interval(days => $3::int, hours => 3), 'GBP', ($5::text)::event_status)
             RETURNING id
         )
         INSERT INTO ticket_types (id, event_id, name, price_minor, quantity, max_per_order,
                                   sale_starts_at, sale_ends_at)
         SELECT id, id, 'Admission', 4500, $4, 10, now() - interval '1 day',
                now() + make_interval(days => $3::int)
         FROM e
         RETURNING id",
    )
    .bind(organizer)
    .bind(title)
    .bind(days_ahead as i32)
    .bind(stock)
    .bind(status)
    .fetch_one(db)
    .await?)
}

/// The code part of a rush's crowd has.
pub const CODE: &str = "BENCHFANS";

/// [`CODE`] for `event`: 10% off both `types`, `uses` tickets in all.
pub async fn code(
    db: &PgPool,
    event: Uuid,
    types: &[Uuid],
    organizer: Uuid,
    uses: i32,
) -> BenchResult<Uuid> {
    let code: Uuid = sqlx::query_scalar(
        "INSERT INTO event_codes (event_id, code, percent_off, max_uses, created_by)
         VALUES ($1, $2, 10, $3, $4) RETURNING id",
    )
    .bind(event)
    .bind(CODE)
    .bind(uses)
    .bind(organizer)
    .fetch_one(db)
    .await?;
    sqlx::query(
        "INSERT INTO event_code_types (code_id, ticket_type_id) SELECT $1, unnest($2::uuid[])",
    )
    .bind(code)
    .bind(types)
    .execute(db)
    .await?;
    Ok(code)
}
