//! `/organizer/events/{id}/sales`: the event's figures, a chart of tickets
//! issued over time (SVG drawn on the server, with a title and the same
//! numbers in a table, so it needs no JavaScript), and recent orders.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::sales::event_sales;
use crate::error::AppError;
use crate::model::{SalesChart, SalesDashboard, SalesFigures, WaitingEntry, format_utc_time};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::mark_ready;
use crate::ui::params::use_id_param;

#[component]
pub fn SalesPage() -> impl IntoView {
    let id = use_id_param();
    let dashboard = Resource::new(id, |id| async move {
        match id {
            Some(id) => event_sales(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Sales" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <Dashboard dashboard /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(dashboard: SalesDashboard) -> impl IntoView {
    let orders_link = format!("/organizer/events/{}/orders", dashboard.event_id);
    view! {
        <section class="space-y-6">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h1 class="text-2xl font-bold">"Sales · " {dashboard.title.clone()}</h1>
                <A href=orders_link attr:class="font-semibold text-indigo-700 hover:underline">"All orders"</A>
            </div>
            <LiveSales dashboard=dashboard.clone() />
            <QueueSwitch event=dashboard.event_id enabled=dashboard.queue_enabled presale=dashboard.presale_ends_at.clone()
                check=dashboard.queue_check live=dashboard.queue_live.clone()
                register_minutes=dashboard.queue_register_minutes
                admit_per_minute=dashboard.queue_admit_per_minute
                admit_default=dashboard.queue_admit_default_per_minute />
            <CancelPolicy event=dashboard.event_id hours=dashboard.cancel_hours fee=dashboard.cancel_fee_percent />
            <Cancellation event=dashboard.event_id progress=dashboard.cancellation />
        </section>
    }
}

/// The figures, the charts and the recent orders. Drawn on the server; after
/// hydration it asks for fresh figures every few seconds, so a sale shows up
/// without reloading (the forms below stay as they are, typed text included).
#[island(lazy)]
fn LiveSales(dashboard: SalesDashboard) -> impl IntoView {
    mark_ready();
    let dashboard = RwSignal::new(dashboard);
    #[cfg(feature = "hydrate")]
    {
        let id = dashboard.with_untracked(|d| d.event_id);
        Effect::new(move |_| {
            dashboard.track();
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        match event_sales(id).await {
                            Ok(fresh) => dashboard.set(fresh),
                            // Ask again later (a blip of the network or the server).
                            Err(_) => dashboard.update(|_| {}),
                        }
                    })
                },
                std::time::Duration::from_secs(LIVE_EVERY_SECS),
            );
        });
    }
    move || {
        let dashboard = dashboard.get();
        view! {
            <div class="overflow-x-auto rounded-xl bg-white shadow-sm" tabindex="0" role="region" aria-label="Sales figures">
                <table class="w-full text-left text-sm" data-testid="sales-figures">
                    <thead><tr class="border-b text-slate-600">
                        <th class="p-2">"Ticket type"</th><th class="p-2 text-right">"Quantity"</th>
                        <th class="p-2 text-right">"Held now"</th><th class="p-2 text-right">"Sold"</th>
                        <th class="p-2 text-right">"Checked in"</th>
                        <th class="p-2 text-right">"Before discounts"</th><th class="p-2 text-right">"Discounts"</th>
                        <th class="p-2 text-right">"Gross"</th>
                        <th class="p-2 text-right">"Refunded"</th><th class="p-2 text-right">"Net"</th>
                    </tr></thead>
                    <tbody>
                        {dashboard.types.into_iter().map(|t| view! { <FiguresRow figures=t total=false /> }).collect_view()}
                        <FiguresRow figures=dashboard.total total=true />
                    </tbody>
                </table>
            </div>
            {(!dashboard.codes.is_empty()).then(|| view! {
                <div class="overflow-x-auto rounded-xl bg-white p-4 shadow-sm" tabindex="0" role="region" aria-label="Sales per code">
                    <h2 class="mb-2 font-semibold">"Sales per code"</h2>
                    <table class="w-full text-left text-sm" data-testid="code-sales">
                        <thead><tr class="border-b text-slate-600">
                            <th class="p-2">"Code"</th><th class="p-2 text-right">"Tickets"</th>
                            <th class="p-2 text-right">"Discounts"</th><th class="p-2 text-right">"Sold for"</th>
                        </tr></thead>
                        <tbody>
                            {dashboard.codes.into_iter().map(|c| view! {
                                <tr class="border-b border-slate-100" data-testid="code-sales-row">
                                    <td class="p-2 font-mono">{c.code}</td>
                                    <td class="p-2 text-right">{c.tickets}</td>
                                    <td class="p-2 text-right">{c.discounts.to_string()}</td>
                                    <td class="p-2 text-right">{c.revenue.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <Chart title="Tickets sold per day".to_string() chart=dashboard.per_day />
            {dashboard.first_day.map(|(day, chart)| view! {
                <Chart title=format!("Tickets sold per hour on the first day of sales, {day}") chart />
            })}
            <div class="rounded-xl bg-white p-4 shadow-sm">
                <h2 class="mb-2 font-semibold">"Recent orders"</h2>
                <ul class="divide-y divide-slate-100 text-sm" data-testid="recent-orders">
                    {dashboard.recent.into_iter().map(|o| view! {
                        // Two lines on a phone, one row from `sm` up.
                        <li class="grid grid-cols-2 gap-x-4 py-2 sm:grid-cols-5">
                            <a href=format!("/organizer/orders/{}", o.id) class="font-mono text-indigo-700 hover:underline">{o.reference}</a>
                            <span class="text-right sm:text-left">{o.buyer_name}</span>
                            <span>{o.status.label()}</span>
                            <span class="text-right">{o.total.to_string()}</span>
                            <span class="col-span-2 text-slate-600 sm:col-span-1">{format_utc_time(o.created_at)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            <WaitingLists entries=dashboard.waiting />
        }
    }
}

/// Who waits for seats of a sold-out type, and the offers made.
#[component]
fn WaitingLists(entries: Vec<WaitingEntry>) -> impl IntoView {
    view! {
        <div class="rounded-xl bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-semibold">"Waiting lists"</h2>
            {if entries.is_empty() {
                view! { <p class="text-sm text-slate-600">"Nobody is waiting."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto" tabindex="0" role="region" aria-label="Waiting lists"><table class="w-full text-left text-sm" data-testid="waiting-lists">
                        <thead><tr class="border-b text-slate-600">
                            <th class="p-2">"Ticket type"</th><th class="p-2">"Buyer"</th>
                            <th class="p-2 text-right">"Tickets"</th><th class="p-2">"Status"</th>
                            <th class="p-2">"Joined"</th><th class="p-2">"Offer held until"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|w| view! {
                                <tr class="border-b border-slate-100">
                                    <td class="p-2">{w.type_name}</td>
                                    <td class="p-2">{w.buyer_name} " <" {w.buyer_email} ">"</td>
                                    <td class="p-2 text-right">{w.quantity}</td>
                                    <td class="p-2">{w.status.label()}</td>
                                    <td class="p-2">{format_utc_time(w.joined_at)}</td>
                                    <td class="p-2">{w.offer_until.map(format_utc_time).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
        </div>
    }
}

/// The organizer's switch for the waiting room of the on-sale.
#[component]
fn QueueSwitch(
    event: uuid::Uuid,
    enabled: bool,
    presale: Option<crate::model::VenueTime>,
    check: crate::model::QueueCheck,
    live: Option<crate::model::QueueLive>,
    register_minutes: Option<i32>,
    admit_per_minute: Option<i32>,
    admit_default: u32,
) -> impl IntoView {
    use crate::model::QueueCheck;
    let shop_rate = admit_default.to_string();
    let check_label = |c: QueueCheck| match c {
        QueueCheck::Automatic => {
            "Automatic: standard, made harder while places are taken unusually fast"
        }
        QueueCheck::Standard => "Standard: a few seconds on a phone, never raised",
        QueueCheck::Strong => "Strong: four times the standard's work",
    };
    use crate::api::waiting_list::SetEventQueue;
    use crate::ui::components::form::{FormError, url_error};
    let action = ServerAction::<SetEventQueue>::new();
    let error = Signal::stored(url_error::<SetEventQueue>());
    view! {
        <div class="rounded-xl bg-white p-4 shadow-sm" data-testid="queue-switch">
            <h2 class="mb-2 font-semibold">"Queue for the on-sale"</h2>
            <p class="text-sm text-slate-600" data-testid="queue-state">
                {if enabled {
                    "On: visitors wait in a queue and are let through in turn; those who arrive before the sale opens are put in a random order."
                } else {
                    "Off: anyone may buy as soon as the sale opens."
                }}
                {presale.as_ref().map(|at| format!(
                    " Until {}, only accounts that entered one of this event's codes are drawn at the opening; everyone else is drawn then, after them.",
                    at.label()
                ))}
                {register_minutes.filter(|_| enabled).map(|m| format!(
                    " Places are taken from {m} minutes before the sale opens."
                ))}
                {enabled.then(|| match admit_per_minute {
                    Some(n) => format!(" {n} visitors are let through a minute."),
                    None => format!(" {shop_rate} visitors are let through a minute (the shop's rate)."),
                })}
            </p>
            {live.map(|live| view! {
                <dl class="mt-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="queue-live">
                    <div><dt class="text-slate-600">"Places"</dt><dd class="font-semibold" data-testid="queue-live-places">{live.places}</dd></div>
                    <div><dt class="text-slate-600">"Let through"</dt><dd class="font-semibold">{live.let_through}</dd></div>
                    <div><dt class="text-slate-600">"Checks refused"</dt><dd class="font-semibold" data-testid="queue-live-refused">{live.refused}</dd></div>
                    <div><dt class="text-slate-600">"Check now"</dt><dd class="font-semibold" data-testid="queue-live-check">
                        {format!("2^{} hashes", live.check_bits)}
                        {(live.raised_bits > 0).then_some(" (raised)")}
                    </dd></div>
                </dl>
            })}
            <FormError error />
            <ActionForm action attr:class="mt-3 flex flex-wrap items-center gap-3">
                <input type="hidden" name="event" value=event.to_string() />
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="enabled" value="on" checked=enabled />
                    "Queue visitors for this event's on-sale"
                </label>
                <label class="text-sm">
                    "Presale for code holders until (venue time; empty: none)"
                    <input type="datetime-local" name="presale_until" data-testid="presale-until"
                        value=presale.as_ref().map(|at| crate::model::to_datetime_local(at.local)).unwrap_or_default()
                        class="mt-1 block rounded-lg border border-slate-300 px-2 py-1" />
                </label>
                <label class="text-sm">
                    "Places open this many minutes before the sale (empty: any time)"
                    <input type="number" min="1" max="43200" name="register_minutes" data-testid="queue-register-minutes"
                        value=register_minutes.map(|m| m.to_string()).unwrap_or_default()
                        class="mt-1 block w-32 rounded-lg border border-slate-300 px-2 py-1" />
                </label>
                <label class="text-sm">
                    "Let through a minute (empty: the shop's rate)"
                    <input type="number" min="1" max="600000" name="admit_per_minute" data-testid="queue-admit-per-minute"
                        placeholder=shop_rate.clone()
                        value=admit_per_minute.map(|n| n.to_string()).unwrap_or_default()
                        class="mt-1 block w-32 rounded-lg border border-slate-300 px-2 py-1" />
                </label>
                <label class="w-full min-w-0 text-sm sm:w-auto">
                    "Browser check before a place"
                    <select name="check" data-testid="queue-check-strength"
                        class="mt-1 block w-full max-w-full rounded-lg border border-slate-300 px-2 py-1">
                        {QueueCheck::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=c == check>{check_label(c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="rounded-lg bg-slate-800 px-3 py-1 text-sm font-semibold text-white hover:bg-slate-900">"Save"</button>
            </ActionForm>
        </div>
    }
}

/// How often the live figures are asked for again.
#[cfg(feature = "hydrate")]
const LIVE_EVERY_SECS: u64 = 5;

/// Whether and until when buyers may cancel paid tickets themselves.
#[component]
fn CancelPolicy(event: uuid::Uuid, hours: Option<i32>, fee: i32) -> impl IntoView {
    use crate::api::refunds::SetCancelPolicy;
    use crate::ui::components::form::{FormError, url_error};
    let action = ServerAction::<SetCancelPolicy>::new();
    let error = Signal::stored(url_error::<SetCancelPolicy>());
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("policy")
        .is_some();
    let now = match hours {
        Some(h) => {
            format!("Buyers may cancel until {h} hours before the event, keeping a {fee}% fee.")
        }
        None => "Buyers cannot cancel their tickets themselves.".to_string(),
    };
    view! {
        <div class="rounded-xl bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-semibold">"Cancellation by buyers"</h2>
            <p class="text-sm text-slate-600" data-testid="cancel-policy">{now}</p>
            {saved.then(|| view! { <p role="status" class="mt-2 text-sm text-emerald-800">"Saved."</p> })}
            <ActionForm action attr:class="mt-3 flex flex-wrap items-end gap-3">
                <FormError error />
                <input type="hidden" name="event" value=event.to_string() />
                <label class="block text-sm font-medium text-slate-700">"Until how many hours before (empty: never)"
                    <input type="number" name="hours" min="0" max="8760" value=hours.map(|h| h.to_string()).unwrap_or_default()
                        class="mt-1 block w-32 rounded-lg border border-slate-300 px-3 py-2" />
                </label>
                <label class="block text-sm font-medium text-slate-700">"Fee kept (%)"
                    <input type="number" name="fee_percent" min="0" max="100" value=fee.to_string()
                        class="mt-1 block w-24 rounded-lg border border-slate-300 px-3 py-2" />
                </label>
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">"Save policy"</button>
            </ActionForm>
        </div>
    }
}

/// Cancelling the event, or how far its refunds are once cancelled.
#[component]
fn Cancellation(
    event: uuid::Uuid,
    progress: Option<crate::model::CancellationProgress>,
) -> impl IntoView {
    use crate::api::refunds::CancelEvent;
    use crate::ui::components::form::{FormError, url_error};
    if let Some(p) = progress {
        return view! {
            <div class="rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-900" data-testid="cancellation">
                <p class="font-semibold">{format!("This event is cancelled: {} of {} orders refunded.", p.refunded, p.orders)}</p>
                <p class="text-sm">{format!("Reason given to buyers: {}", p.reason)}</p>
            </div>
        }
        .into_any();
    }
    let action = ServerAction::<CancelEvent>::new();
    let error = Signal::stored(url_error::<CancelEvent>());
    view! {
        <details class="rounded-xl bg-white p-4 shadow-sm">
            <summary class="cursor-pointer font-semibold text-rose-700">"Cancel this event"</summary>
            <p class="mt-2 text-sm text-slate-600">"Sales stop at once and every paid order is refunded in full; buyers are told by email. This cannot be undone."</p>
            <ActionForm action attr:class="mt-3 space-y-3">
                <FormError error />
                <input type="hidden" name="event" value=event.to_string() />
                <label class="block text-sm font-medium text-slate-700">"Reason (buyers read it)"
                    <textarea name="reason" rows="2" required=true class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"></textarea>
                </label>
                // The browser asks before it is sent (no script needed).
                <label class="flex items-center gap-2 text-sm font-medium text-rose-800">
                    <input type="checkbox" required=true />
                    "Yes, cancel this event and refund every buyer"
                </label>
                <button type="submit" class="rounded-lg bg-rose-600 px-4 py-2 font-semibold text-white hover:bg-rose-700">"Cancel the event and refund everyone"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn FiguresRow(figures: SalesFigures, total: bool) -> impl IntoView {
    let class = if total {
        "border-t-2 border-slate-300 font-semibold"
    } else {
        "border-b border-slate-100"
    };
    view! {
        <tr class=class data-testid="sales-row">
            <td class="p-2">{figures.name}</td>
            <td class="p-2 text-right">{figures.quantity}</td>
            <td class="p-2 text-right">{figures.held}</td>
            <td class="p-2 text-right">{figures.sold}</td>
            <td class="p-2 text-right">{figures.checked_in}</td>
            <td class="p-2 text-right">{figures.gross.currency.amount(figures.gross.minor + figures.discounts.minor).to_string()}</td>
            <td class="p-2 text-right">{figures.discounts.to_string()}</td>
            <td class="p-2 text-right">{figures.gross.to_string()}</td>
            <td class="p-2 text-right">{figures.refunded.to_string()}</td>
            <td class="p-2 text-right">{figures.net.to_string()}</td>
        </tr>
    }
}

/// A sales chart (drawn on the server, see `backend::charts`), named for
/// screen readers, with its numbers in a table underneath (collapsed).
#[component]
fn Chart(title: String, chart: SalesChart) -> impl IntoView {
    let id = format!("chart-{}", title.len());
    view! {
        <figure class="rounded-xl bg-white p-4 shadow-sm">
            <figcaption id=id.clone() class="mb-2 font-semibold">{title.clone()}</figcaption>
            {if chart.points.is_empty() {
                view! { <p class="text-sm text-slate-600">"No tickets sold yet."</p> }.into_any()
            } else {
                view! {
                    {chart.svg.map(|svg| view! {
                        <div role="img" aria-labelledby=id.clone() class="overflow-x-auto [&>svg]:h-auto [&>svg]:w-full [&>svg]:min-w-[32rem]" data-testid="sales-chart" inner_html=svg></div>
                    })}
                    <details class="mt-2 text-sm">
                        <summary class="cursor-pointer text-slate-600">"The numbers"</summary>
                        <table class="mt-1">
                            <thead><tr><th class="pr-4 text-left">"When"</th><th class="pr-4 text-right">"Tickets"</th><th class="text-right">"Revenue"</th></tr></thead>
                            <tbody>
                                {chart.points.into_iter().map(|p| view! {
                                    <tr><td class="pr-4">{p.label}</td><td class="pr-4 text-right">{p.tickets}</td><td class="text-right">{p.revenue.to_string()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }.into_any()
            }}
        </figure>
    }
}
