//! Refunds an organizer makes: the whole order or chosen tickets, with a
//! reason, the seats back on sale or not. One transaction records the refund,
//! stops its tickets admitting, moves the counters and writes the buyer's
//! message; Stripe is asked afterwards with the refund's id as idempotency key,
//! and the sweeper retries until it takes it. Free tickets are cancelled the
//! same way, with nothing to pay back.

pub mod buyer;

pub mod stripe;

use self::stripe::{Due, send};

use std::collections::BTreeMap;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::stock::{self, LockedOrder, Shift, StockLine, lock_order};
use crate::backend::auth::SessionUser;
use crate::backend::error::{BackendError, BackendResult};
use crate::backend::metrics;
use crate::backend::outbox::{self, MailKind};
use crate::backend::payments::Payments;
use crate::error::{AppError, InputRefusal};
use crate::model::{Money, OrderStatus, RefundCause, Role};

/// What the organizer asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub order: Uuid,
    /// The tickets to refund; `None`: every ticket of the organizer's events
    /// in the order that is not refunded yet.
    pub tickets: Option<Vec<Uuid>>,
    /// Why: the organizer's refund, or their event's cancellation.
    pub cause: RefundCause,
    /// The organizer's own words.
    pub reason: String,
    /// Put the seats back on sale.
    pub restock: bool,
}

/// Why nothing was refunded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefusal {
    #[error("Only paid orders can be refunded.")]
    NotPaid,
    #[error("This payment is disputed with the bank; the bank decides about the money.")]
    Disputed,
    #[error("Choose at least one ticket to refund.")]
    NothingChosen,
    #[error("These tickets have been refunded already.")]
    AlreadyRefunded,
    #[error("A chosen ticket is not one of this order's tickets for your events.")]
    NotYours,
    #[error("These tickets can no longer be cancelled online; please contact the organizer.")]
    NotCancellable,
    /// What the buyer was shown is not what cancelling gives now.
    #[error(
        "Cancelling now gives {now} back, not the amount you were shown; nothing was cancelled. Look at the new amount and try again."
    )]
    AmountChanged { now: Money },
}

impl From<RefundRefusal> for AppError {
    fn from(refusal: RefundRefusal) -> Self {
        // The two a buyer cancelling meets are written in their language.
        match refusal {
            RefundRefusal::NotCancellable => AppError::input_refused(InputRefusal::NotCancellable),
            RefundRefusal::AmountChanged { now } => {
                AppError::input_refused(InputRefusal::CancelAmountChanged { now })
            }
            organizers => AppError::Invalid {
                field: None,
                message: organizers.to_string(),
            },
        }
    }
}

/// A refund that was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refunded {
    pub id: Uuid,
    pub amount: Money,
    pub tickets: usize,
    /// Every ticket of the order is refunded now: the order is `refunded`.
    pub order_refunded: bool,
    /// Stripe took the money back already (false: free tickets, or the
    /// sweeper retries).
    pub sent: bool,
}

struct Candidate {
    id: Uuid,
    ticket_type: Uuid,
    event: Uuid,
    /// What refunding this ticket pays back (its price, less a fee the
    /// organizer keeps when the buyer cancels).
    refund_minor: i64,
    refunded: bool,
}

/// Records the refund and asks Stripe for the money. Two organizers clicking
/// at once queue on the order's lock: the second finds the tickets refunded.
pub async fn refund(
    db: &PgPool,
    payments: Option<&Payments>,
    by: &SessionUser,
    request: RefundRequest,
) -> BackendResult<Refunded> {
    let reason = crate::model::parse_text(&request.reason, "reason", "a reason", 500)?;
    let mut tx = db.begin().await?;
    let Some(order) = lock_order(&mut tx, request.order).await? else {
        return Err(AppError::NotFound.into());
    };
    let candidates = sqlx::query_as!(
        Candidate,
        r#"SELECT p.id, p.ticket_type_id AS ticket_type, t.event_id AS event,
                  p.price_minor AS refund_minor, p.refunded_at IS NOT NULL AS "refunded!"
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE p.order_id = $1 AND may_manage(e.organizer_id, $2, $3)
           ORDER BY p.id FOR UPDATE OF p"#,
        request.order,
        by.id,
        by.role == Role::Admin
    )
    .fetch_all(&mut *tx)
    .await?;
    // Not a word about orders of other organizers' events.
    if candidates.is_empty() {
        return Err(AppError::NotFound.into());
    }
    refundable(&order)?;
    let chosen: Vec<&Candidate> = match &request.tickets {
        None => {
            let open: Vec<&Candidate> = candidates.iter().filter(|c| !c.refunded).collect();
            if open.is_empty() {
                return Err(AppError::from(RefundRefusal::AlreadyRefunded).into());
            }
            open
        }
        Some(ids) if ids.is_empty() => {
            return Err(AppError::from(RefundRefusal::NothingChosen).into());
        }
        Some(ids) => {
            let mut chosen = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(c) = candidates.iter().find(|c| c.id == *id) else {
                    return Err(AppError::from(RefundRefusal::NotYours).into());
                };
                if c.refunded {
                    return Err(AppError::from(RefundRefusal::AlreadyRefunded).into());
                }
                if !chosen.iter().any(|k: &&Candidate| k.id == c.id) {
                    chosen.push(c);
                }
            }
            chosen
        }
    };
    record_and_send(
        db,
        tx,
        payments,
        Recorded {
            order_id: request.order,
            order,
            chosen: &chosen,
            cause: request.cause,
            reason: &reason,
            restock: request.restock,
            by: by.id,
        },
    )
    .await
}

/// Whether the locked order may be refunded at all.
fn refundable(order: &LockedOrder) -> Result<(), AppError> {
    if order.disputed {
        return Err(RefundRefusal::Disputed.into());
    }
    match order.status {
        OrderStatus::Paid => Ok(()),
        OrderStatus::Refunded => Err(RefundRefusal::AlreadyRefunded.into()),
        _ => Err(RefundRefusal::NotPaid.into()),
    }
}

/// What a refund records.
struct Recorded<'a> {
    order_id: Uuid,
    order: LockedOrder,
    chosen: &'a [&'a Candidate],
    cause: RefundCause,
    /// The organizer's own words ("" when the cause says it all).
    reason: &'a str,
    restock: bool,
    by: Uuid,
}

/// Records the refund in `tx` (its tickets stop admitting, the order's total
/// and status follow, the seats go back if asked, the buyer's message is
/// written), commits, then asks Stripe for the money.
async fn record_and_send(
    db: &PgPool,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    payments: Option<&Payments>,
    r: Recorded<'_>,
) -> BackendResult<Refunded> {
    let (chosen, order, reason) = (r.chosen, r.order, r.reason);
    let amount_minor: i64 = chosen.iter().map(|c| c.refund_minor).sum();
    let ids: Vec<Uuid> = chosen.iter().map(|c| c.id).collect();
    // The sweeper leaves a new refund to this request for a minute.
    let refund_id = sqlx::query_scalar!(
        "INSERT INTO refunds (order_id, amount_minor, cause, reason, restocked, requested_by, retry_after)
         VALUES ($1, $2, $3, $4, $5, $6, now() + interval '1 minute') RETURNING id",
        r.order_id,
        amount_minor,
        r.cause as RefundCause,
        reason,
        r.restock,
        r.by
    )
    .fetch_one(&mut *tx)
    .await?;
    // Each ticket's share: what each organizer of the order sees as theirs.
    let shares: Vec<i64> = chosen.iter().map(|c| c.refund_minor).collect();
    sqlx::query!(
        "INSERT INTO refund_tickets (refund_id, ticket_id, amount_minor)
         SELECT $1, ticket, amount FROM unnest($2::uuid[], $3::bigint[]) AS share(ticket, amount)",
        refund_id,
        &ids,
        &shares
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE tickets SET refunded_at = now() WHERE id = ANY($1)",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    // The order is refunded once none of its tickets (any organizer's) is left.
    let order_refunded = sqlx::query_scalar!(
        r#"UPDATE orders SET refunded_minor = refunded_minor + $2, updated_at = now(),
                  status = CASE WHEN EXISTS (SELECT 1 FROM tickets WHERE order_id = $1 AND refunded_at IS NULL)
                                THEN status ELSE 'refunded' END,
                  refund_cause = CASE WHEN EXISTS (SELECT 1 FROM tickets WHERE order_id = $1 AND refunded_at IS NULL)
                                THEN refund_cause ELSE $3 END,
                  refund_reason = CASE WHEN EXISTS (SELECT 1 FROM tickets WHERE order_id = $1 AND refunded_at IS NULL)
                                THEN refund_reason ELSE $4 END
           WHERE id = $1 RETURNING status = 'refunded' AS "refunded!""#,
        r.order_id,
        amount_minor,
        r.cause as RefundCause,
        reason
    )
    .fetch_one(&mut *tx)
    .await?;
    if order_refunded {
        metrics::order(OrderStatus::Refunded);
    }
    if r.restock {
        stock::shift(&mut tx, &stock_lines(chosen), Shift::Unsell).await?;
    }
    crate::backend::codes::give_back_on_refund(&mut tx, &ids).await?;
    outbox::enqueue_to_user(&mut tx, MailKind::TicketsRefunded, refund_id, order.user_id).await?;
    tx.commit().await?;
    tracing::info!(order = %r.order_id, refund = %refund_id, amount_minor, tickets = ids.len(), "refund recorded");

    let currency = order.total.currency.clone();
    let mut sent = false;
    if amount_minor > 0 {
        sent = send(
            db,
            payments,
            &Due {
                id: refund_id,
                order: r.order_id,
                amount_minor,
                payment_intent: order.stripe_payment_intent,
                attempts: 1,
            },
        )
        .await?;
    }
    Ok(Refunded {
        id: refund_id,
        amount: currency.amount(amount_minor),
        tickets: ids.len(),
        order_refunded,
        sent,
    })
}

fn stock_lines(chosen: &[&Candidate]) -> Vec<StockLine> {
    let mut per_type: BTreeMap<Uuid, StockLine> = BTreeMap::new();
    for c in chosen {
        per_type
            .entry(c.ticket_type)
            .or_insert(StockLine {
                ticket_type: c.ticket_type,
                event: c.event,
                quantity: 0,
                // Uses go back by the code's own choice, restocked or not
                // (`codes::give_back_on_refund`), not with the seats.
                code: None,
            })
            .quantity += 1;
    }
    per_type.into_values().collect()
}

/// The stock lines of an order's tickets that are not refunded yet (what a
/// full refund reported by Stripe still has to put back).
pub async fn unrefunded_lines(
    conn: &mut PgConnection,
    order: Uuid,
) -> Result<Vec<StockLine>, BackendError> {
    Ok(sqlx::query_as!(
        StockLine,
        r#"SELECT p.ticket_type_id AS ticket_type, t.event_id AS event, count(*)::int AS "quantity!",
                  NULL::uuid AS code
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           WHERE p.order_id = $1 AND p.refunded_at IS NULL
           GROUP BY p.ticket_type_id, t.event_id ORDER BY p.ticket_type_id"#,
        order
    )
    .fetch_all(conn)
    .await?)
}
