//! Door staff: inviting, listing, revoking (the organizer) and accepting (the invitee).

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{DoorLink, DoorStaffView};

/// The event's title and its door staff.
#[server(endpoint = "organizer/staff")]
pub async fn door_staff(event: Uuid) -> Result<(String, Vec<DoorStaffView>), AppError> {
    use crate::backend::{access, door_staff, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        door_staff::list(&state.db, &organizer, event)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[server(endpoint = "organizer/invite_staff")]
pub async fn invite_staff(event: Uuid, email: String) -> Result<(), AppError> {
    use crate::backend::{access, door_staff, http::serve, rate_limit};
    serve(|state| async move {
        // No new people at the door of a suspended organizer's events.
        let organizer = access::require_active_organizer(&state).await?;
        rate_limit::limit_mail_to(&state, &email.trim().to_lowercase()).await?;
        door_staff::invite(&state.db, &organizer, event, &email).await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/staff?invited=1"));
        Ok(())
    })
    .await
}

#[server(endpoint = "organizer/revoke_staff")]
pub async fn revoke_staff(event: Uuid, invitation: Uuid) -> Result<(), AppError> {
    use crate::backend::{access, door_staff, http::serve};
    serve(|state| async move {
        let organizer = access::require_organizer().await?;
        door_staff::revoke(&state.db, &organizer, event, invitation).await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/staff"));
        Ok(())
    })
    .await
}

/// Accepts an invitation as the signed-in user and opens the event's door page.
#[server(endpoint = "door/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    use crate::backend::{access, door_staff, http::serve};
    serve(|state| async move {
        let user = access::require_user().await?;
        let event = door_staff::accept(&state.db, &state.link_key(), &token, &user).await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/checkin"));
        Ok(())
    })
    .await
}

/// The doors the signed-in account staffs (none for most accounts).
#[server(endpoint = "door/mine")]
pub async fn my_doors() -> Result<Vec<DoorLink>, AppError> {
    use crate::backend::{access, door_staff, http::serve};
    serve(|state| async move {
        let user = access::require_user().await?;
        Ok(door_staff::doors_of(&state.db, &user).await?)
    })
    .await
}
