use leptos::prelude::*;

/// What a page shows when loading its data failed: the user-facing message of
/// each error, never internals.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-6 text-rose-900">
            <h2 class="font-semibold">"Sorry, this page could not be loaded."</h2>
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
