use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    // Answer 404, not 200, when this is rendered on the server.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t("notfound-title") />
        <section class="mx-auto max-w-lg py-16 text-center">
            <p class="text-sm font-semibold text-indigo-600">"404"</p>
            <h1 class="mt-2 text-3xl font-bold">{t("notfound-title")}</h1>
            <p class="mt-3 text-slate-600">{t("notfound-text")}</p>
            <A href="/" attr:class="mt-6 inline-block rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                {t("notfound-browse")}
            </A>
        </section>
    }
}
