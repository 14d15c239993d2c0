use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::organizers::organizer_overview;
use crate::ui::components::refusal::refusal;

/// The organizer area. Only approved organizers get past the server's check.
#[component]
pub fn OrganizerPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| organizer_overview());
    view! {
        <Title text="Organizer area" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! {
                        <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="organizer-area">
                            <p class="text-sm font-semibold text-indigo-700">"Organizer area"</p>
                            <h1 class="mt-1 text-2xl font-bold">{profile.org_name}</h1>
                            <p class="mt-2 text-slate-600">
                                "Your listings and the door check-in for your events are managed here."
                            </p>
                        </section>
                    }
                    .into_any(),
                    Err(err) => refusal(err, "/organizer"),
                }
            })}
        </Suspense>
    }
}
