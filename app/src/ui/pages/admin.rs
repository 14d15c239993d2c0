use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{AdminSummary, DecideApplication, admin_dashboard};
use crate::model::{ApplicationStatus, ApplicationView, ShopStats, format_utc_time};
use crate::ui::components::form::{FormError, action_error, url_error};
use crate::ui::components::refusal::refusal;

#[component]
pub fn AdminPage() -> impl IntoView {
    let decide = ServerAction::<DecideApplication>::new();
    let summary = Resource::new(move || decide.version().get(), |_| admin_dashboard());
    view! {
        <Title text="Admin" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! { <Dashboard summary decide /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(summary: AdminSummary, decide: ServerAction<DecideApplication>) -> impl IntoView {
    let (pending, decided): (Vec<_>, Vec<_>) = summary
        .applications
        .into_iter()
        .partition(|a| a.status == ApplicationStatus::Pending);
    let error = action_error(decide, url_error::<DecideApplication>());
    view! {
        <div class="space-y-8" data-testid="admin-dashboard">
            <h1 class="text-2xl font-bold">"Admin dashboard"</h1>
            <Stats stats=summary.stats />
            <section>
                <h2 class="mb-3 text-lg font-semibold">"Pending organizer applications (" {pending.len()} ")"</h2>
                <FormError error />
                {if pending.is_empty() {
                    view! { <p class="text-slate-500">"Nothing to review."</p> }.into_any()
                } else {
                    pending
                        .into_iter()
                        .map(|app| view! { <PendingApplication app decide /> })
                        .collect_view()
                        .into_any()
                }}
            </section>
            <section>
                <h2 class="mb-3 text-lg font-semibold">"Decision history"</h2>
                <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
                    <table class="min-w-full text-left text-sm" data-testid="decision-history">
                        <thead class="bg-slate-50 text-slate-600">
                            <tr>
                                <th class="px-4 py-2">"Organization"</th>
                                <th class="px-4 py-2">"Applicant"</th>
                                <th class="px-4 py-2">"Decision"</th>
                                <th class="px-4 py-2">"By"</th>
                                <th class="px-4 py-2">"When"</th>
                                <th class="px-4 py-2">"Reason"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {decided.into_iter().map(|app| view! { <HistoryRow app /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}

#[component]
fn Stats(stats: ShopStats) -> impl IntoView {
    let tiles = [
        ("Buyers", stats.buyers),
        ("Organizers", stats.organizers),
        ("Pending applications", stats.pending_applications),
        ("Events on sale", stats.published_events),
        ("Paid orders", stats.paid_orders),
        ("Seats sold", stats.seats_sold),
        ("Mail waiting", stats.mail_waiting),
        ("Mail failed", stats.mail_failed),
    ];
    view! {
        <div class="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {tiles
                .into_iter()
                .map(|(label, value)| view! {
                    <div class="rounded-xl border border-slate-200 bg-white p-4">
                        <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
                        <p class="mt-1 text-2xl font-bold">{value}</p>
                    </div>
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn PendingApplication(
    app: ApplicationView,
    decide: ServerAction<DecideApplication>,
) -> impl IntoView {
    let approve_id = app.id.to_string();
    let reject_id = approve_id.clone();
    view! {
        <article class="mb-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="pending-application">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h3 class="text-lg font-semibold">{app.org_name}</h3>
                <span class="text-sm text-slate-500">{app.kind.label()} " · sent " {format_utc_time(app.created_at)}</span>
            </div>
            <p class="text-sm text-slate-600">{app.applicant_name} " <" {app.applicant_email} ">"</p>
            <p class="mt-2 whitespace-pre-line text-slate-700">{app.description}</p>
            {app.website.map(|site| view! { <p class="mt-1 text-sm text-indigo-700">{site}</p> })}
            <div class="mt-4 flex flex-wrap items-end gap-4">
                <ActionForm action=decide>
                    <input type="hidden" name="id" value=approve_id />
                    <input type="hidden" name="decision" value="approve" />
                    <button type="submit" class="rounded-lg bg-emerald-600 px-4 py-2 font-semibold text-white hover:bg-emerald-700">
                        "Approve"
                    </button>
                </ActionForm>
                <ActionForm action=decide attr:class="flex flex-1 flex-wrap items-end gap-2">
                    <input type="hidden" name="id" value=reject_id />
                    <input type="hidden" name="decision" value="reject" />
                    <label class="flex-1 text-sm">
                        <span class="font-medium text-slate-700">"Reason for rejecting"</span>
                        <input name="reason" required=true class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2" />
                    </label>
                    <button type="submit" class="rounded-lg bg-rose-600 px-4 py-2 font-semibold text-white hover:bg-rose-700">
                        "Reject"
                    </button>
                </ActionForm>
            </div>
        </article>
    }
}

#[component]
fn HistoryRow(app: ApplicationView) -> impl IntoView {
    let (label, class) = match app.status {
        ApplicationStatus::Approved => ("Approved", "text-emerald-700"),
        ApplicationStatus::Rejected => ("Rejected", "text-rose-700"),
        ApplicationStatus::Pending => ("Pending", "text-slate-600"),
    };
    view! {
        <tr class="border-t border-slate-100">
            <td class="px-4 py-2 font-medium">{app.org_name}</td>
            <td class="px-4 py-2">{app.applicant_email}</td>
            <td class=format!("px-4 py-2 font-semibold {class}")>{label}</td>
            <td class="px-4 py-2">{app.decided_by_name.unwrap_or_default()}</td>
            <td class="px-4 py-2">{app.decided_at.map(format_utc_time).unwrap_or_default()}</td>
            <td class="px-4 py-2">{app.reason.unwrap_or_default()}</td>
        </tr>
    }
}
