use leptos::prelude::*;

use crate::error::AppError;
use crate::model::EventCard;

/// The catalogue's front page: published events that have not ended, soonest first.
#[server]
pub async fn upcoming_events() -> Result<Vec<EventCard>, AppError> {
    use crate::backend::{AppState, BackendError, db, http::respond};

    respond(
        async {
            let state = AppState::from_context()?;
            db::catalogue::upcoming_events(&state.db, 50)
                .await
                .map_err(|err| AppError::from(BackendError::from(err)))
        }
        .await,
    )
}
