use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::api::cart::{RemoveCode, SetCartLine, view_cart};
use crate::api::orders::{CancelCheckout, StartCheckout};
use crate::error::AppError;
use crate::i18n::{Words, t};
use crate::model::{CartLineView, CartView};
use crate::ui::auth::use_auth;
use crate::ui::cart_state::use_cart;
use crate::ui::components::form::{FormError, action_error, url_error};
use crate::ui::islands::{announce_cart_changed, keep_focus, mark_ready};
use crate::ui::pages::email::VerifyNotice;

#[component]
pub fn CartPage() -> impl IntoView {
    let state = use_cart();
    let auth = use_auth();
    view! {
        <Title text=t("cart-title") />
        <h1 class="mb-6 text-2xl font-bold">{t("cart-title")}</h1>
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("cart-loading")}</p> }>
            {move || Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                let signed_in = user.is_some();
                let unverified = user.filter(|u| !u.email_verified).map(|u| u.email);
                match state.cart.await {
                    Ok(cart) => view! {
                        {unverified.map(|email| view! { <div class="mb-6"><VerifyNotice email here="/cart" /></div> })}
                        <CartContents cart signed_in errors=CartErrors::from_url() words=Words::of(CART_WORDS) />
                    }
                    .into_any(),
                    Err(err) => view! {
                        <div role="alert" class="rounded-xl border border-amber-200 bg-amber-50 p-6 text-amber-900" data-testid="cart-error">
                            {err.to_string()}
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the [`CartContents`] island says, sent with it in the visitor's
/// language (amounts and dates come written in the cart, [`CartView::written`]).
const CART_WORDS: &[&str] = &[
    "cart-empty",
    "cart-updated",
    "cart-browse",
    "cart-pending-order",
    "cart-continue-payment",
    "cart-view-order",
    "cart-cancel-order",
    "cart-get-free",
    "cart-check-out",
    "cart-sign-in-to-check-out",
    "cart-seats-held",
    "cart-quantity",
    "cart-update",
    "cart-remove",
    "cart-code-remove",
];

/// Where the focus goes when a change removed the element that had it.
const CART_SUMMARY: &str = "cart-summary";

/// What plain form posts from this page brought back in the URL.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct CartErrors {
    set: Option<AppError>,
    remove_code: Option<AppError>,
    checkout: Option<AppError>,
    cancel: Option<AppError>,
}

impl CartErrors {
    fn from_url() -> Self {
        Self {
            set: url_error::<SetCartLine>(),
            remove_code: url_error::<RemoveCode>(),
            checkout: url_error::<StartCheckout>(),
            cancel: url_error::<CancelCheckout>(),
        }
    }
}

/// The cart's lines and checkout, live: a changed quantity reloads the cart
/// (and the header's count); checking out goes on to Stripe or the free order.
#[island(lazy)]
fn CartContents(
    cart: CartView,
    signed_in: bool,
    errors: CartErrors,
    words: Words,
) -> impl IntoView {
    mark_ready();
    let words = StoredValue::new(words);
    let set = ServerAction::<SetCartLine>::new();
    let remove_code = ServerAction::<RemoveCode>::new();
    let checkout = ServerAction::<StartCheckout>::new();
    let cancel = ServerAction::<CancelCheckout>::new();
    let set_error = action_error(set, errors.set);
    let remove_code_error = action_error(remove_code, errors.remove_code);
    let checkout_error = action_error(checkout, errors.checkout);
    let cancel_error = action_error(cancel, errors.cancel);
    let cart = RwSignal::new(cart);
    // What a screen reader is told after a change (the region is always there).
    let announced = RwSignal::new(String::new());
    Effect::new(move |_| {
        if set.version().get() + cancel.version().get() + remove_code.version().get() > 0 {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = view_cart().await {
                    let said = words.with_value(|w| {
                        if fresh.lines.is_empty() {
                            w.get("cart-empty")
                        } else {
                            format!("{} {}", w.get("cart-updated"), fresh.words.total)
                        }
                    });
                    cart.set(fresh);
                    announced.set(said);
                    announce_cart_changed();
                    keep_focus(CART_SUMMARY);
                }
            });
        }
    });
    // Disabled while the request is in flight: a double click makes one checkout.
    let busy = checkout.pending();
    view! {
        <p role="status" class="sr-only" data-testid="cart-announcement">{move || announced.get()}</p>
        <FormError error=set_error />
        <FormError error=remove_code_error />
        {move || {
            let cart = cart.get();
            view! {
                <CartBody cart signed_in busy set remove_code checkout cancel checkout_error cancel_error words />
            }
        }}
    }
}

#[component]
fn CartBody(
    cart: CartView,
    signed_in: bool,
    busy: Memo<bool>,
    set: ServerAction<SetCartLine>,
    remove_code: ServerAction<RemoveCode>,
    checkout: ServerAction<StartCheckout>,
    cancel: ServerAction<CancelCheckout>,
    checkout_error: Signal<Option<AppError>>,
    cancel_error: Signal<Option<AppError>>,
    words: StoredValue<Words>,
) -> impl IntoView {
    let w = move |key: &str| words.with_value(|words| words.get(key));
    if cart.lines.is_empty() && cart.pending_order.is_none() {
        return view! {
            <p id=CART_SUMMARY tabindex="-1" class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600" data-testid="cart-empty">
                {w("cart-empty")} " " <a href="/" class="font-semibold text-indigo-700 hover:underline">{w("cart-browse")}</a>
            </p>
        }
        .into_any();
    }
    let can_check_out = cart.can_check_out();
    let free = cart.is_free();
    let pending = cart.pending_order;
    let said = cart.words;
    view! {
        <div class="grid gap-8 lg:grid-cols-3">
            <section class="space-y-3 lg:col-span-2">
                {cart
                    .lines
                    .into_iter()
                    .map(|line| {
                        let line_words = said
                            .lines
                            .iter()
                            .find(|l| l.ticket_type_id == line.ticket_type_id)
                            .cloned()
                            .unwrap_or_default();
                        view! {
                            <CartLine line set words
                                when=line_words.when each=line_words.each available=line_words.available />
                        }
                    })
                    .collect_view()}
            </section>
            <aside class="h-fit space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <p id=CART_SUMMARY tabindex="-1" class="text-lg font-semibold" data-testid="cart-total">{said.total}</p>
                {cart.codes.into_iter().map(|code| view! {
                    <ActionForm action=remove_code attr:class="flex flex-wrap items-center justify-between gap-2 text-sm" attr:data-testid="cart-code">
                        <input type="hidden" name="event" value=code.event_id.to_string() />
                        <p class=if code.usable { "text-emerald-800" } else { "font-medium text-rose-700" }>{code.said}</p>
                        <button type="submit" class="rounded-lg px-2 py-1 text-rose-700 hover:bg-rose-50">{w("cart-code-remove")}</button>
                    </ActionForm>
                }).collect_view()}
                <FormError error=checkout_error />
                <FormError error=cancel_error />
                {match pending {
                    Some(order) => view! {
                        <div class="space-y-3 rounded-lg bg-indigo-50 p-4 text-sm text-indigo-900" data-testid="pending-order">
                            <p>{w("cart-pending-order")}</p>
                            <ActionForm action=checkout>
                                <button type="submit" disabled=move || busy.get()
                                    class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
                                    {w("cart-continue-payment")}
                                </button>
                            </ActionForm>
                            <a href=format!("/orders/{order}") class="block text-center font-semibold text-indigo-700 hover:underline">{w("cart-view-order")}</a>
                            <ActionForm action=cancel>
                                <button type="submit" class="w-full rounded-lg border border-slate-300 px-4 py-2 text-slate-700 hover:bg-white">
                                    {w("cart-cancel-order")}
                                </button>
                            </ActionForm>
                        </div>
                    }
                    .into_any(),
                    None if signed_in => view! {
                        <ActionForm action=checkout>
                            <button type="submit" disabled=move || !can_check_out || busy.get()
                                data-testid="check-out"
                                class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
                                {if free { w("cart-get-free") } else { w("cart-check-out") }}
                            </button>
                        </ActionForm>
                    }
                    .into_any(),
                    None => view! {
                        <a href="/signin?next=/cart" class="block rounded-lg bg-indigo-600 px-4 py-2.5 text-center font-semibold text-white hover:bg-indigo-700">
                            {w("cart-sign-in-to-check-out")}
                        </a>
                    }
                    .into_any(),
                }}
                <p class="text-xs text-slate-600">{w("cart-seats-held")}</p>
            </aside>
        </div>
    }
    .into_any()
}

#[component]
fn CartLine(
    line: CartLineView,
    set: ServerAction<SetCartLine>,
    words: StoredValue<Words>,
    /// When the event starts, "€25.00 each", "12 available": written by the server.
    when: String,
    each: String,
    available: String,
) -> impl IntoView {
    let w = move |key: &str| words.with_value(|words| words.get(key));
    let ticket_type = line.ticket_type_id.to_string();
    let remove_ticket_type = ticket_type.clone();
    view! {
        <article class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="cart-line">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <a href=format!("/events/{}", line.event_id) class="font-semibold hover:text-indigo-700">{line.title.clone()}</a>
                    <p class="text-sm font-medium text-slate-700" data-testid="cart-line-type">{line.type_name.clone()}</p>
                    <p class="text-sm text-slate-600">{when}</p>
                    <p class="text-sm text-slate-600">{each}</p>
                </div>
                <div class="flex items-center gap-2">
                    <ActionForm action=set attr:class="flex items-center gap-2">
                        <input type="hidden" name="ticket_type_id" value=ticket_type />
                        <label class="sr-only" for=format!("qty-{}", line.ticket_type_id)>{w("cart-quantity")}</label>
                        <input id=format!("qty-{}", line.ticket_type_id) type="number" name="quantity" min="0" max="100"
                            value=line.quantity.to_string() class="h-9 w-16 rounded-lg border border-slate-300 text-center" />
                        <button type="submit" class="rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">{w("cart-update")}</button>
                    </ActionForm>
                    <ActionForm action=set>
                        <input type="hidden" name="ticket_type_id" value=remove_ticket_type />
                        <input type="hidden" name="quantity" value="0" />
                        <button type="submit" class="rounded-lg px-3 py-1.5 text-sm text-rose-700 hover:bg-rose-50">{w("cart-remove")}</button>
                    </ActionForm>
                </div>
            </div>
            <p class="mt-2 text-sm text-slate-600">{available}</p>
            {line.problem.map(|problem| problem.to_string()).map(|problem| view! {
                <p class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="cart-line-problem">{problem}</p>
            })}
        </article>
    }
}
