use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::cart::AddToCart;
use crate::api::catalogue::get_event;
use crate::api::waiting_list::JoinWaitingList;
use crate::error::AppError;
use crate::i18n::{Words, t, t_with};
use crate::model::{
    Availability, CodeView, Currency, EventDetail, EventStatus, Money, QueueView, SaleState,
    TicketTypeView, price::Discount,
};
use crate::ui::components::event_card::Cover;
use crate::ui::components::form::{FormError, action_error, field_error, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::{announce_cart_changed, mark_ready, typed_before_hydration};
use crate::ui::params::use_id_param;

/// An event's page: details, its ticket types with price, where each one's
/// sale stands and live availability, and one quantity picker per type on sale
/// (bounded by what is left and its per-order maximum) with one "Add to cart".
#[component]
pub fn EventPage() -> impl IntoView {
    let id = use_id_param();
    let query = leptos_router::hooks::use_query_map();
    let code = move || query.read().get("code");
    let event = Resource::new(
        move || (id(), code()),
        |(id, code)| async move {
            match id {
                Some(id) => get_event(id, code).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("event-loading")}</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <EventView event /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

/// An amount as the visitor's language writes it.
fn money(amount: &Money) -> String {
    #[cfg(feature = "ssr")]
    let written = crate::i18n::format::money(crate::i18n::use_locale(), amount);
    #[cfg(not(feature = "ssr"))]
    let written = amount.to_string();
    written
}

/// "Sold out", "Only 3 left", "Available".
fn availability_words(availability: Availability) -> String {
    match availability {
        Availability::SoldOut => t("availability-sold-out"),
        Availability::OnlyLeft(n) => t_with("availability-only-left", &[("count", n.into())]),
        Availability::Available => t("availability-available"),
    }
}

fn sale_note(ticket_type: &TicketTypeView) -> String {
    match ticket_type.sale_state {
        SaleState::Open => t_with(
            "sale-open-until",
            &[(
                "date",
                crate::i18n::venue_time(&ticket_type.sale_ends_at).into(),
            )],
        ),
        SaleState::NotYetOpen => t_with(
            "sale-opens-from",
            &[(
                "date",
                crate::i18n::venue_time(&ticket_type.sale_starts_at).into(),
            )],
        ),
        SaleState::Ended => t("sale-ended"),
        SaleState::Cancelled => t("sale-cancelled"),
        SaleState::Paused => t("sale-paused"),
    }
}

/// The one statement of where the event's sale stands, and whether tickets
/// can be bought (then, and only then, how many are left is worth saying).
fn where_sales_stand(event: &EventDetail, any_on_sale: bool) -> (String, bool) {
    let any = |state: SaleState| event.types.iter().find(|t| t.sale_state == state);
    if event.status == EventStatus::Cancelled {
        (t("sale-cancelled"), false)
    } else if event.status == EventStatus::Draft {
        (t("sale-draft"), false)
    } else if any(SaleState::Paused).is_some() {
        (t("sale-paused"), false)
    } else if any_on_sale {
        (t("sale-on-sale"), true)
    } else if any(SaleState::Open).is_some() {
        (t("availability-sold-out"), false)
    } else if let Some(later) = any(SaleState::NotYetOpen) {
        (sale_note(later), false)
    } else {
        (t("sale-ended"), false)
    }
}

#[component]
fn EventView(event: EventDetail) -> impl IntoView {
    let availability = Availability::of(event.available, event.stock);
    let on_sale: Vec<Choice> = event
        .types
        .iter()
        .filter(|t| event.status == EventStatus::Published && t.max_quantity() > 0)
        .map(|t| Choice {
            id: t.id,
            name: t.name.clone(),
            price_minor: t.price.minor,
            max: t.max_quantity(),
            limit: t_with("event-picker-limit", &[("max", t.max_quantity().into())]),
            fewer: t_with("event-picker-fewer", &[("type", t.name.as_str().into())]),
            more: t_with("event-picker-more", &[("type", t.name.as_str().into())]),
        })
        .collect();
    let (headline, buyable) = where_sales_stand(&event, !on_sale.is_empty());
    let currency = event.currency.clone();
    let shape = MoneyShape::of(&currency);
    let until_by = t_with(
        "event-until-by",
        &[
            ("end", crate::i18n::venue_time(&event.ends_at).into()),
            ("organizer", event.organizer_name.as_str().into()),
        ],
    );
    let time_zone = t_with(
        "event-time-zone",
        &[("zone", event.time_zone.as_str().into())],
    );
    view! {
        <Title text=event.title.clone() />
        <article class="grid gap-8 lg:grid-cols-3">
            <div class="lg:col-span-2">
                <div class="mb-6 aspect-video overflow-hidden rounded-2xl">
                    <Cover url=event.cover_url.clone() title=event.title.clone() />
                </div>
                <p class="text-sm font-semibold text-indigo-700">{crate::i18n::venue_time(&event.starts_at)}</p>
                <h1 class="mt-1 text-3xl font-extrabold tracking-tight" data-testid="event-title"
                    lang=lang(&event.title_lang)>{event.title.clone()}</h1>
                <p class="mt-2 text-lg text-slate-700">{event.venue.clone()}</p>
                <p class="text-sm text-slate-600">{until_by}</p>
                <p class="text-xs text-slate-600" data-testid="time-zone">{time_zone}</p>
                <p class="mt-6 whitespace-pre-line leading-relaxed text-slate-700" data-testid="event-description"
                    lang=lang(&event.description_lang)>{event.description.clone()}</p>
            </div>
            <aside class="h-fit space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <div>
                    <p class="text-sm text-slate-600" data-testid="sale-state">{headline}</p>
                    {buyable.then(|| view! {
                        <p class="mt-1 text-sm font-semibold" data-testid="availability">{availability_words(availability)}</p>
                    })}
                </div>
                <ul class="divide-y divide-slate-100" data-testid="ticket-types">
                    {event.types.iter().map(|t| view! { <TypeLine ticket_type=t.clone() /> }).collect_view()}
                </ul>
                {(event.status == EventStatus::Published).then(|| view! { <CodeForm event=event.clone() /> })}
                {if event.queue == QueueView::Admitted {
                    view! {
                        <p role="status" class="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="queue-admitted">
                            {t("event-queue-admitted")}
                        </p>
                    }
                    .into_any()
                } else {
                    ().into_any()
                }}
                {if event.queue == QueueView::Wait
                    && event.types.iter().any(|t| {
                        t.sale_state == SaleState::NotYetOpen
                            || (t.sale_state == SaleState::Open && t.available > 0)
                    })
                {
                    view! {
                        <div class="space-y-3 rounded-lg bg-indigo-50 p-4 text-sm text-indigo-900" data-testid="queue-notice">
                            <p>{t("event-queue-notice")}</p>
                            {event.presale_until.as_ref().map(|until| view! {
                                <p data-testid="presale-notice">{t_with("event-presale", &[("date", crate::i18n::venue_time(until).into())])}</p>
                            })}
                            {match event.queue_opens.as_ref() {
                                Some(opens) => view! {
                                    <p class="font-semibold" data-testid="queue-opens-at">
                                        {t_with("event-queue-opens", &[("date", crate::i18n::venue_time(opens).into())])}
                                    </p>
                                }
                                .into_any(),
                                None => view! {
                                    <a href=format!("/events/{}/queue/join", event.id) rel="external"
                                        class="inline-block rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                                        {t("event-queue-join")}
                                    </a>
                                }
                                .into_any(),
                            }}
                        </div>
                    }
                    .into_any()
                } else if on_sale.is_empty() {
                    // The headline above says why: one statement, not two.
                    ().into_any()
                } else {
                    view! {
                        <TicketPicker choices=on_sale currency=currency.clone() shape=shape.clone()
                            url_error={url_error::<AddToCart>()} words=picker_words() />
                    }
                    .into_any()
                }}
                <WaitingListForms event=event.clone() />
            </aside>
        </article>
    }
}

/// For each sold-out type on sale: a form to wait for seats coming back (a
/// plain form post, so it works before and without hydration).
#[component]
fn WaitingListForms(event: EventDetail) -> impl IntoView {
    let join = ServerAction::<JoinWaitingList>::new();
    let joined = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("waiting")
        .is_some();
    let sold_out: Vec<TicketTypeView> = event
        .types
        .into_iter()
        // A hidden type's seats come back to code holders, not a list.
        .filter(|t| t.sale_state == SaleState::Open && t.available <= 0 && !t.hidden)
        .collect();
    if sold_out.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="space-y-3 border-t border-slate-100 pt-4" data-testid="waiting-list">
            <h2 class="font-semibold">{t("event-waiting-list")}</h2>
            {joined.then(|| view! {
                <p role="status" class="text-sm text-emerald-700" data-testid="waiting-list-joined">
                    {t("event-waiting-list-joined")}
                </p>
            })}
            <FormError error=Signal::stored(url_error::<JoinWaitingList>()) />
            {sold_out
                .into_iter()
                .map(|t| view! {
                    <ActionForm action=join attr:class="flex flex-wrap items-end gap-2 text-sm">
                        <input type="hidden" name="ticket_type_id" value=t.id.to_string() />
                        <label>
                            <span class="block text-slate-600">{t_with("event-waiting-list-quantity", &[("type", t.name.as_str().into())])}</span>
                            <input type="number" name="quantity" value="1" min="1" max=t.max_per_order.to_string()
                                class="mt-1 w-20 rounded-lg border border-slate-300 px-2 py-1" />
                        </label>
                        <button type="submit" class="rounded-lg border border-indigo-600 px-3 py-1 font-semibold text-indigo-700 hover:bg-indigo-50">
                            {t_with("event-waiting-list-join", &[("type", t.name.as_str().into())])}
                        </button>
                    </ActionForm>
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// "Have a code?": a plain GET form to this page with `?code=`, the same
/// address an organizer's link has, so it works without JavaScript; then what
/// became of the code.
#[component]
fn CodeForm(event: EventDetail) -> impl IntoView {
    // A refused code stays in the field, to correct rather than retype.
    let typed = match &event.code {
        CodeView::NotValid | CodeView::TooManyTries { .. } => leptos_router::hooks::use_query_map()
            .read_untracked()
            .get("code")
            .unwrap_or_default(),
        _ => String::new(),
    };
    let told = match &event.code {
        CodeView::None => None,
        CodeView::Applied { code, discount } => {
            let what = match discount {
                Discount::Percent(percent) => {
                    t_with("event-code-percent", &[("percent", (*percent).into())])
                }
                Discount::Fixed(minor) => t_with(
                    "event-code-amount",
                    &[("amount", money(&event.currency.amount(*minor)).into())],
                ),
                Discount::None => t("event-code-unlocks"),
            };
            let applied = t_with("event-code-applied", &[("code", code.as_str().into())]);
            Some(view! {
                <p role="status" class="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="code-applied">
                    {applied} " " {what}
                </p>
            }
            .into_any())
        }
        CodeView::NotValid => Some(view! {
            <p role="alert" class="text-sm font-medium text-rose-700" data-testid="code-refused">{t("event-code-not-valid")}</p>
        }
        .into_any()),
        CodeView::TooManyTries { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60).max(1) as i64;
            Some(view! {
                <p role="alert" class="text-sm font-medium text-rose-700" data-testid="code-refused">
                    {t_with("event-code-too-many", &[("minutes", minutes.into())])}
                </p>
            }
            .into_any())
        }
    };
    view! {
        <form method="get" action=format!("/events/{}", event.id) class="space-y-2 border-t border-slate-100 pt-4" data-testid="code-form">
            <label for="event-code" class="block text-sm font-medium text-slate-700">{t("event-code-label")}</label>
            <div class="flex gap-2">
                <input id="event-code" name="code" value=typed autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="40" class="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2 uppercase" />
                <button type="submit" class="rounded-lg border border-indigo-600 px-3 py-2 text-sm font-semibold text-indigo-700 hover:bg-indigo-50">
                    {t("event-code-apply")}
                </button>
            </div>
            {told}
        </form>
    }
}

#[component]
fn TypeLine(ticket_type: TicketTypeView) -> impl IntoView {
    let state = match ticket_type.sale_state {
        SaleState::Open if ticket_type.available <= 0 => t("availability-sold-out"),
        // "Only 3 left" when few are, else when the sale ends.
        SaleState::Open if ticket_type.available <= 10 => {
            availability_words(Availability::OnlyLeft(ticket_type.available))
        }
        _ => sale_note(&ticket_type),
    };
    view! {
        <li class="flex items-baseline justify-between gap-3 py-2" data-testid="ticket-type">
            <div>
                <p class="font-semibold">{ticket_type.name}</p>
                <p class="text-xs text-slate-600">{state}</p>
                {ticket_type.quota_until.as_ref().map(|until| view! {
                    <p class="text-xs text-slate-600" data-testid="quota-until">
                        {t_with("event-quota-until", &[("date", crate::i18n::venue_time(until).into())])}
                    </p>
                })}
            </div>
            <p class="text-right font-semibold" data-testid="type-price">
                {ticket_type.list_price.as_ref().map(|list| view! {
                    <s class="mr-1 text-sm font-normal text-slate-500" data-testid="list-price"
                        aria-label=t_with("event-list-price", &[("price", money(list).into())])>{money(list)}</s>
                })}
                {money(&ticket_type.price)}
            </p>
        </li>
    }
}

/// A ticket type the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Choice {
    id: Uuid,
    name: String,
    price_minor: i64,
    max: i32,
    /// "Up to 6 per order", "One fewer Standing", "One more Standing": written
    /// on the server in the visitor's language.
    limit: String,
    fewer: String,
    more: String,
}

/// What the [`TicketPicker`] island says, sent with it in the visitor's
/// language; the total's amount goes where [`TOTAL`] stands.
fn picker_words() -> Words {
    Words::of(&[
        "event-add-to-cart",
        "event-added-to-cart",
        "event-view-cart",
    ])
    .with("event-picker-total", &[("total", TOTAL.into())])
}

/// Stands for the amount in the picker's "Total …" until the browser adds it up.
const TOTAL: &str = "{total}";

/// How the visitor's language writes an amount in the event's currency
/// ("€1,234.50", "1.234,50 €", "1 234,50 €"), read off one the server wrote
/// with CLDR's data: the picker adds up its total in the browser, which has
/// none. `None` (any language whose amounts this does not describe) leaves
/// the total as [`Money`]'s own English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct MoneyShape {
    before: String,
    group: String,
    decimal: String,
    after: String,
}

impl MoneyShape {
    #[cfg_attr(not(feature = "ssr"), allow(unused_variables))]
    fn of(currency: &Currency) -> Option<Self> {
        #[cfg(feature = "ssr")]
        {
            let exponent = currency.exponent() as usize;
            let fraction = "89".get(..exponent)?;
            // 1,234,567 and a fraction: every separator, and each digit once.
            let sample = currency.amount(format!("1234567{fraction}").parse().ok()?);
            let written = crate::i18n::format::money(crate::i18n::use_locale(), &sample);
            let first = written.find(|c: char| c.is_ascii_digit())?;
            let last = written.rfind(|c: char| c.is_ascii_digit())?;
            let rest = written[first..=last].strip_prefix('1')?;
            let group = &rest[..rest.find("234")?];
            let rest = rest[group.len() + 3..]
                .strip_prefix(group)?
                .strip_prefix("567")?;
            let decimal = if exponent == 0 {
                rest.is_empty().then_some("")?
            } else {
                rest.strip_suffix(fraction)?
            };
            let shape = Self {
                before: written[..first].to_string(),
                group: group.to_string(),
                decimal: decimal.to_string(),
                after: written[last + 1..].to_string(),
            };
            (shape.write(&sample) == written).then_some(shape)
        }
        #[cfg(not(feature = "ssr"))]
        None
    }

    /// A total (never below zero) as the server would have written it.
    fn write(&self, amount: &Money) -> String {
        if amount.minor < 0 {
            return amount.to_string();
        }
        let exponent = amount.currency.exponent();
        let scale = 10i64.pow(exponent);
        let whole = (amount.minor / scale).to_string();
        let mut out = self.before.clone();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push_str(&self.group);
            }
            out.push(digit);
        }
        if exponent > 0 {
            out.push_str(&self.decimal);
            out.push_str(&format!(
                "{:0width$}",
                amount.minor % scale,
                width = exponent as usize
            ));
        }
        out.push_str(&self.after);
        out
    }
}

/// One quantity per type on sale and the total, live; adding tells the
/// header's count. Without JavaScript it is the same form, posted as is.
#[island(lazy)]
fn TicketPicker(
    choices: Vec<Choice>,
    currency: Currency,
    shape: Option<MoneyShape>,
    url_error: Option<AppError>,
    words: Words,
) -> impl IntoView {
    mark_ready();
    let total_words = words.get("event-picker-total");
    let add_words = words.get("event-add-to-cart");
    let (added_words, view_cart_words) = (
        words.get("event-added-to-cart"),
        words.get("event-view-cart"),
    );
    let add = ServerAction::<AddToCart>::new();
    let error = action_error(add, url_error);
    let added = move || matches!(add.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        add.version().track();
        if matches!(add.value().get_untracked(), Some(Ok(()))) {
            announce_cart_changed();
        }
    });
    // One type: one ticket to start with; several: the buyer picks.
    let start = if choices.len() == 1 { 1 } else { 0 };
    let quantities: Vec<RwSignal<i32>> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let typed = typed_before_hydration(&format!("quantity-{i}"))
                .and_then(|n| n.trim().parse::<i32>().ok());
            RwSignal::new(typed.unwrap_or(start).clamp(0, c.max))
        })
        .collect();
    let total = {
        let quantities = quantities.clone();
        let prices: Vec<i64> = choices.iter().map(|c| c.price_minor).collect();
        let currency = currency.clone();
        move || {
            let sum: i64 = quantities
                .iter()
                .zip(&prices)
                .map(|(q, p)| i64::from(q.get()) * p)
                .sum();
            let amount = currency.amount(sum);
            match &shape {
                Some(shape) => shape.write(&amount),
                None => amount.to_string(),
            }
        }
    };
    let total = move || total_words.replace(TOTAL, &total());
    let step = "h-9 w-9 rounded-lg border border-slate-300 text-lg font-semibold hover:bg-slate-100 disabled:opacity-40";
    let rows = choices
        .into_iter()
        .zip(quantities)
        .enumerate()
        .map(|(i, (choice, quantity))| {
            let max = choice.max;
            let set = move |n: i32| quantity.set(n.clamp(0, max));
            let id = format!("quantity-{i}");
            view! {
                <div class="flex items-center justify-between gap-2" data-testid="picker-row">
                    <div>
                        <label for=id.clone() class="text-sm font-medium text-slate-700">{choice.name.clone()}</label>
                        <p class="text-xs text-slate-600">{choice.limit.clone()}</p>
                    </div>
                    <input type="hidden" name=format!("picks[{i}][ticket_type_id]") value=choice.id.to_string() />
                    <div class="flex items-center gap-2">
                        <button type="button" class=step aria-label=choice.fewer.clone()
                            disabled=move || { quantity.get() <= 0 }
                            on:click=move |_| set(quantity.get() - 1)>"−"</button>
                        <input id=id name=format!("picks[{i}][quantity]") type="number" min="0" max=max.to_string()
                            class="h-9 w-16 rounded-lg border border-slate-300 text-center"
                            value=quantity.get_untracked().to_string()
                            prop:value=move || quantity.get().to_string()
                            on:change=move |ev| set(event_target_value(&ev).parse().unwrap_or(0)) />
                        <button type="button" class=step aria-label=choice.more.clone()
                            disabled=move || { quantity.get() >= max }
                            on:click=move |_| set(quantity.get() + 1)>"+"</button>
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=add attr:class="space-y-3 border-t border-slate-100 pt-4">
            {rows}
            // Said again by a screen reader as the quantities change.
            <p class="text-lg font-semibold" aria-live="polite" data-testid="quantity-total">{total}</p>
            <p class="text-sm font-medium text-rose-700" role="alert" data-testid="error-quantity">
                {move || field_error(error, "quantity").get()}
            </p>
            <FormError error beside=|f| f == "quantity" />
            <button type="submit" class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-700">
                {add_words}
            </button>
            // The live region is there before its message, so that the message is announced.
            <div role="status">
                <Show when=added>
                    <p class="text-sm text-emerald-700" data-testid="added-to-cart">
                        {added_words.clone()} " " <a href="/cart" class="font-semibold underline">{view_cart_words.clone()}</a>
                    </p>
                </Show>
            </div>
        </ActionForm>
    }
}

/// A `lang` attribute for text in another language than the page's.
fn lang(tag: &str) -> Option<String> {
    (!tag.is_empty()).then(|| tag.to_string())
}
