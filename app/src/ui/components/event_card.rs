use leptos::prelude::*;

use crate::model::{Availability, EventCard, format_event_time, format_money};

/// One event in the catalogue grid.
#[component]
pub fn EventCardView(event: EventCard) -> impl IntoView {
    let availability = event.availability();
    let badge_class = match availability {
        Availability::SoldOut => "bg-slate-200 text-slate-700",
        Availability::OnlyLeft(_) => "bg-amber-100 text-amber-800",
        Availability::Available => "bg-emerald-100 text-emerald-800",
    };
    view! {
        <article
            class="flex flex-col justify-between rounded-2xl border border-slate-200 bg-white p-5 shadow-sm transition hover:shadow-md"
            data-testid="event-card"
        >
            <div>
                <p class="text-sm font-medium text-indigo-700">{format_event_time(event.starts_at)}</p>
                <h3 class="mt-1 text-lg font-semibold leading-snug text-slate-900">{event.title}</h3>
                <p class="mt-1 text-sm text-slate-600">{event.venue}</p>
                <p class="mt-1 text-xs text-slate-400">"by " {event.organizer_name}</p>
            </div>
            <div class="mt-4 flex items-center justify-between">
                <span class="text-lg font-bold" data-testid="event-price">
                    {format_money(event.price_minor, &event.currency)}
                </span>
                <span class=format!("rounded-full px-2.5 py-0.5 text-xs font-semibold {badge_class}")>
                    {availability.label()}
                </span>
            </div>
        </article>
    }
}
