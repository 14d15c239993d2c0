//! Door check-in: a ticket is checked in once, by its event's organizer, their
//! door staff for that event (or an admin), with one conditional UPDATE, so a double scan is detected, never
//! double-counted.

pub mod signed;

use sqlx::PgPool;
use uuid::Uuid;

use super::auth::SessionUser;
use super::zones::venue_time;
use crate::backend::error::BackendResult;
use crate::model::{DoorRefusal, OrderStatus, Role, VenueTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    /// Welcome in: this scan checked the ticket in.
    Admitted {
        seat_no: i32,
        holder: String,
        type_name: String,
    },
    /// Scanned before: when and by whom.
    AlreadyCheckedIn { at: VenueTime, by: String },
    /// Not valid for this door, and why (nothing was changed).
    Refused(DoorRefusal),
}

/// Checks in the ticket with `code` (its printed code, or its QR's signed
/// payload: [`signed`]) for `event`, whatever its type, as `scanner`: one
/// conditional UPDATE, so a ticket is admitted once.
pub async fn check_in(
    db: &PgPool,
    scanner: &SessionUser,
    event: Uuid,
    code: &str,
) -> BackendResult<CheckIn> {
    let code = match signed::SignedCode::read(code) {
        // Forged, altered or replaced by a newer version: not ours.
        Some(payload) => match signed::printed_code(db, &payload).await? {
            Some(code) => code,
            None => return Ok(CheckIn::Refused(DoorRefusal::UnknownCode)),
        },
        None => code.trim().to_lowercase(),
    };
    let admitted = sqlx::query!(
        r#"UPDATE tickets p SET checked_in_at = now(), checked_in_by = $3
           FROM orders o, ticket_types t, events e, users u
           WHERE p.code = $1 AND p.checked_in_at IS NULL AND p.refunded_at IS NULL
             AND t.id = p.ticket_type_id AND e.id = t.event_id AND e.id = $2
             AND o.id = p.order_id AND o.status = 'paid' AND o.disputed_at IS NULL
             AND may_work_door(e.id, e.organizer_id, $3, $4)
             AND u.id = o.user_id
           RETURNING p.seat_no, u.name AS holder, t.name AS type_name"#,
        code,
        event,
        scanner.id,
        scanner.role == Role::Admin
    )
    .fetch_optional(db)
    .await?;
    if let Some(row) = admitted {
        return Ok(CheckIn::Admitted {
            seat_no: row.seat_no,
            holder: row.holder,
            type_name: row.type_name,
        });
    }
    // Nothing changed: say why, without revealing more than the scanner may know.
    let ticket = sqlx::query!(
        r#"SELECT t.event_id, p.checked_in_at, c.name AS "checked_in_by?", o.status AS "order_status: OrderStatus",
                  o.disputed_at IS NOT NULL AS "disputed!", p.refunded_at IS NOT NULL AS "refunded!",
                  e.organizer_id, e.time_zone,
                  EXISTS (SELECT 1 FROM door_staff s WHERE s.event_id = e.id AND s.user_id = $2
                          AND s.accepted_at IS NOT NULL AND s.revoked_at IS NULL) AS "staff!"
           FROM tickets p JOIN orders o ON o.id = p.order_id
           JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
           LEFT JOIN users c ON c.id = p.checked_in_by
           WHERE p.code = $1"#,
        code,
        scanner.id
    )
    .fetch_optional(db)
    .await?;
    let allowed = |organizer: Uuid, staff: bool| {
        organizer == scanner.id || scanner.role == Role::Admin || staff
    };
    Ok(match ticket {
        Some(p) if !allowed(p.organizer_id, p.staff) => {
            CheckIn::Refused(DoorRefusal::OtherOrganizersEvent)
        }
        Some(p) if p.event_id != event => CheckIn::Refused(DoorRefusal::OtherEvent),
        Some(p) if p.disputed => CheckIn::Refused(DoorRefusal::Disputed),
        Some(p) if p.refunded => CheckIn::Refused(DoorRefusal::Refunded),
        Some(p) if p.order_status != OrderStatus::Paid => {
            CheckIn::Refused(DoorRefusal::OrderNotPaid(p.order_status))
        }
        Some(p) => match p.checked_in_at {
            Some(at) => CheckIn::AlreadyCheckedIn {
                at: venue_time(at, &p.time_zone),
                by: p.checked_in_by.unwrap_or_default(),
            },
            None => CheckIn::Refused(DoorRefusal::ScanAgain),
        },
        None => CheckIn::Refused(DoorRefusal::UnknownCode),
    })
}

/// What a door device of `event` keeps to check its tickets offline (the
/// door key's public half, made if the event has none yet, and the tickets
/// whose payload no longer admits), for a scanner who may work its door;
/// `None` otherwise.
pub async fn door_list(
    db: &PgPool,
    scanner: &SessionUser,
    event: Uuid,
) -> BackendResult<Option<crate::model::DoorList>> {
    let allowed = sqlx::query_scalar!(
        r#"SELECT true AS "allowed!" FROM events e
           WHERE e.id = $1 AND may_work_door(e.id, e.organizer_id, $2, $3)"#,
        event,
        scanner.id,
        scanner.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    .is_some();
    if !allowed {
        return Ok(None);
    }
    let public_key = signed::DoorKey::of_event(db, event).await?.public_key();
    let read_at_ms = chrono::Utc::now().timestamp_millis();
    let rows = sqlx::query!(
        r#"SELECT p.id, p.version, p.checked_in_at IS NOT NULL AS "checked_in!",
                  (p.refunded_at IS NOT NULL OR o.status <> 'paid' OR o.disputed_at IS NOT NULL) AS "revoked!"
           FROM tickets p JOIN orders o ON o.id = p.order_id
           JOIN ticket_types t ON t.id = p.ticket_type_id
           WHERE t.event_id = $1
             AND (p.checked_in_at IS NOT NULL OR p.refunded_at IS NOT NULL OR p.version > 1
                  OR o.status <> 'paid' OR o.disputed_at IS NOT NULL)
           ORDER BY p.id"#,
        event
    )
    .fetch_all(db)
    .await?;
    let mut list = crate::model::DoorList {
        event,
        public_key: signed::encode_key(&public_key),
        read_at_ms,
        revoked: Vec::new(),
        checked_in: Vec::new(),
        versions: Vec::new(),
    };
    for row in rows {
        if row.revoked {
            list.revoked.push(row.id);
        } else if row.checked_in {
            list.checked_in.push(row.id);
        }
        if row.version > 1 {
            list.versions.push((row.id, row.version));
        }
    }
    Ok(Some(list))
}

/// Checked-in and sold counts for an event the scanner may check in (its
/// organizer, or an admin); `None` otherwise.
pub async fn door_stats(
    db: &PgPool,
    scanner: &SessionUser,
    event: Uuid,
) -> BackendResult<Option<crate::model::DoorStats>> {
    Ok(sqlx::query!(
        r#"SELECT e.title, e.sold::bigint AS "sold!",
                  (SELECT count(*) FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
                    WHERE t.event_id = e.id AND p.checked_in_at IS NOT NULL) AS "checked_in!"
           FROM events e WHERE e.id = $1 AND may_work_door(e.id, e.organizer_id, $2, $3)"#,
        event,
        scanner.id,
        scanner.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    .map(|r| crate::model::DoorStats {
        title: r.title,
        checked_in: r.checked_in,
        sold: r.sold,
    }))
}
