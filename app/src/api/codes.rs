//! An event's codes, for its organizer: the list, making them (one, a pasted
//! list, or many random ones) and disabling one. The CSV of all of them is
//! `/organizer/events/{id}/codes.csv` (`backend::exports`).

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{CodeForm, EventCodesView};

#[server(endpoint = "organizer/codes")]
pub async fn event_codes(event: Uuid) -> Result<EventCodesView, AppError> {
    use crate::backend::{access, codes::manage, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        Ok(manage::page(&state.db, &organizer, event).await?)
    })
    .await
}

/// Makes the codes and goes back to the page, saying how many were made
/// (and how many of those typed the event had already).
#[server(endpoint = "organizer/make_codes")]
pub async fn make_codes(event: Uuid, form: CodeForm) -> Result<(), AppError> {
    use crate::backend::{access, codes::manage, http::serve};
    serve(|state| async move {
        // No new codes for a suspended organizer's events.
        let organizer = access::require_active_organizer(&state).await?;
        let made = manage::make(&state.db, &organizer, event, &form).await?;
        leptos_axum::redirect(&format!(
            "/organizer/events/{event}/codes?made={}&already={}",
            made.codes.len(),
            made.already.len()
        ));
        Ok(())
    })
    .await
}

/// Stops a code being used from now on (tickets bought with it stay).
#[server(endpoint = "organizer/disable_code")]
pub async fn disable_code(event: Uuid, code: Uuid) -> Result<(), AppError> {
    use crate::backend::{access, codes, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        if !codes::disable(&state.db, &organizer, event, code).await? {
            return Err(AppError::NotFound);
        }
        leptos_axum::redirect(&format!("/organizer/events/{event}/codes"));
        Ok(())
    })
    .await
}
