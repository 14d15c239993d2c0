//! An organizer's events and their ticket types: listing, loading for the
//! editor (rows locked in the stock lock order: the event, then its types by
//! id), inserting and updating.

use std::collections::BTreeMap;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::i18n::Locale;
use crate::model::{
    Currency, EventDraft, EventStatus, OrganizerEventRow, OrganizerTypeRow, TicketTypeDraft,
    Translation,
};

pub async fn list_for_organizer(
    conn: &mut PgConnection,
    organizer: Uuid,
) -> sqlx::Result<Vec<OrganizerEventRow>> {
    let types = sqlx::query!(
        r#"SELECT t.event_id, t.name, type_hidden(t) AS "hidden!", t.price_minor, e.currency AS "currency!: Currency",
                  t.quantity, t.reserved, t.sold,
                  (SELECT count(*) FROM tickets p WHERE p.ticket_type_id = t.id AND p.checked_in_at IS NOT NULL)
                    AS "checked_in!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE e.organizer_id = $1 ORDER BY t.position, t.created_at, t.id"#,
        organizer
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_event: BTreeMap<Uuid, Vec<OrganizerTypeRow>> = BTreeMap::new();
    for t in types {
        by_event
            .entry(t.event_id)
            .or_default()
            .push(OrganizerTypeRow {
                name: t.name,
                hidden: t.hidden,
                price: t.currency.amount(t.price_minor),
                quantity: t.quantity,
                reserved: t.reserved,
                sold: t.sold,
                checked_in: t.checked_in,
            });
    }
    let events = sqlx::query!(
        r#"SELECT id, title, starts_at, time_zone, currency AS "currency!: Currency", capacity, reserved, sold,
                  status AS "status: EventStatus"
           FROM events WHERE organizer_id = $1
           ORDER BY starts_at DESC, id"#,
        organizer
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let types = by_event.remove(&e.id).unwrap_or_default();
            OrganizerEventRow {
                checked_in: types.iter().map(|t| t.checked_in).sum(),
                id: e.id,
                title: e.title,
                starts_at: crate::backend::zones::venue_time(e.starts_at, &e.time_zone),
                currency: e.currency,
                capacity: e.capacity,
                reserved: e.reserved,
                sold: e.sold,
                status: e.status,
                types,
            }
        })
        .collect())
}

/// A type as it stands, with what it has committed.
#[derive(Debug, Clone)]
pub struct OwnedType {
    pub draft: TicketTypeDraft,
    pub reserved: i32,
    pub sold: i32,
    /// Some order (of any status) has a line of it: it cannot be deleted.
    pub has_orders: bool,
}

pub struct OwnedEvent {
    pub draft: EventDraft,
    pub cover_key: Option<String>,
    pub reserved: i32,
    pub sold: i32,
    pub types: Vec<OwnedType>,
}

/// The caller's event with its types, locked (event row, then type rows by id).
pub async fn owned_for_update(
    conn: &mut PgConnection,
    organizer: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<OwnedEvent>> {
    let Some(e) = sqlx::query!(
        r#"SELECT title, description, venue, cover_key, starts_at, ends_at, time_zone, currency AS "currency!: Currency",
                  capacity, reserved, sold, status AS "status: EventStatus", locale
           FROM events WHERE id = $1 AND organizer_id = $2
           FOR UPDATE"#,
        id,
        organizer
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut types = sqlx::query!(
        r#"SELECT id, name, description, price_minor, quantity, reserved, sold, sale_starts_at,
                  sale_ends_at, max_per_order, hidden, quota_until, position,
                  EXISTS (SELECT 1 FROM order_items i WHERE i.ticket_type_id = t.id) AS "has_orders!"
           FROM ticket_types t WHERE event_id = $1 ORDER BY id FOR UPDATE"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    types.sort_by_key(|t| (t.position, t.id));
    let translations = translations(&mut *conn, id).await?;
    let currency = e.currency;
    let types: Vec<OwnedType> = types
        .into_iter()
        .map(|t| OwnedType {
            draft: TicketTypeDraft {
                id: Some(t.id),
                name: t.name,
                description: t.description,
                price: currency.amount(t.price_minor),
                quantity: t.quantity,
                sale_starts_at: t.sale_starts_at,
                sale_ends_at: t.sale_ends_at,
                max_per_order: t.max_per_order,
                hidden: t.hidden,
                quota_until: t.quota_until,
            },
            reserved: t.reserved,
            sold: t.sold,
            has_orders: t.has_orders,
        })
        .collect();
    Ok(Some(OwnedEvent {
        cover_key: e.cover_key,
        draft: EventDraft {
            title: e.title,
            description: e.description,
            venue: e.venue,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            time_zone: e.time_zone,
            currency,
            capacity: e.capacity,
            status: e.status,
            types: types.iter().map(|t| t.draft.clone()).collect(),
            language: Locale::from_tag(&e.locale).unwrap_or_default(),
            translations,
        },
        reserved: e.reserved,
        sold: e.sold,
        types,
    }))
}

/// The event exists and `organizer` runs it.
pub async fn is_organizers<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
    event: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND organizer_id = $2) AS "mine!""#,
        event,
        organizer
    )
    .fetch_one(db)
    .await
}

/// Gives the caller's event the cover stored under `key`; false when the
/// event is not theirs (or does not exist).
pub async fn set_cover<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
    event: Uuid,
    key: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE events SET cover_key = $3, updated_at = now() WHERE id = $1 AND organizer_id = $2",
        event,
        organizer,
        key
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The zone of the organizer's most recently created event.
pub async fn latest_time_zone<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "SELECT time_zone FROM events WHERE organizer_id = $1 ORDER BY created_at DESC, id LIMIT 1",
        organizer
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_event<'e>(
    db: impl PgExecutor<'e>,
    organizer: Uuid,
    e: &EventDraft,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"INSERT INTO events (organizer_id, title, description, venue, starts_at, ends_at, currency,
                               capacity, status, time_zone, locale)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           RETURNING id"#,
        organizer,
        e.title,
        e.description,
        e.venue,
        e.starts_at,
        e.ends_at,
        e.currency.code(),
        e.capacity,
        e.status as EventStatus,
        e.time_zone,
        e.language.tag()
    )
    .fetch_one(db)
    .await
}

pub async fn update_event<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
    e: &EventDraft,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE events
           SET title = $2, description = $3, venue = $4, starts_at = $5, ends_at = $6, currency = $7,
               capacity = $8, status = $9, time_zone = $10, locale = $11, updated_at = now()
           WHERE id = $1"#,
        id,
        e.title,
        e.description,
        e.venue,
        e.starts_at,
        e.ends_at,
        e.currency.code(),
        e.capacity,
        e.status as EventStatus,
        e.time_zone,
        e.language.tag()
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_type<'e>(
    db: impl PgExecutor<'e>,
    event: Uuid,
    position: i32,
    t: &TicketTypeDraft,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"INSERT INTO ticket_types (event_id, name, price_minor, quantity, sale_starts_at, sale_ends_at,
                                     max_per_order, position, description, hidden, quota_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           RETURNING id"#,
        event,
        t.name,
        t.price.minor,
        t.quantity,
        t.sale_starts_at,
        t.sale_ends_at,
        t.max_per_order,
        position,
        t.description,
        t.hidden,
        t.quota_until
    )
    .fetch_one(db)
    .await
}

pub async fn update_type<'e>(
    db: impl PgExecutor<'e>,
    event: Uuid,
    id: Uuid,
    position: i32,
    t: &TicketTypeDraft,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE ticket_types
           SET name = $3, price_minor = $4, quantity = $5, sale_starts_at = $6, sale_ends_at = $7,
               max_per_order = $8, position = $9, description = $10, hidden = $11,
               quota_until = $12
           WHERE id = $1 AND event_id = $2"#,
        id,
        event,
        t.name,
        t.price.minor,
        t.quantity,
        t.sale_starts_at,
        t.sale_ends_at,
        t.max_per_order,
        position,
        t.description,
        t.hidden,
        t.quota_until
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_type<'e>(db: impl PgExecutor<'e>, event: Uuid, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM ticket_types WHERE id = $1 AND event_id = $2",
        id,
        event
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The event's title and description in other languages.
pub async fn translations<'e>(
    db: impl PgExecutor<'e>,
    event: Uuid,
) -> sqlx::Result<Vec<Translation>> {
    let rows = sqlx::query!(
        "SELECT locale, title, description FROM event_translations WHERE event_id = $1",
        event
    )
    .fetch_all(db)
    .await?;
    let mut translations: Vec<Translation> = rows
        .into_iter()
        .filter_map(|r| {
            Some(Translation {
                locale: Locale::from_tag(&r.locale)?,
                title: r.title,
                description: r.description,
            })
        })
        .collect();
    translations.sort_by_key(|t| t.locale);
    Ok(translations)
}

/// Makes `translations` the event's, and only them.
pub async fn replace_translations(
    conn: &mut PgConnection,
    event: Uuid,
    translations: &[Translation],
) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM event_translations WHERE event_id = $1", event)
        .execute(&mut *conn)
        .await?;
    for t in translations {
        sqlx::query!(
            "INSERT INTO event_translations (event_id, locale, title, description)
             VALUES ($1, $2, $3, $4)",
            event,
            t.locale.tag(),
            t.title,
            t.description
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
