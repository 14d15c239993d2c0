use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::error::AppError;
use crate::i18n::t;
use crate::ui::pages::not_found::NotFound;

/// What a page shows instead of its content: the sign-in page for anonymous
/// visitors (coming back here afterwards), a plain refusal for the wrong role,
/// the 404 page (with its status) for what does not exist or is not theirs, the
/// message otherwise. Pages rendered on the server only (no island) show it.
pub fn refusal(err: AppError) -> AnyView {
    match err {
        AppError::Unauthorized => {
            let here = use_location().pathname.get_untracked();
            view! { <Redirect path=format!("/signin?next={here}") /> }.into_any()
        }
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        AppError::Forbidden => view! {
            <section class="mx-auto max-w-lg py-16 text-center" data-testid="forbidden">
                <p class="text-sm font-semibold text-rose-700">"403"</p>
                <h1 class="mt-2 text-3xl font-bold">{t("refusal-forbidden-title")}</h1>
                <p class="mt-3 text-slate-600">{t("refusal-forbidden-text")}</p>
            </section>
        }
        .into_any(),
        other => view! {
            <div role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-6 text-rose-900">
                {other.to_string()}
            </div>
        }
        .into_any(),
    }
}
