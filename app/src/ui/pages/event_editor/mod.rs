//! The organizer's reactive event editor: the event and its ticket types
//! together (add, remove, reorder, duplicate a type). Every field is checked as
//! it is typed (the same rules the server applies again), and a live preview
//! shows the card buyers will see.
//!
//! `island` puts the editor together; `fields` holds the event's own fields,
//! `languages` its language and translations, `types` the ticket types' rows,
//! `preview` the card.

mod fields;
mod island;
mod languages;
mod preview;
mod types;

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::api::events::{SaveEvent, UploadCover, load_event_for_edit, new_event};
use crate::api::organizers::organizer_overview;
use crate::error::AppError;
use crate::ui::components::form::url_error;
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;
use island::EventEditor;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move { Ok::<_, AppError>((organizer_overview().await?, new_event().await?)) },
    );
    view! {
        <Title text="New event" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((profile, event)) => view! {
                        <EventEditor id=None initial=event.form committed=0 time_zones=event.time_zones
                            cover_url=None organizer=profile.org_name url_error={url_error::<SaveEvent>()} />
                        <p class="mt-4 text-sm text-slate-600 lg:w-2/3" data-testid="cover-after-save">
                            "A cover image can be added once the event is saved: open it from My events with Edit."
                        </p>
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    let id = use_id_param();
    let data = Resource::new(id, |id| async move {
        let id = id.ok_or(AppError::NotFound)?;
        let profile = organizer_overview().await?;
        let event = load_event_for_edit(id).await?;
        Ok::<_, AppError>((id, profile, event))
    });
    view! {
        <Title text="Edit event" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((id, profile, event)) => view! {
                        <EventEditor id=Some(id) initial=event.form committed=event.committed
                            time_zones=event.time_zones cover_url=event.cover_url.clone()
                            organizer=profile.org_name url_error={url_error::<SaveEvent>()} />
                        <CoverForm id cover_url=event.cover_url />
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

/// The cover image: a plain multipart form (no island), which reloads the
/// editor with the new cover or the reason it was refused.
#[component]
fn CoverForm(id: Uuid, cover_url: Option<String>) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let error = url_error::<UploadCover>();
    let saved = error.is_none()
        && leptos_router::hooks::use_query_map()
            .read_untracked()
            .get("cover")
            .is_some_and(|v| v == "saved");
    view! {
        <section class="mt-8 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm lg:w-2/3" data-testid="cover-section">
            <h2 class="text-lg font-semibold">"Cover image"</h2>
            <p class="mt-1 text-sm text-slate-600">
                {if cover_url.is_some() {
                    "Shown on the event's page and its card in the catalogue."
                } else {
                    "None yet: the event's page and card show a placeholder."
                }}
            </p>
            {cover_url.map(|url| view! {
                <img src=url alt="The current cover" width="1600" height="1000"
                    class="mt-3 aspect-video w-full max-w-md rounded-lg object-cover" data-testid="current-cover" />
            })}
            <form method="post" action=UploadCover::PATH enctype="multipart/form-data" class="mt-4 space-y-3">
                <input type="hidden" name="event" value=id.to_string() />
                <label for="cover-file" class="block text-sm font-medium text-slate-700">
                    "New cover (JPEG, PNG or WebP; at least 640 × 320 pixels, up to 8 MB)"
                </label>
                <input id="cover-file" type="file" name="cover" accept="image/jpeg,image/png,image/webp" required
                    class="block w-full text-sm" />
                {saved.then(|| view! {
                    <p role="status" class="text-sm font-semibold text-emerald-700" data-testid="cover-saved">"Cover saved."</p>
                })}
                <p class="min-h-5 text-sm text-rose-700" data-testid="cover-error">
                    {error.map(|err| err.to_string())}
                </p>
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                    "Upload cover"
                </button>
            </form>
        </section>
    }
}
