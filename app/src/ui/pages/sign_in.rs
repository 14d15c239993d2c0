use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignIn;
use crate::error::AppError;
use crate::i18n::{Words, t};
use crate::ui::components::form::{
    Field, FormError, SubmitButton, action_error, checks, field_error, url_error,
};
use crate::ui::islands::mark_ready;

#[component]
pub fn SignInPage() -> impl IntoView {
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    let reset = use_query_map().read_untracked().get("reset").is_some();
    view! {
        <Title text=t("signin-title") />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold">{t("signin-title")}</h1>
            <p class="mt-1 text-sm text-slate-600">
                {format!("{} ", t("signin-new-here"))} <A href="/signup" attr:class="font-semibold text-indigo-700 hover:underline">{t("signin-create-account")}</A>
            </p>
            {reset.then(|| view! {
                <p role="status" class="mt-4 rounded-lg bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
                    {t("signin-password-reset")}
                </p>
            })}
            <SignInForm next url_error={url_error::<SignIn>()} words=checks::words(Words::of(SIGN_IN_WORDS)) />
            <p class="mt-4 text-sm">
                <A href="/forgot-password" attr:class="text-indigo-700 hover:underline">{t("signin-forgot-password")}</A>
            </p>
        </section>
    }
}

/// What the [`SignInForm`] island says, sent with it in the visitor's language.
const SIGN_IN_WORDS: &[&str] = &["signin-email", "signin-password", "signin-submit"];

/// Checked as typed; the server's answer shows in place (or moves on to `next`).
#[island(lazy)]
fn SignInForm(next: String, url_error: Option<AppError>, words: Words) -> impl IntoView {
    mark_ready();
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action, url_error);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    view! {
        <ActionForm action attr:class="mt-6 space-y-4">
            <FormError error beside=|f| matches!(f, "email" | "password") />
            <input type="hidden" name="next" value=next />
            <Field label=words.get("signin-email") name="email" input_type="email" autocomplete="email" value=email
                server_error=field_error(error, "email") validate=checks::email(&words) />
            <Field label=words.get("signin-password") name="password" input_type="password" autocomplete="current-password"
                value=password server_error=field_error(error, "password") />
            <SubmitButton label=words.get("signin-submit") pending=action.pending() />
        </ActionForm>
    }
}
