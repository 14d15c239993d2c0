use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use leptos_router::hooks::use_query_map;

use crate::api::auth::{ChangeEmail, ChangePassword};
use crate::api::door_staff::my_doors;
use crate::api::organizers::{ApplyOrganizer, my_application};
use crate::error::AppError;
use crate::i18n::{Words, t, t_with};
use crate::model::{ApplicationStatus, ApplicationView, Role, UserView};
use crate::ui::auth::use_auth;
use crate::ui::components::form::{
    Field, FormError, SubmitButton, action_error, checks, field_error, url_error,
};
use crate::ui::components::refusal::refusal;
use crate::ui::islands::{mark_ready, reload};
use crate::ui::pages::email::{VerifyNotice, around};

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text=t("account-title") />
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("account-loading")}</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! { <AccountDetails user /> }.into_any(),
                    Ok(None) => refusal(AppError::Unauthorized),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(user: UserView) -> impl IntoView {
    let role_label = t(match user.role {
        Role::Buyer => "account-role-buyer",
        Role::Organizer => "account-role-organizer",
        Role::Admin => "account-role-admin",
    });
    let role = user.role;
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
                <div class="flex flex-wrap items-start justify-between gap-4">
                    <div>
                        <h1 class="text-2xl font-bold" data-testid="account-name">{user.name.clone()}</h1>
                        <p class="text-slate-600">{user.email.clone()}</p>
                    </div>
                    <span class="rounded-full bg-indigo-100 px-3 py-1 text-sm font-semibold text-indigo-800" data-testid="account-role">
                        {role_label}
                    </span>
                </div>
            </section>
            <DoorSection />
            <EmailSection email=user.email.clone() verified=user.email_verified />
            <OrganizerSection role />
            <ChangePasswordSection url_error={url_error::<ChangePassword>()} words=checks::words(Words::of(PASSWORD_WORDS)) />
        </div>
    }
}

/// The doors this account checks tickets in at: the way back to each door page.
#[component]
fn DoorSection() -> impl IntoView {
    let doors = Resource::new(|| (), |_| my_doors());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let doors = doors.await.unwrap_or_default();
                (!doors.is_empty()).then(|| view! {
                    <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="my-doors">
                        <h2 class="text-lg font-semibold">{t("account-doors-title")}</h2>
                        <p class="text-sm text-slate-600">{t("account-doors-text")}</p>
                        <ul class="mt-3 divide-y divide-slate-100">
                            {doors.into_iter().map(|door| view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                    <span>
                                        <span class="font-medium">{door.title.clone()}</span>
                                        <span class="block text-sm text-slate-600">{crate::i18n::venue_time(&door.starts_at)}</span>
                                    </span>
                                    <A href=door.href() attr:class="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
                                        {t("account-doors-open")}
                                    </A>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The account's address: whether it is confirmed, and a change through a
/// link mailed to the new one (a plain form post).
#[component]
fn EmailSection(email: String, verified: bool) -> impl IntoView {
    let action = ServerAction::<ChangeEmail>::new();
    let error = Signal::stored(url_error::<ChangeEmail>());
    let sent = use_query_map()
        .read_untracked()
        .get("email_change")
        .is_some_and(|v| v == "sent");
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{t("account-email-title")}</h2>
            {if verified {
                view! { <p class="text-sm text-slate-600" data-testid="email-verified">{t("account-email-confirmed")}</p> }.into_any()
            } else {
                view! { <div class="mt-3"><VerifyNotice email=email.clone() here="/account" /></div> }.into_any()
            }}
            {sent.then(|| view! {
                <p role="status" class="mt-3 rounded-lg bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
                    {t_with("account-email-change-sent", &[("email", email.clone().into())])}
                </p>
            })}
            <ActionForm action attr:class="mt-4 grid gap-4 sm:max-w-md">
                <FormError error beside=|f| matches!(f, "new_email" | "current_password") />
                <Field label=t("account-email-new") name="new_email" input_type="email" autocomplete="email"
                    value=new_email server_error=field_error(error, "new_email") />
                <Field label=t("account-email-password") name="current_password" input_type="password"
                    autocomplete="current-password" value=password server_error=field_error(error, "current_password") />
                <SubmitButton label=t("account-email-submit") pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// What the [`ChangePasswordSection`] island says, sent with it in the
/// visitor's language.
const PASSWORD_WORDS: &[&str] = &[
    "account-password-title",
    "account-password-text",
    "account-password-changed",
    "account-password-current",
    "account-password-new",
    "account-password-submit",
];

#[island(lazy)]
fn ChangePasswordSection(url_error: Option<AppError>, words: Words) -> impl IntoView {
    mark_ready();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action, url_error);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let changed = words.get("account-password-changed");
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{words.get("account-password-title")}</h2>
            <p class="text-sm text-slate-600">{words.get("account-password-text")}</p>
            <ActionForm action attr:class="mt-4 grid gap-4 sm:max-w-md">
                <FormError error beside=|f| matches!(f, "current_password" | "new_password") />
                <Show when=done>
                    <p role="status" class="rounded-lg bg-emerald-50 px-4 py-2 text-sm text-emerald-800">{changed.clone()}</p>
                </Show>
                <Field label=words.get("account-password-current") name="current_password" input_type="password" form="password"
                    autocomplete="current-password" value=current server_error=field_error(error, "current_password") />
                <Field label=words.get("account-password-new") name="new_password" input_type="password" autocomplete="new-password"
                    value=new server_error=field_error(error, "new_password") validate=checks::password(&words) />
                <SubmitButton label=words.get("account-password-submit") pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn OrganizerSection(role: Role) -> impl IntoView {
    let application = Resource::new(|| (), |_| my_application());
    let body = move || {
        Suspend::new(async move {
            let latest = match application.await {
                Ok(latest) => latest,
                Err(err) => {
                    return view! { <p class="text-rose-700">{err.to_string()}</p> }.into_any();
                }
            };
            match (role, latest) {
                (Role::Organizer, _) => {
                    let (before, after) = around("account-organizer-approved", "link", &[]);
                    view! {
                        <p>{before}
                            <A href="/organizer" attr:class="font-semibold text-indigo-700 hover:underline">{t("account-organizer-area")}</A>
                            {after}
                        </p>
                    }
                    .into_any()
                }
                (Role::Admin, _) => {
                    let (before, after) = around("account-organizer-admin", "link", &[]);
                    view! {
                        <p>{before}
                            <A href="/admin" attr:class="font-semibold text-indigo-700 hover:underline">{t("account-organizer-admin-link")}</A>
                            {after}
                        </p>
                    }
                    .into_any()
                }
                (Role::Buyer, Some(app)) if app.status == ApplicationStatus::Pending => {
                    let (before, after) = around(
                        "account-application-pending",
                        "organization",
                        &[("date", crate::i18n::utc_time(app.created_at).into())],
                    );
                    view! {
                        <p data-testid="application-status">
                            {before} <strong>{app.org_name}</strong> {after}
                        </p>
                    }
                    .into_any()
                }
                (Role::Buyer, latest) => view! {
                    {latest.map(|app| view! { <RejectedNotice app /> })}
                    <ApplyForm url_error={url_error::<ApplyOrganizer>()} words=Words::of(APPLY_WORDS) />
                }
                .into_any(),
            }
        })
    };
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{t("account-organizer-title")}</h2>
            <div class="mt-3 space-y-4 text-slate-700">
                <Suspense fallback=|| view! { <p class="text-slate-600">{t("account-loading")}</p> }>{body}</Suspense>
            </div>
        </section>
    }
}

#[component]
fn RejectedNotice(app: ApplicationView) -> impl IntoView {
    let (before, after) = around("account-application-rejected", "organization", &[]);
    let reason = t_with(
        "account-application-reason",
        &[("reason", app.reason.unwrap_or_default().into())],
    );
    view! {
        <div class="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="application-status">
            <p>{before} <strong>{app.org_name}</strong> {after}</p>
            <p class="mt-1">{reason}</p>
            <p class="mt-1">{t("account-application-again")}</p>
        </div>
    }
}

/// What the [`ApplyForm`] island says, sent with it in the visitor's language.
const APPLY_WORDS: &[&str] = &[
    "account-apply-intro",
    "account-apply-org-name",
    "account-apply-description",
    "account-apply-website",
    "account-apply-kind",
    "account-apply-individual",
    "account-apply-company",
    "account-apply-submit",
];

/// Once sent, the page is loaded again to show the application's status.
#[island(lazy)]
fn ApplyForm(url_error: Option<AppError>, words: Words) -> impl IntoView {
    mark_ready();
    let action = ServerAction::<ApplyOrganizer>::new();
    let error = action_error(action, url_error);
    Effect::new(move |_| {
        action.version().track();
        if matches!(action.value().get_untracked(), Some(Ok(_))) {
            reload();
        }
    });
    let org_name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    view! {
        <p>{words.get("account-apply-intro")}</p>
        <ActionForm action attr:class="grid gap-4 sm:max-w-lg">
            <FormError error beside=|f| matches!(f, "org_name" | "description" | "website" | "kind") />
            <Field label=words.get("account-apply-org-name") name="org_name" value=org_name server_error=field_error(error, "org_name") />
            <Field label=words.get("account-apply-description") name="description" value=description multiline=true
                server_error=field_error(error, "description") />
            <Field label=words.get("account-apply-website") name="website" input_type="url" value=website
                server_error=field_error(error, "website") />
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{words.get("account-apply-kind")}</legend>
                <div class="mt-1 flex gap-6">
                    <label class="flex items-center gap-2"><input type="radio" name="kind" value="individual" checked=true />{words.get("account-apply-individual")}</label>
                    <label class="flex items-center gap-2"><input type="radio" name="kind" value="company" />{words.get("account-apply-company")}</label>
                </div>
                <p class="mt-1 text-sm text-rose-700">{move || field_error(error, "kind").get()}</p>
            </fieldset>
            <SubmitButton label=words.get("account-apply-submit") pending=action.pending() />
        </ActionForm>
    }
}
