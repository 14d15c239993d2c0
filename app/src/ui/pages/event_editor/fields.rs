//! The event's own fields in the editor: title to status.

use leptos::prelude::*;

use crate::model::{CURRENCIES, EventForm, TicketTypeForm, ZoneChoice};
use crate::ui::components::form::input_class;
use crate::ui::islands::typed_before_hydration;

/// The event's fields as signals, one per input.
#[derive(Clone, Copy)]
pub struct EventSignals {
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub venue: RwSignal<String>,
    pub starts_at: RwSignal<String>,
    pub ends_at: RwSignal<String>,
    pub time_zone: RwSignal<String>,
    pub currency: RwSignal<String>,
    pub capacity: RwSignal<String>,
    pub status: RwSignal<String>,
}

impl EventSignals {
    pub fn new(initial: &EventForm) -> Self {
        Self {
            title: RwSignal::new(initial.title.clone()),
            description: RwSignal::new(initial.description.clone()),
            venue: RwSignal::new(initial.venue.clone()),
            starts_at: RwSignal::new(initial.starts_at.clone()),
            ends_at: RwSignal::new(initial.ends_at.clone()),
            time_zone: RwSignal::new(initial.time_zone.clone()),
            currency: RwSignal::new(initial.currency.clone()),
            capacity: RwSignal::new(initial.capacity.clone()),
            status: RwSignal::new(initial.status.clone()),
        }
    }

    /// The whole form, with these ticket types.
    pub fn form(&self, types: Vec<TicketTypeForm>) -> EventForm {
        EventForm {
            title: self.title.get(),
            description: self.description.get(),
            venue: self.venue.get(),
            starts_at: self.starts_at.get(),
            ends_at: self.ends_at.get(),
            time_zone: self.time_zone.get(),
            currency: self.currency.get(),
            capacity: self.capacity.get(),
            status: self.status.get(),
            types,
            ..Default::default()
        }
    }
}

/// Title, venue, description, time zone, times, currency, capacity, status.
#[component]
pub fn EventFields(
    event: EventSignals,
    zones: StoredValue<Vec<ZoneChoice>>,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    touched: RwSignal<Vec<String>>,
) -> impl IntoView {
    let select = "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2";
    view! {
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
                <p class="mt-1 min-h-5 text-sm text-rose-700" data-testid="error-currency">{move || error_for("currency".into()).get()}</p>
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
                <p class="mt-1 text-sm text-slate-600">"To cancel the event and refund its buyers, use “Cancel this event” on its sales page."</p>
                <p class="mt-1 min-h-5 text-sm text-rose-700" data-testid="error-status">{move || error_for("status".into()).get()}</p>
            </div>
        </fieldset>
    }
}

#[component]
pub fn EditorField(
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
    // `translations[de].title` is `field-translations-de-title`, sent as
    // `form[translations][de][title]`.
    let id = format!("field-{}", name.replace(['[', '.'], "-").replace(']', ""));
    if let Some(typed) = typed_before_hydration(&id) {
        value.set(typed);
    }
    let input_name = match name.split_once('.') {
        Some((list, field)) => format!(
            "form[{}][{field}]",
            list.replace('[', "][").trim_end_matches(']')
        ),
        None => format!("form[{name}]"),
    };
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
            <p class="mt-1 min-h-5 text-sm text-rose-700" data-testid=format!("error-{name}")>{move || error.get()}</p>
        </div>
    }
}
