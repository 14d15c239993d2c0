//! The organizer's reactive event editor: the event and its ticket types
//! together (add, remove, reorder, duplicate a type). Every field is checked as
//! it is typed (the same rules the server applies again), and a live preview
//! shows the card buyers will see.

use chrono::Utc;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::api::events::{SaveEvent, UploadCover, load_event_for_edit, new_event};
use crate::api::organizers::organizer_overview;
use crate::error::AppError;
use crate::model::{
    CURRENCIES, Clocks, Currency, EventCard, EventForm, MAX_TICKET_TYPES, Money, TicketTypeForm,
    VenueTime, WallClock, ZoneChoice, parse_datetime_local, type_field,
};
use crate::ui::components::event_card::EventCardView;
use crate::ui::components::form::{FormError, SubmitButton, action_error, input_class, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::{mark_ready, typed_before_hydration};
use crate::ui::params::use_id_param;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move { Ok::<_, AppError>((organizer_overview().await?, new_event().await?)) },
    );
    view! {
        <Title text="New event" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
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
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
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

/// A time typed in the editor, for the preview: the venue's clock, named by
/// its zone (the abbreviation needs the zone database, which stays on the server).
fn on_venue_clock(
    zones: &[ZoneChoice],
    local: Option<chrono::NaiveDateTime>,
    zone: &str,
) -> VenueTime {
    let clocks = WallClock { zones };
    let zone = zone.trim();
    let local = local.unwrap_or_else(|| clocks.to_local(zone, Utc::now()));
    VenueTime {
        utc: clocks
            .to_utc(zone, local)
            .unwrap_or_else(|_| local.and_utc()),
        local,
        zone: zone.to_string(),
    }
}

/// The cover image: a plain multipart form (no island), which reloads the
/// editor with the new cover or the reason it was refused.
#[component]
fn CoverForm(id: Uuid, cover_url: Option<String>) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let error = url_error::<UploadCover>();
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
                <p class="min-h-5 text-sm text-rose-600" data-testid="cover-error">
                    {error.map(|err| err.to_string())}
                </p>
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                    "Upload cover"
                </button>
            </form>
        </section>
    }
}

#[derive(Clone, Copy)]
struct EventSignals {
    title: RwSignal<String>,
    description: RwSignal<String>,
    venue: RwSignal<String>,
    starts_at: RwSignal<String>,
    ends_at: RwSignal<String>,
    time_zone: RwSignal<String>,
    currency: RwSignal<String>,
    capacity: RwSignal<String>,
    status: RwSignal<String>,
}

/// One ticket type's fields; `key` stays the same while rows move.
#[derive(Clone, Copy)]
struct TypeSignals {
    key: u64,
    id: RwSignal<String>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    price: RwSignal<String>,
    quantity: RwSignal<String>,
    sale_starts_at: RwSignal<String>,
    sale_ends_at: RwSignal<String>,
    max_per_order: RwSignal<String>,
    hidden: RwSignal<bool>,
}

impl TypeSignals {
    fn new(key: u64, form: TicketTypeForm) -> Self {
        Self {
            key,
            id: RwSignal::new(form.id),
            name: RwSignal::new(form.name),
            description: RwSignal::new(form.description),
            price: RwSignal::new(form.price),
            quantity: RwSignal::new(form.quantity),
            sale_starts_at: RwSignal::new(form.sale_starts_at),
            sale_ends_at: RwSignal::new(form.sale_ends_at),
            max_per_order: RwSignal::new(form.max_per_order),
            hidden: RwSignal::new(form.hidden == "true"),
        }
    }

    fn get(&self) -> TicketTypeForm {
        TicketTypeForm {
            id: self.id.get(),
            name: self.name.get(),
            description: self.description.get(),
            price: self.price.get(),
            quantity: self.quantity.get(),
            sale_starts_at: self.sale_starts_at.get(),
            sale_ends_at: self.sale_ends_at.get(),
            max_per_order: self.max_per_order.get(),
            hidden: if self.hidden.get() { "true" } else { "" }.to_string(),
        }
    }
}

/// Organizers only: a lazy island, its own wasm chunk that buyers never fetch.
#[island(lazy)]
fn EventEditor(
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
    let event = EventSignals {
        title: RwSignal::new(initial.title),
        description: RwSignal::new(initial.description),
        venue: RwSignal::new(initial.venue),
        starts_at: RwSignal::new(initial.starts_at),
        ends_at: RwSignal::new(initial.ends_at),
        time_zone: RwSignal::new(initial.time_zone),
        currency: RwSignal::new(initial.currency),
        capacity: RwSignal::new(initial.capacity),
        status: RwSignal::new(initial.status),
    };
    // Without JavaScript the add button cannot work: the form then carries a
    // spare blank row, which the rules skip while it stays empty.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let spare = TypeSignals::new(
        u64::MAX,
        TicketTypeForm {
            sale_starts_at: initial
                .types
                .first()
                .map(|t| t.sale_starts_at.clone())
                .unwrap_or_default(),
            sale_ends_at: initial
                .types
                .first()
                .map(|t| t.sale_ends_at.clone())
                .unwrap_or_default(),
            max_per_order: "10".into(),
            ..Default::default()
        },
    );
    let next_key = StoredValue::new(initial.types.len() as u64);
    let types = RwSignal::new(
        initial
            .types
            .into_iter()
            .enumerate()
            .map(|(i, t)| TypeSignals::new(i as u64, t))
            .collect::<Vec<_>>(),
    );
    let form = move || EventForm {
        title: event.title.get(),
        description: event.description.get(),
        venue: event.venue.get(),
        starts_at: event.starts_at.get(),
        ends_at: event.ends_at.get(),
        time_zone: event.time_zone.get(),
        currency: event.currency.get(),
        capacity: event.capacity.get(),
        status: event.status.get(),
        types: types.get().iter().map(TypeSignals::get).collect(),
    };
    let zones = StoredValue::new(time_zones);
    let problems = Memo::new(move |_| {
        zones.with_value(|zones| form().check(&WallClock { zones }).err().unwrap_or_default())
    });
    // Problems show per field once it has been edited, and all of them once a
    // save has been tried.
    let touched = RwSignal::new(Vec::<String>::new());
    let tried = move || save.version().get() > 0 || server_error.get().is_some();
    let error_for = move |field: String| {
        Signal::derive(move || {
            let live = (tried() || touched.with(|t| t.contains(&field)))
                .then(|| EventForm::error_for(&problems.get(), &field))
                .flatten();
            live.or_else(|| server_error.get().and_then(|e| e.for_field(&field)))
        })
    };
    let index_of =
        move |key: u64| types.with(|all| all.iter().position(|t| t.key == key).unwrap_or(0));
    let add_type = move |copy_of: Option<TypeSignals>| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let mut fields = copy_of.map(|t| t.get()).unwrap_or_else(|| {
            let first = types.with_untracked(|all| all.first().map(TypeSignals::get));
            TicketTypeForm {
                sale_starts_at: first
                    .as_ref()
                    .map(|f| f.sale_starts_at.clone())
                    .unwrap_or_default(),
                sale_ends_at: first
                    .as_ref()
                    .map(|f| f.sale_ends_at.clone())
                    .unwrap_or_default(),
                max_per_order: "10".into(),
                ..Default::default()
            }
        });
        // A copy is a new type: it has no id and needs a name of its own.
        fields.id = String::new();
        if copy_of.is_some() {
            fields.name = format!("{} (copy)", fields.name);
        }
        types.update(|all| {
            if all.len() < MAX_TICKET_TYPES {
                all.push(TypeSignals::new(key, fields));
            }
        });
    };
    let move_type = move |key: u64, up: bool| {
        types.update(|all| {
            if let Some(i) = all.iter().position(|t| t.key == key) {
                let j = if up {
                    i.checked_sub(1)
                } else {
                    Some(i + 1).filter(|j| *j < all.len())
                };
                if let Some(j) = j {
                    all.swap(i, j);
                }
            }
        });
    };
    let remove_type = move |key: u64| types.update(|all| all.retain(|t| t.key != key));
    let preview = move || {
        let form = form();
        let quantities: Vec<i32> = form
            .types
            .iter()
            .map(|t| t.quantity.trim().parse::<i32>().unwrap_or(0))
            .collect();
        let currency = Currency::offered(&form.currency)
            .unwrap_or_else(|| Currency::from_stored("EUR".into()));
        let prices: Vec<i64> = form
            .types
            .iter()
            .filter_map(|t| Money::parse(&t.price, &currency).ok())
            .map(|price| price.minor)
            .collect();
        let total: i32 = quantities.iter().sum();
        let stock = form
            .capacity
            .trim()
            .parse::<i32>()
            .unwrap_or(total)
            .min(total.max(0));
        EventCard {
            id: id.unwrap_or_default(),
            cover_url: cover_url.clone(),
            title: form.title.trim().to_string(),
            venue: if form.venue.trim().is_empty() {
                "Venue".into()
            } else {
                form.venue.trim().to_string()
            },
            starts_at: zones.with_value(|zones| {
                on_venue_clock(
                    zones,
                    parse_datetime_local(&form.starts_at),
                    &form.time_zone,
                )
            }),
            sale_starts_at: zones.with_value(|zones| {
                on_venue_clock(
                    zones,
                    form.types
                        .iter()
                        .filter_map(|t| parse_datetime_local(&t.sale_starts_at))
                        .min(),
                    &form.time_zone,
                )
            }),
            price: currency.amount(prices.iter().copied().min().unwrap_or(0)),
            several_prices: prices.iter().any(|p| Some(p) != prices.first()),
            stock,
            available: stock - committed,
            organizer_name: organizer.clone(),
        }
    };
    let heading = if id.is_some() {
        "Edit event"
    } else {
        "New event"
    };
    let select = "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2";
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
                    <FormError error=server_error />
                    {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                    <fieldset class="grid gap-4 sm:grid-cols-2">
                        <legend class="sr-only">"The event"</legend>
                        <EditorField label="Title" name="title".into() value=event.title error=error_for("title".into()) touched wide=true />
                        <EditorField label="Venue" name="venue".into() value=event.venue error=error_for("venue".into()) touched wide=true />
                        <EditorField label="Description" name="description".into() value=event.description
                            error=error_for("description".into()) touched wide=true multiline=true />
                        <EditorField label="Time zone of the event (type a city to search)" name="time_zone".into() value=event.time_zone
                            error=error_for("time_zone".into()) touched list="time-zones" wide=true />
                        <datalist id="time-zones">
                            {zones.with_value(|zones| zones.iter().map(|z| view! { <option value=z.name.clone()></option> }).collect_view())}
                        </datalist>
                        <EditorField label="Event starts (local time)" name="starts_at".into() input_type="datetime-local" value=event.starts_at
                            error=error_for("starts_at".into()) touched />
                        <EditorField label="Event ends (local time)" name="ends_at".into() input_type="datetime-local" value=event.ends_at
                            error=error_for("ends_at".into()) touched />
                        <div>
                            <label for="field-currency" class="block text-sm font-medium text-slate-700">"Currency"</label>
                            <select id="field-currency" name="form[currency]" class=select
                                on:change=move |ev| event.currency.set(event_target_value(&ev))>
                                {CURRENCIES
                                    .iter()
                                    .map(|c| view! { <option value=*c selected=move || event.currency.get() == *c>{*c}</option> })
                                    .collect_view()}
                            </select>
                            <p class="mt-1 min-h-5 text-sm text-rose-600" data-testid="error-currency">{move || error_for("currency".into()).get()}</p>
                        </div>
                        <EditorField label="Capacity shared by all types (optional)" name="capacity".into() input_type="number"
                            value=event.capacity error=error_for("capacity".into()) touched />
                        <div class="sm:col-span-2">
                            <label for="field-status" class="block text-sm font-medium text-slate-700">"Status"</label>
                            <select id="field-status" name="form[status]" class=format!("{select} sm:w-60")
                                on:change=move |ev| event.status.set(event_target_value(&ev))>
                                {[("draft", "Draft (only you see it)"), ("published", "Published")]
                                    .into_iter()
                                    .map(|(value, label)| view! {
                                        <option value=value selected=move || event.status.get() == value>{label}</option>
                                    })
                                    .collect_view()}
                            </select>
                            <p class="mt-1 text-sm text-slate-500">"To cancel the event and refund its buyers, use “Cancel this event” on its sales page."</p>
                            <p class="mt-1 min-h-5 text-sm text-rose-600" data-testid="error-status">{move || error_for("status".into()).get()}</p>
                        </div>
                    </fieldset>
                    <section class="space-y-3">
                        <div class="flex items-baseline justify-between">
                            <h2 class="text-lg font-semibold">"Ticket types"</h2>
                            <button type="button" class="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-semibold hover:bg-slate-100"
                                disabled=move || { types.with(|t| t.len() >= MAX_TICKET_TYPES) }
                                on:click=move |_| add_type(None)>"Add a ticket type"</button>
                        </div>
                        <p class="min-h-5 text-sm text-rose-600" data-testid="error-types">{move || error_for("types".into()).get()}</p>
                        <For each=move || types.get() key=|t| t.key let:row>
                            <TypeEditor row index=Signal::derive(move || index_of(row.key)) count=Signal::derive(move || types.with(Vec::len))
                                error_for touched
                                on_up=move || move_type(row.key, true) on_down=move || move_type(row.key, false)
                                on_copy=move || add_type(Some(row)) on_remove=move || remove_type(row.key) />
                        </For>
                        // `data-without-js`: gone once the island is live (browser tests wait for that).
                        {move || (!hydrated.get()).then(|| view! {
                            <div class="space-y-3" data-without-js="spare-type">
                                <p class="text-sm text-slate-600">"To add a ticket type, fill in the row below; leave it empty otherwise."</p>
                                <TypeEditor row=spare index=Signal::derive(move || types.with(Vec::len)) count=Signal::derive(move || types.with(Vec::len) + 1)
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
                <h2 class="text-sm font-semibold uppercase tracking-wide text-slate-500">"Live preview"</h2>
                <div data-testid="preview">{move || view! { <EventCardView event=preview() preview=true /> }}</div>
                <p class="text-xs text-slate-500">"This is how buyers will see the event in the catalogue."</p>
            </aside>
        </div>
    }
}

/// One ticket type's card in the editor. Its form names follow its position
/// (`form[types][1][price]`), which changes as rows move.
#[component]
fn TypeEditor(
    row: TypeSignals,
    index: Signal<usize>,
    count: Signal<usize>,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    touched: RwSignal<Vec<String>>,
    on_up: impl Fn() + Send + Sync + 'static,
    on_down: impl Fn() + Send + Sync + 'static,
    on_copy: impl Fn() + Send + Sync + 'static,
    on_remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(type_field(index.get(), field)).get())
    };
    let small = "rounded-md px-2 py-1 text-xs font-semibold text-slate-600 hover:bg-slate-100 disabled:opacity-40";
    view! {
        <div class="rounded-xl border border-slate-200 p-4" data-testid="type-editor">
            <input type="hidden" name=move || format!("form[types][{}][id]", index.get()) prop:value=move || row.id.get() value=row.id.get_untracked() />
            <div class="mb-2 flex items-center justify-between">
                <p class="text-sm font-semibold text-slate-500">{move || format!("Ticket type {}", index.get() + 1)}</p>
                <div class="flex gap-1">
                    <button type="button" class=small aria-label="Move up" disabled=move || { index.get() == 0 } on:click=move |_| on_up()>"↑"</button>
                    <button type="button" class=small aria-label="Move down" disabled=move || { index.get() + 1 >= count.get() } on:click=move |_| on_down()>"↓"</button>
                    <button type="button" class=small on:click=move |_| on_copy()>"Duplicate"</button>
                    <button type="button" class=small disabled=move || { count.get() <= 1 } on:click=move |_| on_remove()>"Remove"</button>
                </div>
            </div>
            <div class="grid gap-4 sm:grid-cols-2">
                <TypeField label="Name" field="name" index value=row.name error=error("name") touched />
                <TypeField label="Price" field="price" index value=row.price error=error("price") touched />
                <div class="sm:col-span-2">
                    <TypeField label="What it includes (optional)" field="description" index value=row.description
                        error=error("description") touched />
                </div>
                <TypeField label="Quantity" field="quantity" input_type="number" index value=row.quantity
                    error=error("quantity") touched />
                <TypeField label="Most per order" field="max_per_order" input_type="number" index
                    value=row.max_per_order error=error("max_per_order") touched />
                <TypeField label="Sale opens (local time)" field="sale_starts_at" input_type="datetime-local" index
                    value=row.sale_starts_at error=error("sale_starts_at") touched />
                <TypeField label="Sale closes (local time)" field="sale_ends_at" input_type="datetime-local" index
                    value=row.sale_ends_at error=error("sale_ends_at") touched />
                <label class="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
                    <input type="checkbox" value="true" name=move || format!("form[types][{}][hidden]", index.get())
                        checked=row.hidden.get_untracked() bind:checked=row.hidden />
                    "Hidden: not listed on the event's page"
                </label>
            </div>
        </div>
    }
}

/// A ticket type's input: its form name (`form[types][1][price]`), element id
/// and error key (`types[1].price`) follow the row's position.
#[component]
fn TypeField(
    label: &'static str,
    field: &'static str,
    index: Signal<usize>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<Vec<String>>,
    #[prop(default = "text")] input_type: &'static str,
) -> impl IntoView {
    let id = move || format!("field-types-{}-{field}", index.get());
    if let Some(typed) = typed_before_hydration(&id()) {
        value.set(typed);
    }
    let class = move || input_class(error.get().is_some());
    let mark = move |_| {
        let key = type_field(index.get_untracked(), field);
        if !touched.with_untracked(|t| t.contains(&key)) {
            touched.update(|t| t.push(key));
        }
    };
    view! {
        <div>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            // `value` renders the field's content into the page (the form works
            // before and without JavaScript); `bind:value` keeps it live after.
            <input id=id name=move || format!("form[types][{}][{field}]", index.get()) type=input_type class=class
                value=value.get_untracked() bind:value=value on:input=mark />
            <p class="mt-1 min-h-5 text-sm text-rose-600" data-testid=move || format!("error-types-{}-{field}", index.get())>
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
fn EditorField(
    label: &'static str,
    name: String,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<Vec<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] wide: bool,
    #[prop(optional)] multiline: bool,
    /// A `<datalist>` of suggestions the browser filters as the user types.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    if let Some(typed) = typed_before_hydration(&id) {
        value.set(typed);
    }
    let input_name = format!("form[{name}]");
    let class = move || input_class(error.get().is_some());
    let key = name.clone();
    let mark = move |_| {
        if !touched.with_untracked(|t| t.contains(&key)) {
            touched.update(|t| t.push(key.clone()));
        }
    };
    let input = if multiline {
        view! { <textarea id=id.clone() name=input_name rows="4" class=class bind:value=value on:input=mark>{value.get_untracked()}</textarea> }.into_any()
    } else {
        // `value` renders the content into the page (the form works without
        // JavaScript); `bind:value` keeps it live after.
        view! { <input id=id.clone() name=input_name type=input_type list=list class=class value=value.get_untracked() bind:value=value on:input=mark /> }.into_any()
    };
    view! {
        <div class=if wide { "sm:col-span-2" } else { "" }>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            {input}
            <p class="mt-1 min-h-5 text-sm text-rose-600" data-testid=format!("error-{name}")>{move || error.get()}</p>
        </div>
    }
}
