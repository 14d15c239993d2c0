//! CSV exports of an event for its organizer: orders (one row per order),
//! attendees (one row per ticket) and codes (one row per code). Rows are streamed from PostgreSQL through a
//! small bounded channel into the response, so memory stays the same whatever
//! the event's size. Times are on the venue's clock; fields a spreadsheet would
//! run as a formula are defused.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::zones::venue_time;
use crate::backend::error::BackendResult;
use crate::model::{Currency, OrderStatus, Role, order_reference};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Orders,
    Attendees,
    Codes,
}

impl Export {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "orders.csv" => Some(Self::Orders),
            "attendees.csv" => Some(Self::Attendees),
            "codes.csv" => Some(Self::Codes),
            _ => None,
        }
    }
}

/// The event as an export names it.
#[derive(Debug, Clone)]
pub struct ExportedEvent {
    pub id: Uuid,
    pub title: String,
    pub time_zone: String,
}

/// The event when `user` may export it (its organizer, or an admin).
pub async fn event_for(
    db: &PgPool,
    user: &SessionUser,
    event: Uuid,
) -> BackendResult<Option<ExportedEvent>> {
    Ok(sqlx::query_as!(
        ExportedEvent,
        "SELECT id, title, time_zone FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)",
        event,
        user.id,
        user.role == Role::Admin
    )
    .fetch_optional(db)
    .await?)
}

/// Rows in flight between the database and the response.
const CHANNEL_ROWS: usize = 64;

/// The CSV, header first (after a UTF-8 byte order mark with `bom`, which
/// spreadsheet programs need to read UTF-8).
pub fn csv(
    db: PgPool,
    event: ExportedEvent,
    export: Export,
    bom: bool,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHANNEL_ROWS);
    tokio::spawn(async move {
        let mut head = Vec::new();
        if bom {
            head.extend_from_slice("\u{feff}".as_bytes());
        }
        let header: &[&str] = match export {
            Export::Orders => &[
                "Order reference",
                "Placed (venue time)",
                "Buyer name",
                "Buyer email",
                "Status",
                "Tickets",
                "Total",
                "Refunded",
                "Currency",
                "Discount",
                "Codes",
            ],
            Export::Attendees => &[
                "Order reference",
                "Ticket",
                "Ticket type",
                "Buyer name",
                "Buyer email",
                "Status",
                "Checked in (venue time)",
                "Price paid",
                "Code",
                "Discount",
            ],
            Export::Codes => &[
                "Code",
                "Ticket types",
                "Discount",
                "Used",
                "Uses in all",
                "Uses per buyer",
                "Valid from (venue time)",
                "Valid until (venue time)",
                "Status",
                "Refund gives the use back",
            ],
        };
        head.extend_from_slice(&record(header.iter().copied()));
        if tx.send(Ok(Bytes::from(head))).await.is_err() {
            return;
        }
        let sent = match export {
            Export::Orders => orders(&db, &event, &tx).await,
            Export::Attendees => attendees(&db, &event, &tx).await,
            Export::Codes => codes(&db, &event, &tx).await,
        };
        if let Err(err) = sent {
            tracing::error!(event = %event.id, error = %err, "export stopped");
            // The client sees a cut download, never a silently short file.
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    // Fused: a compressing layer may poll again after the end.
    futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .fuse()
}

type Sender = tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>;

async fn orders(db: &PgPool, event: &ExportedEvent, tx: &Sender) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query!(
        r#"SELECT o.id, o.created_at, u.name, u.email, o.status AS "status: OrderStatus",
                  o.currency AS "currency!: Currency",
                  (SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
                    WHERE i.order_id = o.id AND t.event_id = $1)::bigint AS "tickets!",
                  -- This event's lines and refund shares only (see for_organizer).
                  (SELECT coalesce(sum(i.amount_minor), 0) FROM order_items i
                    JOIN ticket_types t ON t.id = i.ticket_type_id
                    WHERE i.order_id = o.id AND t.event_id = $1)::bigint AS "total_minor!",
                  (SELECT coalesce(sum(rp.amount_minor), 0) FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
                    JOIN ticket_types t ON t.id = p.ticket_type_id
                    WHERE p.order_id = o.id AND t.event_id = $1)::bigint AS "refunded_minor!",
                  (SELECT coalesce(sum(i.discount_minor * i.quantity), 0) FROM order_items i
                    JOIN ticket_types t ON t.id = i.ticket_type_id
                    WHERE i.order_id = o.id AND t.event_id = $1)::bigint AS "discount_minor!",
                  (SELECT coalesce(string_agg(DISTINCT c.code, ' '), '') FROM order_items i
                    JOIN event_codes c ON c.id = i.code_id
                    WHERE i.order_id = o.id AND c.event_id = $1) AS "codes!"
           FROM orders o JOIN users u ON u.id = o.user_id
           WHERE EXISTS (SELECT 1 FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
                         WHERE i.order_id = o.id AND t.event_id = $1)
           ORDER BY o.created_at, o.id"#,
        event.id
    )
    .fetch(db);
    while let Some(row) = rows.next().await {
        let o = row?;
        let currency = o.currency;
        let line = record([
            order_reference(o.id).as_str(),
            &venue_clock(o.created_at, &event.time_zone),
            &o.name,
            &o.email,
            o.status.as_str(),
            &o.tickets.to_string(),
            &currency.amount(o.total_minor).decimal(),
            &currency.amount(o.refunded_minor).decimal(),
            currency.code(),
            &currency.amount(o.discount_minor).decimal(),
            &o.codes,
        ]);
        if tx.send(Ok(Bytes::from(line))).await.is_err() {
            return Ok(()); // the client went away
        }
    }
    Ok(())
}

async fn attendees(db: &PgPool, event: &ExportedEvent, tx: &Sender) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query!(
        r#"SELECT o.id AS order_id, p.seat_no, t.name AS type_name, u.name, u.email,
                  o.status AS "status: OrderStatus", o.disputed_at IS NOT NULL AS "disputed!",
                  p.refunded_at IS NOT NULL AS "refunded!", p.checked_in_at,
                  p.price_minor, e.currency AS "currency!: Currency",
                  c.code AS "code?", coalesce(i.discount_minor, 0) AS "discount_minor!"
           FROM tickets p JOIN orders o ON o.id = p.order_id JOIN users u ON u.id = o.user_id
           JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
           LEFT JOIN order_items i ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
           LEFT JOIN event_codes c ON c.id = i.code_id
           WHERE t.event_id = $1
           ORDER BY o.created_at, o.id, p.seat_no"#,
        event.id
    )
    .fetch(db);
    while let Some(row) = rows.next().await {
        let p = row?;
        let status = if p.refunded {
            "refunded"
        } else if p.disputed {
            "disputed"
        } else if p.status != OrderStatus::Paid {
            p.status.as_str()
        } else if p.checked_in_at.is_some() {
            "checked in"
        } else {
            "valid"
        };
        let line = record([
            order_reference(p.order_id).as_str(),
            &p.seat_no.to_string(),
            &p.type_name,
            &p.name,
            &p.email,
            status,
            &p.checked_in_at
                .map(|at| venue_clock(at, &event.time_zone))
                .unwrap_or_default(),
            &p.currency.amount(p.price_minor).decimal(),
            p.code.as_deref().unwrap_or_default(),
            &p.currency.amount(p.discount_minor).decimal(),
        ]);
        if tx.send(Ok(Bytes::from(line))).await.is_err() {
            return Ok(());
        }
    }
    Ok(())
}

async fn codes(db: &PgPool, event: &ExportedEvent, tx: &Sender) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query!(
        r#"SELECT c.code, c.percent_off, c.amount_off_minor, c.used, c.max_uses, c.max_uses_per_buyer,
                  c.valid_from, c.valid_until, c.disabled_at IS NOT NULL AS "disabled!",
                  c.refund_gives_use_back, e.currency AS "currency!: Currency",
                  coalesce((SELECT string_agg(t.name, ' | ' ORDER BY t.position, t.id) FROM event_code_types ct
                    JOIN ticket_types t ON t.id = ct.ticket_type_id WHERE ct.code_id = c.id), '') AS "types!"
           FROM event_codes c JOIN events e ON e.id = c.event_id
           WHERE c.event_id = $1 ORDER BY c.created_at, c.code"#,
        event.id
    )
    .fetch(db);
    let count = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let at = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| venue_clock(t, &event.time_zone))
            .unwrap_or_default()
    };
    while let Some(row) = rows.next().await {
        let c = row?;
        let discount = match (c.percent_off, c.amount_off_minor) {
            (Some(percent), _) => format!("{percent}%"),
            (None, Some(minor)) => format!(
                "{} {}",
                c.currency.amount(minor).decimal(),
                c.currency.code()
            ),
            (None, None) => String::new(),
        };
        let line = record([
            c.code.as_str(),
            &c.types,
            &discount,
            &c.used.to_string(),
            &count(c.max_uses),
            &count(c.max_uses_per_buyer),
            &at(c.valid_from),
            &at(c.valid_until),
            if c.disabled { "disabled" } else { "enabled" },
            if c.refund_gives_use_back { "yes" } else { "no" },
        ]);
        if tx.send(Ok(Bytes::from(line))).await.is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// "2026-12-05 19:30" on the venue's clock.
fn venue_clock(at: chrono::DateTime<chrono::Utc>, zone: &str) -> String {
    venue_time(at, zone)
        .local
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// One CSV record (RFC 4180 quoting by the `csv` crate), with fields a
/// spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) prefixed
/// with `'`: a buyer named `=HYPERLINK(...)` stays text.
fn record<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let defused: Vec<String> = fields
        .into_iter()
        .map(|f| {
            if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{f}")
            } else {
                f.to_string()
            }
        })
        .collect();
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&defused);
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_quoted_and_formulas_defused() {
        assert_eq!(record(["a", "b"]), b"a,b\r\n");
        assert_eq!(
            record(["Smith, Jo", "say \"hi\"", "two\nlines"]),
            b"\"Smith, Jo\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        assert_eq!(
            record(["=1+1", "@SUM(A1)", "-2", "ok"]),
            b"'=1+1,'@SUM(A1),'-2,ok\r\n"
        );
    }
}
