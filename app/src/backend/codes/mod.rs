//! Codes an organizer gives out for one event (issue 30): each covers some of
//! the event's ticket types, unlocks those that are hidden, and may take
//! something off each of their tickets ([`Discount`]). A use is one ticket
//! bought with the code; uses are counted in `event_codes.used` by the
//! reservation that takes the seats (`orders::reserve`) and given back with
//! them when a hold ends unpaid (`orders::stock`).
//!
//! To a buyer a code is usable or not: unknown, disabled, not yet or no
//! longer valid and used up all read the same ([`usable`] leaves them out).

pub mod manage;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::auth::SessionUser;
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::model::price::Discount;
use crate::model::{MAXIMUM_CHARGE, Role};

/// Random codes: [`RANDOM_LEN`] of these 31 symbols (no 0/O, 1/I/L), about
/// 59 bits, so guessing one is hopeless even before rate limits.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const RANDOM_LEN: usize = 12;
/// Codes one bulk request may make.
pub const MAX_BULK: u32 = 5_000;

/// The code each event of a cart is bought with: event id → normalized code.
pub type EventCodes = BTreeMap<Uuid, String>;

/// What an organizer asks for, for one code or a batch.
#[derive(Debug, Clone, Default)]
pub struct NewCode {
    pub discount: Discount,
    pub max_uses: Option<i32>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// The types it covers: at least one, all of the event.
    pub ticket_types: Vec<Uuid>,
    /// Tickets one buyer may take with it, across their orders.
    pub max_per_buyer: Option<i32>,
    /// A refunded ticket's use comes back to the code.
    pub refund_gives_use_back: bool,
}

/// A usable code as a checkout sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeOffer {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: String,
    pub discount: Discount,
    pub ticket_types: Vec<Uuid>,
    /// `None`: no limit.
    pub uses_left: Option<i32>,
    /// Tickets one buyer may take with it; `None`: no limit.
    pub max_per_buyer: Option<i32>,
}

/// As buyers type it: spaces and dashes dropped, capitals; `None` unless 4 to
/// 32 letters and digits remain.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    ((4..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(code)
}

/// What a code an organizer chooses must be (shorter ones are guessed).
pub const ORGANIZERS_CODE: &str = "A code is 6 to 32 letters and digits.";

/// A code an organizer typed, normalized: at least 6 symbols.
pub fn organizers(typed: &str) -> Option<String> {
    normalize(typed).filter(|code| code.len() >= 6)
}

/// A new random code from [`ALPHABET`].
pub fn random_code() -> String {
    let mut rng = rand::rng();
    (0..RANDOM_LEN)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid {
        field: Some(field.to_string()),
        message: message.to_string(),
    }
}

/// Checks what the organizer asked for and that they manage the event (else
/// not found, as for no event).
async fn check(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    spec: &NewCode,
) -> BackendResult<Vec<Uuid>> {
    let manages = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)) AS "manages!""#,
        event,
        organizer.id,
        organizer.role == Role::Admin
    )
    .fetch_one(db)
    .await?;
    if !manages {
        return Err(AppError::NotFound.into());
    }
    match spec.discount {
        Discount::Percent(p) if !(1..=100).contains(&p) => {
            return Err(invalid("discount", "A percentage off must be between 1 and 100.").into());
        }
        Discount::Fixed(a) if !(1..=MAXIMUM_CHARGE).contains(&a) => {
            return Err(invalid("discount", "An amount off must be above zero.").into());
        }
        _ => {}
    }
    if spec.max_uses.is_some_and(|m| m < 1) {
        return Err(invalid("max_uses", "A code must be usable at least once.").into());
    }
    if spec.max_per_buyer.is_some_and(|m| m < 1) {
        return Err(invalid(
            "max_per_buyer",
            "A buyer must be able to use a code at least once.",
        )
        .into());
    }
    if let (Some(from), Some(until)) = (spec.valid_from, spec.valid_until)
        && until <= from
    {
        return Err(invalid(
            "valid_until",
            "A code must stop being valid after it starts.",
        )
        .into());
    }
    let mut types = spec.ticket_types.clone();
    types.sort();
    types.dedup();
    let of_event = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM ticket_types WHERE event_id = $1 AND id = ANY($2)"#,
        event,
        &types
    )
    .fetch_one(db)
    .await?;
    if types.is_empty() || of_event != types.len() as i64 {
        return Err(invalid(
            "ticket_types",
            "Choose the event's ticket types the code is for.",
        )
        .into());
    }
    Ok(types)
}

fn columns(discount: Discount) -> (Option<i32>, Option<i64>) {
    match discount {
        Discount::None => (None, None),
        Discount::Percent(p) => (Some(p), None),
        Discount::Fixed(a) => (None, Some(a)),
    }
}

/// One code the organizer chose (`typed`, normalized); refused when the event
/// already has it.
pub async fn create(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    typed: &str,
    spec: &NewCode,
) -> BackendResult<Uuid> {
    let code = organizers(typed).ok_or_else(|| invalid("code", ORGANIZERS_CODE))?;
    let made = insert(db, organizer, event, &[code], spec).await?;
    made.into_iter()
        .next()
        .map(|(id, _)| id)
        .ok_or_else(|| invalid("code", "This event already has that code.").into())
}

/// `count` random codes (1 to [`MAX_BULK`]), all alike but for the code.
pub async fn create_bulk(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    count: u32,
    spec: &NewCode,
) -> BackendResult<Vec<String>> {
    if !(1..=MAX_BULK).contains(&count) {
        return Err(invalid("count", "Make between 1 and 5,000 codes at a time.").into());
    }
    let mut made = Vec::with_capacity(count as usize);
    // A code the event already has (59 bits: all but never) is left out by
    // the insert and made again.
    while made.len() < count as usize {
        let wanted: Vec<String> = (made.len()..count as usize)
            .map(|_| random_code())
            .collect();
        made.extend(
            insert(db, organizer, event, &wanted, spec)
                .await?
                .into_iter()
                .map(|(_, code)| code),
        );
    }
    Ok(made)
}

/// Inserts the codes not yet of the event, each covering the checked types.
pub(super) async fn insert(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    codes: &[String],
    spec: &NewCode,
) -> BackendResult<Vec<(Uuid, String)>> {
    let types = check(db, organizer, event, spec).await?;
    let (percent_off, amount_off_minor) = columns(spec.discount);
    let rows = sqlx::query!(
        r#"WITH made AS (
               INSERT INTO event_codes (event_id, code, percent_off, amount_off_minor, max_uses,
                                        valid_from, valid_until, created_by, max_uses_per_buyer,
                                        refund_gives_use_back)
               SELECT $1, c, $3, $4, $5, $6, $7, $8, $10, $11 FROM unnest($2::text[]) AS c
               ON CONFLICT (event_id, code) DO NOTHING
               RETURNING id, code
           ), covered AS (
               INSERT INTO event_code_types (code_id, ticket_type_id)
               SELECT made.id, t FROM made, unnest($9::uuid[]) AS t
           )
           SELECT id AS "id!", code AS "code!" FROM made"#,
        event,
        codes,
        percent_off,
        amount_off_minor,
        spec.max_uses,
        spec.valid_from,
        spec.valid_until,
        organizer.id,
        &types,
        spec.max_per_buyer,
        spec.refund_gives_use_back
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.code)).collect())
}

/// The usable codes among `codes` (enabled, within their window, with uses
/// left), by event. Anything else is simply absent.
pub async fn usable(db: &PgPool, codes: &EventCodes) -> BackendResult<BTreeMap<Uuid, CodeOffer>> {
    if codes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let (events, typed): (Vec<Uuid>, Vec<String>) =
        codes.iter().map(|(e, c)| (*e, c.clone())).unzip();
    let rows = sqlx::query!(
        r#"SELECT c.id, c.event_id, c.code, c.percent_off, c.amount_off_minor,
                  c.max_uses - c.used AS uses_left, c.max_uses_per_buyer,
                  array_agg(ct.ticket_type_id ORDER BY ct.ticket_type_id) AS "ticket_types!"
           FROM unnest($1::uuid[], $2::text[]) AS wanted(event_id, code)
           JOIN event_codes c ON c.event_id = wanted.event_id AND c.code = wanted.code
           JOIN event_code_types ct ON ct.code_id = c.id
           WHERE c.disabled_at IS NULL
             AND (c.valid_from IS NULL OR c.valid_from <= now())
             AND (c.valid_until IS NULL OR now() < c.valid_until)
             AND (c.max_uses IS NULL OR c.used < c.max_uses)
           GROUP BY c.id"#,
        &events,
        &typed
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.event_id,
                CodeOffer {
                    id: r.id,
                    event_id: r.event_id,
                    code: r.code,
                    discount: Discount::from_columns(r.percent_off, r.amount_off_minor),
                    ticket_types: r.ticket_types,
                    uses_left: r.uses_left,
                    max_per_buyer: r.max_uses_per_buyer,
                },
            )
        })
        .collect())
}

/// The first of `offers` under which `buyer` would take more tickets than
/// the code allows one buyer (`wanted`: tickets per code id this checkout
/// takes), counting their pending and paid orders. One look before the
/// transaction is enough: a buyer has at most one pending order
/// (`orders_one_pending_per_user`), so their checkouts cannot race.
pub async fn over_buyer_limit<'o>(
    db: &PgPool,
    buyer: Uuid,
    offers: impl IntoIterator<Item = &'o CodeOffer>,
    wanted: &BTreeMap<Uuid, i64>,
) -> BackendResult<Option<&'o CodeOffer>> {
    let limited: Vec<&CodeOffer> = offers
        .into_iter()
        .filter(|o| o.max_per_buyer.is_some())
        .collect();
    if limited.is_empty() {
        return Ok(None);
    }
    let ids: Vec<Uuid> = limited.iter().map(|o| o.id).collect();
    let taken: BTreeMap<Uuid, i64> = sqlx::query!(
        r#"SELECT i.code_id AS "code!", sum(i.quantity)::bigint AS "tickets!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.user_id = $1 AND o.status IN ('pending', 'paid') AND i.code_id = ANY($2)
           GROUP BY i.code_id"#,
        buyer,
        &ids
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.code, r.tickets))
    .collect();
    Ok(limited.into_iter().find(|o| {
        let have = taken.get(&o.id).copied().unwrap_or(0);
        let more = wanted.get(&o.id).copied().unwrap_or(0);
        more > 0
            && o.max_per_buyer
                .is_some_and(|most| have + more > i64::from(most))
    }))
}

/// In a refund's transaction (after its seats moved): the refunded tickets'
/// uses go back to the codes whose organizer chose so.
pub async fn give_back_on_refund(
    conn: &mut sqlx::PgConnection,
    tickets: &[Uuid],
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE event_codes c SET used = c.used - x.n
         FROM (SELECT i.code_id, count(*)::int AS n
               FROM tickets p JOIN order_items i
                 ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
               WHERE p.id = ANY($1) AND i.code_id IS NOT NULL
               GROUP BY i.code_id) x
         WHERE c.id = x.code_id AND c.refund_gives_use_back",
        tickets
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// No more uses from now on (those held and sold stay counted). False when
/// it is not one of `event`'s codes or the organizer does not manage it.
pub async fn disable(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    code: Uuid,
) -> BackendResult<bool> {
    Ok(sqlx::query!(
        "UPDATE event_codes c SET disabled_at = COALESCE(disabled_at, now())
         FROM events e WHERE c.id = $1 AND c.event_id = $4 AND e.id = c.event_id
           AND may_manage(e.organizer_id, $2, $3)",
        code,
        organizer.id,
        organizer.role == Role::Admin,
        event
    )
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_read_as_buyers_type_it() {
        assert_eq!(normalize(" ab-cd 12 ").as_deref(), Some("ABCD12"));
        assert_eq!(normalize("fan-club-2026").as_deref(), Some("FANCLUB2026"));
        assert_eq!(normalize("abc"), None, "too short");
        assert_eq!(normalize(&"A".repeat(33)), None, "too long");
        assert_eq!(normalize("café1234"), None, "letters and digits only");
        assert_eq!(normalize("a'--1234"), None);
    }

    #[test]
    fn random_codes_use_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let code = random_code();
            assert_eq!(code.len(), RANDOM_LEN);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
            assert_eq!(normalize(&code).as_deref(), Some(code.as_str()));
        }
    }
}
