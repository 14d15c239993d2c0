use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::api::cart::AddToCart;
use crate::api::catalogue::get_ticket;
use crate::error::AppError;
use crate::model::{Availability, SaleState, TicketDetail, format_event_time, format_money};
use crate::ui::components::form::{FormError, action_error, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::{announce_cart_changed, mark_ready, typed_before_hydration};
use crate::ui::params::use_id_param;

/// A listing's page: details, where the sale stands, live availability, and a
/// quantity picker bounded by what is left and the per-order maximum.
#[component]
pub fn TicketPage() -> impl IntoView {
    let id = use_id_param();
    let ticket = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_ticket(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(ticket) => view! { <TicketView ticket /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TicketView(ticket: TicketDetail) -> impl IntoView {
    let max = ticket.max_quantity();
    let availability = Availability::of(ticket.available, ticket.stock);
    let sale_note = match ticket.sale_state {
        SaleState::Open => format!("On sale until {}", format_event_time(ticket.sale_ends_at)),
        SaleState::NotYetOpen(at) => format!("On sale from {}", format_event_time(at)),
        SaleState::Ended => "Sale ended".to_string(),
        SaleState::Cancelled => "This event has been cancelled".to_string(),
    };
    let price = ticket.price_minor;
    let currency = ticket.currency.clone();
    view! {
        <Title text=ticket.title.clone() />
        <article class="grid gap-8 lg:grid-cols-3">
            <div class="lg:col-span-2">
                <p class="text-sm font-semibold text-indigo-700">{format_event_time(ticket.starts_at)}</p>
                <h1 class="mt-1 text-3xl font-extrabold tracking-tight" data-testid="ticket-title">{ticket.title.clone()}</h1>
                <p class="mt-2 text-lg text-slate-700">{ticket.venue.clone()}</p>
                <p class="text-sm text-slate-500">"Until " {format_event_time(ticket.ends_at)} " · by " {ticket.organizer_name.clone()}</p>
                <p class="mt-6 whitespace-pre-line leading-relaxed text-slate-700">{ticket.description.clone()}</p>
            </div>
            <aside class="h-fit rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <p class="text-2xl font-bold">{format_money(price, &currency)}</p>
                <p class="mt-1 text-sm text-slate-600" data-testid="sale-state">{sale_note}</p>
                <p class="mt-1 text-sm font-semibold" data-testid="availability">{availability.label()}</p>
                {if max > 0 {
                    view! {
                        <QuantityPicker ticket=ticket.id max price currency=currency.clone()
                            url_error={url_error::<AddToCart>()} />
                    }
                    .into_any()
                } else {
                    view! { <p class="mt-4 text-sm text-slate-500">"Tickets cannot be bought right now."</p> }.into_any()
                }}
            </aside>
        </article>
    }
}

/// Quantity and total, live; adding tells the header's count.
#[island(lazy)]
fn QuantityPicker(
    ticket: Uuid,
    max: i32,
    price: i64,
    currency: String,
    url_error: Option<AppError>,
) -> impl IntoView {
    mark_ready();
    let add = ServerAction::<AddToCart>::new();
    let error = action_error(add, url_error);
    let added = move || matches!(add.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        add.version().track();
        if matches!(add.value().get_untracked(), Some(Ok(()))) {
            announce_cart_changed();
        }
    });
    let typed = typed_before_hydration("quantity").and_then(|n| n.trim().parse::<i32>().ok());
    let quantity = RwSignal::new(typed.unwrap_or(1).clamp(1, max.max(1)));
    let set = move |n: i32| quantity.set(n.clamp(1, max));
    let total = move || format_money(price * i64::from(quantity.get()), &currency);
    let step = "h-10 w-10 rounded-lg border border-slate-300 text-lg font-semibold hover:bg-slate-100 disabled:opacity-40";
    view! {
        <ActionForm action=add attr:class="mt-5">
            <input type="hidden" name="ticket_id" value=ticket.to_string() />
            <label for="quantity" class="text-sm font-medium text-slate-700">"Tickets"</label>
            <div class="mt-1 flex items-center gap-2">
                <button type="button" class=step aria-label="One fewer" disabled=move || { quantity.get() <= 1 }
                    on:click=move |_| set(quantity.get() - 1)>"−"</button>
                <input id="quantity" name="quantity" type="number" min="1" max=max.to_string()
                    class="h-10 w-20 rounded-lg border border-slate-300 text-center"
                    value=quantity.get_untracked().to_string()
                    prop:value=move || quantity.get().to_string()
                    on:change=move |ev| set(event_target_value(&ev).parse().unwrap_or(1)) />
                <button type="button" class=step aria-label="One more" disabled=move || { quantity.get() >= max }
                    on:click=move |_| set(quantity.get() + 1)>"+"</button>
            </div>
            <p class="mt-1 text-xs text-slate-500">{format!("Up to {max} per order")}</p>
            <p class="mt-3 text-lg font-semibold" data-testid="quantity-total">"Total " {total}</p>
            <div class="mt-3"><FormError error /></div>
            <button type="submit" class="mt-3 w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-700">
                "Add to cart"
            </button>
            <Show when=added>
                <p role="status" class="mt-2 text-sm text-emerald-700" data-testid="added-to-cart">
                    "Added to your cart. " <a href="/cart" class="font-semibold underline">"View cart"</a>
                </p>
            </Show>
        </ActionForm>
    }
}
