//! An organizer's orders for an event, and one order with its refund form.
//! Plain server pages: the search is a GET form, the refund a form post.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::api::refunds::{RefundTickets, event_orders, organizer_order};
use crate::error::AppError;
use crate::model::{OrderStatus, OrganizerOrderView, OrganizerOrders, format_utc_time};
use crate::ui::components::form::{FormError, field_error, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

/// `/organizer/events/{id}/orders?q=…&status=…&page=…`
#[component]
pub fn EventOrdersPage() -> impl IntoView {
    let id = use_id_param();
    let query = use_query_map();
    let q = query.read_untracked().get("q");
    let status = query.read_untracked().get("status");
    let page = query
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<u32>().ok());
    let (shown_q, shown_status) = (
        q.clone().unwrap_or_default(),
        status.clone().unwrap_or_default(),
    );
    let orders = Resource::new(id, move |id| {
        let (q, status) = (q.clone(), status.clone());
        async move {
            match id {
                Some(id) => event_orders(id, q, status, page).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    view! {
        <Title text="Orders" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let (shown_q, shown_status) = (shown_q.clone(), shown_status.clone());
                Suspend::new(async move {
                    match orders.await {
                        Ok(orders) => view! { <OrderList orders q=shown_q status=shown_status /> }.into_any(),
                        Err(err) => refusal(err),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrderList(orders: OrganizerOrders, q: String, status: String) -> impl IntoView {
    let base = format!("/organizer/events/{}/orders", orders.event_id);
    let page_link = {
        let (base, q, status) = (base.clone(), q.clone(), status.clone());
        move |page: u32| {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &q)
                .append_pair("status", &status)
                .append_pair("page", &page.to_string())
                .finish();
            format!("{base}?{query}")
        }
    };
    let (previous, next) = (
        (orders.page > 1).then(|| page_link(orders.page - 1)),
        orders.has_more.then(|| page_link(orders.page + 1)),
    );
    view! {
        <section class="space-y-4">
            <h1 class="text-2xl font-bold">"Orders · " {orders.event_title.clone()}</h1>
            <p class="text-sm" data-testid="exports">"Download: "
                <a href=format!("/organizer/events/{}/attendees.csv", orders.event_id) class="font-semibold text-indigo-700 hover:underline">"attendees (CSV)"</a>
                " · "
                <a href=format!("/organizer/events/{}/orders.csv", orders.event_id) class="font-semibold text-indigo-700 hover:underline">"orders (CSV)"</a>
                " · for Excel: "
                <a href=format!("/organizer/events/{}/attendees.csv?bom=1", orders.event_id) class="text-indigo-700 hover:underline">"attendees"</a>
                ", "
                <a href=format!("/organizer/events/{}/orders.csv?bom=1", orders.event_id) class="text-indigo-700 hover:underline">"orders"</a>
            </p>
            <form method="get" action=base class="flex flex-wrap items-end gap-3">
                <label class="block text-sm font-medium text-slate-700">"Buyer or order reference"
                    <input type="search" name="q" value=q class="mt-1 block w-64 rounded-lg border border-slate-300 px-3 py-2" />
                </label>
                <label class="block text-sm font-medium text-slate-700">"Status"
                    <select name="status" class="mt-1 block rounded-lg border border-slate-300 px-3 py-2">
                        <option value="" selected=status.is_empty()>"Any"</option>
                        {OrderStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">"Search"</button>
            </form>
            {if orders.rows.is_empty() {
                view! { <p class="text-slate-600" data-testid="no-orders">"No orders match."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto" tabindex="0" role="region" aria-label="Orders"><table class="w-full rounded-xl bg-white text-left text-sm shadow-sm" data-testid="organizer-orders">
                        <thead><tr class="border-b text-slate-600">
                            <th class="p-2">"Order"</th><th class="p-2">"Buyer"</th><th class="p-2">"Status"</th>
                            <th class="p-2">"Tickets"</th><th class="p-2 text-right">"Total"</th><th class="p-2">"Placed"</th>
                        </tr></thead>
                        <tbody>
                            {orders.rows.into_iter().map(|row| view! {
                                <tr class="border-b border-slate-100" data-testid="organizer-order-row">
                                    <td class="p-2"><A href=format!("/organizer/orders/{}", row.id) attr:class="font-mono font-semibold text-indigo-700 hover:underline">{row.reference}</A></td>
                                    <td class="p-2">{row.buyer_name}<br /><span class="text-slate-600">{row.buyer_email}</span></td>
                                    <td class="p-2">{row.status.label()}</td>
                                    <td class="p-2">{row.tickets}</td>
                                    <td class="p-2 text-right">{row.total.to_string()}
                                        {(row.refunded.minor > 0).then(|| view! { <br /><span class="text-rose-700">{format!("−{} refunded", row.refunded)}</span> })}
                                    </td>
                                    <td class="p-2">{format_utc_time(row.created_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            <nav class="flex gap-4">
                {previous.map(|href| view! { <a href=href class="text-indigo-700 hover:underline">"← Newer"</a> })}
                {next.map(|href| view! { <a href=href class="text-indigo-700 hover:underline">"Older →"</a> })}
            </nav>
        </section>
    }
}

/// `/organizer/orders/{id}`
#[component]
pub fn OrganizerOrderPage() -> impl IntoView {
    let id = use_id_param();
    let refunded = use_query_map().read_untracked().get("refunded").is_some();
    let order = Resource::new(id, |id| async move {
        match id {
            Some(id) => organizer_order(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Order" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => view! { <OrderDetail order refunded /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderDetail(order: OrganizerOrderView, refunded: bool) -> impl IntoView {
    let refundable = order.status == OrderStatus::Paid && !order.disputed;
    let open: Vec<_> = order
        .tickets
        .iter()
        .filter(|t| t.refunded_at.is_none())
        .cloned()
        .collect();
    view! {
        <section class="mx-auto max-w-3xl space-y-6">
            <div>
                <h1 class="text-2xl font-bold">"Order " <span class="font-mono">{order.reference.clone()}</span></h1>
                <p class="text-slate-600">{order.buyer_name.clone()} " · " {order.buyer_email.clone()}</p>
                <p class="text-slate-600" data-testid="organizer-order-status">
                    {order.status.label()} " · total " {order.total.to_string()}
                    {(order.refunded.minor > 0).then(|| format!(" · {} refunded", order.refunded))}
                    {order.disputed.then_some(" · disputed with the bank")}
                </p>
            </div>
            {refunded.then(|| view! {
                <p role="status" class="rounded-lg bg-emerald-50 px-4 py-2 text-emerald-800">"Refund recorded. The buyer has been told by email; refunded tickets no longer admit."</p>
            })}
            <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <h2 class="mb-2 font-semibold">"Tickets"</h2>
                <ul class="divide-y divide-slate-100" data-testid="organizer-tickets">
                    {order.tickets.iter().map(|t| view! {
                        <li class="flex justify-between py-2">
                            <span>{format!("Ticket {} · {} · {}", t.seat_no, t.event_title, t.type_name)}</span>
                            <span class="text-sm text-slate-600">
                                {t.price.to_string()}
                                {t.checked_in_at.map(|at| format!(" · checked in {}", format_utc_time(at)))}
                                {t.refunded_at.map(|_| view! { <span class="ml-2 font-semibold text-rose-700">"refunded"</span> })}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            {(refundable && !open.is_empty()).then(|| view! { <RefundForm order=order.id tickets=open /> })}
            {(!order.refunds.is_empty()).then(|| view! {
                <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                    <h2 class="mb-2 font-semibold">"Refunds"</h2>
                    <ul class="space-y-2 text-sm" data-testid="organizer-refunds">
                        {order.refunds.iter().map(|r| view! {
                            <li>
                                {format!("{} for {} ticket(s) on {}", r.amount, r.tickets, format_utc_time(r.at))}
                                {r.by.clone().map(|by| format!(" by {by}"))}
                                {if r.restocked { " · seats back on sale" } else { " · seats not resold" }}
                                {if r.settled { "" } else { " · waiting for Stripe" }}
                                <br /><span class="text-slate-600">{format!("Reason: {}", r.reason)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </section>
    }
}

#[component]
fn RefundForm(order: Uuid, tickets: Vec<crate::model::OrganizerTicket>) -> impl IntoView {
    let action = ServerAction::<RefundTickets>::new();
    let error = Signal::stored(url_error::<RefundTickets>());
    view! {
        <div class="rounded-2xl border border-rose-200 bg-white p-6 shadow-sm">
            <h2 class="mb-2 font-semibold">"Refund"</h2>
            <ActionForm action attr:class="space-y-3">
                <FormError error beside=|f| matches!(f, "tickets" | "reason") />
                <input type="hidden" name="order" value=order.to_string() />
                <fieldset class="space-y-1">
                    <legend class="text-sm font-medium text-slate-700">"Tickets to refund"</legend>
                    {tickets.into_iter().enumerate().map(|(n, t)| view! {
                        <label class="flex items-center gap-2">
                            <input type="checkbox" name=format!("tickets[{n}]") value=t.id.to_string() />
                            {format!("Ticket {} · {} · {}", t.seat_no, t.type_name, t.price)}
                        </label>
                    }).collect_view()}
                    <p role="alert" class="text-sm font-medium text-rose-700" data-testid="error-tickets">
                        {move || field_error(error, "tickets").get()}
                    </p>
                </fieldset>
                <label class="block text-sm font-medium text-slate-700">"Reason (the buyer sees it)"
                    <textarea name="reason" rows="2" class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"></textarea>
                </label>
                <p role="alert" class="text-sm font-medium text-rose-700" data-testid="error-reason">
                    {move || field_error(error, "reason").get()}
                </p>
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="restock" value="1" checked=true />
                    "Put the seats back on sale"
                </label>
                // Money goes back: the browser asks before it is sent (no script needed).
                <label class="flex items-center gap-2 text-sm font-medium text-rose-800">
                    <input type="checkbox" required=true data-testid="confirm-refund" />
                    "Yes, give this money back to the buyer"
                </label>
                <div class="flex flex-wrap gap-3">
                    <button type="submit" class="rounded-lg bg-rose-600 px-4 py-2 font-semibold text-white hover:bg-rose-700">"Refund chosen tickets"</button>
                    <button type="submit" name="whole" value="1" class="rounded-lg border border-rose-600 px-4 py-2 font-semibold text-rose-700 hover:bg-rose-50">"Refund the whole order"</button>
                </div>
            </ActionForm>
        </div>
    }
}
