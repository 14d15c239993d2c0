//! SQL, one module per domain. Functions take a pool, connection or transaction.

pub mod applications;
pub mod catalogue;
pub mod door_staff;
pub mod events;
pub mod known_users;
pub mod replica;
pub mod stats;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::PgPool;

use crate::error::AppError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Opens the pool lazily: the server starts even while PostgreSQL is still
/// coming up, and requests fail clearly (then recover) until it is reachable.
/// A connection is not pinged before each use (sqlx's default): that was one
/// more round trip per query. A connection that died meanwhile fails its
/// query, which sqlx then closes, and the request answers "try again"; one
/// idle for a minute is pinged first, since that is when they die (a restart,
/// a balancer's idle timeout).
pub fn connect_lazy(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > Duration::from_secs(60) {
                    use sqlx::Connection;
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_lazy_with(options))
}

/// The name of the constraint a database error violated, if any: how user
/// errors are recognised (never by matching message text).
pub fn violated_constraint(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}

/// What a violated constraint means to whoever sent the data: the one place
/// these words live. The shop's own checks refuse such input first; this is
/// the answer when a constraint fires anyway (a race, a rule only the
/// database sees), applied wherever a database error reaches the user
/// (`From<BackendError> for AppError`). `None`: not the user's doing.
pub fn constraint_refusal(err: &sqlx::Error) -> Option<AppError> {
    let (field, message) = match violated_constraint(err)? {
        "users_email_key" => (
            Some("email"),
            "An account with this email already exists. Sign in instead?",
        ),
        "organizer_applications_one_pending" => {
            (None, "You already have an application waiting for review.")
        }
        "events_within_capacity" | "events_capacity_check" => (
            Some("capacity"),
            "The capacity cannot go below the tickets already sold or held.",
        ),
        "events_window_check" => (Some("ends_at"), "The event must end after it starts."),
        "ticket_types_no_oversell" | "ticket_types_quantity_check" => (
            Some("types"),
            "A ticket type's quantity cannot go below the tickets already sold or held.",
        ),
        "ticket_types_sale_window_check" => (
            Some("types"),
            "A ticket type's sale must close after it opens.",
        ),
        "events_cancelled_is_final" => (
            Some("status"),
            "This event was cancelled, so it can no longer be changed or published again.",
        ),
        "ticket_types_price_minor_check" => {
            (Some("types"), "A ticket type's price cannot be negative.")
        }
        _ => return None,
    };
    Some(AppError::Invalid {
        field: field.map(str::to_string),
        message: message.to_string(),
    })
}
