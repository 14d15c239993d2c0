use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::events::my_events;
use crate::api::organizers::organizer_overview;
use crate::model::{EventStatus, OrganizerEventRow};
use crate::ui::components::refusal::refusal;

/// The organizer area: their events with live counters per ticket type. Only approved
/// organizers get past the server's check.
#[component]
pub fn OrganizerPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let profile = organizer_overview().await?;
            let events = my_events().await?;
            Ok((profile, events))
        },
    );
    view! {
        <Title text="Organizer area" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((profile, events)) => view! {
                        <section class="space-y-6" data-testid="organizer-area">
                            <div class="flex flex-wrap items-end justify-between gap-4">
                                <div>
                                    <p class="text-sm font-semibold text-indigo-700">"Organizer area"</p>
                                    <h1 class="mt-1 text-2xl font-bold">{profile.org_name}</h1>
                                </div>
                                <A href="/organizer/events/new" attr:class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                                    "New event"
                                </A>
                            </div>
                            {profile.suspended.map(|reason| {
                                let support = profile.support_email.clone();
                                view! {
                                    <p role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-800" data-testid="suspended-notice">
                                        "An admin has suspended your account, so your events are not on sale: " {reason}
                                        " Tickets already sold stay valid, and you can still check people in. To have it lifted, write to "
                                        <a class="font-semibold underline" href=format!("mailto:{support}")>{support.clone()}</a> "."
                                    </p>
                                }
                            })}
                            {saved_notice(&events)}
                            <MyEvents events />
                        </section>
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

/// "Saved" for the event the editor just saved (`?saved={id}`), with what
/// buyers can see of it now.
fn saved_notice(events: &[OrganizerEventRow]) -> Option<impl IntoView + use<>> {
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")?;
    let event = events.iter().find(|e| e.id.to_string() == saved)?;
    let visible = match event.status {
        EventStatus::Published => "It is published: buyers can see it.",
        EventStatus::Draft => "It is a draft: only you can see it.",
        EventStatus::Cancelled => "It is cancelled.",
    };
    let text = format!("“{}” is saved. {visible}", event.title);
    Some(view! {
        <p role="status" class="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-emerald-800" data-testid="saved">
            {text}
        </p>
    })
}

#[component]
fn MyEvents(events: Vec<OrganizerEventRow>) -> impl IntoView {
    if events.is_empty() {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600">
                "No events yet. Create your first one."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="space-y-4" data-testid="my-events">
            {events.into_iter().map(|e| view! { <EventRow event=e /> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn EventRow(event: OrganizerEventRow) -> impl IntoView {
    let status_class = match event.status {
        EventStatus::Published => "text-emerald-700",
        EventStatus::Draft => "text-slate-600",
        EventStatus::Cancelled => "text-rose-700",
    };
    let capacity = event.capacity.map_or_else(
        || "no shared capacity".to_string(),
        |c| format!("capacity {c}"),
    );
    view! {
        <article class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="my-event-row">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                    <A href=format!("/events/{}", event.id) attr:class="font-semibold hover:text-indigo-700">{event.title}</A>
                    <p class="text-sm text-slate-600">{event.starts_at.label()} " · " {capacity}</p>
                </div>
                <div class="flex flex-wrap items-center gap-3 text-sm">
                    <span class=format!("font-semibold {status_class}")>{event.status.label()}</span>
                    <A href=format!("/organizer/events/{}/edit", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Edit"</A>
                    <A href=format!("/organizer/events/{}/checkin", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Check-in"</A>
                    <A href=format!("/organizer/events/{}/orders", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Orders"</A>
                    <A href=format!("/organizer/events/{}/sales", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Sales"</A>
                    <A href=format!("/organizer/events/{}/staff", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Door staff"</A>
                    <A href=format!("/organizer/events/{}/codes", event.id) attr:class="font-semibold text-indigo-700 hover:underline">"Codes"</A>
                </div>
            </div>
            <div class="overflow-x-auto" tabindex="0" role="region" aria-label="Ticket types"><table class="mt-3 min-w-full text-left text-sm">
                <thead class="text-slate-600">
                    <tr>
                        <th class="py-1 pr-4 font-medium">"Ticket type"</th>
                        <th class="py-1 pr-4 font-medium">"Price"</th>
                        <th class="py-1 pr-4 text-right font-medium">"Quantity"</th>
                        <th class="py-1 pr-4 text-right font-medium">"Held"</th>
                        <th class="py-1 pr-4 text-right font-medium">"Sold"</th>
                        <th class="py-1 text-right font-medium">"Checked in"</th>
                    </tr>
                </thead>
                <tbody>
                    {event.types.into_iter().map(|t| view! {
                        <tr class="border-t border-slate-100" data-testid="my-type-row">
                            <td class="py-1 pr-4">
                                {t.name}
                                {t.hidden.then(|| view! { <span class="ml-1 text-xs text-slate-600">"(hidden)"</span> })}
                            </td>
                            <td class="py-1 pr-4">{t.price.to_string()}</td>
                            <td class="py-1 pr-4 text-right">{t.quantity}</td>
                            <td class="py-1 pr-4 text-right">{t.reserved}</td>
                            <td class="py-1 pr-4 text-right">{t.sold}</td>
                            <td class="py-1 text-right">{t.checked_in}</td>
                        </tr>
                    }).collect_view()}
                    <tr class="border-t border-slate-200 font-semibold">
                        <td class="py-1 pr-4" colspan="3">"All types"</td>
                        <td class="py-1 pr-4 text-right">{event.reserved}</td>
                        <td class="py-1 pr-4 text-right">{event.sold}</td>
                        <td class="py-1 text-right">{event.checked_in}</td>
                    </tr>
                </tbody>
            </table></div>
        </article>
    }
}
