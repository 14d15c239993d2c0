use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::orders::my_orders;
use crate::model::OrderStatus;
use crate::ui::components::refusal::refusal;

/// The buyer's order history: status, date, lines and totals.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text="Your orders" />
        <h1 class="mb-6 text-2xl font-bold">"Your orders"</h1>
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600">"No orders yet."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="space-y-3" data-testid="order-history">
                            {list.into_iter().map(|order| {
                                let status = match order.status {
                                    OrderStatus::Pending => format!("Waiting for payment until {}", order.reserved_until.label()),
                                    OrderStatus::Refunded => format!("Refunded: {}", order.refund_reason.clone().unwrap_or_default()),
                                    other => other.buyer_label().to_string(),
                                };
                                let summary = order.lines.iter().map(|l| format!("{} × {} · {}", l.quantity, l.title, l.type_name)).collect::<Vec<_>>().join(", ");
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                                        <div class="flex flex-wrap items-baseline justify-between gap-2">
                                            <A href=format!("/orders/{}", order.id) attr:class="font-semibold text-indigo-700 hover:underline">{summary}</A>
                                            <span class="font-semibold">{order.total.to_string()}</span>
                                        </div>
                                        <p class="text-sm text-slate-600">"Order " {order.reference.clone()} " · " {order.created_at.label()} " · " {status}</p>
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
