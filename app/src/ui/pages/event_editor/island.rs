//! The editor itself: a lazy island (its own wasm chunk, which buyers never
//! fetch) putting the event's fields, the ticket types and the preview
//! together, checking the form as it is typed.

use leptos::prelude::*;
use uuid::Uuid;

use super::fields::{EventFields, EventSignals};
use super::languages::{LanguageFields, LanguageSignals};
use super::preview::{self, CardBase};
use super::types::{TypeEditor, TypeRows};
use crate::api::events::SaveEvent;
use crate::error::AppError;
use crate::model::{EventForm, MAX_TICKET_TYPES, WallClock, ZoneChoice};
use crate::ui::components::event_card::EventCardView;
use crate::ui::components::form::{FormError, SubmitButton, action_error};
use crate::ui::islands::mark_ready;

/// Organizers only: a lazy island, its own wasm chunk that buyers never fetch.
#[island(lazy)]
pub fn EventEditor(
    id: Option<Uuid>,
    initial: EventForm,
    committed: i32,
    time_zones: Vec<ZoneChoice>,
    cover_url: Option<String>,
    organizer: String,
    url_error: Option<AppError>,
) -> impl IntoView {
    mark_ready();
    let save = ServerAction::<SaveEvent>::new();
    let server_error = action_error(save, url_error);
    let event = EventSignals::new(&initial);
    let languages = LanguageSignals::new(&initial);
    // Without JavaScript the add button cannot work: the form then carries a
    // spare blank row, which the rules skip while it stays empty.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let spare = TypeRows::spare(initial.types.first());
    let types = TypeRows::new(initial.types);
    // Sales close when the event starts, for the types whose sale window the
    // organizer has not set: moving the event moves them.
    Effect::new(move |_| {
        let starts_at = event.starts_at.get();
        types.follow_start(&starts_at);
    });
    let form = move || EventForm {
        language: languages.language.get(),
        translations: languages.forms(),
        ..event.form(types.forms())
    };
    let zones = StoredValue::new(time_zones);
    let problems = Memo::new(move |_| {
        zones.with_value(|zones| form().check(&WallClock { zones }).err().unwrap_or_default())
    });
    // Problems show per field once it has been edited, and all of them once a
    // save has been tried.
    let touched = RwSignal::new(Vec::<String>::new());
    let tried = move || save.version().get() > 0 || server_error.get().is_some();
    // The form the server last answered (the page's own when it came with an
    // answer): its refusal speaks only while the form is still that one.
    let answered = RwSignal::new(None::<EventForm>);
    Effect::new(move |_| {
        save.version().track();
        answered.set(Some(untrack(form)));
    });
    let error_for = move |field: String| {
        Signal::derive(move || {
            let live = (tried() || touched.with(|t| t.contains(&field)))
                .then(|| EventForm::error_for(&problems.get(), &field))
                .flatten();
            let unchanged = answered.with(|a| a.as_ref().is_none_or(|a| *a == form()));
            live.or_else(|| {
                unchanged
                    .then(|| server_error.get().and_then(|e| e.for_field(&field)))
                    .flatten()
            })
        })
    };
    let base = CardBase {
        id,
        cover_url,
        committed,
        organizer,
    };
    let preview = move || zones.with_value(|zones| preview::card(&form(), zones, &base));
    let heading = if id.is_some() {
        "Edit event"
    } else {
        "New event"
    };
    view! {
        <div class="grid gap-8 lg:grid-cols-3">
            <section class="lg:col-span-2 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <div class="flex items-baseline justify-between">
                    <h1 class="text-2xl font-bold">{heading}</h1>
                    <a href="/organizer" class="text-sm text-indigo-700 hover:underline">"Back to my events"</a>
                </div>
                {(committed > 0).then(|| view! {
                    <p class="mt-2 text-sm text-amber-800" data-testid="committed-note">
                        {committed} " tickets are sold or held: quantities and the capacity cannot go below that, and prices are fixed once tickets are sold."
                    </p>
                })}
                <ActionForm action=save attr:class="mt-6 space-y-6" attr:novalidate=true>
                    <FormError error=server_error beside=|f| f != "id" />
                    {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                    <EventFields event zones error_for touched />
                    <LanguageFields languages error_for touched />
                    <section class="space-y-3">
                        <div class="flex items-baseline justify-between">
                            <h2 class="text-lg font-semibold">"Ticket types"</h2>
                            <button type="button" class="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-semibold hover:bg-slate-100"
                                disabled=move || { types.len() >= MAX_TICKET_TYPES }
                                on:click=move |_| types.add(None)>"Add a ticket type"</button>
                        </div>
                        <p class="min-h-5 text-sm text-rose-700" data-testid="error-types">{move || error_for("types".into()).get()}</p>
                        <For each=move || types.rows.get() key=|t| t.key let:row>
                            <TypeEditor row index=Signal::derive(move || types.index_of(row.key)) count=Signal::derive(move || types.len())
                                error_for touched
                                on_up=move || types.shift(row.key, true) on_down=move || types.shift(row.key, false)
                                on_copy=move || types.add(Some(row)) on_remove=move || types.remove(row.key) />
                        </For>
                        // `data-without-js`: gone once the island is live (browser tests wait for that).
                        {move || (!hydrated.get()).then(|| view! {
                            <div class="space-y-3" data-without-js="spare-type">
                                <p class="text-sm text-slate-600">"To add a ticket type, fill in the row below; leave it empty otherwise."</p>
                                <TypeEditor row=spare index=Signal::derive(move || types.len()) count=Signal::derive(move || types.len() + 1)
                                    error_for touched on_up=|| () on_down=|| () on_copy=|| () on_remove=|| () />
                            </div>
                        })}
                    </section>
                    <div class="sm:w-60">
                        <SubmitButton label="Save event" pending=save.pending() />
                    </div>
                </ActionForm>
            </section>
            <aside class="space-y-3">
                <h2 class="text-sm font-semibold uppercase tracking-wide text-slate-600">"Live preview"</h2>
                <div data-testid="preview">{move || view! { <EventCardView event=preview() preview=true /> }}</div>
                <p class="text-xs text-slate-600">"This is how buyers will see the event in the catalogue."</p>
            </aside>
        </div>
    }
}
