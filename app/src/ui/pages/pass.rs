use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::orders::get_pass;
use crate::error::AppError;
use crate::model::format_utc_time;
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

/// A pass: the event, the seat, and the QR code (SVG from the server, crisp on a
/// phone and on paper). Only its owner can open it.
#[component]
pub fn PassPage() -> impl IntoView {
    let id = use_id_param();
    let pass = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_pass(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Your ticket" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match pass.await {
                    Ok(pass) => view! {
                        <article class="mx-auto max-w-sm rounded-3xl border border-slate-200 bg-white p-6 text-center shadow-md" data-testid="pass">
                            <p class="text-sm font-semibold text-indigo-700">{pass.starts_at.label()}</p>
                            <h1 class="mt-1 text-xl font-bold">{pass.title}</h1>
                            <p class="font-semibold text-slate-700" data-testid="pass-type">{pass.type_name}</p>
                            <p class="text-slate-600">{pass.venue}</p>
                            <p class="mt-2 text-sm text-slate-500" data-testid="pass-seat">{format!("Seat {} of {} in this order", pass.seat_no, pass.seats_in_order)}</p>
                            <div class="mx-auto mt-4 w-64 max-w-full [&>svg]:h-auto [&>svg]:w-full" data-testid="pass-qr" inner_html=pass.qr_svg></div>
                            <p class="mt-3 break-all font-mono text-xs text-slate-500" data-testid="pass-code">{pass.code}</p>
                            {pass.refunded_at.map(|at| view! {
                                <p class="mt-3 rounded-lg bg-rose-100 px-3 py-2 text-sm font-semibold text-rose-800" data-testid="pass-refunded">{format!("Refunded {}: this ticket no longer admits.", format_utc_time(at))}</p>
                            })}
                            {pass.checked_in_at.map(|at| view! {
                                <p class="mt-3 rounded-lg bg-slate-100 px-3 py-2 text-sm font-semibold text-slate-700">{format!("Checked in {}", format_utc_time(at))}</p>
                            })}
                        </article>
                    }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}
