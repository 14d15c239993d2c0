use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;

/// Puts the signed-in buyer on a sold-out type's waiting list.
#[server(endpoint = "waiting_list/join")]
pub async fn join_waiting_list(ticket_type_id: Uuid, quantity: i64) -> Result<(), AppError> {
    use crate::backend::{access, db, http::serve, waiting_list};
    serve(|state| async move {
        let user = access::require_user().await?;
        waiting_list::join(&state.db, &user, ticket_type_id, quantity).await?;
        let event = db::catalogue::event_of_type(&state.db, ticket_type_id)
            .await?
            .ok_or(AppError::NotFound)?;
        leptos_axum::redirect(&format!("/events/{event}?waiting=1"));
        Ok(())
    })
    .await
}

/// Takes the signed-in buyer off a type's waiting list.
#[server(endpoint = "waiting_list/leave")]
pub async fn leave_waiting_list(ticket_type_id: Uuid) -> Result<(), AppError> {
    use crate::backend::{access, http::serve, waiting_list};
    serve(|state| async move {
        let user = access::require_user().await?;
        waiting_list::leave(&state.db, &user, ticket_type_id).await?;
        Ok(())
    })
    .await
}

/// Turns the waiting room for an event's on-sale on or off (`enabled`: a
/// checkbox, present when ticked), with a presale for code holders until
/// `presale_until` (venue time; empty: none) and the browser check's
/// strength (`check`: automatic, standard or strong; automatic when absent),
/// how many minutes before the opening places are taken
/// (`register_minutes`: 1 to 43,200; empty: any time) and how many visitors
/// are let through a minute (`admit_per_minute`: 1 to 600,000; empty: the
/// shop's rate).
#[server(endpoint = "organizer/queue")]
pub async fn set_event_queue(
    event: Uuid,
    enabled: Option<String>,
    presale_until: Option<String>,
    check: Option<String>,
    register_minutes: Option<String>,
    admit_per_minute: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{access, http::serve, queue};
    serve(|state| async move {
        let organizer = access::require_active_organizer(&state).await?;
        let check = match check.as_deref().map(str::trim) {
            None | Some("") => crate::model::QueueCheck::Automatic,
            Some(raw) => crate::model::QueueCheck::parse(raw).ok_or_else(|| AppError::Invalid {
                field: Some("check".into()),
                message: "Choose automatic, standard or strong for the browser check.".into(),
            })?,
        };
        let register_minutes = AppError::optional_whole(
            register_minutes.as_deref().unwrap_or_default(),
            1..=43_200,
            "register_minutes",
            "Give the minutes before the sale when places open, from 1 to 43200 (30 days), or leave it empty.",
        )?;
        let admit_per_minute = AppError::optional_whole(
            admit_per_minute.as_deref().unwrap_or_default(),
            1..=600_000,
            "admit_per_minute",
            "Give how many visitors are let through a minute, from 1 to 600000, or leave it empty for the shop's rate.",
        )?;
        queue::switch(
            &state.db,
            &state.valkey,
            &organizer,
            event,
            &queue::QueueSettings {
                on: enabled.is_some(),
                presale_until: presale_until.as_deref().unwrap_or_default(),
                check,
                register_minutes,
                admit_per_minute,
            },
        )
        .await?;
        leptos_axum::redirect(&format!("/organizer/events/{event}/sales?queue=saved"));
        Ok(())
    })
    .await
}
