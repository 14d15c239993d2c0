//! Reserve: a cart's seats taken as a pending order, in one transaction or
//! not at all. The order and its lines are written first and the seats taken
//! last, in the lock order of [`stock`].

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::pending::{PendingOrder, ReservedLine, pending_for_user};
use super::stock;
use crate::backend::codes::{self, EventCodes};
use crate::backend::db;
use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;
use crate::model::price::{self, PriceError};
use crate::model::{Buyable, CheckoutRefusal, Currency, EventStatus, MAXIMUM_CHARGE, Money};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Seats were reserved just now.
    New(PendingOrder),
    /// The buyer already had a pending order: it is returned, nothing more is held.
    Existing(PendingOrder),
}

/// Reserves every line of the cart in one transaction, or none.
///
/// The order and its lines are written first and the seats taken last, in the
/// lock order of [`stock`]: each event's row (its capacity, when it has one),
/// then each type's row, every one a conditional UPDATE, so a row everyone
/// wants during an on-sale rush is locked only from its UPDATE to COMMIT, not
/// while the order is written, and two carts spanning the same events never
/// deadlock. The type's UPDATE also requires the price read beforehand, so the
/// price copied into the order is the one in force.
pub async fn reserve(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    hold: Duration,
) -> BackendResult<Reservation> {
    reserve_with(db, user, cart, hold, Seats::ForSale).await
}

/// Which seats a reservation may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seats {
    /// Those on sale: none of a type while people are on its waiting list.
    ForSale,
    /// Those that came back, for the next buyer on the waiting list.
    ForWaitingList,
}

/// [`reserve`], choosing which seats it may take.
pub async fn reserve_with(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    hold: Duration,
    seats: Seats,
) -> BackendResult<Reservation> {
    Ok(
        reserve_noting_the_last(db, user, cart, &EventCodes::new(), hold, seats)
            .await?
            .0,
    )
}

/// [`reserve`] with the codes the buyer gave per event (`codes`): the types
/// they cover are unlocked and discounted, and their uses counted with the seats.
pub async fn reserve_with_codes(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    codes: &EventCodes,
    hold: Duration,
) -> BackendResult<Reservation> {
    Ok(
        reserve_noting_the_last(db, user, cart, codes, hold, Seats::ForSale)
            .await?
            .0,
    )
}

/// [`reserve_with`], also saying whether these seats were the last of a
/// ticket type or of an event's capacity (the checkout then tells the
/// event's queue at once; otherwise the sweeper's refresh is soon enough).
pub async fn reserve_noting_the_last(
    db: &PgPool,
    user: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    codes: &EventCodes,
    hold: Duration,
    seats: Seats,
) -> BackendResult<(Reservation, bool)> {
    // Most buyers have no pending order: the order's insert finds one (a
    // unique index) instead of a query before every checkout. A buyer whose
    // cart cannot be bought gets their pending order back, if they have one.
    let for_waiting_list = seats == Seats::ForWaitingList;
    let priced = priced_lines(db, user, cart, codes, for_waiting_list)
        .await
        .and_then(|(lines, currency)| {
            let total =
                price::total(&currency, lines.iter().map(|l| &l.amount)).map_err(|err| {
                    AppError::Refused(match err {
                        PriceError::MixedCurrencies => CheckoutRefusal::MixedCurrencies,
                        PriceError::TooLarge => CheckoutRefusal::OverMaximumCharge {
                            most: currency.amount(MAXIMUM_CHARGE),
                        },
                    })
                })?;
            Ok((lines, currency, total))
        });
    let (lines, currency, total) = match priced {
        Ok(priced) => priced,
        Err(refused @ BackendError::User(_)) => {
            return match pending_for_user(db, user).await? {
                Some(existing) => Ok((Reservation::Existing(existing), false)),
                None => Err(refused),
            };
        }
        Err(err) => return Err(err),
    };
    let created_at = Utc::now();
    let reserved_until = created_at + TimeDelta::from_std(hold).unwrap_or(TimeDelta::minutes(30));
    let mut tx = db.begin().await?;
    let order = NewOrder {
        user,
        total: &total,
        reserved_until,
        created_at,
        lines: &lines,
    };
    let id = match insert_order(&mut tx, &order).await {
        Ok(id) => id,
        // A concurrent checkout by the same buyer won: drop ours, return theirs.
        Err(err) if db::violated_constraint(&err) == Some("orders_one_pending_per_user") => {
            drop(tx);
            return pending_for_user(db, user)
                .await?
                .map(|order| (Reservation::Existing(order), false))
                .ok_or_else(|| BackendError::Database(err));
        }
        Err(err) => return Err(err.into()),
    };
    let the_last = take_seats(&mut tx, &lines, &currency, for_waiting_list).await?;
    tx.commit().await?;
    let order = PendingOrder {
        id,
        created_at,
        total,
        reserved_until,
        stripe_session_id: None,
        stripe_session_url: None,
        lines,
    };
    Ok((Reservation::New(order), the_last))
}

/// A pending order about to be written.
struct NewOrder<'a> {
    user: Uuid,
    total: &'a Money,
    reserved_until: DateTime<Utc>,
    created_at: DateTime<Utc>,
    lines: &'a [ReservedLine],
}

/// Writes the order and its lines (each with the cancellation policy the
/// buyer buys under); returns its id.
async fn insert_order(conn: &mut PgConnection, order: &NewOrder<'_>) -> sqlx::Result<Uuid> {
    let lines = order.lines;
    let type_ids: Vec<Uuid> = lines.iter().map(|l| l.ticket_type_id).collect();
    let quantities: Vec<i32> = lines.iter().map(|l| l.quantity).collect();
    let prices: Vec<i64> = lines.iter().map(|l| l.ticket_price.minor).collect();
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount.minor).collect();
    let codes: Vec<Option<Uuid>> = lines.iter().map(|l| l.code).collect();
    let discounts: Vec<i64> = lines.iter().map(|l| l.discount.minor).collect();
    sqlx::query_scalar!(
        r#"WITH new_order AS (
               INSERT INTO orders (user_id, total_minor, currency, reserved_until, created_at)
               VALUES ($1, $2, $3, $4, $8) RETURNING id
           ), new_items AS (
               INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor,
                                        currency, cancel_hours, cancel_fee_percent, code_id, discount_minor)
               SELECT new_order.id, line.type_id, line.quantity, line.price, line.amount, $3,
                      e.buyer_cancel_hours, e.buyer_cancel_fee_percent, line.code_id, line.discount
               FROM new_order, unnest($5::uuid[], $6::int[], $7::bigint[], $9::bigint[], $10::uuid[], $11::bigint[])
                    AS line(type_id, quantity, price, amount, code_id, discount)
               JOIN ticket_types t ON t.id = line.type_id JOIN events e ON e.id = t.event_id
           )
           SELECT id AS "id!" FROM new_order"#,
        order.user,
        order.total.minor,
        order.total.currency.code(),
        order.reserved_until,
        &type_ids,
        &quantities,
        &prices,
        order.created_at,
        &amounts,
        &codes as &[Option<Uuid>],
        &discounts
    )
    .fetch_one(conn)
    .await
}

/// Takes the lines' seats in the lock order of [`stock`]: each event's row,
/// then each type's, every one a conditional UPDATE; the first that cannot
/// take them is refused with the reason. True when they were the last of an
/// event's capacity or of a type.
async fn take_seats(
    tx: &mut PgConnection,
    lines: &[ReservedLine],
    currency: &Currency,
    for_waiting_list: bool,
) -> BackendResult<bool> {
    let mut the_last = false;
    let per_event = stock::seats_per_event(lines.iter().map(|l| (l.event_id, l.quantity)));
    for (event, seats) in &per_event {
        let taken = sqlx::query_scalar!(
            r#"UPDATE events SET reserved = reserved + $2
               WHERE id = $1 AND status = 'published' AND currency = $3
                 AND (capacity IS NULL OR capacity - reserved - sold >= $2)
                 AND NOT EXISTS (SELECT 1 FROM users u
                                 WHERE u.id = events.organizer_id AND u.suspended_at IS NOT NULL)
               RETURNING capacity IS NOT NULL AND capacity - reserved - sold = 0 AS "the_last!""#,
            event,
            seats,
            currency.code()
        )
        .fetch_optional(&mut *tx)
        .await?;
        match taken {
            Some(last) => the_last |= last,
            None => {
                let line = lines
                    .iter()
                    .find(|l| l.event_id == *event)
                    .unwrap_or(&lines[0]);
                let refusal = explain_refusal(tx, line, currency).await?;
                return Err(AppError::Refused(refusal).into());
            }
        }
    }
    for line in lines {
        let taken = sqlx::query_scalar!(
            r#"UPDATE ticket_types SET reserved = reserved + $2
               WHERE id = $1 AND now() >= sale_starts_at AND now() < sale_ends_at
                 AND $2 <= max_per_order AND quantity - reserved - sold >= $2
                 AND price_minor = $3 AND (waiting = 0 OR $4) AND (NOT type_hidden(ticket_types) OR $5)
               RETURNING quantity - reserved - sold = 0 AS "the_last!""#,
            line.ticket_type_id,
            line.quantity,
            line.ticket_price.minor,
            for_waiting_list,
            line.code.is_some()
        )
        .fetch_optional(&mut *tx)
        .await?;
        match taken {
            Some(last) => the_last |= last,
            None => {
                let refusal = explain_refusal(tx, line, currency).await?;
                return Err(AppError::Refused(refusal).into());
            }
        }
    }
    let wanted = lines
        .iter()
        .map(|l| (l.ticket_type_id, l.quantity, l.title.as_str()));
    if let Some(refusal) = stock::over_quotas(tx, wanted).await? {
        return Err(AppError::Refused(refusal).into());
    }
    // Then each code's uses (one a ticket), last in the lock order
    // (`stock`); refused in the same words for every reason.
    for (code, uses) in stock::uses_per_code(lines.iter().map(|l| (l.code, l.quantity))) {
        let taken = sqlx::query_scalar!(
            r#"UPDATE event_codes SET used = used + $2
               WHERE id = $1 AND disabled_at IS NULL
                 AND (valid_from IS NULL OR valid_from <= now())
                 AND (valid_until IS NULL OR now() < valid_until)
                 AND (max_uses IS NULL OR max_uses - used >= $2)
               RETURNING code"#,
            code,
            uses
        )
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_none() {
            let code = sqlx::query_scalar!("SELECT code FROM event_codes WHERE id = $1", code)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or_default();
            return Err(AppError::Refused(CheckoutRefusal::CodeNotAccepted { code }).into());
        }
    }
    Ok(the_last)
}

/// The cart's lines with their current titles (in the buyer's language where
/// the organizer gave one) and prices (read without locks;
/// `reserve` takes the seats only at these prices), in ticket-type order, and
/// their one currency. A line that cannot be bought as things stand (sold out,
/// sale closed, more than one buyer may hold, ...) is refused here, before any
/// transaction: after a sell-out most checkouts of a rush end here, cheaply.
/// Seats this read shows as free are still only taken by the conditional UPDATE.
async fn priced_lines(
    db: &PgPool,
    buyer: Uuid,
    cart: &BTreeMap<Uuid, i64>,
    codes: &EventCodes,
    for_waiting_list: bool,
) -> BackendResult<(Vec<ReservedLine>, Currency)> {
    if cart.is_empty() {
        return Err(AppError::Refused(CheckoutRefusal::EmptyCart).into());
    }
    let ids: Vec<Uuid> = cart.keys().copied().collect();
    let rows = sqlx::query!(
        r#"SELECT t.id, t.event_id,
                  event_title(e.id, e.title, (SELECT b.locale FROM users b WHERE b.id = $3)) || ' · ' || t.name AS "title!",
                  t.price_minor,
                  e.currency AS "currency!: Currency", e.status AS "status: EventStatus",
                  u.suspended_at IS NOT NULL AS "paused!",
                  t.sale_starts_at, t.sale_ends_at, t.max_per_order, type_hidden(t) AS "hidden!",
                  coalesce(e.queue_enabled AND e.presale_ends_at > now(), false) AS "presale!",
                  CASE WHEN $2 THEN LEAST(t.quantity - t.reserved - t.sold,
                                          COALESCE(e.capacity - e.reserved - e.sold - quota_seats(t.event_id, t.id),
                                                   t.quantity - t.reserved - t.sold))
                       ELSE tickets_left(t, e) END AS "available!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id JOIN users u ON u.id = e.organizer_id
           WHERE t.id = ANY($1) ORDER BY t.id"#,
        &ids,
        for_waiting_list,
        buyer
    )
    .fetch_all(db)
    .await?;
    if rows.len() != cart.len() {
        return Err(AppError::Refused(CheckoutRefusal::NoLongerExists).into());
    }
    // The codes given for the cart's events: each must be usable, and a
    // hidden type is bought only with a code that covers it.
    let in_cart: EventCodes = codes
        .iter()
        .filter(|(event, _)| rows.iter().any(|r| r.event_id == **event))
        .map(|(event, code)| (*event, code.clone()))
        .collect();
    let offers = codes::usable(db, &in_cart).await?;
    if let Some((_, code)) = in_cart
        .iter()
        .find(|(event, _)| !offers.contains_key(event))
    {
        return Err(
            AppError::Refused(CheckoutRefusal::CodeNotAccepted { code: code.clone() }).into(),
        );
    }
    let offer_for = |event: Uuid, ticket_type: Uuid| {
        offers
            .get(&event)
            .filter(|offer| offer.ticket_types.contains(&ticket_type))
    };
    if let Some(row) = rows
        .iter()
        .find(|row| row.hidden && offer_for(row.event_id, row.id).is_none())
    {
        return Err(AppError::Refused(CheckoutRefusal::NotOnSale {
            title: row.title.clone(),
        })
        .into());
    }
    // A presale lets code holders through first: what they buy then is what
    // their code covers (and counts), so one code shared widely sells no more
    // than its uses. A waiting-list offer was earned in the queue already.
    if let Some(row) = rows
        .iter()
        .find(|row| row.presale && !for_waiting_list && offer_for(row.event_id, row.id).is_none())
    {
        return Err(AppError::Refused(CheckoutRefusal::PresaleOnly {
            title: row.title.clone(),
        })
        .into());
    }
    // Uses are tickets: a cheap look before the transaction, whose
    // conditional UPDATE decides.
    let wanted: BTreeMap<Uuid, i64> = offers
        .values()
        .map(|offer| {
            let tickets = rows
                .iter()
                .filter(|row| offer.ticket_types.contains(&row.id))
                .map(|row| cart[&row.id])
                .sum();
            (offer.id, tickets)
        })
        .collect();
    if let Some(offer) = offers.values().find(|o| {
        o.uses_left
            .is_some_and(|left| i64::from(left) < wanted[&o.id])
    }) {
        return Err(AppError::Refused(CheckoutRefusal::CodeNotAccepted {
            code: offer.code.clone(),
        })
        .into());
    }
    if let Some(offer) = codes::over_buyer_limit(db, buyer, offers.values(), &wanted).await? {
        return Err(AppError::Refused(CheckoutRefusal::CodeUsedUpByBuyer {
            code: offer.code.clone(),
            most: offer.max_per_buyer.unwrap_or_default(),
        })
        .into());
    }
    let now = Utc::now();
    if let Some(problem) = rows.iter().find_map(|row| {
        Buyable {
            title: &row.title,
            status: row.status,
            paused: row.paused,
            sale_starts_at: row.sale_starts_at,
            sale_ends_at: row.sale_ends_at,
            available: row.available,
            max_per_order: row.max_per_order,
        }
        .problem(cart[&row.id], now)
    }) {
        return Err(AppError::Refused(problem).into());
    }
    // The per-order maximum is also what one buyer may hold of a listing across
    // all their orders, as box offices cap it: no renewing holds or buying again
    // to hoard. Racing checkouts of one buyer cannot both pass, since a buyer has
    // at most one pending order (`orders_one_pending_per_user`).
    let held: BTreeMap<Uuid, i64> = sqlx::query!(
        r#"SELECT i.ticket_type_id, sum(i.quantity)::bigint AS "seats!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.user_id = $1 AND o.status IN ('pending', 'paid') AND i.ticket_type_id = ANY($2)
           GROUP BY i.ticket_type_id"#,
        buyer,
        &ids
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.ticket_type_id, r.seats))
    .collect();
    if let Some(refusal) = rows.iter().find_map(|row| {
        let have = held.get(&row.id).copied().unwrap_or(0);
        per_buyer_cap(&row.title, have, cart[&row.id], row.max_per_order)
    }) {
        return Err(AppError::Refused(refusal).into());
    }
    let currency = rows[0].currency.clone();
    if rows.iter().any(|row| row.currency != currency) {
        return Err(AppError::Refused(CheckoutRefusal::MixedCurrencies).into());
    }
    let lines = rows
        .into_iter()
        .map(|row| {
            let ticket_price = row.currency.amount(row.price_minor);
            let offer = offer_for(row.event_id, row.id);
            let discount = offer.map_or_else(
                || row.currency.amount(0),
                |offer| price::off(&ticket_price, offer.discount),
            );
            let line = ReservedLine {
                quantity: i32::try_from(cart[&row.id]).unwrap_or(i32::MAX),
                ticket_type_id: row.id,
                event_id: row.event_id,
                title: row.title,
                amount: row.currency.amount(0),
                code: offer.map(|offer| offer.id),
                discount,
                ticket_price,
            };
            ReservedLine {
                amount: price::line(&line.charged(), cart[&line.ticket_type_id]),
                ..line
            }
        })
        .collect();
    Ok((lines, currency))
}

/// Why a buyer who already holds `have` seats of a listing may not add `want`
/// more, if they may not.
pub fn per_buyer_cap(title: &str, have: i64, want: i64, max: i32) -> Option<CheckoutRefusal> {
    let max = i64::from(max);
    let title = title.to_string();
    if have + want <= max {
        None
    } else if have >= max {
        Some(CheckoutRefusal::BuyerHoldsMaximum { title, have })
    } else {
        Some(CheckoutRefusal::BuyerMayAdd {
            title,
            have,
            max,
            more: max - have,
        })
    }
}

/// Why `line` could not be reserved.
async fn explain_refusal(
    conn: &mut PgConnection,
    line: &ReservedLine,
    currency: &Currency,
) -> BackendResult<CheckoutRefusal> {
    let row = sqlx::query!(
        r#"SELECT e.status AS "status: EventStatus", u.suspended_at IS NOT NULL AS "paused!",
                  t.sale_starts_at, t.sale_ends_at, t.max_per_order, t.price_minor,
                  type_hidden(t) AS "hidden!",
                  e.currency AS "currency!: Currency",
                  tickets_left(t, e) AS "available!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id JOIN users u ON u.id = e.organizer_id
           WHERE t.id = $1"#,
        line.ticket_type_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => CheckoutRefusal::NoLongerExists,
        Some(r) if r.hidden && line.code.is_none() => CheckoutRefusal::NotOnSale {
            title: line.title.clone(),
        },
        Some(r) => Buyable {
            title: &line.title,
            status: r.status,
            paused: r.paused,
            sale_starts_at: r.sale_starts_at,
            sale_ends_at: r.sale_ends_at,
            available: r.available,
            max_per_order: r.max_per_order,
        }
        .problem(i64::from(line.quantity), Utc::now())
        .unwrap_or_else(|| {
            if r.currency.amount(r.price_minor) != line.ticket_price || &r.currency != currency {
                CheckoutRefusal::PriceChanged {
                    title: line.title.clone(),
                }
            } else {
                CheckoutRefusal::TryAgain {
                    title: line.title.clone(),
                }
            }
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_buyer_holds_at_most_the_per_order_maximum() {
        assert_eq!(per_buyer_cap("Gig", 0, 4, 4), None);
        assert_eq!(per_buyer_cap("Gig", 2, 2, 4), None);
        let may_add = per_buyer_cap("Gig", 3, 2, 4).unwrap();
        assert_eq!(
            may_add,
            CheckoutRefusal::BuyerMayAdd {
                title: "Gig".into(),
                have: 3,
                max: 4,
                more: 1
            }
        );
        assert_eq!(
            may_add.to_string(),
            "You already have 3 tickets for Gig; one buyer may hold 4, so you can add 1 more."
        );
        let full = per_buyer_cap("Gig", 4, 1, 4).unwrap();
        assert_eq!(
            full,
            CheckoutRefusal::BuyerHoldsMaximum {
                title: "Gig".into(),
                have: 4
            }
        );
        assert_eq!(
            full.to_string(),
            "You already have 4 tickets for Gig, the most one buyer may hold."
        );
    }
}
