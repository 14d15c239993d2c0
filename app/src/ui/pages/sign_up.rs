use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignUp;
use crate::error::AppError;
use crate::i18n::{Words, t};
use crate::model::{PASSWORD_MAX, PASSWORD_MIN};
use crate::ui::components::form::{
    Field, FormError, SubmitButton, action_error, checks, field_error, url_error,
};
use crate::ui::islands::mark_ready;

#[component]
pub fn SignUpPage() -> impl IntoView {
    // After the form: the same words whether or not the address had an account.
    let sent = use_query_map().read_untracked().get("sent").is_some();
    if sent {
        return view! {
            <Title text=t("signup-sent-title") />
            <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="sign-up-sent">
                <h1 class="text-2xl font-bold">{t("signup-sent-title")}</h1>
                <p role="status" class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">
                    {t("signup-sent-text")}
                </p>
                <p class="mt-4 text-sm text-slate-600">
                    {t("signup-sent-spam")}
                </p>
                <p class="mt-4">
                    <A href="/signin" attr:class="font-semibold text-indigo-700 hover:underline">{t("signup-sign-in")}</A>
                </p>
            </section>
        }
        .into_any();
    }
    view! {
        <Title text=t("signup-title") />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold">{t("signup-title")}</h1>
            <p class="mt-1 text-sm text-slate-600">
                {format!("{} ", t("signup-have-account"))} <A href="/signin" attr:class="font-semibold text-indigo-700 hover:underline">{t("signup-sign-in")}</A>
            </p>
            <SignUpForm url_error={url_error::<SignUp>()} words=sign_up_words() />
        </section>
    }
    .into_any()
}

/// What the [`SignUpForm`] island says, in the visitor's language.
fn sign_up_words() -> Words {
    checks::words(
        Words::of(&[
            "signup-name",
            "signup-email",
            "signup-password",
            "signup-submit",
        ])
        .with(
            "signup-password-hint",
            &[
                ("min", (PASSWORD_MIN as i64).into()),
                ("max", (PASSWORD_MAX as i64).into()),
            ],
        ),
    )
}

/// Checked as typed; a refusal keeps what was typed.
#[island(lazy)]
fn SignUpForm(url_error: Option<AppError>, words: Words) -> impl IntoView {
    mark_ready();
    let action = ServerAction::<SignUp>::new();
    let came_back = url_error.is_some();
    let error = action_error(action, url_error);
    let tried = Signal::derive(move || came_back || action.version().get() > 0);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    view! {
        <ActionForm action attr:class="mt-6 space-y-4">
            <FormError error beside=|f| matches!(f, "name" | "email" | "password") />
            <Field label=words.get("signup-name") name="name" autocomplete="name" value=name
                server_error=field_error(error, "name") validate=checks::name(&words) tried />
            <Field label=words.get("signup-email") name="email" input_type="email" autocomplete="email" value=email
                server_error=field_error(error, "email") validate=checks::email(&words) tried />
            <Field label=words.get("signup-password") name="password" input_type="password" autocomplete="new-password"
                value=password server_error=field_error(error, "password") validate=checks::password(&words) hint=words.get("signup-password-hint") tried />
            <SubmitButton label=words.get("signup-submit") pending=action.pending() />
        </ActionForm>
    }
}
