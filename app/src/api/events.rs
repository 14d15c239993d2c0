use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{EventForm, OrganizerEventRow, ZoneChoice};

/// An event as the editor loads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableEvent {
    pub form: EventForm,
    /// Held + sold across the event's types.
    pub committed: i32,
    /// The time zones the editor offers.
    pub time_zones: Vec<ZoneChoice>,
}

/// What a new event starts from, in the time zone of the organizer's latest
/// event (UTC for a first one).
#[server(endpoint = "organizer/new_event")]
pub async fn new_event() -> Result<EditableEvent, AppError> {
    use crate::backend::{AppState, access, db, events, http::respond, zones};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let zone = db::events::latest_time_zone(&state.db, organizer.id)
                .await?
                .unwrap_or_else(|| "UTC".to_string());
            Ok(EditableEvent {
                form: events::new_event_form(&zone),
                committed: 0,
                time_zones: zones::choices(),
            })
        }
        .await,
    )
}

/// The organizer's own events with their counters, per type.
#[server(endpoint = "organizer/events")]
pub async fn my_events() -> Result<Vec<OrganizerEventRow>, AppError> {
    use crate::backend::{AppState, access, db, http::respond};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let mut conn = state
                .db
                .acquire()
                .await
                .map_err(crate::backend::BackendError::from)?;
            Ok(db::events::list_for_organizer(&mut conn, organizer.id).await?)
        }
        .await,
    )
}

#[server(endpoint = "organizer/event")]
pub async fn load_event_for_edit(id: Uuid) -> Result<EditableEvent, AppError> {
    use crate::backend::{AppState, access, events, http::respond, zones};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let owned = events::owned(&state.db, organizer.id, id).await?;
            Ok(EditableEvent {
                form: EventForm::from_draft(&owned.draft, &zones::Tzdb),
                committed: owned.reserved + owned.sold,
                time_zones: zones::choices(),
            })
        }
        .await,
    )
}

/// Creates an event with its ticket types (no `id`) or updates one of the
/// caller's, then goes back to the list. The same rules as the editor's live
/// checks, plus the ones that need the database (quantities below what is sold,
/// prices after sales, removing a type that has orders).
#[server(endpoint = "organizer/save_event")]
pub async fn save_event(id: Option<Uuid>, form: EventForm) -> Result<Uuid, AppError> {
    use crate::backend::{AppState, access, events, http::respond};
    use crate::model::Role;
    respond(
        async {
            let state = AppState::from_context()?;
            let organizer = access::require_role(Role::Organizer).await?;
            let draft = form.parse(&crate::backend::zones::Tzdb)?;
            let id = match id {
                Some(id) => {
                    events::update(&state.db, organizer.id, id, &draft).await?;
                    id
                }
                None => events::create(&state.db, organizer.id, &draft).await?,
            };
            leptos_axum::redirect("/organizer");
            Ok(id)
        }
        .await,
    )
}
