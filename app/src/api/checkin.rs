use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{DoorStats, ScanResult};

/// The signed-in organizer (or admin), or the event's door staff, or 401/403.
/// Which events an organizer may work is decided per scan.
#[cfg(feature = "ssr")]
async fn door_keeper(event: Uuid) -> Result<crate::backend::auth::SessionUser, AppError> {
    use crate::backend::{AppState, door_staff};
    use crate::model::Role;
    let user = crate::backend::access::require_user().await?;
    if matches!(user.role, Role::Organizer | Role::Admin) {
        return Ok(user);
    }
    let state = AppState::from_context()?;
    if door_staff::is_staff(&state.db, &user, event).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks a ticket in at an event's door.
#[server(endpoint = "checkin/scan")]
pub async fn scan_pass(event: Uuid, code: String) -> Result<ScanResult, AppError> {
    use crate::backend::checkin::{CheckIn, check_in};
    use crate::backend::http::serve;
    serve(|state| async move {
        let scanner = door_keeper(event).await?;
        Ok(match check_in(&state.db, &scanner, event, &code).await? {
            CheckIn::Admitted {
                seat_no,
                holder,
                type_name,
            } => ScanResult::Admitted {
                seat_no,
                holder,
                type_name,
            },
            CheckIn::AlreadyCheckedIn { at, by } => ScanResult::AlreadyCheckedIn { at, by },
            CheckIn::Refused(reason) => ScanResult::Refused(reason),
        })
    })
    .await
}

/// What a door device keeps to check the event's tickets without a network:
/// the door key's public half and the tickets that no longer admit as
/// signed; another organizer's event is 404.
#[server(endpoint = "checkin/list")]
pub async fn get_door_list(event: Uuid) -> Result<crate::model::DoorList, AppError> {
    use crate::backend::{checkin, http::serve};
    serve(|state| async move {
        let scanner = door_keeper(event).await?;
        checkin::door_list(&state.db, &scanner, event)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Live counts for the door page; another organizer's event is 404.
#[server(endpoint = "checkin/stats")]
pub async fn get_door_stats(event: Uuid) -> Result<DoorStats, AppError> {
    use crate::backend::{checkin, http::serve};
    serve(|state| async move {
        let scanner = door_keeper(event).await?;
        checkin::door_stats(&state.db, &scanner, event)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
