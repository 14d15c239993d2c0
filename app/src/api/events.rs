use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
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
    /// Its cover image, if it has one.
    pub cover_url: Option<String>,
}

/// What a new event starts from, in the time zone of the organizer's latest
/// event (UTC for a first one).
#[server(endpoint = "organizer/new_event")]
pub async fn new_event() -> Result<EditableEvent, AppError> {
    use crate::backend::{access, db, events, http::serve, zones};
    use crate::model::Role;
    let page_locale = crate::i18n::use_locale();
    serve(|state| async move {
        let organizer = access::require_role(Role::Organizer).await?;
        // A suspended organizer cannot save one, so is not offered a blank form.
        access::ensure_not_suspended(&state, &organizer).await?;
        let zone = db::events::latest_time_zone(&state.db, organizer.id)
            .await?
            .unwrap_or_else(|| "UTC".to_string());
        // Written, most likely, in the language the organizer reads the shop in.
        let language = crate::backend::accounts::locale_of(&state.db, organizer.id)
            .await?
            .unwrap_or(page_locale);
        Ok(EditableEvent {
            form: events::new_event_form(&zone, language),
            committed: 0,
            time_zones: zones::choices(),
            cover_url: None,
        })
    })
    .await
}

/// The organizer's own events with their counters, per type.
#[server(endpoint = "organizer/events")]
pub async fn my_events() -> Result<Vec<OrganizerEventRow>, AppError> {
    use crate::backend::{access, db, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        let organizer = access::require_role(Role::Organizer).await?;
        let mut conn = state
            .db
            .acquire()
            .await
            .map_err(crate::backend::BackendError::from)?;
        Ok(db::events::list_for_organizer(&mut conn, organizer.id).await?)
    })
    .await
}

#[server(endpoint = "organizer/event")]
pub async fn load_event_for_edit(id: Uuid) -> Result<EditableEvent, AppError> {
    use crate::backend::{access, events, http::serve, zones};
    use crate::model::Role;
    serve(|state| async move {
        let organizer = access::require_role(Role::Organizer).await?;
        let owned = events::owned(&state.db, organizer.id, id).await?;
        Ok(EditableEvent {
            form: EventForm::from_draft(&owned.draft, &zones::Tzdb),
            committed: owned.reserved + owned.sold,
            time_zones: zones::choices(),
            cover_url: owned
                .cover_key
                .as_deref()
                .map(crate::backend::covers::cover_url),
        })
    })
    .await
}

/// Creates an event with its ticket types (no `id`) or updates one of the
/// caller's, then goes back to the list. The same rules as the editor's live
/// checks, plus the ones that need the database (quantities below what is sold,
/// prices after sales, removing a type that has orders).
#[server(endpoint = "organizer/save_event")]
pub async fn save_event(id: Option<Uuid>, form: EventForm) -> Result<Uuid, AppError> {
    use crate::backend::{access, events, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        let organizer = access::require_role(Role::Organizer).await?;
        access::ensure_not_suspended(&state, &organizer).await?;
        let draft = form.parse(&crate::backend::zones::Tzdb)?;
        let id = match id {
            Some(id) => {
                events::update(&state.db, organizer.id, id, &draft).await?;
                crate::backend::queue::refresh_if_live(&state.db, &state.valkey, id).await;
                id
            }
            None => events::create(&state.db, organizer.id, &draft).await?,
        };
        // The organizer's events, saying which one was just saved.
        leptos_axum::redirect(&format!("/organizer?saved={id}"));
        Ok(id)
    })
    .await
}

/// Gives one of the caller's events a cover image: a multipart form with the
/// event's id (`event`) and the image (`cover`), which works as a plain form.
/// The image is checked and re-encoded ([`crate::backend::covers::prepare`])
/// and stored under its content hash; then back to the editor.
#[server(input = MultipartFormData, endpoint = "organizer/cover")]
pub async fn upload_cover(data: MultipartData) -> Result<(), AppError> {
    use crate::backend::covers::{self, CoverRefusal, MAX_UPLOAD_BYTES};
    use crate::backend::{access, db, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        let organizer = access::require_role(Role::Organizer).await?;
        access::ensure_not_suspended(&state, &organizer).await?;
        let unreadable = |_| AppError::Invalid {
            field: Some("cover".into()),
            message: "The upload was cut short; please try again.".into(),
        };
        let mut form = data.into_inner().ok_or(AppError::Internal)?;
        let (mut event, mut upload) = (None, Vec::new());
        while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("event") => {
                    event = Uuid::parse_str(field.text().await.map_err(unreadable)?.trim()).ok()
                }
                Some("cover") => {
                    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                        if upload.len() + chunk.len() > MAX_UPLOAD_BYTES {
                            return Err(CoverRefusal::TooLarge.into());
                        }
                        upload.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        let event = event.ok_or(AppError::NotFound)?;
        let mine = db::events::is_organizers(&state.db, organizer.id, event)
            .await
            .map_err(crate::backend::BackendError::from)?;
        if !mine {
            return Err(AppError::NotFound);
        }
        // Each upload costs a decode: a few an hour per organizer is plenty.
        use crate::backend::rate_limit::{self, Bucket};
        rate_limit::limit(&state, Bucket::CoverUploads(organizer.id)).await?;
        let cover = covers::prepare_in_turn(upload).await?;
        state.covers.put(&cover).await.map_err(|err| {
            tracing::error!(error = %err, "cover store failed");
            AppError::Unavailable(crate::error::Service::Images)
        })?;
        if !db::events::set_cover(&state.db, organizer.id, event, &cover.key)
            .await
            .map_err(crate::backend::BackendError::from)?
        {
            return Err(AppError::NotFound);
        }
        leptos_axum::redirect(&format!("/organizer/events/{event}/edit?cover=saved"));
        Ok(())
    })
    .await
}
