use leptos::prelude::*;

use crate::model::{Availability, CardWords, EventCard};

/// One event in the catalogue grid (and the editor's live preview), in the
/// words the server wrote for it ([`EventCard::written`]).
#[component]
pub fn EventCardView(event: EventCard, #[prop(optional)] preview: bool) -> impl IntoView {
    let badge_class = match (
        event.sale_opens_later(chrono::Utc::now()),
        event.availability(),
    ) {
        (Some(_), _) => "bg-sky-100 text-sky-800",
        (None, Availability::SoldOut) => "bg-slate-200 text-slate-700",
        (None, Availability::OnlyLeft(_)) => "bg-amber-100 text-amber-800",
        (None, Availability::Available) => "bg-emerald-100 text-emerald-800",
    };
    let CardWords {
        title,
        title_lang,
        when,
        price,
        badge,
        by,
    } = event.words;
    let title_for_cover = title.clone();
    let href = format!("/events/{}", event.id);
    let heading = if preview {
        view! { <span>{title}</span> }.into_any()
    } else {
        view! { <a href=href class="hover:text-indigo-700 after:absolute after:inset-0">{title}</a> }.into_any()
    };
    view! {
        <article
            class="relative flex flex-col justify-between rounded-2xl border border-slate-200 bg-white p-5 shadow-sm transition hover:shadow-md"
            data-testid="event-card"
        >
            <div>
                <div class="-mx-5 -mt-5 mb-4 aspect-video overflow-hidden rounded-t-2xl">
                    <Cover url=event.cover_url.clone() title=title_for_cover />
                </div>
                <p class="text-sm font-medium text-indigo-700">{when}</p>
                <h3 class="mt-1 text-lg font-semibold leading-snug text-slate-900"
                    lang=(!title_lang.is_empty()).then_some(title_lang)>{heading}</h3>
                <p class="mt-1 text-sm text-slate-600">{event.venue}</p>
                <p class="mt-1 text-xs text-slate-600">{by}</p>
            </div>
            <div class="mt-4 flex items-center justify-between">
                <span class="text-lg font-bold" data-testid="event-price">
                    {price}
                </span>
                <span class=format!("rounded-full px-2.5 py-0.5 text-xs font-semibold {badge_class}")>{badge}</span>
            </div>
        </article>
    }
}

/// An event's cover image, or a quiet placeholder with the title's initial.
/// Decorative: the title is always next to it.
#[component]
pub fn Cover(url: Option<String>, title: String) -> impl IntoView {
    match url {
        Some(url) => view! {
            <img src=url alt="" width="1600" height="1000" loading="lazy" decoding="async"
                class="h-full w-full object-cover" data-testid="event-cover" />
        }
        .into_any(),
        None => {
            let initial = title.chars().find(|c| c.is_alphanumeric()).unwrap_or('·');
            view! {
                <div aria-hidden="true" data-testid="cover-placeholder"
                    class="flex h-full w-full items-center justify-center bg-linear-to-br from-indigo-100 via-sky-50 to-emerald-100 text-5xl font-black text-indigo-200">
                    {initial.to_ascii_uppercase().to_string()}
                </div>
            }
            .into_any()
        }
    }
}
