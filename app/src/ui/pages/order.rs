use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::orders::get_order;
use crate::error::AppError;
use crate::i18n::{Words, t};
use crate::model::{OrderStatus, OrderView};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::mark_ready;
use crate::ui::params::use_id_param;

/// An order's page. Coming back from Stripe, a pending order says the payment
/// was received and is being confirmed, and the [`PaymentWait`] island checks
/// again every two seconds until the webhook has landed; the page never marks
/// an order paid by itself. Its sentences, dates and amounts come written by
/// the server in the buyer's language (`OrderView::written`, [`ORDER_WORDS`]).
#[component]
pub fn OrderPage() -> impl IntoView {
    let from_stripe = use_query_map().read_untracked().get("session_id").is_some();
    let id = use_id_param();
    let order = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_order(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=t("order-title") />
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("order-loading")}</p> }>
            {move || Suspend::new(async move {
                let words = Words::of(ORDER_WORDS);
                match order.await {
                    Ok(order) if from_stripe => view! { <PaymentWait order words /> }.into_any(),
                    Ok(order) => view! { <OrderDetails order from_stripe words /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

/// The order on the way back from Stripe: while it is pending, asks again
/// every two seconds. Once it is settled (already when the page loads, or
/// later) the server has emptied the cart, and the header's count is told to
/// follow, once.
#[island(lazy)]
fn PaymentWait(order: OrderView, words: Words) -> impl IntoView {
    mark_ready();
    let id = order.id;
    let order = RwSignal::new(order);
    #[cfg(feature = "hydrate")]
    let told = StoredValue::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if order.with(|o| o.status != OrderStatus::Pending) {
            if !told.get_value() {
                told.set_value(true);
                crate::ui::islands::announce_cart_changed();
            }
        } else {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        match get_order(id).await {
                            Ok(fresh) => order.set(fresh),
                            // Ask again (a blip of the network or the server).
                            Err(_) => order.update(|_| {}),
                        }
                    })
                },
                std::time::Duration::from_secs(2),
            );
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! { {move || view! { <OrderDetails order=order.get() from_stripe=true words=words.clone() /> }} }
}

/// What the order page says besides what `OrderView::written` wrote for the
/// order, sent with the [`PaymentWait`] island in the visitor's language.
const ORDER_WORDS: &[&str] = &[
    "order-heading",
    "order-confirming",
    "order-your-tickets",
    "order-ticket-refunded",
    "order-cancel-submit",
    "order-pay",
    "order-cancel-order",
];

#[component]
fn OrderDetails(order: OrderView, from_stripe: bool, words: Words) -> impl IntoView {
    let banner_class = match order.status {
        OrderStatus::Pending if from_stripe => "bg-indigo-50 text-indigo-900",
        OrderStatus::Pending => "bg-amber-50 text-amber-900",
        OrderStatus::Paid if order.disputed => "bg-rose-50 text-rose-900",
        OrderStatus::Paid if order.total.minor == 0 => "bg-emerald-50 text-emerald-900",
        OrderStatus::Paid if order.tickets.iter().any(|p| p.refunded_at.is_some()) => {
            "bg-amber-50 text-amber-900"
        }
        OrderStatus::Paid => "bg-emerald-50 text-emerald-900",
        OrderStatus::Expired | OrderStatus::Cancelled | OrderStatus::Declined => {
            "bg-slate-100 text-slate-700"
        }
        OrderStatus::Refunded => "bg-rose-50 text-rose-900",
    };
    let written = order.words.clone();
    let banner = if order.status == OrderStatus::Pending && from_stripe {
        words.get("order-confirming")
    } else {
        written.banner.clone()
    };
    let nth = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    view! {
        <section class="mx-auto max-w-2xl space-y-6">
            <div>
                <h1 class="text-2xl font-bold" data-testid="order-heading">{format!("{} ", words.get("order-heading"))} <span class="font-mono">{order.reference.clone()}</span></h1>
                <p class="text-sm text-slate-600">
                    {written.placed.clone()}
                </p>
            </div>
            <p class=format!("rounded-xl p-4 font-medium {banner_class}") data-testid="order-status">{banner}</p>
            <ul class="space-y-2" data-testid="order-events">
                {order.events.iter().enumerate().map(|(i, e)| view! {
                    <li class="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
                        <a href=format!("/events/{}", e.id) class="font-semibold text-indigo-700 hover:underline">{e.title.clone()}</a>
                        <p class="text-sm text-slate-700">{nth(&written.events, i)} " · " {e.venue.clone()}</p>
                    </li>
                }).collect_view()}
            </ul>
            <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <ul class="divide-y divide-slate-100">
                    {order.lines.iter().enumerate().map(|(i, line)| view! {
                        <li class="flex justify-between gap-3 py-2">
                            <span>
                                {format!("{} × {} · {}", line.quantity, line.title, line.type_name)}
                                {Some(nth(&written.line_codes, i)).filter(|note| !note.is_empty()).map(|note| view! {
                                    <span class="block text-sm text-emerald-800" data-testid="order-line-code">{note}</span>
                                })}
                            </span>
                            <span>{nth(&written.lines, i)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="mt-3 text-right text-lg font-semibold">{written.total_line.clone()}</p>
            </div>
            {(!order.tickets.is_empty()).then(|| view! {
                <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                    <h2 class="mb-2 font-semibold">{words.get("order-your-tickets")}</h2>
                    <ul class="space-y-1" data-testid="order-tickets">
                        {order.tickets.iter().enumerate().map(|(i, ticket)| view! {
                            <li>
                                <a href=format!("/tickets/{}", ticket.id) class="font-medium text-indigo-700 hover:underline">
                                    {nth(&written.tickets, i)}
                                </a>
                                {written.checked_in.get(i).cloned().flatten().map(|at| view! { <span class="ml-2 text-sm text-slate-600">{at}</span> })}
                                {ticket.refunded_at.map(|_| view! { <span class="ml-2 rounded bg-rose-100 px-2 text-sm font-semibold text-rose-800" data-testid="ticket-refunded">{words.get("order-ticket-refunded")}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {order.cancel_offer.clone().map(|offer| view! {
                <CancelTickets order=order.id offer text=written.cancel.clone().unwrap_or_default()
                    submit=words.get("order-cancel-submit") />
            })}
            {(order.status == OrderStatus::Pending && !from_stripe).then(|| view! {
                <PendingChoices payment_url=order.payment_url.clone()
                    pay=words.get("order-pay") cancel_order=words.get("order-cancel-order") />
            })}
        </section>
    }
}

/// A pending order (also where Stripe's "Back" returns to): pay it, or give
/// it up at once rather than hold the seats until the hold runs out (plain
/// form posts: they work without JavaScript).
#[component]
fn PendingChoices(payment_url: Option<String>, pay: String, cancel_order: String) -> impl IntoView {
    use crate::api::orders::CancelCheckout;
    use crate::ui::components::form::url_error;
    let cancel = ServerAction::<CancelCheckout>::new();
    let error = url_error::<CancelCheckout>();
    view! {
        <div class="flex flex-wrap items-center gap-3" data-testid="pending-choices">
            {payment_url.map(|url| view! {
                <a href=url rel="external" class="inline-block rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                    {pay}
                </a>
            })}
            <ActionForm action=cancel>
                <button type="submit" class="rounded-lg border border-slate-300 px-4 py-2 font-semibold text-slate-700 hover:bg-slate-100">
                    {cancel_order}
                </button>
            </ActionForm>
            {error.map(|err| view! { <p role="alert" class="w-full font-semibold text-rose-800">{err.to_string()}</p> })}
        </div>
    }
}

/// The buyer's own cancellation, within the organizer's policy (a plain form
/// post). `text` is the offer as the server wrote it.
#[component]
fn CancelTickets(
    order: uuid::Uuid,
    offer: crate::model::CancelOffer,
    text: String,
    submit: String,
) -> impl IntoView {
    use crate::api::orders::CancelTickets;
    use crate::ui::components::form::url_error;
    let action = ServerAction::<CancelTickets>::new();
    let error = url_error::<CancelTickets>();
    view! {
        <div class="rounded-2xl border border-amber-200 bg-amber-50 p-6 text-amber-900" data-testid="cancel-offer">
            <p>
                {text}
            </p>
            {error.map(|err| view! { <p role="alert" class="mt-2 font-semibold text-rose-800">{err.to_string()}</p> })}
            <ActionForm action attr:class="mt-3">
                <input type="hidden" name="order" value=order.to_string() />
                <input type="hidden" name="refund_minor" value=offer.refund.minor.to_string() />
                <button type="submit" class="rounded-lg border border-amber-600 px-4 py-2 font-semibold text-amber-900 hover:bg-amber-100">{submit}</button>
            </ActionForm>
        </div>
    }
}
