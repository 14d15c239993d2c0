use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalogue::upcoming_events;
use crate::model::EventCard;
use crate::ui::components::error_panel::ErrorPanel;
use crate::ui::components::event_card::EventCardView;

/// How the home page orders the events it has loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortOrder {
    Soonest,
    Cheapest,
}

impl SortOrder {
    fn apply(self, events: &mut [EventCard]) {
        match self {
            Self::Soonest => events.sort_by_key(|e| (e.starts_at, e.id)),
            Self::Cheapest => events.sort_by_key(|e| (e.price_minor, e.starts_at, e.id)),
        }
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let events = Resource::new(|| (), |_| upcoming_events());
    let sort = RwSignal::new(SortOrder::Soonest);

    view! {
        <Title text="" />
        <section class="mb-8 rounded-3xl bg-gradient-to-br from-indigo-600 to-violet-600 px-6 py-10 text-white shadow-lg sm:px-10">
            <h1 class="text-3xl font-extrabold tracking-tight sm:text-4xl">"Find your next night out"</h1>
            <p class="mt-2 max-w-2xl text-indigo-100">
                "Concerts, comedy, theatre and conferences. Pay securely, get a QR ticket for every seat."
            </p>
        </section>
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <h2 class="text-xl font-bold">"Upcoming events"</h2>
            <div class="inline-flex rounded-lg border border-slate-200 bg-white p-1 text-sm" role="group" aria-label="Sort events">
                <SortButton sort order=SortOrder::Soonest label="Soonest first" />
                <SortButton sort order=SortOrder::Cheapest label="Lowest price" />
            </div>
        </div>
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading events…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move {
                    events.await.map(|list| view! { <EventGrid events=list sort /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn SortButton(sort: RwSignal<SortOrder>, order: SortOrder, label: &'static str) -> impl IntoView {
    let active = move || sort.get() == order;
    view! {
        <button
            type="button"
            aria-pressed=move || active().to_string()
            class=move || {
                if active() {
                    "rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white"
                } else {
                    "rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100"
                }
            }
            on:click=move |_| sort.set(order)
        >
            {label}
        </button>
    }
}

#[component]
fn EventGrid(events: Vec<EventCard>, sort: RwSignal<SortOrder>) -> impl IntoView {
    if events.is_empty() {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-500">
                "No events on sale right now. Check back soon."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="grid gap-5 sm:grid-cols-2 lg:grid-cols-3" data-testid="event-grid">
            {move || {
                let mut sorted = events.clone();
                sort.get().apply(&mut sorted);
                sorted
                    .into_iter()
                    .map(|event| view! { <EventCardView event /> })
                    .collect_view()
            }}
        </div>
    }
    .into_any()
}
