//! The organizer's reactive ticket editor: every field is checked as it is typed
//! (the same rules the server applies again), and a live preview shows the card
//! buyers will see.

use chrono::{TimeDelta, Timelike, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::api::organizers::organizer_overview;
use crate::api::tickets::{SaveTicket, load_ticket_for_edit};
use crate::error::AppError;
use crate::model::{
    CURRENCIES, EventCard, TicketForm, parse_datetime_local, parse_money, to_datetime_local,
};
use crate::ui::components::event_card::EventCardView;
use crate::ui::components::form::{FormError, SubmitButton, action_error, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::{mark_ready, typed_before_hydration};
use crate::ui::params::use_id_param;

/// What a new listing starts from: a draft a month ahead, on sale from now.
fn new_listing() -> TicketForm {
    let now = Utc::now()
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or_else(Utc::now);
    let starts = (now + TimeDelta::days(30))
        .with_hour(19)
        .and_then(|t| t.with_minute(30))
        .unwrap_or(now);
    TicketForm {
        starts_at: to_datetime_local(starts),
        ends_at: to_datetime_local(starts + TimeDelta::hours(3)),
        sale_starts_at: to_datetime_local(now),
        sale_ends_at: to_datetime_local(starts),
        currency: "EUR".into(),
        max_per_order: "10".into(),
        status: "draft".into(),
        ..Default::default()
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| organizer_overview());
    view! {
        <Title text="New listing" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! {
                        <TicketEditor id=None initial=new_listing() committed=0 organizer=profile.org_name
                            url_error={url_error::<SaveTicket>()} />
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditTicketPage() -> impl IntoView {
    let id = use_id_param();
    let data = Resource::new(id, |id| async move {
        let id = id.ok_or(AppError::NotFound)?;
        let profile = organizer_overview().await?;
        let ticket = load_ticket_for_edit(id).await?;
        Ok::<_, AppError>((id, profile, ticket))
    });
    view! {
        <Title text="Edit listing" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((id, profile, ticket)) => view! {
                        <TicketEditor id=Some(id) initial=ticket.form committed=ticket.reserved + ticket.sold
                            organizer=profile.org_name url_error={url_error::<SaveTicket>()} />
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct FormSignals {
    title: RwSignal<String>,
    description: RwSignal<String>,
    venue: RwSignal<String>,
    starts_at: RwSignal<String>,
    ends_at: RwSignal<String>,
    sale_starts_at: RwSignal<String>,
    sale_ends_at: RwSignal<String>,
    price: RwSignal<String>,
    currency: RwSignal<String>,
    stock: RwSignal<String>,
    max_per_order: RwSignal<String>,
    status: RwSignal<String>,
}

impl FormSignals {
    fn new(form: TicketForm) -> Self {
        Self {
            title: RwSignal::new(form.title),
            description: RwSignal::new(form.description),
            venue: RwSignal::new(form.venue),
            starts_at: RwSignal::new(form.starts_at),
            ends_at: RwSignal::new(form.ends_at),
            sale_starts_at: RwSignal::new(form.sale_starts_at),
            sale_ends_at: RwSignal::new(form.sale_ends_at),
            price: RwSignal::new(form.price),
            currency: RwSignal::new(form.currency),
            stock: RwSignal::new(form.stock),
            max_per_order: RwSignal::new(form.max_per_order),
            status: RwSignal::new(form.status),
        }
    }

    fn get(&self) -> TicketForm {
        TicketForm {
            title: self.title.get(),
            description: self.description.get(),
            venue: self.venue.get(),
            starts_at: self.starts_at.get(),
            ends_at: self.ends_at.get(),
            sale_starts_at: self.sale_starts_at.get(),
            sale_ends_at: self.sale_ends_at.get(),
            price: self.price.get(),
            currency: self.currency.get(),
            stock: self.stock.get(),
            max_per_order: self.max_per_order.get(),
            status: self.status.get(),
        }
    }
}

/// Organizers only: a lazy island, its own wasm chunk that buyers never fetch.
#[island(lazy)]
fn TicketEditor(
    id: Option<Uuid>,
    initial: TicketForm,
    committed: i32,
    organizer: String,
    url_error: Option<AppError>,
) -> impl IntoView {
    mark_ready();
    let save = ServerAction::<SaveTicket>::new();
    let server_error = action_error(save, url_error);
    let fields = FormSignals::new(initial);
    let problems = Memo::new(move |_| fields.get().check().err().unwrap_or_default());
    // Problems show per field once it has been edited, and all of them once a save
    // has been tried.
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let tried = move || save.version().get() > 0 || server_error.get().is_some();
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let live = (tried() || touched.with(|t| t.contains(&field)))
                .then(|| TicketForm::error_for(&problems.get(), field))
                .flatten();
            live.or_else(|| server_error.get().and_then(|e| e.for_field(field)))
        })
    };
    let preview = move || {
        let form = fields.get();
        let stock = form.stock.trim().parse::<i32>().unwrap_or(0);
        EventCard {
            id: id.unwrap_or_default(),
            title: form.title.trim().to_string(),
            venue: if form.venue.trim().is_empty() {
                "Venue".into()
            } else {
                form.venue.trim().to_string()
            },
            starts_at: parse_datetime_local(&form.starts_at).unwrap_or_else(Utc::now),
            sale_starts_at: parse_datetime_local(&form.sale_starts_at).unwrap_or_else(Utc::now),
            price_minor: parse_money(&form.price, &form.currency).unwrap_or(0),
            currency: form.currency,
            stock,
            available: stock - committed,
            organizer_name: organizer.clone(),
        }
    };
    let heading = if id.is_some() {
        "Edit listing"
    } else {
        "New listing"
    };
    view! {
        <div class="grid gap-8 lg:grid-cols-3">
            <section class="lg:col-span-2 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <div class="flex items-baseline justify-between">
                    <h1 class="text-2xl font-bold">{heading}</h1>
                    <a href="/organizer" class="text-sm text-indigo-700 hover:underline">"Back to my listings"</a>
                </div>
                {(committed > 0).then(|| view! {
                    <p class="mt-2 text-sm text-amber-800" data-testid="committed-note">
                        {committed} " seats are sold or held: stock cannot go below that, and the price is fixed once published."
                    </p>
                })}
                <ActionForm action=save attr:class="mt-6 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                    <div class="sm:col-span-2"><FormError error=server_error /></div>
                    {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                    <EditorField label="Title" name="title" value=fields.title error=error_for("title") touched wide=true />
                    <EditorField label="Venue" name="venue" value=fields.venue error=error_for("venue") touched wide=true />
                    <EditorField label="Description" name="description" value=fields.description error=error_for("description")
                        touched wide=true multiline=true />
                    <EditorField label="Event starts (UTC)" name="starts_at" input_type="datetime-local" value=fields.starts_at
                        error=error_for("starts_at") touched />
                    <EditorField label="Event ends (UTC)" name="ends_at" input_type="datetime-local" value=fields.ends_at
                        error=error_for("ends_at") touched />
                    <EditorField label="Sale opens (UTC)" name="sale_starts_at" input_type="datetime-local"
                        value=fields.sale_starts_at error=error_for("sale_starts_at") touched />
                    <EditorField label="Sale closes (UTC)" name="sale_ends_at" input_type="datetime-local"
                        value=fields.sale_ends_at error=error_for("sale_ends_at") touched />
                    <EditorField label="Price" name="price" input_type="text" value=fields.price error=error_for("price") touched />
                    <div>
                        <label for="field-currency" class="block text-sm font-medium text-slate-700">"Currency"</label>
                        <select id="field-currency" name="form[currency]" class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"
                            on:change=move |ev| fields.currency.set(event_target_value(&ev))>
                            {CURRENCIES
                                .iter()
                                .map(|c| view! { <option value=*c selected=move || fields.currency.get() == *c>{*c}</option> })
                                .collect_view()}
                        </select>
                        <p class="mt-1 min-h-5 text-sm text-rose-600">{move || error_for("currency").get()}</p>
                    </div>
                    <EditorField label="Seats (stock)" name="stock" input_type="number" value=fields.stock error=error_for("stock") touched />
                    <EditorField label="Most tickets per order" name="max_per_order" input_type="number" value=fields.max_per_order
                        error=error_for("max_per_order") touched />
                    <div class="sm:col-span-2">
                        <label for="field-status" class="block text-sm font-medium text-slate-700">"Status"</label>
                        <select id="field-status" name="form[status]" class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 sm:w-60"
                            on:change=move |ev| fields.status.set(event_target_value(&ev))>
                            {[("draft", "Draft (only you see it)"), ("published", "Published"), ("cancelled", "Cancelled")]
                                .into_iter()
                                .map(|(value, label)| view! {
                                    <option value=value selected=move || fields.status.get() == value>{label}</option>
                                })
                                .collect_view()}
                        </select>
                        <p class="mt-1 min-h-5 text-sm text-rose-600">{move || error_for("status").get()}</p>
                    </div>
                    <div class="sm:col-span-2 sm:w-60">
                        <SubmitButton label="Save listing" pending=save.pending() />
                    </div>
                </ActionForm>
            </section>
            <aside class="space-y-3">
                <h2 class="text-sm font-semibold uppercase tracking-wide text-slate-500">"Live preview"</h2>
                <div data-testid="preview">{move || view! { <EventCardView event=preview() preview=true /> }}</div>
                <p class="text-xs text-slate-500">"This is how buyers will see the listing in the catalogue."</p>
            </aside>
        </div>
    }
}

#[component]
fn EditorField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<Vec<&'static str>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] wide: bool,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    if let Some(typed) = typed_before_hydration(&id) {
        value.set(typed);
    }
    let input_name = format!("form[{name}]");
    let class = move || {
        let base = "mt-1 block w-full rounded-lg border px-3 py-2 shadow-sm focus:outline-none focus:ring-2";
        if error.get().is_some() {
            format!("{base} border-rose-400 focus:ring-rose-300")
        } else {
            format!("{base} border-slate-300 focus:ring-indigo-200")
        }
    };
    let mark = move |_| {
        if !touched.with_untracked(|t| t.contains(&name)) {
            touched.update(|t| t.push(name));
        }
    };
    let input = if multiline {
        view! { <textarea id=id.clone() name=input_name rows="4" class=class bind:value=value on:input=mark></textarea> }.into_any()
    } else {
        view! { <input id=id.clone() name=input_name type=input_type class=class bind:value=value on:input=mark /> }.into_any()
    };
    view! {
        <div class=if wide { "sm:col-span-2" } else { "" }>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            {input}
            <p class="mt-1 min-h-5 text-sm text-rose-600" data-testid=format!("error-{name}")>{move || error.get()}</p>
        </div>
    }
}
