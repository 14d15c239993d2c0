//! The seat counters an order moves, and the one order their row locks are
//! taken in: the order row first, then the events' rows by event id, then the
//! ticket types' rows by type id, then the codes' rows (`event_codes`, their
//! uses) by code id. Every transaction that touches stock follows it, so two
//! of them (two carts spanning the same events, a payment racing the sweeper)
//! queue up and never deadlock.
//!
//! Each ticket type keeps `reserved + sold <= quantity`, each event with a
//! capacity `reserved + sold <= capacity` (CHECK constraints); the event's
//! counters are the sums over its types, moved in the same transactions.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::model::{CheckoutRefusal, Currency, Money, OrderStatus};

/// One line of an order as stock sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLine {
    pub ticket_type: Uuid,
    pub event: Uuid,
    pub quantity: i32,
    /// The code the line was bought with: its uses move with the seats.
    pub code: Option<Uuid>,
}

/// The order's lines in ticket-type order.
pub async fn lines(conn: &mut PgConnection, order: Uuid) -> BackendResult<Vec<StockLine>> {
    Ok(sqlx::query_as!(
        StockLine,
        r#"SELECT i.ticket_type_id AS ticket_type, t.event_id AS event, i.quantity, i.code_id AS code
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           WHERE i.order_id = $1 ORDER BY i.ticket_type_id"#,
        order
    )
    .fetch_all(conn)
    .await?)
}

/// Seats per event, in event-id order (the lock order), from (event, seats) pairs.
pub fn seats_per_event(lines: impl IntoIterator<Item = (Uuid, i32)>) -> BTreeMap<Uuid, i32> {
    let mut events = BTreeMap::new();
    for (event, quantity) in lines {
        *events.entry(event).or_insert(0) += quantity;
    }
    events
}

/// Uses per code, in code-id order (the lock order), from (code, tickets) pairs.
pub fn uses_per_code(lines: impl IntoIterator<Item = (Option<Uuid>, i32)>) -> BTreeMap<Uuid, i32> {
    let mut codes = BTreeMap::new();
    for (code, quantity) in lines {
        if let Some(code) = code {
            *codes.entry(code).or_insert(0) += quantity;
        }
    }
    codes
}

fn per_code(lines: &[StockLine]) -> BTreeMap<Uuid, i32> {
    uses_per_code(lines.iter().map(|l| (l.code, l.quantity)))
}

fn per_event(lines: &[StockLine]) -> BTreeMap<Uuid, i32> {
    seats_per_event(lines.iter().map(|l| (l.event, l.quantity)))
}

fn by_type(lines: &[StockLine]) -> Vec<StockLine> {
    let mut sorted = lines.to_vec();
    sorted.sort_by_key(|l| l.ticket_type);
    sorted
}

/// How seats that are already counted move between the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// Held seats go back on sale (an expired or cancelled order).
    Release,
    /// Held seats become sold (a paid or free order).
    Sell,
    /// Sold seats go back on sale (a refund).
    Unsell,
}

impl Shift {
    /// (change to `reserved`, change to `sold`) per seat.
    fn deltas(self) -> (i32, i32) {
        match self {
            Self::Release => (-1, 0),
            Self::Sell => (-1, 1),
            Self::Unsell => (0, -1),
        }
    }

    /// Change to a code's uses per seat: a hold that ends unpaid gives its
    /// uses back; a sale keeps them (and a refund, for now).
    fn code_uses(self) -> i32 {
        match self {
            Self::Release => -1,
            Self::Sell | Self::Unsell => 0,
        }
    }
}

/// Moves already-counted seats; never refused (the constraints only guard
/// growth, and these counts were taken before).
pub async fn shift(conn: &mut PgConnection, lines: &[StockLine], how: Shift) -> BackendResult<()> {
    let (held, sold) = how.deltas();
    for (event, quantity) in per_event(lines) {
        sqlx::query!(
            "UPDATE events SET reserved = reserved + $2, sold = sold + $3 WHERE id = $1",
            event,
            held * quantity,
            sold * quantity
        )
        .execute(&mut *conn)
        .await?;
    }
    for line in by_type(lines) {
        sqlx::query!(
            "UPDATE ticket_types SET reserved = reserved + $2, sold = sold + $3 WHERE id = $1",
            line.ticket_type,
            held * line.quantity,
            sold * line.quantity
        )
        .execute(&mut *conn)
        .await?;
    }
    let uses = how.code_uses();
    if uses != 0 {
        for (code, quantity) in per_code(lines) {
            sqlx::query!(
                "UPDATE event_codes SET used = used + $2 WHERE id = $1",
                code,
                uses * quantity
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Sells the seats of an order whose hold was released, if they are all still
/// free (a payment that arrived late). False, having changed nothing the
/// caller's savepoint cannot undo, when one type or the event's capacity has
/// no room left.
pub async fn take_sold(conn: &mut PgConnection, lines: &[StockLine]) -> BackendResult<bool> {
    for (event, quantity) in per_event(lines) {
        let taken = sqlx::query!(
            "UPDATE events SET sold = sold + $2
             WHERE id = $1 AND (capacity IS NULL OR capacity - reserved - sold >= $2)",
            event,
            quantity
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(false);
        }
    }
    for line in by_type(lines) {
        let taken = sqlx::query!(
            "UPDATE ticket_types SET sold = sold + $2 WHERE id = $1 AND quantity - reserved - sold >= $2",
            line.ticket_type,
            line.quantity
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(false);
        }
    }
    // The code's uses too, while it has them: the buyer paid the price they
    // were offered, so its window does not matter here.
    for (code, quantity) in per_code(lines) {
        let taken = sqlx::query!(
            "UPDATE event_codes SET used = used + $2
             WHERE id = $1 AND (max_uses IS NULL OR max_uses - used >= $2)",
            code,
            quantity
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The order's row lock, taken first by every transaction that settles,
/// releases or refunds an order (then the events' and types' rows, see
/// above), so two of them on one order queue up instead of deadlocking.
pub async fn lock_order(
    conn: &mut PgConnection,
    order: Uuid,
) -> BackendResult<Option<LockedOrder>> {
    Ok(sqlx::query!(
        r#"SELECT status AS "status: OrderStatus", user_id, total_minor, currency AS "currency!: Currency",
                  stripe_payment_intent, cancel_requested_at IS NOT NULL AS "cancel_requested!",
                  disputed_at IS NOT NULL AS "disputed!"
           FROM orders WHERE id = $1 FOR UPDATE"#,
        order
    )
    .fetch_optional(conn)
    .await?
    .map(|o| LockedOrder {
        status: o.status,
        user_id: o.user_id,
        total: o.currency.amount(o.total_minor),
        stripe_payment_intent: o.stripe_payment_intent,
        cancel_requested: o.cancel_requested,
        disputed: o.disputed,
    }))
}

/// An order as its lock finds it.
pub struct LockedOrder {
    pub status: OrderStatus,
    pub user_id: Uuid,
    pub total: Money,
    pub stripe_payment_intent: Option<String>,
    /// The buyer asked to cancel it while it was pending.
    pub cancel_requested: bool,
    pub disputed: bool,
}

/// The first of `lines` (type, seats, title) that took seats its event's
/// capacity sets aside for another type's quota (`quota_seats` in SQL), as
/// the refusal with what it could have had. Read after the event's row is
/// locked by this transaction, so every counter of the event it reads is
/// committed; a quota's own seats move both sides alike.
pub async fn over_quotas<'l>(
    tx: &mut PgConnection,
    lines: impl Iterator<Item = (Uuid, i32, &'l str)>,
) -> BackendResult<Option<CheckoutRefusal>> {
    let lines: Vec<(Uuid, i32, &str)> = lines.collect();
    let types: Vec<Uuid> = lines.iter().map(|(id, _, _)| *id).collect();
    let short = sqlx::query!(
        r#"SELECT t.id, quota_seats(t.event_id, t.id) - (e.capacity - e.reserved - e.sold) AS "missing!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE t.id = ANY($1) AND e.capacity IS NOT NULL
             AND e.capacity - e.reserved - e.sold < quota_seats(t.event_id, t.id)
           ORDER BY t.id LIMIT 1"#,
        &types
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(short.and_then(|short| {
        let (_, quantity, title) = lines.iter().find(|(id, _, _)| *id == short.id)?;
        let title = title.to_string();
        Some(match quantity - short.missing {
            left if left > 0 => CheckoutRefusal::OnlyLeft { title, left },
            _ => CheckoutRefusal::SoldOut { title },
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_are_summed_per_event_in_event_order() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let lines = [
            StockLine {
                ticket_type: Uuid::from_u128(9),
                event: b,
                quantity: 2,
                code: None,
            },
            StockLine {
                ticket_type: Uuid::from_u128(3),
                event: a,
                quantity: 1,
                code: None,
            },
            StockLine {
                ticket_type: Uuid::from_u128(5),
                event: b,
                quantity: 4,
                code: None,
            },
        ];
        assert_eq!(
            per_event(&lines).into_iter().collect::<Vec<_>>(),
            vec![(a, 1), (b, 6)]
        );
        let order: Vec<u128> = by_type(&lines)
            .iter()
            .map(|l| l.ticket_type.as_u128())
            .collect();
        assert_eq!(order, vec![3, 5, 9]);
    }
}
