//! Orders as the organizer of their event sees them: the event's order list
//! (searched by buyer or order reference, filtered by status, a page at a
//! time) and one order with its tickets and refunds. Only the organizer's own
//! events (or an admin) and only their tickets in an order.

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::auth::SessionUser;
use crate::backend::error::BackendResult;
use crate::model::{
    Currency, OrderStatus, OrganizerOrderRow, OrganizerOrderView, OrganizerOrders, OrganizerTicket,
    RefundCause, RefundView, Role, order_reference,
};

pub const PAGE_SIZE: i64 = 50;

/// What the organizer typed and chose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderSearch {
    /// Part of the buyer's email or name, or the start of an order reference.
    pub text: Option<String>,
    pub status: Option<OrderStatus>,
    /// 1-based.
    pub page: u32,
}

/// `None` when the event is not the organizer's (or does not exist).
pub async fn list(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    search: &OrderSearch,
) -> BackendResult<Option<OrganizerOrders>> {
    let Some(title) = sqlx::query_scalar!(
        "SELECT title FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)",
        event,
        organizer.id,
        organizer.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let page = search.page.max(1);
    let text = search
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase());
    // Amounts are this event's lines and refund shares only: an order with
    // another organizer's tickets too shows nothing of theirs.
    let rows = sqlx::query!(
        r#"SELECT o.id, u.name, u.email, o.status AS "status: OrderStatus",
                  o.currency AS "currency!: Currency", o.created_at,
                  (SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
                    WHERE i.order_id = o.id AND t.event_id = $1)::bigint AS "tickets!",
                  (SELECT coalesce(sum(i.amount_minor), 0) FROM order_items i
                    JOIN ticket_types t ON t.id = i.ticket_type_id
                    WHERE i.order_id = o.id AND t.event_id = $1)::bigint AS "total_minor!",
                  (SELECT coalesce(sum(rp.amount_minor), 0) FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
                    JOIN ticket_types t ON t.id = p.ticket_type_id
                    WHERE p.order_id = o.id AND t.event_id = $1)::bigint AS "refunded_minor!"
           FROM orders o JOIN users u ON u.id = o.user_id
           WHERE EXISTS (SELECT 1 FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
                         WHERE i.order_id = o.id AND t.event_id = $1)
             AND ($2::text IS NULL
                  OR u.email LIKE '%' || $2 || '%'
                  OR lower(u.name) LIKE '%' || $2 || '%'
                  OR replace(o.id::text, '-', '') LIKE $2 || '%')
             AND ($3::order_status IS NULL OR o.status = $3)
           ORDER BY o.created_at DESC, o.id
           LIMIT $4 OFFSET $5"#,
        event,
        text,
        search.status as Option<OrderStatus>,
        PAGE_SIZE + 1,
        (i64::from(page) - 1) * PAGE_SIZE
    )
    .fetch_all(db)
    .await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    Ok(Some(OrganizerOrders {
        event_id: event,
        event_title: title,
        page,
        has_more,
        rows: rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|r| {
                let currency = r.currency;
                OrganizerOrderRow {
                    reference: order_reference(r.id),
                    id: r.id,
                    buyer_name: r.name,
                    buyer_email: r.email,
                    status: r.status,
                    tickets: r.tickets,
                    total: currency.amount(r.total_minor),
                    refunded: currency.amount(r.refunded_minor),
                    created_at: r.created_at,
                }
            })
            .collect(),
    }))
}

/// One order with the organizer's tickets in it; `None` when it has none of
/// theirs (the same answer as for an order that does not exist).
pub async fn detail(
    db: &PgPool,
    organizer: &SessionUser,
    order: Uuid,
) -> BackendResult<Option<OrganizerOrderView>> {
    let admin = organizer.role == Role::Admin;
    // Amounts are the organizer's own lines and refund shares (all of them
    // for an admin): nothing of another organizer's tickets in the order.
    let Some(o) = sqlx::query!(
        r#"SELECT o.id, u.name, u.email, o.status AS "status: OrderStatus",
                  o.currency AS "currency!: Currency", o.created_at, o.paid_at,
                  o.disputed_at IS NOT NULL AS "disputed!",
                  (SELECT coalesce(sum(i.amount_minor), 0) FROM order_items i
                    JOIN ticket_types t ON t.id = i.ticket_type_id JOIN events e ON e.id = t.event_id
                    WHERE i.order_id = o.id AND may_manage(e.organizer_id, $2, $3))::bigint AS "total_minor!",
                  (SELECT coalesce(sum(rp.amount_minor), 0) FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
                    JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
                    WHERE p.order_id = o.id AND may_manage(e.organizer_id, $2, $3))::bigint AS "refunded_minor!"
           FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"#,
        order,
        organizer.id,
        admin
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let currency = o.currency;
    let viewer = Viewer {
        id: organizer.id,
        admin,
    };
    let tickets = tickets_of(db, order, viewer, &currency).await?;
    // An order of theirs that is not paid has no tickets yet: look at its lines.
    if tickets.is_empty() && !has_lines_of(db, order, viewer).await? {
        return Ok(None);
    }
    let refunds = refunds_of(db, order, viewer, &currency).await?;
    Ok(Some(OrganizerOrderView {
        reference: order_reference(o.id),
        id: o.id,
        buyer_name: o.name,
        buyer_email: o.email,
        status: o.status,
        disputed: o.disputed,
        total: currency.amount(o.total_minor),
        refunded: currency.amount(o.refunded_minor),
        created_at: o.created_at,
        paid_at: o.paid_at,
        tickets,
        refunds,
    }))
}

/// Who looks at an order: an organizer (their own events) or an admin (all),
/// as `may_manage` takes them.
#[derive(Clone, Copy)]
struct Viewer {
    id: Uuid,
    admin: bool,
}

/// The order's tickets of the viewer's events, in the buyer's order.
async fn tickets_of(
    db: &PgPool,
    order: Uuid,
    Viewer { id: viewer, admin }: Viewer,
    currency: &Currency,
) -> BackendResult<Vec<OrganizerTicket>> {
    Ok(sqlx::query!(
        r#"SELECT p.id, e.title, t.name AS type_name, p.seat_no, p.price_minor,
                  p.checked_in_at, p.refunded_at
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE p.order_id = $1 AND may_manage(e.organizer_id, $2, $3)
           ORDER BY e.starts_at, e.id, t.position, p.seat_no"#,
        order,
        viewer,
        admin
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|t| OrganizerTicket {
        id: t.id,
        event_title: t.title,
        type_name: t.type_name,
        seat_no: t.seat_no,
        price: currency.amount(t.price_minor),
        checked_in_at: t.checked_in_at,
        refunded_at: t.refunded_at,
    })
    .collect())
}

/// Whether the order has a line of one of the viewer's events.
async fn has_lines_of(
    db: &PgPool,
    order: Uuid,
    Viewer { id: viewer, admin }: Viewer,
) -> BackendResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
                          JOIN events e ON e.id = t.event_id
                          WHERE i.order_id = $1 AND may_manage(e.organizer_id, $2, $3)) AS "theirs!""#,
        order,
        viewer,
        admin
    )
    .fetch_one(db)
    .await?)
}

/// Only refunds of the viewer's own tickets, each with their share: another
/// organizer's refunds, reasons and names stay theirs.
async fn refunds_of(
    db: &PgPool,
    order: Uuid,
    Viewer { id: viewer, admin }: Viewer,
    currency: &Currency,
) -> BackendResult<Vec<RefundView>> {
    Ok(sqlx::query!(
        r#"SELECT r.cause AS "cause: RefundCause", r.reason, r.restocked, r.created_at, u.name AS "by?",
                  (r.stripe_refund_id IS NOT NULL OR r.amount_minor = 0) AS "settled!",
                  mine.amount AS "amount_minor!", mine.tickets AS "tickets!"
           FROM refunds r LEFT JOIN users u ON u.id = r.requested_by
           JOIN LATERAL (
               SELECT sum(rp.amount_minor)::bigint AS amount, count(*) AS tickets
               FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
               JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE rp.refund_id = r.id AND may_manage(e.organizer_id, $2, $3)
           ) mine ON mine.tickets > 0
           WHERE r.order_id = $1 ORDER BY r.created_at"#,
        order,
        viewer,
        admin
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| RefundView {
        amount: currency.amount(r.amount_minor),
        reason: r.cause.explain(&r.reason),
        tickets: r.tickets,
        restocked: r.restocked,
        by: r.by,
        at: r.created_at,
        settled: r.settled,
    })
    .collect())
}
