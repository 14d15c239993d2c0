use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::orders::my_orders;
use crate::i18n::{t, t_with};
use crate::ui::components::refusal::refusal;

/// The buyer's order history: status, date, lines and totals (dates, amounts
/// and statuses as the server wrote them in the buyer's language).
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text=t("orders-title") />
        <h1 class="mb-6 text-2xl font-bold">{t("orders-title")}</h1>
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("orders-loading")}</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600">{t("orders-empty")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="space-y-3" data-testid="order-history">
                            {list.into_iter().map(|order| {
                                let line = t_with(
                                    "orders-line",
                                    &[
                                        ("reference", order.reference.as_str().into()),
                                        ("date", order.words.created_at.as_str().into()),
                                        ("status", order.words.status.as_str().into()),
                                    ],
                                );
                                let summary = order.lines.iter().map(|l| format!("{} × {} · {}", l.quantity, l.title, l.type_name)).collect::<Vec<_>>().join(", ");
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                                        <div class="flex flex-wrap items-baseline justify-between gap-2">
                                            <A href=format!("/orders/{}", order.id) attr:class="font-semibold text-indigo-700 hover:underline">{summary}</A>
                                            <span class="font-semibold">{order.words.total}</span>
                                        </div>
                                        <p class="text-sm text-slate-600">{line}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}
