use leptos::prelude::*;

use crate::i18n::t;

/// What a page shows when loading its data failed: the user-facing message of
/// each error, never internals. Rendered on the server (no island).
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-6 text-rose-900">
            <h2 class="font-semibold">{t("refusal-load-failed")}</h2>
            <ul class="mt-2 list-disc pl-5 text-sm">
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, err)| view! { <li>{err.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
