use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::orders::get_ticket;
use crate::error::AppError;
use crate::i18n::{t, t_with};
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

/// A ticket: the event, the seat, and the QR code (SVG from the server, crisp on a
/// phone and on paper). Only its owner can open it.
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
        <Title text=t("ticket-title") />
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("ticket-loading")}</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(ticket) => view! {
                        <article class="mx-auto max-w-sm rounded-3xl border border-slate-200 bg-white p-6 text-center shadow-md" data-testid="ticket">
                            <p class="text-sm font-semibold text-indigo-700">{crate::i18n::venue_time(&ticket.starts_at)}</p>
                            <h1 class="mt-1 text-xl font-bold">{ticket.title}</h1>
                            <p class="font-semibold text-slate-700" data-testid="ticket-type">{ticket.type_name}</p>
                            <p class="text-slate-600">{ticket.venue}</p>
                            <p class="mt-2 text-sm text-slate-600" data-testid="ticket-seat">
                                {t_with("ticket-seat", &[("seat", ticket.seat_no.into()), ("seats", ticket.seats_in_order.into())])}
                            </p>
                            // A refunded ticket shows no code that looks like it admits.
                            {match ticket.refunded_at {
                                None => view! {
                                    // Named for a screen reader: the door scans it, the code below is its text.
                                    <div role="img" aria-label=t_with("ticket-qr-label", &[("code", ticket.code.as_str().into())])
                                        class="mx-auto mt-4 w-64 max-w-full [&>svg]:h-auto [&>svg]:w-full" data-testid="ticket-qr" inner_html=ticket.qr_svg></div>
                                    <p class="mt-3 break-all font-mono text-xs text-slate-600" data-testid="ticket-code">{ticket.code}</p>
                                }.into_any(),
                                Some(at) => view! {
                                    <p class="mt-4 rounded-lg bg-rose-100 px-3 py-6 text-sm font-semibold text-rose-800" data-testid="ticket-refunded">
                                        {t_with("ticket-refunded", &[("at", crate::i18n::utc_time(at).into())])}
                                    </p>
                                }.into_any(),
                            }}
                            {ticket.checked_in_at.map(|at| view! {
                                <p class="mt-3 rounded-lg bg-slate-100 px-3 py-2 text-sm font-semibold text-slate-700">
                                    {t_with("ticket-checked-in", &[("at", crate::i18n::utc_time(at).into())])}
                                </p>
                            })}
                        </article>
                    }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}
