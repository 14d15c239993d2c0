use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::organizers::organizer_overview;
use crate::api::tickets::my_tickets;
use crate::model::{OrganizerTicketRow, TicketStatus, format_event_time, format_money};
use crate::ui::components::refusal::refusal;

/// The organizer area: their listings with live counters. Only approved
/// organizers get past the server's check.
#[component]
pub fn OrganizerPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let profile = organizer_overview().await?;
            let tickets = my_tickets().await?;
            Ok((profile, tickets))
        },
    );
    view! {
        <Title text="Organizer area" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((profile, tickets)) => view! {
                        <section class="space-y-6" data-testid="organizer-area">
                            <div class="flex flex-wrap items-end justify-between gap-4">
                                <div>
                                    <p class="text-sm font-semibold text-indigo-700">"Organizer area"</p>
                                    <h1 class="mt-1 text-2xl font-bold">{profile.org_name}</h1>
                                </div>
                                <A href="/organizer/tickets/new" attr:class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                                    "New listing"
                                </A>
                            </div>
                            <MyTickets tickets />
                        </section>
                    }
                    .into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyTickets(tickets: Vec<OrganizerTicketRow>) -> impl IntoView {
    if tickets.is_empty() {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-500">
                "No listings yet. Create your first one."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full text-left text-sm" data-testid="my-tickets">
                <thead class="bg-slate-50 text-slate-600">
                    <tr>
                        <th class="px-4 py-2">"Event"</th>
                        <th class="px-4 py-2">"Starts"</th>
                        <th class="px-4 py-2">"Price"</th>
                        <th class="px-4 py-2 text-right">"Stock"</th>
                        <th class="px-4 py-2 text-right">"Reserved"</th>
                        <th class="px-4 py-2 text-right">"Sold"</th>
                        <th class="px-4 py-2">"Status"</th>
                        <th class="px-4 py-2"></th>
                    </tr>
                </thead>
                <tbody>
                    {tickets
                        .into_iter()
                        .map(|t| {
                            let status_class = match t.status {
                                TicketStatus::Published => "text-emerald-700",
                                TicketStatus::Draft => "text-slate-600",
                                TicketStatus::Cancelled => "text-rose-700",
                            };
                            view! {
                                <tr class="border-t border-slate-100" data-testid="my-ticket-row">
                                    <td class="px-4 py-2 font-medium">
                                        <A href=format!("/events/{}", t.id) attr:class="hover:text-indigo-700">{t.title}</A>
                                    </td>
                                    <td class="px-4 py-2">{format_event_time(t.starts_at)}</td>
                                    <td class="px-4 py-2">{format_money(t.price_minor, &t.currency)}</td>
                                    <td class="px-4 py-2 text-right">{t.stock}</td>
                                    <td class="px-4 py-2 text-right">{t.reserved}</td>
                                    <td class="px-4 py-2 text-right">{t.sold}</td>
                                    <td class=format!("px-4 py-2 font-semibold {status_class}")>{t.status.label()}</td>
                                    <td class="px-4 py-2">
                                        <A href=format!("/organizer/tickets/{}/edit", t.id) attr:class="font-semibold text-indigo-700 hover:underline">"Edit"</A>
                                        " · "
                                        <A href=format!("/organizer/events/{}/checkin", t.id) attr:class="font-semibold text-indigo-700 hover:underline">"Check-in"</A>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
