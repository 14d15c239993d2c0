//! An organizer's events: creating them with their ticket types, and the
//! rules an edit must meet that need the database (what is already held or
//! sold, prices already paid, types that have orders).

use chrono::{TimeDelta, Timelike, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::db::events::{self, OwnedEvent};
use super::zones::Tzdb;

use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    Clocks, EventDraft, EventForm, EventStatus, TicketTypeForm, to_datetime_local, type_field,
};

/// What a new event starts from: a draft in `language` a month ahead at 19:30
/// on the venue's clock, with one ticket type on sale from now until the
/// doors open.
pub fn new_event_form(zone: &str, language: Locale) -> EventForm {
    let now = Tzdb.to_local(zone, Utc::now());
    let now = now
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    let starts = (now + TimeDelta::days(30))
        .with_hour(19)
        .and_then(|t| t.with_minute(30))
        .unwrap_or(now);
    EventForm {
        starts_at: to_datetime_local(starts),
        ends_at: to_datetime_local(starts + TimeDelta::hours(3)),
        time_zone: zone.to_string(),
        currency: "EUR".into(),
        status: "draft".into(),
        language: language.tag().into(),
        types: vec![TicketTypeForm {
            name: "Admission".into(),
            sale_starts_at: to_datetime_local(now),
            sale_ends_at: to_datetime_local(starts),
            max_per_order: "10".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

pub async fn create(db: &PgPool, organizer: Uuid, draft: &EventDraft) -> BackendResult<Uuid> {
    if draft.status == EventStatus::Cancelled {
        return Err(EditRefusal::CancelOnSalesPage.into());
    }
    let mut tx = db.begin().await?;
    // A constraint that still fires is answered by `db::constraint_refusal`.
    let id = events::insert_event(&mut *tx, organizer, draft).await?;
    for (position, t) in draft.types.iter().enumerate() {
        if t.id.is_some() {
            return Err(EditRefusal::NotThisEventsType { position }.into());
        }
        events::insert_type(&mut *tx, id, position as i32, t).await?;
    }
    events::replace_translations(&mut tx, id, &draft.translations).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn owned(db: &PgPool, organizer: Uuid, id: Uuid) -> BackendResult<OwnedEvent> {
    let mut conn = db.acquire().await?;
    events::owned_for_update(&mut conn, organizer, id)
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// Applies an edit, refusing (with the field to show it next to) what would
/// break a promise already made to buyers.
pub async fn update(db: &PgPool, organizer: Uuid, id: Uuid, new: &EventDraft) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let current = events::owned_for_update(&mut tx, organizer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_edit(&current, new)?;
    if new.currency != current.draft.currency
        && sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM event_codes WHERE event_id = $1
                   AND amount_off_minor IS NOT NULL AND disabled_at IS NULL) AS "fixed!""#,
            id
        )
        .fetch_one(&mut *tx)
        .await?
    {
        return Err(EditRefusal::CurrencyFixedByCodes.into());
    }
    events::update_event(&mut *tx, id, new).await?;
    for old in &current.types {
        let kept = new.types.iter().any(|t| t.id == old.draft.id);
        if let (false, Some(old_id)) = (kept, old.draft.id) {
            events::delete_type(&mut *tx, id, old_id).await?;
        }
    }
    for (position, t) in new.types.iter().enumerate() {
        let result = match t.id {
            Some(type_id) => events::update_type(&mut *tx, id, type_id, position as i32, t).await,
            None => events::insert_type(&mut *tx, id, position as i32, t)
                .await
                .map(|_| ()),
        };
        result?;
    }
    events::replace_translations(&mut tx, id, &new.translations).await?;
    tx.commit().await?;
    Ok(())
}

/// Why an edit would break a promise already made to buyers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefusal {
    #[error(
        "{committed} tickets are already sold or held, so the capacity cannot go below {committed}."
    )]
    CapacityBelowCommitted { committed: i32 },
    #[error("Tickets have already been sold or held in this currency, so it cannot change.")]
    CurrencyFixed,
    /// An amount off is in the event's currency: changed, it would mean
    /// another amount.
    #[error(
        "Codes of this event take an amount off in this currency, so it cannot change; disable them first."
    )]
    CurrencyFixedByCodes,
    #[error("This event was cancelled, so it can no longer be changed or published again.")]
    Cancelled,
    #[error(
        "To cancel the event, use “Cancel this event” on its sales page: it stops sales and refunds every buyer."
    )]
    CancelOnSalesPage,
    #[error("This ticket type is not one of this event's.")]
    NotThisEventsType { position: usize },
    #[error(
        "{taken} {type_name} tickets are already sold or held, so the quantity cannot go below {taken}."
    )]
    QuantityBelowTaken {
        position: usize,
        type_name: String,
        taken: i32,
    },
    #[error(
        "{type_name} tickets have already been sold at the current price, so it cannot change."
    )]
    PriceFixed { position: usize, type_name: String },
    #[error(
        "{type_name} has orders, so it cannot be removed; end its sale or lower its quantity instead."
    )]
    TypeHasOrders { type_name: String },
}

impl EditRefusal {
    /// The editor field the refusal is shown next to.
    pub fn field(&self) -> String {
        match self {
            Self::CapacityBelowCommitted { .. } => "capacity".into(),
            Self::CurrencyFixed | Self::CurrencyFixedByCodes => "currency".into(),
            Self::Cancelled | Self::CancelOnSalesPage => "status".into(),
            Self::NotThisEventsType { position } => type_field(*position, "name"),
            Self::QuantityBelowTaken { position, .. } => type_field(*position, "quantity"),
            Self::PriceFixed { position, .. } => type_field(*position, "price"),
            Self::TypeHasOrders { .. } => "types".into(),
        }
    }
}

impl From<EditRefusal> for AppError {
    fn from(refusal: EditRefusal) -> Self {
        AppError::invalid(refusal.field(), refusal.to_string())
    }
}

impl From<EditRefusal> for BackendError {
    fn from(refusal: EditRefusal) -> Self {
        BackendError::User(refusal.into())
    }
}

/// The rules of an edit against what the event has committed.
pub fn check_edit(current: &OwnedEvent, new: &EventDraft) -> Result<(), EditRefusal> {
    let committed = current.reserved + current.sold;
    if let Some(capacity) = new.capacity
        && capacity < committed
    {
        return Err(EditRefusal::CapacityBelowCommitted { committed });
    }
    // Cancelled is final: its buyers are being refunded, and a sale reopened
    // now would be refunded by the same job.
    if current.draft.status == EventStatus::Cancelled {
        return Err(EditRefusal::Cancelled);
    }
    // Cancelling refunds every buyer: only the cancellation does it.
    if new.status == EventStatus::Cancelled {
        return Err(EditRefusal::CancelOnSalesPage);
    }
    if committed > 0 && new.currency != current.draft.currency {
        return Err(EditRefusal::CurrencyFixed);
    }
    for (position, t) in new.types.iter().enumerate() {
        let Some(type_id) = t.id else { continue };
        let Some(old) = current.types.iter().find(|o| o.draft.id == Some(type_id)) else {
            return Err(EditRefusal::NotThisEventsType { position });
        };
        let taken = old.reserved + old.sold;
        if t.quantity < taken {
            return Err(EditRefusal::QuantityBelowTaken {
                position,
                type_name: old.draft.name.clone(),
                taken,
            });
        }
        // Whatever the status now: a detour through "draft" must not reprice
        // seats already sold or held.
        if taken > 0 && t.price != old.draft.price {
            return Err(EditRefusal::PriceFixed {
                position,
                type_name: old.draft.name.clone(),
            });
        }
    }
    if let Some(gone) = current
        .types
        .iter()
        .find(|old| old.has_orders && !new.types.iter().any(|t| t.id == old.draft.id))
    {
        return Err(EditRefusal::TypeHasOrders {
            type_name: gone.draft.name.clone(),
        });
    }
    Ok(())
}
