use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{OrganizerTicketRow, TicketForm};

/// A listing as the editor loads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableTicket {
    pub form: TicketForm,
    pub reserved: i32,
    pub sold: i32,
}

/// The organizer's own listings with their counters.
#[server(endpoint = "organizer/tickets")]
pub async fn my_tickets() -> Result<Vec<OrganizerTicketRow>, AppError> {
    use crate::backend::{AppState, access, db, http::respond};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            Ok(db::tickets::list_for_organizer(&state.db, organizer.id).await?)
        }
        .await,
    )
}

#[server(endpoint = "organizer/ticket")]
pub async fn load_ticket_for_edit(id: Uuid) -> Result<EditableTicket, AppError> {
    use crate::backend::{AppState, access, http::respond, tickets};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let owned = tickets::owned(&state.db, organizer.id, id).await?;
            Ok(EditableTicket {
                form: TicketForm::from_draft(&owned.draft),
                reserved: owned.reserved,
                sold: owned.sold,
            })
        }
        .await,
    )
}

/// Creates a listing (no `id`) or updates one of the caller's, then goes back to
/// the list. The same rules as the editor's live checks, plus the ones that need
/// the database (stock below seats sold, price after sales).
#[server(endpoint = "organizer/save_ticket")]
pub async fn save_ticket(id: Option<Uuid>, form: TicketForm) -> Result<Uuid, AppError> {
    use crate::backend::{AppState, access, http::respond, tickets};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let draft = form.parse()?;
            let id = match id {
                Some(id) => {
                    tickets::update(&state.db, organizer.id, id, &draft).await?;
                    id
                }
                None => tickets::create(&state.db, organizer.id, &draft).await?,
            };
            leptos_axum::redirect("/organizer");
            Ok(id)
        }
        .await,
    )
}
