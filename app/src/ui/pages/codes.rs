//! `/organizer/events/{id}/codes`: an event's codes for its organizer — make
//! one, paste a list (or a CSV's first column), or make many random ones;
//! see how each is used; disable one; download them all as CSV. A plain
//! server page: every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::codes::{DisableCode, MakeCodes, event_codes};
use crate::error::AppError;
use crate::model::price::Discount;
use crate::model::{CODES_SHOWN, CodeRow, Currency, EventCodesView, VenueTime};
use crate::ui::components::form::{FormError, SubmitButton, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

#[component]
pub fn EventCodesPage() -> impl IntoView {
    let id = use_id_param();
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => event_codes(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Codes" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => view! { <Codes view /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

/// "20% off", "€5.00 off", "unlocks only".
fn discount_label(discount: Discount, currency: &Currency) -> String {
    match discount {
        Discount::Percent(p) => format!("{p}% off"),
        Discount::Fixed(minor) => format!("{} off", currency.amount(minor)),
        Discount::None => "unlocks only".into(),
    }
}

fn clock(at: &Option<VenueTime>) -> String {
    at.as_ref().map(|t| t.label()).unwrap_or_default()
}

#[component]
fn Codes(view: EventCodesView) -> impl IntoView {
    let query = use_query_map();
    let (made, already) = query.with_untracked(|q| (q.get("made"), q.get("already")));
    let make = ServerAction::<MakeCodes>::new();
    let disable = ServerAction::<DisableCode>::new();
    let make_error = Signal::stored(url_error::<MakeCodes>());
    let disable_error = Signal::stored(url_error::<DisableCode>());
    let event = view.event_id.to_string();
    let said = made.map(|made| {
        let already = already
            .filter(|n| n != "0")
            .map(|n| format!(" {n} of those you typed this event had already; they are unchanged."))
            .unwrap_or_default();
        let noun = if made == "1" { "code" } else { "codes" };
        format!("Made {made} {noun}.{already}")
    });
    let more = (view.total > view.codes.len() as i64).then(|| {
        format!(
            "The newest {CODES_SHOWN} of {} are listed; the CSV has them all.",
            view.total
        )
    });
    let currency = view.currency.clone();
    let input = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2";
    view! {
        <section class="mx-auto max-w-4xl space-y-6">
            <div class="flex flex-wrap items-baseline justify-between gap-3">
                <h1 class="text-2xl font-bold">"Codes · " {view.title.clone()}</h1>
                <a href=format!("/organizer/events/{event}/codes.csv") rel="external" download
                    class="font-semibold text-indigo-700 hover:underline" data-testid="codes-csv">"Download all (CSV)"</a>
            </div>
            <p class="text-slate-600">
                "A code unlocks the hidden ticket types it covers and can take something off their price. Share one as a link: "
                <code class="break-all rounded bg-slate-100 px-1">{format!("/events/{event}?code=…")}</code> "."
            </p>
            {said.map(|said| view! { <p role="status" class="rounded-lg bg-emerald-50 px-4 py-2 text-emerald-800" data-testid="codes-made">{said}</p> })}
            <FormError error=disable_error />
            <div class="overflow-x-auto rounded-xl bg-white shadow-sm" tabindex="0" role="region" aria-label="Codes">
                <table class="min-w-full text-left text-sm" data-testid="codes">
                    <thead class="text-slate-600">
                        <tr>
                            <th class="p-2 font-medium">"Code"</th>
                            <th class="p-2 font-medium">"Discount"</th>
                            <th class="p-2 font-medium">"Ticket types"</th>
                            <th class="p-2 text-right font-medium">"Used"</th>
                            <th class="p-2 font-medium">"Valid"</th>
                            <th class="p-2 font-medium">"Status"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {view.codes.into_iter().map(|code| view! { <CodeLine code currency=currency.clone() event=event.clone() disable /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {more.map(|more| view! { <p class="text-sm text-slate-600">{more}</p> })}
            <ActionForm action=make attr:class="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                <h2 class="text-lg font-semibold">"Make codes"</h2>
                <FormError error=make_error />
                <input type="hidden" name="event" value=event.clone() />
                <label class="block text-sm font-medium text-slate-700">
                    "Codes: one per line, or paste a CSV (its first column). Leave empty to make random ones."
                    <textarea name="form[codes]" rows="3" class=input spellcheck="false" autocapitalize="characters"></textarea>
                </label>
                <label class="block text-sm font-medium text-slate-700">
                    "How many random codes (when none are typed)"
                    <input type="number" name="form[count]" min="1" max="5000" value="1" class=input />
                </label>
                <fieldset class="grid min-w-0 gap-3 sm:grid-cols-2">
                    <label class="block text-sm font-medium text-slate-700">
                        "Discount"
                        <select name="form[discount_kind]" class=input>
                            <option value="none">"None: it only unlocks"</option>
                            <option value="percent">"Percent off each ticket"</option>
                            <option value="amount">{format!("Amount off each ticket ({})", view.currency.code())}</option>
                        </select>
                    </label>
                    <label class="block text-sm font-medium text-slate-700">
                        "Percent or amount"
                        <input name="form[discount]" inputmode="decimal" class=input />
                    </label>
                </fieldset>
                <fieldset class="min-w-0">
                    <legend class="text-sm font-medium text-slate-700">"For the ticket types"</legend>
                    {view.types.iter().enumerate().map(|(i, t)| view! {
                        <label class="mr-4 inline-flex items-center gap-2 text-sm">
                            <input type="checkbox" name=format!("form[types][{i}]") value=t.id.to_string() checked />
                            {t.name.clone()} {t.hidden.then_some(" (hidden)")}
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="grid min-w-0 gap-3 sm:grid-cols-2">
                    <label class="block text-sm font-medium text-slate-700">
                        "Tickets in all (empty: no limit)"
                        <input type="number" name="form[max_uses]" min="1" class=input />
                    </label>
                    <label class="block text-sm font-medium text-slate-700">
                        "Tickets per buyer (empty: no limit)"
                        <input type="number" name="form[max_per_buyer]" min="1" class=input />
                    </label>
                    <label class="block text-sm font-medium text-slate-700">
                        {format!("Valid from ({})", view.time_zone)}
                        <input type="datetime-local" name="form[valid_from]" class=format!("{input} min-w-0") />
                    </label>
                    <label class="block text-sm font-medium text-slate-700">
                        {format!("Valid until ({})", view.time_zone)}
                        <input type="datetime-local" name="form[valid_until]" class=format!("{input} min-w-0") />
                    </label>
                </fieldset>
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="form[gives_back]" value="true" />
                    "A refunded ticket gives its use back to the code"
                </label>
                <div class="sm:max-w-xs"><SubmitButton label="Make codes" pending=make.pending() /></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn CodeLine(
    code: CodeRow,
    currency: Currency,
    event: String,
    disable: ServerAction<DisableCode>,
) -> impl IntoView {
    let used = match code.max_uses {
        Some(most) => format!("{} of {most}", code.used),
        None => code.used.to_string(),
    };
    let per_buyer = code
        .max_per_buyer
        .map(|n| format!(" · {n} per buyer"))
        .unwrap_or_default();
    let valid = match (clock(&code.valid_from), clock(&code.valid_until)) {
        (from, until) if from.is_empty() && until.is_empty() => "always".to_string(),
        (from, until) if until.is_empty() => format!("from {from}"),
        (from, until) if from.is_empty() => format!("until {until}"),
        (from, until) => format!("{from} – {until}"),
    };
    view! {
        <tr data-testid="code-row">
            <td class="p-2 font-mono font-semibold">{code.code.clone()}</td>
            <td class="p-2">{discount_label(code.discount, &currency)}</td>
            <td class="p-2">{code.types.join(", ")}</td>
            <td class="p-2 text-right">{used}{per_buyer}</td>
            <td class="p-2">{valid}</td>
            <td class="p-2">
                {if code.disabled {
                    view! { <span class="text-slate-600">"disabled"</span> }.into_any()
                } else {
                    view! {
                        <ActionForm action=disable>
                            <input type="hidden" name="event" value=event />
                            <input type="hidden" name="code" value=code.id.to_string() />
                            <button type="submit" class="font-semibold text-rose-700 hover:underline"
                                aria-label=format!("Disable {}", code.code)>"Disable"</button>
                        </ActionForm>
                    }
                    .into_any()
                }}
            </td>
        </tr>
    }
}
