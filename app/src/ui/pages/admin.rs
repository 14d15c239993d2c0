use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{
    AdminSummary, DecideApplication, LiftSuspension, SALES_DAYS, SuspendOrganizer, admin_dashboard,
    search_users,
};
use crate::model::{
    ApplicationStatus, ApplicationView, DailySales, Role, ShopStats, SuspensionView, UserSummary,
    format_utc_time,
};
use crate::ui::components::form::{FormError, action_error, url_error};
use crate::ui::components::refusal::refusal;

#[component]
pub fn AdminPage() -> impl IntoView {
    let decide = ServerAction::<DecideApplication>::new();
    let suspend = ServerAction::<SuspendOrganizer>::new();
    let lift = ServerAction::<LiftSuspension>::new();
    let changes = move || {
        (
            decide.version().get(),
            suspend.version().get(),
            lift.version().get(),
        )
    };
    let summary = Resource::new(changes, |_| admin_dashboard());
    // A GET form (`/admin?q=…`): the search works without JavaScript too.
    let query = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let shown_query = query.clone();
    let users = Resource::new(changes, move |_| search_users(query.clone()));
    view! {
        <Title text="Admin" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let query = shown_query.clone();
                Suspend::new(async move {
                    match summary.await {
                        Ok(summary) => view! {
                            <Dashboard summary decide />
                            <UserSearch users query suspend lift />
                        }
                        .into_any(),
                        Err(err) => refusal(err),
                    }
                })
            }}
        </Suspense>
    }
}

/// The user search (a GET form, `/admin?q=…`) and what the admin may do to
/// the users it finds.
#[component]
fn UserSearch(
    users: Resource<Result<Vec<UserSummary>, crate::error::AppError>>,
    query: String,
    suspend: ServerAction<SuspendOrganizer>,
    lift: ServerAction<LiftSuspension>,
) -> impl IntoView {
    let shown_query = query;
    view! {
        <section class="mt-8 space-y-3" data-testid="user-search">
            <h2 class="text-lg font-semibold">"Users"</h2>
            <form method="get" action="/admin" class="flex flex-wrap items-end gap-2">
                <label class="text-sm">
                    <span class="font-medium text-slate-700">"Search by email or name"</span>
                    <input type="search" name="q" value=shown_query.clone() maxlength="254"
                        class="mt-1 block w-72 rounded-lg border border-slate-300 px-3 py-2" />
                </label>
                <button type="submit" class="rounded-lg bg-slate-800 px-4 py-2 font-semibold text-white hover:bg-slate-900">"Search"</button>
            </form>
            <FormError error=action_error(suspend, url_error::<SuspendOrganizer>()) />
            <FormError error=action_error(lift, url_error::<LiftSuspension>()) />
            <Suspense fallback=|| ()>
                {move || {
                    let searched = !shown_query.trim().is_empty();
                    Suspend::new(async move {
                        match users.await {
                            Ok(found) if found.is_empty() && searched => view! {
                                <p class="text-slate-600">"No user matches."</p>
                            }.into_any(),
                            Ok(found) => found
                                .into_iter()
                                .map(|user| view! { <UserRow user suspend lift /> })
                                .collect_view()
                                .into_any(),
                            Err(err) => refusal(err),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    suspend: ServerAction<SuspendOrganizer>,
    lift: ServerAction<LiftSuspension>,
) -> impl IntoView {
    let id = user.id.to_string();
    let role = match user.role {
        Role::Buyer => "Buyer",
        Role::Organizer => "Organizer",
        Role::Admin => "Admin",
    };
    let control = match (user.role, user.suspension) {
        (Role::Organizer, Some(suspension)) => view! {
            <div class="space-y-2">
                <p class="text-sm text-rose-700" data-testid="suspension">
                    "Suspended by " {suspension.suspended_by_name} " on " {format_utc_time(suspension.suspended_at)} ": " {suspension.reason}
                </p>
                <ActionForm action=lift>
                    <input type="hidden" name="organizer" value=id.clone() />
                    <button type="submit" class="rounded-lg border border-slate-300 px-3 py-1 text-sm font-semibold hover:bg-slate-50">
                        "Lift the suspension"
                    </button>
                </ActionForm>
            </div>
        }
        .into_any(),
        (Role::Organizer, None) => view! {
            <ActionForm action=suspend attr:class="flex flex-wrap items-end gap-2">
                <input type="hidden" name="organizer" value=id.clone() />
                <label class="text-sm">
                    <span class="font-medium text-slate-700">"Reason for suspending"</span>
                    <input name="reason" required=true maxlength="500" class="mt-1 block w-64 rounded-lg border border-slate-300 px-3 py-1" />
                </label>
                <label class="flex items-center gap-2 text-sm font-medium text-rose-800">
                    <input type="checkbox" required=true />
                    "Yes, stop their sales"
                </label>
                <button type="submit" class="rounded-lg bg-rose-600 px-3 py-1 text-sm font-semibold text-white hover:bg-rose-700">
                    "Suspend organizer"
                </button>
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <article class="flex flex-wrap items-start justify-between gap-4 rounded-xl border border-slate-200 bg-white p-4" data-testid="user-row">
            <div>
                <p class="font-semibold">{user.name}</p>
                <p class="text-sm text-slate-600">{user.email}</p>
                <p class="text-xs text-slate-600">
                    {role} " · " {if user.verified { "verified" } else { "address not verified" }}
                    " · since " {format_utc_time(user.created_at)}
                </p>
            </div>
            {control}
        </article>
    }
}

#[component]
fn SalesTable(days: Vec<DailySales>) -> impl IntoView {
    view! {
        <section>
            <h2 class="mb-3 text-lg font-semibold">"Sales, last " {SALES_DAYS} " days (by day of payment, UTC)"</h2>
            {if days.is_empty() {
                view! { <p class="text-slate-600">"No paid orders in that time."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabindex="0" role="region" aria-label="Sales by day">
                        <table class="min-w-full text-left text-sm" data-testid="daily-sales">
                            <thead class="bg-slate-50 text-slate-600">
                                <tr>
                                    <th class="px-4 py-2">"Day"</th>
                                    <th class="px-4 py-2">"Currency"</th>
                                    <th class="px-4 py-2 text-right">"Orders"</th>
                                    <th class="px-4 py-2 text-right">"Revenue"</th>
                                    <th class="px-4 py-2 text-right">"Refunded"</th>
                                    <th class="px-4 py-2 text-right">"Net"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {days
                                    .into_iter()
                                    .map(|d| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class="px-4 py-2">{d.day.to_string()}</td>
                                            <td class="px-4 py-2">{d.gross.currency.code().to_string()}</td>
                                            <td class="px-4 py-2 text-right">{d.orders}</td>
                                            <td class="px-4 py-2 text-right">{d.gross.to_string()}</td>
                                            <td class="px-4 py-2 text-right">{d.refunded.to_string()}</td>
                                            <td class="px-4 py-2 text-right font-semibold">{d.net.to_string()}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn SuspensionHistory(suspensions: Vec<SuspensionView>) -> impl IntoView {
    view! {
        <section>
            <h2 class="mb-3 text-lg font-semibold">"Suspended organizers"</h2>
            {if suspensions.is_empty() {
                view! { <p class="text-slate-600">"No organizer has been suspended."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabindex="0" role="region" aria-label="Suspended organizers">
                        <table class="min-w-full text-left text-sm" data-testid="suspension-history">
                            <thead class="bg-slate-50 text-slate-600">
                                <tr>
                                    <th class="px-4 py-2">"Organizer"</th>
                                    <th class="px-4 py-2">"Why"</th>
                                    <th class="px-4 py-2">"Suspended by"</th>
                                    <th class="px-4 py-2">"When"</th>
                                    <th class="px-4 py-2">"Lifted"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {suspensions
                                    .into_iter()
                                    .map(|s| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class="px-4 py-2">{s.organizer_name} " <" {s.organizer_email} ">"</td>
                                            <td class="px-4 py-2">{s.reason}</td>
                                            <td class="px-4 py-2">{s.suspended_by_name}</td>
                                            <td class="px-4 py-2">{format_utc_time(s.suspended_at)}</td>
                                            <td class="px-4 py-2">
                                                {match (s.lifted_by_name, s.lifted_at) {
                                                    (Some(by), Some(at)) => format!("by {by} on {}", format_utc_time(at)),
                                                    _ => "In force".to_string(),
                                                }}
                                            </td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
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
            <SalesTable days=summary.daily_sales />
            <section>
                <h2 class="mb-3 text-lg font-semibold">"Pending organizer applications (" {pending.len()} ")"</h2>
                <FormError error />
                {if pending.is_empty() {
                    view! { <p class="text-slate-600">"Nothing to review."</p> }.into_any()
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
                <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabindex="0" role="region" aria-label="Decision history">
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
            <SuspensionHistory suspensions=summary.suspensions />
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
                        <p class="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
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
                <span class="text-sm text-slate-600">{app.kind.label()} " · sent " {format_utc_time(app.created_at)}</span>
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
