//! The organizer's editor rules: create and update only their own listings.

use sqlx::PgPool;
use uuid::Uuid;

use super::db::tickets::{self, OwnedTicket};
use super::{BackendError, BackendResult, db};
use crate::error::AppError;
use crate::model::{TicketDraft, TicketStatus};

pub async fn create(db: &PgPool, organizer: Uuid, draft: &TicketDraft) -> BackendResult<Uuid> {
    tickets::insert(db, organizer, draft)
        .await
        .map_err(constraint_to_field)
}

/// The listing for the editor, or 404 when it is not the caller's (whether or not
/// it exists: other organizers' listings are not revealed).
pub async fn owned(db: &PgPool, organizer: Uuid, id: Uuid) -> BackendResult<OwnedTicket> {
    let mut conn = db.acquire().await?;
    tickets::owned_for_update(&mut conn, organizer, id)
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// Updates a listing under a row lock, so the checks below see the counters the
/// write will meet.
pub async fn update(
    db: &PgPool,
    organizer: Uuid,
    id: Uuid,
    new: &TicketDraft,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let current = tickets::owned_for_update(&mut tx, organizer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let committed = current.reserved + current.sold;
    if new.stock < committed {
        return Err(AppError::invalid(
            "stock",
            format!(
                "{committed} seats are already sold or held, so stock cannot go below {committed}."
            ),
        )
        .into());
    }
    let has_sales = committed > 0 && current.draft.status == TicketStatus::Published;
    if has_sales
        && (new.price_minor != current.draft.price_minor || new.currency != current.draft.currency)
    {
        return Err(AppError::invalid(
            "price",
            "Tickets have already been sold at the current price, so the price and currency cannot change.",
        )
        .into());
    }
    tickets::update(&mut *tx, id, new)
        .await
        .map_err(constraint_to_field)?;
    tx.commit().await?;
    Ok(())
}

/// The database's own checks, named for the field they concern: they back up the
/// rules above if the application ever gets them wrong.
fn constraint_to_field(err: sqlx::Error) -> BackendError {
    let field = match db::violated_constraint(&err) {
        Some("tickets_no_oversell" | "tickets_stock_check") => "stock",
        Some("tickets_event_window_check") => "ends_at",
        Some("tickets_sale_window_check") => "sale_ends_at",
        Some("tickets_price_minor_check") => "price",
        _ => return err.into(),
    };
    AppError::invalid(
        field,
        "This value breaks a rule of the listing; please check it.",
    )
    .into()
}
