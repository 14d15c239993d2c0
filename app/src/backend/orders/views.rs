//! Orders as their buyer sees them, with event titles in the buyer's
//! language where the organizer gave one.

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::backend::zones::venue_time;
use crate::i18n::Locale;
use crate::model::{
    Currency, OrderEventView, OrderLineView, OrderStatus, OrderView, RefundCause, TicketLink,
    TicketView, order_reference,
};

pub async fn for_buyer(
    db: &PgPool,
    user: Uuid,
    id: Uuid,
    locale: Locale,
) -> BackendResult<Option<OrderView>> {
    let Some(o) = sqlx::query!(
        r#"SELECT id, status AS "status: OrderStatus", total_minor, currency AS "currency!: Currency", reserved_until,
                  created_at, paid_at, refund_cause AS "refund_cause: RefundCause", refund_reason,
                  stripe_session_url, refunded_minor,
                  disputed_at IS NOT NULL AS "disputed!"
           FROM orders o WHERE id = $1 AND user_id = $2"#,
        id,
        user
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let currency = o.currency;
    let lines = lines(db, id, &currency, locale).await?;
    let tickets = sqlx::query_as!(
        TicketLink,
        r#"SELECT p.id, event_title(e.id, e.title, $2) AS "title!", t.name AS type_name, p.seat_no,
                  p.checked_in_at, p.refunded_at
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE p.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id, p.seat_no"#,
        id,
        locale.tag()
    )
    .fetch_all(db)
    .await?;
    let (events, zone) = events_of(db, id, locale).await?;
    let at = |utc| venue_time(utc, &zone);
    Ok(Some(OrderView {
        id: o.id,
        reference: order_reference(o.id),
        status: o.status,
        total: currency.amount(o.total_minor),
        reserved_until: at(o.reserved_until),
        created_at: at(o.created_at),
        paid_at: o.paid_at.map(at),
        events,
        refund_reason: o
            .refund_cause
            .map(|cause| cause.explain(o.refund_reason.as_deref().unwrap_or_default())),
        refund_cause: o
            .refund_cause
            .map(|cause| (cause, o.refund_reason.clone().unwrap_or_default())),
        refunded: currency.amount(o.refunded_minor),
        disputed: o.disputed,
        payment_url: (o.status == OrderStatus::Pending)
            .then_some(o.stripe_session_url)
            .flatten(),
        cancel_offer: crate::backend::orders::refund::buyer::cancel_offer(db, o.id).await?,
        lines,
        tickets,
        words: Default::default(),
    }))
}

/// The events an order has tickets for, in the order they happen, and the
/// time zone its times are shown in (the first event's venue's).
async fn events_of(
    db: &PgPool,
    order: Uuid,
    locale: Locale,
) -> BackendResult<(Vec<OrderEventView>, String)> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT e.id, event_title(e.id, e.title, $2) AS "title!", e.venue, e.starts_at, e.time_zone
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id
           WHERE i.order_id = $1 ORDER BY e.starts_at, e.id"#,
        order,
        locale.tag()
    )
    .fetch_all(db)
    .await?;
    let zone = rows
        .first()
        .map(|e| e.time_zone.clone())
        .unwrap_or_else(|| "UTC".into());
    let events = rows
        .into_iter()
        .map(|e| OrderEventView {
            starts_at: venue_time(e.starts_at, &e.time_zone),
            id: e.id,
            title: e.title,
            venue: e.venue,
        })
        .collect();
    Ok((events, zone))
}

/// An order's lines, in the order the buyer sees them (also the seat order).
pub async fn lines(
    db: &PgPool,
    order: Uuid,
    currency: &Currency,
    locale: Locale,
) -> BackendResult<Vec<OrderLineView>> {
    Ok(sqlx::query!(
        r#"SELECT i.ticket_type_id, event_title(e.id, e.title, $2) AS "title!", t.name AS type_name,
                  i.quantity, i.unit_price_minor - i.discount_minor AS "unit_price_minor!", i.amount_minor,
                  c.code AS "code?", i.discount_minor
           FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
           JOIN events e ON e.id = t.event_id LEFT JOIN event_codes c ON c.id = i.code_id
           WHERE i.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id"#,
        order,
        locale.tag()
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|l| OrderLineView {
        ticket_type_id: l.ticket_type_id,
        title: l.title,
        type_name: l.type_name,
        quantity: l.quantity,
        unit_price: currency.amount(l.unit_price_minor),
        amount: currency.amount(l.amount_minor),
        code: l.code.map(|code| (code, currency.amount(l.discount_minor))),
    })
    .collect())
}

/// The buyer's orders, newest first.
pub async fn history(db: &PgPool, user: Uuid, locale: Locale) -> BackendResult<Vec<OrderView>> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100",
        user
    )
    .fetch_all(db)
    .await?;
    let mut orders = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(order) = for_buyer(db, user, id, locale).await? {
            orders.push(order);
        }
    }
    Ok(orders)
}

/// A ticket for its owner only; anyone else gets `None` (a 404 that does not say
/// whether the ticket exists).
pub async fn ticket_for_owner(
    db: &PgPool,
    user: Uuid,
    id: Uuid,
    locale: Locale,
) -> BackendResult<Option<TicketView>> {
    let Some(p) = sqlx::query!(
        r#"SELECT p.id, p.order_id, event_title(e.id, e.title, $3) AS "title!", t.name AS type_name, e.venue, e.starts_at, e.time_zone, p.seat_no, p.code,
                  p.checked_in_at, p.refunded_at, p.version, t.event_id,
                  (SELECT sum(quantity) FROM order_items i WHERE i.order_id = p.order_id) AS "seats_in_order!"
           FROM tickets p JOIN orders o ON o.id = p.order_id
           JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
           WHERE p.id = $1 AND o.user_id = $2"#,
        id,
        user,
        locale.tag()
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    // The QR carries the payload a door checks offline; the printed code stays.
    let payload = crate::backend::checkin::signed::DoorKey::of_event(db, p.event_id)
        .await?
        .sign(p.id, p.version as u16);
    let qr_svg = qrcode::QrCode::new(payload.as_bytes())
        .map(|qr| {
            qr.render::<qrcode::render::svg::Color>()
                .min_dimensions(256, 256)
                .quiet_zone(true)
                .build()
        })
        // Inlined in the ticket page: an XML declaration is not HTML.
        .map(|svg| match svg.find("<svg") {
            Some(start) => svg[start..].to_string(),
            None => svg,
        })
        .unwrap_or_default();
    Ok(Some(TicketView {
        id: p.id,
        order_id: p.order_id,
        title: p.title,
        type_name: p.type_name,
        venue: p.venue,
        starts_at: crate::backend::zones::venue_time(p.starts_at, &p.time_zone),
        seat_no: p.seat_no,
        seats_in_order: p.seats_in_order,
        code: p.code,
        qr_svg,
        checked_in_at: p.checked_in_at,
        refunded_at: p.refunded_at,
    }))
}
